"""Retries with exponential backoff: Scrapy retries at once, which no struggling server likes."""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response

from crawler import shutdown


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry middleware, waiting ``base * 2**(n-1)`` seconds before retry n.

    ``TINMOI_RETRY_BACKOFF`` is the base, ``TINMOI_RETRY_BACKOFF_MAX`` the longest wait.
    """

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("TINMOI_RETRY_BACKOFF")
        self.cap = settings.getfloat("TINMOI_RETRY_BACKOFF_MAX")

    async def _wait(self, retry: Any) -> bool:
        """Wait before ``retry`` (if it is one); False when a stop cut the wait short."""
        if not isinstance(retry, Request) or self.base <= 0:
            return True
        attempt = int(retry.meta.get("retry_times", 1))
        delay = min(self.cap, self.base * 2 ** (attempt - 1))
        self.crawler.stats.inc_value("tinmoi/retry/backoff_seconds", delay)
        return await shutdown.sleep(delay)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        """Retry a failed response after the backoff delay (not once a stop began)."""
        result = super().process_response(request, response)
        return result if await self._wait(result) else response

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        """Retry after a download error, after the backoff delay (not once a stop began)."""
        result = super().process_exception(request, exception)
        return result if await self._wait(result) else None
