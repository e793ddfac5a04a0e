"""Check a portal's selectors on its live pages: one listing page and a few articles.

``python -m crawler.check PORTAL [-a NAME=VALUE]… [--profile P] [--articles N] --out FILE``
runs the portal's real spider (robots.txt, politeness and all) without the archive: it
stops after the first listing page that lists articles and ``N`` of its articles, runs the
normalising pipelines, and writes, per article and per field, what was extracted and
which selector matched, as JSON. ``tinmoi check`` prints it (a Twisted reactor cannot
restart, so it runs in its own process like every crawl).
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
from scrapy.exceptions import DropItem
from scrapy.http import Response
from scrapy.utils.project import get_project_settings

from crawler.cleanhtml import CHROME_HEADINGS, heading_key
from crawler.items import Article
from crawler.platforms.base import PortalSpider
from crawler.run import parse_pairs
from crawler.settings import PROFILES

#: Listing pages walked at most while looking for one that lists articles.
MAX_LISTINGS = 3
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


def leaked_chrome(text: str) -> list[str]:
    """Lines of an article's text that are sidebar or tool headings ("Tin liên quan", …)."""
    return [
        line.strip()
        for line in text.splitlines()
        if len(line.strip()) < 40 and heading_key(line) in CHROME_HEADINGS
    ]


class CheckLimit:
    """Spider middleware: the first listing request only, then ``N`` articles of the first
    listing page that has any; no attachments, no further pages."""

    def __init__(self, crawler: Crawler) -> None:
        self.articles_left = crawler.settings.getint("TINMOI_CHECK_ARTICLES", 3)
        self.listings = 0
        self.found_articles = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CheckLimit:
        """Scrapy's constructor hook."""
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """Keep the first start request only (the first section's listing)."""
        async for item in start:
            yield item
            return

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        """Let through what the check needs, nothing more."""
        async for item in result:
            if not isinstance(item, Request):
                yield item
                continue
            kind = item.meta.get("tinmoi_kind")
            if kind == "article" and self.articles_left > 0:
                self.articles_left -= 1
                self.found_articles = True
                yield item
            elif kind == "listing" and not self.found_articles and self.listings < MAX_LISTINGS:
                self.listings += 1
                yield item
            elif kind == "discovery" and not self.found_articles:
                yield item  # the sitemap platform's way to its feeds (the home page)


class CheckCollector:
    """Collect responses and items; write the check's findings when the spider closes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.out = Path(crawler.settings.get("TINMOI_CHECK_OUT"))
        self.listings: list[dict[str, Any]] = []
        self.pages: dict[str, Response] = {}
        self.articles: dict[str, dict[str, Any]] = {}
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CheckCollector:
        """Scrapy's constructor hook."""
        return cls(crawler)

    def response_received(self, response: Response, request: Request, spider: Any) -> None:
        """Remember listing pages (with their entry count) and article pages."""
        kind = request.meta.get("tinmoi_kind")
        if kind == "listing" and response.status == 200:
            entries = spider.listing_entries(response) if hasattr(response, "text") else []
            query = spider.listing_entry_selector
            self.listings.append(
                {
                    "url": response.url,
                    "status": response.status,
                    "entries": len(entries),
                    "selector": matched(spider, response, query) if query else None,
                }
            )
        elif kind == "article":
            self.pages[request.meta.get("tinmoi_key", "")] = response

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
        found = {
            "portal": spider.name,
            "platform": spider.platform,
            "listings": self.listings,
            "articles": sorted(self.articles.values(), key=lambda a: a["position"] or 0),
            "requests": int(stats.get("downloader/request_count", 0)),
            "errors": sorted(k for k in stats if k.startswith("downloader/exception_type")),
        }
        self.out.write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")


def verdict(found: dict[str, Any]) -> tuple[bool, list[str]]:
    """Whether the portal's selectors work, and what is wrong when they do not."""
    problems = []
    if not any(listing["entries"] for listing in found["listings"]):
        problems.append("no listing page with articles")
    if not found["articles"]:
        problems.append("no article could be extracted")
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
