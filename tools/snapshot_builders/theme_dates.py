"""How theme variants print an article's date, and the date a crawl must read from it.

Each format names a way Vietnamese portals print dates; :data:`FORMATS` gives the text
and whether it carries the time of day. The date a backfill must archive is the best of
what the variant prints: the head's machine date, else the page's date line, else the
listing's (a feed's machine date gives its time to a page date that is only a day).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")


def _weekday(d: datetime, s: int) -> str:
    return f"{WEEKDAYS[d.weekday()]} - {d:%d/%m/%Y %H:%M}"


#: Format name -> (text of a date, precision: "second", "minute" or "day").
FORMATS = {
    "weekday": (_weekday, "minute"),
    "capnhat": (lambda d, s: f"Cập nhật lúc: {d:%H:%M}:{s:02d} - {d:%d/%m/%Y}", "second"),
    "chieu": (lambda d, s: f"Chiều {d.day}/{d.month}/{d.year}", "day"),
    "hm_dmy": (lambda d, s: f"{d:%H:%M %d/%m/%Y}", "minute"),
    "dmy_hm": (lambda d, s: f"{d:%d/%m/%Y %H:%M}", "minute"),
    "dmy": (lambda d, s: f"{d:%d/%m/%Y}", "day"),
    "paren": (lambda d, s: f"({d:%d/%m/%Y})", "day"),
    "ngay": (lambda d, s: f"Ngày đăng: {d:%d/%m/%Y}", "day"),
    "iso": (lambda d, s: f"{d:%Y-%m-%dT%H:%M:00+07:00}", "minute"),
    "rss": (lambda d, s: f"{d:%a, %d %b %Y %H:%M:00} +0700", "minute"),
}


def printed(fmt: str | None, art: dict[str, Any]) -> str:
    """The date of ``art`` as format ``fmt`` prints it ("" for none)."""
    if not fmt:
        return ""
    return FORMATS[fmt][0](art["when"], art["sec"])


def _value(fmt: str, art: dict[str, Any]) -> str:
    when, precision = art["when"], FORMATS[fmt][1]
    if precision == "day":
        return f"{when:%Y-%m-%d}T00:00:00+07:00"
    seconds = art["sec"] if precision == "second" else 0
    return f"{when:%Y-%m-%dT%H:%M}:{seconds:02d}+07:00"


def expected_date(v: dict[str, Any], art: dict[str, Any]) -> str | None:
    """The publication date (ISO 8601, ``+07:00``) a crawl must archive for ``art``."""
    if v.get("meta_date"):
        return _value("iso", art)
    page, listing = v.get("page_date"), v.get("listing_date")
    feed = v["platform"] in ("feed", "sitemap")
    if page and feed and listing and FORMATS[page][1] == "day":
        return _value(listing, art)
    for fmt in (page, listing):
        if fmt:
            return _value(fmt, art)
    return None
