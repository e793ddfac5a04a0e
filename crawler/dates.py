"""Publication dates as Vietnamese provincial portals print them.

Built like htmldate: the regular expressions are compiled once, at import, from small named
pieces (day, month, year, separators, clock time, AM/PM, zone suffix) and from Vietnamese
vocabulary kept in plain tables (weekdays, month names, time-of-day words, relative units,
labels).  The fast path walks the runs of digits left to right and tries, at each, the one
small pattern that what follows the digits calls for (a date separator, a clock mark, a
word); shapes that start with a word ("hôm qua", "June 25, 2024") are scanned only when a
key word is present.  The first *plausible* candidate (between ``EARLIEST`` and ``now`` + 1
day) wins.  ``dateparser`` is imported lazily and consulted only as the very last resort, for
short texts that look date-like (a digit next to a month word) but matched none of the
fast-path shapes; its answer is window-checked too.

Every returned datetime is aware, in Asia/Ho_Chi_Minh (UTC+7).  A date without a time is
00:00 local time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
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

LATEST_SLACK = timedelta(1)
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

# Relative units -> (months, seconds) per unit.
RELATIVE_UNITS: dict[str, tuple[int, int]] = {
    "giây": (0, 1), "phút": (0, 60), "giờ": (0, 3600), "tiếng": (0, 3600),
    "ngày": (0, 86400), "tuần": (0, 604800), "tháng": (1, 0), "năm": (12, 0),
    "giay": (0, 1), "phut": (0, 60), "gio": (0, 3600), "tieng": (0, 3600),
    "ngay": (0, 86400), "tuan": (0, 604800), "thang": (1, 0), "nam": (12, 0),
    "second": (0, 1), "seconds": (0, 1), "sec": (0, 1), "secs": (0, 1),
    "minute": (0, 60), "minutes": (0, 60), "min": (0, 60), "mins": (0, 60),
    "hour": (0, 3600), "hours": (0, 3600), "day": (0, 86400), "days": (0, 86400),
    "week": (0, 604800), "weeks": (0, 604800), "month": (1, 0), "months": (1, 0),
    "year": (12, 0), "years": (12, 0),
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
#
# An optional group is written "(?:X|)", not "(?:X)?": the same language, tried in the same
# order (X first, then nothing), but CPython's sre runs "?" on a group through its general
# REPEAT machinery (a heap allocation and a copy of the marks per try) where a branch with an
# empty alternative costs next to nothing: the big patterns match 15-40% faster.  A single
# character or class keeps its "?" (sre has a cheap repeat for those).
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
            return "(?:" + body + "|)"
        return body

    return "(?:" + emit(trie) + ")"


WORD_END = r"(?![^\W_])"  # not followed by a letter or digit
LETTER_END = r"(?![^\W\d_])"  # not followed by a letter
FILL = r"[\s,;:|\-–—(]*"  # filler after a cue word

DAY = r"(?P<d>[0-9]{1,2})"
MONTH = r"(?P<m>[0-9]{1,2})"
YEAR = r"(?P<y>[0-9]{4}|[0-9]{2})"
SEP = r"\s*+(?P<sep>[/.\-])\s*+"  # possessive: spaces are never given back
SEP_AGAIN = r"\s*+(?P=sep)\s*+"

# Cue words before a date: weekday, time of day ("Chiều nay"), "ngày", a label.
CUE_WORD = (
    _words([*WEEKDAYS, *PERIODS, *LABELS, "hôm nay", "hôm qua"])
    + r"(?:\s+(?:nay|qua|hôm\s*nay|hôm\s*qua)|)"
    + WORD_END
)
# One to four cue words, unrolled: sre runs a counted repeat of a group through its REPEAT
# machinery too.
_CUE_STEP = rf"{CUE_WORD}{FILL}"
CUE_CHAIN = rf"{_CUE_STEP}(?:{_CUE_STEP}(?:{_CUE_STEP}(?:{_CUE_STEP}|)|)|)"
CUE = rf"(?P<cue>(?>{CUE_CHAIN}))"
AMPM_RE = _words(AMPM) + LETTER_END
MONTH_NAME = _words(MONTH_NAMES) + LETTER_END
EN_MONTH = (
    r"(?:jan(?:uary|)|feb(?:ruary|)|mar(?:ch|)|apr(?:il|)|may|june?|july?|aug(?:ust|)"
    r"|sep(?:t(?:ember|)|)|oct(?:ober|)|nov(?:ember|)|dec(?:ember|))\.?" + LETTER_END
)
THANG = r"(?:tháng|thang|thg)"
NAM = r"(?:năm|nam)"


def _clock_pattern(bare_tz: bool, capture: bool) -> str:
    """Clock time: ``14:30``, ``9:31:16``, ``14:30:00.5``, ``14h30``, ``14g30``,
    ``14 giờ 30 phút``; then an optional AM/PM or time-of-day word and an optional zone
    suffix (``GMT+7``, ``(GMT+07:00)``, ``UTC``; with *bare_tz* also ``Z``, ``+0700``).
    Without *capture* the pattern has no groups (it is embedded in the date patterns).
    The whole is atomic: once a time is read it is never re-read shorter, which keeps
    failing matches cheap; minutes never take the day of a following "25/6"."""

    def g(name: str) -> str:
        return f"(?P<{name}>" if capture else "(?:"

    zone = (
        rf"\s*\(?\s*{g('gmt')}gmt|utc)\s*"
        rf"(?:{g('O')}[+-]\s*[0-9]{{1,2}}(?::?[0-9]{{2}}|))|)\s*\)?"
    )
    if bare_tz:
        zone += rf"|\s*{g('Z')}z{WORD_END}|[+-][0-9]{{2}}(?::?[0-9]{{2}}|)(?![0-9]))"
    return (
        rf"(?>{g('H')}2[0-3]|[01]?[0-9])"
        rf"(?::{g('M')}[0-5][0-9])(?::{g('S')}[0-5][0-9])(?:\.{g('F')}[0-9]{{1,9}})|)|)"
        rf"|\s*(?:h|g|giờ|gio){LETTER_END}"
        rf"(?:\s*{g('N')}[0-5]?[0-9])(?![0-9]|\s*[/.]\s*[0-9])"
        rf"(?:\s*(?:phút|phut|p{LETTER_END}|')|)|))"
        r"(?![0-9])"
        rf"(?:\s*{g('ap')}{AMPM_RE})|)(?:{zone}|))"
    )


def _time(p: str, bare_tz: bool = False) -> str:
    """A clock time captured whole as group ``<p>T`` (CLOCK_RE reads its parts later: few
    groups keep the big patterns fast)."""
    return rf"(?P<{p}T>{_clock_pattern(bare_tz, capture=False)})"


CLOCK_RE = re.compile(_clock_pattern(bare_tz=True, capture=True))

CONNECT = r"(?P<conn>(?>\s*[,|\-–—/(]\s*|\s+))"  # clock time -> date
POST = r"(?>(?:\s*[,|\-–—]\s*|\s+|\s*\(\s*)(?:(?:vào\s+|)lúc\s*:?\s*|))"  # date -> clock time
DATE_END = r"(?![0-9]|[/.\-][0-9]|[/\-][^\W\d_])"

# ISO 8601, y/m/d paths (/2024/06/25/, /Pages/2024-4-25/) and NukeViet's broken meta
# "2024-06-25+0714:30:00" (= 14:30 at +07:00), also with a zone name ("2024-06-25ICT14:30:00"
# where the server's zone is Indochina Time, or UTC/GMT). Another zone name glued in
# ("2024-11-11EST22:00:00") gives no date rather than midnight of a day that may be wrong.
ISO_DATE = (
    r"(?P<iyear>(?:19|20)[0-9]{2})(?P<isep>[-/.])(?P<imon>[0-9]{1,2})(?P=isep)"
    r"(?P<iday>[0-9]{1,2})(?![0-9])"
)
ISO_TIME = rf"(?:t|_|\s+|,\s*)(?:lúc\s+|){_time('i', bare_tz=True)}"
NUKEVIET_TIME = (
    r"(?P<nz>[+-][0-9]{2}(?::?[0-9]{2}|)|ict|utc|gmt)"
    r"(?P<nH>[01][0-9]|2[0-3]):(?P<nM>[0-5][0-9])(?::(?P<nS>[0-5][0-9])|)"
)
ISO_ZONE_ONLY = r"(?P<oz>z|[+-][0-9]{2}:?[0-9]{2})(?![0-9])"
ISO = rf"{ISO_DATE}(?:{ISO_TIME}|{NUKEVIET_TIME}|{ISO_ZONE_ONLY}|(?![a-z]{{2,5}}[0-9]))"

# Day-first numeric date: "25/6/2024", "25 - 06 - 2024", "25.06.24", "12/1".
# A day range "10-12/6/2024" gives its first day.
DAY_RANGE = r"(?:\s*+[-–]\s*+(?P<d2>[0-9]{1,2})(?=\s*[/.])|)"
NUM_CORE = rf"{DAY}{DAY_RANGE}{SEP}{MONTH}(?:{SEP_AGAIN}{YEAR}|)(?:{POST}{_time('b')}|{DATE_END})"

# Long forms: "25 tháng 6 năm 2024", "25 tháng 6, 2024", "25 thg 6", "25 Tháng Sáu".
LONG_YEAR = (
    rf"(?P<ysep>\s*[,/\-]?\s*{NAM}\s+|\s*[,/\-]\s*)(?P<ly>[0-9]{{4}})(?![0-9])"
    # "25 tháng 6 2024" only when nothing but punctuation or a time follows the year
    r"|\s+(?P<ly2>(?:19|20)[0-9]{2})(?![0-9])(?=\s*(?:\Z|[^\w\s]|[0-9]))"
)
LONG_CORE = (
    rf"(?P<ld>[0-9]{{1,2}})\s*+,?\s*+{THANG}\s*+"
    rf"(?:(?P<lm>[0-9]{{1,2}})(?![0-9])|(?P<mn>{MONTH_NAME}))"
    rf"(?:{LONG_YEAR}|)(?:{POST}{_time('c')}|)"
)

# English / RFC 822: "Tue, 25 Jun 2024 07:30:00 GMT", "25 June 2024", "June 25, 2024",
# "25-Jun-2024".
ORDINAL = r"(?:st|nd|rd|th|)"
EN_SEP = r"[\s\-/.]*+"
EN_TIME = rf"(?:\s*,?\s*(?:at\s+|){_time('e', bare_tz=True)}|)"
EN_YEAR = r"[\s,\-/.]*+(?P<ey>[0-9]{4})(?![0-9])"
EN = rf"(?P<ed>[0-9]{{1,2}}){ORDINAL}{EN_SEP}(?:of\s+|)(?P<emn>{EN_MONTH}){EN_YEAR}{EN_TIME}"
EN_MONTH_FIRST = rf"(?P<emn>{EN_MONTH}){EN_SEP}(?P<ed>[0-9]{{1,2}}){ORDINAL}{EN_YEAR}{EN_TIME}"

# Relative forms: "5 phút trước", "cách đây 2 giờ", "14:30 hôm qua", "hôm qua lúc 14:30".
AGO = rf"(?:(?P<ago>\s*(?:trước|truoc|ago){LETTER_END}(?!\s*{_words(NOT_AGO)}{LETTER_END}))|)"
UNIT = rf"\s*(?P<u>{_words(RELATIVE_UNITS)}){LETTER_END}{AGO}"
RELDAY = rf"(?P<rd>{_words(RELATIVE_DAYS)}){LETTER_END}"
COUNT_AGO = rf"(?P<n>[0-9]{{1,6}}){UNIT}"

# Shapes that start at a digit, tried at the start of each run of digits.  The run's length
# and what follows it pick the pattern (see _digit_match), so each stays small:
#   "25/6/2024", "10-12/6/2024"                      -> NUM_RE (a date separator follows)
#   "2024-06-25T14:30:00+07:00", "/2024/06/25/"      -> ISO_RE (4 digits, a separator)
#   "14:30 - 25/06/2024", "14h30 ngày 25/6", "14:30 hôm qua", "2 giờ trước"
#                                                    -> CLOCK_FIRST_RE (":", "h", "g")
#   "25 tháng 6 năm 2024", "25 Jun 2024", "5 phút trước" -> WORD_NEXT_RE (another letter)
# Cue words *before* the first digit ("Sáng 12/1", "ngày 25 tháng 6") are read separately,
# backwards from the match (CUE_TAIL_RE).
NB = r"(?<![^\W_])(?<![0-9][/.\-:])"  # not glued to a word, nor to "<digit><sep>"
NUM_RE = re.compile(rf"{NB}{NUM_CORE}")
ISO_RE = re.compile(rf"{NB}{ISO}")
CLOCK_FIRST_RE = re.compile(
    rf"{NB}(?:{_time('a')}(?:(?P<main>{CONNECT}(?:{CUE}|)(?:{NUM_CORE}|{LONG_CORE}))"
    rf"|(?P<relday>\s*[,\-–—]?\s*{RELDAY}))|(?P<count>{COUNT_AGO}))"
)
WORD_NEXT_RE = re.compile(rf"{NB}(?:(?P<long>{LONG_CORE})|(?P<en>{EN})|(?P<count>{COUNT_AGO}))")
# A run of digits (group 1) and what follows it: (2) a date separator, (3) a clock mark,
# (4) a letter, perhaps after a separator ("25-Jun") -- m.lastindex tells which (1: none).
RUN_RE = re.compile(r"([0-9][0-9]*)\s*(?:([/.\-])(?!\s*[^\W\d_])|([:hg])|[/.\-]?\s*([^\W\d_])|)")

# Shapes that start with a word: "hôm qua lúc 14:30", "vừa xong", "một giờ trước",
# "June 25, 2024".  Only scanned when WORD_GATE_RE finds one of their key words.
WORD_RE = re.compile(
    rf"(?<![^\W_])(?:(?P<relday>{RELDAY}(?:\s*[,\-–—]?\s*(?:lúc\s*|){_time('s')}|))"
    rf"|(?P<now>{_words(JUST_NOW)}){LETTER_END}"
    rf"|(?P<count>(?P<n>{_words(NUMBER_WORDS)}){UNIT})"
    rf"|(?P<en>{EN_MONTH_FIRST}))"
)

# Each key word is written from one of its less common letters on, the letters before it
# checked by a look-behind ("r(?<=tr)ước"): every alternative starts with a literal letter, so
# the search skips ahead fast, and it stops at few places ("n", "h", "t", "g", "m" are
# everywhere in Vietnamese).
GATE_WORDS: dict[str, int] = {  # key word -> index of the letter the search stops at
    "hôm": 1, "hom": 1, "vừa": 0, "vua": 0, "just": 0,
    "trước": 1, "trươc": 1, "truớc": 1, "truoc": 1, "ago": 0,
    "jan": 0, "feb": 0, "mar": 2, "apr": 0, "may": 1, "jun": 0, "jul": 0, "aug": 0,
    "sep": 1, "oct": 0, "nov": 2, "dec": 1,
}  # fmt: skip


def _anchored(word: str, at: int) -> str:
    """*word* as a pattern that starts at its letter *at*: "trước", 1 -> "r(?<=tr)ước"."""
    behind = f"(?<={re.escape(word[: at + 1])})" if at else ""
    return re.escape(word[at]) + behind + re.escape(word[at + 1 :])


WORD_GATE_RE = re.compile("|".join(_anchored(word, at) for word, at in GATE_WORDS.items()))

CUE_WINDOW = 28  # how far back cue words are looked for
CUE_TAIL_RE = re.compile(rf"(?<![^\W_]){CUE_CHAIN}\Z")
CUE_CHAIN_RE = re.compile(CUE_CHAIN)
RANGE_DASH_RE = re.compile(r"\s*[-–—]\s*(?:ngày\s*|)")
YEAR_AFTER_RE = re.compile(r"\s*[0-9]{4}(?![0-9])")
MUNG_TAIL_RE = re.compile(r"(?:mùng|mồng)\s*\Z")
CACH_DAY_TAIL_RE = re.compile(r"cách\s+đây\s*\Z")

LUNAR_AFTER_RE = re.compile(
    rf"\s*[(,\-–]?\s*(?:(?:tức\s+|){_words(LUNAR_MARKERS)}|năm\s+{_words(CAN_STEMS)}){LETTER_END}"
)
VERSION_BEFORE_RE = re.compile(r"(?:phiên\s*bản|version|ver\.?|bản)\s*\Z")
PERIOD_IN_RE = re.compile(_words(PERIODS) + LETTER_END)
INVISIBLE_RE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
# A day number next to a month word: the only texts worth handing to dateparser.
# (Two patterns, each starting with a digit or a month name: both scan fast.)
EN_MONTH_ABBR = "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
FALLBACK_WORD_RE = re.compile(rf"th|{EN_MONTH_ABBR}")
FALLBACK_HINT_RES = (
    re.compile(rf"[0-9][\s,./\-]*(?:th|{EN_MONTH_ABBR})"),
    re.compile(rf"{EN_MONTH_ABBR}[a-z]*[\s,./\-]*[0-9]"),
)
# Opening phrase: a dateline/place or label ending in a separator ("(Hà Nam) - ", "Hà Nam, ").
DATELINE_RE = re.compile(
    r"(?:\(\s*|)[^\W\d_][^\d()\[\]\n,:;|\-–—]{0,40}?(?:\s*\)|)"
    r"(?:\s*[-–—:|,]\s*|\s+(?=ngày|sáng|trưa|chiều|tối|đêm))"
)
LEAD_RE = re.compile(r"[\W_]*")

# Vocabulary lookups keyed without white space (patterns allow "mười  một", "hômnay").
_MONTH_BY_KEY = {k.replace(" ", ""): v for k, v in MONTH_NAMES.items()}
_RELDAY_BY_KEY = {k.replace(" ", ""): v for k, v in RELATIVE_DAYS.items()}
_PAD = " \t\r\n\u00a0\u2007\u202f()[]{}.,;:-–—|/\"'"
TZ_OFFSET = 7 * 3600  # seconds east of UTC
# Numbers of one or two digits (days, months, hours, minutes), and the years of the window
# and around: a dict lookup is much cheaper than int() in the hot path.
_INT = {
    **{str(i): i for i in range(10)},
    **{f"{i:02d}": i for i in range(100)},
    **{str(y): y for y in range(1900, 2100)},
}


def _zone_table() -> dict[str, int]:
    """UTC offsets as written after a clock ("+07:00", "+0700", "+07", "+7", "z") -> seconds
    east of UTC: whole hours, halves and three quarters (_offset computes the others)."""
    table = {"z": 0, "utc": 0, "gmt": 0, "ict": 7 * 3600}
    for h in range(15):
        for m in (0, 30, 45):
            for sign, factor in (("+", 1), ("-", -1)):
                seconds = factor * (h * 3600 + m * 60)
                table[f"{sign}{h:02d}:{m:02d}"] = table[f"{sign}{h:02d}{m:02d}"] = seconds
                if not m:
                    table[f"{sign}{h:02d}"] = table[f"{sign}{h}"] = seconds
    return table


_ZONES = _zone_table()

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

Clock = tuple[int, int, int, int, "int | None"]  # h, min, s, µs, UTC offset in seconds


def _prepare(text: str) -> str:
    """NFC, invisible characters removed, lower case."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if not text.isprintable() and INVISIBLE_RE.search(text):
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


