"""The commands that only read the archive: build, status, search, export, backup, browse,
history. They load no portal definition, so no Scrapy or Twisted module."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from crawler.archive import Archive
from feeds.build import build_feeds
from tinmoi.backup import backup
from tinmoi.browse import browse
from tinmoi.cli.common import EXIT_ERROR, EXIT_OK, UsageError, existing_archive, load_args_config
from tinmoi.export import export
from tinmoi.history import history
from tinmoi.lock import run_lock
from tinmoi.status import (
    coverage_json,
    print_coverage,
    print_status,
    status_json,
    with_killed,
    with_next_tries,
)


def cmd_build(args: argparse.Namespace) -> int:
    """Write every feed from the archive."""
    if args.limit is not None and args.limit < 1:
        raise UsageError(f"--limit must be a whole number of at least 1, not {args.limit}")
    from crawler.clock import crawl_now

    config = load_args_config(args, portals=False)
    limit = args.limit or config.limit
    with Archive.open(existing_archive(config.archive), now=crawl_now(args.now)) as archive:
        built = build_feeds(
            archive,
            config.output,
            limit=limit,
            site_url=config.site_url,
            searches=config.searches,
            force=args.force,
        )
    changed = sum(b.changed for b in built)
    print(f"{len(built)} feeds in {config.output}/ ({changed} changed)")
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    """Show the last runs and each portal's health."""
    from crawler.clock import crawl_now

    config = load_args_config(args, portals=False)
    now = crawl_now(args.now)
    with Archive.open(existing_archive(config.archive), now=now) as archive:
        runs = archive.recent_runs(args.runs)
        health = with_next_tries(archive.portal_health(), archive.last_crawled(), config.every_of)
        last_good = archive.last_good_run()
        held = archive.held_by_portal()
        resumes = archive.walk_resumes()
        coverage = archive.coverage() if args.coverage else None
    if any(run["status"] == "running" for run in runs):
        runs = with_killed(runs, run_lock(config, now).is_held())
    if args.json:
        document = status_json(runs, health, last_good, held, resumes)
        if coverage is not None:
            document["coverage"] = coverage_json(coverage)
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print_status(runs, health, sys.stdout, held, resumes)
        if coverage is not None:
            print_coverage(coverage, sys.stdout)
    stale = last_good is None or now - last_good > args.max_age if args.max_age else False
    if stale:
        when = last_good.isoformat() if last_good else "never"
        print(
            f"tinmoi: no run succeeded in the last {args.max_age} (last: {when})", file=sys.stderr
        )
        return EXIT_ERROR
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    """Search the archive, insensitive to diacritics."""
    from crawler.clock import crawl_now

    config = load_args_config(args, portals=False)
    with Archive.open(existing_archive(config.archive), now=crawl_now(args.now)) as archive:
        hits = archive.search(
            args.query, portal=args.portal, since=args.since, until=args.until, limit=args.limit
        )
    if args.json:
        rows = [hit.__dict__ | {"published": _iso(hit.published)} for hit in hits]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    for hit in hits:
        when = hit.published.strftime("%Y-%m-%d") if hit.published else "----------"
        print(f"{when}  {hit.portal}  {hit.title}\n    {hit.url}\n    {hit.snippet}")
    if not hits:
        print(f"no article matches {args.query!r}", file=sys.stderr)
    return EXIT_OK


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def cmd_export(args: argparse.Namespace) -> int:
    """Export the archive as CSV, JSON Lines or Parquet."""
    from crawler.clock import crawl_now

    config = load_args_config(args, portals=False)
    with Archive.open(existing_archive(config.archive), now=crawl_now(args.now)) as archive:
        rows = archive.iter_articles(portal=args.portal, since=args.since, until=args.until)
        count = export(rows, args.format, Path(args.output), archive.attachments_of)
    print(f"{count} articles written to {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    """Copy a live SQLite archive consistently."""
    config = load_args_config(args, portals=False)
    backup(config.archive, Path(args.file))
    print(f"archive copied to {args.file}", file=sys.stderr)
    return EXIT_OK


def cmd_browse(args: argparse.Namespace) -> int:
    """Open the archive in Datasette."""
    return browse(load_args_config(args, portals=False).archive, args.host, args.port)


def cmd_history(args: argparse.Namespace) -> int:
    """Show an article's revisions and what changed."""
    from crawler.clock import crawl_now

    config = load_args_config(args, portals=False)
    with Archive.open(existing_archive(config.archive), now=crawl_now(args.now)) as archive:
        if not history(archive, args.article, sys.stdout):
            print(f"tinmoi: no article {args.article!r} in {config.archive}", file=sys.stderr)
            return EXIT_ERROR
    return EXIT_OK
