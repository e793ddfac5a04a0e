"""``tinmoi crawl`` and ``tinmoi run``: crawl portals into the archive (``run`` also builds,
here or on Scrapyd nodes); ``tinmoi deploy``: put tinmoi on those nodes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.errors import TinmoiError
from tinmoi.cli.common import (
    UsageError,
    load_args_config,
    pairs,
    report_portal_errors,
    with_portal_errors,
)
from tinmoi.config import Config

if TYPE_CHECKING:
    from tinmoi.plan import RunPlan


def cmd_crawl(args: argparse.Namespace) -> int:
    """Crawl portals into the archive."""
    from tinmoi.console import Console
    from tinmoi.runner import execute

    config = load_args_config(args)
    broken = report_portal_errors()
    plan = _plan(args, config, build=False)
    return with_portal_errors(execute(plan, Console(verbose=True)), broken)


def cmd_run(args: argparse.Namespace) -> int:
    """Crawl every enabled portal, then rebuild the feeds (for cron and systemd)."""
    from tinmoi.console import Console
    from tinmoi.runner import execute

    config = load_args_config(args)
    broken = report_portal_errors()
    plan = _plan(args, config, build=True)
    plan.scheduled = True
    nodes = _nodes(args.scrapyd.split(",") if args.scrapyd else [], config)
    if nodes:
        from tinmoi.scrapyd.coordinator import execute_on_nodes

        return with_portal_errors(execute_on_nodes(plan, nodes, Console(verbose=False)), broken)
    return with_portal_errors(execute(plan, Console(verbose=False)), broken)


def cmd_deploy(args: argparse.Namespace) -> int:
    """Upload tinmoi (its portal files included) to Scrapyd nodes."""
    import sys

    from tinmoi.scrapyd.deploy import deploy

    config = load_args_config(args)
    nodes = _nodes(args.nodes, config)
    if not nodes:
        raise UsageError("deploy: name the Scrapyd nodes (URL…) or set [scrapyd] nodes")
    outcomes = deploy(nodes, replace=args.replace)
    for outcome in outcomes:
        print(outcome.message, file=sys.stdout if outcome.ok else sys.stderr)
    return 0 if all(outcome.ok for outcome in outcomes) else 1


def _nodes(given: list[str], config: Config) -> list[str]:
    """The Scrapyd nodes named on the command line, else in the config."""
    return [url.strip() for url in given if url.strip()] or list(config.scrapyd_nodes)


def _plan(args: argparse.Namespace, config: Config, build: bool) -> RunPlan:
    from crawler.middlewares.warc import writable_folder
    from tinmoi.plan import RunPlan
    from tinmoi.portals import portal_names

    if args.max_pages < 0:
        raise UsageError(f"--max-pages must be 0 (no limit) or more, not {args.max_pages}")
    if args.jobs < 0:
        raise UsageError(f"--jobs must be 1 or more (0: the config's), not {args.jobs}")
    known = portal_names()
    portals = args.portals or list(config.portals) or known
    unknown = [p for p in portals if p not in known]
    if unknown:
        raise UsageError(f"unknown portal {', '.join(unknown)} (see 'tinmoi sites')")
    portals = _enabled(portals, named=[] if build else args.portals, told=portals != known)
    url_map = pairs(args.url_map, "--url-map", "PUBLIC=URL")
    settings = pairs(args.set, "--set", "NAME=VALUE")
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
        jobs=args.jobs,
        base_urls=_base_urls(args.base_url, portals),
        url_map=url_map,
        settings=settings,
    )


def _enabled(portals: list[str], named: list[str], told: bool) -> list[str]:
    """``portals`` without the disabled ones (``enabled = false``), but those ``named``;
    a disabled portal the command line or config names is said to be skipped."""
    from tinmoi.portals import spider_class

    skipped = [p for p in portals if p not in named and not spider_class(p).enabled]
    if skipped and told:
        for name in skipped:
            print(f"tinmoi: {name} is disabled (enabled = false): not crawled", file=sys.stderr)
    kept = [p for p in portals if p not in skipped]
    if not kept:
        raise TinmoiError("nothing to crawl: every portal asked for is disabled")
    return kept


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
