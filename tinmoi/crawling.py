"""What every way of running crawls shares: a portal's crawl task, the running crawl
processes, crawl log rotation and a run's exit code."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.run import EXIT_ERROR, EXIT_FAILING, EXIT_OK, CrawlReport

#: Called about twice a second while a crawl runs: (portal, counts, seconds).
Progress = Callable[[str, dict[str, int], float], None]


@dataclass
class PortalTask:
    """One portal to crawl, where its pages are fetched from, and how."""

    portal: str
    base_url: str | None = None
    url_map: dict[str, str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    max_pages: int = 0
    settings: dict[str, str] = field(default_factory=dict)

    def spider_args(self) -> dict[str, str]:
        """The spider arguments ``python -m crawler.run`` would get."""
        args = {}
        if self.base_url:
            args["base_url"] = self.base_url
        if self.url_map:
            args["url_map"] = ",".join(f"{k}={v}" for k, v in self.url_map.items())
        if self.aliases:
            args["aliases"] = ",".join(self.aliases)
        if self.max_pages:
            args["max_pages"] = str(self.max_pages)
        return args


def skipped(portal: str, why: str) -> CrawlReport:
    """The report of a portal a run did not crawl, and why."""
    return CrawlReport(portal, "skipped", f"{portal}: not crawled: {why}")


def not_started(
    portal: str, stop_signal: str | None, seconds_left: float, min_seconds: float
) -> CrawlReport | None:
    """The report of a portal a run will not start, stopped by ``stop_signal`` or with
    less than ``min_seconds`` of its time left; None when it may start."""
    if stop_signal:
        return skipped(portal, f"stopped by {stop_signal}")
    if seconds_left < min_seconds:
        return skipped(portal, "the run's time limit was reached")
    return None


def crashed(portal: str, exc: BaseException) -> CrawlReport:
    """The report of a crawl that raised ``exc``."""
    return CrawlReport(portal, "dead", f"{portal}: the crawl stopped with an error: {exc!r}")


class Children:
    """The crawl processes running now, so a signal can be passed on to them."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen[Any]] = []

    def signal(self, signum: int) -> None:
        """Send ``signum`` to every running crawl."""
        for proc in list(self.running):  # crawls start and end in other threads
            if proc.poll() is None:
                proc.send_signal(signum)


#: How many earlier crawl logs of a portal are kept (``PORTAL.log.1`` is the last one).
LOGS_KEPT = 5


def rotate_log(path: Path, kept: int = LOGS_KEPT) -> None:
    """Move ``path`` to ``path.1`` (and ``.1`` to ``.2``…), keeping ``kept`` old logs, so
    a crawl's log is not overwritten by the next one's."""
    oldest = path.with_name(f"{path.name}.{kept}")
    oldest.unlink(missing_ok=True)
    for number in range(kept - 1, 0, -1):
        older = path.with_name(f"{path.name}.{number}")
        if older.exists():
            older.replace(path.with_name(f"{path.name}.{number + 1}"))
    if path.exists():
        path.replace(path.with_name(f"{path.name}.1"))


def overall_exit(reports: list[CrawlReport], health: dict[str, str] | None = None) -> int:
    """1 when nothing could be done, 3 when some portal failed (and, given ``health``,
    its health after the crawl is not ok: a first failed crawl in a row does not count),
    else 0."""
    if reports and all(r.status == "dead" for r in reports):
        return EXIT_ERROR
    marked = health or {}
    if any(r.status in ("dead", "failing") and marked.get(r.portal) != "ok" for r in reports):
        return EXIT_FAILING
    return EXIT_OK
