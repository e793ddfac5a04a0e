"""Portals whose listing pages are unknown: discovery through sitemaps, else the home
page's feed.

* ``robots.txt`` is read first; its ``Sitemap:`` lines on the portal's own hosts name the
  sitemaps (else ``sitemap_paths``, ``/sitemap.xml`` by default).
* A sitemap is a ``<sitemapindex>`` (each ``<sitemap><loc>`` is fetched as one more
  listing) or a ``<urlset>`` (sitemaps.org protocol 0.9). Every ``<url><loc>`` on the
  portal's own hosts that matches an article pattern is an article; its ``<lastmod>``
  goes to ``ListingEntry.modified_text``, so an incremental crawl fetches an archived
  article again when the sitemap says it changed after it was last fetched. In a Google
  News sitemap, ``<news:publication_date>`` is the listing date and ``<news:title>`` the
  listing title; ``<lastmod>`` is never taken as a publication date.
* When no sitemap can be fetched (404, not XML), the home page's
  ``<link rel="alternate" type="application/rss+xml|application/atom+xml">`` feeds are
  read as :mod:`crawler.platforms.feed` reads feeds (NukeViet prints one per module).

Sitemaps nest at most ``TINMOI_SITEMAP_DEPTH`` levels (3: a root index, the indexes it
lists, their sitemaps) and a portal reads at most ``TINMOI_SITEMAP_MAX`` sitemaps (500);
the sitemaps an index lists beyond either limit are not read: a stat
(``tinmoi/sitemap/too_deep``, ``tinmoi/sitemap/over_limit``: how many), a warning and a
dropped record for the listing index ("sitemap too deep", "too many sitemaps").

Sitemaps and feeds list a whole portal, not a section: an article's section is the
portal section whose ``path`` is the longest prefix of the article's URL path (a section
with path ``/`` takes the rest); URLs under no section are skipped. Listing requests use
the pseudo-sections ``sitemap`` and ``feed`` (stop points, conditional GET, stats).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from parsel import Selector, SelectorList
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.items import Dropped
from crawler.platforms.base import ListingEntry, Section
from crawler.platforms.feed import FeedSpider, tag_of
from crawler.text import clean_line

SITEMAP = Section("sitemap", "Sitemap", "/sitemap.xml")
FEED = Section("feed", "Feed", "/")
FEED_TYPES = ("application/rss+xml", "application/atom+xml")
#: How many levels sitemaps nest (``TINMOI_SITEMAP_DEPTH``): a root, and two below it.
SITEMAP_DEPTH = 3
#: How many sitemaps a portal reads in one crawl (``TINMOI_SITEMAP_MAX``).
SITEMAP_MAX = 500


class SitemapSpider(FeedSpider):
    """Base for portals discovered through sitemaps (or the home page's feed links)."""

    platform = "sitemap"
    #: Sitemaps to read when robots.txt names none.
    sitemap_paths: ClassVar[tuple[str, ...]] = ("/sitemap.xml",)
    #: Where the ``<link rel="alternate">`` feeds are looked for when there is no sitemap.
    home_path: ClassVar[str] = "/"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fell_back = False
        self._sitemaps = 0

    # Discovery ---------------------------------------------------------------------------

    def origin(self) -> str:
        """The portal's public origin."""
        return self.base_url.rstrip("/")

    async def start(self) -> AsyncIterator[Any]:
        """Read robots.txt for ``Sitemap:`` lines first."""
        yield scrapy.Request(
            self.urls.to_fetch(self.origin() + "/robots.txt"),
            callback=self.parse_robots,
            errback=self.robots_failed,
            meta={"tinmoi_kind": "discovery"},
        )

    def default_sitemaps(self) -> Iterator[scrapy.Request | Dropped]:
        """The sitemaps at ``sitemap_paths``."""
        yield from self.sitemap_requests(
            [self.origin() + path for path in self.sitemap_paths], 1, self.origin() + "/"
        )

    def sitemap_request(self, url: str, page: int = 1) -> scrapy.Request:
        """A sitemap (index or urlset) as a listing of the ``sitemap`` pseudo-section."""
        request = self.listing_request(url, SITEMAP, page)
        request.meta["tinmoi_sitemap_root"] = page == 1
        return request

    def sitemap_requests(
        self, urls: list[str], page: int, source: str
    ) -> Iterator[scrapy.Request | Dropped]:
        """Requests for the sitemaps ``source`` lists at nesting level ``page``, within the
        depth and count limits; those beyond them are one dropped record for ``source``."""
        settings = self.settings if hasattr(self, "crawler") else {}
        depth = int(settings.get("TINMOI_SITEMAP_DEPTH", SITEMAP_DEPTH))
        most = int(settings.get("TINMOI_SITEMAP_MAX", SITEMAP_MAX))
        if page > depth:
            yield self._refused(source, len(urls), "sitemap too deep", "too_deep",
                                f"listed more than {depth} levels down",
                                f"sitemaps nest more than {depth} levels")  # fmt: skip
            return
        allowed = max(0, min(len(urls), most - self._sitemaps))
        self._sitemaps += allowed
        for url in urls[:allowed]:
            yield self.sitemap_request(url, page)
        if allowed < len(urls):
            yield self._refused(source, len(urls) - allowed, "too many sitemaps", "over_limit",
                                f"over the limit of {most} sitemaps",
                                f"more than {most} sitemaps")  # fmt: skip

    def _refused(
        self, source: str, count: int, reason: str, stat: str, why: str, warning: str
    ) -> Dropped:
        self.crawler.stats.inc_value(f"tinmoi/sitemap/{stat}", count)
        self.logger.warning(
            "%s: %s: %s lists %d more (not read)", self.name, warning, source, count
        )
        return Dropped(self.name, source, reason, f"not read: {count} {why}")

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request | Dropped]:
        """``Sitemap:`` lines on own hosts, else the default sitemap paths."""
        found: list[str] = []
        text = response.text if isinstance(response, TextResponse) else ""
        for line in text.splitlines():
            name, _, value = line.partition(":")
            if name.strip().lower() == "sitemap" and value.strip():
                url = self.public_url(value.strip())
                if self.is_own_url(url) and url not in found:
                    found.append(url)
        self.crawler.stats.inc_value("tinmoi/sitemap/from_robots", len(found))
        if not found:
            yield from self.default_sitemaps()
        yield from self.sitemap_requests(found, 1, self.public_url(response.url))

    def robots_failed(self, failure: Failure) -> Iterator[scrapy.Request | Dropped]:
        """No robots.txt: the default sitemap paths."""
        yield from self.default_sitemaps()

    def listing_failed(self, failure: Failure) -> Iterator[scrapy.Request | Dropped]:
        """A portal sitemap that cannot be fetched sends discovery to the home page's feeds."""
        request = failure.request  # type: ignore[attr-defined]
        if not request.meta.get("tinmoi_sitemap_root"):
            yield from super().listing_failed(failure)
            return
        response = getattr(failure.value, "response", None)
        why = f"HTTP {response.status}" if response is not None else failure.getErrorMessage()
        self.crawler.stats.inc_value("tinmoi/sitemap/missing")
        self.logger.info("%s: no sitemap (%s): %s", self.name, why, request.url)
        yield from self.fall_back()

    def fall_back(self) -> Iterator[scrapy.Request]:
        """The home page, for its feed links (once per crawl)."""
        if self._fell_back:
            return
        self._fell_back = True
        yield scrapy.Request(
            self.urls.to_fetch(self.origin() + self.home_path),
            callback=self.parse_home,
            errback=super().listing_failed,
            cb_kwargs={"section": FEED, "page": 1},
            meta={"tinmoi_kind": "discovery"},
        )

    def parse_home(self, response: Response, section: Section, page: int) -> Iterator[Any]:
        """Every own-host RSS/Atom feed the home page links with ``rel="alternate"``."""
        found: list[str] = []
        links = response.css("link[href]") if isinstance(response, TextResponse) else []
        for link in links:
            rels = (link.attrib.get("rel") or "").lower().split()
            kind = (link.attrib.get("type") or "").lower().strip()
            if "alternate" not in rels or kind not in FEED_TYPES:
                continue
            url = self.public_url(response.urljoin(link.attrib["href"].strip()))
            if self.is_own_url(url) and url not in found:
                found.append(url)
        self.crawler.stats.inc_value("tinmoi/sitemap/alternate_feeds", len(found))
        if not found:
            self.crawler.stats.set_value(f"tinmoi/listing/failed_section/{FEED.slug}", "no feed")
            self.logger.warning("%s: no sitemap and no feed link on %s", self.name, response.url)
        for url in found:
            yield self.listing_request(url, FEED, 1)

    # Listings ----------------------------------------------------------------------------

    def parse_listing(
        self, response: Response, section: Section, page: int
    ) -> Iterator[scrapy.Request | Dropped]:
        """A sitemap index queues its sitemaps; a urlset or a feed lists articles.

        A root sitemap that is not XML at all (an HTML page answering 200) is treated
        like a missing one.
        """
        if response.status == 304:
            yield from super().parse_listing(response, section, page)
            return
        document = self.xml_of(response)
        if too_large := response.meta.get("tinmoi_too_large"):
            yield self._too_large(response, too_large)
            return
        if document is None and response.meta.get("tinmoi_sitemap_root"):
            self.crawler.stats.inc_value("tinmoi/listing/pages")
            self.crawler.stats.inc_value("tinmoi/sitemap/missing")
            self.logger.warning("%s: sitemap is not XML: %s", self.name, response.url)
            response.meta["tinmoi_page_keys"] = []
            yield from self.fall_back()
            return
        if document is not None and tag_of(document) == "sitemapindex":
            self.crawler.stats.inc_value("tinmoi/listing/pages")
            response.meta["tinmoi_page_keys"] = []
            children = []
            for loc in document.xpath("/sitemapindex/sitemap/loc/text()").getall():
                url = self.public_url(response.urljoin(loc.strip()))
                if self.is_own_url(url):
                    children.append(url)
            if children:
                self.crawler.stats.inc_value("tinmoi/sitemap/children", len(children))
            yield from self.sitemap_requests(children, page + 1, self.public_url(response.url))
            return
        yield from super().parse_listing(response, section, page)

    def _too_large(self, response: Response, why: str) -> Dropped:
        """A sitemap that unpacks to more than the protocol allows is not read."""
        self.crawler.stats.inc_value("tinmoi/listing/pages")
        self.crawler.stats.inc_value("tinmoi/sitemap/too_large")
        response.meta["tinmoi_page_keys"] = []
        url = self.public_url(response.url)
        self.logger.warning("%s: sitemap %s: %s (not read)", self.name, why, url)
        return Dropped(self.name, url, "sitemap too large", why)

    def listing_entries(self, response: Response) -> SelectorList[Selector]:
        """The ``<url>`` elements of a urlset, else the items of a feed."""
        document = self.xml_of(response)
        if document is not None and tag_of(document) == "urlset":
            return document.xpath("/urlset/url")
        return super().listing_entries(response)

    def entry_section(self, url: str, section: Section) -> Section | None:
        """The portal section whose path is the longest prefix of the URL's path."""
        path = urlsplit(url).path.lower()
        best = None
        for candidate in self.sections:
            prefix = candidate.path.lower()
            if path.startswith(prefix) and (best is None or len(prefix) > len(best.path)):
                best = candidate
        return best

    def listing_entry(
        self, entry: Selector, response: Response, section: Section, position: int
    ) -> ListingEntry | None:
        """One ``<url>`` of a sitemap (``loc``, ``lastmod``, Google News date and title)."""
        if tag_of(entry) != "url":
            return super().listing_entry(entry, response, section, position)
        loc = clean_line(entry.xpath("./loc/text()").get())
        if not loc:
            return None
        found = self.placed(loc, response, section)
        if found is None:
            return None
        url, key, where = found
        title = clean_line(" ".join(entry.xpath("./news/title//text()").getall()))
        published = clean_line(entry.xpath("./news/publication_date/text()").get())
        lastmod = clean_line(entry.xpath("./lastmod/text()").get())
        return ListingEntry(url, key, where.slug, title, published, position, lastmod)
