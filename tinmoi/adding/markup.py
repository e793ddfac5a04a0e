"""The markup a fit reads: a page as a tree, an element's text and classes, a short CSS
selector for it, and whether a text reads as a date."""

from __future__ import annotations

import re
from datetime import datetime

from lxml import html as lxml_html
from lxml.etree import _Element
from parsel import Selector

from crawler.dates import parse_date
from crawler.text import clean_line
from tinmoi.adding.fetch import Fetched

_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
#: A time of day in a date's text.
TIME_RE = re.compile(r"\b\d{1,2}\s*[:hg]\s*\d{2}\b")
#: What the page-level selectors a fit writes read text with (CSS ``::text``).
TEXT = " ::text"


def tree(page: Fetched) -> _Element:
    """The page as an lxml tree (an XHTML page's XML declaration dropped: lxml refuses a
    decoded text that declares its encoding)."""
    return lxml_html.fromstring(_XML_DECLARATION_RE.sub("", page.response().text, count=1))


def classes_of(node: _Element) -> list[str]:
    """The element's classes."""
    return [c for c in (node.get("class") or "").split() if c.replace("-", "_").isidentifier()]


def css_of(node: _Element, root: _Element, unique: bool = True) -> str:
    """A short CSS selector for ``node``: its tag and first class, prefixed by classed
    ancestors until it names a class and selects ``node`` alone (``unique``) in ``root``."""
    parts: list[str] = []
    current: _Element | None = node
    while current is not None and current is not root:
        classes = classes_of(current)
        part = f"{current.tag!s}.{classes[0]}" if classes else str(current.tag)
        if classes and current is not node:
            part = f".{classes[0]}"
        parts.insert(0, part)
        query = " ".join(parts)
        found = root.cssselect(query)
        classed = "." in query or not unique  # a bare tag is no theme's name for a field
        if classed and found and (not unique or len(found) == 1) and found[0] is node:
            return query
        current = current.getparent()
    return " ".join(parts)


def is_date(text: str, now: datetime | None) -> bool:
    """Whether ``text`` (short) reads as a date."""
    text = clean_line(text)
    return 4 < len(text) < 80 and parse_date(text, now=now) is not None


def text_of(node: _Element) -> str:
    """The element's text, on one line."""
    return clean_line(" ".join(node.itertext()))


def html_text(html: str) -> str:
    """An HTML fragment's text, on one line."""
    return clean_line(" ".join(Selector(text=html or "<p></p>").css("::text").getall()))
