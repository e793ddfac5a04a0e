"""Fitting a listing: the entries, links, titles and dates of a page whose article links
the platform knows by URL but whose markup it misses.

* entries: the repeated block holding one article link each, with its link and title;
* a listing's date: the element of an entry whose text reads as a date (one with a time
  first).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lxml import html as lxml_html
from lxml.etree import _Element

from crawler.cleanhtml import is_xpath
from crawler.platforms.base import PortalSpider
from tinmoi.adding.fetch import Fetched
from tinmoi.adding.markup import TEXT, TIME_RE, classes_of, css_of, is_date, text_of, tree


def derive_listing(
    spider: PortalSpider, page: Fetched, now: datetime | None, menu: frozenset[str] = frozenset()
) -> dict[str, str]:
    """Listing selectors for a page whose article links ``spider`` knows by URL but
    whose entries its markup misses (empty when the page links to fewer than two); the
    ``menu``'s links are never entries (a WordPress page's slug looks like a post's)."""
    root = tree(page)
    anchors: dict[str, _Element] = {}
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        url = spider.public_url(page.response().urljoin(href)) if href else ""
        key = spider.article_key(url) if url else None
        if key and key not in anchors and text_of(anchor) and url.rstrip("/") not in menu:
            anchors[key] = anchor
    entries = []
    for key, anchor in anchors.items():
        entry = anchor
        while (parent := entry.getparent()) is not None and _only_links_to(
            parent, key, spider, page
        ):
            entry = parent
        entries.append((entry, anchor))
    groups: dict[tuple[Any, str], list[tuple[_Element, _Element]]] = {}
    for entry, anchor in entries:
        parent = entry.getparent()
        groups.setdefault((parent, str(entry.tag)), []).append((entry, anchor))
    best = max(groups.values(), key=len, default=[])
    if len(best) < 2:
        return {}
    entry, anchor = best[0]
    parent = entry.getparent()
    if parent is None:
        return {}
    container = css_of(parent, root)
    entry_css = ", ".join(f"{container} > {entry.tag!s}{part}" for part in _entry_classes(best))
    link = _relative(anchor, entry)
    found = {
        "listing_entry_selector": entry_css,
        "listing_link_selector": f"{link}::attr(href)",
        "listing_title_selector": f"{link}{TEXT}",
    }
    found["listing_date_selector"] = _entry_date(entry, anchor, now) or ""
    return found


def _entry_classes(entries: list[tuple[_Element, _Element]]) -> list[str]:
    """The class part of the entries' selector: one class they all have, else each first
    class they have (rows alternating ``GridRow`` and ``GridAltRow``), else none."""
    classes = [classes_of(entry) for entry, _anchor in entries]
    common = [name for name in classes[0] if all(name in other for other in classes)]
    if common:
        return [f".{common[0]}"]
    if all(classes):
        return [f".{name}" for name in dict.fromkeys(found[0] for found in classes)]
    return [""]


def _only_links_to(node: _Element, key: str, spider: PortalSpider, page: Fetched) -> bool:
    for anchor in node.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href:
            continue
        url = spider.public_url(page.response().urljoin(href))
        if spider.article_key(url) != key:
            return False
    return True


def _relative(anchor: _Element, entry: _Element) -> str:
    """The anchor's selector within its entry: ``a.title``, ``h4 a`` or ``a``."""
    classes = classes_of(anchor)
    if classes:
        return f"a.{classes[0]}"
    parent = anchor.getparent()
    if parent is not None and parent is not entry and parent.tag in ("h2", "h3", "h4", "h5"):
        return f"{parent.tag} a"
    return "a"


def _entry_date(entry: _Element, anchor: _Element, now: datetime | None) -> str | None:
    """The entry's element holding a date (outside its link), one with a time first."""
    found = []
    title = text_of(anchor)
    for node in entry.iter():
        if node is anchor or node is entry or node in anchor.iterancestors():
            continue
        if not isinstance(node.tag, str) or text_of(node) == title:
            continue
        if len(text_of(node)) < 40 and is_date(text_of(node), now):
            found.append(node)
    deepest = [n for n in found if not any(n in other.iterancestors() for other in found)]
    deepest.sort(key=lambda node: not TIME_RE.search(text_of(node)))
    return css_of(deepest[0], entry, unique=False) + TEXT if deepest else None


def listing_dates(spider: PortalSpider, pages: list[Fetched], now: datetime | None) -> str | None:
    """A listing date selector when the platform's finds no date in any entry of these
    listing pages (one alternative per page whose markup differs)."""
    found: list[str] = []
    for page in pages:
        response = page.response()
        entries = spider.listing_entries(response)
        texts = [spider.entry_text(e, spider.listing_date_selector) for e in entries]
        if not entries or any(is_date(text, now) for text in texts):
            continue
        for entry in entries[:1]:
            node = lxml_html.fromstring(entry.get())
            link = node if node.tag == "a" else next(node.iter("a"), node)
            derived = _entry_date(node, link, now)
            if derived:
                found.append(derived.removesuffix(TEXT))
    if not found:
        return None
    default = spider.listing_date_selector
    parts = {f"{part}{TEXT}" for part in found} | set(found)
    if default and not is_xpath(default) and default not in parts:  # kept, in its style
        text = TEXT if "::text" in default else ""
        return ", ".join(f"{part}{text}" for part in dict.fromkeys(found)) + f", {default}"
    return ", ".join(f"{part}{TEXT}" for part in dict.fromkeys(found))
