"""The base of every platform spider: sections, listings, pagination, articles, dates.

A platform subclass sets selectors and how an article URL maps to its key; a portal
subclass sets ``name``, ``portal_title``, ``province``, ``base_url`` and ``sections``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from scrapy.selector import SelectorList
from twisted.python.failure import Failure

from crawler.attachments import is_document
from crawler.cleanhtml import is_xpath
from crawler.clock import crawl_now
from crawler.dates import parse_date
from crawler.dates import url_date as path_date
from crawler.extensions.received import failure_reason
from crawler.items import Article, Attachment, Dropped, Removed
from crawler.middlewares.redirects import OffsiteRedirect, origin_of, portal_origins, same_origin
from crawler.platforms.fields import DateCandidate, PageFields, choose_date
from crawler.text import clean_line, clean_text
from crawler.urls import OriginMap, strip_tracking


@dataclass(frozen=True)
class Section:
    """A portal section: its slug (used in feed paths), title and listing path."""

    slug: str
    title: str
    path: str


@dataclass(frozen=True)
class ListingEntry:
    """What a listing page says of an article before it is fetched."""

    url: str
    key: str
    section: str
    title: str
    date_text: str
    position: int
    #: When the source says the article last changed (a sitemap's ``lastmod``), if it does.
    modified_text: str = ""


#: The largest document kept when the settings do not say (``TINMOI_ATTACHMENT_MAXSIZE``).
ATTACHMENT_MAXSIZE = 20 * 1024 * 1024


def parse_url_map(value: str | dict[str, str] | None) -> dict[str, str]:
    """``PUBLIC=FETCH[,PUBLIC=FETCH…]`` (or a dict) as a dict of origins."""
    if not value:
        return {}
    if isinstance(value, dict):
        return dict(value)
    pairs = (item.split("=", 1) for item in value.split(",") if item.strip())
    return {public.strip(): fetch.strip() for public, fetch in pairs}


#: Attribute names of earlier releases and the names that replaced them: a selector
#: attribute is named for a selector (CSS or XPath), not for CSS alone.
RENAMED_ATTRIBUTES = {
    "chrome_css": "chrome_selectors",
    "listing_chrome_css": "listing_chrome_selectors",
    **{
        f"{field}_css": f"{field}_selector"
        for field in (
            "listing_entry", "listing_link", "listing_title", "listing_date", "listing_area",
            "next_page", "title", "date", "meta_date", "canonical", "body", "author",
            "fallback_body", "hometext", "featured_image", "lead", "pager",
        )
    },
    "published_meta_css": "meta_date_selector",
}  # fmt: skip


class PortalSpider(scrapy.Spider):
    """Crawl a portal's sections page by page and yield one :class:`Article` per article."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Refuse a portal or platform that sets an attribute by its old name."""
        super().__init_subclass__(**kwargs)
        for old, new in RENAMED_ATTRIBUTES.items():
            if old in vars(cls):
                raise TypeError(f"{cls.__name__} sets {old}, which is now named {new}")

    platform: ClassVar[str] = ""
    portal_title: ClassVar[str] = ""
    province: ClassVar[str] = ""
    base_url: ClassVar[str] = ""
    cdn_url: ClassVar[str | None] = None
    domain_aliases: ClassVar[tuple[str, ...]] = ()
    sections: ClassVar[tuple[Section, ...]] = ()

    # Selectors: CSS (``::text`` and ``::attr()`` allowed) or XPath (starting with ``/``,
    # ``./`` or ``(``). Platforms set them, portals override only what differs.
    listing_entry_selector: ClassVar[str] = ""
    listing_link_selector: ClassVar[str] = "a::attr(href)"
    listing_title_selector: ClassVar[str] = "a::text"
    listing_date_selector: ClassVar[str] = ""
    next_page_selector: ClassVar[str] = ""
    title_selector: ClassVar[str] = "h1 ::text"
    date_selector: ClassVar[str] = ""
    meta_date_selector: ClassVar[str] = (
        'meta[property="article:published_time"]::attr(content), '
        'meta[itemprop="datePublished"]::attr(content)'
    )
    canonical_selector: ClassVar[str] = (
        'link[rel="canonical"]::attr(href), meta[property="og:url"]::attr(content)'
    )
    body_selector: ClassVar[str] = ""
    author_selector: ClassVar[str] = ""
    #: Chrome inside the body to remove before sanitising (beyond the generic chrome).
    chrome_selectors: ClassVar[tuple[str, ...]] = ()
    #: The listing is a feed whose machine date competes with the page's (see
    #: :func:`crawler.platforms.fields.choose_date`).
    feed_dates: ClassVar[bool] = False

    def __init__(
        self,
        *args: Any,
        base_url: str | None = None,
        cdn_url: str | None = None,
        url_map: str | dict[str, str] | None = None,
        max_pages: str | int | None = None,
        aliases: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        overrides = parse_url_map(url_map)
        if base_url:
            overrides[type(self).base_url] = base_url
        if cdn_url and type(self).cdn_url:
            overrides[str(type(self).cdn_url)] = cdn_url
        self.urls = OriginMap(overrides)
        self.max_pages = int(max_pages or 0)
        extra = [a.strip() for a in (aliases or "").split(",") if a.strip()]
        self.alias_origins = tuple(extra)
        self.public_hosts = {
            (urlsplit(u).hostname or "").lower() for u in [*self.public_origins(), *extra]
        } - {""}
        self.allowed_domains = sorted(self.public_hosts | self.urls.fetch_hosts())
        self._seen_keys: set[str] = set()
        self._seen_attachments: set[str] = set()
        self._now: datetime | None = None

    # Identity ----------------------------------------------------------------------------

    @classmethod
    def public_origins(cls) -> list[str]:
        """The portal's own public origins: its base URL, aliases and CDN."""
        found = [cls.base_url, *cls.domain_aliases]
        if cls.cdn_url:
            found.append(cls.cdn_url)
        return found

    def article_id(self, url: str) -> str | None:
        """The platform's article identifier in a public URL, or None if not an article."""
        raise NotImplementedError

    def article_key(self, url: str) -> str | None:
        """The archive key of an article URL: the portal plus the platform's article id."""
        article_id = self.article_id(url)
        return f"{self.name}:{article_id}" if article_id else None

    def is_own_url(self, url: str) -> bool:
        """An http(s) URL on one of the portal's own public hosts (or declared aliases)."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        return parts.scheme in ("http", "https") and host in self.public_hosts

    def public_url(self, url: str) -> str:
        """The public form of a fetched or linked URL, without tracking parameters."""
        return strip_tracking(self.urls.to_public(url))

    @property
    def now(self) -> datetime:
        """The crawl's "now", fixed once per crawl (the ``TINMOI_NOW`` setting pins it)."""
        if self._now is None:
            pinned = self.settings.get("TINMOI_NOW") if hasattr(self, "crawler") else ""
            self._now = crawl_now(pinned)
        return self._now

    # Crawling ----------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        """One request per section listing."""
        for section in self.sections:
            yield self.listing_request(self.base_url.rstrip("/") + section.path, section, 1)

    def listing_request(self, url: str, section: Section, page: int) -> scrapy.Request:
        """A listing page request; a 304 reaches :meth:`parse_listing` too."""
        return scrapy.Request(
            self.urls.to_fetch(url),
            callback=self.parse_listing,
            errback=self.listing_failed,
            cb_kwargs={"section": section, "page": page},
            meta={
                "tinmoi_kind": "listing",
                "tinmoi_section": section.slug,
                "tinmoi_page": page,
                "handle_httpstatus_list": [304],
            },
        )

    def parse_listing(
        self, response: Response, section: Section, page: int
    ) -> Iterator[scrapy.Request]:
        """Queue every article of a listing page, then the next page.

        A 304 (the page did not change since the last crawl) ends the section's walk.
        """
        stats = self.crawler.stats
        stats.inc_value("tinmoi/listing/pages")
        if response.status == 304:
            stats.inc_value("tinmoi/listing/not_modified")
            return
        entries = self.listing_entries(response)
        stats.inc_value("tinmoi/listing/entries", len(entries))
        if not entries:
            stats.inc_value("tinmoi/listing/empty")
            if page == 1:
                stats.inc_value(f"tinmoi/listing/empty_section/{section.slug}")
            self.logger.warning("%s: listing page has no entries: %s", self.name, response.url)
        page_keys: list[str] = []
        response.meta["tinmoi_page_keys"] = page_keys  # every key, duplicates included
        for index, entry in enumerate(entries):
            listed = self.listing_entry(entry, response, section, page * 1000 + index)
            if listed is None:
                stats.inc_value("tinmoi/listing/not_article")
                continue
            page_keys.append(listed.key)
            if listed.key in self._seen_keys:
                stats.inc_value("tinmoi/listing/duplicate")
                continue
            self._seen_keys.add(listed.key)
            yield self.article_request(listed)
        if not self.max_pages or page < self.max_pages:
            next_request = self.next_page_request(response, section, page)
            if next_request is not None:
                yield next_request

    def listing_entries(self, response: Response) -> SelectorList:
        """The entries of a listing page (one per article it lists)."""
        return self.select(response, self.listing_entry_selector)

    def next_page_request(
        self, response: Response, section: Section, page: int
    ) -> scrapy.Request | None:
        """The request for the listing page after ``page``, or None on the last one.

        Platforms that page by form postback override this to build the POST.
        """
        next_href = self.select(response, self.next_page_selector).get()
        if not next_href:
            return None
        url = self.public_url(response.urljoin(next_href.strip()))
        return self.listing_request(url, section, page + 1)

    def article_request(self, listed: ListingEntry, revisit: bool = False) -> scrapy.Request:
        """The request for an article a listing (or the archive, for a revisit) names."""
        listed_date = parse_date(listed.date_text, now=self.now) if listed.date_text else None
        if listed_date is not None:
            listed_date = listed_date.replace(microsecond=0)
        modified = parse_date(listed.modified_text, now=self.now) if listed.modified_text else None
        return scrapy.Request(
            self.urls.to_fetch(listed.url),
            callback=self.parse_article,
            errback=self.article_failed,
            cb_kwargs={"listed": listed},
            meta={
                "tinmoi_kind": "revisit" if revisit else "article",
                "tinmoi_key": listed.key,
                "tinmoi_listed_date": listed_date,
                "tinmoi_listed_modified": modified,
            },
        )

    def revisit_request(
        self, url: str, key: str, section: str, title: str, position: int | None
    ) -> scrapy.Request:
        """A request for an archived article, to catch edits and takedowns."""
        self._seen_keys.add(key)
        listed = ListingEntry(url, key, section, title, "", position or 0)
        return self.article_request(listed, revisit=True)

    def retry_request(self, listed: dict[str, Any]) -> scrapy.Request:
        """A request for an article an earlier crawl dropped for a passing reason, with
        the listing entry it was found under (kept in the archive)."""
        entry = ListingEntry(**listed)
        self._seen_keys.add(entry.key)
        return self.article_request(entry)

    def listing_failed(self, failure: Failure) -> None:
        """A listing page that could not be fetched: a section whose first page fails is a
        broken portal (renumbered category?); robots.txt refusing it is only reported."""
        request = failure.request  # type: ignore[attr-defined]
        section: Section = request.cb_kwargs["section"]
        response = getattr(failure.value, "response", None)
        why = f"HTTP {response.status}" if response is not None else failure_reason(failure)
        stats = self.crawler.stats
        if failure.check(IgnoreRequest) and "robots.txt" in failure.getErrorMessage():
            stats.inc_value(f"tinmoi/listing/forbidden/{section.slug}")
            self.logger.warning("%s: robots.txt forbids the listing %s", self.name, request.url)
            return
        stats.inc_value("tinmoi/listing/failed")
        if request.cb_kwargs["page"] == 1:
            stats.set_value(f"tinmoi/listing/failed_section/{section.slug}", why)
        self.logger.warning("%s: listing page failed (%s): %s", self.name, why, request.url)

    def listing_entry(
        self, entry: scrapy.Selector, response: Response, section: Section, position: int
    ) -> ListingEntry | None:
        """Read one listing entry; None when it does not link to an article."""
        href = self.select(entry, self.listing_link_selector).get()
        if not href:
            return None
        url = self.public_url(response.urljoin(href.strip()))
        key = self.article_key(url)
        if key is None:
            return None
        title = self.entry_text(entry, self.listing_title_selector)
        date_text = self.entry_text(entry, self.listing_date_selector)
        return ListingEntry(url, key, section.slug, title, date_text, position)

    def entry_text(self, entry: scrapy.Selector, query: str) -> str:
        """The text a listing entry holds for ``query`` (all its matches, joined)."""
        return clean_line(" ".join(self.select(entry, query).getall()))

    def parse_article(self, response: Response, listed: ListingEntry) -> Iterator[Any]:
        """Extract one article; what the page lacks comes from its listing entry."""
        url, key = self.canonical_url(response, listed), listed.key
        fields = self.post_process_fields(self.page_fields(response, listed), response)
        body = fields.content_html()
        candidates: list[DateCandidate] = [*fields.dates, (self.lead_text(body), "lead")]
        if url_date := self.url_date(url):
            candidates.append((url_date, "url"))
        date = choose_date(candidates, listed.date_text, self.now, feed=self.feed_dates)
        documents = self.attachment_urls(response, body)
        yield Article(
            portal=self.name,
            key=key,
            url=url,
            section=listed.section,
            title=fields.title,
            title_source=fields.title_source,
            published=date.value,
            date_source=date.source,
            date_relative=date.relative,
            content_html=body,
            author=fields.author,
            list_position=listed.position,
            documents=documents,
        )
        for attachment in documents:
            if attachment not in self._seen_attachments:
                yield self.document_request(attachment, key)

    def page_fields(self, response: Response, listed: ListingEntry) -> PageFields:
        """The article page's fields, read in one pass with the selector attributes.

        Platforms that read a page otherwise override this (calling it for what they keep).
        """
        title, title_source = self.page_title(response, listed)
        dates: list[DateCandidate] = [
            (text, "meta") for text in self.select(response, self.meta_date_selector).getall()
        ]
        dates.append((self.selected_text(response, self.date_selector), "page"))
        return PageFields(
            title=title,
            title_source=title_source,
            dates=dates,
            body=self.select(response, self.body_selector).get(""),
            author=self.selected_text(response, self.author_selector) or None,
        )

    def post_process_fields(self, fields: PageFields, response: Response) -> PageFields:
        """The one hook a portal may override: adjust the page's fields (unchanged here)."""
        return fields

    def attachment_urls(self, response: Response, body: str) -> list[str]:
        """Public URLs of the documents (PDF, DOC/DOCX, XLS/XLSX) an article's body links
        to on the portal's own hosts, each once."""
        found = []
        selector = scrapy.Selector(text=body or "<p></p>")
        for href in selector.css("a::attr(href)").getall():
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
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        yield Attachment(self.name, key, url, content_type, response.body)

    def attachment_failed(self, failure: Failure) -> Iterator[Dropped]:
        """A document that could not be downloaded is recorded as dropped."""
        request = failure.request  # type: ignore[attr-defined]
        url = request.cb_kwargs["url"]
        response = getattr(failure.value, "response", None)
        if response is not None:
            reason = f"attachment http {response.status}"
        elif failure.check(OffsiteRedirect):
            reason = "attachment moved off-site"
        elif failure.check(DownloadCancelledError):
            reason = "attachment too large"
        else:
            reason = "attachment fetch failed"
        detail = failure.getErrorMessage()
        self.crawler.stats.inc_value(f"tinmoi/dropped/{reason.replace(' ', '_')}")
        self.logger.warning("%s: %s: %s (%s)", self.name, reason, url, detail)
        key = request.cb_kwargs["key"]
        yield Dropped(portal=self.name, url=url, reason=reason, detail=detail, key=key)

    def article_failed(self, failure: Failure) -> Iterator[Dropped | Removed]:
        """An article request that failed for good is recorded, never silently lost.

        An archived article that now answers 404 or 410 was taken down: it is marked
        removed, not dropped.
        """
        request = failure.request  # type: ignore[attr-defined]
        listed: ListingEntry = request.cb_kwargs["listed"]
        response = getattr(failure.value, "response", None)
        known = request.meta.get("tinmoi_kind") == "revisit" or request.meta.get("tinmoi_known")
        if response is not None and response.status in (404, 410) and known:
            self.crawler.stats.inc_value("tinmoi/articles/removed")
            self.logger.warning("%s: taken down (%s): %s", self.name, response.status, listed.url)
            yield Removed(self.name, listed.key, listed.url, response.status)
            return
        if response is not None:
            reason = f"http {response.status}"
        elif failure.check(OffsiteRedirect):
            reason = "moved off-site"
        elif failure.check(DownloadCancelledError):
            reason = "too large"
        else:
            reason = "fetch failed"
        detail = failure.getErrorMessage()
        self.crawler.stats.inc_value(f"tinmoi/dropped/{reason.replace(' ', '_')}")
        self.logger.warning("%s: %s: %s (%s)", self.name, reason, listed.url, detail)
        yield Dropped(self.name, listed.url, reason, detail, listed.key, asdict(listed))

    # Fields ------------------------------------------------------------------------------

    @staticmethod
    def select(node: Response | scrapy.Selector, query: str) -> SelectorList:
        """Apply a selector: XPath when it starts with ``/``, ``./`` or ``(``, else CSS.

        An empty query selects nothing, so optional selectors can stay unset.
        """
        if not query:
            return SelectorList([])
        if is_xpath(query):
            return node.xpath(query)
        return node.css(query)

    def selected_text(self, node: Response | scrapy.Selector, query: str) -> str:
        """Every text ``query`` selects, joined on one line."""
        return clean_line(" ".join(self.select(node, query).getall()))

    def canonical_url(self, response: Response, listed: ListingEntry) -> str:
        """The article's public URL: the page's own canonical link when it names the same
        article, else the URL it was fetched from (public form), else the listing's link."""
        for href in self.select(response, self.canonical_selector).getall():
            url = self.public_url(response.urljoin(href.strip()))
            if self.is_own_url(url) and self.article_key(url) == listed.key:
                return url
        url = self.public_url(response.url)
        return url if self.article_key(url) == listed.key else listed.url

    def page_title(self, response: Response, listed: ListingEntry) -> tuple[str | None, str]:
        """The page's title, else its ``og:title``, else the listing entry's title."""
        title = self.selected_text(response, self.title_selector)
        if title:
            return title, "page"
        meta = clean_line(response.css('meta[property="og:title"]::attr(content)').get())
        if meta:
            return meta, "meta"
        if listed.title:
            return listed.title, "listing"
        return None, "none"

    @staticmethod
    def url_date(url: str) -> datetime | None:
        """A date in the URL path (``/2024-4-25/``, ``/2024/06/25/``), or None."""
        return path_date(url)

    @staticmethod
    def lead_text(body: str) -> str:
        """The first paragraph's text of an article body."""
        selector = scrapy.Selector(text=body or "<p></p>")
        for paragraph in selector.css("p, div"):
            text = clean_text(" ".join(paragraph.css("::text").getall()))
            if text:
                return text
        return ""

    # Portal description ------------------------------------------------------------------

    @classmethod
    def describe(cls) -> dict[str, Any]:
        """What ``tinmoi sites`` and the archive record of this portal."""
        return {
            "name": cls.name,
            "title": cls.portal_title,
            "province": cls.province,
            "platform": cls.platform,
            "base_url": cls.base_url,
            "sections": {s.slug: s.title for s in cls.sections},
        }
