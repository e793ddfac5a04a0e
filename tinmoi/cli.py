"""The ``tinmoi`` command: it orchestrates crawls (one process each), builds and demos.

Exit codes (the README's table): 0 ok, 1 error (nothing could be done), 2 usage error,
3 finished but a portal is failing, 75 another run holds the lock.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.archive import Archive
from crawler.archive.store import DEFAULT_DB, ArchiveError, database_url
from crawler.dates import TZ
from feeds.build import DEFAULT_LIMIT, DEFAULT_SITE_URL, build_feeds
from feeds.write import OutputError
from tinmoi.backup import BackupError, backup
from tinmoi.browse import BrowseError, browse
from tinmoi.config import ENV_VAR, Config, ConfigError, load_config
from tinmoi.export import WRITERS, ExportError, export
from tinmoi.history import history
from tinmoi.lock import LockHeld, run_lock
from tinmoi.serve import ServeError, port_number, serve
from tinmoi.status import duration, print_status, status_json, with_killed

if TYPE_CHECKING:
    from tinmoi.runner import RunPlan

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_FAILING, EXIT_LOCKED = 0, 1, 2, 3, 75
DEMO_DIR = Path("var/demo")


class UsageError(Exception):
    """A command line that cannot be acted on (exit code 2)."""


def _config(args: argparse.Namespace, portals: bool = True) -> Config:
    """The config file (``--config``/``TINMOI_CONFIG``) with command-line overrides.

    ``portals`` False (commands that only read the archive): the config's portal names are
    not checked, so no portal definition, and no Scrapy, is loaded.
    """
    if args.db is not None and not args.db.strip():
        raise UsageError("--db is empty: give an archive path or a database URL")
    if portals:
        from tinmoi.portals import portal_names

    config = load_config(getattr(args, "config", None), portal_names() if portals else None)
    changes: dict[str, object] = {}
    db = args.db or (None if config.path else os.environ.get("TINMOI_DB"))
    if db:
        changes["archive"] = db
    if getattr(args, "out", None):
        changes["output"] = Path(args.out)
    if getattr(args, "site_url", None):
        changes["site_url"] = args.site_url
    return replace(config, **changes) if changes else config


def _existing(db: str) -> str:
    """``db``, when it is a database URL or a SQLite file that exists: commands that only
    read never create an archive."""
    url = database_url(db)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        raise ArchiveError(f"no archive at {url.removeprefix('sqlite:///')}")
    return db


def _base_urls(values: list[str], portals: list[str]) -> dict[str, str]:
    """``--base-url URL`` (one portal) or ``--base-url PORTAL=URL`` (repeatable)."""
    from tinmoi.portals import portal_names

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


def _pairs(values: list[str], option: str, shape: str) -> dict[str, str]:
    found = {}
    for pair in values:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"{option} {pair!r}: write {shape}")
        found[name] = value
    return found


def _report_portal_errors() -> bool:
    """Print each portal file that could not be loaded; True when there was one."""
    from tinmoi.portals import portal_errors

    errors = portal_errors()
    for error in errors:
        print(f"tinmoi: {error}", file=sys.stderr)
    return bool(errors)


def _report_portal_warnings(names: list[str]) -> None:
    """Print the old key names the portals' files still use (``sites`` and ``check``)."""
    from tinmoi.portals import portal_warnings

    for name in names:
        for warning in portal_warnings(name):
            print(f"tinmoi: warning: {warning}", file=sys.stderr)


def _with_portal_errors(code: int, broken: bool) -> int:
    """A run that went well still exits 3 when a portal file could not be loaded."""
    return EXIT_FAILING if broken and code == EXIT_OK else code


def _plan(args: argparse.Namespace, config: Config, build: bool) -> RunPlan:
    from crawler.middlewares.warc import writable_folder
    from tinmoi.portals import portal_names
    from tinmoi.runner import RunPlan

    if args.max_pages < 0:
        raise UsageError(f"--max-pages must be 0 (no limit) or more, not {args.max_pages}")
    known = portal_names()
    portals = args.portals or list(config.portals) or known
    unknown = [p for p in portals if p not in known]
    if unknown:
        raise UsageError(f"unknown portal {', '.join(unknown)} (see 'tinmoi sites')")
    url_map = _pairs(args.url_map, "--url-map", "PUBLIC=URL")
    settings = _pairs(args.set, "--set", "NAME=VALUE")
    if args.warc:
        settings["TINMOI_WARC_DIR"] = str(writable_folder(Path(args.warc).resolve()))
    return RunPlan(
        config=config,
        portals=portals,
        build=build,
        profile=args.profile,
        now=args.now,
        backfill=args.backfill,
        refresh=args.refresh,
        max_pages=args.max_pages,
        base_urls=_base_urls(args.base_url, portals),
        url_map=url_map,
        settings=settings,
    )


