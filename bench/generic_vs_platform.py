"""Measure the generic platform (URL patterns + trafilatura) against each portal's own spider.

    python bench/generic_vs_platform.py [PORTAL ...]

For every snapshot with an expectation file ``tests/fixtures/expected/<portal>.json``
(whatever exists when it runs), every expected article page is extracted twice, offline,
through ``crawler.replay.extract_page`` (the spider's extraction plus the normalising
pipelines, no HTTP): once with the portal's own spider, once with a generic spider made
for that portal (same name, base URL, aliases and CDN; an ``article_pattern`` taking any
path as the id). The page file is found through the snapshot's ``routes.json`` (the host
whose public origin the article's URL has; the route whose target is its path and query,
else the route whose URL the portal's spider gives the same key).

Both extractors get the same listing entry: the section only (no listing title or date),
so what is measured is the page: articles where the expected date exists only on the
listing are missed by both.

Per platform and extractor it prints: articles, titles right (exact), dates right (exact
ISO 8601 with offset; an expected null must stay null), bodies right (every
``body_contains`` passage in the text), and chrome leaked (an ``absent`` string in the body
HTML or text, or a line of the text that is a sidebar block heading such as "Tin mới").
``--details`` lists every article that is wrong for either extractor.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import os  # noqa: E402

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")

from scrapy.spiderloader import get_spider_loader  # noqa: E402
from scrapy.utils.project import get_project_settings  # noqa: E402

from crawler.cleanhtml import CHROME_HEADINGS, heading_key  # noqa: E402
from crawler.platforms.base import PortalSpider  # noqa: E402
from crawler.platforms.generic import GenericSpider  # noqa: E402
from crawler.replay import extract_page  # noqa: E402
from crawler.urls import origin  # noqa: E402
from tinmoi.snapshot import snapshot_dir  # noqa: E402

SPECS = ROOT / "tests" / "fixtures" / "expected"
#: The e2e crawls' pinned "now" (tests/conftest.py).
NOW = "2025-08-01T09:00:00+07:00"
EXTRACTORS = ("platform", "generic")


@dataclass
class Score:
    """What one extractor got right on one platform's articles."""

    articles: int = 0
    titles: int = 0
    dates: int = 0
    bodies: int = 0
    leaked: int = 0
    seconds: float = 0.0
    wrong: list[str] = field(default_factory=list)


def generic_for(spidercls: type[PortalSpider]) -> type[GenericSpider]:
    """A generic spider for the portal ``spidercls`` crawls: same hosts, any path an article."""
    attrs = {
        "name": spidercls.name,
        "portal_title": spidercls.portal_title,
        "province": spidercls.province,
        "base_url": spidercls.base_url,
        "cdn_url": spidercls.cdn_url,
        "domain_aliases": spidercls.domain_aliases,
        "sections": spidercls.sections,
        "article_pattern": r"^/.*",
    }
    return type(f"Generic{spidercls.__name__}", (GenericSpider,), attrs)


def target_of(url: str) -> str:
    """The request target (path and query string) of ``url``."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def page_for(
    folder: Path, site: dict, spider: PortalSpider, article: dict
) -> tuple[bytes, str | None]:
    """The bytes of an expected article's page in the snapshot, and its declared charset."""
    roles = {origin(public): role for role, public in site["hosts"].items()}
    role = roles.get(origin(article["url"]), "main")
    routes: dict[str, Any] = json.loads((folder / role / "routes.json").read_text("utf-8"))
    route = routes.get(target_of(article["url"]))
    if route is None:
        public = site["hosts"][role].rstrip("/")
        route = next(
            (r for t, r in routes.items() if spider.article_key(public + t) == article["key"]),
            None,
        )
    if route is None:
        raise LookupError(f"no route serves {article['url']}")
    name, kind = (route, "") if isinstance(route, str) else (route["file"], route.get("type", ""))
    charset = kind.split("charset=", 1)[1].strip() if "charset=" in kind else None
    return (folder / role / name).read_bytes(), charset


def leaks(article: Any, absent: list[str]) -> list[str]:
    """Chrome in an extracted article: ``absent`` strings, sidebar headings as lines."""
    found = [s for s in absent if s in article.content_html or s in article.content_text]
    for line in article.content_text.splitlines():
        if len(line) < 40 and heading_key(line) in CHROME_HEADINGS:
            found.append(line)
    return found


