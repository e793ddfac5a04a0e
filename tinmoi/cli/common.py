"""What the command handlers share: exit codes, the config with its overrides, portal reports."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from crawler.archive.store import ArchiveError, database_url
from crawler.errors import TinmoiError
from tinmoi.config import Config, load_config

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_FAILING, EXIT_LOCKED = 0, 1, 2, 3, 75


class UsageError(TinmoiError):
    """A command line that cannot be acted on (exit code 2)."""

    exit_code = EXIT_USAGE


def load_args_config(args: argparse.Namespace, portals: bool = True) -> Config:
    """The config file (``--config``/``TINMOI_CONFIG``) with command-line overrides.

    ``portals`` False (commands that only read the archive): the config's portal names are
    not checked, so no portal definition, and no Scrapy, is loaded.
    """
    db = getattr(args, "db", None)
    if db is not None and not db.strip():
        raise UsageError("--db is empty: give an archive path or a database URL")
    if portals:
        from tinmoi.portals import portal_names

    config = load_config(getattr(args, "config", None), portal_names() if portals else None)
    archive = db or (None if config.path else os.environ.get("TINMOI_DB"))
    out = getattr(args, "out", None)
    site_url = getattr(args, "site_url", None)
    return replace(
        config,
        archive=archive or config.archive,
        output=Path(out) if out else config.output,
        site_url=site_url or config.site_url,
    )


def existing_archive(db: str) -> str:
    """``db``, when it is a database URL or a SQLite file that exists: commands that only
    read never create an archive."""
    url = database_url(db)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        raise ArchiveError(f"no archive at {url.removeprefix('sqlite:///')}")
    return db


def pairs(values: list[str], option: str, shape: str) -> dict[str, str]:
    """``NAME=VALUE`` options (``--url-map``, ``--set``) as a dict; ``shape`` names the form."""
    found = {}
    for pair in values:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"{option} {pair!r}: write {shape}")
        found[name] = value
    return found


def report_portal_errors() -> bool:
    """Print each portal file that could not be loaded; True when there was one."""
    from tinmoi.portals import portal_errors

    errors = portal_errors()
    for error in errors:
        print(f"tinmoi: {error}", file=sys.stderr)
    return bool(errors)


def report_portal_warnings(names: list[str]) -> None:
    """Print the old key names the portals' files still use (``sites`` and ``check``)."""
    from tinmoi.portals import portal_warnings

    for name in names:
        for warning in portal_warnings(name):
            print(f"tinmoi: warning: {warning}", file=sys.stderr)


def with_portal_errors(code: int, broken: bool) -> int:
    """A run that went well still exits 3 when a portal file could not be loaded."""
    return EXIT_FAILING if broken and code == EXIT_OK else code
