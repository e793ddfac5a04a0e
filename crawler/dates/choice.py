"""The choice among an article's date candidates: each read once, with where it came from
and whether it depended on the anchor."""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple
from urllib.parse import urlsplit

from crawler.dates.parse import find_date
from crawler.dates.window import TZ

_URL_DATE_RE = re.compile(r"/(20\d\d|199\d)[/-](\d{1,2})[/-](\d{1,2})(?:/|$)")


class ChosenDate(NamedTuple):
    """An article's date, where it came from, and whether it depended on the anchor."""

    value: datetime | None
    source: str | None
    relative: bool


def dated(text: str, anchor: datetime, *, at_start: bool = False) -> ChosenDate | None:
    """The date in ``text`` anchored at ``anchor`` (``at_start``: only one opening the
    text), relative when it is a year-less or relative form; None when it holds none.

    An absolute date after the anchor (which the parser refuses) is returned as it is,
    so the date pipeline refuses it with a stat rather than it going silently missing.
    """
    found = find_date(text, now=anchor, at_start=at_start)
    if found is None:
        return None
    return ChosenDate(found.value, None, relative=found.anchored)


def url_date(url: str) -> datetime | None:
    """A date in the URL path (``/2024-4-25/``, ``/2024/06/25/``), or None."""
    match = _URL_DATE_RE.search(urlsplit(url).path)
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, tzinfo=TZ)
    except ValueError:
        return None
