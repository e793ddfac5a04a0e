"""What ``tinmoi check`` reads of a portal's listings, page by page.

Each section's first page is read, and its second page when the platform's own pager
(``next_page_request``: ``next_page_selector``, else the page's link to page 2) asks for
it. Of every page the check records the entries the platform finds (``listing_entries``),
how many of them link to an article (``listing_entry``, the platform's article-URL test),
and which alternative of each listing selector matched; of every section whether the walk
reaches a page 2 (judged in :mod:`crawler.check_sections`). Nothing here reimplements a
platform: every value comes from the spider's own methods.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from parsel import Selector
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse, XmlResponse
from twisted.python.failure import Failure

from crawler.extensions.received import failure_reason
from crawler.platforms.base import PortalSpider, Section

#: The listing fields of a page and the spider attribute holding their selector.
LISTING_FIELDS = {
    "entry": "listing_entry_selector",
    "link": "listing_link_selector",
    "title": "listing_title_selector",
    "date": "listing_date_selector",
}
#: A listing linking several listings (a sitemap index): at most this many are read.
MAX_CHILDREN = 3
#: The stats keys the check's components share: listing requests, and why some failed.
REQUESTED = "tinmoi/check/listing_requests"
FAILED = "tinmoi/check/listing_failures"
#: Why the scheduler refused a request (its page is the one read for the same URL).
DUPLICATE = "its URL was requested already"


def alternatives(query: str) -> list[str]:
    """The top-level alternatives of a selector: ``a, b`` in CSS, ``a | b`` in XPath."""
    xpath = query.lstrip().startswith(("/", "./", "("))
    separator = "|" if xpath else ","
    parts: list[str] = []
    current: list[str] = []
    depth, quote = 0, ""
    for char in query:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def matched(spider: PortalSpider, node: Any, query: str) -> str | None:
    """The first alternative of ``query`` that selects something in ``node``."""
    for alternative in alternatives(query):
        if spider.select(node, alternative).get():
            return alternative
    return None


def track(crawler: Crawler, request: Request, parent: int | None) -> Request:
    """Number a listing request the check lets through and remember it."""
    requested: list[dict[str, Any]] = crawler.stats.get_value(REQUESTED) or []
    request.meta["tinmoi_check_id"] = len(requested)
    section = request.cb_kwargs.get("section")
    requested.append(
        {
            "id": len(requested),
            "section": request.meta.get("tinmoi_section", ""),
            "title": section.title if isinstance(section, Section) else "",
            "page": int(request.meta.get("tinmoi_page", 1)),
            "url": request.url,
            "method": request.method,
            "parent": parent,
        }
    )
    crawler.stats.set_value(REQUESTED, requested)
    return request


def record_failure(crawler: Crawler, request: Request, reason: str) -> None:
    """Why a listing request the check let through got no page."""
    number = request.meta.get("tinmoi_check_id")
    if number is not None:
        failures: dict[int, str] = crawler.stats.get_value(FAILED) or {}
        failures[number] = reason
        crawler.stats.set_value(FAILED, failures)


class CheckFailures:
    """Downloader middleware, last in the chain: why a listing request found no page
    (robots.txt, a refused connection, a scheme nothing downloads)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CheckFailures:
        """Scrapy's constructor hook."""
        return cls(crawler)

    def process_exception(self, request: Request, exception: BaseException) -> None:
        """Record the reason; the request's errback runs as usual."""
        record_failure(self.crawler, request, failure_reason(Failure(exception)))


def _entry_link(spider: PortalSpider, entry: Selector, response: TextResponse) -> str | None:
    """The link of an entry the platform did not take for an article (for the report)."""
    if "listing_link_selector" not in spider.ignored_selectors:
        href = spider.select(entry, spider.listing_link_selector).get()
    else:
        href = entry.xpath(
            "./@href | ./link/@href | ./link/text() | ./loc/text() | ./guid/text()"
        ).get()
    return spider.public_url(response.urljoin(href.strip())) if href and href.strip() else None


def _fields(spider: PortalSpider, response: TextResponse, entries: list[Selector]) -> dict:
    """Per listing field: its selector, and each alternative that matched with the number
    of entries it matched in (the entry selector: in the page)."""
    fields: dict[str, dict[str, Any]] = {}
    for label, attribute in LISTING_FIELDS.items():
        if attribute in spider.ignored_selectors:
            fields[label] = {"ignored": spider.ignored_selectors[attribute]}
            continue
        query = getattr(spider, attribute, "")
        if not query:
            fields[label] = {"query": None, "matched": [], "of": len(entries)}
        elif label == "entry":
            found = matched(spider, response, query)
            hits = [[found, len(entries)]] if found and entries else []
            fields[label] = {"query": query, "matched": hits, "of": None}
        else:
            counts = Counter(matched(spider, entry, query) for entry in entries)
            hits = [[alt, n] for alt, n in counts.most_common() if alt is not None]
            fields[label] = {"query": query, "matched": hits, "of": len(entries)}
    return fields


def _pager(spider: PortalSpider, response: TextResponse, page: int) -> dict[str, Any]:
    """What points from this page to the next: ``next_page_selector`` (the alternative
    that matched and its link) and the page's numbered (or ``rel="next"``) link."""
    pager: dict[str, Any] = {"query": None, "matched": None, "href": None}
    if "next_page_selector" in spider.ignored_selectors:
        pager["ignored"] = spider.ignored_selectors["next_page_selector"]
    elif query := spider.next_page_selector:
        href = spider.select(response, query).get()
        pager |= {"query": query, "matched": matched(spider, response, query)}
        if href and href.strip():
            pager["href"] = spider.public_url(response.urljoin(href.strip()))
    pager["numbered"] = spider.numbered_next_page(response, page)
    return pager


def listing_page(spider: PortalSpider, request: Request, response: Response) -> dict[str, Any]:
    """What the check reports of one listing page, read with the platform's own methods."""
    section = request.cb_kwargs.get("section")
    page = int(request.meta.get("tinmoi_page", 1))
    found: dict[str, Any] = {
        "id": request.meta.get("tinmoi_check_id"),
        "section": request.meta.get("tinmoi_section", ""),
        "page": page,
        "url": spider.public_url(response.url),
        "status": response.status,
        "xml": isinstance(response, XmlResponse),
        "entries": 0,
        "keys": [],
        "no_link": 0,
        "not_articles": 0,
        "example": None,
        "fields": {},
        "pager": {},
    }
    if response.status != 200 or not isinstance(response, TextResponse):
        return found
    entries = list(spider.listing_entries(response))
    found["entries"] = len(entries)
    if isinstance(section, Section):
        for index, entry in enumerate(entries):
            listed = spider.listing_entry(entry, response, section, page * 1000 + index)
            if listed is not None:
                found["keys"].append(listed.key)
                continue
            link = _entry_link(spider, entry, response)
            if link is None:
                found["no_link"] += 1
            else:
                found["not_articles"] += 1
                found["example"] = found["example"] or link
    found["fields"] = _fields(spider, response, entries)
    found["pager"] = _pager(spider, response, page)
    return found
