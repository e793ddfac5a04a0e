"""Conditional GET for listing pages (validators committed with their section's walk)."""

from __future__ import annotations

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.clock import crawl_now
from crawler.crawl_archive import crawl_archive


class ConditionalGetMiddleware:
    """Send ``If-None-Match`` / ``If-Modified-Since`` for listing pages.

    The validators a portal sends for a page go into its response's meta
    (``tinmoi_validators``); :class:`~crawler.middlewares.incremental.IncrementalMiddleware`
    keeps them in the archive only once the page's section was walked to its end, so a
    run killed on page 1, or whose page 2 failed, never hides page 2 from the next run.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        # Backfills and refreshes want every listing page's entries, changed or not.
        self.enabled = crawler.settings.get("TINMOI_MODE") != "backfill" and not (
            crawler.settings.getbool("TINMOI_REFRESH")
        )
        self.now = crawl_now(crawler.settings.get("TINMOI_NOW"))
        self.known: dict[str, tuple[str | None, str | None]] = {}
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        """Scrapy's constructor hook."""
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        """Load the validators of the last walks that reached their end."""
        self.known = crawl_archive(self.crawler).listing_validators(spider.name)

    def _public(self, request: Request) -> str:
        spider = self.crawler.spider
        if spider is None or not hasattr(spider, "public_url"):
            return request.url
        return spider.public_url(request.url)

    def process_request(self, request: Request) -> None:
        """Add the validators the portal gave for this listing page (GET only: a postback
        page shares its URL with the first page, and a POST is never answered 304)."""
        if not self.enabled or request.meta.get("tinmoi_kind") != "listing":
            return
        if request.method != "GET":
            return
        etag, modified = self.known.get(self._public(request), (None, None))
        if etag:
            request.headers.setdefault(b"If-None-Match", etag.encode("latin-1"))
        if modified:
            request.headers.setdefault(b"If-Modified-Since", modified.encode("latin-1"))

    def process_response(self, request: Request, response: Response) -> Response:
        """Note a listing page's validators in its meta; count 304s."""
        if request.meta.get("tinmoi_kind") != "listing" or request.method != "GET":
            return response
        if response.status == 304:
            self.crawler.stats.inc_value("tinmoi/listing/304")
        elif response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            if etag or modified:
                request.meta["tinmoi_validators"] = (
                    self._public(request),
                    etag.decode("latin-1") if etag else None,
                    modified.decode("latin-1") if modified else None,
                )
        return response
