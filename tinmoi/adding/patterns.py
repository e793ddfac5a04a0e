"""Article URL shapes for portals on no known platform (the generic platform's
``article_pattern``): the shape, with a numeric id, that the listing pages link to most.

A URL's shape keeps its fixed words and replaces what varies: a number becomes
``(\\d+)`` (the id, the last number), a slug ending in an id ``[\\w-]+-(\\d+)``; ``?id=7742401``
keeps its parameter name. The shape linked from the most listing pages, with the most
distinct URLs and an id, is the pattern; a shape only the menu's links have is never it. Links found
on one page only count first (a listing's), before those every page repeats (a sidebar's).
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import parse_qsl, urlsplit

_SLUG_ID_RE = re.compile(r"^[\w-]+-(\d+)(\.\w+)?$")
_NUMBER_RE = re.compile(r"^(\d+)(\.\w+)?$")

#: A shape numbering a listing's pages, not articles.
_PAGER_RE = re.compile(r"[?&](?:page|trang|p|pageindex|paged)=|/page[/-]", re.I)


def _escape(text: str) -> str:
    """``re.escape`` leaving hyphens alone (they need no escape outside a class)."""
    return re.escape(text).replace("\\-", "-")


def shape(url: str) -> str | None:
    """The shape of ``url`` as an anchored regular expression whose group 1 is its id, or
    None when it holds no number to be an id."""
    parts = urlsplit(url)
    pieces: list[str] = []
    has_id = False
    for segment in parts.path.split("/")[1:]:
        if match := _SLUG_ID_RE.match(segment):
            ext = _escape(match.group(2) or "")
            pieces.append(r"[\w-]+-(\d+)" + ext if not has_id else r"[\w-]+-\d+" + ext)
            has_id = True
        elif match := _NUMBER_RE.match(segment):
            pieces.append(r"(\d+)" + _escape(match.group(2) or ""))
            has_id = True
        else:
            pieces.append(_escape(segment))
    path = "/" + "/".join(pieces)
    query = parse_qsl(parts.query, keep_blank_values=True)
    params = []
    for name, value in query:
        if value.isdigit() and not has_id:
            params.append(f"{_escape(name)}=(\\d+)")
            has_id = True
        elif value.isdigit():
            params.append(f"{_escape(name)}=\\d+")
        else:
            params.append(f"{_escape(name)}={_escape(value)}")
    if not has_id:
        return None
    return "^" + path + (r"\?" + "&".join(params) if params else "") + "$"


def article_pattern(pages: list[list[str]], menu: list[str]) -> str | None:
    """The article shape the listing pages (each a list of its link URLs) share most,
    never one only ``menu`` links have; None when no shape is linked twice."""
    menu_urls = {url.split("#")[0] for url in menu}
    pages_with: dict[str, int] = defaultdict(int)
    urls_of: dict[str, set[str]] = defaultdict(set)
    seen_on: dict[str, int] = defaultdict(int)
    for links in pages:
        shapes = set()
        for url in {link.split("#")[0] for link in links}:
            seen_on[url] += 1
            found = shape(url)
            if found:
                shapes.add(found)
                urls_of[found].add(url)
        for found in shapes:
            pages_with[found] += 1

    def own(found: str) -> int:  # links found on one page only: a listing's, not a sidebar's
        return sum(1 for url in urls_of[found] if seen_on[url] == 1)

    ranked = sorted(
        urls_of,
        key=lambda s: (not _PAGER_RE.search(s), own(s), pages_with[s], len(urls_of[s])),
        reverse=True,
    )
    for found in ranked:
        if len(urls_of[found]) >= 2 and not urls_of[found] <= menu_urls:
            return found
    return None
