"""Replay one recorded page through a spider's extraction and the normalising pipelines.

No engine, no network, no archive: what the fixture tests (and whoever adds a portal)
need to see exactly what a page gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Request
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from crawler import settings
from crawler.items import Article
from crawler.platforms.base import ListingEntry, PortalSpider

ARCHIVE_PIPELINE = "crawler.pipelines.archive.ArchivePipeline"
#: The fields a recorded fixture compares, in order.
FIELDS = (
    "key",
    "url",
    "section",
    "title",
    "title_source",
    "published",
    "date_source",
    "author",
    "images",
    "summary",
    "content_text",
)


@dataclass
class Extraction:
    """An extracted article, or the reason it was dropped, with the stats it raised."""

    article: Article | None
    dropped: str | None
    stats: dict[str, Any]


def extract_page(
    spidercls: type[PortalSpider],
    url: str,
    body: bytes,
    listing: dict[str, Any],
    now: str,
    encoding: str | None = None,
) -> Extraction:
    """Extract the article at public ``url`` from ``body`` as the crawl would."""
    project = {name: getattr(settings, name) for name in dir(settings) if name.isupper()}
    crawler = get_crawler(spidercls, project | {"TINMOI_NOW": now})
    spider = spidercls.from_crawler(crawler)
    crawler.spider = spider
    key = spider.article_key(url)
    if key is None:
        raise ValueError(f"{url} is not an article URL of {spidercls.name}")
    listed = ListingEntry(
        url=url,
        key=key,
        section=listing.get("section", ""),
        title=listing.get("title", ""),
        date_text=listing.get("date_text", ""),
        position=int(listing.get("position", 0)),
    )
    response = HtmlResponse(url=url, body=body, encoding=encoding, request=Request(url))
    # The article comes first; requests for the documents it links to follow.
    item = next(i for i in spider.parse_article(response, listed) if isinstance(i, Article))
    pipelines = sorted(crawler.settings.getdict("ITEM_PIPELINES").items(), key=lambda kv: kv[1])
    try:
        for path, _order in pipelines:
            if path != ARCHIVE_PIPELINE:
                item = load_object(path).from_crawler(crawler).process_item(item)
    except DropItem as exc:
        return Extraction(None, str(exc).split(":", 1)[0], crawler.stats.get_stats())
    return Extraction(item, None, crawler.stats.get_stats())


def observed(extraction: Extraction) -> dict[str, Any]:
    """The comparable view of an extraction (dates as ISO 8601 with their offset)."""
    if extraction.article is None:
        return {"dropped": extraction.dropped}
    found: dict[str, Any] = {"dropped": None}
    for name in FIELDS:
        value = getattr(extraction.article, name)
        found[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return found
