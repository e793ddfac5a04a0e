"""Sanitised body HTML, its text, summary, images and content hash."""

from __future__ import annotations

import hashlib
from typing import Any

from crawler.cleanhtml import html_to_text, image_urls, sanitize_html
from crawler.items import Article
from crawler.pipelines import CrawlerPipeline
from crawler.text import summarize


def content_hash(article: Article) -> str:
    """SHA-256 of what a reader sees: title and sanitised body."""
    data = f"{article.title or ''}\n{article.content_html}".encode()
    return hashlib.sha256(data).hexdigest()


class SanitizePipeline(CrawlerPipeline):
    """Clean the body with the portal's chrome selectors and the allow-list sanitiser."""

    def process_item(self, item: Any) -> Any:
        """Fill ``content_html``, ``content_text``, ``summary``, ``images``, ``content_hash``."""
        if not isinstance(item, Article):
            return item
        chrome = getattr(self.crawler.spider, "chrome_selectors", ())
        item.content_html = sanitize_html(item.content_html, item.url, chrome)
        item.content_text = html_to_text(item.content_html)
        item.summary = summarize(item.content_text)
        item.images = image_urls(item.content_html)
        item.content_hash = content_hash(item)
        return item