def _offset(raw: str) -> int:
    """``+7``, ``+07:00``, ``+0700``, ``z`` -> seconds east of UTC; ValueError if absurd."""
    seconds = _ZONES.get(raw)
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


def _hour(h: int, word: str | None) -> int:
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


def _clock_parts(text: str) -> tuple[int, int, int, int, int | None, str | None]:
    """(hour, minute, second, microsecond, UTC offset or None, AM/PM word) of a clock text."""
    # The common cases without a regex: "14:30", "9:05", "14:30:00+07:00", "07:30:00z",
    # "14h30", "14h", "14g30".
    n = len(text)
    if n == 5 and text[2] == ":":
        return (_INT[text[:2]], _INT[text[3:]], 0, 0, None, None)
    if n == 4 and text[1] == ":":
        return (_INT[text[0]], _INT[text[2:]], 0, 0, None, None)
    if n >= 8 and text[5] == ":" and text[2] == ":":
        off = None if n == 8 else _ZONES.get(text[8:])
        if n == 8 or off is not None:
            return (_INT[text[:2]], _INT[text[3:5]], _INT[text[6:8]], 0, off, None)
    if n == 7 and text[4] == ":" and text[1] == ":":
        return (_INT[text[0]], _INT[text[2:4]], _INT[text[5:]], 0, None, None)
    if n <= 5:
        hour, mark, minute = text.partition("h" if "h" in text else "g")
        if mark and hour.isdigit() and (minute.isdigit() or not minute):
            return (int(hour), int(minute) if minute else 0, 0, 0, None, None)
    head, space, ap = text.partition(" ")
    if space and ap in AMPM:  # "02:30 pm", "9:15 sa", "2:30 p.m."
        h, mi, sec, us, off, _ = _clock_parts(head)
        return (h, mi, sec, us, off, ap)
    hs, mi, sec, frac, mi2, ap, gmt, raw, z = CLOCK_RE.match(text).groups()  # type: ignore[union-attr]
    off = None
    if raw or z:
        off = _offset(raw or z)
    elif gmt:
        off = 0
    mi = mi or mi2
    return (
        _INT[hs],
        _INT[mi] if mi else 0,
        _INT[sec] if sec else 0,
        int(frac[:6].ljust(6, "0")) if frac else 0,
        off,
        ap,
    )


