"""``tinmoi demo``: crawl the bundled snapshots on loopback, archive them, write the feeds."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import TextIO

from crawler.archive import Archive
from crawler.clock import crawl_now
from feeds.build import BuiltFeed, build_feeds
from tinmoi.crawling import CrawlJob, CrawlOptions, run_crawl
from tinmoi.snapshot import bundled_portals, serving

#: The post-merger host plays on a second loopback address, as a second machine would.
ALIAS_HOST = "127.0.0.2"


def run_demo(
    db: str, out: Path, log_dir: Path, stream: TextIO, now: str | None = None
) -> tuple[list, list[BuiltFeed]]:
    """Serve every bundled snapshot, crawl it in a child process, then build every feed."""
    reports = []
    for portal in bundled_portals():
        with ExitStack() as stack:
            site = stack.enter_context(serving(portal, {"alias": ALIAS_HOST}))
            print(f"Serving the {portal} snapshot at {site.base_url}, crawling…", file=stream)
            options = CrawlOptions(db=db, log_dir=log_dir, profile="loopback", now=now)
            report = run_crawl(CrawlJob(portal, url_map=site.url_map()), options)
            reports.append(report)
            print(f"  {report.message}", file=stream)
    with Archive.open(db, now=crawl_now(now)) as archive:
        built = build_feeds(archive, out)
    return reports, built


def print_feeds(built: list[BuiltFeed], out: Path, stream: TextIO) -> None:
    """One line per feed folder: its files and how many items each holds."""
    print(
        f"\nFeeds written to {out}/ (each folder: rss.xml atom.xml feed.json index.html):",
        file=stream,
    )
    width = max(len(b.path) for b in built)
    for feed in built:
        print(f"  {feed.path:<{width}}  {feed.items:>3} items", file=stream)
    print(f"  {'feeds.opml':<{width}}  subscription list of every feed", file=stream)
    print(f"  {'index.html':<{width}}  every portal and section, for people", file=stream)
