"""One run at a time: an advisory file lock that dies with its holders.

The lock file descriptor is passed on to the crawl processes, so the lock is held until
the run *and* its children are gone; a lock left by a killed run is then simply free.
"""

from __future__ import annotations

import fcntl
import os
import socket
from datetime import datetime
from pathlib import Path


class LockHeld(RuntimeError):
    """Another run holds the lock (exit code 75)."""


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
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "unknown"
            os.close(fd)
            raise LockHeld(f"another run holds the lock {self.path} ({holder})") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()} since {self.now}".encode())
        os.set_inheritable(fd, True)
        self.fd = fd
        return self

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