def _clock(text: str | None) -> Clock | None:
    """Clock of a captured time text (None stays None)."""
    if text is None:
        return None
    h, mi, sec, us, off, ap = _clock_parts(text)
    return (_hour(h, ap) if ap else h, mi, sec, us, off)


def _make(y: int, mo: int, d: int, clock: Clock | None) -> datetime:
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
    return dt if off == TZ_OFFSET else dt + timedelta(0, TZ_OFFSET - off)


def _year_for(d: int, mo: int, now: datetime) -> int:
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


def _bare(s: str, m: re.Match[str]) -> bool:
    """True if the match is the whole text (apart from a little punctuation)."""
    start, end = m.span()
    if start > 8 or len(s) - end > 8:  # bounded: scanning a long text stays linear
        return False
    return not s[:start].strip(_PAD) and not s[end:].strip(_PAD)


def _cue_before(s: str, start: int) -> str | None:
    """Cue words right before position *start* ("Sáng ", "Thứ ba, ngày ")."""
    if start < 2:
        return None
    tail = CUE_TAIL_RE.search(s, max(0, start - CUE_WINDOW), start)
    return tail.group() if tail else None


def _main_clock(m: re.Match[str], s: str, text: str, cue: str | None) -> Clock:
    """Clock of a main match; without AM/PM, a time-of-day cue ("Chiều ...") decides."""
    h, mi, sec, us, off, ap = _clock_parts(text)
    if ap:
        h = _hour(h, ap)
    elif h <= 12:
        start = m.start()
        if cue or (start > 1 and PERIOD_IN_RE.search(s, max(0, start - CUE_WINDOW), start)):
            period = _period(cue if cue else _cue_before(s, start))
            if period:
                h = _hour(h, period)
    return (h, mi, sec, us, off)


