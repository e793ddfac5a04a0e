"""A run: lock, crawl portals in worker processes (many at once, one host at a time),
record, judge health, build feeds."""

from __future__ import annotations

import os
import resource
import signal
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

from crawler.archive import Archive
from crawler.archive.store import database_url
from crawler.clock import crawl_now
from crawler.run import CrawlReport
from tinmoi.console import Console
from tinmoi.crawling import Children, PortalTask
from tinmoi.lock import run_lock
from tinmoi.outcomes import finish, record_outcome, robots_verdict
from tinmoi.plan import MIN_PORTAL_SECONDS, RunPlan, crawl_groups, due_now, portal_task
from tinmoi.supervisor import Limits, OnReport, Supervisor
from tinmoi.worker import RunOptions


class Stopper:
    """On SIGTERM or SIGINT: start no new crawl, pass the signal on to running ones."""

    def __init__(self, children: Children) -> None:
        self.children = children
        self.requested: str | None = None
        #: The handlers replaced: a function, ``SIG_DFL``/``SIG_IGN``, or None (set outside Python).
        self._previous: dict[int, Callable[[int, FrameType | None], Any] | int | None] = {}

    def __enter__(self) -> Stopper:
        for signum in (signal.SIGTERM, signal.SIGINT):
            self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        self.requested = signal.Signals(signum).name
        self.children.signal(signal.SIGTERM)


def log_dir_for(db: str, base: Path | None = None) -> Path:
    """Crawl logs go beside a SQLite archive, else under ``var/logs`` (in ``base``, the
    config file's folder, when there is one)."""
    url = database_url(db)
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///")).parent / "logs"
    return (base or Path()) / "var" / "logs"


def raise_file_limit() -> int:
    """Raise the soft limit of open files to the hard one (cron and systemd give 1,024; a
    run's crawls hold many sockets and files at once). The limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            return soft
    return hard


def execute(plan: RunPlan, console: Console, clock: Callable[[], datetime] | None = None) -> int:
    """Carry out ``plan`` under the run lock; return the exit code (README's table).

    The portals are crawled in a few worker processes (``[limits] workers``), up to
    ``plan.jobs`` (else ``[limits] concurrency``) at once; portals fetched from one host
    are crawled one after another, sharing the run's host ledger (a temporary folder) so
    the host's delay holds across them (:mod:`tinmoi.supervisor`). Each report is recorded
    as it comes, in the order the crawls finish.
    """
    now = crawl_now(plan.now)
    clock = clock or (lambda: crawl_now(plan.now))
    config = plan.config
    raise_file_limit()
    with (
        run_lock(config, now) as lock,
        Archive.open(config.archive, now=now) as archive,
        tempfile.TemporaryDirectory(prefix="tinmoi-hosts-") as ledger,
    ):
        archive.mark_killed_runs()
        run_id = archive.start_run(clock(), socket.gethostname(), os.getpid())
        try:
            children = Children()
            reports: list[CrawlReport] = []
            health: dict[str, str] = {}

            def record(report: CrawlReport, started: datetime, finished: datetime) -> None:
                warnings = robots_verdict(archive, report)
                reports.append(report)
                row = record_outcome(archive, run_id, report, started, finished, warnings)
                health[report.portal] = row["status"] if row else "ok"
                known = plan.scheduled and bool(
                    row and row["status"] == "unreachable" and not row["changed"]
                )
                console.report(report, warnings, known=known)

            with Stopper(children) as stopper:
                if plan.scheduled:
                    plan = replace(plan, portals=due_now(plan, archive, clock(), console))
                groups = _tasks(plan, record, clock)
                supervisor = Supervisor(
                    _run_options(plan, Path(ledger)),
                    _limits(plan, len(groups)),
                    record,
                    clock,
                    children=children,
                    stopped=lambda: stopper.requested,
                    progress=console.progress,
                    pass_fds=(lock.fd,) if lock.fd is not None else (),
                )
                supervisor.run(groups)
                code = finish(archive, run_id, plan, reports, health, clock, stopper.requested,
                              console.note)  # fmt: skip
        except BaseException:
            archive.finish_run(run_id, clock(), "error", 1)
            raise
    return code


def _tasks(
    plan: RunPlan, record: OnReport, clock: Callable[[], datetime]
) -> list[list[PortalTask]]:
    """The plan's host groups as worker tasks; a portal whose crawl cannot even be set up
    is reported dead at once."""
    groups = []
    for group in crawl_groups(plan):
        tasks = []
        for portal in group:
            try:
                tasks.append(portal_task(plan, portal))
            except Exception as exc:
                message = f"{portal}: the crawl could not run: {exc}"
                record(CrawlReport(portal, "dead", message), clock(), clock())
        if tasks:
            groups.append(tasks)
    return groups


def _run_options(plan: RunPlan, ledger: Path) -> RunOptions:
    config = plan.config
    log_dir = log_dir_for(config.archive, config.path.parent if config.path else None)
    log_dir.mkdir(parents=True, exist_ok=True)
    return RunOptions(
        db=config.archive,
        log_dir=str(log_dir),
        profile=plan.profile,
        now=plan.now,
        backfill=plan.backfill,
        refresh=plan.refresh,
        ledger=str(ledger),
        portal_seconds=config.portal_seconds,
        deadline=time.time() + config.run_seconds,
        min_seconds=MIN_PORTAL_SECONDS,
    )


def _limits(plan: RunPlan, groups: int) -> Limits:
    """Workers and their slots: ``jobs`` crawls at once over at most ``[limits] workers``
    processes (no more than there are host groups)."""
    config = plan.config
    jobs = max(1, min(plan.jobs or config.concurrency, groups or 1))
    workers = max(1, min(config.workers, jobs))
    return Limits(
        workers=workers,
        slots=-(-jobs // workers),
        worker_mb=config.worker_mb,
        stall_seconds=config.stall_seconds,
    )
