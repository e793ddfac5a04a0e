"""A trial spider on a platform, run by hand on fetched pages: which article links a
listing page gives, where its page 2 is, what an article page yields."""

from __future__ import annotations

from typing import Any

from scrapy.http import TextResponse

from crawler.platforms.base import PortalSpider, Section
from crawler.platforms.fields import PageFields
from crawler.platforms.records import ListingEntry
from crawler.portal_files import platform_classes
from tinmoi.adding.fetch import Fetched

TRIAL = Section("trial", "Trial", "/")


def trial_spider(
    platform: str, base_url: str, url_map: dict[str, str], **attrs: Any
) -> PortalSpider:
    """An instance of a portal class on ``platform`` with ``attrs`` (not crawling)."""
    base = platform_classes()[platform]
    fields = {"name": "tinmoi_add_trial", "base_url": base_url, "portal_title": "trial"}
    cls = type("TrialSpider", (base,), fields | attrs)
    return cls(url_map=url_map)


def listed(spider: PortalSpider, page: Fetched, section: Section = TRIAL) -> list[ListingEntry]:
    """The article entries ``spider`` reads on a listing page, each article once."""
    response = page.response()
    found: dict[str, ListingEntry] = {}
    try:
        entries = spider.listing_entries(response)
    except AttributeError:  # a platform counting a broken feed on its crawler's stats
        return []
    for index, entry in enumerate(entries):
        try:
            item = spider.listing_entry(entry, response, section, index)
        except (AttributeError, ValueError):
            item = None
        if item is not None and item.key not in found:
            found[item.key] = item
    return list(found.values())


def page_two(spider: PortalSpider, page: Fetched) -> str | None:
    """The public URL of a listing's page 2 (its next-page link or numbered pager)."""
    response = page.response()
    if not isinstance(response, TextResponse):
        return None
    href = spider.select(response, spider.next_page_selector).get()
    if href:
        return spider.public_url(response.urljoin(href.strip()))
    return spider.numbered_next_page(response, 1)


def fields_of(spider: PortalSpider, page: Fetched, entry: ListingEntry) -> PageFields | None:
    """What ``spider`` reads on an article page (None when the platform cannot)."""
    try:
        return spider.page_fields(page.response(), entry)
    except (AttributeError, ValueError, TypeError):
        return None
