"""The documents an article links to: which ones, their downloads, and their failures."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import scrapy
from scrapy.exceptions import DownloadCancelledError
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.attachments import is_document
from crawler.items import Attachment, Dropped
from crawler.middlewares.redirects import OffsiteRedirect, origin_of, portal_origins, same_origin
from crawler.platforms.identity import PortalBase

#: The largest document kept when the settings do not say (``TINMOI_ATTACHMENT_MAXSIZE``).
ATTACHMENT_MAXSIZE = 20 * 1024 * 1024


def drop_reason(failure: Failure, prefix: str = "") -> str:
    """Why a request failed for good, as the archive records it: ``http 404``, ``moved
    off-site``, ``too large`` or ``fetch failed`` (after ``prefix``, e.g. ``attachment``)."""
    response = getattr(failure.value, "response", None)
    if response is not None:
        reason = f"http {response.status}"
    elif failure.check(OffsiteRedirect):
        reason = "moved off-site"
    elif failure.check(DownloadCancelledError):
        reason = "too large"
    else:
        reason = "fetch failed"
    return f"{prefix} {reason}" if prefix else reason


class DocumentsSpider(PortalBase):
    """Finds the documents an article links to and downloads each once per crawl."""

    def attachment_urls(
        self, response: Response, body: str, listed: Sequence[str] = ()
    ) -> list[str]:
        """Public URLs of the documents (PDF, DOC/DOCX, XLS/XLSX) an article links to on
        the portal's own hosts, each once: those its body links to, then ``listed`` (the
        ones its page links to outside the body)."""
        found: list[str] = []
        selector = scrapy.Selector(text=body or "<p></p>")
        for href in [*selector.css("a::attr(href)").getall(), *listed]:
            url = self.public_url(response.urljoin(href.strip()))
            if not self.is_own_url(url) or not is_document(url) or url in found:
                continue
            if same_origin(origin_of(url), portal_origins(self)):  # not another port or scheme
                found.append(url)
        return found

    def document_request(self, url: str, key: str) -> scrapy.Request:
        """The download of a document ``key`` links to, at most once per crawl (from the
        article, or from the archive when an earlier crawl did not store it)."""
        self._seen_attachments.add(url)
        return self.attachment_request(url, key)

    def attachment_request(self, url: str, key: str) -> scrapy.Request:
        """The download of one document an article links to (size-limited)."""
        maxsize = ATTACHMENT_MAXSIZE
        if hasattr(self, "crawler"):
            maxsize = self.settings.getint("TINMOI_ATTACHMENT_MAXSIZE", maxsize)
        return scrapy.Request(
            self.urls.to_fetch(url),
            callback=self.parse_attachment,
            errback=self.attachment_failed,
            cb_kwargs={"key": key, "url": url},
            meta={"tinmoi_kind": "attachment", "tinmoi_key": key, "download_maxsize": maxsize},
        )

    def parse_attachment(self, response: Response, key: str, url: str) -> Iterator[Attachment]:
        """A downloaded document, for the archive."""
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        yield Attachment(self.name, key, url, content_type, response.body)

    def attachment_failed(self, failure: Failure) -> Iterator[Dropped]:
        """A document that could not be downloaded is recorded as dropped."""
        request = failure.request  # type: ignore[attr-defined]
        url = request.cb_kwargs["url"]
        reason = drop_reason(failure, "attachment")
        detail = failure.getErrorMessage()
        self.crawler.stats.inc_value(f"tinmoi/dropped/{reason.replace(' ', '_')}")
        self.logger.warning("%s: %s: %s (%s)", self.name, reason, url, detail)
        key = request.cb_kwargs["key"]
        yield Dropped(portal=self.name, url=url, reason=reason, detail=detail, key=key)
