"""Honour ``Retry-After`` on 429 and 503, up to a cap, before retrying."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response

from crawler import shutdown

RETRY_AFTER_STATUSES = (429, 503)


def retry_after_seconds(value: str, now: datetime) -> float | None:
    """Seconds a ``Retry-After`` value asks for (delta-seconds or HTTP-date), or None."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000": UTC, zone unspecified
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class RetryAfterMiddleware:
    """Wait what a 429/503 asks (at most ``TINMOI_RETRY_AFTER_MAX`` seconds), then retry.

    Responses without ``Retry-After`` are left to Scrapy's own retry middleware.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.cap = crawler.settings.getfloat("TINMOI_RETRY_AFTER_MAX")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        """Scrapy's constructor hook."""
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        """Sleep, then hand back a retry of ``request`` (or the response once retries run out)."""
        header = response.headers.get(b"Retry-After")
        if response.status not in RETRY_AFTER_STATUSES or not header:
            return response
        asked = retry_after_seconds(header.decode("latin-1"), datetime.now().astimezone())
        if asked is None:
            return response
        spider = self.crawler.spider
        assert spider is not None  # a response of the running spider
        retry = get_retry_request(request, spider=spider, reason=f"{response.status} Retry-After")
        if retry is None:
            return response
        wait = min(asked, self.cap)
        self.crawler.stats.inc_value("tinmoi/retry_after/waits")
        # Scrapy's stats add up any number; its annotation says int.
        self.crawler.stats.inc_value("tinmoi/retry_after/seconds", wait)  # type: ignore[arg-type]
        if not await shutdown.sleep(wait):
            return response  # stopping: no retry
        return retry
