"""Follow redirects only within a portal's own domains: anything else is reported."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class OffsiteRedirect(IgnoreRequest):
    """A portal page redirected to a domain that is not the portal's: has it moved?"""


class PortalRedirectMiddleware:
    """Stop redirects that leave the portal's domains, aliases and CDN, with a warning."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PortalRedirectMiddleware:
        """Scrapy's constructor hook."""
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        """Raise :class:`OffsiteRedirect` for a redirect to a foreign host."""
        location = response.headers.get(b"Location")
        if response.status not in REDIRECT_STATUSES or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        host = (urlsplit(target).hostname or "").lower()
        allowed = getattr(self.crawler.spider, "allowed_domains", None) or []
        if any(host == d or host.endswith("." + d) for d in allowed):
            return response
        self.crawler.stats.inc_value("tinmoi/redirect/offsite")
        self.crawler.spider.logger.warning(
            "portal moved? %s redirects to %s (not followed)", request.url, target
        )
        raise OffsiteRedirect(f"portal moved? redirects to {target}")
