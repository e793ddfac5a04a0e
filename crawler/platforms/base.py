"""The base of every platform spider: a portal's sections walked listing page by page.

A platform subclass sets selectors and how an article URL maps to its key; a portal
subclass sets ``name``, ``portal_title``, ``province``, ``base_url`` and ``sections``.
The spider is built in layers, one concern each: :mod:`~crawler.platforms.identity`
(attributes, origins, keys, clock, selectors), :mod:`~crawler.platforms.documents`
(linked documents), :mod:`~crawler.platforms.articles` (article pages and their
date) and this module (listings and pagination).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from parsel import Selector, SelectorList
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.extensions.received import failure_reason
from crawler.items import Dropped
from crawler.platforms.articles import ArticlesSpider
from crawler.platforms.pager import numbered_next
from crawler.platforms.records import ListingEntry, Section
from crawler.text import clean_line

__all__ = ["ListingEntry", "PortalSpider", "Section"]


class PortalSpider(ArticlesSpider):
    """Crawl a portal's sections page by page and yield one :class:`Article` per article."""

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
                "tinmoi_listing_url": url,
                "handle_httpstatus_list": [304],
            },
        )

    def resumed_request(self, url: str, section: Section, page: int) -> scrapy.Request:
        """The request for page ``page`` of a section whose last walk was cut short
        before it: a walk of its own (``tail``), ``--max-pages`` counted from there."""
        request = self.listing_request(url, section, page)
        request.meta.update(tinmoi_walk="tail", tinmoi_walk_first=page)
        return request

    def parse_listing(
        self, response: Response, section: Section, page: int
    ) -> Iterator[scrapy.Request | Dropped]:
        """Queue every article of a listing page, then the next page.

        A 304 (the page did not change since the last crawl) ends the section's walk. A
        walk at its ``--max-pages`` limit is cut: the public URL of the page it did not
        take (a GET) is left in the response's ``tinmoi_next_listing`` for the walk to
        resume from.
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
        if entries and not page_keys and page == 1:
            stats.set_value(f"tinmoi/listing/no_article_links/{section.slug}", len(entries))
            self.logger.warning(
                "%s: none of the %d entries of %s links to an article", self.name,
                len(entries), response.url,
            )  # fmt: skip
        which = response.meta.get("tinmoi_walk", "head")
        first = int(response.meta.get("tinmoi_walk_first", 1))
        walk = self._walk_keys.setdefault(f"{section.slug}/{which}", set())
        repeated = page > first and bool(page_keys) and walk.issuperset(page_keys)
        walk.update(page_keys)
        if repeated:  # an out-of-range page answered with one already walked
            stats.inc_value("tinmoi/listing/repeated_page")
            return
        if self.max_pages and page - first + 1 >= self.max_pages:
            following = self.next_page_request(response, section, page)
            if following is not None and following.method == "GET":
                response.meta["tinmoi_next_listing"] = following.meta["tinmoi_listing_url"]
        else:
            next_request = self.next_page_request(response, section, page)
            if next_request is not None:
                next_request.meta.update(tinmoi_walk=which, tinmoi_walk_first=first)
                yield next_request
            elif (missed := self.numbered_next_page(response, page)) is not None:
                stats.set_value(
                    f"tinmoi/listing/pager_not_followed/{section.slug}",
                    f"page {page} links to page {page + 1} ({missed})",
                )
                self.logger.warning(
                    "%s: %s links to page %d (%s), which was not followed", self.name,
                    response.url, page + 1, missed,
                )  # fmt: skip

    def listing_entries(self, response: Response) -> SelectorList[Selector]:
        """The entries of a listing page (one per article it lists); none in a page that
        is not text."""
        if not isinstance(response, TextResponse):
            return SelectorList([])
        return self.select(response, self.listing_entry_selector)

    def next_page_request(
        self, response: Response, section: Section, page: int
    ) -> scrapy.Request | None:
        """The request for the listing page after ``page``, or None on the last one.

        ``next_page_selector`` when it matches a web address (not ``javascript:void(0)``),
        else the page's link to page ``page + 1`` (:meth:`numbered_next_page`). Platforms
        that page by form postback override this to build the POST.
        """
        if not isinstance(response, TextResponse):
            return None
        next_href = self.select(response, self.next_page_selector).get()
        if next_href:
            url = self.public_url(response.urljoin(next_href.strip()))
            if urlsplit(url).scheme in ("http", "https"):
                return self.listing_request(url, section, page + 1)
        found = self.numbered_next_page(response, page)
        return None if found is None else self.listing_request(found, section, page + 1)

    def numbered_next_page(self, response: Response, page: int) -> str | None:
        """The public URL of page ``page + 1`` of this listing, when the page links to it
        (:mod:`crawler.platforms.pager`, with the portal's ``next_page_pattern``), else its
        ``rel="next"`` link, else None."""
        if not isinstance(response, TextResponse):
            return None
        links = [
            self.public_url(response.urljoin(href.strip()))
            for href in response.css("a::attr(href)").getall()
        ]
        here = self.public_url(response.url)
        found = numbered_next(links, here, page, self.page_patterns)
        if found is not None:
            return found
        rel_next = response.css('a[rel~="next"]::attr(href), link[rel~="next"]::attr(href)').get()
        return self.public_url(response.urljoin(rel_next.strip())) if rel_next else None

    def listing_failed(self, failure: Failure) -> Iterator[scrapy.Request | Dropped]:
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
        yield from ()

    def listing_entry(
        self, entry: Selector, response: Response, section: Section, position: int
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

    def entry_text(self, entry: Selector, query: str) -> str:
        """The text a listing entry holds for ``query`` (all its matches, joined)."""
        return clean_line(" ".join(self.select(entry, query).getall()))
