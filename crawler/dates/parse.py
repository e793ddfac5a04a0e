"""Finding the date in a text: the scan over its candidates, and dateparser as last resort.

The scan walks the runs of digits left to right and tries, at each, the one small pattern
that what follows the digits calls for (a date separator, a clock mark, a word); shapes
that start with a word ("hôm qua", "June 25, 2024") are scanned only when a key word is
present.  The first *plausible* candidate (see :mod:`.window`) wins.  ``dateparser`` is
imported lazily and consulted only for short texts that look date-like (a digit next to a
month word) but matched none of the shapes; its answer is window-checked too.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any, NamedTuple

from crawler.dates import patterns as P
from crawler.dates.builders import (
    BUILDERS,
    DIGIT_SHAPES,
    NOT_A_DATE,
    build,
    from_bare_num,
    is_anchored,
)
from crawler.dates.window import EARLIEST, FAR_FUTURE, TZ, anchor, latest


class FoundDate(NamedTuple):
    """A date found in a text, whether it depends on "now", and whether it lies after the
    plausibility window (an absolute date, reported so that it can be refused openly)."""

    value: datetime
    anchored: bool
    future: bool = False


# (plausible date, its match or None from dateparser, first absolute date after the window,
# whether dateparser gave the date)
Scan = tuple["datetime | None", "re.Match[str] | None", "datetime | None", bool]
NOTHING: Scan = (None, None, None, False)

#: How far "now" is moved to learn whether dateparser's answer depended on it.
PROBE = FAR_FUTURE


def prepare(text: str) -> str:
    """NFC, invisible characters removed, lower case."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if not text.isprintable() and P.INVISIBLE_RE.search(text):
            text = P.INVISIBLE_RE.sub("", text)
    return text.lower()


def scan(s: str, now: datetime) -> Scan:
    """The first plausible date in prepared text *s* (see the module's docstring)."""
    run = P.RUN_RE.search(s)
    if run is None:  # no digit: only the word shapes, and nothing for dateparser either
        if len(s) > 2 and P.WORD_GATE_RE.search(s):
            dt, m, _seen, late, _at = word_date(s, now, len(s))
            return dt, m, late, False
        return NOTHING
    size = len(s)
    best: datetime | None = None
    best_m: re.Match[str] | None = None
    best_start = late_start = size
    seen = False
    early_end = -1
    late = None
    while True:
        start, end = run.span(1)
        n = end - start
        pattern, builder = DIGIT_SHAPES[run.lastindex or 1][n if n < 5 else 5]
        m = None if pattern is None else pattern.match(s, start)
        if m is not None:
            # Digits inside a candidate are not tried again: with less context they could
            # only be rejected too.
            if builder is None:
                builder = BUILDERS[m.lastgroup]
            end = m.end()
            seen = True
            try:
                dt = builder(m, s, now)
            except NOT_A_DATE:
                dt = None
            if dt is not None:
                if dt < EARLIEST:
                    early_end = end
                elif early_end < 0 or not P.RANGE_DASH_RE.fullmatch(s, early_end, start):
                    # not "(19/8/1945 - 19/8/2023)", an anniversary range
                    if dt <= now or dt <= latest(now):  # latest() only for the few after now
                        if start <= 2:  # nothing before it for the word shapes
                            return dt, m, late, False
                        best, best_m, best_start = dt, m, start
                        break
                    if late is None:
                        late, late_start = dt, start
        if end >= size:
            break
        run = P.NEXT_RUN_RE.search(s, end)
        if run is None:
            break
    gated = best_start > 2 and P.WORD_GATE_RE.search(s, 0, best_start)
    if gated and best is not None and P.TODAY_WORD_RE.search(s, 0, best_start):
        gated = None  # "Hôm nay: Thứ hai, 31/07/2025": the date it names is the date
    if gated:
        dt, m, word_seen, word_late, at = word_date(s, now, best_start)
        if dt is not None:
            return dt, m, None, False
        seen = seen or word_seen
        if word_late is not None and at < late_start:
            late = word_late
    if best is not None or seen:
        return best, best_m, late, False
    # Here the gate has looked at the whole text (if longer than 2): without any of its key
    # words there is no month name either, and FALLBACK_WORD_RE can only find "th".
    if (
        len(s) <= 60
        and "âm lịch" not in s
        and (P.FALLBACK_WORD_RE.search(s) if gated else "th" in s)
        and (P.FALLBACK_HINT_RES[0].search(s) or P.FALLBACK_HINT_RES[1].search(s))
    ):
        dt = fallback(s, now)
        if dt is not None and dt >= EARLIEST:
            if dt <= latest(now):
                return dt, None, None, True
            return None, None, dt, True
    return NOTHING


