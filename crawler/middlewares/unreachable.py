"""A host that cannot be reached is given up for the rest of the crawl after one failure.

A portal whose server refuses connections (or whose name does not resolve, or whose
robots.txt never answers) would otherwise cost every request its retries and timeouts:
robots.txt four times over, then each section's listing again, minutes for nothing. The
first such failure marks the host (``host:port``) unreachable; every later request to it,
the retries of the one that failed included, is refused at once with the reason, so its
listings and articles fail (and are asked again by the next crawl) without a download.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import error

logger = logging.getLogger(__name__)

#: Failures that say nothing answers at the host, whatever was asked (Scrapy's own, and
#: Twisted's where a download handler passes them on).
REFUSED: dict[type[BaseException], str] = {
    DownloadConnectionRefusedError: "connection refused",
    error.ConnectionRefusedError: "connection refused",
    CannotResolveHostError: "DNS lookup failed",
    error.DNSLookupError: "DNS lookup failed",
    error.NoRouteError: "no route to host",
}
#: Failures that say so only when robots.txt, the first and smallest request, meets them.
SILENT: dict[type[BaseException], str] = {
    DownloadTimeoutError: "robots.txt timed out",
    error.TimeoutError: "robots.txt timed out",
    error.TCPTimedOutError: "robots.txt timed out",
}


class HostUnreachable(IgnoreRequest):
    """A request to a host this crawl found unreachable, refused without a download."""


class UnreachableHostMiddleware:
    """Refuse requests to hosts that could not be reached once this crawl."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.unreachable: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UnreachableHostMiddleware:
        """The middleware of ``crawler``."""
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        """Refuse a request to a host already found unreachable."""
        host = urlparse_cached(request).netloc
        if (why := self.unreachable.get(host)) is not None:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("tinmoi/unreachable/refused")
            raise HostUnreachable(f"{host} is unreachable ({why}): not asked again this crawl")

    def process_exception(self, request: Request, exception: BaseException) -> Any:
        """Mark the host unreachable on a failure that says nothing answers there."""
        kinds = dict(REFUSED)
        if urlparse_cached(request).path == "/robots.txt":
            kinds |= SILENT
        why = next((w for kind, w in kinds.items() if isinstance(exception, kind)), None)
        host = urlparse_cached(request).netloc
        if why is not None and host not in self.unreachable:
            self.unreachable[host] = why
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("tinmoi/unreachable/hosts")
            logger.warning(
                "%s: %s, given up for this crawl", host, why, extra={"crawler": self.crawler}
            )
        return None