def cmd_crawl(args: argparse.Namespace) -> int:
    """Crawl portals into the archive."""
    from tinmoi.runner import Console, execute

    config = _config(args)
    broken = _report_portal_errors()
    plan = _plan(args, config, build=False)
    return _with_portal_errors(execute(plan, Console(verbose=True)), broken)


def cmd_run(args: argparse.Namespace) -> int:
    """Crawl every enabled portal, then rebuild the feeds (for cron and systemd)."""
    from tinmoi.runner import Console, execute

    config = _config(args)
    broken = _report_portal_errors()
    plan = _plan(args, config, build=True)
    return _with_portal_errors(execute(plan, Console(verbose=False)), broken)


def cmd_build(args: argparse.Namespace) -> int:
    """Write every feed from the archive."""
    if args.limit is not None and args.limit < 1:
        raise UsageError(f"--limit must be a whole number of at least 1, not {args.limit}")
    from crawler.clock import crawl_now

    config = _config(args, portals=False)
    limit = args.limit or config.limit
    with Archive.open(_existing(config.archive), now=crawl_now(args.now)) as archive:
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

    config = _config(args, portals=False)
    now = crawl_now(args.now)
    with Archive.open(_existing(config.archive), now=now) as archive:
        runs = archive.recent_runs(args.runs)
        health = archive.portal_health()
        last_good = archive.last_good_run()
        held = archive.held_by_portal()
    if any(run["status"] == "running" for run in runs):
        runs = with_killed(runs, run_lock(config, now).is_held())
    if args.json:
        document = status_json(runs, health, last_good, held)
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print_status(runs, health, sys.stdout, held)
    stale = last_good is None or now - last_good > args.max_age if args.max_age else False
    if stale:
        when = last_good.isoformat() if last_good else "never"
        print(
            f"tinmoi: no run succeeded in the last {args.max_age} (last: {when})", file=sys.stderr
        )
        return EXIT_ERROR
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the output directory to feed readers."""
    config = _config(args, portals=False)
    return serve(
        config.output,
        args.host,
        args.port,
        sys.stdout,
        max_age=args.max_age,
        quiet=not args.access_log,
    )


def cmd_search(args: argparse.Namespace) -> int:
    """Search the archive, insensitive to diacritics."""
    from crawler.clock import crawl_now

    config = _config(args, portals=False)
    with Archive.open(_existing(config.archive), now=crawl_now(args.now)) as archive:
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


def day(text: str) -> datetime:
    """``YYYY-MM-DD`` as 00:00 in Vietnam (argparse type)."""
    try:
        return datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=TZ)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2024-06-25") from None


def cmd_export(args: argparse.Namespace) -> int:
    """Export the archive as CSV, JSON Lines or Parquet."""
    from crawler.clock import crawl_now

    config = _config(args, portals=False)
    with Archive.open(_existing(config.archive), now=crawl_now(args.now)) as archive:
        rows = archive.iter_articles(portal=args.portal, since=args.since, until=args.until)
        count = export(rows, args.format, Path(args.output), archive.attachments_of)
    print(f"{count} articles written to {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    """Copy a live SQLite archive consistently."""
    config = _config(args, portals=False)
    backup(config.archive, Path(args.file))
    print(f"archive copied to {args.file}", file=sys.stderr)
    return EXIT_OK


def cmd_browse(args: argparse.Namespace) -> int:
    """Open the archive in Datasette."""
    return browse(_config(args, portals=False).archive, args.host, args.port)


def cmd_history(args: argparse.Namespace) -> int:
    """Show an article's revisions and what changed."""
    from crawler.clock import crawl_now

    config = _config(args, portals=False)
    with Archive.open(_existing(config.archive), now=crawl_now(args.now)) as archive:
        if not history(archive, args.article, sys.stdout):
            print(f"tinmoi: no article {args.article!r} in {config.archive}", file=sys.stderr)
            return EXIT_ERROR
    return EXIT_OK


