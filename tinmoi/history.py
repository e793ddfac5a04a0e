"""``tinmoi history``: every version of an article, with what changed between them."""

from __future__ import annotations

import difflib
from itertools import pairwise
from typing import Any, TextIO

from crawler.archive import Archive, ArchivedArticle


def _lines(revision: dict[str, Any]) -> list[str]:
    return [revision["title"], "", *revision["content_text"].splitlines()]


def _name(revision: dict[str, Any]) -> str:
    number = revision["revision"]
    return f"r{number}" if isinstance(number, int) else str(number)


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M %z") if value else "—"


def _definition(value: str | None) -> str:
    return value[:12] if value else "—"


def print_history(
    article: ArchivedArticle,
    revisions: list[dict[str, Any]],
    out: TextIO,
    pending: dict[str, Any] | None = None,
) -> None:
    """The article, its revisions (each with the digest of the portal definition that
    extracted it), the fetch held back if any, and a unified diff between each pair
    (title first)."""
    print(f"{article.key}  {article.url}", file=out)
    print(f"  published {_when(article.published)}, first seen {_when(article.first_seen)}",
          file=out)  # fmt: skip
    if article.removed:
        print(f"  removed: the portal answered 404/410 from {_when(article.removed)}", file=out)
    for revision in revisions:
        print(
            f"r{revision['revision']}  {_when(revision['fetched'])}  "
            f"{revision['content_hash'][:12]}  definition {_definition(revision['definition'])}"
            f"  {revision['title']}",
            file=out,
        )
    if pending is not None:
        no_revision: dict[str, Any] = {"content_text": "", "revision": 0}
        current = revisions[-1] if revisions else no_revision
        print(
            f"held  {_when(pending['first_fetched'])}  {pending['content_hash'][:12]}  "
            f"definition {_definition(pending['definition'])}  "
            f"body {len(pending['content_text'].strip())} characters against "
            f"{len(current['content_text'].strip())}: becomes r{current['revision'] + 1} "
            f"if a fetch from {_when(pending['confirm_from'])} gives it again",
            file=out,
        )
    shown = [*revisions, pending | {"revision": "held"}] if pending is not None else revisions
    for older, newer in pairwise(shown):
        diff = difflib.unified_diff(
            _lines(older),
            _lines(newer),
            fromfile=_name(older),
            tofile=_name(newer),
            lineterm="",
        )
        print("\n".join(diff), file=out)


def history(archive: Archive, url_or_key: str, out: TextIO) -> bool:
    """Print the history of ``url_or_key``; False when the archive does not hold it."""
    article = archive.find(url_or_key)
    if article is None:
        return False
    revisions = archive.revisions(article.key)
    print_history(article, revisions, out, archive.pending_revision(article.key))
    return True
