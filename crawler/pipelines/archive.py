"""Keep every article in the archive, and every dropped URL with its reason.

A fetch whose body shrank drastically is held (``tinmoi/articles/held``); one that
confirms a revision held since at least 6 h is applied when the crawl closes, unless most
of the crawl's articles were held (a layout change, never an edit) or the crawl was stopped.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.http import Response

from crawler import shutdown
from crawler.archive import Archive, PortalInfo
from crawler.attachments import document_text, document_type
from crawler.crawl_archive import crawl_archive
from crawler.definition import definition_hash
from crawler.items import Article, Attachment, Dropped, Removed
from crawler.pipelines import CrawlerPipeline
from crawler.run import layout_changed


class ArchivePipeline(CrawlerPipeline):
    """Upsert articles (never duplicating one) and record drops; stats count outcomes."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.archive: Archive | None = None
        self.definition: str | None = None
        #: Articles whose held revision this crawl confirmed, applied when it closes.
        self.confirmed: list[str] = []
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)

    def open_spider(self) -> None:
        """Open the archive and record the portal's description."""
        self.archive = crawl_archive(self.crawler)
        spider = self.spider
        self.definition = definition_hash(type(spider))
        if hasattr(spider, "describe"):
            self.archive.upsert_portal(PortalInfo(**spider.describe()), self.now)
            sections = {s.slug: (s.title, s.path) for s in getattr(spider, "sections", ())}
            self.archive.record_sections(spider.name, sections)

    def close_spider(self) -> None:
        """Apply the confirmed held revisions (not after a layout change, nor in a crawl
        stopped early, which cannot tell); release the archive."""
        if self.archive is None:
            return
        whole = not shutdown.requested()
        if self.confirmed and whole and not layout_changed(self.stats.get_stats()):
            applied = self.archive.apply_pending(self.confirmed, self.now)
            self.stats.inc_value("tinmoi/articles/held", -applied)
            self.stats.inc_value("tinmoi/articles/updated", applied)

    def process_item(self, item: Any) -> Any:
        """Store an article, a document it links to, or a dropped URL."""
        assert self.archive is not None
        if isinstance(item, Dropped):
            self.archive.record_dropped(
                item.portal, item.url, item.reason, item.detail, self.now,
                key=item.key, listed=item.listed,
            )  # fmt: skip
        elif isinstance(item, Removed):
            if not self.archive.mark_removed(item.key, self.now):
                reason = f"http {item.status}"
                self.archive.record_dropped(item.portal, item.url, reason, "", self.now)
        elif isinstance(item, Article):
            outcome = self.archive.upsert_article(item, self.now, self.definition)
            if outcome == "confirmed":
                self.confirmed.append(item.key)
                outcome = "held"
            self.stats.inc_value(f"tinmoi/articles/{outcome}")
            self.archive.record_documents(item.portal, item.key, item.documents, self.now)
        elif isinstance(item, Attachment):
            kind = document_type(item.content_type, item.url)
            text, no_text = document_text(item.body, kind, item.url)
            if no_text:
                self.stats.inc_value(f"tinmoi/attachments/no_text/{no_text.replace(' ', '_')}")
            added = self.archive.add_attachment(
                item.article_key, item.url, kind, item.body, text, self.now
            )
            self.stats.inc_value(f"tinmoi/attachments/{added}")
        return item

    def item_dropped(
        self, item: Any, response: Response, exception: Exception, spider: Any = None
    ) -> None:
        """Record an article a pipeline dropped, with the pipeline's reason."""
        if self.archive is None or not isinstance(item, Article):
            return
        reason = str(exception).split(":", 1)[0] if isinstance(exception, DropItem) else "error"
        self.spider.logger.warning("dropped %s: %s", item.url, exception)
        listed = response.request.cb_kwargs.get("listed") if response.request else None
        self.archive.record_dropped(
            item.portal, item.url, reason, str(exception), self.now,
            key=item.key, listed=asdict(listed) if listed is not None else None,
        )  # fmt: skip
