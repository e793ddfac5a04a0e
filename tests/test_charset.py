"""Charset repair: a stray invalid byte sequence never turns a UTF-8 page into mojibake,
and real windows-1258 pages are still read as windows-1258."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.middlewares.charset import CharsetMiddleware
from tests.conftest import NOW, map_args, tinmoi
from tests.test_runs import site, target  # noqa: F401 (the fixture)
from tinmoi.snapshot import snapshot_dir

TITLE = "Bảo đảm an toàn giao thông dịp nghỉ lễ 2/9 trên các tuyến quốc lộ"
STRAY = b"\xed\xa0\x80"  # a UTF-16 surrogate encoded as UTF-8: never valid UTF-8


def page(charset: str) -> bytes:
    text = "Sở Giao thông vận tải yêu cầu các đơn vị tăng cường tuần tra, kiểm soát."
    head = f'<meta charset="{charset}">' if charset else ""
    return (
        (
            f"<html><head>{head}<title>{TITLE}</title></head><body><h1>{TITLE}</h1><p>{text}</p>"
        ).encode()
        + STRAY
        + f"<p>{text}</p></body></html>".encode()
    )


def repaired(body: bytes, content_type: str) -> HtmlResponse:
    crawler = get_crawler()
    url = "https://example.gov.vn/tin-tuc/1.html"
    response = HtmlResponse(
        url, body=body, headers={"Content-Type": content_type}, request=Request(url)
    )
    return CharsetMiddleware(crawler).process_response(response.request, response)


@pytest.mark.parametrize(
    ("charset", "content_type"),
    [
        ("utf-8", "text/html; charset=utf-8"),
        ("", "text/html"),
        ("", "text/html; charset=windows-1258"),
    ],
)
def test_a_stray_invalid_sequence_in_a_utf8_page_keeps_it_utf8(charset, content_type):
    response = repaired(page(charset), content_type)
    assert response.encoding == "utf-8"
    assert response.css("title::text").get() == TITLE
    assert response.css("p::text").getall()[0].startswith("Sở Giao thông vận tải")
    assert "\ufffd\ufffd\ufffd" in response.text  # the stray bytes, and only them, replaced


def test_a_windows_1258_page_labelled_utf8_is_still_read_as_windows_1258():
    article = snapshot_dir("mt_gov") / "main" / "articles"
    response = repaired((article / "89990.html").read_bytes(), "text/html; charset=utf-8")
    assert response.encoding == "cp1258"
    title = unicodedata.normalize("NFC", response.css("title::text").get().strip())
    assert title == "Thí điểm thu phí không dừng tại các bãi đỗ xe ở Hà Nội"


def test_a_crawled_page_with_a_stray_sequence_keeps_its_exact_title_and_text(site, tmp_path):  # noqa: F811
    lead = "đặc biệt là các gia đình trẻ."
    site.servers["main"].faults = {target(site, 10465): [f"stray:{lead}"]}
    db = tmp_path / "a.sqlite3"
    proc = tinmoi(
        "crawl", "hanam_tourism", *map_args(site), "--profile", "loopback",
        "--db", str(db), "--now", NOW,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(db) as conn:
        query = "select title, content_text from articles where key = ?"
        title, text = conn.execute(query, ("hanam_tourism:news_10465",)).fetchone()
    assert title == "Homestay ven hồ Tam Chúc hút khách nghỉ dưỡng dịp hè"
    first = text.split("\n")[0]
    assert first.startswith("Những năm gần đây, khu vực quanh hồ Tam Chúc xuất hiện")
    assert first.endswith(lead + "\ufffd\ufffd\ufffd")
