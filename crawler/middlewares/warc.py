"""Write every raw response (and its request) as WARC 1.1 records, for replay by standard tools.

Placed next to the downloader, so bodies are recorded as the server sent them (before
decompression) with the headers that describe them.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.errors import TinmoiError

WARC_VERSION = "WARC/1.1"


class WarcError(TinmoiError):
    """The WARC folder cannot be written."""


def writable_folder(folder: Path) -> Path:
    """Create ``folder`` if needed and make sure files can be written in it, before any
    crawl starts (else :class:`WarcError`, one line naming the folder)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise WarcError(
            f"--warc {folder}: cannot write WARC files there: {exc.strerror or exc}"
        ) from None
    return folder


def _headers(headers: Any) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


class WarcMiddleware:
    """Append request/response record pairs to ``<TINMOI_WARC_DIR>/<portal>-<time>.warc.gz``."""

    def __init__(self, crawler: Crawler, folder: Path) -> None:
        self.crawler = crawler
        self.folder = folder
        self.handle: Any = None
        self.writer: WARCWriter | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcMiddleware:
        """Enabled by the ``TINMOI_WARC_DIR`` setting (``--warc DIR``)."""
        folder = crawler.settings.get("TINMOI_WARC_DIR")
        if not folder:
            raise NotConfigured
        return cls(crawler, Path(folder))

    def spider_opened(self, spider: Any) -> None:
        """Open this crawl's WARC file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.path = self.folder / f"{spider.name}-{stamp}.warc.gz"
        self.handle = self.path.open("ab")
        self.writer = WARCWriter(self.handle, gzip=True, warc_version=WARC_VERSION)

    def spider_closed(self, spider: Any) -> None:
        """Close the WARC file."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None

    def process_response(self, request: Request, response: Response) -> Response:
        """Record the request and the response exactly as exchanged."""
        if self.writer is None:
            return response
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        http = StatusAndHeaders(
            f"{response.status} {reason}".strip(), _headers(response.headers), protocol="HTTP/1.1"
        )
        record = self.writer.create_warc_record(
            response.url, "response", payload=BytesIO(response.body), http_headers=http
        )
        path = request.url.split("/", 3)[3] if request.url.count("/") >= 3 else ""
        req_http = StatusAndHeaders(
            f"{request.method} /{path}", _headers(request.headers), protocol="HTTP/1.1"
        )
        request_record = self.writer.create_warc_record(
            request.url, "request", payload=BytesIO(request.body or b""), http_headers=req_http
        )
        self.writer.write_request_response_pair(request_record, record)
        self.crawler.stats.inc_value("tinmoi/warc/records", 2)
        return response
