"""Incremental crawls: skip archived articles, stop at the first page with nothing new,
ask again for what earlier crawls lost to passing errors."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.archive import Archive
from crawler.archive.runs import Known, Resume
from crawler.clock import crawl_now
from crawler.crawl_archive import crawl_archive
from crawler.middlewares.walks import (
    HEAD,
    TAIL,
    SectionWalks,
    WalkProgress,
    next_resume,
    walk_of,
)

if TYPE_CHECKING:
    from crawler.platforms.base import PortalSpider


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
    and the section was walked to its last page or its stop point. A walk cut short (a
    ``--max-pages`` limit, the time limit, a stop, a listing page that failed) commits
    where it resumes instead: the next crawl walks the section from its first page down
    to the first page of the walk that was cut, and on from the page after the deepest
    one whose articles are all archived (:mod:`crawler.middlewares.walks`). A kill
    commits nothing.

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
        self.resumes: dict[str, Resume] = {}
        #: The resumes whose tail walk this crawl takes.
        self.tails: dict[str, Resume] = {}
        self.due: list[dict[str, Any]] = []
        self.retries: list[dict[str, Any]] = []
        self.documents: list[dict[str, Any]] = []
        self.pending: dict[str, list[str]] = {}
        self.validators: defaultdict[str, dict[str, tuple[str | None, str | None]]] = defaultdict(
            dict
        )
        self.walks = SectionWalks()
        self.progress = WalkProgress()
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
        self.resumes = self.archive.walk_resumes(spider.name).get(spider.name, {})
        self.due = self.archive.due_revisits(
            spider.name, self.now - self.revisit_age, self.now - self.revisit_every
        )
        self.retries = self.archive.due_retries(spider.name, self.now)
        self.documents = self.archive.due_documents(spider.name, self.now)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Commit the stop point and validators of each section walked to its end, only
        after a clean finish; and where each walk cut short resumes."""
        if self.archive is None:
            return
        complete = self._complete() if reason == "finished" else set()
        points = {s: keys for s, keys in self.pending.items() if s in complete}
        validators = {
            url: found
            for section, pages in self.validators.items()
            if section in complete
            for url, found in pages.items()
        }
        resumes: dict[str, Resume | None] = {s: None for s in complete if s in self.resumes}
        if reason in ("finished", "closespider_timeout", "shutdown"):
            resumes |= self._resumes(spider, complete, reason == "finished")
        if reason == "finished":
            # A page to resume from that failed (gone, renumbered?): walk the section
            # from its first page again next time rather than ask for it forever.
            resumes |= {s: None for s in self.tails if (s, TAIL) not in self.walks.parsed}
        if points or validators or resumes:
            self.archive.save_walks(spider.name, points, validators, self.now, resumes)
        self.archive = None

    def _complete(self) -> set[str]:
        """The sections walked to their end: the head walk, and the tail one if taken."""
        walked = self.walks.walked()
        return {
            s for s in self.walks.sections()
            if (s, HEAD) in walked and (s not in self.tails or (s, TAIL) in walked)
        }  # fmt: skip

    def _resumes(self, spider: Spider, complete: set[str], finished: bool) -> dict[str, Resume]:
        """Where the walks of the sections not walked to their end go on next time. After
        a finished crawl every listed article is settled; after a time limit or a stop,
        those neither archived nor dropped are not, and neither are their pages."""
        assert self.archive is not None
        archive, portal = self.archive, spider.name
        settled: Callable[[Iterable[str]], bool] = (
            (lambda keys: True) if finished else (lambda keys: not archive.unsettled(portal, keys))
        )
        sections = {s.slug for s in getattr(spider, "sections", ())}
        walked = self.walks.walked()
        found = {}
        for section in self.walks.sections() - complete - self.progress.unresumable:
            if section not in sections:
                continue
            deep = (section, TAIL) if section in self.tails else (section, HEAD)
            head = ((section, HEAD) in walked, self.progress.settled((section, HEAD), settled))
            resume = next_resume(
                self.resumes.get(section),
                section in self.tails,
                self.pending.get(section),
                head,
                self.progress.resume_point(deep, deep in walked, settled),
            )
            if resume is not None:
                found[section] = resume
        return found

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
        sections = {section.slug: section for section in spider.sections}
        for slug, resume in self.resumes.items():
            if resume.next_url and slug in sections and not self.backfill:
                self.tails[slug] = resume
                self.stats.inc_value("tinmoi/incremental/resumed_walks")
                yield spider.resumed_request(resume.next_url, sections[slug], resume.next_page)
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
        which = walk_of(response.meta)[1]
        if page == 1 and keys and which == HEAD:
            self.pending[section] = keys
        resume = self.resumes.get(section)
        if which == HEAD and resume is not None and not self.backfill:
            stop_point: set[str] | None = set(resume.start_keys)
        else:
            stop_point = self.stop_points.get(section)
        reached = stop_point is not None and not stop_point.isdisjoint(keys)
        stopped = bool(keys and not fetched and reached and not self.backfill)
        max_pages = getattr(self.crawler.spider, "max_pages", 0)
        depth = (page or 0) - int(response.meta.get("tinmoi_walk_first", 1)) + 1
        self.walks.parsed_page(response, cut=bool(max_pages and depth >= max_pages) and not stopped)
        self.progress.parsed(response, keys, next_pages)
        if stopped:
            self.stats.inc_value("tinmoi/incremental/stopped_walks")
            return
        for request in next_pages:
            yield request
