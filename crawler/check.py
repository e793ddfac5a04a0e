"""Check a portal's selectors on its live pages: two listing pages a section, a few articles.

``python -m crawler.check PORTAL [-a NAME=VALUE]… [--profile P] [--articles N] --out FILE``
runs the portal's real spider (robots.txt, politeness and all) without the archive: it
reads every section's first listing page and the page 2 its pager finds
(:mod:`crawler.check_listings`), ``N`` articles of the first listing page that lists any,
runs the normalising pipelines, and writes, per section, per article and per field, what
was extracted and which selector matched, as JSON. ``tinmoi check`` prints it (a Twisted
reactor cannot restart, so it runs in its own process like every crawl).
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.exceptions import DontCloseSpider, DropItem
from scrapy.http import Response
from scrapy.utils.project import get_project_settings

from crawler.check_listings import (
    DUPLICATE,
    FAILED,
    MAX_CHILDREN,
    REQUESTED,
    listing_page,
    matched,
    record_failure,
    track,
)
from crawler.check_sections import sections_report
from crawler.cleanhtml import CHROME_HEADINGS, heading_key
from crawler.items import Article
from crawler.platforms.base import PortalSpider
from crawler.run import parse_pairs
from crawler.settings import PROFILES

#: A body shorter than this (characters of text) is reported as missing.
MIN_BODY = 80
#: Page fields and the spider attribute holding their selector.
FIELDS = {
    "title": "title_selector",
    "date": "date_selector",
    "meta date": "meta_date_selector",
    "body": "body_selector",
    "author": "author_selector",
}


def leaked_chrome(text: str) -> list[str]:
    """Lines of an article's text that are sidebar or tool headings ("Tin liên quan", …)."""
    return [
        line.strip()
        for line in text.splitlines()
        if len(line.strip()) < 40 and heading_key(line) in CHROME_HEADINGS
    ]


class CheckLimit:
    """Spider middleware: every section's first listing page and the page 2 its pager asks
    for (no further page); ``N`` articles of the first listing page, in the definition's
    order, that lists any (held until the listings are read); no attachments."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.articles = crawler.settings.getint("TINMOI_CHECK_ARTICLES", 3)
        self.held: dict[tuple[int, int, int], list[Request]] = {}
        self.released = False
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CheckLimit:
        """Scrapy's constructor hook."""
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """Every start request (each section's first page, or the discovery requests)."""
        async for item in start:
            if isinstance(item, Request) and item.meta.get("tinmoi_kind") == "listing":
                track(self.crawler, item, None)
            yield item

    def _rank(self, response: Response) -> tuple[int, int, int]:
        """Where a listing page comes in the check's order: its section in the
        definition, its page, its request."""
        slugs = [section.slug for section in getattr(self.crawler.spider, "sections", ())]
        slug = response.meta.get("tinmoi_section")
        rank = slugs.index(slug) if slug in slugs else len(slugs)
        page = int(response.meta.get("tinmoi_page", 1))
        return rank, page, int(response.meta.get("tinmoi_check_id") or 0)

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        """Let through what the check needs, nothing more; hold article requests."""
        parent = response.meta.get("tinmoi_check_id")
        listings = 0
        async for item in result:
            if not isinstance(item, Request):
                yield item
                continue
            kind = item.meta.get("tinmoi_kind")
            page = int(item.meta.get("tinmoi_page", 1))
            if kind == "article" and not self.released:
                self.held.setdefault(self._rank(response), []).append(item)
            elif kind == "listing" and page <= 2 and listings < MAX_CHILDREN:
                listings += 1
                yield track(self.crawler, item, parent)
            elif kind == "discovery":
                yield item

    def spider_idle(self, spider: Any) -> None:
        """Once every listing page is read: the articles of the first one that has any."""
        if self.released or not self.held:
            return
        self.released = True
        assert self.crawler.engine is not None
        for request in self.held[min(self.held)][: self.articles]:
            self.crawler.engine.crawl(request)
        raise DontCloseSpider


