"""Builders: a pattern match -> its datetime (None, or ValueError, when it is not a date).

Each builder reads the groups of one shape and the text around the match (cue words
before it, lunar markers after it); :data:`DIGIT_SHAPES` picks the shape that may start at a
run of digits, :func:`build` runs its builder and :func:`is_anchored` tells whether the
date it gives depends on "now" (a year-less or relative form).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from crawler.dates import patterns as P
from crawler.dates.clock import (
    INT,
    Clock,
    apply_ampm,
    clock_of,
    clock_parts,
    make,
    offset,
    year_for,
)
from crawler.dates.patterns import CUE_WINDOW
from crawler.dates.vocabulary import (
    EN_MONTHS,
    MONTH_BY_KEY,
    NUMBER_WORDS,
    RELATIVE_DAYS,
    RELATIVE_UNITS,
    RELDAY_BY_KEY,
)
from crawler.dates.window import TZ

Builder = Callable[[re.Match[str], str, datetime], "datetime | None"]

PAD = " \t\r\n\u00a0\u2007\u202f()[]{}.,;:-–—|/\"'"  # what may surround a bare date

# --------------------------------------------------------------------------------------------
# Context around a match
# --------------------------------------------------------------------------------------------


def bare(s: str, m: re.Match[str]) -> bool:
    """True if the match is the whole text (apart from a little punctuation)."""
    start, end = m.span()
    if start > 8 or len(s) - end > 8:  # bounded: scanning a long text stays linear
        return False
    return not s[:start].strip(PAD) and not s[end:].strip(PAD)


def headline_head(s: str, m: re.Match[str], sep: str) -> bool:
    """True if the match is a day-month opening a headline ("25/6: Khai mạc", "(20/11) Lễ");
    never with a dash, which is also how scores are written ("2-1: Việt Nam thắng")."""
    start = m.start()
    if sep == "-" or start > 1 or (start and s[0] not in "(["):
        return False
    return P.HEADLINE_TAIL_RE.match(s, m.end()) is not None


def draw_word_before(s: str, start: int) -> bool:
    """True if a draw or score word comes shortly before *start* ("Giải đặc biệt: ",
    "Tỷ số "): dashed numbers after it are drawn numbers or a score unless a cue word
    ("ngày") comes right before them."""
    return start >= 2 and P.DRAW_WORD_RE.search(s, max(0, start - CUE_WINDOW), start) is not None


def cue_before(s: str, start: int) -> str | None:
    """Cue words right before position *start* ("Sáng ", "Thứ ba, ngày ")."""
    if start < 2:
        return None
    tail = P.CUE_TAIL_RE.search(s, max(0, start - CUE_WINDOW), start)
    return tail.group() if tail else None


def period_of(cue: str | None) -> str | None:
    """The time-of-day word ("sáng", "chiều") in cue words, if any."""
    if cue:
        p = P.PERIOD_IN_RE.search(cue)
        if p:
            return p.group()
    return None


def at_clock(
    m: re.Match[str], s: str, y: int, mo: int, d: int, text: str, cue: str | None
) -> datetime:
    """y-mo-d at the clock time *text* of match *m*; without AM/PM, a time-of-day cue
    ("Chiều ...") decides (ValueError if impossible)."""
    h, mi, sec, us, off, ap = clock_parts(text)
    if ap:
        h = apply_ampm(h, ap)
    elif h <= 12:
        start = m.start()
        if cue or (start > 1 and P.PERIOD_IN_RE.search(s, max(0, start - CUE_WINDOW), start)):
            period = period_of(cue if cue else cue_before(s, start))
            if period:
                h = apply_ampm(h, period)
    if off is None:
        return datetime(y, mo, d, h, mi, sec, us, TZ)
    return make(y, mo, d, (h, mi, sec, us, off))


# --------------------------------------------------------------------------------------------
# One builder per shape
# --------------------------------------------------------------------------------------------


def from_iso(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    """ISO 8601, a y/m/d path, NukeViet's broken meta ("2024-06-25+0714:30:00")."""
    y, mo, d, nh, oz, it = m.group("iyear", "imon", "iday", "nH", "oz", "iT")
    clock: Clock | None
    if nh:
        nm, ns = m.group("nM", "nS")
        clock = (INT[nh], INT[nm], INT[ns] if ns else 0, 0, offset(m.group("nz")))
    elif oz:
        clock = (0, 0, 0, 0, offset(oz))
    elif it is not None:
        clock = clock_of(it)
    else:
        return datetime(INT[y], INT[mo], INT[d], 0, 0, 0, 0, TZ)
    return make(INT[y], INT[mo], INT[d], clock)


