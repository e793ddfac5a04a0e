"""The command-line grammar: the options several commands share are declared once, as
parent parsers, and each command adds its own."""

from __future__ import annotations

import argparse
from datetime import date, datetime

from crawler.archive.store import DEFAULT_DB
from crawler.dates import TZ
from feeds.build import DEFAULT_LIMIT, DEFAULT_SITE_URL
from tinmoi.cli.commands_add import cmd_add
from tinmoi.cli.commands_archive import (
    cmd_backup,
    cmd_browse,
    cmd_build,
    cmd_export,
    cmd_history,
    cmd_search,
    cmd_status,
)
from tinmoi.cli.commands_crawl import cmd_crawl, cmd_deploy, cmd_run
from tinmoi.cli.commands_portals import cmd_check, cmd_new, cmd_record, cmd_sites
from tinmoi.cli.commands_serve import DEMO_DIR, cmd_demo, cmd_serve
from tinmoi.config import ENV_VAR
from tinmoi.export import WRITERS
from tinmoi.serve import port_number
from tinmoi.status import duration

EPILOG = (
    "Exit codes: 0 ok, 1 error, 2 usage error, 3 a portal is failing, "
    "75 another run holds the lock."
)


def day(text: str) -> datetime:
    """``YYYY-MM-DD`` as 00:00 in Vietnam (argparse type)."""
    try:
        return datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=TZ)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2024-06-25") from None


def _options(*parents: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """A parent parser: options to add to several commands."""
    return argparse.ArgumentParser(add_help=False, parents=list(parents))


class Shared:
    """The options more than one command takes, each declared once."""

    def __init__(self) -> None:
        self.config = _options()
        self.config.add_argument("--config", help=f"config file (env {ENV_VAR})")

        self.now = _options()
        self.now.add_argument("--now", help=argparse.SUPPRESS)

        self.archive = _options(self.now)
        self.archive.add_argument(
            "--db", help=f"archive path or database URL (env TINMOI_DB; {DEFAULT_DB})"
        )

        self.portal_files = _options()
        self.portal_files.add_argument(
            "--portals",
            dest="portal_files",
            action="append",
            default=[],
            metavar="PATH",
            help="also load the portal files (TOML) in PATH, a file or a folder",
        )

        self.url_map = _options()
        self.url_map.add_argument(
            "--url-map",
            action="append",
            default=[],
            metavar="PUBLIC=URL",
            help="fetch another public origin of a portal (CDN, alias domain) from URL",
        )

        self.profile = _options()
        self.profile.add_argument(
            "--profile",
            choices=("polite", "loopback"),
            default="polite",
            help="request pacing: polite (default) or loopback (snapshots)",
        )

        self.output = _options()
        self.output.add_argument(
            "--out", help="output directory (default: the config's, else public)"
        )

        self.site_url = _options()
        self.site_url.add_argument(
            "--site-url",
            help=f"public URL the output directory is served at (default {DEFAULT_SITE_URL})",
        )

        self.between = _options()
        self.between.add_argument("--portal", help="only this portal")
        self.between.add_argument(
            "--since", type=day, metavar="YYYY-MM-DD", help="published on or after"
        )
        self.between.add_argument(
            "--until", type=day, metavar="YYYY-MM-DD", help="published before"
        )

        #: ``check`` and ``record``: one portal, fetched from a snapshot if asked.
        self.fetch = _options(self.url_map, self.portal_files, self.now)
        self.fetch.add_argument("--base-url", help="fetch the portal from URL instead (a snapshot)")

        #: ``crawl`` and ``run``.
        self.crawl = _options(self.portal_files, self.url_map, self.profile)
        self.crawl.add_argument(
            "portals",
            nargs="*",
            metavar="PORTAL",
            help="default: the config's portals, else every portal",
        )
        self.crawl.add_argument(
            "--base-url",
            action="append",
            default=[],
            metavar="[PORTAL=]URL",
            help="fetch the portal from URL instead (a snapshot); links stay the public ones",
        )
        self.crawl.add_argument(
            "--max-pages", type=int, default=0, help="listing pages per section"
        )
        self.crawl.add_argument(
            "--jobs",
            type=int,
            default=0,
            metavar="N",
            help="portals crawled at once (default: [limits] concurrency, 32 per core)",
        )
        self.crawl.add_argument(
            "--backfill",
            action="store_true",
            help="walk every listing page, not just up to the known articles",
        )
        self.crawl.add_argument(
            "--refresh",
            action="store_true",
            help="fetch every listed article again, archived or not",
        )
        self.crawl.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="a Scrapy setting for the crawls (e.g. DOWNLOAD_TIMEOUT=60)",
        )
        self.crawl.add_argument(
            "--warc",
            metavar="DIR",
            help="also write every raw response as WARC 1.1 records into DIR",
        )

    @property
    def reads(self) -> list[argparse.ArgumentParser]:
        """The options of a command that reads the archive: its config and its archive."""
        return [self.config, self.archive]


def parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    top = argparse.ArgumentParser(
        prog="tinmoi",
        description="Follow Vietnamese provincial portals as RSS, Atom and JSON Feed.",
        epilog=EPILOG,
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    shared = Shared()
    _crawling(sub, shared)
    _reading(sub, shared)
    _portals(sub, shared)
    demo = sub.add_parser(
        "demo",
        parents=[shared.archive],
        help="crawl the bundled offline snapshots and write feeds",
    )
    demo.add_argument("--out", default=str(DEMO_DIR / "public"), help="output directory")
    demo.set_defaults(func=cmd_demo)
    return top


def _crawling(sub: argparse._SubParsersAction[argparse.ArgumentParser], shared: Shared) -> None:
    crawl = sub.add_parser(
        "crawl",
        parents=[shared.crawl, *shared.reads],
        help="crawl portals into the archive",
    )
    crawl.set_defaults(func=cmd_crawl)

    run = sub.add_parser(
        "run",
        parents=[shared.crawl, *shared.reads, shared.output, shared.site_url],
        help="crawl every enabled portal and rebuild the feeds (cron)",
    )
    run.add_argument(
        "--scrapyd",
        metavar="URL[,URL…]",
        help="crawl on these Scrapyd nodes (default: the config's [scrapyd] nodes, else here)",
    )
    run.set_defaults(func=cmd_run)

    deploy = sub.add_parser(
        "deploy",
        parents=[shared.config, shared.portal_files],
        help="upload tinmoi and its portal files to Scrapyd nodes",
    )
    deploy.add_argument(
        "nodes", nargs="*", metavar="URL", help="default: the config's [scrapyd] nodes"
    )
    deploy.add_argument(
        "--replace",
        action="store_true",
        help="remove another release or schema version from the nodes first",
    )
    deploy.set_defaults(func=cmd_deploy)


def _reading(sub: argparse._SubParsersAction[argparse.ArgumentParser], shared: Shared) -> None:
    status = sub.add_parser(
        "status", parents=shared.reads, help="the last runs and each portal's health"
    )
    status.add_argument("--json", action="store_true", help="as JSON, for monitoring")
    status.add_argument("--runs", type=int, default=5, help="how many runs to show")
    status.add_argument(
        "--coverage",
        action="store_true",
        help="per section, how far back the archive reaches and whether a walk reached its end",
    )
    status.add_argument(
        "--max-age",
        type=duration,
        metavar="AGE",
        help="exit 1 unless a run succeeded within AGE (e.g. 2h, 90m, 1d)",
    )
    status.set_defaults(func=cmd_status)

    build = sub.add_parser(
        "build",
        parents=[*shared.reads, shared.output, shared.site_url],
        help="write the feeds from the archive",
    )
    build.add_argument("--limit", type=int, help=f"items per feed (default {DEFAULT_LIMIT})")
    build.add_argument(
        "--force",
        action="store_true",
        help="publish even feeds with fewer items than before; remove feeds no longer built",
    )
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser(
        "serve",
        parents=[shared.config, shared.output],
        help="serve the feeds to readers (ETag, 304, gzip)",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    serve.add_argument("--port", type=port_number, default=8080, help="port (default 8080)")
    serve.add_argument("--max-age", type=int, default=300, help="Cache-Control max-age (s)")
    serve.add_argument(
        "--access-log", action="store_true", help="log every request on stderr (common log format)"
    )
    serve.set_defaults(func=cmd_serve)

    find = sub.add_parser(
        "search",
        parents=[*shared.reads, shared.between],
        help="search the archive (diacritics optional)",
    )
    find.add_argument("query", help='words to find, e.g. "du lich tam chuc"')
    find.add_argument("--limit", type=int, default=20, help="how many results (default 20)")
    find.add_argument("--json", action="store_true", help="as JSON")
    find.set_defaults(func=cmd_search)

    exp = sub.add_parser(
        "export",
        parents=[*shared.reads, shared.between],
        help="export the archive (csv, jsonl, parquet)",
    )
    exp.add_argument("--format", choices=sorted(WRITERS), required=True)
    exp.add_argument("-o", "--output", required=True, metavar="FILE")
    exp.set_defaults(func=cmd_export)

    back = sub.add_parser(
        "backup", parents=shared.reads, help="a consistent copy of a live SQLite archive"
    )
    back.add_argument("file", metavar="FILE", help="where the copy goes")
    back.set_defaults(func=cmd_backup)

    brw = sub.add_parser(
        "browse", parents=shared.reads, help="the SQLite archive in Datasette (facets, search)"
    )
    brw.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    brw.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    brw.set_defaults(func=cmd_browse)

    hist = sub.add_parser(
        "history", parents=shared.reads, help="an article's revisions, with a diff"
    )
    hist.add_argument("article", metavar="URL_OR_KEY", help="its URL or key (portal:id)")
    hist.set_defaults(func=cmd_history)


def _portals(sub: argparse._SubParsersAction[argparse.ArgumentParser], shared: Shared) -> None:
    sites = sub.add_parser(
        "sites",
        parents=[shared.portal_files],
        help="list the portals, their platform and sections",
    )
    sites.add_argument("--json", action="store_true", help="as JSON")
    sites.set_defaults(func=cmd_sites)

    check = sub.add_parser(
        "check",
        parents=[shared.fetch, shared.profile],
        help="try a portal's selectors on two listing pages a section and a few articles",
    )
    check.add_argument("portal", metavar="PORTAL")
    check.add_argument("--articles", type=int, default=3, help="articles to check (default 3)")
    check.set_defaults(func=cmd_check)

    new = sub.add_parser(
        "new",
        parents=[shared.portal_files],
        help="start a portal: spider file (or TOML) and fixture",
    )
    new.add_argument("name", metavar="PORTAL", help="its name, e.g. baclieu_sxd")
    new.add_argument("--platform", required=True, help="platform (see 'tinmoi sites')")
    new.add_argument("--base-url", required=True, help="its public origin")
    new.add_argument("--title", help="the portal's name as it gives it")
    new.add_argument("--province", help="its province")
    new.add_argument("--toml", action="store_true", help="write portals/PORTAL.toml instead")
    new.set_defaults(func=cmd_new)

    add = sub.add_parser(
        "add",
        parents=[shared.fetch, shared.profile],
        help="write a portal's definition from its home page, then check it",
    )
    add.add_argument("url", nargs="?", metavar="URL", help="the portal's home page")
    add.add_argument("--from", dest="from_file", metavar="FILE", help="add every URL of FILE")
    add.add_argument("--name", help="portal name (default: from the host)")
    add.add_argument("--title", help="portal title (default: as the page prints it)")
    add.add_argument("--province", help="its province (default: the one the page names)")
    kind = add.add_mutually_exclusive_group()
    kind.add_argument("--toml", action="store_true", help="write a TOML portal file (default)")
    kind.add_argument("--python", action="store_true", help="write a spider module instead")
    add.add_argument("--dir", default="portals", help="where the TOML file goes (portals/)")
    add.add_argument(
        "--force", action="store_true", help="add it even when another portal defines its host"
    )
    add.set_defaults(func=cmd_add)

    rec = sub.add_parser(
        "record",
        parents=[shared.fetch],
        help="save an article page as a fixture (unreviewed)",
    )
    rec.add_argument("portal", metavar="PORTAL")
    rec.add_argument("url", metavar="URL", help="the article's public URL")
    rec.add_argument("--name", help="fixture name (default: from the URL)")
    rec.add_argument("--section", help="the section it is listed in")
    rec.add_argument("--file", help="use this saved page instead of fetching it")
    rec.add_argument("--encoding", help="with --file: the charset its server declared")
    rec.add_argument("--dir", help="fixture folder (default tests/fixtures/pages/PORTAL)")
    rec.set_defaults(func=cmd_record)
