"""The batch spider's name in ``scrapy list``, which Scrapyd checks before it schedules a
job; the node's ``crawl`` command runs it (:mod:`tinmoi.scrapyd.commands.crawl`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import scrapy

from crawler.errors import TinmoiError
from tinmoi.scrapyd import BATCH_SPIDER


class BatchSpider(scrapy.Spider):
    """Several portals' crawls in one job (``-a batch=JSON``)."""

    name = BATCH_SPIDER

    async def start(self) -> AsyncIterator[Any]:
        """Refuse to run outside the node's ``crawl`` command."""
        raise TinmoiError(f"{BATCH_SPIDER} runs through tinmoi.scrapyd.settings' crawl command")
        yield  # an async generator