def word_date(
    s: str, now: datetime, end: int
) -> tuple[datetime | None, re.Match[str] | None, bool, datetime | None, int]:
    """The first plausible date of a shape that starts with a word ("hôm qua", "vừa xong")
    before *end*, its match, whether a candidate was seen, and the first absolute one after
    the window with its position."""
    seen = False
    late: datetime | None = None
    at = end
    for m in P.WORD_RE.finditer(s):
        if m.start() >= end:
            break
        seen = True
        dt = build(m, s, now, BUILDERS[m.lastgroup])
        if dt is not None and dt >= EARLIEST:
            if dt <= now or dt <= latest(now):
                return dt, m, True, None, end
            if late is None:
                late, at = dt, m.start()
    return None, None, seen, late, at


def scan_start(s: str, now: datetime) -> Scan:
    """The date that opens prepared text *s*, after a dateline or label if any."""
    if P.RUN_RE.search(s) is None and P.WORD_GATE_RE.search(s) is None:
        return NOTHING
    last = latest(now)
    late: datetime | None = None
    pos = P.LEAD_RE.match(s).end()  # type: ignore[union-attr]  # always matches
    positions = [pos]
    line = P.DATELINE_RE.match(s, pos)
    if line is not None:
        positions.append(line.end())
    for pos in positions:
        m = P.WORD_RE.match(s, pos)
        builder = None
        if m is None:
            cue = P.CUE_CHAIN_RE.match(s, pos)
            run = P.RUN_RE.match(s, cue.end() if cue else pos)
            if run is not None:
                start, end = run.span(1)
                pattern, builder = DIGIT_SHAPES[run.lastindex or 1][min(end - start, 5)]
                m = None if pattern is None else pattern.match(s, start)
        if m is not None:
            dt = build(m, s, now, builder or BUILDERS[m.lastgroup])
            if dt is not None and dt >= EARLIEST:
                if dt <= last:
                    return dt, m, late, False
                if late is None:
                    late = dt
    return None, None, late, False


_dateparser: Any = None


def fallback(s: str, now: datetime) -> datetime | None:
    """dateparser's reading of *s* (day, month and year required), or None."""
    global _dateparser
    if _dateparser is None:
        import dateparser

        _dateparser = dateparser
    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": "Asia/Ho_Chi_Minh",
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    try:
        dt = _dateparser.parse(s, languages=["vi", "en"], settings=settings)
    except Exception:  # a parser bug must never break a crawl
        return None
    if dt is None:
        return None
    return dt.replace(tzinfo=TZ) if dt.tzinfo is None else dt.astimezone(TZ)


def parse_date(text: str, *, now: datetime | None = None) -> datetime | None:
    """Return the first plausible date found in *text*, or None.

    *text* may be a bare value, a labelled one ("Ngày đăng: 25/06/2024 14:30") or free text
    (the first date between 1995-01-01 and *now* + 1 day wins).  *now* (aware; default: the
    current time) anchors relative forms and year-less dates.  The result is aware, in
    Asia/Ho_Chi_Minh; a date without a time is 00:00 local.
    """
    if not text:
        return None
    if now is None or now.tzinfo is not TZ:
        now = anchor(now)
    # prepare(), without the call for the plain ASCII text it only lowers
    s = text.lower() if text.isascii() else prepare(text)
    if len(s) <= 19 and s[-1:].isdigit() and s[:1].isdigit():
        bare = P.BARE_NUM_RE.fullmatch(s)
        if bare is not None:  # the commonest text, read without the scan
            try:
                dt = from_bare_num(bare)
            except ValueError:
                return None
            return dt if dt >= EARLIEST and (dt <= now or dt <= latest(now)) else None
    return scan(s, now)[0]


def parse_date_at_start(text: str, *, now: datetime | None = None) -> datetime | None:
    """Return the date that opens *text* (a lead sentence), or None.

    Accepts an optional dateline or label before it ("(Hà Nam) - Sáng 12/1, ...",
    "Hà Nam, ngày 25/6/2024 ...") and time-of-day words, weekdays and "ngày" in front of the
    date; a date later in the text (a cited decree, an anniversary) is not returned.
    """
    if not text:
        return None
    return scan_start(prepare(text), anchor(now))[0]


def find_date(
    text: str, *, now: datetime | None = None, at_start: bool = False
) -> FoundDate | None:
    """The date :func:`parse_date` (or with *at_start* :func:`parse_date_at_start`) returns,
    with whether it was anchored to *now*; failing that, the first absolute date of the text
    that lies after the window, marked ``future``; else None."""
    if not text:
        return None
    s, now = prepare(text), anchor(now)
    dt, m, late, by_dateparser = (scan_start if at_start else scan)(s, now)
    if by_dateparser:
        # dateparser reads some relative forms ("12 thg") despite REQUIRE_PARTS, and says
        # nothing of it: asked with another "now", its answer changes if it was anchored.
        moved = fallback(s, now + PROBE) != (dt or late)
        if dt is not None:
            return FoundDate(dt, anchored=moved)
        if moved:
            return None
    elif dt is not None:
        return FoundDate(dt, m is not None and is_anchored(m))
    if late is not None and late <= latest(now) + FAR_FUTURE:
        return FoundDate(late, anchored=False, future=True)
    return None
