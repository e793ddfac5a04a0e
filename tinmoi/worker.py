"""A crawl worker: many portals' crawls in one Scrapy process, fed by the run's supervisor.

``python -m tinmoi.worker --run JSON --marker FILE``. It reads host groups on stdin (JSON
lines, :class:`Group`) and crawls them at once, each group's portals one after another
(they share a host, so its delay holds across them), until stdin ends. It writes events
on stdout, one JSON object per line:

- ``beat`` every second, with the counts of the crawls in flight (the supervisor takes a
  worker whose beats stop for its stall limit as stuck);
- ``start`` and ``report`` for each portal (the report is :class:`~crawler.run.CrawlReport`);
- ``group`` when a group is done;
- ``dump`` on SIGUSR1, the supervisor's kill: the stats of the crawls in flight and the
  memory each portal's code grew the process by (:mod:`crawler.middlewares.watch`); the
  worker then ends at once.

Each portal logs to its own file (``LOG_DIR/PORTAL.log``): records are routed by the
spider or crawler they carry. SIGTERM or SIGINT stops every crawl cleanly and starts no
other; further SIGTERMs are ignored; a second SIGINT forces the stop.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Generator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings
from scrapy.utils.reactor import install_reactor
from twisted.internet.defer import Deferred, inlineCallbacks

from crawler import shutdown
from crawler.extensions.progress import KEYS
from crawler.middlewares import watch
from crawler.run import CrawlReport, judge
from crawler.settings import PROFILES
from tinmoi.crawling import PortalTask, crashed, not_started, rotate_log

#: Stats of a killed worker's crawl that add up with its crawl again (a resumed portal).
ADDITIVE = (
    "tinmoi/articles/",
    "tinmoi/dropped/",
    "tinmoi/listing/pages",
    "tinmoi/listing/not_modified",
    "tinmoi/incremental/revisited",
    "downloader/request_count",
    "downloader/response_count",
    "item_scraped_count",
)


#: The exit code of a worker ended by the supervisor's SIGUSR1.
KILLED = 137


@dataclass
class RunOptions:
    """What every crawl of one run shares."""

    db: str
    log_dir: str
    profile: str = "polite"
    now: str | None = None
    backfill: bool = False
    refresh: bool = False
    ledger: str | None = None
    portal_seconds: int = 900
    #: The run's end, in seconds since the epoch.
    deadline: float = 0.0
    #: A portal is not started with less than this many seconds left.
    min_seconds: int = 10


@dataclass
class Task:
    """One portal of a group, and the stats of its crawl in a killed worker, if any."""

    portal: PortalTask
    partial: dict[str, Any] = field(default_factory=dict)
    #: How many workers were killed while this portal was in flight in them.
    kills: int = 0


@dataclass
class Group:
    """Portals crawled one after another (one host's)."""

    id: int
    tasks: list[Task]

    def to_json(self) -> str:
        """One line of the worker's input."""
        return json.dumps(asdict(self), ensure_ascii=False, default=str)

    @classmethod
    def from_json(cls, text: str) -> Group:
        """Read a line of input back."""
        data = json.loads(text)
        tasks = [
            Task(PortalTask(**t["portal"]), t.get("partial", {}), t.get("kills", 0))
            for t in data["tasks"]
        ]
        return cls(data["id"], tasks)


def merge_partial(stats: dict[str, Any], partial: dict[str, Any]) -> dict[str, Any]:
    """A resumed crawl's stats with what its crawl in a killed worker had counted."""
    merged = dict(stats)
    for key, value in partial.items():
        if key.startswith(ADDITIVE) and isinstance(value, int | float):
            merged[key] = merged.get(key, 0) + value
    return merged


class PortalLogs(logging.Handler):
    """Route log records to their portal's file (by the spider or crawler they carry; a
    record with neither goes to the portal whose code runs, else the worker's log), and
    count each portal's records by level."""

    def __init__(self, fallback: Path) -> None:
        super().__init__()
        self.fallback = logging.FileHandler(fallback, encoding="utf-8")
        self.files: dict[str, logging.FileHandler] = {}
        self.counts: dict[str, Counter[str]] = {}

    def open(self, portal: str, path: Path, resumed: bool = False) -> None:
        """Start ``portal``'s log file (the last crawl's kept as ``PORTAL.log.1``…), or
        go on with it for a crawl ``resumed`` after its worker was killed."""
        if not resumed:
            rotate_log(path)
        handler = logging.FileHandler(path, mode="a" if resumed else "w", encoding="utf-8")
        handler.setFormatter(self.formatter)
        self.files[portal] = handler
        self.counts[portal] = Counter()

    def close_portal(self, portal: str) -> dict[str, int]:
        """Close ``portal``'s log; its ``log_count/LEVEL`` stats."""
        handler = self.files.pop(portal, None)
        if handler is not None:
            handler.close()
        counts = self.counts.pop(portal, Counter())
        return {f"log_count/{level}": count for level, count in counts.items()}

    def setFormatter(self, fmt: logging.Formatter | None) -> None:
        """Format every file alike."""
        super().setFormatter(fmt)
        self.fallback.setFormatter(fmt)

    def emit(self, record: logging.LogRecord) -> None:
        """Write ``record`` to its portal's file."""
        portal = _portal_of(record) or watch.current()
        if not portal and len(self.files) == 1:
            portal = next(iter(self.files))
        handler = self.files.get(portal)
        if handler is None:
            self.fallback.emit(record)
            return
        self.counts[portal][record.levelname] += 1
        handler.emit(record)


def _portal_of(record: logging.LogRecord) -> str:
    spider = getattr(record, "spider", None)
    if spider is None:
        crawler = getattr(record, "crawler", None)
        spider = getattr(crawler, "spider", None) or getattr(crawler, "spidercls", None)
    return str(getattr(spider, "name", "") or "")


def emit(event: dict[str, Any]) -> None:
    """Write one event line on stdout (unbuffered, so a signal handler may write too)."""
    data = (json.dumps(event, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    while data:
        written = os.write(1, data)
        data = data[written:]


class Worker:
    """Crawl the groups read on stdin; say what happens on stdout."""

    def __init__(self, settings: Settings, run: RunOptions, logs: PortalLogs) -> None:
        self.settings = settings
        self.run = run
        self.logs = logs
        self.spiders = get_spider_loader(settings)
        self.flight: dict[str, Crawler] = {}
        self.groups = 0
        self.ended = False
        self.stop_signal: str | None = None

    def begin(self) -> None:
        """Start the heartbeat and the reading of stdin."""
        from twisted.internet import task

        task.LoopingCall(self.beat).start(1.0)
        threading.Thread(target=self._read, name="stdin", daemon=True).start()

    def beat(self) -> None:
        """Say the reactor turns, with the counts of the crawls in flight."""
        watch.set_mark("")
        counts = {
            portal: {name: int(crawler.stats.get_value(key, 0)) for name, key in KEYS.items()}
            for portal, crawler in self.flight.items()
            if crawler.stats is not None
        }
        self._emit({"e": "beat", "flight": counts})

    def dump(self, _signum: int, _frame: FrameType | None) -> None:
        """SIGUSR1, the supervisor's kill: say the stats of the crawls in flight and each
        portal's memory growth, then end at once (nothing more is crawled or written
        here; the archive keeps only whole transactions)."""
        stats = {
            portal: {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, int)}
            for portal, crawler in list(self.flight.items())
            if crawler.stats is not None
        }
        self._emit({"e": "dump", "stats": stats, "grown": watch.grown()})
        os._exit(KILLED)

    def stop(self, signum: int, _frame: FrameType | None) -> None:
        """SIGTERM/SIGINT: stop every crawl cleanly; a second SIGINT forces it."""
        reactor = _reactor()
        if self.stop_signal is not None:
            if signum == signal.SIGINT:
                reactor.callFromThread(reactor.stop)
            return
        self.stop_signal = signal.Signals(signum).name
        shutdown.request()
        for crawler in list(self.flight.values()):
            reactor.callFromThread(crawler.stop)

    def _read(self) -> None:
        reactor = _reactor()
        for line in sys.stdin:
            if line.strip():
                reactor.callFromThread(self.crawl_group, Group.from_json(line))
        reactor.callFromThread(self._end)

    def _end(self) -> None:
        self.ended = True
        self._maybe_done()

    def _maybe_done(self) -> None:
        if self.ended and not self.groups:
            _reactor().stop()

    @inlineCallbacks
    def crawl_group(self, group: Group) -> Generator[Deferred[Any], Any, None]:
        """Crawl ``group``'s portals one after another."""
        self.groups += 1
        try:
            for task in group.tasks:
                yield self.crawl_one(task)
            self._emit({"e": "group", "id": group.id})
        finally:
            self.groups -= 1
            self._maybe_done()

    @inlineCallbacks
    def crawl_one(self, task: Task) -> Generator[Deferred[Any], Any, None]:
        """Crawl one portal and report it."""
        portal = task.portal.portal
        left = self.run.deadline - time.time()
        self._emit({"e": "start", "portal": portal})
        refused = not_started(portal, self.stop_signal, left, self.run.min_seconds)
        if refused is not None:
            self._report(refused)
            return
        self.logs.open(portal, Path(self.run.log_dir) / f"{portal}.log", resumed=task.kills > 0)
        try:
            crawler = self._crawler(task.portal, min(self.run.portal_seconds, left))
            self.flight[portal] = crawler
            # Crawler.crawl itself: a runner would lay its own settings over the crawler's.
            yield crawler.crawl(**task.portal.spider_args())
        except Exception as exc:
            self.logs.close_portal(portal)
            self.flight.pop(portal, None)
            self._report(crashed(portal, exc))
            return
        self.flight.pop(portal, None)
        assert crawler.stats is not None
        stats = {**crawler.stats.get_stats(), **self.logs.close_portal(portal)}
        target = task.portal.base_url or str(getattr(crawler.spidercls, "base_url", ""))
        self._report(judge(portal, target, merge_partial(stats, task.partial)))

    def _crawler(self, task: PortalTask, timeout: float) -> Crawler:
        run = self.run
        settings = self.settings.copy()
        overrides = {
            "TINMOI_DB": run.db,
            "TINMOI_MODE": "backfill" if run.backfill else "incremental",
            "TINMOI_REFRESH": str(run.refresh),
            "CLOSESPIDER_TIMEOUT": str(int(timeout)),
            **({"TINMOI_NOW": run.now} if run.now else {}),
            **({"TINMOI_HOST_LEDGER": run.ledger} if run.ledger else {}),
            **task.settings,
        }
        settings.setdict(overrides, priority="cmdline")
        return Crawler(self.spiders.load(task.portal), settings)

    def _report(self, report: CrawlReport) -> None:
        self._emit({"e": "report", "report": asdict(report)})

    def _emit(self, event: dict[str, Any]) -> None:
        try:
            emit(event)
        except BrokenPipeError:  # the supervisor is gone: stop as on SIGTERM
            if self.stop_signal is None:
                self.stop(signal.SIGTERM, None)


def _reactor() -> Any:
    """The installed Twisted reactor (untyped: its interfaces do not declare ``stop``)."""
    from twisted.internet import reactor

    return reactor


def main(argv: list[str] | None = None) -> int:
    """Run a worker until its input ends; 0 when every group was crawled."""
    parser = argparse.ArgumentParser(prog="python -m tinmoi.worker")
    parser.add_argument("--run", required=True, help="the run's options (JSON)")
    parser.add_argument("--marker", type=Path, required=True, help="the shared mark file")
    opts = parser.parse_args(argv)
    run = RunOptions(**json.loads(opts.run))
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.setdict(PROFILES[run.profile], priority="cmdline")
    install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
    reactor = _reactor()
    watch.watch(opts.marker)
    logs = PortalLogs(Path(run.log_dir) / "workers.log")
    logs.setFormatter(logging.Formatter(settings["LOG_FORMAT"], settings["LOG_DATEFORMAT"]))
    root = logging.getLogger()
    root.setLevel(settings["LOG_LEVEL"])
    root.addHandler(logs)
    worker = Worker(settings, run, logs)
    signal.signal(signal.SIGTERM, worker.stop)
    signal.signal(signal.SIGINT, worker.stop)
    signal.signal(signal.SIGUSR1, worker.dump)
    reactor.callWhenRunning(worker.begin)
    reactor.run(installSignalHandlers=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