class CheckCollector:
    """Collect responses and items; write the check's findings when the spider closes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.out = Path(crawler.settings.get("TINMOI_CHECK_OUT"))
        self.listings: dict[int, dict[str, Any]] = {}
        self.pages: dict[str, Response] = {}
        self.articles: dict[str, dict[str, Any]] = {}
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CheckCollector:
        """Scrapy's constructor hook."""
        return cls(crawler)

    def response_received(self, response: Response, request: Request, spider: Any) -> None:
        """Read listing pages (entries, article links, selectors, pager); keep article
        pages."""
        kind = request.meta.get("tinmoi_kind")
        if kind == "listing" and request.meta.get("tinmoi_check_id") is not None:
            page = listing_page(spider, request, response)
            self.listings[page["id"]] = page
        elif kind == "article":
            self.pages[request.meta.get("tinmoi_key", "")] = response

    def request_dropped(self, request: Request, spider: Any) -> None:
        """A listing request the scheduler refused: its URL was requested already."""
        record_failure(self.crawler, request, DUPLICATE)

    def item_scraped(self, item: Any, response: Response, spider: PortalSpider) -> None:
        """An article that went through the pipelines."""
        if isinstance(item, Article):
            self.articles[item.key] = self.describe(spider, item, None)

    def item_dropped(
        self, item: Any, response: Response, exception: Exception, spider: PortalSpider
    ) -> None:
        """An article the validation refused."""
        if isinstance(item, Article) and isinstance(exception, DropItem):
            reason = str(exception).split(":", 1)[0]
            self.articles[item.key] = self.describe(spider, item, reason)

    def describe(self, spider: PortalSpider, item: Article, dropped: str | None) -> dict:
        """What the check prints of one article."""
        response = self.pages.get(item.key)
        fields: dict[str, dict[str, str | None]] = {}
        for label, attribute in FIELDS.items():
            query = getattr(spider, attribute, "")
            if label == "body" and type(spider).page_fields is not PortalSpider.page_fields:
                name = f"{type(spider).__mro__[1].__name__}.page_fields"
                fields[label] = {"query": name, "matched": name}
                continue
            ok = response is not None and query and hasattr(response, "text")
            found = matched(spider, response, query) if ok else None
            fields[label] = {"query": query or None, "matched": found}
        published = item.published
        return {
            "url": item.url,
            "key": item.key,
            "position": item.list_position,
            "dropped": dropped,
            "title": item.title,
            "title_source": item.title_source,
            "published": published.isoformat() if published else None,
            "date_source": item.date_source,
            "date_relative": item.date_relative,
            "author": item.author,
            "body_chars": len(item.content_text or ""),
            "images": len(item.images or []),
            "chrome": leaked_chrome(item.content_text or ""),
            "selectors": fields,
        }

    def spider_closed(self, spider: PortalSpider, reason: str) -> None:
        """Write the findings."""
        stats = self.crawler.stats.get_stats()
        sections = sections_report(
            spider, stats.get(REQUESTED, []), self.listings, stats.get(FAILED, {})
        )
        found = {
            "portal": spider.name,
            "platform": spider.platform,
            "sections": sections,
            "listings": [row for section in sections for row in section["rows"]],
            "articles": sorted(self.articles.values(), key=lambda a: a["position"] or 0),
            "requests": int(stats.get("downloader/request_count", 0)),
            "errors": sorted(k for k in stats if k.startswith("downloader/exception_type")),
        }
        self.out.write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")


def verdict(found: dict[str, Any]) -> tuple[bool, list[str]]:
    """Whether the portal's selectors work, and what is wrong when they do not."""
    problems = [
        f"section {section['slug']}: {section['problem']}"
        for section in found["sections"]
        if section["problem"]
    ]
    if not found["articles"]:
        listed = any(row["articles"] for row in found["listings"])
        why = (
            "none of the article pages it asked for gave one"
            if listed
            else ("no listing page links to an article")
        )
        problems.append(f"no article could be extracted: {why}")
    for article in found["articles"]:
        missing = [
            name
            for name, ok in (
                ("title", article["title"]),
                ("date", article["published"]),
                ("body", article["body_chars"] >= MIN_BODY),
            )
            if not ok
        ]
        if article["dropped"]:
            missing.insert(0, f"dropped ({article['dropped']})")
        if article["chrome"]:
            missing.append("chrome leaked: " + ", ".join(article["chrome"]))
        if missing:
            problems.append(f"{article['url']}: " + "; ".join(missing))
    return not problems, problems


def main(argv: list[str] | None = None) -> int:
    """Run the check crawl; 0 when the findings were written."""
    parser = argparse.ArgumentParser(prog="python -m crawler.check", description=__doc__)
    parser.add_argument("portal")
    parser.add_argument("-a", dest="args", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="polite")
    parser.add_argument("--articles", type=int, default=3)
    parser.add_argument("--now", default="")
    parser.add_argument("--out", type=Path, required=True)
    opts = parser.parse_args(argv)
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.setdict(PROFILES[opts.profile], priority="cmdline")
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    pipelines.pop("crawler.pipelines.archive.ArchivePipeline", None)
    middlewares = dict(settings.getdict("SPIDER_MIDDLEWARES"))
    middlewares.pop("crawler.middlewares.incremental.IncrementalMiddleware", None)
    middlewares["crawler.check.CheckLimit"] = 950
    settings.setdict(
        {
            "ITEM_PIPELINES": pipelines,
            "SPIDER_MIDDLEWARES": middlewares,
            "DOWNLOADER_MIDDLEWARES": settings.getdict("DOWNLOADER_MIDDLEWARES")
            | {"crawler.check_listings.CheckFailures": 50},
            "EXTENSIONS": {"crawler.check.CheckCollector": 500},
            "TINMOI_MODE": "backfill",  # no conditional requests: the check sees the pages
            "TINMOI_CHECK_ARTICLES": opts.articles,
            "TINMOI_CHECK_OUT": str(opts.out),
            "TINMOI_NOW": opts.now,
            "LOG_LEVEL": "ERROR",
        },
        priority="cmdline",
    )
    process = CrawlerProcess(settings)
    process.crawl(opts.portal, **parse_pairs(opts.args, "-a"))
    process.start()
    return 0 if opts.out.exists() else 1


if __name__ == "__main__":
    raise SystemExit(main())