def from_main(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    """A clock time, then a numeric or long date ("14:30 - 25/06/2024")."""
    ld, ah, cue = m.group("ld", "aT", "cue")
    if ld is not None:
        return from_long(m, s, now, ah, cue)
    return num_date(m, s, now, ah, cue)


def num_date(
    m: re.Match[str], s: str, now: datetime, ah: str | None = None, cue: str | None = None
) -> datetime | None:
    """Day-first numeric date "25/6/2024", "25.06.24", "12/1" (year-less needs support),
    perhaps followed by a clock time; *ah* and *cue* are the clock time and cue words
    before it (CLOCK_FIRST_RE)."""
    if ah is None:
        ds, d2, sep, ms, ys, bh = m.groups()
    else:
        ds, d2, sep, ms, ys, bh = m.group("d", "d2", "sep", "m", "y", "bT")
    end = m.end()
    if end < len(s) and P.LUNAR_AFTER_RE.match(s, end):
        return None
    d, mo = INT[ds], INT[ms]
    if d2 is not None and INT[d2] <= d:
        return None
    before: str | None = None  # the cue words before the match, once looked up
    looked = False
    if sep != "/":
        start = m.start()
        if sep == "." and P.VERSION_BEFORE_RE.search(s, max(0, start - 12), start):
            return None
        if sep == "-" and (ys is None or len(ys) == 2) and not cue and draw_word_before(s, start):
            before, looked = cue_before(s, start), True
            if before is None:
                return None  # drawn numbers or a score: "Giải đặc biệt: 12-05-23"
    if ys is None:
        start = m.start()
        if not (
            cue
            or bh is not None
            or (ah and "," not in m.group("conn"))  # "14h30 12/1", not "8:30, 2/3"
            or bare(s, m)
            or (before if looked else cue_before(s, start))
            or headline_head(s, m, sep)
        ):
            return None
        y = year_for(d, mo, now)
    else:
        y = INT[ys] if ys in INT else int(ys)
        if len(ys) == 2:
            y += 2000 if y < 70 else 1900
        if mo > 12 and d <= 12:  # month/day/year, only when day-first is impossible
            d, mo = mo, d
    clock = ah or bh
    if clock is None:
        return datetime(y, mo, d, 0, 0, 0, 0, TZ)
    return at_clock(m, s, y, mo, d, clock, cue)


def from_bare_num(m: re.Match[str]) -> datetime:
    """The date of a whole text "25/06/2024 14:30" (BARE_NUM_RE), read as num_date reads it
    (ValueError if impossible)."""
    ds, _sep, ms, ys, hs, mis, ss = m.groups()
    d, mo = INT[ds], INT[ms]
    if mo > 12 and d <= 12:  # month/day/year, only when day-first is impossible
        d, mo = mo, d
    y = INT[ys] if ys in INT else int(ys)
    if hs is None:
        return datetime(y, mo, d, 0, 0, 0, 0, TZ)
    return datetime(y, mo, d, INT[hs], INT[mis], INT[ss] if ss else 0, 0, TZ)


def from_long(
    m: re.Match[str], s: str, now: datetime, ah: str | None = None, cue: str | None = None
) -> datetime | None:
    """ "25 tháng 6 năm 2024", "25 Tháng Sáu", "25 thg 6" (year-less needs support); *ah* and
    *cue* are the clock time and cue words before it (CLOCK_FIRST_RE)."""
    end = m.end()
    if end < len(s) and P.LUNAR_AFTER_RE.match(s, end):
        return None
    ld, lm, mn, ys, ys2, ch = m.group("ld", "lm", "mn", "ly", "ly2", "cT")
    d = INT[ld]
    ys = ys or ys2
    if mn is not None:
        if mn not in MONTH_BY_KEY:  # "mười  một"
            mn = "".join(mn.split())
        mo = MONTH_BY_KEY[mn]
        # "6 tháng năm 2024" is "six months of 2024", not 6 May: the month name "năm" needs
        # a comma or a second "năm" before the year ("25 tháng Năm, 2024").
        if mn == "năm":
            if ys is None and not bare(s, m):
                return None
            ysep = m.group("ysep") or ""
            if ys is not None and "," not in ysep and "n" not in ysep:
                return None
    else:
        mo = INT[lm]
    if ys is None:
        start = m.start()
        if P.MUNG_TAIL_RE.search(s, max(0, start - 8), start):
            return None  # "mùng 10 tháng 3": a lunar day
        if P.YEAR_AFTER_RE.match(s, m.end()):
            return None  # "25 tháng 6 2024 tại ...": a year we could not attach
        if not (cue or ah or bare(s, m) or cue_before(s, start)):
            return None
        y = year_for(d, mo, now)
    else:
        y = INT[ys] if ys in INT else int(ys)
    clock = ah or ch
    if clock is None:
        return datetime(y, mo, d, 0, 0, 0, 0, TZ)
    return at_clock(m, s, y, mo, d, clock, cue)


def from_month_first(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    """ "Tháng Sáu 25, 2024", "tháng 6 25, 2024 2:30 chiều" (WordPress's "F j, Y")."""
    fm, mn, d, y, ft = m.group("fm", "fmn", "fd", "fy", "fT")
    mo = INT[fm] if fm is not None else MONTH_BY_KEY["".join(mn.split())]
    return make(INT[y], mo, INT[d], clock_of(ft))


def from_en(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    """ "25 Jun 2024", "Tue, 25 Jun 2024 07:30:00 GMT", "June 25, 2024"."""
    d, mn, y, et = m.group("ed", "emn", "ey", "eT")
    return make(INT[y] if y in INT else int(y), EN_MONTHS[mn[:3]], INT[d], clock_of(et))


# The relative units and days as timedeltas, built once (the constructor is slow).
UNIT_STEPS = {
    unit: (months, timedelta(0, seconds)) for unit, (months, seconds) in RELATIVE_UNITS.items()
}
DAYS_BACK = {
    word: timedelta(days) for word, days in (*RELATIVE_DAYS.items(), *RELDAY_BY_KEY.items())
}


def from_ago(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    """ "5 phút trước", "cách đây 2 giờ", "một giờ trước", "2 hours ago"."""
    raw, unit, ago = m.group("n", "u", "ago")
    if not ago:
        start = m.start()
        if not (raw.isdigit() and P.CACH_DAY_TAIL_RE.search(s, max(0, start - 12), start)):
            return None
    n = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
    if now.microsecond:
        now = now.replace(microsecond=0)
    months, step = UNIT_STEPS[unit]
    if not months:
        return now - n * step
    y, mo = divmod(now.year * 12 + now.month - 1 - n * months, 12)
    for d in (now.day, 30, 29, 28):
        try:
            return now.replace(y, mo + 1, d)
        except ValueError:
            continue
    return None


def from_relday(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    """ "hôm qua", "14:30 hôm qua", "hôm nay lúc 14:30"."""
    word = m.group("rd")
    back = DAYS_BACK.get(word)
    if back is None:  # "hômnay", "hôm  qua"
        back = DAYS_BACK["".join(word.split())]
    day = now.date() - back
    text = m.group("sT") if m.re is P.WORD_RE else m.group("aT")
    return make(day.year, day.month, day.day, clock_of(text))


def from_now(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    """ "vừa xong", "just now"."""
    return now.replace(microsecond=0) if now.microsecond else now


# Builders by the name of the match's last group.
BUILDERS: dict[str | None, Builder] = {
    "main": from_main,
    "long": from_long,
    "en": from_en,
    "count": from_ago,
    "relday": from_relday,
    "now": from_now,
    "mf": from_month_first,
}
NOT_A_DATE = (ValueError, OverflowError, KeyError)  # what a builder raises on a non-date


def build(m: re.Match[str], s: str, now: datetime, builder: Builder) -> datetime | None:
    """The datetime *builder* reads from match *m* in *s* (year-less and relative forms
    read from *now*), None when it is not a date."""
    try:
        return builder(m, s, now)
    except NOT_A_DATE:
        return None


def is_anchored(m: re.Match[str]) -> bool:
    """True when the date of match *m* depends on "now": a year-less or relative form."""
    if m.re is P.NUM_RE:
        return m.group("y") is None
    if m.re is P.ISO_RE:
        return False
    kind = m.lastgroup
    if kind in ("main", "long"):
        if m.group("ld") is not None:
            return m.group("ly") is None and m.group("ly2") is None
        return m.group("y") is None
    return kind not in ("en", "mf")


# The shape tried at a run of digits and its builder (None: the one named by the match's
# last group), by what follows the run (RUN_RE's m.lastindex: 1 nothing, 2 a date separator,
# 3 a clock mark, 4 a letter) and how many digits it has (1 to 4; 5 for more).
Shape = tuple["re.Pattern[str] | None", "Builder | None"]
_NONE: Shape = (None, None)
_CLOCK_FIRST: Shape = (P.CLOCK_FIRST_RE, None)
_WORD_NEXT: Shape = (P.WORD_NEXT_RE, None)
_NUM: Shape = (P.NUM_RE, num_date)
DIGIT_SHAPES: tuple[tuple[Shape, ...], ...] = (
    (),
    (_NONE,) * 6,
    (_NONE, _NUM, _NUM, _NONE, (P.ISO_RE, from_iso), _NONE),
    (_CLOCK_FIRST,) * 6,
    (_NONE, _WORD_NEXT, _WORD_NEXT, _CLOCK_FIRST, _CLOCK_FIRST, _CLOCK_FIRST),
)
