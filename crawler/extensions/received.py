"""How much of each response's body arrived, so a cut-off download can say so.

A connection closed mid-body fails as ``ResponseDataLossError`` (or Twisted's
``ResponseFailed``) with an empty message; with the
byte counts kept here, :func:`failure_reason` reads "connection closed after 4877 of
9754 bytes" instead.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import ResponseDataLossError
from twisted.python.failure import Failure
from twisted.web.client import ResponseFailed

#: ``request.meta`` key: ``[bytes received, bytes announced (-1: unknown)]``.
META = "tinmoi_received"


class ReceivedBytes:
    """Count each response's body bytes against its announced length."""

    def __init__(self, crawler: Crawler) -> None:
        crawler.signals.connect(self.headers_received, signal=signals.headers_received)
        crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReceivedBytes:
        """Always on."""
        return cls(crawler)

    def headers_received(self, headers: Any, body_length: int, request: Request, **_: Any) -> None:
        """Start counting this attempt's body (a retry starts again)."""
        request.meta[META] = [0, body_length]

    def bytes_received(self, data: bytes, request: Request, **_: Any) -> None:
        """Add a chunk of body."""
        counts = request.meta.get(META)
        if counts is not None:
            counts[0] += len(data)


def failure_reason(failure: Failure) -> str:
    """A failed download's reason in an operator's words, never empty."""
    if failure.check(ResponseDataLossError, ResponseFailed):
        request = getattr(failure, "request", None)
        counts = request.meta.get(META) if request is not None else None
        if counts is None:
            return "connection closed before the whole body arrived"
        received, announced = counts
        of = f" of {announced}" if announced >= 0 else ""
        return f"connection closed after {received}{of} bytes"
    return failure.getErrorMessage().strip() or type(failure.value).__name__
