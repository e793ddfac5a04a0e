"""What the normalising pipelines make of hostile or broken pages."""

from __future__ import annotations

import unicodedata

from crawler.replay import extract_page
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


def test_a_canonical_link_off_the_portal_or_not_http_is_ignored():
    from crawler.spiders.hanam_tourism import HanamTourismSpider as Spider

    for canonical in (
        "javascript:alert(document.domain)//x/detailnews/?id=news_1",
        "https://evil.example/vi/detailnews/?id=news_1&t=a",
    ):
        page = f"""<html><head><link rel="canonical" href="{canonical}"></head><body>
        <div class="detail-news"><h1 class="title-detail">Bài</h1>
        <p class="date-detail">25/06/2024</p><div class="content-detail"><p>Nội dung.</p>
        </div></div></body></html>"""
        article = extract_page(Spider, URL, page.encode(), {}, NOW).article
        assert article.url == URL


def test_fractions_of_a_second_are_not_kept():
    from crawler.spiders.hanam_tourism import HanamTourismSpider as Spider

    page = """<html><head><meta property="article:published_time"
    content="2024-06-25T14:30:00.123+07:00"></head><body><div class="detail-news">
    <h1 class="title-detail">Bài</h1><div class="content-detail"><p>Nội dung.</p></div>
    </div></body></html>"""
    article = extract_page(Spider, URL, page.encode(), {}, NOW).article
    assert article.published.isoformat() == "2024-06-25T14:30:00+07:00"


def test_retry_after_forms():
    from datetime import UTC, datetime

    from crawler.middlewares.retry_after import retry_after_seconds

    now = datetime(2024, 6, 25, 7, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now) == 120.0
    assert retry_after_seconds("Tue, 25 Jun 2024 07:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Tue, 25 Jun 2024 07:00:30 -0000", now) == 30.0
    assert retry_after_seconds("soon", now) is None