def cmd_sites(args: argparse.Namespace) -> int:
    """List the portals with their platform and sections."""
    from tinmoi.portals import describe, portal_names

    sites = [describe(name) for name in portal_names()]
    broken = _report_portal_errors()
    _report_portal_warnings(portal_names())
    if args.json:
        print(json.dumps(sites, ensure_ascii=False, indent=2))
        return _with_portal_errors(EXIT_OK, broken)
    for site in sites:
        print(f"{site['name']}  [{site['platform']}]  {site['province']}  {site['base_url']}")
        print(f"    {site['title']}  ({site['defined_in']})")
        for slug, title in site["sections"].items():
            print(f"    - {slug}: {title}")
    return _with_portal_errors(EXIT_OK, broken)


def _spider_args(args: argparse.Namespace) -> dict[str, str]:
    spider_args = {}
    if args.base_url:
        if not args.base_url.startswith(("http://", "https://")):
            raise UsageError(f"--base-url {args.base_url!r} is not an http(s) URL")
        spider_args["base_url"] = args.base_url
    url_map = _pairs(args.url_map, "--url-map", "PUBLIC=URL")
    if url_map:
        spider_args["url_map"] = ",".join(f"{k}={v}" for k, v in url_map.items())
    return spider_args


def _known_portal(name: str) -> None:
    from tinmoi.portals import portal_names

    if name not in portal_names():
        _report_portal_errors()
        raise UsageError(f"unknown portal {name} (see 'tinmoi sites')")


def cmd_check(args: argparse.Namespace) -> int:
    """Check a portal's selectors on one listing page and a few articles."""
    from tinmoi.checking import print_check, run_check

    _known_portal(args.portal)
    _report_portal_warnings([args.portal])
    found = run_check(
        args.portal,
        _spider_args(args),
        profile=args.profile,
        articles=args.articles,
        now=args.now,
    )
    return EXIT_OK if print_check(found, sys.stdout) else EXIT_ERROR


def cmd_new(args: argparse.Namespace) -> int:
    """Write a new portal's spider (or TOML file) and its fixture skeleton."""
    from tinmoi.portals import portal_names
    from tinmoi.scaffold import new_portal

    if args.name in portal_names():
        raise UsageError(f"portal {args.name} exists already (see 'tinmoi sites')")
    written = new_portal(
        args.name,
        args.platform,
        args.base_url,
        title=args.title or args.name,
        province=args.province or "",
        toml=args.toml,
        cwd=Path.cwd(),
    )
    for path in written:
        print(f"wrote {path}")
    print(
        f"next: set its sections and selectors, run 'tinmoi check {args.name}', "
        f"then 'tinmoi record {args.name} ARTICLE_URL' and review the fixture"
    )
    return EXIT_OK


