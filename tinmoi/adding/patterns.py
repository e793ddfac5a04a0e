"""Article URL shapes for portals on no known platform (the generic platform's
``article_pattern``): the shape, with a numeric id, that the listing pages link to most.

A URL's shape keeps its fixed words and replaces what varies: a number becomes
``(\\d+)`` (the id, the last number), a slug ending in an id ``[\\w-]+-(\\d+)``; ``?id=7742401``
keeps its parameter name; a title's slug after the id (``/chi-tiet/77/its-title``) becomes
``[\\w-]+``. The shape linked from the most listing pages, with the most
distinct URLs and an id, is the pattern; a shape only the menu's links have is never it. Links found
on one page only count first (a listing's), before those every page repeats (a sidebar's).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

_SLUG_ID_RE = re.compile(r"^[\w-]+-(\d+)(\.\w+)?$")
_NUMBER_RE = re.compile(r"^(\d+)(\.\w+)?$")
#: A title's slug after the id (``/chi-tiet/77/tap-huan-nghiep-vu``): it varies too.
_SLUG_RE = re.compile(r"^[\w]+(?:-[\w]+)+(\.\w+)?$")

#: A shape numbering a listing's pages, not articles.
_PAGER_RE = re.compile(r"[?&](?:page|trang|p|pageindex|paged)=|/page[/-]", re.I)


def _escape(text: str) -> str:
    """``re.escape`` leaving hyphens alone (they need no escape outside a class)."""
    return re.escape(text).replace("\\-", "-")


#: A VNPT article link's query (``id=news_2306``).
_NEWS_QUERY_RE = re.compile(r"(?:^|&)id=news_\d+")
#: A slug that is a pager's page (``trang-2.html``, ``page-3``), never an article's.
_PAGE_SLUG = r"(?:trang|page|p)-\d+(?:\.\w+)?$"
_PAGE_SLUG_RE = re.compile("^" + _PAGE_SLUG, re.I)
#: What a slug-and-id piece refuses: a pager's page of the same shape.
_NOT_A_PAGE = f"(?!{_PAGE_SLUG})"


@dataclass(frozen=True)
class Shape:
    """A URL's shape: its path pieces (regular expressions), which of them are the URL's
    own fixed words, and its query."""

    pieces: tuple[str, ...]
    literal: tuple[bool, ...]
    query: str

    @property
    def pattern(self) -> str:
        """The shape as an anchored regular expression (group 1: the id)."""
        return "^/" + "/".join(self.pieces) + (r"\?" + self.query if self.query else "") + "$"

    def without(self, index: int) -> tuple[Any, ...]:
        """The shape but for its fixed piece at ``index`` (what shapes differing there share)."""
        return (index, self.pieces[:index], self.pieces[index + 1 :], self.query)


def _shape(url: str) -> Shape | None:
    parts = urlsplit(url)
    pieces: list[str] = []
    literal: list[bool] = []
    has_id = False
    for segment in parts.path.split("/")[1:]:
        fixed = False
        if _PAGE_SLUG_RE.match(segment):
            return None
        if match := _SLUG_ID_RE.match(segment):
            ext = _escape(match.group(2) or "")
            pieces.append(r"[\w-]+-(\d+)" + ext if not has_id else r"[\w-]+-\d+" + ext)
            has_id = True
        elif match := _NUMBER_RE.match(segment):
            pieces.append(r"(\d+)" + _escape(match.group(2) or ""))
            has_id = True
        elif has_id and (match := _SLUG_RE.match(segment)):  # /chi-tiet/77/its-title
            pieces.append(r"[\w-]+" + _escape(match.group(1) or ""))
        else:
            pieces.append(_escape(segment))
            fixed = True
        literal.append(fixed)
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
    return Shape(tuple(pieces), tuple(literal), "&".join(params))


def shape(url: str) -> str | None:
    """The shape of ``url`` as an anchored regular expression whose group 1 is its id, or
    None when it holds no number to be an id (or is a pager's page)."""
    found = _shape(url)
    return found.pattern if found else None


def _merged(shapes: list[Shape]) -> dict[Shape, Shape]:
    """Shapes that differ in one fixed word only (``/tin-tuc/…`` and ``/chinh-quyen/…``:
    one listing per section), each mapped to their union (``/(?:chinh-quyen|tin-tuc)/…``)."""
    groups: dict[tuple[Any, ...], list[Shape]] = defaultdict(list)
    for found in shapes:
        for index, fixed in enumerate(found.literal):
            if fixed:
                groups[found.without(index)].append(found)
    union: dict[Shape, Shape] = {}
    for key, members in sorted(groups.items(), key=lambda item: -len(item[1])):
        members = [m for m in members if m not in union]
        if len(members) < 2:
            continue
        index = key[0]
        words = sorted({m.pieces[index] for m in members})
        pieces = list(members[0].pieces)
        pieces[index] = "(?:" + "|".join(words) + ")"
        literal = list(members[0].literal)
        literal[index] = False
        merged = Shape(tuple(pieces), tuple(literal), members[0].query)
        for member in members:
            union[member] = merged
    return union


def article_pattern(pages: list[list[str]], menu: list[str]) -> str | None:
    """The article shape the listing pages (each a list of its link URLs) share most,
    never one only ``menu`` links have; None when no shape is linked twice."""
    menu_urls = {url.split("#")[0] for url in menu}
    shape_of = {
        url: found
        for links in pages
        for link in links
        if (found := _shape(url := link.split("#")[0])) is not None
    }
    seen_on: dict[str, int] = defaultdict(int)
    for links in pages:
        for url in {link.split("#")[0] for link in links}:
            seen_on[url] += 1
    # a shape some page does not link to is a listing's: such shapes merge, a sidebar's
    # (on every page) never
    owned = {found for url, found in shape_of.items() if seen_on[url] < len(pages)}
    union = _merged([found for found in dict.fromkeys(shape_of.values()) if found in owned])
    pages_with: dict[str, int] = defaultdict(int)
    urls_of: dict[str, set[str]] = defaultdict(set)
    for links in pages:
        shapes = set()
        for url in {link.split("#")[0] for link in links}:
            if url in shape_of:
                pattern = union.get(shape_of[url], shape_of[url]).pattern
                shapes.add(pattern)
                urls_of[pattern].add(url)
        for pattern in shapes:
            pages_with[pattern] += 1

    def own(pattern: str) -> int:  # links found on one page only: a listing's, not a sidebar's
        return sum(1 for url in urls_of[pattern] if seen_on[url] == 1)

    ranked = sorted(
        (s for s in urls_of if not _PAGER_RE.search(s)),  # a listing's pages, never articles
        key=lambda s: (own(s), pages_with[s], len(urls_of[s])),
        reverse=True,
    )
    for pattern in ranked:
        if len(urls_of[pattern]) >= 2 and not urls_of[pattern] <= menu_urls:
            return _guarded(pattern, [link for links in pages for link in links])
    return None


def _guarded(pattern: str, links: list[str]) -> str:
    """``pattern``, refusing a pager's pages (``/tin-tuc/trang-2.html``) when the links
    have pages it would otherwise take for articles."""
    compiled = re.compile(pattern)
    pages = [urlsplit(link) for link in links]
    paths = [p.path + (f"?{p.query}" if p.query else "") for p in pages]
    if any(
        compiled.match(path) and any(_PAGE_SLUG_RE.match(seg) for seg in path.split("/"))
        for path in paths
    ):
        return pattern.replace(r"[\w-]+-(\d+)", _NOT_A_PAGE + r"[\w-]+-(\d+)", 1)
    return pattern


def article_folder(links: list[str], default: str) -> str | None:
    """The folder VNPT article links (``?id=news_<N>``) are most often under
    (``/chitiettin/``), when none is under the platform's ``default``; else None."""
    folders: Counter[str] = Counter()
    for url in links:
        parts = urlsplit(url)
        if _NEWS_QUERY_RE.search(parts.query) and parts.path.strip("/"):
            folders["/" + parts.path.rstrip("/").rsplit("/", 1)[-1] + "/"] += 1
    if not folders or default in folders:
        return None
    return folders.most_common(1)[0][0]
