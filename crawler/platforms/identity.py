"""A portal's identity: its attributes, origins, article keys, clock and selectors.

The first of the base spider's layers (:mod:`crawler.platforms.documents`,
:mod:`crawler.platforms.articles`, :mod:`crawler.platforms.base`), each adding one
concern; platforms and portals subclass :class:`~crawler.platforms.base.PortalSpider`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from parsel import Selector, SelectorList
from scrapy.http import TextResponse

from crawler.cleanhtml import is_xpath
from crawler.clock import crawl_now
from crawler.platforms.records import Section
from crawler.text import clean_line
from crawler.urls import OriginMap, strip_tracking


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


class PortalBase(scrapy.Spider):
    """A portal's attributes and identity; no crawling yet."""

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
    #: False: ``tinmoi run`` never crawls the portal, nor ``tinmoi crawl`` unless named
    #: (``enabled = false`` in a portal file, as ``tinmoi add`` writes a portal whose check
    #: failed).
    enabled: ClassVar[bool] = True
    #: The portal file that defined the portal (None: a Python portal).
    source_file: ClassVar[str | None] = None
    #: What ``tinmoi sites`` and ``tinmoi check`` warn of in that file (old key names,
    #: selectors the platform does not read).
    portal_file_warnings: ClassVar[tuple[str, ...]] = ()

    # Selectors: CSS (``::text`` and ``::attr()`` allowed) or XPath (starting with ``/``,
    # ``./`` or ``(``). Platforms set them, portals override only what differs.
    listing_entry_selector: ClassVar[str] = ""
    listing_link_selector: ClassVar[str] = "a::attr(href)"
    listing_title_selector: ClassVar[str] = "a::text"
    listing_date_selector: ClassVar[str] = ""
    next_page_selector: ClassVar[str] = ""
    #: Options a portal on this platform must set (``[options]`` of a portal file).
    required_options: ClassVar[tuple[str, ...]] = ()
    #: Selector attributes this platform does not read, each with what it reads instead
    #: (a portal file setting one is warned, and ``tinmoi check`` fails on it).
    ignored_selectors: ClassVar[dict[str, str]] = {}
    #: The options that decide which of its links are articles (``tinmoi check`` names
    #: them when a listing's links fail the platform's article-URL test).
    article_url_options: ClassVar[tuple[str, ...]] = ()
    #: A regular expression finding a listing URL's page number (group 1), beyond the
    #: shapes :mod:`crawler.platforms.pager` knows.
    next_page_pattern: ClassVar[str] = ""
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
        self._walk_keys: dict[str, set[str]] = {}
        self.page_patterns = (
            (re.compile(self.next_page_pattern, re.I),) if self.next_page_pattern else ()
        )
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

    @staticmethod
    def select(node: TextResponse | Selector, query: str) -> SelectorList[Selector]:
        """Apply a selector: XPath when it starts with ``/``, ``./`` or ``(``, else CSS.

        An empty query selects nothing, so optional selectors can stay unset.
        """
        if not query:
            return SelectorList([])
        if is_xpath(query):
            return node.xpath(query)
        return node.css(query)

    def selected_text(self, node: TextResponse | Selector, query: str) -> str:
        """Every text ``query`` selects, joined on one line."""
        return clean_line(" ".join(self.select(node, query).getall()))

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
