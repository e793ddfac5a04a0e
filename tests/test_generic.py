"""The generic platform: each page read on its own, dates only from the article itself."""

from __future__ import annotations

import gc

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

from crawler.platforms.base import ListingEntry
from crawler.replay import extract_page, observed

LOADER = get_spider_loader(get_project_settings())
NOW = "2025-08-01T09:00:00+07:00"


def page(number: int) -> bytes:
    title = f"Đồng Tháp khánh thành cây cầu số {number} nối hai xã ven sông Tiền"
    text = " ".join([f"Cây cầu số {number} dài {100 + number} mét, do tỉnh đầu tư."] * 4)
    return (
        f"<html><head><title>{title}</title></head><body><div class='content'>"
        f"<h1>{title}</h1><p>{text}</p><p>{text} Người dân đi lại thuận tiện hơn.</p>"
        "</div></body></html>"
    ).encode()


def test_pages_freed_in_turn_each_keep_their_own_title_and_body():
    spider = LOADER.load("dongthap_gov")()
    found = []
    for number in range(1, 9):
        url = f"https://dongthap.gov.vn/tin-tuc/chi-tiet?id={number}"
        response = HtmlResponse(url, body=page(number), encoding="utf-8", request=Request(url))
        listed = ListingEntry(url, f"dongthap_gov:{number}", "tin-hoat-dong", "", "", 0)
        fields = spider.page_fields(response, listed)
        title, body = fields.title, fields.content_html()
        found.append((title, f"Cây cầu số {number} dài {100 + number} mét" in body))
        del response
        gc.collect()
    assert found == [
        (f"Đồng Tháp khánh thành cây cầu số {n} nối hai xã ven sông Tiền", True)
        for n in range(1, 9)
    ]


ARTICLE = "https://cds.binhphuoc.gov.vn/Tin-tuc/binh-phuoc-cap-chu-ky-so-cho-nguoi-dan-500.html"
TITLE = "Bình Phước cấp chữ ký số miễn phí cho người dân"
LEAD = "<p>Trung tâm Chuyển đổi số cấp chữ ký số cho 500 người dân.</p><p>Việc cấp tiếp tục.</p>"


def others(after: str) -> str:
    """Links to two other articles, each with its date (``after`` its title)."""
    return "".join(
        f'<li><a href="/Tin-tuc/tin-khac-so-{n}-{n}.html">Tập huấn kỹ năng số '
        f"cho cán bộ xã đợt {n}{after.format(day=10 + n)}</a></li>"
        for n in (1, 2)
    )


TABLE_OTHERS = others(" <i>({day}/11/2026)</i>").replace("li>", "p>")
#: Pages with no date line and a short body, and a box of dated links to other articles.
RELATED_LAYOUTS = {
    "box-inside-the-container": (
        f'<div class="detail"><h1>{TITLE}</h1>{LEAD}<div class="box"><h3>Tin khác</h3>'
        f"<ul>{others(' ({day}/11/2026)')}</ul></div></div>"
    ),
    "box-after-the-container": (
        f'<div class="detail"><h1>{TITLE}</h1><div class="text">{LEAD}</div></div>'
        f'<div class="box"><strong>Tin liên quan</strong><ul>{others("")}</ul>'
        "<span>(16/11/2026)</span></div>"
    ),
    "unheaded-links-after-the-article": (
        f"<article><h1>{TITLE}</h1>{LEAD}</article><div><ul>{others(' - {day}/11/2026')}</ul></div>"
    ),
    "table-layout": (
        f"<table><tr><td><h1>{TITLE}</h1></td></tr><tr><td>{LEAD}</td></tr>"
        f"<tr><td><b>Các tin khác</b><br>{TABLE_OTHERS}"
        "</td></tr></table>"
    ),
}


@pytest.mark.parametrize("layout", RELATED_LAYOUTS)
def test_a_related_news_box_never_dates_the_article(layout):
    html = (
        f"<html><head><title>{TITLE}</title></head><body>"
        f"{RELATED_LAYOUTS[layout]}<footer>Điện thoại: 0271 3879 111</footer></body></html>"
    )
    listing = {"section": "tin-chuyen-doi-so", "title": TITLE, "date_text": "(18/11/2026)"}
    spider = LOADER.load("cds_binhphuoc")
    found = observed(
        extract_page(spider, ARTICLE, html.encode(), listing, "2026-11-20T09:00:00+07:00")
    )
    assert (found["title"], found["published"], found["date_source"]) == (
        TITLE,
        "2026-11-18T00:00:00+07:00",
        "listing",
    )


def test_a_page_is_read_by_trafilatura_once_and_a_portal_hook_adjusts_its_fields(monkeypatch):
    import trafilatura

    calls = []
    real = trafilatura.bare_extraction

    def counted(*args, **kwargs):
        calls.append(kwargs["url"])
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", counted)
    base = LOADER.load("dongthap_gov")

    class Tagged(base):
        def post_process_fields(self, fields, response):
            fields.author = "Ban biên tập"
            return fields

    url = "https://dongthap.gov.vn/tin-tuc/chi-tiet?id=3"
    listed = {"section": "tin-hoat-dong", "title": "", "date_text": "31/07/2025"}
    found = observed(extract_page(Tagged, url, page(3), listed, NOW))
    assert calls == [url]
    assert (found["title"], found["author"], found["published"], found["date_source"]) == (
        "Đồng Tháp khánh thành cây cầu số 3 nối hai xã ven sông Tiền",
        "Ban biên tập",
        "2025-07-31T00:00:00+07:00",
        "listing",
    )
