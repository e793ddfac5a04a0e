"""The ``tinmoi`` command: it orchestrates crawls (one process each), builds and demos.

Exit codes (the README's table): 0 ok, 1 error (nothing could be done), 2 usage error,
3 finished but a portal is failing, 75 another run holds the lock.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from crawler.archive import Archive
from crawler.archive.store import DEFAULT_DB, ArchiveError, database_url
from crawler.platforms.base import crawl_now
from feeds.build import DEFAULT_LIMIT, DEFAULT_SITE_URL, build_feeds
from feeds.write import OutputError
from tinmoi.crawling import CrawlJob, overall_exit, run_crawls
from tinmoi.portals import describe, portal_names

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_FAILING, EXIT_LOCKED = 0, 1, 2, 3, 75
DEMO_DIR = Path("var/demo")


class UsageError(Exception):
    """A command line that cannot be acted on (exit code 2)."""


def _db(args: argparse.Namespace) -> str:
    return args.db or os.environ.get("TINMOI_DB") or DEFAULT_DB


def _log_dir(db: str) -> Path:
    url = database_url(db)
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///")).parent / "logs"
    return Path("var/logs")


def _base_urls(values: list[str], portals: list[str]) -> dict[str, str]:
    """``--base-url URL`` (one portal) or ``--base-url PORTAL=URL`` (repeatable)."""
    found: dict[str, str] = {}
    for value in values:
        name, sep, url = value.partition("=")
        if sep and name in portal_names():
            found[name] = url
        elif len(portals) == 1:
            found[portals[0]] = value
        else:
            raise UsageError(f"--base-url {value!r}: with several portals, write PORTAL=URL")
    for name, url in found.items():
        if not url.startswith(("http://", "https://")):
            raise UsageError(f"--base-url for {name}: {url!r} is not an http(s) URL")
    return found


def cmd_crawl(args: argparse.Namespace) -> int:
    """Crawl portals into the archive."""
    known = portal_names()
    portals = args.portals or known
    unknown = [p for p in portals if p not in known]
    if unknown:
        raise UsageError(f"unknown portal {', '.join(unknown)} (see 'tinmoi sites')")
    bases = _base_urls(args.base_url, portals)
    url_map = dict(pair.split("=", 1) for pair in args.url_map)
    db = _db(args)
    now = crawl_now(args.now)
    Archive.open(db, now=now).close()  # a clear error before any crawl starts
    jobs = [CrawlJob(p, bases.get(p), url_map, args.max_pages) for p in portals]

    def show(report):
        stream = sys.stdout if report.status == "ok" else sys.stderr
        print(report.message, file=stream)

    reports = run_crawls(
        jobs, db=db, log_dir=_log_dir(db), profile=args.profile, now=args.now, on_report=show
    )
    return overall_exit(reports)


def cmd_build(args: argparse.Namespace) -> int:
    """Write every feed from the archive."""
    db = _db(args)
    with Archive.open(db, now=crawl_now(args.now)) as archive:
        built = build_feeds(archive, Path(args.out), limit=args.limit, site_url=args.site_url)
    changed = sum(b.changed for b in built)
    print(f"{len(built)} feeds in {args.out}/ ({changed} changed)")
    return EXIT_OK


def cmd_sites(args: argparse.Namespace) -> int:
    """List the portals with their platform and sections."""
    sites = [describe(name) for name in portal_names()]
    if args.json:
        print(json.dumps(sites, ensure_ascii=False, indent=2))
        return EXIT_OK
    for site in sites:
        print(f"{site['name']}  [{site['platform']}]  {site['province']}  {site['base_url']}")
        print(f"    {site['title']}")
        for slug, title in site["sections"].items():
            print(f"    - {slug}: {title}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Crawl the bundled snapshots and write the feeds."""
    from tinmoi.demo import print_feeds, run_demo

    db = args.db or str(DEMO_DIR / "tinmoi.sqlite3")
    out = Path(args.out)
    reports, built = run_demo(db, out, _log_dir(db), sys.stdout, now=args.now)
    print_feeds(built, out, sys.stdout)
    print(f"\nArchive: {db}")
    print(f"Read them: open {out / 'all' / 'rss.xml'} in a feed reader, or serve {out}/.")
    return overall_exit(reports)


def parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    top = argparse.ArgumentParser(
        prog="tinmoi",
        description="Follow Vietnamese provincial portals as RSS, Atom and JSON Feed.",
        epilog="Exit codes: 0 ok, 1 error, 2 usage error, 3 a portal is failing, "
        "75 another run holds the lock.",
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def db_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", help=f"archive path or database URL (env TINMOI_DB; {DEFAULT_DB})")
        p.add_argument("--now", help=argparse.SUPPRESS)

    crawl = sub.add_parser("crawl", help="crawl portals into the archive")
    crawl.add_argument("portals", nargs="*", metavar="PORTAL", help="default: every portal")
    crawl.add_argument(
        "--base-url",
        action="append",
        default=[],
        metavar="[PORTAL=]URL",
        help="fetch the portal from URL instead (a snapshot); links stay the public ones",
    )
    crawl.add_argument(
        "--url-map",
        action="append",
        default=[],
        metavar="PUBLIC=URL",
        help="fetch another public origin of a portal (CDN, alias domain) from URL",
    )
    crawl.add_argument(
        "--profile",
        choices=("polite", "loopback"),
        default="polite",
        help="request pacing: polite (default) or loopback (snapshots)",
    )
    crawl.add_argument("--max-pages", type=int, default=0, help="listing pages per section")
    db_option(crawl)
    crawl.set_defaults(func=cmd_crawl)

    build = sub.add_parser("build", help="write the feeds from the archive")
    build.add_argument("--out", default="public", help="output directory (default: public)")
    build.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="items per feed")
    build.add_argument(
        "--site-url",
        default=DEFAULT_SITE_URL,
        help=f"public URL the output directory is served at ({DEFAULT_SITE_URL})",
    )
    db_option(build)
    build.set_defaults(func=cmd_build)

    sites = sub.add_parser("sites", help="list the portals, their platform and sections")
    sites.add_argument("--json", action="store_true", help="as JSON")
    sites.set_defaults(func=cmd_sites)

    demo = sub.add_parser("demo", help="crawl the bundled offline snapshots and write feeds")
    demo.add_argument("--out", default=str(DEMO_DIR / "public"), help="output directory")
    db_option(demo)
    demo.set_defaults(func=cmd_demo)
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``tinmoi`` console script."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"tinmoi: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (ArchiveError, OutputError) as exc:
        print(f"tinmoi: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("tinmoi: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
