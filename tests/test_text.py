import unicodedata

from crawler.text import clean_line, clean_text, fix_mojibake, nfc, slugify, summarize


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
