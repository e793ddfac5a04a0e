"""Numbers, clock times and UTC offsets as the patterns capture them, and the datetime they
make (always aware, in TZ)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from crawler.dates import patterns as P
from crawler.dates.vocabulary import AMPM
from crawler.dates.window import TZ

TZ_OFFSET = 7 * 3600  # seconds east of UTC
# Numbers of one or two digits (days, months, hours, minutes), and the years of the window
# and around: a dict lookup is much cheaper than int() in the hot path.
INT = {
    **{str(i): i for i in range(10)},
    **{f"{i:02d}": i for i in range(100)},
    **{str(y): y for y in range(1900, 2100)},
}


def zone_table() -> dict[str, int]:
    """UTC offsets as written after a clock ("+07:00", "+0700", "+07", "+7", "z") -> seconds
    east of UTC: whole hours, halves and three quarters (offset computes the others)."""
    table = {"z": 0, "utc": 0, "gmt": 0, "ict": 7 * 3600}
    for h in range(15):
        for m in (0, 30, 45):
            for sign, factor in (("+", 1), ("-", -1)):
                seconds = factor * (h * 3600 + m * 60)
                table[f"{sign}{h:02d}:{m:02d}"] = table[f"{sign}{h:02d}{m:02d}"] = seconds
                if not m:
                    table[f"{sign}{h:02d}"] = table[f"{sign}{h}"] = seconds
    return table


ZONES = zone_table()

# The shift of the wall clock from each offset of the table to TZ's.
SHIFTS = {seconds: timedelta(0, TZ_OFFSET - seconds) for seconds in set(ZONES.values())}

Clock = tuple[int, int, int, int, "int | None"]  # h, min, s, µs, UTC offset in seconds


def offset(raw: str) -> int:
    """``+7``, ``+07:00``, ``+0700``, ``z`` -> seconds east of UTC; ValueError if absurd."""
    seconds = ZONES.get(raw)
    if seconds is not None:
        return seconds
    raw = raw.replace(" ", "").replace(":", "")
    if raw == "z":
        return 0
    digits = raw[1:]
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    else:
        hours, minutes = int(digits[:-2]), int(digits[-2:])
    if hours > 14 or minutes > 59:
        raise ValueError(raw)
    seconds = hours * 3600 + minutes * 60
    return -seconds if raw[0] == "-" else seconds


def apply_ampm(h: int, word: str | None) -> int:
    """Apply an AM/PM or time-of-day word to an hour."""
    if word is None:
        return h
    kind = AMPM.get(word)
    if kind == "am":
        return 0 if h == 12 else h
    if kind in ("pm", "evening"):
        return h + 12 if h < 12 else h
    if kind == "noon":
        return h + 12 if h < 6 else h
    if kind == "night":
        if h == 12:
            return 0
        return h + 12 if 6 <= h < 12 else h
    return h


def clock_parts(text: str) -> tuple[int, int, int, int, int | None, str | None]:
    """(hour, minute, second, microsecond, UTC offset or None, AM/PM word) of a clock text."""
    # The common cases without a regex: "14:30", "9:05", "14:30:00+07:00", "07:30:00z",
    # "14h30", "14h", "14g30".
    n = len(text)
    if n == 5 and text[2] == ":":
        return (INT[text[:2]], INT[text[3:]], 0, 0, None, None)
    if n == 4 and text[1] == ":":
        return (INT[text[0]], INT[text[2:]], 0, 0, None, None)
    if n >= 8 and text[5] == ":" and text[2] == ":":
        off = None if n == 8 else ZONES.get(text[8:])
        if n == 8 or off is not None:
            return (INT[text[:2]], INT[text[3:5]], INT[text[6:8]], 0, off, None)
    if n == 7 and text[4] == ":" and text[1] == ":":
        return (INT[text[0]], INT[text[2:4]], INT[text[5:]], 0, None, None)
    if n <= 5:
        hour, mark, minute = text.partition("h" if "h" in text else "g")
        if mark and hour.isdigit() and (minute.isdigit() or not minute):
            return (int(hour), int(minute) if minute else 0, 0, 0, None, None)
    head, space, ap = text.partition(" ")
    if space and ap in AMPM:  # "02:30 pm", "9:15 sa", "2:30 p.m."
        h, mi, sec, us, off, _ = clock_parts(head)
        return (h, mi, sec, us, off, ap)
    match = P.CLOCK_RE.match(text)
    if match is None:  # never for a time the date patterns captured
        raise ValueError(text)
    hs, ms, ss, frac, ms2, ap, gmt, raw, z = match.groups()
    off = None
    if raw or z:
        off = offset(raw or z)
    elif gmt:
        off = 0
    ms = ms or ms2
    return (
        INT[hs],
        INT[ms] if ms else 0,
        INT[ss] if ss else 0,
        int(frac[:6].ljust(6, "0")) if frac else 0,
        off,
        ap,
    )


def clock_of(text: str | None) -> Clock | None:
    """Clock of a captured time text (None stays None)."""
    if text is None:
        return None
    h, mi, sec, us, off, ap = clock_parts(text)
    return (apply_ampm(h, ap) if ap else h, mi, sec, us, off)


def make(y: int, mo: int, d: int, clock: Clock | None) -> datetime:
    """Build the aware datetime (ValueError if impossible)."""
    # Positional arguments: the keyword form of the constructor is three times slower.
    if clock is None:
        return datetime(y, mo, d, 0, 0, 0, 0, TZ)
    h, mi, sec, us, off = clock
    if off is None:
        return datetime(y, mo, d, h, mi, sec, us, TZ)
    # Another UTC offset: shift the wall clock.  Viet Nam has kept UTC+7 since 1975, and
    # older dates are rejected anyway, so this equals astimezone(TZ) and is much cheaper.
    dt = datetime(y, mo, d, h, mi, sec, us, TZ)
    if off == TZ_OFFSET:
        return dt
    shift = SHIFTS.get(off)
    return dt + (timedelta(0, TZ_OFFSET - off) if shift is None else shift)


def year_for(d: int, mo: int, now: datetime) -> int:
    """Most recent year in which day/month is not after the day of *now*."""
    if 0 < d <= 28 and 0 < mo <= 12:  # a day of every year
        return now.year if (mo, d) <= (now.month, now.day) else now.year - 1
    today = now.date()
    for y in range(now.year, now.year - 9, -1):
        try:
            if date(y, mo, d) <= today:
                return y
        except ValueError:
            continue
    raise ValueError("no such day")
