"""Drop articles that cannot be published: no title, or no body text."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from crawler.items import Article
from crawler.pipelines import CrawlerPipeline


class ValidatePipeline(CrawlerPipeline):
    """Raise :class:`DropItem` with a reason code; the archive records the drop."""

    def process_item(self, item: Any) -> Any:
        """Pass a publishable article on; drop anything else with its reason."""
        if not isinstance(item, Article):
            return item
        reason = None
        if not item.title:
            reason = "no_title"
        elif not item.content_text:
            reason = "no_body"
        if reason or item.published is None:
            self.stats.inc_value("tinmoi/quality/broken")  # once per article, for the judge
        if reason:
            self.stats.inc_value(f"tinmoi/dropped/{reason}")
            raise DropItem(f"{reason}: {item.url}")
        if item.title_source != "page":
            self.stats.inc_value(f"tinmoi/title/{item.title_source}")
        return item
