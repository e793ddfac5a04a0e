"""Responses that are not text where a page was expected: never a crash, never silent."""

from __future__ import annotations

from dataclasses import asdict

from scrapy.http import Request, Response
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.items import Dropped
from crawler.platforms.records import ListingEntry


def spider_on_a_crawler(name: str):
    """The portal's spider bound to a crawler (for its stats), not started."""
    cls = get_spider_loader(get_project_settings()).load(name)
    crawler = get_crawler(cls)
    return cls.from_crawler(crawler)


def test_an_article_address_answering_a_file_is_dropped_to_be_asked_again():
    spider = spider_on_a_crawler("hanam_tourism")
    url = "https://hanamtourism.vn/vi/detailnews/?id=news_7&t=bao-cao"
    listed = ListingEntry(url, "hanam_tourism:news_7", "tin-tuc-su-kien", "Báo cáo", "", 3)
    response = Response(
        url, body=b"%PDF-1.7", headers={"Content-Type": "application/pdf"}, request=Request(url)
    )
    assert list(spider.parse_article(response, listed)) == [
        Dropped(
            "hanam_tourism",
            url,
            "not html",
            "answered application/pdf",
            "hanam_tourism:news_7",
            asdict(listed),
        )
    ]
    assert spider.crawler.stats.get_value("tinmoi/dropped/not_html") == 1


def test_a_listing_answering_a_file_is_an_empty_listing_that_fails_its_section():
    spider = spider_on_a_crawler("hanam_tourism")
    section = spider.sections[0]
    url = "https://hanamtourism.vn" + section.path
    response = Response(url, body=b"\x89PNG\r\n", request=Request(url))
    assert list(spider.parse_listing(response, section, 1)) == []
    stats = spider.crawler.stats
    assert stats.get_value("tinmoi/listing/empty") == 1
    assert stats.get_value(f"tinmoi/listing/empty_section/{section.slug}") == 1