def judge(score: Score, spidercls: type[PortalSpider], article: dict, page: bytes,
          charset: str | None, absent: list[str]) -> None:  # fmt: skip
    """Extract one page and add what is right to ``score``."""
    listing = {"section": article["section"]}
    started = time.perf_counter()
    found = extract_page(spidercls, article["url"], page, listing, NOW, charset)
    score.seconds += time.perf_counter() - started
    score.articles += 1
    got = found.article
    if got is None:
        score.wrong.append(f"{article['key']}: dropped ({found.dropped})")
        return
    problems = []
    if got.title == article["title"]:
        score.titles += 1
    else:
        problems.append(f"title {got.title!r}")
    published = got.published.isoformat() if got.published else None
    if published == article["published"]:
        score.dates += 1
    else:
        problems.append(f"date {published} ({got.date_source}) != {article['published']}")
    missing = [p for p in article.get("body_contains", []) if p not in got.content_text]
    if not missing:
        score.bodies += 1
    else:
        problems.append(f"body lacks {missing[0][:50]!r}…")
    leaked = leaks(got, absent)
    if leaked:
        score.leaked += 1
        problems.append(f"chrome {leaked[:3]}")
    if problems:
        score.wrong.append(f"{article['key']}: " + "; ".join(problems))


def measure(portals: list[str]) -> dict[str, dict[str, Score]]:
    """Scores per platform and extractor over every expectation file (or ``portals``)."""
    loader = get_spider_loader(get_project_settings())
    scores: dict[str, dict[str, Score]] = defaultdict(lambda: {e: Score() for e in EXTRACTORS})
    for path in sorted(SPECS.glob("*.json")):
        spec = json.loads(path.read_text("utf-8"))
        portal = spec["portal"]
        if portals and portal not in portals:
            continue
        try:
            own = loader.load(portal)
        except KeyError:
            print(f"{portal}: no spider, skipped", file=sys.stderr)
            continue
        folder = snapshot_dir(portal)
        site = json.loads((folder / "site.json").read_text("utf-8"))
        spider = own()
        generic = generic_for(own)
        absent = spec.get("absent", [])
        for article in spec["articles"]:
            page, charset = page_for(folder, site, spider, article)
            row = scores[own.platform]
            judge(row["platform"], own, article, page, charset, absent)
            judge(row["generic"], generic, article, page, charset, absent)
    return scores


def table(scores: dict[str, dict[str, Score]]) -> str:
    """The scores as a fixed-width table, one line per platform and extractor, and totals."""
    head = ("platform", "extractor", "articles", "titles", "dates", "bodies", "chrome", "ms/page")
    rows = [head]
    totals = {e: Score() for e in EXTRACTORS}
    for platform in sorted(scores):
        for extractor in EXTRACTORS:
            s = scores[platform][extractor]
            rows.append(_row(platform, extractor, s))
            total = totals[extractor]
            for name in ("articles", "titles", "dates", "bodies", "leaked", "seconds"):
                setattr(total, name, getattr(total, name) + getattr(s, name))
    for extractor in EXTRACTORS:
        rows.append(_row("ALL", extractor, totals[extractor]))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [
        "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _row(platform: str, extractor: str, s: Score) -> tuple[str, ...]:
    def part(n: int) -> str:
        return f"{n}/{s.articles}"

    ms = f"{1000 * s.seconds / s.articles:.1f}" if s.articles else "-"
    return (platform, extractor, str(s.articles), part(s.titles), part(s.dates), part(s.bodies),
            part(s.leaked), ms)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("portals", nargs="*", help="only these portals (default: every snapshot)")
    parser.add_argument("--details", action="store_true", help="list every wrong article")
    args = parser.parse_args()
    scores = measure(args.portals)
    if not scores:
        sys.exit("no snapshot with an expectation file")
    print(table(scores))
    if args.details:
        for platform in sorted(scores):
            for extractor in EXTRACTORS:
                for line in scores[platform][extractor].wrong:
                    print(f"{platform} {extractor}: {line}")


if __name__ == "__main__":
    main()
