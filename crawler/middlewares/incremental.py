"""Incremental crawls: skip archived articles, stop at the first page with nothing new."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.archive import Archive
from crawler.archive.runs import Known
from crawler.platforms.base import crawl_now


class IncrementalMiddleware:
    """Decide which listed articles to fetch, and whether to walk on to the next page.

    An archived article is fetched again only when the listing shows a newer date than
    the archived one, when ``TINMOI_REFRESH`` asks, or when the revisit policy says so
    (young articles, at most every few hours, to catch edits and takedowns). Unless
    ``TINMOI_MODE`` is ``backfill``, a section's walk stops after the first listing page
    whose entries were all archived already and that reaches the section's stop point:
    the first page's articles at the last crawl that finished. Stop points are committed
    only when a crawl finishes, so a run killed on page 1 never hides page 2.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.backfill = settings.get("TINMOI_MODE") == "backfill"
        self.refresh = settings.getbool("TINMOI_REFRESH")
        self.revisit_age = timedelta(hours=settings.getfloat("TINMOI_REVISIT_AGE_HOURS"))
        self.revisit_every = timedelta(hours=settings.getfloat("TINMOI_REVISIT_EVERY_HOURS"))
        self.now = crawl_now(settings.get("TINMOI_NOW"))
        self.archive: Archive | None = None
        self.stop_points: dict[str, set[str]] = {}
        self.due: list[dict[str, Any]] = []
        self.pending: dict[str, list[str]] = {}
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        """Scrapy's constructor hook."""
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        """Open the archive for the crawl; load the stop points and the revisits due.

        What the archive knows of listed articles is asked page by page, so memory stays
        flat however large the archive grows.
        """
        self.archive = Archive.open(self.crawler.settings.get("TINMOI_DB"), now=self.now)
        self.stop_points = self.archive.stop_points(spider.name)
        self.due = self.archive.due_revisits(
            spider.name, self.now - self.revisit_age, self.now - self.revisit_every
        )

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Commit each walked section's new stop point, only after a clean finish."""
        if self.archive is None:
            return
        if reason == "finished" and self.pending:
            self.archive.save_stop_points(spider.name, self.pending, self.now)
        self.archive.close()
        self.archive = None

    def known_of(self, spider: Spider, requests: list[Request]) -> dict[str, Known]:
        """What the archive knows of the articles ``requests`` ask for (one batch a page)."""
        if self.archive is None or not requests:
            return {}
        keys = [r.meta.get("tinmoi_key", "") for r in requests]
        known = self.archive.known_articles(spider.name, keys)
        by_url = {r.cb_kwargs["listed"].url: r.meta.get("tinmoi_key", "") for r in requests}
        for url, entry in self.archive.dropped_urls(spider.name, self.now, by_url).items():
            known.setdefault(by_url[url], entry)
        return known

    def wanted(self, request: Request, known: dict[str, Known]) -> str | None:
        """Why an article should be fetched ("new", "newer", "modified", "refresh"), or None.

        "modified": the listing (a sitemap's ``lastmod``) says the article changed after
        it was last fetched.
        """
        found = known.get(request.meta.get("tinmoi_key", ""))
        if found is None:
            return "new"
        listed: datetime | None = request.meta.get("tinmoi_listed_date")
        newer = listed is not None and (found.published is None or listed > found.published)
        if newer and not found.dropped:
            return "newer"
        modified: datetime | None = request.meta.get("tinmoi_listed_modified")
        if modified is not None and modified > found.last_seen and not found.dropped:
            return "modified"
        if self.refresh:
            return "refresh"
        return None  # revisits due are scheduled at the start (process_start)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """The spider's start requests, then a request for every revisit due.

        Revisits come from the archive, not from listings: an unchanged listing (304) or
        an article taken off its listing must not hide an edit or a takedown.
        """
        async for item in start:
            yield item
        spider = self.crawler.spider
        if not hasattr(spider, "revisit_request"):
            return
        for row in self.due:
            self.stats.inc_value("tinmoi/incremental/revisited")
            self.stats.inc_value("tinmoi/incremental/revisited/due")
            yield spider.revisit_request(
                row["url"], row["key"], row["section"], row["title"], row["list_position"]
            )

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        """Filter the article requests of a listing page; maybe drop its next page."""
        if response.meta.get("tinmoi_kind") != "listing":
            async for item in result:
                yield item
            return
        section = response.meta.get("tinmoi_section", "")
        keys: list[str] = []
        fetched = 0
        next_pages = []
        articles: list[Request] = []
        async for item in result:
            if not isinstance(item, Request):
                yield item
            elif item.meta.get("tinmoi_kind") == "article":
                articles.append(item)
            elif item.meta.get("tinmoi_kind") == "listing":
                next_pages.append(item)
            else:
                yield item
        known = self.known_of(self.crawler.spider, articles)
        for item in articles:
            keys.append(item.meta.get("tinmoi_key", ""))
            why = self.wanted(item, known)
            if why is None:
                self.stats.inc_value("tinmoi/incremental/skipped")
                continue
            fetched += 1
            if why != "new":
                item.meta["tinmoi_known"] = True
                self.stats.inc_value("tinmoi/incremental/revisited")
                self.stats.inc_value(f"tinmoi/incremental/revisited/{why}")
            yield item
        # Articles the spider did not ask for again (already queued by another listing,
        # or as a revisit) are on the page all the same.
        keys = response.meta.get("tinmoi_page_keys") or keys
        if response.meta.get("tinmoi_page") == 1 and keys:
            self.pending[section] = keys
        stop_point = self.stop_points.get(section)
        reached = stop_point is None or not stop_point.isdisjoint(keys)
        if keys and not fetched and reached and not self.backfill:
            self.stats.inc_value("tinmoi/incremental/stopped_walks")
            return
        for request in next_pages:
            yield request
