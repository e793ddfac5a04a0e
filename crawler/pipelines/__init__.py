"""Item pipelines, one component per module, in the order settings.ITEM_PIPELINES runs them."""

from __future__ import annotations

from scrapy import Spider
from scrapy.crawler import Crawler

from crawler.clock import crawl_now


class CrawlerPipeline:
    """Base for pipelines that need the crawler (stats, settings, the running spider) and
    the crawl's "now", fixed once per crawl (the ``TINMOI_NOW`` setting pins it)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.now = crawl_now(crawler.settings.get("TINMOI_NOW"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlerPipeline:
        """Scrapy's constructor hook."""
        return cls(crawler)

    @property
    def spider(self) -> Spider:
        """The running spider (Scrapy opens it before any item reaches a pipeline)."""
        spider = self.crawler.spider
        assert spider is not None, "a pipeline used outside a crawl"
        return spider
