"""One run at a time: an advisory file lock that dies with its holders, or, for a
PostgreSQL archive, a PostgreSQL advisory lock, so that two machines sharing the archive
never run at once.

The lock file descriptor is passed on to the crawl processes, so the lock is held until
the run *and* its children are gone; a lock left by a killed run is then simply free.
PostgreSQL's session lock is held on a connection of its own for the whole run, and that
connection's socket is passed on to the crawl processes the same way (they never use it):
the server ends the session, and frees the lock, only when the last process holding the
socket is gone, so a ``kill -9`` of the run alone leaves the lock held until its crawls
have finished too. Inherited at fork, the socket leaves no window in which a crawl runs
unlocked, needs no code in the crawl, and kills no crawl in the middle of a write.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import socket
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.errors import TinmoiError

if TYPE_CHECKING:
    from tinmoi.config import Config

#: The advisory lock key every tinmoi run takes: a fixed 64-bit number derived from "tinmoi".
PG_LOCK_KEY = int.from_bytes(hashlib.sha256(b"tinmoi").digest()[:8], "big", signed=True)
#: A lock file found taken is tried again this many times, a moment apart (``tinmoi status``
#: looking whether it is held takes it shared for an instant).
LOCK_TRIES = 3


#: The session holding the advisory lock, if any.
_HOLDER = (
    "SELECT a.application_name, a.client_addr, a.backend_start "
    "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND l.classid = :high AND l.objid = :low AND l.objsubid = 1"
)
_KEY_PARTS = {"high": (PG_LOCK_KEY >> 32) & 0xFFFFFFFF, "low": PG_LOCK_KEY & 0xFFFFFFFF}


class LockHeld(TinmoiError):
    """Another run holds the lock (exit code 75)."""

    exit_code = 75


class RunLock:
    """``with RunLock(path, now):`` holds the lock for the block, or raises LockHeld."""

    def __init__(self, path: Path, now: datetime) -> None:
        self.path = path
        self.now = now
        self.fd: int | None = None

    def acquire(self) -> RunLock:
        """Take the lock, or raise :class:`LockHeld` naming the holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        for attempt in range(1, LOCK_TRIES + 1):
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if attempt < LOCK_TRIES:
                    time.sleep(0.05)
                    continue
                holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "unknown"
                os.close(fd)
                raise LockHeld(f"another run holds the lock {self.path} ({holder})") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()} since {self.now}".encode())
        os.set_inheritable(fd, True)
        self.fd = fd
        return self

    def is_held(self) -> bool:
        """Whether some process holds the lock now (looked at without creating the file)."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # closing lets a shared lock go
        return False

    def release(self) -> None:
        """Let the lock go."""
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


class PostgresRunLock:
    """``with PostgresRunLock(url, now):``: a session advisory lock on the archive's server,
    held on a dedicated connection for the block, or :class:`LockHeld`."""

    def __init__(self, url: str, now: datetime) -> None:
        self.url = url
        self.now = now
        #: The lock connection's socket, for the crawl processes to inherit.
        self.fd: int | None = None
        self._engine: Any = None
        self._conn: Any = None

    def acquire(self) -> PostgresRunLock:
        """Take the lock, or raise :class:`LockHeld` naming the holder."""
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import SQLAlchemyError
        from sqlalchemy.pool import NullPool

        from crawler.archive.store import ArchiveError, database_url, one_line

        url = make_url(database_url(self.url))
        me = f"tinmoi pid {os.getpid()} on {socket.gethostname()}"[:63]
        where = url.render_as_string(hide_password=True)
        engine = create_engine(url, poolclass=NullPool, connect_args={"application_name": me})
        try:
            conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": PG_LOCK_KEY})
            if not got.scalar():
                holder = conn.execute(text(_HOLDER), _KEY_PARTS).first()
                conn.close()
                engine.dispose()
                who = "unknown"
                if holder is not None:
                    name, addr, since = holder
                    who = f"{name or 'a session'} from {addr or 'a local socket'}"
                    if since is not None:
                        who += f" since {since:%Y-%m-%d %H:%M:%S%z}"
                raise LockHeld(f"another run holds the PostgreSQL advisory lock on {where} ({who})")
        except SQLAlchemyError as exc:
            engine.dispose()
            reason = one_line(getattr(exc, "orig", None) or exc)
            raise ArchiveError(f"cannot take the run lock on {where}: {reason}") from exc
        self._engine, self._conn = engine, conn
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None  # the connection that just took the lock
        self.fd = dbapi.fileno()
        return self

    def is_held(self) -> bool:
        """Whether some session holds the lock now (looked at in ``pg_locks``)."""
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import SQLAlchemyError
        from sqlalchemy.pool import NullPool

        from crawler.archive.store import ArchiveError, database_url, one_line

        url = make_url(database_url(self.url))
        engine = create_engine(url, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                return conn.execute(text(_HOLDER), _KEY_PARTS).first() is not None
        except SQLAlchemyError as exc:
            reason = one_line(getattr(exc, "orig", None) or exc)
            where = url.render_as_string(hide_password=True)
            raise ArchiveError(f"cannot look at the run lock on {where}: {reason}") from exc
        finally:
            engine.dispose()

    def release(self) -> None:
        """Let the lock go (closing the connection would as well)."""
        if self._conn is not None:
            from sqlalchemy import text
            from sqlalchemy.exc import SQLAlchemyError

            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": PG_LOCK_KEY})
            except SQLAlchemyError:
                pass  # the connection is gone, and the lock with it
            finally:
                self._conn.close()
                self._engine.dispose()
                self._conn = self._engine = self.fd = None

    def __enter__(self) -> PostgresRunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def run_lock(config: Config, now: datetime) -> RunLock | PostgresRunLock:
    """The run lock for ``config``: PostgreSQL's advisory lock for a PostgreSQL archive,
    else the lock file."""
    from crawler.archive.store import database_url

    if database_url(config.archive).startswith(("postgresql:", "postgresql+")):
        return PostgresRunLock(config.archive, now)
    return RunLock(config.lock_path, now)
