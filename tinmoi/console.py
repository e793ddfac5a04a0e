"""What a run prints."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from datetime import datetime
from typing import TextIO

from crawler.run import CrawlReport


class Console:
    """What a run prints: live progress on a terminal (the portals in flight and the
    totals); otherwise only what went wrong. Crawls report from several threads."""

    def __init__(self, verbose: bool, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> None:
        self.tty = err.isatty()
        self.verbose = verbose or self.tty
        self.out, self.err = out, err
        self._lock = threading.Lock()
        self._flight: dict[str, dict[str, int]] = {}
        self._done = 0
        self._new = 0

    def progress(self, portal: str, counts: dict[str, int], seconds: float) -> None:
        """Overwrite the progress line (terminals only)."""
        if not self.tty:
            return
        with self._lock:
            self._flight[portal] = counts
            self._draw()

    def _draw(self) -> None:
        parts = [
            f"{portal} {counts.get('pages', 0)}p {counts.get('new', 0)}+"
            for portal, counts in self._flight.items()
        ]
        new = self._new + sum(counts.get("new", 0) for counts in self._flight.values())
        line = f"{self._done} done, {len(self._flight)} crawling, {new} new: " + ", ".join(parts)
        self.err.write(f"\r\x1b[K{line[:160]}")
        self.err.flush()

    def report(
        self, report: CrawlReport, warnings: Sequence[str] = (), known: bool = False
    ) -> None:
        """One line per portal: on stdout when verbose, on stderr when something is wrong
        (unless ``known``: a portal still unreachable, reported when it became so); then
        its warnings, on stderr."""
        with self._lock:
            self._flight.pop(report.portal, None)
            self._done += 1
            self._new += report.new
            if self.tty:
                self.err.write("\r\x1b[K")
            if report.status in ("ok", "stopped") or known:
                if self.verbose:
                    print(report.message, file=self.out, flush=True)
            else:
                print(report.message, file=self.err, flush=True)
            for warning in warnings:
                print(f"{report.portal}: {warning}", file=self.err, flush=True)
            if self.tty and self._flight:
                self._draw()

    def later(self, portal: str, due: datetime) -> None:
        """A portal not due yet (said when verbose)."""
        if self.verbose:
            print(f"{portal}: not due until {due.isoformat(timespec='minutes')}", file=self.out)

    def note(self, message: str) -> None:
        """A warning of the run itself, on stderr."""
        print(f"tinmoi: {message}", file=self.err, flush=True)