def cmd_record(args: argparse.Namespace) -> int:
    """Save a page and its current extraction as an unreviewed fixture."""
    from tinmoi.portals import spider_class
    from tinmoi.recording import fetch_page, fixture_name, read_page, save_fixture
    from tinmoi.scaffold import project_root

    _known_portal(args.portal)
    spidercls = spider_class(args.portal)
    if args.file:
        page = read_page(Path(args.file), args.encoding)
    else:
        spider = spidercls(**_spider_args(args))
        page = fetch_page(spider.urls.to_fetch(args.url))
    root = project_root(Path.cwd()) or Path.cwd()
    folder = Path(args.dir) if args.dir else root / "tests" / "fixtures" / "pages" / args.portal
    listing = {"section": args.section or "", "title": "", "date_text": "", "position": 0}
    path, found = save_fixture(
        folder,
        spidercls,
        args.url,
        page,
        name=args.name or fixture_name(args.url),
        listing=listing,
        **({"now": args.now} if args.now else {}),
    )
    print(json.dumps(found, ensure_ascii=False, indent=1))
    print(
        f"wrote {path.with_suffix('.html')} and {path} (unreviewed: check every value, "
        'then set "reviewed": true)',
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Crawl the bundled snapshots and write the feeds."""
    from tinmoi.crawling import overall_exit
    from tinmoi.demo import print_feeds, run_demo
    from tinmoi.runner import log_dir_for

    db = args.db or str(DEMO_DIR / "tinmoi.sqlite3")
    out = Path(args.out)
    reports, built = run_demo(db, out, log_dir_for(db), sys.stdout, now=args.now)
    print_feeds(built, out, sys.stdout)
    print(f"\nArchive: {db}")
    print(f"Serve them to a feed reader: tinmoi serve --out {out}  (then http://127.0.0.1:8080/)")
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

    def portals_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--portals",
            dest="portal_files",
            action="append",
            default=[],
            metavar="PATH",
            help="also load the portal files (TOML) in PATH, a file or a folder",
        )

    def crawl_options(crawl: argparse.ArgumentParser) -> None:
        portals_option(crawl)
        crawl.add_argument(
            "portals",
            nargs="*",
            metavar="PORTAL",
            help="default: the config's portals, else every portal",
        )
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
        crawl.add_argument(
            "--backfill",
            action="store_true",
            help="walk every listing page, not just up to the known articles",
        )
        crawl.add_argument(
            "--refresh",
            action="store_true",
            help="fetch every listed article again, archived or not",
        )
        crawl.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="a Scrapy setting for the crawls (e.g. DOWNLOAD_TIMEOUT=60)",
        )
        crawl.add_argument(
            "--warc",
            metavar="DIR",
            help="also write every raw response as WARC 1.1 records into DIR",
        )
        crawl.add_argument("--config", help=f"config file (env {ENV_VAR})")
        db_option(crawl)

    crawl = sub.add_parser("crawl", help="crawl portals into the archive")
    crawl_options(crawl)
    crawl.set_defaults(func=cmd_crawl)

    run = sub.add_parser("run", help="crawl every enabled portal and rebuild the feeds (cron)")
    crawl_options(run)
    run.add_argument("--out", help="output directory (default: the config's, else public)")
    run.add_argument("--site-url", help="public URL the output directory is served at")
    run.set_defaults(func=cmd_run)

    status = sub.add_parser("status", help="the last runs and each portal's health")
    status.add_argument("--json", action="store_true", help="as JSON, for monitoring")
    status.add_argument("--runs", type=int, default=5, help="how many runs to show")
    status.add_argument(
        "--max-age",
        type=duration,
        metavar="AGE",
        help="exit 1 unless a run succeeded within AGE (e.g. 2h, 90m, 1d)",
    )
    status.add_argument("--config", help=f"config file (env {ENV_VAR})")
    db_option(status)
    status.set_defaults(func=cmd_status)

    build = sub.add_parser("build", help="write the feeds from the archive")
    build.add_argument("--out", help="output directory (default: the config's, else public)")
    build.add_argument("--limit", type=int, help=f"items per feed (default {DEFAULT_LIMIT})")
    build.add_argument(
        "--site-url",
        help=f"public URL the output directory is served at (default {DEFAULT_SITE_URL})",
    )
    build.add_argument(
        "--force",
        action="store_true",
        help="publish even feeds with fewer items than before; remove feeds no longer built",
    )
    build.add_argument("--config", help=f"config file (env {ENV_VAR})")
    db_option(build)
    build.set_defaults(func=cmd_build)

    serve_cmd = sub.add_parser("serve", help="serve the feeds to readers (ETag, 304, gzip)")
    serve_cmd.add_argument("--out", help="directory to serve (default: the config's, else public)")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    serve_cmd.add_argument("--port", type=port_number, default=8080, help="port (default 8080)")
    serve_cmd.add_argument("--max-age", type=int, default=300, help="Cache-Control max-age (s)")
    serve_cmd.add_argument(
        "--access-log", action="store_true", help="log every request on stderr (common log format)"
    )
    serve_cmd.add_argument("--config", help=f"config file (env {ENV_VAR})")
    serve_cmd.set_defaults(func=cmd_serve, db=None, site_url=None)

    find = sub.add_parser("search", help="search the archive (diacritics optional)")
    find.add_argument("query", help='words to find, e.g. "du lich tam chuc"')
    find.add_argument("--portal", help="only this portal")
    find.add_argument("--since", type=day, metavar="YYYY-MM-DD", help="published on or after")
    find.add_argument("--until", type=day, metavar="YYYY-MM-DD", help="published before")
    find.add_argument("--limit", type=int, default=20, help="how many results (default 20)")
    find.add_argument("--json", action="store_true", help="as JSON")
    find.add_argument("--config", help=f"config file (env {ENV_VAR})")
    db_option(find)
    find.set_defaults(func=cmd_search)

    exp = sub.add_parser("export", help="export the archive (csv, jsonl, parquet)")
    exp.add_argument("--format", choices=sorted(WRITERS), required=True)
    exp.add_argument("-o", "--output", required=True, metavar="FILE")
    exp.add_argument("--portal", help="only this portal")
    exp.add_argument("--since", type=day, metavar="YYYY-MM-DD", help="published on or after")
    exp.add_argument("--until", type=day, metavar="YYYY-MM-DD", help="published before")
    exp.add_argument("--config", help=f"config file (env {ENV_VAR})")
    db_option(exp)
    exp.set_defaults(func=cmd_export)

    back = sub.add_parser("backup", help="a consistent copy of a live SQLite archive")
    back.add_argument("file", metavar="FILE", help="where the copy goes")
    back.add_argument("--config", help=f"config file (env {ENV_VAR})")
    db_option(back)
    back.set_defaults(func=cmd_backup)

    brw = sub.add_parser("browse", help="the SQLite archive in Datasette (facets, search)")
    brw.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    brw.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    brw.add_argument("--config", help=f"config file (env {ENV_VAR})")
    db_option(brw)
    brw.set_defaults(func=cmd_browse)

    hist = sub.add_parser("history", help="an article's revisions, with a diff")
    hist.add_argument("article", metavar="URL_OR_KEY", help="its URL or key (portal:id)")
    hist.add_argument("--config", help=f"config file (env {ENV_VAR})")
    db_option(hist)
    hist.set_defaults(func=cmd_history)

    sites = sub.add_parser("sites", help="list the portals, their platform and sections")
    sites.add_argument("--json", action="store_true", help="as JSON")
    portals_option(sites)
    sites.set_defaults(func=cmd_sites)

    def fetch_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--base-url", help="fetch the portal from URL instead (a snapshot)")
        p.add_argument(
            "--url-map",
            action="append",
            default=[],
            metavar="PUBLIC=URL",
            help="fetch another public origin of the portal (CDN, alias) from URL",
        )
        portals_option(p)
        p.add_argument("--now", help=argparse.SUPPRESS)

    check = sub.add_parser(
        "check", help="try a portal's selectors on a listing page and a few articles"
    )
    check.add_argument("portal", metavar="PORTAL")
    check.add_argument("--articles", type=int, default=3, help="articles to check (default 3)")
    check.add_argument(
        "--profile", choices=("polite", "loopback"), default="polite", help="request pacing"
    )
    fetch_options(check)
    check.set_defaults(func=cmd_check)

    new = sub.add_parser("new", help="start a portal: spider file (or TOML) and fixture")
    new.add_argument("name", metavar="PORTAL", help="its name, e.g. baclieu_sxd")
    new.add_argument("--platform", required=True, help="platform (see 'tinmoi sites')")
    new.add_argument("--base-url", required=True, help="its public origin")
    new.add_argument("--title", help="the portal's name as it gives it")
    new.add_argument("--province", help="its province")
    new.add_argument("--toml", action="store_true", help="write portals/PORTAL.toml instead")
    portals_option(new)
    new.set_defaults(func=cmd_new)

    rec = sub.add_parser("record", help="save an article page as a fixture (unreviewed)")
    rec.add_argument("portal", metavar="PORTAL")
    rec.add_argument("url", metavar="URL", help="the article's public URL")
    rec.add_argument("--name", help="fixture name (default: from the URL)")
    rec.add_argument("--section", help="the section it is listed in")
    rec.add_argument("--file", help="use this saved page instead of fetching it")
    rec.add_argument("--encoding", help="with --file: the charset its server declared")
    rec.add_argument("--dir", help="fixture folder (default tests/fixtures/pages/PORTAL)")
    fetch_options(rec)
    rec.set_defaults(func=cmd_record)

    demo = sub.add_parser("demo", help="crawl the bundled offline snapshots and write feeds")
    demo.add_argument("--out", default=str(DEMO_DIR / "public"), help="output directory")
    db_option(demo)
    demo.set_defaults(func=cmd_demo)
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``tinmoi`` console script."""
    args = parser().parse_args(argv)
    paths = getattr(args, "portal_files", [])
    for path in paths:
        if not Path(path).exists():
            print(f"tinmoi: --portals {path}: no such file or folder", file=sys.stderr)
            return EXIT_USAGE
    if paths:
        from crawler.portal_files import ENV_VAR as PORTALS_ENV
        from tinmoi.portals import reload

        known = os.environ.get(PORTALS_ENV, "")
        listed = [str(Path(p).resolve()) for p in paths]
        os.environ[PORTALS_ENV] = os.pathsep.join([*listed, *filter(None, [known])])
        reload()
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"tinmoi: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except LockHeld as exc:
        print(f"tinmoi: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except (
        ArchiveError,
        OutputError,
        ConfigError,
        ServeError,
        ExportError,
        BackupError,
        BrowseError,
    ) as exc:
        print(f"tinmoi: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:
        from crawler.middlewares.warc import WarcError
        from tinmoi.checking import CheckError
        from tinmoi.recording import RecordError
        from tinmoi.scaffold import ScaffoldError

        if not isinstance(exc, (CheckError, RecordError, ScaffoldError, WarcError)):
            raise
        print(f"tinmoi: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("tinmoi: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