def _with_clock(
    m: re.Match[str], s: str, y: int, mo: int, d: int, text: str, cue: str | None
) -> datetime:
    """y-mo-d at the clock time *text* of main match *m* (as ``_make(..., _main_clock(...))``,
    ValueError if impossible), the commonest clocks without a regex nor tuples."""
    n = len(text)
    if n == 5 and text[2] == ":":  # "14:30"
        h, mi, sec = _INT[text[:2]], _INT[text[3:]], 0
    elif n == 4 and text[1] == ":":  # "9:05"
        h, mi, sec = _INT[text[0]], _INT[text[2:]], 0
    elif n == 8 and text[2] == ":" and text[5] == ":":  # "14:30:59"
        h, mi, sec = _INT[text[:2]], _INT[text[3:5]], _INT[text[6:]]
    else:
        return _make(y, mo, d, _main_clock(m, s, text, cue))
    if h <= 12:
        start = m.start()
        if cue or (start > 1 and PERIOD_IN_RE.search(s, max(0, start - CUE_WINDOW), start)):
            period = _period(cue if cue else _cue_before(s, start))
            if period:
                h = _hour(h, period)
    return datetime(y, mo, d, h, mi, sec, 0, TZ)


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
    y, mo, d, nh, oz, it = m.group("iyear", "imon", "iday", "nH", "oz", "iT")
    clock: Clock | None
    if nh:
        nm, ns = m.group("nM", "nS")
        clock = (_INT[nh], _INT[nm], _INT[ns] if ns else 0, 0, _offset(m.group("nz")))
    elif oz:
        clock = (0, 0, 0, 0, _offset(oz))
    elif it is not None:
        h, mi, sec, us, off, ap = _clock_parts(it)
        clock = (_hour(h, ap) if ap else h, mi, sec, us, off)
    else:
        return datetime(_INT[y], _INT[mo], _INT[d], 0, 0, 0, 0, TZ)
    return _make(_INT[y], _INT[mo], _INT[d], clock)


