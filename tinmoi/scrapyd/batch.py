"""One Scrapyd job: crawl several host groups at once in this one process (each group's
portals one after another, sharing a host ledger so the host's delay holds across them),
and record each portal's outcome in the node's archive under the coordinator's run id.

The job's spider arguments (``batch``: JSON, see :class:`Batch`) carry what the
coordinator decided (portals, where they are fetched from, the run id, its deadline);
the archive comes from the node's own environment (``TINMOI_CONFIG`` or ``TINMOI_DB``),
never from the job, since Scrapyd shows a job's arguments in its web UI and logs.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Generator
from dataclasses import asdict, dataclass
from typing import Any

from scrapy.crawler import Crawler
from scrapy.settings import Settings
from twisted.internet.defer import Deferred, DeferredList, inlineCallbacks

from crawler import shutdown
from crawler.archive import Archive
from crawler.archive.schema import runs
from crawler.clock import crawl_now
from crawler.errors import TinmoiError
from crawler.run import GracefulProcess, judge
from crawler.settings import PROFILES
from tinmoi.crawling import PortalTask, crashed, not_started

logger = logging.getLogger(__name__)


@dataclass
class Batch:
    """What one job crawls for run ``run_id``: its host groups at once, each in order."""

    run_id: int
    groups: list[list[PortalTask]]
    profile: str = "polite"
    now: str | None = None
    backfill: bool = False
    refresh: bool = False
    portal_seconds: int = 900
    #: The run's end, in seconds since the epoch (the nodes' clocks are kept in sync).
    deadline: float = 0.0

    def to_json(self) -> str:
        """The job argument."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Batch:
        """Read a job argument back."""
        data = json.loads(text)
        data["groups"] = [[PortalTask(**task) for task in group] for group in data["groups"]]
        return cls(**data)


def node_archive() -> str:
    """The node's archive: its config's (``TINMOI_CONFIG``), else ``TINMOI_DB``."""
    from tinmoi.config import load_config

    if os.environ.get("TINMOI_CONFIG"):
        return load_config().archive
    if os.environ.get("TINMOI_DB"):
        return os.environ["TINMOI_DB"]
    raise TinmoiError(
        "this node names no archive: set TINMOI_DB (or TINMOI_CONFIG) in Scrapyd's environment"
    )


class BatchProcess(GracefulProcess):
    """A crawl process that runs several portals' crawlers. The first SIGINT or SIGTERM
    (Scrapyd's cancel) stops the current crawls cleanly and starts no other; a second
    SIGINT forces the stop."""

    stop_signal: str | None = None

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        import signal

        from twisted.internet import reactor

        self.stop_signal = signal.Signals(signum).name
        shutdown.request()
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, self._signal_kill)
        reactor.callFromThread(self.stop)

    def portal_crawler(self, portal: str, settings: dict[str, Any]) -> Crawler:
        """A crawler of ``portal`` with these settings over the process's."""
        merged = self.settings.copy()
        merged.setdict(settings, priority="cmdline")
        init_reactor = not self._initialized_reactor
        self._initialized_reactor = True
        return Crawler(self.spider_loader.load(portal), merged, init_reactor=init_reactor)


def _settings(
    batch: Batch, task: PortalTask, db: str, timeout: float, ledger: str
) -> dict[str, Any]:
    return {
        **PROFILES[batch.profile],
        "TINMOI_DB": db,
        "TINMOI_HOST_LEDGER": ledger,
        "TINMOI_MODE": "backfill" if batch.backfill else "incremental",
        "TINMOI_REFRESH": str(batch.refresh),
        **({"TINMOI_NOW": batch.now} if batch.now else {}),
        "CLOSESPIDER_TIMEOUT": str(int(timeout)),
        **task.settings,
    }


def run_batch(settings: Settings, spider_args: dict[str, str]) -> int:
    """Crawl the job's portals (spider argument ``batch``); return the process's exit code
    (0 when every portal's outcome was recorded)."""
    from twisted.internet import reactor

    from tinmoi.outcomes import record_outcome, robots_verdict
    from tinmoi.plan import MIN_PORTAL_SECONDS

    batch = Batch.from_json(spider_args["batch"])
    db = node_archive()
    process = BatchProcess(settings)
    outcome = {"code": 1}
    ledger = tempfile.mkdtemp(prefix="tinmoi-hosts-")

    def clock() -> Any:
        return crawl_now(batch.now)

    @inlineCallbacks
    def crawl_group(
        archive: Archive, group: list[PortalTask]
    ) -> Generator[Deferred[Any], Any, None]:
        for task in group:
            started = clock()
            left = batch.deadline - time.time()
            report = not_started(task.portal, process.stop_signal, left, MIN_PORTAL_SECONDS)
            if report is None:
                timeout = min(batch.portal_seconds, left)
                settings = _settings(batch, task, db, timeout, ledger)
                crawler = process.portal_crawler(task.portal, settings)
                try:
                    yield process.crawl(crawler, **task.spider_args())
                except Exception as exc:
                    logger.exception("tinmoi: %s: the crawl stopped", task.portal)
                    report = crashed(task.portal, exc)
                else:
                    target = task.base_url or str(getattr(crawler.spidercls, "base_url", ""))
                    report = judge(task.portal, target, crawler.stats.get_stats())
            warnings = robots_verdict(archive, report)
            record_outcome(archive, batch.run_id, report, started, clock(), warnings)
            logger.info("tinmoi: %s", report.message)

    @inlineCallbacks
    def crawl_all() -> Generator[Deferred[Any], Any, None]:
        try:
            with Archive.open(db, now=clock()) as archive:
                _check_run(archive, batch.run_id)
                crawls = [crawl_group(archive, group) for group in batch.groups]
                results = yield DeferredList(crawls, consumeErrors=True)
                for ok, failure in results:
                    if not ok:
                        raise failure.value
            outcome["code"] = 0
        except Exception:
            logger.exception("tinmoi: the batch stopped")
        finally:
            process._stop_reactor()

    reactor.callWhenRunning(crawl_all)
    try:
        process.start(stop_after_crawl=False)
    finally:
        shutil.rmtree(ledger, ignore_errors=True)
    return outcome["code"]


def _check_run(archive: Archive, run_id: int) -> None:
    """Refuse a run this archive does not hold as running: the node is not on the shared
    database, or the run is over."""
    with archive.engine.connect() as conn:
        status = conn.execute(runs.select().where(runs.c.id == run_id)).mappings().first()
    if status is None or status["status"] != "running":
        state = "does not hold it" if status is None else f"has it as {status['status']}"
        raise TinmoiError(
            f"run {run_id}: this node's archive {state}: is TINMOI_DB the shared database?"
        )
