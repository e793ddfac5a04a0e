"""Decode HTML right when the declared charset is wrong or missing.

Portals send UTF-8 labelled as windows-1258 (or unlabelled), and windows-1258 labelled as
UTF-8. Valid UTF-8 is a strong signal (legacy Vietnamese text almost never is), so a
page that decodes as UTF-8 is read as UTF-8; a page labelled UTF-8 that does not
decode is read as windows-1258, the Vietnamese legacy code page.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Response

LEGACY = "cp1258"
UTF8_NAMES = ("utf-8", "utf8")


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


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
        declared = (response.encoding or "").lower().replace("_", "-")
        ascii_only = response.body.isascii()
        if ascii_only:
            return response
        if declared not in UTF8_NAMES and _is_utf8(response.body):
            self.stats.inc_value("tinmoi/charset/utf8_mislabelled")
            return response.replace(encoding="utf-8")
        if declared in UTF8_NAMES and not _is_utf8(response.body):
            self.stats.inc_value("tinmoi/charset/legacy")
            return response.replace(encoding=LEGACY)
        return response
