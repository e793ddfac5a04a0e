"""The commands that work on portal definitions: sites, check, new, record."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tinmoi.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    UsageError,
    pairs,
    report_portal_errors,
    report_portal_warnings,
    with_portal_errors,
)


def cmd_sites(args: argparse.Namespace) -> int:
    """List the portals with their platform and sections."""
    from tinmoi.portals import describe, portal_names

    sites = [describe(name) for name in portal_names()]
    broken = report_portal_errors()
    report_portal_warnings(portal_names())
    if args.json:
        print(json.dumps(sites, ensure_ascii=False, indent=2))
        return with_portal_errors(EXIT_OK, broken)
    for site in sites:
        disabled = "" if site["enabled"] else "  (disabled: enabled = false)"
        print(
            f"{site['name']}  [{site['platform']}]  {site['province']}  {site['base_url']}"
            + disabled
        )
        print(f"    {site['title']}  ({site['defined_in']})")
        for slug, title in site["sections"].items():
            print(f"    - {slug}: {title}")
    return with_portal_errors(EXIT_OK, broken)


def _spider_args(args: argparse.Namespace) -> dict[str, str]:
    spider_args = {}
    if args.base_url:
        if not args.base_url.startswith(("http://", "https://")):
            raise UsageError(f"--base-url {args.base_url!r} is not an http(s) URL")
        spider_args["base_url"] = args.base_url
    url_map = pairs(args.url_map, "--url-map", "PUBLIC=URL")
    if url_map:
        spider_args["url_map"] = ",".join(f"{k}={v}" for k, v in url_map.items())
    return spider_args


def _known_portal(name: str) -> None:
    from tinmoi.portals import portal_names

    if name not in portal_names():
        report_portal_errors()
        raise UsageError(f"unknown portal {name} (see 'tinmoi sites')")


def cmd_check(args: argparse.Namespace) -> int:
    """Check a portal's selectors on two listing pages a section and a few articles."""
    from crawler.portal_files import UNUSED_SELECTOR
    from tinmoi.checking import print_check, run_check
    from tinmoi.portals import describe, portal_warnings, spider_class

    _known_portal(args.portal)
    report_portal_warnings([args.portal])
    found = run_check(
        args.portal,
        _spider_args(args),
        profile=args.profile,
        articles=args.articles,
        now=args.now,
    )
    ok = print_check(found, sys.stdout)
    unused = [w for w in portal_warnings(args.portal) if UNUSED_SELECTOR in w]
    if unused:
        print("\nverdict: BROKEN (the definition sets what its platform does not read)")
        for warning in unused:
            print(f"  - {warning.split(': ', 1)[1]}")
    if ok and not unused and not spider_class(args.portal).enabled:
        where = describe(args.portal)["defined_in"]
        print(f"(still disabled: remove 'enabled = false' from {where} for runs to crawl it)")
    return EXIT_OK if ok and not unused else EXIT_ERROR


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
