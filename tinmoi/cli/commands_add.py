"""``tinmoi add``: write a portal's definition from its home page, then check it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tinmoi.cli.common import EXIT_ERROR, EXIT_OK, UsageError, pairs

if TYPE_CHECKING:
    from tinmoi.adding.command import AddRequest, Outcome


def _request(args: argparse.Namespace, url: str) -> AddRequest:
    from tinmoi.adding.command import AddRequest

    if not url.startswith(("http://", "https://")):
        raise UsageError(f"{url!r} is not an http(s) URL")
    if args.base_url and not args.base_url.startswith(("http://", "https://")):
        raise UsageError(f"--base-url {args.base_url!r} is not an http(s) URL")
    return AddRequest(
        url=url,
        name=args.name,
        title=args.title,
        province=args.province,
        python=args.python,
        url_map=pairs(args.url_map, "--url-map", "PUBLIC=URL"),
        base_url=args.base_url,
        profile=args.profile,
        now=args.now,
        force=args.force,
        folder=Path(args.dir),
    )


def cmd_add(args: argparse.Namespace) -> int:
    """Add one portal (or every URL of ``--from``); 0 only when every check passes."""
    from tinmoi.adding.command import AddError, Outcome, add_portal

    if bool(args.url) == bool(args.from_file):
        raise UsageError("give a URL or --from FILE (one URL a line)")
    if args.from_file:
        if args.name or args.title:
            raise UsageError("--name and --title name one portal: not with --from")
        lines = Path(args.from_file).read_text(encoding="utf-8").splitlines()
        urls = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    else:
        urls = [args.url]
    outcomes: list[Outcome] = []
    for url in urls:
        request = _request(args, url)
        try:
            outcomes.append(add_portal(request, sys.stdout))
        except AddError as exc:
            if not args.from_file:
                raise
            print(f"tinmoi: {exc}", file=sys.stderr)
            outcomes.append(Outcome(url, "", None, "", 0, False, str(exc)))
    if args.from_file:
        _summary(outcomes)
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_ERROR


def _summary(outcomes: list[Outcome]) -> None:
    """The table ``--from`` ends with: one line per URL."""
    rows = [("url", "portal", "platform", "sections", "verdict")]
    for o in outcomes:
        verdict = "ok" if o.ok else ("disabled" if o.path else "not added")
        rows.append((o.url, o.name or "-", o.platform or "-", str(o.sections), verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    print()
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
