"""The date patterns, compiled once at import from small named pieces.

Pieces: day, month, year, separators, clock time, AM/PM, zone suffix, cue words, month
names, relative units (their words come from :mod:`.vocabulary`).  Shapes built from them:
ISO 8601 (with NukeViet's broken meta), day-first numeric dates, long Vietnamese dates,
English/RFC 822 dates, a clock time before a date, relative forms.  The scanner
(:mod:`.parse`) tries them; the builders (:mod:`.builders`) read their groups.

An optional group is written "(?:X|)", not "(?:X)?": the same language, tried in the same
order (X first, then nothing), but CPython's sre runs "?" on a group through its general
REPEAT machinery (a heap allocation and a copy of the marks per try) where a branch with an
empty alternative costs next to nothing: the big patterns match 15-40% faster.  A single
character or class keeps its "?" (sre has a cheap repeat for those).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from crawler.dates.vocabulary import (
    AMPM,
    CAN_STEMS,
    DRAW_WORDS,
    EN_MONTHS,
    GATE_WORDS,
    JUST_NOW,
    LABELS,
    LUNAR_MARKERS,
    MONTH_NAMES,
    NOT_AGO,
    NUMBER_WORDS,
    PERIODS,
    RELATIVE_DAYS,
    RELATIVE_UNITS,
    WEEKDAYS,
)


def words(alternatives: Iterable[str]) -> str:
    """Alternation of *alternatives* as a prefix trie (one branch per first letter; inner
    spaces match any run of white space, possibly empty)."""
    trie: dict[str, Any] = {}
    for word in alternatives:
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

DAY = r"(?P<d>[0-9]{1,2}+)"
MONTH = r"(?P<m>[0-9]{1,2}+)"
YEAR = r"(?P<y>[0-9]{4}|[0-9]{2})"
SEP = r"\s*+(?P<sep>[/.\-])\s*+"  # possessive: spaces are never given back
SEP_AGAIN = r"\s*+(?P=sep)\s*+"

# Cue words before a date: weekday, time of day ("Chiều nay"), "ngày" or "hôm", a label.
CUE_WORD = (
    words([*WEEKDAYS, *PERIODS, *LABELS, "hôm", "hôm nay", "hôm qua"])
    + r"(?:\s+(?:nay|qua|hôm\s*nay|hôm\s*qua)|)"
    + WORD_END
)
# One to four cue words, unrolled: sre runs a counted repeat of a group through its REPEAT
# machinery too.
_CUE_STEP = rf"{CUE_WORD}{FILL}"
CUE_CHAIN = rf"{_CUE_STEP}(?:{_CUE_STEP}(?:{_CUE_STEP}(?:{_CUE_STEP}|)|)|)"
CUE = rf"(?P<cue>(?>{CUE_CHAIN}))"
AMPM_RE = words(AMPM) + LETTER_END
MONTH_NAME = words(MONTH_NAMES) + LETTER_END
EN_MONTH = (
    r"(?:jan(?:uary|)|feb(?:ruary|)|mar(?:ch|)|apr(?:il|)|may|june?|july?|aug(?:ust|)"
    r"|sep(?:t(?:ember|)|)|oct(?:ober|)|nov(?:ember|)|dec(?:ember|))\.?" + LETTER_END
)
THANG = r"(?:tháng|thang|thg)"
NAM = r"(?:năm|nam)"


PRIME = "['′’]"  # an apostrophe or a prime: "14'30", "14′30", "14h30’"


def _clock_pattern(bare_tz: bool, capture: bool) -> str:
    """Clock time: ``14:30``, ``9:31:16``, ``14:30:00.5``, ``14h30``, ``14g30``,
    ``14 giờ 30 phút``, ``14′30``, ``14h30'``; then an optional AM/PM or time-of-day word
    and an optional zone suffix (``GMT+7``, ``(GMT+07:00)``, ``UTC``; with *bare_tz* also
    ``Z``, ``+0700``).
    Without *capture* the pattern has no groups (it is embedded in the date patterns).
    The whole is atomic: once a time is read it is never re-read shorter, which keeps
    failing matches cheap; minutes never take the day of a following "25/6"."""

    def g(name: str) -> str:
        return f"(?P<{name}>" if capture else "(?:"

    zone = (
        rf"\s*+\(?+\s*+{g('gmt')}gmt|utc)\s*"
        rf"(?:{g('O')}[+-]\s*[0-9]{{1,2}}(?::?[0-9]{{2}}|))|)\s*\)?"
    )
    if bare_tz:
        zone += rf"|\s*+{g('Z')}z{WORD_END}|[+-][0-9]{{2}}(?::?[0-9]{{2}}|)(?![0-9]))"
    return (
        rf"(?>{g('H')}2[0-3]|[01]?[0-9])"
        rf"(?::{g('M')}[0-5][0-9])(?::{g('S')}[0-5][0-9])(?:\.{g('F')}[0-9]{{1,9}})|)|)"
        rf"|(?:\s*(?:h|g|giờ|gio){LETTER_END}|{PRIME}(?=\s*[0-9]))"
        rf"(?:\s*{g('N')}[0-5]?[0-9])(?![0-9]|\s*[/.]\s*[0-9])"
        rf"(?:\s*(?:phút|phut|p{LETTER_END}|{PRIME})|)|))"
        r"(?![0-9])"
        rf"(?:\s*+{g('ap')}{AMPM_RE})|)(?:{zone}|))"
    )


def _time(p: str, bare_tz: bool = False) -> str:
    """A clock time captured whole as group ``<p>T`` (CLOCK_RE reads its parts later: few
    groups keep the big patterns fast)."""
    return rf"(?P<{p}T>{_clock_pattern(bare_tz, capture=False)})"


CLOCK_RE = re.compile(_clock_pattern(bare_tz=True, capture=True))

CONNECT = r"(?P<conn>(?>\s*[,|\-–—/(]\s*|\s+))"  # clock time -> date
POST = (
    r"(?>(?:\s*+[,|\-–—]\s*+|\s++|\s*+\(\s*+)(?:(?:vào\s++|)lúc\s*+:?\s*+|))"  # date -> clock time
)
DATE_END = r"(?![0-9]|[/.\-][0-9]|[/\-][^\W\d_])"

# ISO 8601, y/m/d paths (/2024/06/25/, /Pages/2024-4-25/) and NukeViet's broken meta, PHP's
# date('Y-m-dTH:i:s') where "T" is the zone's abbreviation: "2024-06-25+0714:30:00" (= 14:30
# at +07:00), also with a zone name ("2024-06-25ICT14:30:00" where the server's zone is
# Indochina Time, or UTC/GMT/Z). This is the one repair of that meta. Another zone name glued in
# ("2024-11-11EST22:00:00") gives no date rather than midnight of a day that may be wrong.
ISO_DATE = (
    r"(?P<iyear>(?:19|20)[0-9]{2})(?P<isep>[-/.])(?P<imon>[0-9]{1,2}+)(?P=isep)"
    r"(?P<iday>[0-9]{1,2}+)(?![0-9])"
)
ISO_TIME = rf"(?:t|_|\s+|,\s*)(?:lúc\s+|){_time('i', bare_tz=True)}"
NUKEVIET_TIME = (
    r"(?P<nz>[+-][0-9]{2}(?::?[0-9]{2}|)|ict|utc|gmt|z)"
    r"(?P<nH>[01][0-9]|2[0-3]):(?P<nM>[0-5][0-9])(?::(?P<nS>[0-5][0-9])|)"
)
ISO_ZONE_ONLY = r"(?P<oz>z|[+-][0-9]{2}:?[0-9]{2})(?![0-9])"
ISO = rf"{ISO_DATE}(?:{ISO_TIME}|{NUKEVIET_TIME}|{ISO_ZONE_ONLY}|(?![a-z]{{2,5}}[0-9]))"

# Day-first numeric date: "25/6/2024", "25 - 06 - 2024", "25.06.24", "12/1".
# A day range "10-12/6/2024" gives its first day.
DAY_RANGE = r"(?:\s*+[-–]\s*+(?P<d2>[0-9]{1,2}+)(?=\s*[/.])|)"
NUM_CORE = rf"{DAY}{DAY_RANGE}{SEP}{MONTH}(?:{SEP_AGAIN}{YEAR}|)(?:{POST}{_time('b')}|{DATE_END})"

# Long forms: "25 tháng 6 năm 2024", "25 tháng 6, 2024", "25 thg 6", "25 Tháng Sáu".
LONG_YEAR = (
    rf"(?P<ysep>\s*[,/\-]?\s*{NAM}\s+|\s*[,/\-]\s*)(?P<ly>[0-9]{{4}})(?![0-9])"
    # "25 tháng 6 2024" only when nothing but punctuation or a time ("lúc 14:30") follows
    rf"|\s+(?P<ly2>(?:19|20)[0-9]{{2}})(?![0-9])"
    rf"(?=\s*(?:\Z|[^\w\s]|[0-9]|(?:vào\s+|)lúc{LETTER_END}))"
)
LONG_CORE = (
    rf"(?P<ld>[0-9]{{1,2}}+)\s*+,?\s*+{THANG}\s*+"
    rf"(?:(?P<lm>[0-9]{{1,2}}+)(?![0-9])|(?P<mn>{MONTH_NAME}))"
    rf"(?:{LONG_YEAR}|)(?:{POST}{_time('c')}|)"
)

# Month first, WordPress's "F j, Y" in Vietnamese: "Tháng Sáu 25, 2024", "tháng 6 25, 2024",
# "Tháng Mười Hai 3, 2023 2:30 chiều".
MONTH_FIRST = (
    rf"{THANG}\s*(?:(?P<fm>[0-9]{{1,2}})(?![0-9])|(?P<fmn>{MONTH_NAME}))\s+(?P<fd>[0-9]{{1,2}})"
    rf"\s*,\s*(?P<fy>(?:19|20)[0-9]{{2}})(?![0-9])(?:{POST}{_time('f')}|)"
)

# English / RFC 822: "Tue, 25 Jun 2024 07:30:00 GMT", "25 June 2024", "June 25, 2024",
# "25-Jun-2024".
ORDINAL = r"(?:st|nd|rd|th|)"
EN_SEP = r"[\s\-/.]*+"
EN_TIME = rf"(?:\s*,?\s*(?:at\s+|){_time('e', bare_tz=True)}|)"
EN_YEAR = r"[\s,\-/.]*+(?P<ey>[0-9]{4})(?![0-9])"
EN = rf"(?P<ed>[0-9]{{1,2}}+){ORDINAL}{EN_SEP}(?:of\s+|)(?P<emn>{EN_MONTH}){EN_YEAR}{EN_TIME}"
EN_MONTH_FIRST = rf"(?P<emn>{EN_MONTH}){EN_SEP}(?P<ed>[0-9]{{1,2}}){ORDINAL}{EN_YEAR}{EN_TIME}"

# Relative forms: "5 phút trước", "cách đây 2 giờ", "14:30 hôm qua", "hôm qua lúc 14:30".
AGO = rf"(?:(?P<ago>\s*(?:trước|truoc|ago){LETTER_END}(?!\s*{words(NOT_AGO)}{LETTER_END}))|)"
UNIT = rf"\s*+(?P<u>{words(RELATIVE_UNITS)}){LETTER_END}{AGO}"
RELDAY = rf"(?P<rd>{words(RELATIVE_DAYS)}){LETTER_END}"
COUNT_AGO = rf"(?P<n>[0-9]{{1,6}}+){UNIT}"

# Shapes that start at a digit, tried at the start of each run of digits.  The run's length
# and what follows it pick the pattern (see builders.DIGIT_SHAPES), so each stays small:
#   "25/6/2024", "10-12/6/2024"                      -> NUM_RE (a date separator follows)
#   "2024-06-25T14:30:00+07:00", "/2024/06/25/"      -> ISO_RE (4 digits, a separator)
#   "14:30 - 25/06/2024", "14h30 ngày 25/6", "14:30 hôm qua", "2 giờ trước"
#                                                    -> CLOCK_FIRST_RE (":", "h", "g", a prime)
#   "25 tháng 6 năm 2024", "25 Jun 2024", "5 phút trước" -> WORD_NEXT_RE (another letter)
# Cue words *before* the first digit ("Sáng 12/1", "ngày 25 tháng 6") are read separately,
# backwards from the match (CUE_TAIL_RE).
NB = r"(?<![^\W_])(?<![0-9][/.\-:])"  # not glued to a word, nor to "<digit><sep>"
# Or a source name glued to a whole date: "Baodongnai25/06/2024", "TTXVN15-11-2024" (a glued
# year-less or dotted one stays refused).
GLUED = r"(?<=[^\W\d_])(?=[0-9]{1,2}\s*[/\-]\s*[0-9]{1,2}\s*[/\-]\s*[0-9]{4}(?![0-9]))"
NUM_RE = re.compile(rf"(?:{NB}|{GLUED}){NUM_CORE}")
# The commonest text of all, a whole "25/06/2024" or "25/06/2024 14:30[:59]": parse_date reads
# it at once (builders.from_bare_num), as the scan would through NUM_RE.  Any other text,
# even a near miss ("25/06/2024 14:30:00.5", "25 / 06 / 2024"), goes to the scan.
BARE_NUM_RE = re.compile(
    r"([0-9]{1,2})([/.\-])([0-9]{1,2})\2([0-9]{4})"
    r"(?:(?:\s*[,|\-–—]\s*|\s+)(2[0-3]|[01]?[0-9]):([0-5][0-9])(?::([0-5][0-9])|)|)"
)
ISO_RE = re.compile(rf"{NB}{ISO}")
CLOCK_FIRST_RE = re.compile(
    rf"{NB}(?:{_time('a')}(?:(?P<main>{CONNECT}(?:{CUE}|)(?:{NUM_CORE}|{LONG_CORE}))"
    rf"|(?P<relday>\s*[,\-–—]?\s*{RELDAY}))|(?P<count>{COUNT_AGO}))"
)
WORD_NEXT_RE = re.compile(rf"{NB}(?:(?P<long>{LONG_CORE})|(?P<en>{EN})|(?P<count>{COUNT_AGO}))")
# A run of digits (group 1) and what follows it: (2) a date separator, (3) a clock mark,
# (4) a letter, perhaps after a separator ("25-Jun") -- m.lastindex tells which (1: none).
# Possessive throughout (nothing after a run or its spaces could use what they give back),
# but starting with a plain [0-9], which lets the search skip ahead to a digit.
_AFTER_RUN = rf"\s*+(?:([/.\-])(?!\s*+[^\W\d_])|([:hg]|{PRIME})|[/.\-]?+\s*+([^\W\d_])"
RUN_RE = re.compile(rf"([0-9][0-9]*+){_AFTER_RUN}|)")
# The same, skipping the runs that nothing follows (lastindex 1): where the scan goes next.
NEXT_RUN_RE = re.compile(rf"([0-9][0-9]*+){_AFTER_RUN})")

# Shapes that start with a word: "hôm qua lúc 14:30", "vừa xong", "một giờ trước",
# "June 25, 2024", "Tháng Sáu 25, 2024".  Only scanned when WORD_GATE_RE finds one of their
# key words.  The look-ahead for the first word of a shape (WORD_STARTS) implies nothing the
# shapes do not, but rejects most places at once.
WORD_STARTS = sorted(
    {
        word.split()[0]
        for word in (*RELATIVE_DAYS, *JUST_NOW, *NUMBER_WORDS, *EN_MONTHS, "tháng", "thang", "thg")
    }
)
WORD_RE = re.compile(
    rf"(?={words(WORD_STARTS)})"
    rf"(?<![^\W_])(?:(?P<relday>{RELDAY}(?:\s*[,\-–—]?\s*(?:lúc\s*|){_time('s')}|))"
    rf"|(?P<now>{words(JUST_NOW)}){LETTER_END}"
    rf"|(?P<count>(?P<n>{words(NUMBER_WORDS)}){UNIT})"
    rf"|(?P<en>{EN_MONTH_FIRST})"
    rf"|(?P<mf>{MONTH_FIRST}))"
)


# Each key word is written from one of its less common letters on, the letters before it
# checked by a look-behind ("r(?<=tr)ước"): every alternative starts with a literal letter, so
# the search skips ahead fast, and it stops at few places ("n", "h", "t", "g", "m" are
# everywhere in Vietnamese).
def _from_letter(word: str, at: int) -> str:
    """*word* as a pattern that starts at its letter *at*: "trước", 1 -> "r(?<=tr)ước"."""
    behind = f"(?<={re.escape(word[: at + 1])})" if at else ""
    return re.escape(word[at]) + behind + re.escape(word[at + 1 :])


WORD_GATE_RE = re.compile("|".join(_from_letter(word, at) for word, at in GATE_WORDS.items()))

CUE_WINDOW = 28  # how far back cue words are looked for
CUE_TAIL_RE = re.compile(rf"(?<![^\W_]){CUE_CHAIN}\Z")
CUE_CHAIN_RE = re.compile(CUE_CHAIN)
RANGE_DASH_RE = re.compile(r"\s*[-–—]\s*(?:ngày\s*|)")
YEAR_AFTER_RE = re.compile(r"\s*[0-9]{4}(?![0-9])")
MUNG_TAIL_RE = re.compile(r"(?:mùng|mồng)\s*\Z")
CACH_DAY_TAIL_RE = re.compile(r"cách\s+đây\s*\Z")
# After a day-month opening a headline ("25/6: Khai mạc", "(20/11) Lễ"): a closing bracket or
# a colon, dash or bar, then the headline's first word.
HEADLINE_TAIL_RE = re.compile(r"\s*(?:[)\]]\s*(?:[:|\-–—]\s*|)|[:|\-–—]\s*)(?=[^\W\d_])")

LUNAR_AFTER_RE = re.compile(
    rf"\s*[(,\-–]?\s*(?:(?:tức\s+|){words(LUNAR_MARKERS)}|năm\s+{words(CAN_STEMS)}){LETTER_END}"
)
DRAW_WORD_RE = re.compile(rf"(?<![^\W_]){words(DRAW_WORDS)}{LETTER_END}")
VERSION_BEFORE_RE = re.compile(r"(?:phiên\s*bản|version|ver\.?|bản)\s*\Z")
PERIOD_IN_RE = re.compile(words(PERIODS) + LETTER_END)
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

#: Words naming a day relative to now; an explicit date after them names that day itself.
TODAY_WORD_RE = re.compile(r"hôm (?:nay|qua|kia)")
