"""A run: lock, crawl portals in worker processes (many at once, one host at a time),
record, judge health, build feeds."""

from __future__ import annotations

import os
import resource
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from crawler.archive import Archive
from crawler.archive.health import FORBIDDEN_PREFIX
from crawler.archive.store import database_url
from crawler.clock import crawl_now
from crawler.run import CrawlReport
from feeds.build import build_feeds
from tinmoi.config import Config
from tinmoi.crawling import Children, CrawlJob, overall_exit
from tinmoi.lock import run_lock
from tinmoi.politeness import group_by_host, host_of, politeness_keys
from tinmoi.schedule import due_portals
from tinmoi.scrapyd.batch import PortalTask
from tinmoi.supervisor import Limits, OnReport, Supervisor
from tinmoi.worker import RunOptions

#: A portal is not started with less than this many seconds left of the run's time.
MIN_PORTAL_SECONDS = 10


@dataclass
class RunPlan:
    """What one ``tinmoi crawl`` or ``tinmoi run`` is asked to do."""

    config: Config
    portals: list[str]
    build: bool
    profile: str = "polite"
    now: str | None = None
    backfill: bool = False
    refresh: bool = False
    max_pages: int = 0
    base_urls: dict[str, str] = field(default_factory=dict)
    url_map: dict[str, str] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    #: Portals crawled at once (0: ``[limits] concurrency``).
    jobs: int = 0
    #: Crawl only the portals that are due (``every``): ``tinmoi run``, not ``tinmoi crawl``.
    scheduled: bool = False


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


def _job(plan: RunPlan, portal: str) -> CrawlJob:
    override = plan.config.overrides.get(portal)
    settings = {}
    if plan.config.contact:
        settings["USER_AGENT"] = (
            f"tinmoi/0.1 (+https://github.com/tinmoi/tinmoi; {plan.config.contact})"
        )
    if override and override.delay is not None:
        settings["DOWNLOAD_DELAY"] = str(override.delay)
    settings.update(plan.settings)
    return CrawlJob(
        portal,
        base_url=plan.base_urls.get(portal) or (override.base_url if override else None),
        url_map={**(override.url_map if override else {}), **plan.url_map},
        max_pages=plan.max_pages,
        aliases=override.aliases if override else (),
        settings=settings,
    )


def fetch_hosts(plan: RunPlan, portal: str) -> list[str]:
    """The host names ``portal`` is fetched from: its base URL's first, then those its URL
    map sends requests to."""
    job = _job(plan, portal)
    public = _public_base(portal)
    base = job.base_url or job.url_map.get(public, "") or public
    hosts = [host_of(base), *(host_of(url) for url in job.url_map.values())]
    return list(dict.fromkeys(host for host in hosts if host))


def crawl_groups(plan: RunPlan) -> list[list[str]]:
    """The plan's portals grouped by the host they are fetched from (``[limits]
    politeness``), in plan order: a group's portals are crawled one after another, so a
    host's delay and ``Retry-After`` hold across them."""
    hosts = {portal: next(iter(fetch_hosts(plan, portal)), "") for portal in plan.portals}
    return group_by_host(hosts, plan.config.politeness)


def _slot_setting(plan: RunPlan, portal: str) -> dict[str, str]:
    """``TINMOI_SLOTS`` for ``portal``'s crawl: with ``politeness = "ip"``, its host names
    keyed on their address, so its crawl and the ledger treat one server as one host."""
    if plan.config.politeness != "ip":
        return {}
    keys = politeness_keys(fetch_hosts(plan, portal), "ip")
    pairs = ",".join(f"{host}={key}" for host, key in keys.items() if host != key)
    return {"TINMOI_SLOTS": pairs} if pairs else {}


