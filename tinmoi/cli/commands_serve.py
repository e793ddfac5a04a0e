"""``tinmoi serve`` (the feeds to readers) and ``tinmoi demo`` (the bundled snapshots)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tinmoi.cli.common import load_args_config
from tinmoi.serve import serve

DEMO_DIR = Path("var/demo")


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the output directory to feed readers."""
    config = load_args_config(args, portals=False)
    return serve(
        config.output,
        args.host,
        args.port,
        sys.stdout,
        max_age=args.max_age,
        quiet=not args.access_log,
    )


def cmd_demo(args: argparse.Namespace) -> int:
    """Crawl the bundled snapshots and write the feeds."""
    from tinmoi.demo import print_feeds, run_demo

    db = args.db or str(DEMO_DIR / "tinmoi.sqlite3")
    out = Path(args.out)
    code, built = run_demo(db, out, sys.stdout, now=args.now)
    print_feeds(built, out, sys.stdout)
    print(f"\nArchive: {db}")
    print(f"Serve them to a feed reader: tinmoi serve --out {out}  (then http://127.0.0.1:8080/)")
    return code
