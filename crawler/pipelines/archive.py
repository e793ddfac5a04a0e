"""Keep every article in the archive, and every dropped URL with its reason."""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.http import Response

from crawler.archive import Archive, PortalInfo
from crawler.attachments import document_text, document_type
from crawler.items import Article, Attachment, Dropped, Removed
from crawler.pipelines import CrawlerPipeline


class ArchivePipeline(CrawlerPipeline):
    """Upsert articles (never duplicating one) and record drops; stats count outcomes."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.archive: Archive | None = None
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)

    def open_spider(self) -> None:
        """Open the archive and record the portal's description."""
        self.archive = Archive.open(self.crawler.settings.get("TINMOI_DB"), now=self.now)
        spider = self.crawler.spider
        if hasattr(spider, "describe"):
            self.archive.upsert_portal(PortalInfo(**spider.describe()), self.now)

    def close_spider(self) -> None:
        """Release the archive."""
        if self.archive is not None:
            self.archive.close()

    def process_item(self, item: Any) -> Any:
        """Store an article, a document it links to, or a dropped URL."""
        assert self.archive is not None
        if isinstance(item, Dropped):
            self.archive.record_dropped(item.portal, item.url, item.reason, item.detail, self.now)
        elif isinstance(item, Removed):
            if not self.archive.mark_removed(item.key, self.now):
                reason = f"http {item.status}"
                self.archive.record_dropped(item.portal, item.url, reason, "", self.now)
        elif isinstance(item, Article):
            outcome = self.archive.upsert_article(item, self.now)
            self.stats.inc_value(f"tinmoi/articles/{outcome}")
        elif isinstance(item, Attachment):
            kind = document_type(item.content_type, item.url)
            text, no_text = document_text(item.body, kind, item.url)
            if no_text:
                self.stats.inc_value(f"tinmoi/attachments/no_text/{no_text.replace(' ', '_')}")
            outcome = self.archive.add_attachment(
                item.article_key, item.url, kind, item.body, text, self.now
            )
            self.stats.inc_value(f"tinmoi/attachments/{outcome}")
        return item

    def item_dropped(
        self, item: Any, response: Response, exception: Exception, spider: Any = None
    ) -> None:
        """Record an article a pipeline dropped, with the pipeline's reason."""
        if self.archive is None or not isinstance(item, Article):
            return
        reason = str(exception).split(":", 1)[0] if isinstance(exception, DropItem) else "error"
        self.crawler.spider.logger.warning("dropped %s: %s", item.url, exception)
        self.archive.record_dropped(item.portal, item.url, reason, str(exception), self.now)