def _public_base(portal: str) -> str:
    from tinmoi.portals import spider_class

    return str(getattr(spider_class(portal), "base_url", ""))


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
                warnings = _robots_verdict(archive, report)
                reports.append(report)
                row = _record(archive, run_id, report, started, finished, warnings)
                health[report.portal] = row["status"] if row else "ok"
                known = plan.scheduled and bool(
                    row and row["status"] == "unreachable" and not row["changed"]
                )
                console.report(report, warnings, known=known)

            with Stopper(children) as stopper:
                if plan.scheduled:
                    plan = replace(plan, portals=_due(plan, archive, clock(), console))
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


def finish(
    archive: Archive,
    run_id: int,
    plan: RunPlan,
    reports: list[CrawlReport],
    health: dict[str, str],
    clock: Callable[[], datetime],
    stopped: str | None,
    note: Callable[[str], None],
) -> int:
    """The end of a run, local or on Scrapyd: build the feeds (when asked), judge the exit
    code from the reports and the portals' health, note a stop, and record the run's end.
    The exit code."""
    config = plan.config
    if plan.build:
        build_feeds(
            archive,
            config.output,
            limit=config.limit,
            site_url=config.site_url,
            searches=config.searches,
        )
    code = overall_exit([r for r in reports if r.status != "skipped"], health)
    if stopped:
        note(f"stopped by {stopped}; feeds rebuilt from the archive")
    status = "stopped" if stopped else {0: "ok", 1: "error", 3: "failing"}[code]
    archive.finish_run(run_id, clock(), status, code)
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
                job = _job(plan, portal)
            except Exception as exc:
                message = f"{portal}: the crawl could not run: {exc}"
                record(CrawlReport(portal, "dead", message), clock(), clock())
                continue
            settings = {**_slot_setting(plan, portal), **job.settings}
            tasks.append(
                PortalTask(
                    portal, job.base_url, job.url_map, list(job.aliases), job.max_pages, settings
                )
            )
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


def _due(plan: RunPlan, archive: Archive, now: datetime, console: Console) -> list[str]:
    """The plan's portals due at ``now`` (:func:`tinmoi.schedule.due_portals`)."""
    due, later = due_portals(
        plan.portals, plan.config.every_of, archive.last_crawled(), archive.portal_health(), now
    )
    for portal, when in later.items():
        console.later(portal, when)
    return due


def _robots_verdict(archive: Archive, report: CrawlReport) -> list[str]:
    """Sections robots.txt forbids: a warning on each run; the portal failing when one that
    holds archived articles was forbidden on its previous crawl too. The warnings left."""
    if not report.forbidden:
        return []
    again = (
        archive.forbidden_again(report.portal, report.forbidden) if report.status == "ok" else {}
    )
    if again:
        them = "it" if len(again) == 1 else "them"
        report.status = "failing"
        report.at_once = True  # the second run running already
        report.message = (
            f"{report.portal}: robots.txt forbids the listing of {', '.join(again)} for the "
            f"second run running ({sum(again.values())} articles archived from {them})"
        )
    rest = [s for s in report.forbidden if s not in again]
    return [f"robots.txt forbids the listing of {', '.join(rest)}"] if rest else []


def _record(
    archive: Archive,
    run_id: int,
    report: CrawlReport,
    started: datetime,
    finished: datetime,
    warnings: Sequence[str] = (),
) -> dict[str, Any] | None:
    """Record a crawl's results, and judge the portal's health from it (its health row;
    None for a crawl stopped or not started)."""
    stats = report.stats
    archive.record_run_portal(
        run_id,
        {
            "portal": report.portal,
            "started": started,
            "finished": finished,
            "status": report.status,
            "message": "; ".join([report.message, *warnings]),
            "requests": report.requests,
            "not_modified": int(stats.get("tinmoi/listing/not_modified", 0)),
            "new": report.new,
            "updated": report.updated,
            "revisited": int(stats.get("tinmoi/incremental/revisited", 0)),
            "dropped": report.dropped | {f"{FORBIDDEN_PREFIX}{s}": 1 for s in report.forbidden},
            "errors": int(stats.get("log_count/ERROR", 0)),
        },
    )
    if report.status not in ("ok", "failing", "dead"):
        return None
    return archive.record_health(
        report.portal, report.status, report.message, finished, report.at_once
    )
