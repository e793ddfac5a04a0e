"""Publication dates: a date in the future is refused, a missing one is counted."""

from __future__ import annotations

from typing import Any

from crawler.dates import latest
from crawler.items import Article
from crawler.pipelines import CrawlerPipeline


class DatePipeline(CrawlerPipeline):
    """Refuse dates over a day ahead of the crawl; count articles with no date.

    An undated article is kept with no ``published``: the archive orders it by when it
    was first seen, and it never pretends "now" is its publication date.
    """

    def process_item(self, item: Any) -> Any:
        """Check ``item.published`` against the crawl's "now"."""
        if not isinstance(item, Article):
            return item
        if item.published is not None:
            # The archive keeps seconds: a fraction would look like a change every time.
            item.published = item.published.replace(microsecond=0)
        if item.published is not None and item.published > latest(self.now):
            self.stats.inc_value("tinmoi/date/future")
            self.spider.logger.warning(
                "date in the future refused: %s for %s", item.published.isoformat(), item.url
            )
            item.published, item.date_source = None, None
        if item.published is None:
            self.stats.inc_value("tinmoi/date/missing")
        else:
            self.stats.inc_value(f"tinmoi/date/source/{item.date_source}")
        return item
