"""What the normalising pipelines make of hostile or broken pages."""

from __future__ import annotations

import unicodedata

from crawler.extract import extract_page
from crawler.spiders.hanam_tourism import HanamTourismSpider

NOW = "2024-11-20T10:00:00+07:00"
URL = "https://hanamtourism.vn/vi/detailnews/?id=news_1&t=a"


def extract(body: str, encoding: str = "utf-8"):
    page = f"""<html><body><div class="detail-news"><h1 class="title-detail">{body}</h1>
    <p class="date-detail">25/06/2024</p><div class="content-detail"><p>{body}</p>
    <p>Đoạn hai.</p></div></div></body></html>"""
    return extract_page(HanamTourismSpider, URL, page.encode(encoding), {}, NOW).article


def test_control_characters_and_surrogates_are_stripped():
    article = extract("Hội\x0b nghị\x1b &#1; &#xD800; du lịch\x7f")
    # The parser marks the lone surrogate with U+FFFD; the control characters are gone.
    assert article.title == "Hội nghị \ufffd du lịch"
    assert article.content_text == "Hội nghị \ufffd du lịch\nĐoạn hai."


def test_decomposed_text_comes_out_composed():
    article = extract(unicodedata.normalize("NFD", "Lễ hội Tịch điền Đọi Sơn"))
    assert article.title == "Lễ hội Tịch điền Đọi Sơn"
    assert article.content_text == "Lễ hội Tịch điền Đọi Sơn\nĐoạn hai."
    assert unicodedata.is_normalized("NFC", article.content_html)
