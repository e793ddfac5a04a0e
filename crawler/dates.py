"""Publication dates as Vietnamese provincial portals print them.

Built like htmldate: the regular expressions are compiled once, at import, from small named
pieces (day, month, year, separators, clock time, AM/PM, zone suffix) and from Vietnamese
vocabulary kept in plain tables (weekdays, month names, time-of-day words, relative units,
labels).  The fast path is one combined pattern scanned left to right; the first *plausible*
candidate (between ``EARLIEST`` and ``now`` + 1 day) wins.  ``dateparser`` is imported lazily
and consulted only as the very last resort, for short texts that look date-like (a digit next
to a month word) but matched none of the fast-path shapes; its answer is window-checked too.

Every returned datetime is aware, in Asia/Ho_Chi_Minh (UTC+7).  A date without a time is
00:00 local time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "EARLIEST",
    "TZ",
    "parse_date",
    "parse_date_at_start",
]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
"""Time zone of every returned datetime."""

EARLIEST = datetime(1995, 1, 1, tzinfo=TZ)
"""Earliest plausible publication date; older dates in a text are citations/anniversaries."""

LATEST_SLACK = timedelta(days=1)
"""How far after ``now`` a date may lie and still be returned."""

# --------------------------------------------------------------------------------------------
# Vocabulary (lower case, NFC).  Unaccented spellings occur in slugs and legacy pages.
# --------------------------------------------------------------------------------------------

WEEKDAYS: dict[str, int] = {
    "thứ hai": 0, "thứ ba": 1, "thứ tư": 2, "thứ năm": 3, "thứ sáu": 4, "thứ bảy": 5,
    "thứ bẩy": 5, "chủ nhật": 6,
    "thứ 2": 0, "thứ 3": 1, "thứ 4": 2, "thứ 5": 3, "thứ 6": 4, "thứ 7": 5,
    "t2": 0, "t3": 1, "t4": 2, "t5": 3, "t6": 4, "t7": 5, "cn": 6,
    "thu hai": 0, "thu ba": 1, "thu tu": 2, "thu nam": 3, "thu sau": 4, "thu bay": 5,
    "chu nhat": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip

MONTH_NAMES: dict[str, int] = {
    "giêng": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6,
    "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12,
    "chạp": 12,
}  # fmt: skip

EN_MONTHS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

# Time-of-day words: before a date they are only a cue; after a clock time they fix AM/PM.
PERIODS: dict[str, str] = {
    "sáng": "morning", "trưa": "noon", "chiều": "evening", "tối": "evening",
    "đêm": "night", "khuya": "night",
}  # fmt: skip

AMPM: dict[str, str] = {
    "sa": "am", "am": "am", "a.m.": "am", "a.m": "am",
    "ch": "pm", "pm": "pm", "p.m.": "pm", "p.m": "pm",
    **PERIODS,
}  # fmt: skip

# Relative units -> (timedelta keyword, or "months"; multiplier).
RELATIVE_UNITS: dict[str, tuple[str, int]] = {
    "giây": ("seconds", 1), "phút": ("minutes", 1), "giờ": ("hours", 1),
    "tiếng": ("hours", 1), "ngày": ("days", 1), "tuần": ("days", 7),
    "tháng": ("months", 1), "năm": ("months", 12),
    "giay": ("seconds", 1), "phut": ("minutes", 1), "gio": ("hours", 1),
    "tieng": ("hours", 1), "ngay": ("days", 1), "tuan": ("days", 7),
    "thang": ("months", 1), "nam": ("months", 12),
    "second": ("seconds", 1), "seconds": ("seconds", 1), "sec": ("seconds", 1),
    "secs": ("seconds", 1), "minute": ("minutes", 1), "minutes": ("minutes", 1),
    "min": ("minutes", 1), "mins": ("minutes", 1), "hour": ("hours", 1),
    "hours": ("hours", 1), "day": ("days", 1), "days": ("days", 1), "week": ("days", 7),
    "weeks": ("days", 7), "month": ("months", 1), "months": ("months", 1),
    "year": ("months", 12), "years": ("months", 12),
}  # fmt: skip

NUMBER_WORDS: dict[str, int] = {
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
    "chín": 9, "mười": 10, "a": 1, "an": 1, "one": 1,
}  # fmt: skip

# Days back from today.
RELATIVE_DAYS: dict[str, int] = {
    "hôm nay": 0, "hôm qua": 1, "hôm kia": 2, "hôm kìa": 3,
    "hom nay": 0, "hom qua": 1, "hom kia": 2,
}  # fmt: skip

JUST_NOW: tuple[str, ...] = ("vừa xong", "vua xong", "just now")

# Words after "N <unit> trước" that make it "N units before <event>", not an age.
NOT_AGO: tuple[str, ...] = (
    "khi", "đó", "lúc", "ngày", "hạn", "kỳ", "kì", "thời", "tết", "lễ", "mắt", "đại", "giờ",
)  # fmt: skip

LABELS: tuple[str, ...] = (
    "ngày đăng", "đăng ngày", "đăng lúc", "ngày cập nhật", "cập nhật lúc", "cập nhật",
    "gửi lúc", "gửi ngày", "ngày gửi", "ngày ban hành", "ban hành", "ngày xuất bản",
    "xuất bản", "thời gian", "ngày", "lúc", "published", "updated", "posted", "date",
)  # fmt: skip

# Lunar markers right after a date, and the heavenly stems that open lunar year names.
LUNAR_MARKERS: tuple[str, ...] = ("âm lịch", "theo âm lịch", "âl", "al")
CAN_STEMS: tuple[str, ...] = (
    "giáp", "ất", "bính", "đinh", "mậu", "kỷ", "kỉ", "canh", "tân", "nhâm", "quý", "quí",
)  # fmt: skip

# --------------------------------------------------------------------------------------------
# Pattern pieces
# --------------------------------------------------------------------------------------------


def _words(words: Iterable[str]) -> str:
    """Alternation of *words* as a prefix trie (one branch per first letter; inner spaces
    match any run of white space, possibly empty)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [
            (r"\s*" if ch == " " else re.escape(ch)) + emit(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:  # a word ends here: the longer words are optional (greedy)
            return "(?:" + body + ")?"
        return body

    return "(?:" + emit(trie) + ")"


WORD_END = r"(?![^\W_])"  # not followed by a letter or digit
LETTER_END = r"(?![^\W\d_])"  # not followed by a letter
# Not glued to a preceding letter/digit, nor to "<digit><sep>" (versions, phones, money).
NB = r"(?<![^\W_])(?<![0-9][/.\-:])"
FILL = r"[\s,;:|\-–—(]*"  # filler after a cue word

DAY = r"(?P<d>[0-9]{1,2})"
MONTH = r"(?P<m>[0-9]{1,2})"
YEAR = r"(?P<y>[0-9]{4}|[0-9]{2})"
SEP = r"\s*(?P<sep>[/.\-])\s*"
SEP_AGAIN = r"\s*(?P=sep)\s*"

WEEKDAY = _words(WEEKDAYS) + WORD_END
PERIOD = _words(PERIODS) + r"(?:\s+(?:nay|qua|hôm\s*nay|hôm\s*qua))?" + LETTER_END
LABEL = _words(LABELS) + LETTER_END
CUE_WORD = _words([*WEEKDAYS, *PERIODS, *LABELS, "hôm nay", "hôm qua"])
CUE = rf"(?P<cue>(?:{CUE_WORD}(?:\s+(?:nay|qua|hôm\s*nay|hôm\s*qua))?{WORD_END}{FILL}){{1,4}})"
AMPM_RE = _words(AMPM) + LETTER_END
MONTH_NAME = _words(MONTH_NAMES) + LETTER_END
EN_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?" + LETTER_END
)
THANG = r"(?:tháng|thang|thg)"
NAM = r"(?:năm|nam)"


def _tz(p: str, bare: bool) -> str:
    """Optional zone suffix: ``GMT+7``, ``(GMT+07:00)``, ``UTC``; with *bare*: ``Z``, ``+0700``."""
    piece = rf"\s*\(?\s*(?:gmt|utc)\s*(?P<{p}O>[+-]\s*[0-9]{{1,2}}(?::?[0-9]{{2}})?)?\s*\)?"
    if bare:
        piece += rf"|\s*(?P<{p}Z>z{WORD_END}|[+-][0-9]{{2}}(?::?[0-9]{{2}})?(?![0-9]))"
    return rf"(?P<{p}tz>{piece})?"


def _time(p: str, bare_tz: bool = False) -> str:
    """Clock time, group names prefixed by *p*: ``14:30``, ``9:31:16``, ``14:30:00.5``,
    ``14h30``, ``14g30``, ``14 giờ 30 phút``; then an optional AM/PM or time-of-day word and
    an optional zone suffix."""
    return (
        rf"(?P<{p}H>2[0-3]|[01]?[0-9])"
        rf"(?::(?P<{p}M>[0-5][0-9])(?::(?P<{p}S>[0-5][0-9])(?:\.(?P<{p}F>[0-9]{{1,9}}))?)?"
        rf"|\s*(?:h|g|giờ|gio){LETTER_END}"
        rf"(?:\s*(?P<{p}N>[0-5]?[0-9])(?![0-9])(?:\s*(?:phút|phut|p{LETTER_END}|'))?)?)"
        r"(?![0-9])"
        rf"(?:\s*(?P<{p}ap>{AMPM_RE}))?" + _tz(p, bare_tz)
    )


CONNECT = r"(?P<conn>\s*[,|\-–—/(]\s*|\s+)"  # clock time -> date
POST = r"(?:\s*[,|\-–—]\s*|\s+|\s*\(\s*)(?:(?:vào\s+)?lúc\s*:?\s*)?"  # date -> clock time
DATE_END = r"(?![0-9]|[/.\-][0-9]|[/\-][^\W\d_])"

# ISO 8601, y/m/d paths (/2024/06/25/, /Pages/2024-4-25/) and NukeViet's broken meta
# "2024-06-25+0714:30:00" (= 14:30 at +07:00).
ISO = (
    r"(?<![0-9])(?P<iyear>(?:19|20)[0-9]{2})(?P<isep>[-/.])(?P<imon>[0-9]{1,2})(?P=isep)"
    r"(?P<iday>[0-9]{1,2})(?![0-9])"
    r"(?:(?:t|_|\s+|,\s*)(?:lúc\s+)?"
    + _time("i", bare_tz=True)
    + r"|(?P<nz>[+-][0-9]{2}(?::?[0-9]{2})?)(?P<nH>[01][0-9]|2[0-3]):(?P<nM>[0-5][0-9])"
    r"(?::(?P<nS>[0-5][0-9]))?"
    r"|(?P<oz>z|[+-][0-9]{2}:?[0-9]{2})(?![0-9]))?"
)

# Day-first numeric date: "25/6/2024", "25 - 06 - 2024", "25.06.24", "12/1".
NUM_CORE = DAY + SEP + MONTH + rf"(?:{SEP_AGAIN}{YEAR})?(?:{POST}{_time('b')}|{DATE_END})"

# Long forms: "ngày 25 tháng 6 năm 2024", "25 tháng 6, 2024", "25 thg 6", "25 Tháng Sáu".
LONG_CORE = (
    r"(?P<mung>(?:mùng|mồng)\s*)?(?P<ld>[0-9]{1,2})" + rf"\s*,?\s*{THANG}\s*"
    rf"(?:(?P<lm>[0-9]{{1,2}})(?![0-9])|(?P<mn>{MONTH_NAME}))"
    rf"(?:(?P<ysep>\s*[,/\-]?\s*{NAM}\s+|\s*[,/\-]\s*)(?P<ly>[0-9]{{4}})(?![0-9]))?"
    rf"(?:{POST}{_time('c')})?"
)

# Either core, with an optional clock time before and cue words (weekday, "Sáng", "ngày",
# a label) in front of the date.
MAIN = NB + rf"(?:{_time('a')}{CONNECT})?{CUE}?(?:{NUM_CORE}|{LONG_CORE})"

# English / RFC 822: "Tue, 25 Jun 2024 07:30:00 GMT", "June 25, 2024 2:30 PM".
EN = (
    r"(?<![^\W_])(?:(?P<ed>[0-9]{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?(?P<emn>"
    + EN_MONTH
    + r")\s*,?\s*(?P<ey>[0-9]{4})|(?P<emn2>"
    + EN_MONTH
    + r")\s*(?P<ed2>[0-9]{1,2})(?:st|nd|rd|th)?\s*,?\s*(?P<ey2>[0-9]{4}))(?![0-9])"
    + r"(?:\s*,?\s*(?:at\s+)?"
    + _time("e", bare_tz=True)
    + ")?"
)

# Relative: "5 phút trước", "cách đây 2 giờ", "hôm qua lúc 14:30", "vừa xong", "2 hours ago".
REL = (
    r"(?<![^\W_])(?:"
    r"(?P<pre>cách\s+đây\s+)?(?P<n>[0-9]{1,6}|"
    + _words(NUMBER_WORDS)
    + r")\s*(?P<u>"
    + _words(RELATIVE_UNITS)
    + r")"
    + LETTER_END
    + r"(?P<ago>\s*(?:trước|truoc|ago)"
    + LETTER_END
    + r"(?!\s*"
    + _words(NOT_AGO)
    + LETTER_END
    + r"))?"
    r"|(?:"
    + _time("r")
    + r"\s*[,\-–—]?\s*)?(?P<rd>"
    + _words(RELATIVE_DAYS)
    + r")"
    + LETTER_END
    + r"(?:\s*[,\-–—]?\s*(?:lúc\s*)?"
    + _time("s")
    + ")?"
    r"|(?P<now>" + _words(JUST_NOW) + r")" + LETTER_END + r")"
)

# One pattern, one left-to-right scan; m.lastgroup names the shape that matched.
DATE_RE = re.compile(rf"(?P<iso>{ISO})|(?P<main>{MAIN})|(?P<en>{EN})|(?P<rel>{REL})")

LUNAR_AFTER_RE = re.compile(
    r"\s*[(,\-–]?\s*(?:(?:tức\s+)?"
    + _words(LUNAR_MARKERS)
    + LETTER_END
    + r"|năm\s+"
    + _words(CAN_STEMS)
    + LETTER_END
    + ")"
)
VERSION_BEFORE_RE = re.compile(r"(?:phiên\s*bản|version|ver\.?|bản)\s*$")
PERIOD_IN_RE = re.compile(_words(PERIODS) + LETTER_END)
QUICK_RE = re.compile(r"[0-9]|hôm|hom|vừa|vua|just")
INVISIBLE_RE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
FALLBACK_HINT_RE = re.compile(rf"[0-9]\s*(?:{THANG}|{EN_MONTH})|(?:{THANG}|{EN_MONTH})\s*[0-9]")
# Opening phrase: a dateline/place or label ending in a separator ("(Hà Nam) - ", "Hà Nam, ").
DATELINE_RE = re.compile(
    r"(?:\(\s*)?[^\W\d_][^\d()\[\]\n,:;|\-–—]{0,40}?(?:\s*\))?"
    r"(?:\s*[-–—:|,]\s*|\s+(?=ngày|sáng|trưa|chiều|tối|đêm))"
)
LEAD_RE = re.compile(r"[\W_]*")

_PAD = " \t\r\n\u00a0\u2007\u202f()[]{}.,;:-–—|/\"'"
_ZERO = timedelta(0)

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

Clock = tuple[int, int, int, int, "timedelta | None"]


def _prepare(text: str) -> str:
    """NFC, invisible characters removed, lower case."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if INVISIBLE_RE.search(text):
            text = INVISIBLE_RE.sub("", text)
    return text.lower()


def _anchor(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(TZ)
    if now.tzinfo is TZ:
        return now
    if now.tzinfo is None:
        return now.replace(tzinfo=TZ)
    return now.astimezone(TZ)


def _offset(raw: str) -> timedelta:
    """``+7``, ``+07:00``, ``+0700``, ``z`` -> timedelta; ValueError if absurd."""
    raw = raw.replace(" ", "").replace(":", "")
    if raw == "z":
        return _ZERO
    digits = raw[1:]
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    else:
        hours, minutes = int(digits[:-2]), int(digits[-2:])
    if hours > 14 or minutes > 59:
        raise ValueError(raw)
    delta = timedelta(hours=hours, minutes=minutes)
    return -delta if raw[0] == "-" else delta


def _hour(h: int, word: str | None) -> int:
    """Apply an AM/PM or time-of-day word to an hour."""
    if word is None:
        return h
    kind = AMPM.get(" ".join(word.split()))
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


def _clock(m: re.Match[str], p: str, period: str | None = None) -> Clock | None:
    """Clock time of the groups prefixed *p*, or None if they did not match."""
    hs, mi, mi2, sec, frac, ap, tz = m.group(
        p + "H", p + "M", p + "N", p + "S", p + "F", p + "ap", p + "tz"
    )
    if hs is None:
        return None
    off = None
    if tz:
        raw = m.group(p + "O")
        if raw is None and p + "Z" in m.re.groupindex:
            raw = m.group(p + "Z")
        off = _ZERO if raw is None else _offset(raw)
    mi = mi or mi2
    return (
        _hour(int(hs), ap or period),
        int(mi) if mi else 0,
        int(sec) if sec else 0,
        int(frac[:6].ljust(6, "0")) if frac else 0,
        off,
    )


def _make(y: int, mo: int, d: int, clock: Clock | None) -> datetime:
    """Build the aware datetime (ValueError if impossible)."""
    if clock is None:
        return datetime(y, mo, d, tzinfo=TZ)
    h, mi, sec, us, off = clock
    if off is None:
        return datetime(y, mo, d, h, mi, sec, us, tzinfo=TZ)
    return datetime(y, mo, d, h, mi, sec, us, tzinfo=timezone(off)).astimezone(TZ)


def _year_for(d: int, mo: int, now: datetime) -> int:
    """Most recent year in which day/month is not after the day of *now*."""
    today = now.date()
    for y in range(now.year, now.year - 9, -1):
        try:
            if date(y, mo, d) <= today:
                return y
        except ValueError:
            continue
    raise ValueError("no such day")


def _bare(s: str, m: re.Match[str]) -> bool:
    """True if the match is the whole text (apart from punctuation)."""
    return not s[: m.start()].strip(_PAD) and not s[m.end() :].strip(_PAD)


def _period(cue: str | None) -> str | None:
    if cue:
        p = PERIOD_IN_RE.search(cue)
        if p:
            return p.group()
    return None


# --------------------------------------------------------------------------------------------
# Builders: match -> datetime (None or ValueError when the match is not a date)
# --------------------------------------------------------------------------------------------


def _from_iso(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    y, mo, d, nh, oz = m.group("iyear", "imon", "iday", "nH", "oz")
    clock: Clock | None
    if nh:
        nm, ns = m.group("nM", "nS")
        clock = (int(nh), int(nm), int(ns) if ns else 0, 0, _offset(m.group("nz")))
    elif oz:
        clock = (0, 0, 0, 0, _offset(oz))
    else:
        clock = _clock(m, "i")
    return _make(int(y), int(mo), int(d), clock)


def _from_main(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    if LUNAR_AFTER_RE.match(s, m.end()):
        return None
    ld, cue, ah = m.group("ld", "cue", "aH")
    period = _period(cue)
    if ld is not None:
        return _from_long(m, s, now, int(ld), cue, ah, period)
    ds, ms, ys, sep, bh = m.group("d", "m", "y", "sep", "bH")
    d, mo = int(ds), int(ms)
    if sep == "." and VERSION_BEFORE_RE.search(s, max(0, m.start() - 12), m.start("d")):
        return None
    clock = _clock(m, "a", period) if ah else _clock(m, "b", period) if bh else None
    if ys is None:
        if cue or bh or (ah and "," not in m.group("conn")) or _bare(s, m):
            return _make(_year_for(d, mo, now), mo, d, clock)
        return None
    y = int(ys)
    if len(ys) == 2:
        y += 2000 if y < 70 else 1900
    if mo > 12 and d <= 12:  # month/day/year, only when day-first is impossible
        d, mo = mo, d
    return _make(y, mo, d, clock)


def _from_long(
    m: re.Match[str],
    s: str,
    now: datetime,
    d: int,
    cue: str | None,
    ah: str | None,
    period: str | None,
) -> datetime | None:
    lm, mn, ys, mung = m.group("lm", "mn", "ly", "mung")
    if mn is not None:
        mn = " ".join(mn.split())
        mo = MONTH_NAMES[mn]
        # "6 tháng năm 2024" is "six months of 2024", not 6 May: the month name "năm" needs
        # a comma or a second "năm" before the year ("25 tháng Năm, 2024").
        if mn == "năm":
            if ys is None and not _bare(s, m):
                return None
            if ys is not None and not re.search(r"[,n]", m.group("ysep")):
                return None
    else:
        mo = int(lm)
    clock = _clock(m, "a", period) if ah else _clock(m, "c", period)
    if ys is None:
        if mung or not (cue or ah or _bare(s, m)):
            return None
        return _make(_year_for(d, mo, now), mo, d, clock)
    return _make(int(ys), mo, d, clock)


def _from_en(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    d, mn, y = m.group("ed", "emn", "ey")
    if d is None:
        d, mn, y = m.group("ed2", "emn2", "ey2")
    return _make(int(y), EN_MONTHS[mn[:3]], int(d), _clock(m, "e"))


def _from_rel(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    now = now.replace(microsecond=0)
    unit, rd = m.group("u", "rd")
    if unit:
        if not m.group("pre") and not m.group("ago"):
            return None
        raw = m.group("n")
        n = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
        kind, mult = RELATIVE_UNITS[unit]
        n *= mult
        if kind != "months":
            return now - timedelta(**{kind: n})
        y, mo = divmod(now.year * 12 + now.month - 1 - n, 12)
        for d in (now.day, 30, 29, 28):
            try:
                return now.replace(year=y, month=mo + 1, day=d)
            except ValueError:
                continue
        return None
    if rd:
        day = now.replace(hour=0, minute=0, second=0)
        day -= timedelta(days=RELATIVE_DAYS[" ".join(rd.split())])
        clock = _clock(m, "r") or _clock(m, "s")
        if clock is None:
            return day
        return _make(day.year, day.month, day.day, clock)
    return now


_BUILDERS: dict[str | None, Callable[[re.Match[str], str, datetime], datetime | None]] = {
    "iso": _from_iso,
    "main": _from_main,
    "en": _from_en,
    "rel": _from_rel,
}


def _build(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    try:
        return _BUILDERS[m.lastgroup](m, s, now)
    except (ValueError, OverflowError, KeyError):
        return None


def _scan(s: str, now: datetime) -> tuple[datetime | None, bool]:
    """First plausible date in *s* (prepared) and whether any candidate was seen."""
    m = DATE_RE.search(s)
    if m is None:
        return None, False
    latest = now + LATEST_SLACK
    early_end = -1
    while m is not None:
        dt = _build(m, s, now)
        if dt is not None:
            if dt < EARLIEST:
                early_end = m.end()
            elif dt <= latest and (
                early_end < 0 or s[early_end : m.start()].strip() not in ("-", "–", "—")
            ):  # "(19/8/1945 - 19/8/2023)" is an anniversary range, not a date
                return dt, True
        m = DATE_RE.search(s, m.start() + 1)
    return None, True


_dateparser: Any = None


def _fallback(s: str, now: datetime) -> datetime | None:
    """dateparser as the last resort, checked against the plausibility window."""
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
    dt = dt.replace(tzinfo=TZ) if dt.tzinfo is None else dt.astimezone(TZ)
    if EARLIEST <= dt <= now + LATEST_SLACK:
        return dt
    return None


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def parse_date(text: str, *, now: datetime | None = None) -> datetime | None:
    """Return the first plausible date found in *text*, or None.

    *text* may be a bare value, a labelled one ("Ngày đăng: 25/06/2024 14:30") or free text
    (the first date between 1995-01-01 and *now* + 1 day wins).  *now* (aware; default: the
    current time) anchors relative forms and year-less dates.  The result is aware, in
    Asia/Ho_Chi_Minh; a date without a time is 00:00 local.
    """
    if not text:
        return None
    s = _prepare(text)
    if QUICK_RE.search(s) is None:
        return None
    now = _anchor(now)
    dt, seen = _scan(s, now)
    if dt is not None or seen:
        return dt
    if len(s) <= 60 and "âm lịch" not in s and FALLBACK_HINT_RE.search(s):
        return _fallback(s, now)
    return None


def parse_date_at_start(text: str, *, now: datetime | None = None) -> datetime | None:
    """Return the date that opens *text* (a lead sentence), or None.

    Accepts an optional dateline or label before it ("(Hà Nam) - Sáng 12/1, ...",
    "Hà Nam, ngày 25/6/2024 ...") and time-of-day words, weekdays and "ngày" in front of the
    date; a date later in the text (a cited decree, an anniversary) is not returned.
    """
    if not text:
        return None
    s = _prepare(text)
    if QUICK_RE.search(s) is None:
        return None
    now = _anchor(now)
    latest = now + LATEST_SLACK
    pos = LEAD_RE.match(s).end()  # type: ignore[union-attr]  # always matches
    positions = [pos]
    line = DATELINE_RE.match(s, pos)
    if line is not None:
        positions.append(line.end())
    for pos in positions:
        m = DATE_RE.match(s, pos)
        if m is not None:
            dt = _build(m, s, now)
            if dt is not None and EARLIEST <= dt <= latest:
                return dt
    return None
