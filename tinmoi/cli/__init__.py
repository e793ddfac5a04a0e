"""The ``tinmoi`` command: it orchestrates crawls (one process each), builds and demos.

Exit codes (the README's table): 0 ok, 1 error (nothing could be done), 2 usage error,
3 finished but a portal is failing, 75 another run holds the lock. Every error the command
reports derives from :class:`crawler.errors.TinmoiError`, which carries its exit code.

The grammar is in :mod:`tinmoi.cli.parser`; the handlers are grouped by concern in
``commands_crawl`` (crawl, run), ``commands_archive`` (the commands that only read the
archive), ``commands_portals`` (sites, check, new, record), ``commands_add`` (add) and
``commands_serve`` (serve, demo). Handlers import Scrapy only when they crawl.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from crawler.errors import TinmoiError
from tinmoi.cli.common import UsageError
from tinmoi.cli.parser import parser as grammar

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``tinmoi`` console script."""
    args = grammar().parse_args(argv)
    try:
        _load_portal_files(getattr(args, "portal_files", []))
        return args.func(args)
    except TinmoiError as exc:
        print(f"tinmoi: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("tinmoi: interrupted", file=sys.stderr)
        return 130


def _load_portal_files(paths: list[str]) -> None:
    """Add the ``--portals`` files and folders to the portals (through ``TINMOI_PORTALS``)."""
    for path in paths:
        if not Path(path).exists():
            raise UsageError(f"--portals {path}: no such file or folder")
    if not paths:
        return
    from crawler.portal_files import ENV_VAR as PORTALS_ENV
    from tinmoi.portals import reload

    known = os.environ.get(PORTALS_ENV, "")
    listed = [str(Path(p).resolve()) for p in paths]
    os.environ[PORTALS_ENV] = os.pathsep.join([*listed, *filter(None, [known])])
    reload()
