"""Write a crawl's running counts to a file, for a live progress display in the CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

KEYS = {
    "pages": "tinmoi/listing/pages",
    "requests": "downloader/request_count",
    "new": "tinmoi/articles/new",
    "updated": "tinmoi/articles/updated",
    "unchanged": "tinmoi/articles/unchanged",
}


class ProgressFile:
    """Every second, replace ``TINMOI_PROGRESS_FILE`` with the crawl's counts (JSON)."""

    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path
        self.loop = task.LoopingCall(self.write)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressFile:
        """Enabled only when the CLI asks for progress."""
        path = crawler.settings.get("TINMOI_PROGRESS_FILE")
        if not path:
            raise NotConfigured
        return cls(crawler, Path(path))

    def spider_opened(self) -> None:
        """Start writing."""
        self.loop.start(1.0, now=True)

    def spider_closed(self) -> None:
        """Stop writing (the last counts stay)."""
        if self.loop.running:
            self.loop.stop()
        self.write()

    def write(self) -> None:
        """Replace the progress file atomically."""
        stats = self.crawler.stats.get_stats()
        counts = {name: int(stats.get(key, 0)) for name, key in KEYS.items()}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(counts), encoding="utf-8")
        os.replace(tmp, self.path)
