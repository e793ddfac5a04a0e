"""``tinmoi backup``: a consistent copy of a live SQLite archive (SQLite's online backup)."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from crawler.archive.store import database_url
from crawler.errors import TinmoiError


class BackupError(TinmoiError):
    """The archive cannot be copied."""


def backup(db: str, destination: Path) -> None:
    """Copy the archive at ``db`` to ``destination`` while others may be writing to it.

    The copy is made with SQLite's backup API (a consistent snapshot, WAL included),
    into a temporary file renamed into place when complete.
    """
    url = database_url(db)
    if not url.startswith("sqlite:///"):
        raise BackupError("backup copies SQLite archives; for PostgreSQL use pg_dump")
    source = Path(url.removeprefix("sqlite:///"))
    if not source.is_file():
        raise BackupError(f"no archive at {source}")
    destination = destination.expanduser().resolve()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    except OSError as exc:
        raise BackupError(f"cannot write {destination}: {exc.strerror or exc}") from exc
    os.close(fd)
    try:
        with (
            closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(tmp)) as dst,
        ):
            src.backup(dst, pages=1024)
            dst.execute("PRAGMA journal_mode=DELETE")
        os.replace(tmp, destination)
    except (OSError, sqlite3.Error) as exc:
        Path(tmp).unlink(missing_ok=True)
        raise BackupError(f"cannot back up {source}: {exc}") from exc
