"""The generic platform: each page read on its own, dates only from the article itself."""

from __future__ import annotations

import gc

from scrapy.http import HtmlResponse, Request
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

from crawler.platforms.base import ListingEntry

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
        title, _ = spider.extract_title(response, listed)
        body = spider.extract_body(response)
        found.append((title, f"Cây cầu số {number} dài {100 + number} mét" in body))
        del response
        gc.collect()
    assert found == [
        (f"Đồng Tháp khánh thành cây cầu số {n} nối hai xã ven sông Tiền", True)
        for n in range(1, 9)
    ]
