"""Vietnam's provinces since the merger of 2025-07-01 (34 units: 11 unchanged, 23 merged)
and the 63 before it, each mapped to the one it is now part of.

``tinmoi add`` writes the post-merger province; when the page names a former one, both
are printed (the portal's own title keeps the name it was published under).
"""

from __future__ import annotations

import re

from crawler.text import slugify

#: Each province since 2025-07-01, with the former provinces merged into it (itself first
#: when its name was kept). The 11 with no list after them were not merged.
MERGED: dict[str, tuple[str, ...]] = {
    "Hà Nội": (),
    "Huế": (),
    "Lai Châu": (),
    "Điện Biên": (),
    "Sơn La": (),
    "Lạng Sơn": (),
    "Quảng Ninh": (),
    "Thanh Hóa": (),
    "Nghệ An": (),
    "Hà Tĩnh": (),
    "Cao Bằng": (),
    "Tuyên Quang": ("Tuyên Quang", "Hà Giang"),
    "Lào Cai": ("Lào Cai", "Yên Bái"),
    "Thái Nguyên": ("Thái Nguyên", "Bắc Kạn"),
    "Phú Thọ": ("Phú Thọ", "Vĩnh Phúc", "Hòa Bình"),
    "Bắc Ninh": ("Bắc Ninh", "Bắc Giang"),
    "Hưng Yên": ("Hưng Yên", "Thái Bình"),
    "Hải Phòng": ("Hải Phòng", "Hải Dương"),
    "Ninh Bình": ("Ninh Bình", "Hà Nam", "Nam Định"),
    "Quảng Trị": ("Quảng Trị", "Quảng Bình"),
    "Đà Nẵng": ("Đà Nẵng", "Quảng Nam"),
    "Quảng Ngãi": ("Quảng Ngãi", "Kon Tum"),
    "Gia Lai": ("Gia Lai", "Bình Định"),
    "Khánh Hòa": ("Khánh Hòa", "Ninh Thuận"),
    "Lâm Đồng": ("Lâm Đồng", "Đắk Nông", "Bình Thuận"),
    "Đắk Lắk": ("Đắk Lắk", "Phú Yên"),
    "TP. Hồ Chí Minh": ("TP. Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"),
    "Đồng Nai": ("Đồng Nai", "Bình Phước"),
    "Tây Ninh": ("Tây Ninh", "Long An"),
    "Cần Thơ": ("Cần Thơ", "Sóc Trăng", "Hậu Giang"),
    "Vĩnh Long": ("Vĩnh Long", "Bến Tre", "Trà Vinh"),
    "Đồng Tháp": ("Đồng Tháp", "Tiền Giang"),
    "Cà Mau": ("Cà Mau", "Bạc Liêu"),
    "An Giang": ("An Giang", "Kiên Giang"),
}
#: Other spellings of a name (folded) → the name in :data:`MERGED` or a former one.
SPELLINGS = {
    "thua thien hue": "Huế",
    "ho chi minh": "TP. Hồ Chí Minh",
    "tp hcm": "TP. Hồ Chí Minh",
    "tphcm": "TP. Hồ Chí Minh",
    "ba ria vung tau": "Bà Rịa - Vũng Tàu",
    "dak lak": "Đắk Lắk",
    "dak nong": "Đắk Nông",
}
#: What a national body (a ministry, a general department) is filed under.
NATIONAL = "Toàn quốc"
_NATIONAL_RE = re.compile(r" (?:bo|tong cuc) ")

#: Every former province → the province it is part of now (the unchanged ones too).
NOW_PART_OF: dict[str, str] = {
    **{new: new for new in MERGED},
    **{old: new for new, olds in MERGED.items() for old in olds},
}


def _key(name: str) -> str:
    return slugify(name).replace("-", " ")


_BY_KEY = {_key(name): name for name in NOW_PART_OF} | SPELLINGS


def current(name: str) -> str:
    """The province ``name`` (former or current, any spelling) is part of today; the name
    unchanged when it is not a province."""
    found = _BY_KEY.get(_key(name))
    return NOW_PART_OF.get(found, found) if found else name


def named_in(*texts: str) -> str | None:
    """The province (as the text names it, former names kept) that the first of ``texts``
    naming one names first; the longest name wins where names overlap. A ministry is
    national."""
    for text in texts:
        words = f" {_key(text)} "
        found = [(at, -len(key), key) for key in _BY_KEY if (at := words.find(f" {key} ")) >= 0]
        if found:
            return _BY_KEY[min(found)[2]]
        if _NATIONAL_RE.search(words):
            return NATIONAL
    return None
