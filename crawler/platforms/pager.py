"""Numbered pagers: the link from page N of a listing to its page N+1, by its URL.

Portals print their pagers in every markup there is (a list, a table, spans, with or
without an element marking the current page), but the URLs of the pages follow a few
shapes. A listing's next page is the link on page N whose URL numbers page N+1 in one of
those shapes and is otherwise the URL of the same listing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit

#: Query parameters that number a listing's pages (compared case-insensitively):
#: ``?page=3``, ``?trang=3``, ``?Page=3`` (SharePoint), ``?paged=3`` (WordPress),
#: ``?pageindex=3`` and ``?pagenumber=3`` (ASP.NET), ``?…_cur=3`` (Liferay).
PAGE_PARAMS = ("page", "trang", "paged", "pageindex", "pagenumber", "pageno")
#: Path endings that number a listing's pages: ``/page/3/`` (WordPress), ``/page-3``
#: (NukeViet), ``/trang-3.html`` and ``/trang/3``.
PAGE_PATH_RE = re.compile(r"/(?:page|trang)(?:/|-)(?P<n>\d+)(?:\.html?|\.aspx)?/?$", re.IGNORECASE)


def _page_param(name: str) -> bool:
    folded = name.lower()
    return folded in PAGE_PARAMS or folded.endswith("_cur")


def page_of(url: str, patterns: Sequence[re.Pattern[str]] = ()) -> tuple[int, str] | None:
    """The page number ``url`` names and the URL of its listing without it, or None
    when the URL numbers no page. ``patterns`` (a portal's own, group 1 the number)
    are tried first."""
    parts = urlsplit(url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    for pattern in patterns:
        match = pattern.search(target)
        if match:
            rest = target[: match.start()] + target[match.end() :]
            return int(match.group(1)), _listing_key(parts.netloc, rest)
    query = parse_qsl(parts.query, keep_blank_values=True)
    numbered = [(name, value) for name, value in query if _page_param(name)]
    if len(numbered) == 1 and numbered[0][1].strip().isdigit():
        kept = [(name, value) for name, value in query if not _page_param(name)]
        path = parts.path + ("?" + urlencode(kept) if kept else "")
        return int(numbered[0][1]), _listing_key(parts.netloc, path)
    match = PAGE_PATH_RE.search(parts.path)
    if match:
        path = parts.path[: match.start()] + ("?" + parts.query if parts.query else "")
        return int(match.group("n")), _listing_key(parts.netloc, path)
    return None


def listing_of(url: str, patterns: Sequence[re.Pattern[str]] = ()) -> str:
    """The URL of the listing ``url`` is a page of (itself when it numbers no page)."""
    found = page_of(url, patterns)
    if found is not None:
        return found[1]
    parts = urlsplit(url)
    return _listing_key(parts.netloc, parts.path + ("?" + parts.query if parts.query else ""))


def numbered_next(
    links: Iterable[str], here: str, page: int, patterns: Sequence[re.Pattern[str]] = ()
) -> str | None:
    """The first of ``links`` (absolute URLs) that is page ``page + 1`` of the listing
    ``here`` is a page of, or None. A listing page ``/tin-tuc.html`` is the listing of
    ``/tin-tuc/trang-2.html``."""
    listings = {listing_of(here, patterns)}
    parts = urlsplit(here)
    if (stem := re.sub(r"\.html?$", "", parts.path)) != parts.path:
        listings.add(_listing_key(parts.netloc, stem + ("?" + parts.query if parts.query else "")))
    for link in links:
        found = page_of(link, patterns)
        if found is not None and found[0] == page + 1 and found[1] in listings:
            return link
    return None


def _listing_key(netloc: str, path_query: str) -> str:
    """A listing's identity: host, path without a trailing slash or index page, and its
    other query parameters in order."""
    path, _, query = path_query.partition("?")
    path = re.sub(r"/(?:index\.(?:html?|php|aspx?))?$", "", path) or "/"
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    return netloc.lower() + path + ("?" + urlencode(pairs) if pairs else "")
