"""``tinmoi history``: every version of an article, with what changed between them."""

from __future__ import annotations

import difflib
from itertools import pairwise
from typing import Any, TextIO

from crawler.archive import Archive, ArchivedArticle


def _lines(revision: dict[str, Any]) -> list[str]:
    return [revision["title"], "", *revision["content_text"].splitlines()]


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M %z") if value else "—"


def print_history(article: ArchivedArticle, revisions: list[dict[str, Any]], out: TextIO) -> None:
    """The article, its revisions, and a unified diff between each pair (title first)."""
    print(f"{article.key}  {article.url}", file=out)
    print(f"  published {_when(article.published)}, first seen {_when(article.first_seen)}",
          file=out)  # fmt: skip
    if article.removed:
        print(f"  removed: the portal answered 404/410 from {_when(article.removed)}", file=out)
    for revision in revisions:
        print(
            f"r{revision['revision']}  {_when(revision['fetched'])}  "
            f"{revision['content_hash'][:12]}  {revision['title']}",
            file=out,
        )
    for older, newer in pairwise(revisions):
        diff = difflib.unified_diff(
            _lines(older),
            _lines(newer),
            fromfile=f"r{older['revision']}",
            tofile=f"r{newer['revision']}",
            lineterm="",
        )
        print("\n".join(diff), file=out)


def history(archive: Archive, url_or_key: str, out: TextIO) -> bool:
    """Print the history of ``url_or_key``; False when the archive does not hold it."""
    article = archive.find(url_or_key)
    if article is None:
        return False
    print_history(article, archive.revisions(article.key), out)
    return True
