import unicodedata

import pytest

from crawler.text import (
    byline,
    clean_line,
    clean_text,
    fix_mojibake,
    nfc,
    slugify,
    summarize,
    xml_safe,
)


def test_nfc_composes_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Hội nghị du lịch Hà Nam")
    assert decomposed != "Hội nghị du lịch Hà Nam"
    assert nfc(decomposed) == "Hội nghị du lịch Hà Nam"


def test_old_and_new_tone_placement_stay_distinct_after_nfc():
    assert nfc("hòa") != nfc("hoà")


def test_clean_text_removes_invisible_and_control_characters():
    assert (
        clean_text("Chùa\u200b Tam\u00a0\u00a0Chúc\x07\r\n\n  Hà Nam ") == "Chùa Tam Chúc\nHà Nam"
    )
    assert clean_line("  Đền\n Trần  Thương ") == "Đền Trần Thương"


def test_fix_mojibake_repairs_utf8_read_as_cp1252():
    assert fix_mojibake("H\u00c3\u00a0 Nam") == "Hà Nam"
    assert fix_mojibake("Th\u00c6\u00b0\u00e1\u00bb\u009dng") == "Thường"
    assert fix_mojibake("Hà Nam") == "Hà Nam"


def test_summarize_cuts_at_a_word_with_an_ellipsis():
    text = "Lễ hội " * 100
    summary = summarize(text, 50)
    assert summary == "Lễ hội Lễ hội Lễ hội Lễ hội Lễ hội Lễ hội Lễ hội…"
    assert summarize("Ngắn gọn.", 50) == "Ngắn gọn."


def test_slugify_folds_d_with_stroke():
    assert slugify("Đền Trần Thương – Lễ hội") == "den-tran-thuong-le-hoi"


#: Every character XML 1.0 forbids, or that Unicode reserves as a noncharacter.
FORBIDDEN = [
    *map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xD800, 0xDFFF]),
    *map(chr, range(0xFDD0, 0xFDF0)),
    *(chr(plane | low) for plane in range(0, 0x110000, 0x10000) for low in (0xFFFE, 0xFFFF)),
]


@pytest.mark.parametrize("char", FORBIDDEN, ids=lambda c: f"U+{ord(c):04X}")
def test_what_xml_cannot_carry_is_removed_when_storing_and_writing(char):
    assert xml_safe(f"Hà{char} Nam") == "Hà Nam"
    assert clean_text(f"Hà{char} Nam") == "Hà Nam"


def test_what_xml_carries_is_kept():
    kept = "\t\n\r\ufdcf\ufdf0\ufffd\U00010000\U0001fffd\U0010fffd Hà Nam"
    assert xml_safe(kept) == kept


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("Nguồn: Báo điện tử tỉnh", "Báo điện tử tỉnh"),
        ("Nguồn tin:  Sở Văn hóa", "Sở Văn hóa"),
        ("Tác giả: Thu Trang", "Thu Trang"),
        ("Tin và ảnh: Quang Hưng", "Quang Hưng"),
        ("Quang Hưng", "Quang Hưng"),
        ("Nguồn Việt", "Nguồn Việt"),  # a name, not a label
    ],
)
def test_a_byline_loses_the_label_printed_before_it(printed, name):
    assert byline(printed) == name
