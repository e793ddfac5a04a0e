"""Decode HTML right when the declared charset is wrong or missing.

Portals send UTF-8 labelled as windows-1258 (or unlabelled), and windows-1258 labelled as
UTF-8. Valid UTF-8 is a strong signal (legacy Vietnamese text almost never is), so a
page that is UTF-8 is read as UTF-8. A page is UTF-8 when it decodes as UTF-8, or when
its invalid sequences are a tiny share of its non-ASCII bytes (a stray ``ED A0 80``
pasted into an article): those few are replaced (U+FFFD), never the whole page
garbled. A page labelled UTF-8 that is not UTF-8 is read as windows-1258, the Vietnamese
legacy code page (in which nearly every non-ASCII byte is invalid UTF-8).
"""

from __future__ import annotations

import codecs

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Response

LEGACY = "cp1258"
UTF8_NAMES = ("utf-8", "utf8")
#: At most one invalid byte per this many non-ASCII bytes, and the page is still UTF-8.
INVALID_SHARE = 50
_ASCII = bytes(range(128))


def invalid_utf8(body: bytes, limit: int) -> int:
    """How many bytes of ``body`` are in invalid UTF-8 sequences (counting stops past
    ``limit``)."""
    view, start, invalid = memoryview(body), 0, 0
    while invalid <= limit:
        try:
            codecs.utf_8_decode(view[start:], "strict", True)
        except UnicodeDecodeError as exc:
            invalid += exc.end - exc.start
            start += exc.end
            continue
        break
    return invalid


def utf8_errors(body: bytes) -> int | None:
    """The number of invalid bytes of a page that is UTF-8 (0 when all is valid), or None
    when it is not UTF-8 (more than one invalid byte per :data:`INVALID_SHARE` non-ASCII
    bytes)."""
    high = len(body.translate(None, _ASCII))
    limit = high // INVALID_SHARE
    invalid = invalid_utf8(body, limit)
    return invalid if invalid <= limit else None


class CharsetMiddleware:
    """Replace a wrong encoding on HTML responses (the text is NFC-normalised later)."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetMiddleware:
        """Scrapy's constructor hook."""
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        """Fix the encoding of an HTML response when the bytes contradict the label."""
        if not isinstance(response, HtmlResponse) or not response.body:
            return response
        if response.body.isascii():
            return response
        declared = (response.encoding or "").lower().replace("_", "-")
        errors = utf8_errors(response.body)
        if errors:
            self.stats.inc_value("tinmoi/charset/utf8_invalid_bytes", errors)
        if declared not in UTF8_NAMES and errors is not None:
            self.stats.inc_value("tinmoi/charset/utf8_mislabelled")
            return response.replace(encoding="utf-8")
        if declared in UTF8_NAMES and errors is None:
            self.stats.inc_value("tinmoi/charset/legacy")
            return response.replace(encoding=LEGACY)
        return response
