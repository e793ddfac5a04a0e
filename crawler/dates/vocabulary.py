"""Vietnamese (and English) date vocabulary, as plain tables (lower case, NFC).

Unaccented spellings occur in slugs and legacy pages.  The patterns (:mod:`.patterns`) are
built from these tables; the builders (:mod:`.builders`) read values back through them.
"""

from __future__ import annotations

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

# Words of lottery draws, scores and number sequences: dashed numbers after them are drawn
# numbers or a score ("Giải đặc biệt: 12-05-23"), not a date.
DRAW_WORDS: tuple[str, ...] = (
    "xổ số", "xo so", "xs", "xsmb", "xsmn", "xsmt", "xskt", "vietlott", "mega", "power",
    "giải", "đặc biệt", "kết quả", "tỉ số", "tỷ số", "ti so", "ty so", "chung cuộc", "thắng",
    "thua", "hòa", "hoà", "hiệp", "dãy số", "bộ số", "cặp số", "con số", "lô", "loto",
    "lotto", "mã",
)  # fmt: skip

# Lunar markers right after a date, and the heavenly stems that open lunar year names.
LUNAR_MARKERS: tuple[str, ...] = ("âm lịch", "theo âm lịch", "âl", "al")
CAN_STEMS: tuple[str, ...] = (
    "giáp", "ất", "bính", "đinh", "mậu", "kỷ", "kỉ", "canh", "tân", "nhâm", "quý", "quí",
)  # fmt: skip


# Key words of the shapes that start with a word, each with the index of one of its less
# common letters: the word gate (see patterns.WORD_GATE_RE) stops only at those.
GATE_WORDS: dict[str, int] = {  # key word -> index of the letter the search stops at
    "hôm": 1, "hom": 1, "tháng": 2, "vừa": 0, "vua": 0, "just": 0,
    "trước": 1, "trươc": 1, "truớc": 1, "truoc": 1, "ago": 0,
    "jan": 0, "feb": 0, "mar": 2, "apr": 0, "may": 1, "jun": 0, "jul": 0, "aug": 0,
    "sep": 1, "oct": 0, "nov": 2, "dec": 1,
}  # fmt: skip

# Lookups keyed without white space (patterns allow "mười  một", "hômnay").
MONTH_BY_KEY = {k.replace(" ", ""): v for k, v in MONTH_NAMES.items()}
RELDAY_BY_KEY = {k.replace(" ", ""): v for k, v in RELATIVE_DAYS.items()}
