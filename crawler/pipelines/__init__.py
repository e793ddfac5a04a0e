"""Item pipelines, one component per module, in the order settings.ITEM_PIPELINES runs them."""

from __future__ import annotations

from scrapy.crawler import Crawler


class CrawlerPipeline:
    """Base for pipelines that need the crawler (stats, settings, the running spider)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlerPipeline:
        """Scrapy's constructor hook."""
        return cls(crawler)