def _from_main(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    """A clock time, then a numeric or long date."""
    ld, ah, cue, ds, d2, sep, ms, ys, bh = m.group(
        "ld", "aT", "cue", "d", "d2", "sep", "m", "y", "bT"
    )
    if ld is not None:
        return _from_long(m, s, now, ah, cue)
    if d2 is None and sep != "." and ys is not None and len(ys) == 4:
        # The commonest shape, "14:30 - 25/06/2024", inlined.
        end = m.end()
        if end < len(s) and LUNAR_AFTER_RE.match(s, end):
            return None
        d, mo = _INT[ds], _INT[ms]
        if mo > 12 and d <= 12:  # month/day/year, only when day-first is impossible
            d, mo = mo, d
        return _with_clock(m, s, _INT.get(ys) or int(ys), mo, d, ah, cue)
    return _num_date(m, s, now, ds, d2, sep, ms, ys, ah or bh, bool(bh), cue)


def _from_num(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    """A numeric date (NUM_RE), perhaps followed by a clock time."""
    ds, d2, sep, ms, ys, bh = m.groups()
    if d2 is None and sep != "." and ys is not None and len(ys) == 4:
        # The commonest shapes, "25/06/2024" and "25/06/2024 14:30", inlined.
        end = m.end()
        if end < len(s) and LUNAR_AFTER_RE.match(s, end):
            return None
        d, mo = _INT[ds], _INT[ms]
        if mo > 12 and d <= 12:  # month/day/year, only when day-first is impossible
            d, mo = mo, d
        if bh is None:
            return datetime(_INT.get(ys) or int(ys), mo, d, 0, 0, 0, 0, TZ)
        return _with_clock(m, s, _INT.get(ys) or int(ys), mo, d, bh, None)
    return _num_date(m, s, now, ds, d2, sep, ms, ys, bh, bh is not None, None)


def _num_date(
    m: re.Match[str],
    s: str,
    now: datetime,
    ds: str,
    d2: str | None,
    sep: str,
    ms: str,
    ys: str | None,
    clock_text: str | None,
    time_after: bool,
    cue: str | None,
) -> datetime | None:
    """Day-first numeric date "25/6/2024", "25.06.24", "12/1" (year-less needs support)."""
    end = m.end()
    if end < len(s) and LUNAR_AFTER_RE.match(s, end):
        return None
    d, mo = _INT[ds], _INT[ms]
    if d2 is not None and _INT[d2] <= d:
        return None
    start = m.start()
    if sep == "." and VERSION_BEFORE_RE.search(s, max(0, start - 12), start):
        return None
    clock = None if clock_text is None else _main_clock(m, s, clock_text, cue)
    if ys is None:
        if (
            cue
            or time_after
            or (clock_text and "," not in m.group("conn"))  # "14h30 12/1", not "8:30, 2/3"
            or _bare(s, m)
            or _cue_before(s, start)
        ):
            return _make(_year_for(d, mo, now), mo, d, clock)
        return None
    y = _INT.get(ys) or int(ys)
    if len(ys) == 2:
        y += 2000 if y < 70 else 1900
    if mo > 12 and d <= 12:  # month/day/year, only when day-first is impossible
        d, mo = mo, d
    if clock is None:
        return datetime(y, mo, d, 0, 0, 0, 0, TZ)
    return _make(y, mo, d, clock)


def _from_long(
    m: re.Match[str], s: str, now: datetime, ah: str | None = None, cue: str | None = None
) -> datetime | None:
    """ "25 tháng 6 năm 2024", "25 Tháng Sáu", "25 thg 6" (year-less needs support); *ah* and
    *cue* are the clock time and cue words before it (CLOCK_FIRST_RE)."""
    end = m.end()
    if end < len(s) and LUNAR_AFTER_RE.match(s, end):
        return None
    ld, lm, mn, ys, ys2, ch = m.group("ld", "lm", "mn", "ly", "ly2", "cT")
    d = _INT[ld]
    ys = ys or ys2
    if mn is not None:
        mo = _MONTH_BY_KEY.get(mn)
        if mo is None:  # "mười  một"
            mn = "".join(mn.split())
            mo = _MONTH_BY_KEY[mn]
        # "6 tháng năm 2024" is "six months of 2024", not 6 May: the month name "năm" needs
        # a comma or a second "năm" before the year ("25 tháng Năm, 2024").
        if mn == "năm":
            if ys is None and not _bare(s, m):
                return None
            ysep = m.group("ysep") or ""
            if ys is not None and "," not in ysep and "n" not in ysep:
                return None
    else:
        mo = _INT[lm]
    if ys is not None and not (ah or ch):  # the commonest case, "25 tháng 6 năm 2024"
        return datetime(_INT.get(ys) or int(ys), mo, d, 0, 0, 0, 0, TZ)
    clock = None
    if ah or ch:
        clock = _main_clock(m, s, ah or ch, cue)
    if ys is None:
        start = m.start()
        if MUNG_TAIL_RE.search(s, max(0, start - 8), start):
            return None  # "mùng 10 tháng 3": a lunar day
        if YEAR_AFTER_RE.match(s, m.end()):
            return None  # "25 tháng 6 2024 tại ...": a year we could not attach
        if not (cue or ah or _bare(s, m) or _cue_before(s, start)):
            return None
        return _make(_year_for(d, mo, now), mo, d, clock)
    return _make(_INT.get(ys) or int(ys), mo, d, clock)


def _from_en(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    d, mn, y, et = m.group("ed", "emn", "ey", "eT")
    return _make(_INT.get(y) or int(y), EN_MONTHS[mn[:3]], _INT[d], _clock(et))


def _from_ago(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    """ "5 phút trước", "cách đây 2 giờ", "một giờ trước", "2 hours ago"."""
    raw, unit, ago = m.group("n", "u", "ago")
    if not ago:
        start = m.start()
        if not (raw.isdigit() and CACH_DAY_TAIL_RE.search(s, max(0, start - 12), start)):
            return None
    n = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
    if now.microsecond:
        now = now.replace(microsecond=0)
    months, seconds = RELATIVE_UNITS[unit]
    if not months:
        return now - timedelta(0, n * seconds)
    y, mo = divmod(now.year * 12 + now.month - 1 - n * months, 12)
    for d in (now.day, 30, 29, 28):
        try:
            return now.replace(y, mo + 1, d)
        except ValueError:
            continue
    return None


def _from_relday(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    """ "hôm qua", "14:30 hôm qua", "hôm nay lúc 14:30"."""
    day = now.date() - timedelta(_RELDAY_BY_KEY["".join(m.group("rd").split())])
    text = m.group("sT") if m.re is WORD_RE else m.group("aT")
    return _make(day.year, day.month, day.day, _clock(text))


def _from_now(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    """ "vừa xong", "just now"."""
    return now.replace(microsecond=0) if now.microsecond else now


# Builders by the name of the match's last group (NUM_RE and ISO_RE matches: see _build).
_BUILDERS: dict[str | None, Callable[[re.Match[str], str, datetime], datetime | None]] = {
    "main": _from_main,
    "long": _from_long,
    "en": _from_en,
    "count": _from_ago,
    "relday": _from_relday,
    "now": _from_now,
}


def _build(m: re.Match[str], s: str, now: datetime) -> datetime | None:
    try:
        if m.re is NUM_RE:
            return _from_num(m, s, now)
        if m.re is ISO_RE:
            return _from_iso(m, s, now)
        return _BUILDERS[m.lastgroup](m, s, now)
    except (ValueError, OverflowError, KeyError):
        return None


def _digit_match(s: str, run: re.Match[str]) -> re.Match[str] | None:
    """The shape starting at a RUN_RE match, if any (see NUM_RE for the dispatch)."""
    start, end = run.span(1)
    kind = run.lastindex
    if kind == 2:
        if end - start <= 2:
            return NUM_RE.match(s, start)
        return ISO_RE.match(s, start) if end - start == 4 else None
    if kind == 3 or (kind == 4 and end - start > 2):
        return CLOCK_FIRST_RE.match(s, start)
    if kind == 4:
        return WORD_NEXT_RE.match(s, start)
    return None


_CLOCK_FIRST_BUILDERS = {"main": _from_main, "relday": _from_relday, "count": _from_ago}
_WORD_NEXT_BUILDERS = {"long": _from_long, "en": _from_en, "count": _from_ago}
_RUN_SEARCH = RUN_RE.search
_NUM_MATCH = NUM_RE.match
_ISO_MATCH = ISO_RE.match
_CLOCK_FIRST_MATCH = CLOCK_FIRST_RE.match
_WORD_NEXT_MATCH = WORD_NEXT_RE.match


def _word_date(s: str, now: datetime, end: int) -> tuple[datetime | None, bool]:
    """First plausible date of a shape that starts with a word ("hôm qua", "vừa xong") and
    starts before *end*, and whether a candidate was seen (WORD_GATE_RE has let *s* in)."""
    seen = False
    for m in WORD_RE.finditer(s):
        if m.start() >= end:
            break
        seen = True
        dt = _build(m, s, now)
        if dt is not None and EARLIEST <= dt <= now + LATEST_SLACK:
            return dt, True
    return None, seen


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


#: Words naming a day relative to now; an explicit date after them names that day itself.
TODAY_WORD_RE = re.compile(r"hôm (?:nay|qua|kia)")


def parse_date(text: str, *, now: datetime | None = None) -> datetime | None:
    """Return the first plausible date found in *text*, or None.

    *text* may be a bare value, a labelled one ("Ngày đăng: 25/06/2024 14:30") or free text
    (the first date between 1995-01-01 and *now* + 1 day wins).  *now* (aware; default: the
    current time) anchors relative forms and year-less dates.  The result is aware, in
    Asia/Ho_Chi_Minh; a date without a time is 00:00 local.
    """
    if not text:
        return None
    # _prepare and _anchor, inlined: this is the hot path.
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if not text.isprintable() and INVISIBLE_RE.search(text):
            text = INVISIBLE_RE.sub("", text)
    s = text.lower()
    if now is None:
        now = datetime.now(TZ)
    elif now.tzinfo is not TZ:
        now = _anchor(now)
    # _scan, inlined: walk the runs of digits; _digit_match is inlined too, and each branch
    # knows its builder.
    run = _RUN_SEARCH(s)
    if run is None:  # no digit: only the word shapes, and nothing for dateparser either
        if len(s) > 2 and WORD_GATE_RE.search(s):
            return _word_date(s, now, len(s))[0]
        return None
    best: datetime | None = None
    best_start = len(s)
    seen = False
    early_end = -1
    while True:
        start, end = run.span(1)
        kind = run.lastindex
        if kind == 2:
            if end - start <= 2:
                m = _NUM_MATCH(s, start)
                build = _from_num
            elif end - start == 4:
                m = _ISO_MATCH(s, start)
                build = _from_iso
            else:
                m = None
        elif kind == 3 or (kind == 4 and end - start > 2):
            m = _CLOCK_FIRST_MATCH(s, start)
            build = _CLOCK_FIRST_BUILDERS
        elif kind == 4:
            m = _WORD_NEXT_MATCH(s, start)
            build = _WORD_NEXT_BUILDERS
        else:
            m = None
        if m is not None:
            # Digits inside a candidate are not tried again: with less context they could
            # only be rejected too.
            end = m.end()
            seen = True
            try:
                if build.__class__ is dict:
                    build = build[m.lastgroup]
                dt = build(m, s, now)
            except (ValueError, OverflowError, KeyError):
                dt = None
            if dt is not None:
                if dt < EARLIEST:
                    early_end = end
                elif dt <= now + LATEST_SLACK and (
                    early_end < 0 or not RANGE_DASH_RE.fullmatch(s, early_end, start)
                ):  # "(19/8/1945 - 19/8/2023)" is an anniversary range, not a date
                    best, best_start = dt, start
                    break
        if end >= len(s):
            break
        run = _RUN_SEARCH(s, end)
        if run is None:
            break
    gated = best_start > 2 and WORD_GATE_RE.search(s, 0, best_start)
    if gated and best is not None and TODAY_WORD_RE.search(s, 0, best_start):
        gated = None  # "Hôm nay: Thứ hai, 31/07/2025": the date it names is the date
    if gated:
        dt, word_seen = _word_date(s, now, best_start)
        if dt is not None:
            return dt
        seen = seen or word_seen
    if best is not None or seen:
        return best
    # Here the gate has looked at the whole text (if longer than 2): without any of its key
    # words there is no month name either, and FALLBACK_WORD_RE can only find "th".
    if (
        len(s) <= 60
        and "âm lịch" not in s
        and (FALLBACK_WORD_RE.search(s) if gated else "th" in s)
        and (FALLBACK_HINT_RES[0].search(s) or FALLBACK_HINT_RES[1].search(s))
    ):
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
    if RUN_RE.search(s) is None and WORD_GATE_RE.search(s) is None:
        return None
    now = _anchor(now)
    latest = now + LATEST_SLACK
    pos = LEAD_RE.match(s).end()  # type: ignore[union-attr]  # always matches
    positions = [pos]
    line = DATELINE_RE.match(s, pos)
    if line is not None:
        positions.append(line.end())
    for pos in positions:
        m = WORD_RE.match(s, pos)
        if m is None:
            cue = CUE_CHAIN_RE.match(s, pos)
            run = RUN_RE.match(s, cue.end() if cue else pos)
            m = None if run is None else _digit_match(s, run)
        if m is not None:
            dt = _build(m, s, now)
            if dt is not None and EARLIEST <= dt <= latest:
                return dt
    return None
