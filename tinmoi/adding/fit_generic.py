"""Fitting a portal on no known platform (``generic``): trafilatura finds its body and
title, so only what it cannot know is derived from the sample articles.

* its date, when neither the page's own date texts nor the listing give a time of day:
  the element (the deepest) whose text reads as a date with a time, on every sample, at
  the same selector (a "Cập nhật lúc: 14:13:52 - 26/07/2025" line after the body);
* its author, when trafilatura finds none: the element a theme names for the author (or
  the source), on the samples that print one;
* chrome: those elements, when they sit inside the text trafilatura keeps (the date line
  and byline would otherwise be read as the article's last paragraphs).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lxml.etree import _Element

from crawler.platforms.base import PortalSpider
from tinmoi.adding.fetch import Fetched
from tinmoi.adding.fit_article import author_of
from tinmoi.adding.markup import TEXT, TIME_RE, css_of, html_text, is_date, text_of, tree
from tinmoi.adding.probe import fields_of


def _has_time(text: str, now: datetime | None) -> bool:
    return is_date(text, now) and bool(TIME_RE.search(text))


def _timed_date(root: _Element, now: datetime | None) -> str | None:
    """The deepest element whose text reads as a date with a time of day, as a selector."""
    for node in root.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style", "title", "head"):
            continue
        if not _has_time(text_of(node), now):
            continue
        deepest = node
        while inner := [
            c for c in deepest if isinstance(c.tag, str) and _has_time(text_of(c), now)
        ]:
            deepest = inner[0]
        return css_of(deepest, root)
    return None


def _page_has_time(dates: list[tuple[str | datetime, str]], now: datetime | None) -> bool:
    for value, _source in dates:
        if isinstance(value, datetime):
            if (value.hour, value.minute, value.second) != (0, 0, 0):
                return True
        elif _has_time(value, now):
            return True
    return False


def _same(found: list[str | None]) -> str | None:
    """The selector every sample gave, else None."""
    return found[0] if found and found[0] and all(f == found[0] for f in found) else None


def fit_generic(
    spider: PortalSpider, samples: list[tuple[Fetched, Any]], now: datetime | None
) -> dict[str, Any]:
    """The selectors a generic portal needs beyond trafilatura's reading (see the module)."""
    read = []
    for page, entry in samples:
        fields = fields_of(spider, page, entry)
        if fields is not None:
            read.append((page, entry, fields, tree(page)))
    if not read:
        return {}
    found: dict[str, Any] = {}
    untimed = [
        root
        for _page, entry, fields, root in read
        if not _page_has_time(fields.dates, now)
        and not (entry.date_text and _has_time(entry.date_text, now))
    ]
    if len(untimed) == len(read):
        date = _same([_timed_date(root, now) for root in untimed])
        first = untimed[0].cssselect(date) if date else []
        if date and first and is_date(text_of(first[0]), now):  # a shared selector's first
            found["date_selector"] = date
    if not any(fields.author for _page, _entry, fields, _root in read):
        # a byline is the article's, not the theme's: samples without one do not count
        author = _same([a for *_rest, root in read if (a := author_of(root))])
        if author:
            found["author_selector"] = author.removesuffix(TEXT)
    chrome = []
    for selector in found.values():
        for _page, _entry, fields, root in read:
            texts = [text_of(node) for node in root.cssselect(selector)]
            if texts:
                body = html_text(fields.body)
                if all(text and text in body for text in texts):
                    chrome.append(selector)
                break
    result: dict[str, Any] = {key: f"{value}{TEXT}" for key, value in found.items()}
    if chrome:
        result["chrome_selectors"] = chrome
    return result
