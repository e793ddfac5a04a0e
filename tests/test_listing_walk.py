"""A section's walk: next pages by their number, never past a repeated page, and loud
when a listing links to no article or to a next page that was not followed."""

from __future__ import annotations

from pathlib import Path

from scrapy.http import HtmlResponse, Request
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.run import judge

LISTING = (
    Path(__file__).parent.parent / "tinmoi" / "snapshots" / "hanam_tourism" / "main" / "listing"
)
SECTION_URL = "https://hanamtourism.vn/vi/news/?id=cat_2&t=diem-den"


def spider_on_a_crawler(name: str = "hanam_tourism", **attributes: object):
    """The portal's spider (a subclass with ``attributes`` when given) on a crawler."""
    cls = get_spider_loader(get_project_settings()).load(name)
    if attributes:
        cls = type(cls.__name__, (cls,), attributes)
    crawler = get_crawler(cls)
    return cls.from_crawler(crawler)


def listing_page(number: int) -> HtmlResponse:
    url = SECTION_URL if number == 1 else f"{SECTION_URL}&page={number}"
    body = (LISTING / f"diem-den-{number}.html").read_bytes()
    return HtmlResponse(url, body=body, encoding="utf-8", request=Request(url))


def walk(spider, number: int) -> list[Request]:
    section = next(s for s in spider.sections if s.slug == "diem-den")
    return list(spider.parse_listing(listing_page(number), section, number))


def listings(requests: list[Request]) -> list[str]:
    return [r.url for r in requests if r.meta["tinmoi_kind"] == "listing"]


def test_a_pager_the_selector_misses_is_followed_by_the_page_number():
    spider = spider_on_a_crawler(next_page_selector=".phan-trang a.sau::attr(href)")
    assert listings(walk(spider, 1)) == [f"{SECTION_URL}&page=2"]
    assert listings(walk(spider, 2)) == [f"{SECTION_URL}&page=3"]
    assert listings(walk(spider, 3)) == []
    assert not [k for k in spider.crawler.stats.get_stats() if "pager_not_followed" in k]


def test_a_pager_selector_matching_a_script_link_is_passed_over_for_the_page_number():
    spider = spider_on_a_crawler(next_page_selector=".pagination li.active a::attr(href)")
    page = listing_page(1)
    body = page.body.replace(
        b'<li class="active"><span>1</span></li>',
        b'<li class="active"><a href="javascript:void(0)">1</a></li>',
    )
    assert body != page.body
    section = next(s for s in spider.sections if s.slug == "diem-den")
    requests = list(spider.parse_listing(page.replace(body=body), section, 1))
    assert listings(requests) == [f"{SECTION_URL}&page=2"]


def test_a_page_bringing_no_new_article_ends_the_walk():
    spider = spider_on_a_crawler()
    walk(spider, 3)  # the portal answers an out-of-range page with its last one
    section = next(s for s in spider.sections if s.slug == "diem-den")
    again = HtmlResponse(
        f"{SECTION_URL}&page=4", body=listing_page(3).body, encoding="utf-8",
        request=Request(f"{SECTION_URL}&page=4"),
    )  # fmt: skip
    assert list(spider.parse_listing(again, section, 4)) == []
    assert spider.crawler.stats.get_value("tinmoi/listing/repeated_page") == 1


def test_a_next_page_the_definition_does_not_take_is_recorded_and_fails_the_portal():
    spider = spider_on_a_crawler(next_page_request=lambda self, response, section, page: None)
    requests = walk(spider, 1)
    assert listings(requests) == []
    stats = spider.crawler.stats.get_stats()
    assert stats["tinmoi/listing/pager_not_followed/diem-den"] == (
        f"page 1 links to page 2 ({SECTION_URL}&page=2)"
    )
    report = judge("hanam_tourism", "https://hanamtourism.vn", stats)
    assert (report.status, report.exit_code) == ("failing", 3)
    assert report.message == (
        "hanam_tourism: a walk stopped before the listing's last page (diem-den: page 1 "
        f"links to page 2 ({SECTION_URL}&page=2), not followed): is next_page_selector right?"
    )


def test_a_listing_whose_entries_link_to_no_article_fails_the_portal():
    spider = spider_on_a_crawler(listing_link_selector=".item-news img::attr(src)")
    assert listings(walk(spider, 1)) == [f"{SECTION_URL}&page=2"]  # no article asked for
    stats = spider.crawler.stats.get_stats()
    assert stats["tinmoi/listing/no_article_links/diem-den"] == 8
    assert stats["tinmoi/listing/not_article"] == 8
    report = judge("hanam_tourism", "https://hanamtourism.vn", stats)
    assert (report.status, report.exit_code) == ("failing", 3)
    assert report.message == (
        "hanam_tourism: the listing of diem-den (8 entries) links to no article the platform "
        "recognises (every link failed its article-URL test): is the article pattern right?"
    )
