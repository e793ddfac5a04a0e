"""NFC text, no control characters, single-line titles and authors."""

from __future__ import annotations

from typing import Any

from crawler.items import Article
from crawler.pipelines import CrawlerPipeline
from crawler.text import clean_line, nfc, xml_safe


class NormalizePipeline(CrawlerPipeline):
    """Normalise every text field of an :class:`Article` to clean NFC."""

    def process_item(self, item: Any) -> Any:
        """Normalise ``item`` in place."""
        if not isinstance(item, Article):
            return item
        item.title = clean_line(item.title) or None
        item.author = clean_line(item.author) or None
        item.content_html = xml_safe(nfc(item.content_html or ""))
        return item
