"""Incremental crawls: skip archived articles, stop at the first page with nothing new,
ask again for what earlier crawls lost to passing errors."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from itertools import count
from typing import TYPE_CHECKING, Any, cast

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.archive import Archive
from crawler.archive.runs import Known
from crawler.clock import crawl_now
from crawler.crawl_archive import crawl_archive

if TYPE_CHECKING:
    from crawler.platforms.base import PortalSpider


class SectionWalks:
    """Which sections a crawl walked to their end, from the listing requests it scheduled.

    A section is walked when every listing page of it that was scheduled was parsed (a
    page that failed never is) and no ``--max-pages`` limit cut it short. Each listing
    request gets an id in its meta when first scheduled; retries and redirects keep it.
    """

    def __init__(self) -> None:
        self._ids = count(1)
        self.open: defaultdict[str, set[int]] = defaultdict(set)
        self.parsed: set[str] = set()
        self.cut: set[str] = set()

    def scheduled(self, request: Request) -> None:
        """A listing request entered the scheduler."""
        if request.meta.get("tinmoi_kind") == "listing":
            walk_id = request.meta.setdefault("tinmoi_walk_id", next(self._ids))
            self.open[request.meta.get("tinmoi_section", "")].add(walk_id)

    def dropped(self, request: Request) -> None:
        """The scheduler refused a listing request (a page already asked for)."""
        if request.meta.get("tinmoi_kind") == "listing":
            section = request.meta.get("tinmoi_section", "")
            self.open[section].discard(request.meta.get("tinmoi_walk_id", 0))

    def parsed_page(self, response: Response, cut: bool) -> None:
        """A listing page was parsed; ``cut`` when the walk may not go past it."""
        section = response.meta.get("tinmoi_section", "")
        self.open[section].discard(response.meta.get("tinmoi_walk_id", 0))
        self.parsed.add(section)
        if cut:
            self.cut.add(section)

    def walked(self) -> set[str]:
        """The sections walked to their last page or their stop point."""
        return {s for s in self.parsed if not self.open[s] and s not in self.cut}


class IncrementalMiddleware:
    """Decide which listed articles to fetch, and whether to walk on to the next page.

    An archived article is fetched again only when the listing shows a newer date than
    the archived one, when ``TINMOI_REFRESH`` asks, or when the revisit policy says so
    (young articles, at most every few hours, to catch edits and takedowns). Unless
    ``TINMOI_MODE`` is ``backfill``, a section's walk stops after the first listing page
    whose entries were all archived already and that reaches the section's stop point:
    the first page's articles at the last walk of it that reached its end. A section
    with no stop point yet is walked to its end.

    A section's new stop point, and the validators of its listing pages (see
    :mod:`crawler.middlewares.conditional`), are committed only when the crawl finished
    and the section was walked to its last page or its stop point: a kill, a
    ``--max-pages`` limit or a listing page that failed commits nothing for it.

    At the start, articles dropped for a passing reason and documents not stored yet
    are asked for again from the archive, on the schedule of
    :meth:`~crawler.archive.runs.RunsMixin.due_retries`.
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
        self.retries: list[dict[str, Any]] = []
        self.documents: list[dict[str, Any]] = []
        self.pending: dict[str, list[str]] = {}
        self.validators: defaultdict[str, dict[str, tuple[str | None, str | None]]] = defaultdict(
            dict
        )
        self.walks = SectionWalks()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.walks.scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(self.walks.dropped, signal=signals.request_dropped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        """Scrapy's constructor hook."""
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        """Open the archive for the crawl; load the stop points and what is due again:
        revisits, articles dropped for a passing reason, documents not stored yet.

        What the archive knows of listed articles is asked page by page, so memory stays
        flat however large the archive grows.
        """
        self.archive = crawl_archive(self.crawler)
        self.stop_points = self.archive.stop_points(spider.name)
        self.due = self.archive.due_revisits(
            spider.name, self.now - self.revisit_age, self.now - self.revisit_every
        )
        self.retries = self.archive.due_retries(spider.name, self.now)
        self.documents = self.archive.due_documents(spider.name, self.now)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Commit the stop point and validators of each section walked to its end, only
        after a clean finish."""
        if self.archive is None:
            return
        if reason == "finished":
            walked = self.walks.walked()
            points = {s: keys for s, keys in self.pending.items() if s in walked}
            validators = {
                url: found
                for section, pages in self.validators.items()
                if section in walked
                for url, found in pages.items()
            }
            if points or validators:
                self.archive.save_walks(spider.name, points, validators, self.now)
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
        """The spider's start requests, then a request for every revisit, retry and
        document due.

        They come from the archive, not from listings: an unchanged listing (304) or an
        article taken off its listing must not hide an edit, a takedown, an article lost
        to a passing error, or a document a killed crawl was downloading.
        """
        async for item in start:
            yield item
        if not hasattr(self.crawler.spider, "revisit_request"):
            return
        spider = cast("PortalSpider", self.crawler.spider)  # only a portal spider revisits
        for row in self.due:
            self.stats.inc_value("tinmoi/incremental/revisited")
            self.stats.inc_value("tinmoi/incremental/revisited/due")
            yield spider.revisit_request(
                row["url"], row["key"], row["section"], row["title"], row["list_position"]
            )
        for listed in self.retries:
            self.stats.inc_value("tinmoi/incremental/retried")
            yield spider.retry_request(listed)
        for row in self.documents:
            self.stats.inc_value("tinmoi/attachments/retried")
            yield spider.document_request(row["url"], row["key"])

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        """Filter the article requests of a listing page; maybe drop its next page."""
        if response.meta.get("tinmoi_kind") != "listing":
            async for item in result:
                yield item
            return
        section = response.meta.get("tinmoi_section", "")
        page = response.meta.get("tinmoi_page")
        if validators := response.meta.get("tinmoi_validators"):
            url, etag, modified = validators
            self.validators[section][url] = (etag, modified)
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
        if not (200 <= response.status < 300 or response.status == 304):
            # The errback's output: the page failed, so its section's walk is unfinished.
            for request in [*articles, *next_pages]:
                yield request
            return
        max_pages = getattr(self.crawler.spider, "max_pages", 0)
        self.walks.parsed_page(response, cut=bool(max_pages and (page or 0) >= max_pages))
        spider = self.crawler.spider
        assert spider is not None  # a response of the running spider
        known = self.known_of(spider, articles)
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
        if page == 1 and keys:
            self.pending[section] = keys
        stop_point = self.stop_points.get(section)
        reached = stop_point is not None and not stop_point.isdisjoint(keys)
        if keys and not fetched and reached and not self.backfill:
            self.stats.inc_value("tinmoi/incremental/stopped_walks")
            return
        for request in next_pages:
            yield request
