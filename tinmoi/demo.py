"""``tinmoi demo``: serve the bundled snapshots on loopback and run the main job over them."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import TextIO

from crawler.archive import Archive
from crawler.clock import crawl_now
from feeds.build import BuiltFeed, build_feeds
from tinmoi.config import Config, PortalOverride
from tinmoi.console import Console
from tinmoi.plan import RunPlan
from tinmoi.runner import execute
from tinmoi.snapshot import bundled_portals, serving


def demo_hosts(n: int) -> dict[str, str]:
    """Where the ``n``-th snapshot's hosts are served: each portal on its own loopback
    address (so the run crawls them at once, as it would separate servers), and a
    post-merger host on a second one, as a second machine would be."""
    return {
        "main": f"127.0.1.{n + 1}",
        "cdn": f"127.0.1.{n + 1}",
        "alias": f"127.0.2.{n + 1}",
    }


def run_demo(
    db: str, out: Path, stream: TextIO, now: str | None = None
) -> tuple[int, list[BuiltFeed]]:
    """Serve every bundled snapshot, crawl them all in one ``tinmoi run`` (its workers,
    many portals at once, one host at a time) and build every feed; the run's exit code
    and the feeds."""
    with ExitStack() as stack:
        overrides = {}
        for n, portal in enumerate(bundled_portals()):
            site = stack.enter_context(serving(portal, demo_hosts(n)))
            overrides[portal] = PortalOverride(base_url=site.base_url, url_map=site.url_map())
        print(f"Serving {len(overrides)} bundled snapshots on loopback, crawling…", file=stream)
        config = Config(archive=db, output=out, overrides=overrides)
        plan = RunPlan(config, list(overrides), build=True, profile="loopback", now=now)
        code = execute(plan, Console(verbose=True, out=stream))
    with Archive.open(db, now=crawl_now(now)) as archive:
        built = build_feeds(archive, out)  # the run built them: this only lists them
    return code, built


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
