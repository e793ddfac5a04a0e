"""Follow redirects only within a portal's own origins, and never reach an internal
address the portal was not configured on.

* A redirect is followed when its target's public origin (after ``url_map``) is one of
  the portal's public origins (base URL, domain aliases, CDN, ``aliases``): same scheme,
  host and port. ``http://host`` → ``https://host`` (80 → 443) is the same origin; the
  other way round, or another port on the same host, is not. Anything else is reported
  ("portal moved?") as :class:`OffsiteRedirect`.
* Every request's host is resolved (through Scrapy's caching resolver, which the
  connection then uses); a loopback, private, link-local or otherwise non-public address
  is refused (:class:`ForbiddenAddress`) unless it is the address of a host the portal
  is fetched from (its base URL or a ``url_map`` target: snapshots on 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import DNSLookupError

REDIRECT_STATUSES = (301, 302, 303, 307, 308)
_DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]


class OffsiteRedirect(IgnoreRequest):
    """A portal page redirected to an origin that is not the portal's: has it moved?"""


class ForbiddenAddress(OffsiteRedirect):
    """A request whose host resolves to an internal address the portal is not on."""


def origin_of(url: str) -> Origin | None:
    """``(scheme, host, port)`` of an http(s) URL, the port made explicit; else None."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port or _DEFAULT_PORTS[scheme]
    except ValueError:
        return None
    return scheme, parts.hostname.lower(), port


def same_origin(target: Origin | None, allowed: set[Origin]) -> bool:
    """Whether ``target`` is one of ``allowed``, or the https upgrade of one of them."""
    if target is None:
        return False
    scheme, host, port = target
    upgraded = (scheme, port) == ("https", 443) and ("http", host, 80) in allowed
    return target in allowed or upgraded


def internal(address: str) -> bool:
    """Whether an IP address is not a public one (loopback, private, link-local…)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return not ip.is_global or ip.is_multicast


def portal_origins(spider: Any) -> set[Origin]:
    """The public origins of a portal spider, with its ``aliases``."""
    urls = [*spider.public_origins(), *getattr(spider, "alias_origins", ())]
    return {found for url in urls if (found := origin_of(url)) is not None}


def fetch_hosts(spider: Any) -> set[str]:
    """The hosts a portal is configured to be fetched from: its origins after ``url_map``."""
    urls = [*spider.public_origins(), *getattr(spider, "alias_origins", ())]
    return {(urlsplit(spider.urls.to_fetch(url)).hostname or "").lower() for url in urls} - {""}


class PortalRedirectMiddleware:
    """Stop redirects that leave the portal's origins, and requests to internal
    addresses the portal is not on, with a warning and a stat."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._configured: set[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PortalRedirectMiddleware:
        """Scrapy's constructor hook."""
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        """Raise :class:`ForbiddenAddress` when the host resolves to an internal address
        that is not one the portal is fetched from."""
        spider = self.crawler.spider
        host = (urlsplit(request.url).hostname or "").lower()
        if spider is None or not host or not hasattr(spider, "urls"):
            return
        address = await self._resolve(host)
        if address is None or not internal(address):
            return
        if address in await self._configured_addresses(spider):
            return
        self.crawler.stats.inc_value("tinmoi/redirect/internal_address")
        spider.logger.warning(
            "%s resolves to the internal address %s (not fetched)", request.url, address
        )
        raise ForbiddenAddress(f"{host} resolves to the internal address {address}")

    async def _resolve(self, host: str) -> str | None:
        from twisted.internet import reactor

        try:
            return str(ipaddress.ip_address(host))  # a literal address is what it is
        except ValueError:
            pass
        try:
            # A zope interface method has no ``self``: mypy takes ``name`` for it.
            resolving = reactor.resolve(host)  # type: ignore[arg-type]
            address: str = await maybe_deferred_to_future(resolving)
        except DNSLookupError:
            return None  # the download reports it
        return address

    async def _configured_addresses(self, spider: Any) -> set[str]:
        if self._configured is None:
            found = set()
            for host in fetch_hosts(spider):
                if (address := await self._resolve(host)) is not None:
                    found.add(address)
            self._configured = found
        return self._configured

    def process_response(self, request: Request, response: Response) -> Response:
        """Raise :class:`OffsiteRedirect` for a redirect to a foreign origin."""
        location = response.headers.get(b"Location")
        if response.status not in REDIRECT_STATUSES or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        spider = self.crawler.spider
        if spider is None or not hasattr(spider, "urls"):
            return response
        if same_origin(origin_of(spider.urls.to_public(target)), portal_origins(spider)):
            return response
        self.crawler.stats.inc_value("tinmoi/redirect/offsite")
        spider.logger.warning(
            "portal moved? %s redirects to %s (not followed)", request.url, target
        )
        raise OffsiteRedirect(f"portal moved? redirects to {target}")
