"""``tinmoi run --scrapyd URL,…``: a run whose crawls happen on Scrapyd nodes.

The coordinator takes the run lock and records the run as ``tinmoi run`` does, then
packs the host groups (:func:`tinmoi.plan.crawl_groups`: a host's portals crawl one after
another, so its delay holds) into a few jobs per node, each job crawling its groups at
once in one Scrapy process, on the live node with the fewest portals, pinned to the
coordinator's own code version. It polls the nodes, reads each portal's outcome from the
shared archive (the job records it under the run id), cancels jobs past their time limit,
hands a dead node's unstarted portals to a live node (the portals it was crawling are
marked failing) and builds the feeds once at the end.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select

from crawler.archive import Archive
from crawler.archive.schema import run_portals
from crawler.clock import crawl_now
from crawler.run import CrawlReport
from tinmoi.console import Console
from tinmoi.crawling import skipped
from tinmoi.lock import run_lock
from tinmoi.outcomes import finish, record_outcome
from tinmoi.plan import RunPlan, crawl_groups, due_now, portal_task
from tinmoi.scrapyd import BATCH_SPIDER
from tinmoi.scrapyd.batch import Batch
from tinmoi.scrapyd.client import Node, NodeError
from tinmoi.scrapyd.deploy import current_version

#: Seconds between two polls of the nodes.
POLL_SECONDS = 2.0
#: A node that has not answered for this long is dead.
DEAD_AFTER = 60.0
#: Seconds a job gets beyond its portals' time limits (start-up, recording).
JOB_GRACE = 60.0
#: Seconds a cancelled job gets to stop cleanly before it is killed.
CANCEL_GRACE = 30.0
#: Job ids: ``tinmoi-r<run id>-<n>``, so a later coordinator knows them.
JOB_PREFIX = "tinmoi-r"
#: Jobs per live node a run's host groups are packed into (Scrapyd's ``max_proc``, one
#: a core, is what a node runs at once; two keep a dead node's loss to half its work).
JOBS_PER_NODE = 2
#: Host groups one job crawls at once at most (a worker's share of ``[limits]
#: concurrency`` on one core); more groups make more jobs.
GROUPS_PER_JOB = 32


@dataclass
class Job:
    """One scheduled batch."""

    id: str
    node: Node
    groups: list[list[str]]
    seen_running: float | None = None
    cancelled: float | None = None
    killed: bool = False
    log_url: str = ""

    @property
    def portals(self) -> list[str]:
        """The job's portals, group after group."""
        return [portal for group in self.groups for portal in group]


@dataclass
class NodeState:
    """What the coordinator knows of a node."""

    node: Node
    silent_since: float | None = None
    dead: bool = False
    jobs: dict[str, Job] = field(default_factory=dict)


def usable_nodes(urls: list[str], version: str, console: Console) -> list[Node]:
    """The nodes that answer and hold ``version``; a note for each of the others."""
    found = []
    for url in urls:
        node = Node(url)
        try:
            held = node.versions()
        except NodeError as exc:
            console.note(f"{exc}: left out of this run")
            continue
        if version not in held:
            console.note(
                f"{node.name} has not got tinmoi {version} (it has {', '.join(held) or 'none'}): "
                "left out of this run; run tinmoi deploy"
            )
            continue
        found.append(node)
    return found


def pack(groups: list[list[str]], jobs: int) -> list[list[list[str]]]:
    """``groups`` dealt into at most ``jobs`` jobs (more when a job would hold more than
    :data:`GROUPS_PER_JOB`), the longest groups first, each to the job with the fewest
    portals: the jobs end at about the same time."""
    count = max(1, min(len(groups), max(jobs, -(-len(groups) // GROUPS_PER_JOB))))
    packed: list[list[list[str]]] = [[] for _ in range(count)]
    for group in sorted(groups, key=len, reverse=True):
        min(packed, key=lambda job: sum(map(len, job))).append(group)
    return [job for job in packed if job]


def cancel_leftovers(nodes: list[Node], console: Console, poll: float = POLL_SECONDS) -> None:
    """Cancel the tinmoi jobs an earlier coordinator left (this one holds the lock, so
    that one is gone) and wait until they are over, killing those still running
    :data:`CANCEL_GRACE` seconds later: a leftover never crawls a host beside this run."""
    left: dict[Node, list[str]] = {}
    for node in nodes:
        jobs = node.jobs()
        for job in [*jobs.pending, *jobs.running]:
            if job.startswith(JOB_PREFIX):
                node.cancel(job)
                left.setdefault(node, []).append(job)
                console.note(f"{node.name}: cancelled job {job}, left by an earlier run")
    cancelled, killed = time.monotonic(), False
    while left:
        waited = time.monotonic() - cancelled
        for node, ids in list(left.items()):
            jobs = node.jobs()
            ids[:] = [job for job in ids if jobs.state(job) in ("pending", "running")]
            if ids and waited > 2 * CANCEL_GRACE:
                console.note(f"{node.name}: {', '.join(ids)} still running after a kill")
                ids.clear()
            elif ids and not killed and waited > CANCEL_GRACE:
                for job in ids:
                    node.cancel(job, "KILL")
            if not ids:
                del left[node]
        killed = killed or waited > CANCEL_GRACE
        if left:
            time.sleep(poll)


class Coordinator:
    """Schedule the batches of one run, follow them to their end, record what the nodes
    could not."""

    def __init__(
        self,
        plan: RunPlan,
        archive: Archive,
        run_id: int,
        nodes: list[Node],
        version: str,
        console: Console,
        clock: Callable[[], datetime],
        poll: float = POLL_SECONDS,
        dead_after: float = DEAD_AFTER,
    ) -> None:
        self.plan, self.archive, self.run_id = plan, archive, run_id
        self.states = [NodeState(node) for node in nodes]
        self.version, self.console, self.clock, self.poll = version, console, clock, poll
        self.dead_after = dead_after
        self.deadline = time.time() + plan.config.run_seconds
        self.stop_signal: str | None = None
        self.reports: dict[str, CrawlReport] = {}
        self._count = 0

    # Scheduling ---------------------------------------------------------------------------

    def schedule_all(self, groups: list[list[str]]) -> None:
        """Pack ``groups`` into jobs (:func:`pack`) for the live nodes and queue them."""
        live = sum(not state.dead for state in self.states)
        for job in pack(groups, max(1, live) * JOBS_PER_NODE):
            self.schedule(job)

    def schedule(self, groups: list[list[str]]) -> None:
        """Queue one job of ``groups`` (crawled at once, each group's portals in order) on
        the least loaded live node."""
        live = [s for s in self.states if not s.dead]
        if not live:
            for portal in (p for group in groups for p in group):
                message = f"{portal}: no live Scrapyd node left to crawl it"
                self._conclude(CrawlReport(portal, "dead", message))
            return
        state = min(live, key=lambda s: sum(len(j.portals) for j in s.jobs.values()))
        self._count += 1
        job = Job(f"{JOB_PREFIX}{self.run_id}-{self._count}", state.node, groups)
        batch = Batch(
            run_id=self.run_id,
            groups=[[portal_task(self.plan, portal) for portal in group] for group in groups],
            profile=self.plan.profile,
            now=self.plan.now,
            backfill=self.plan.backfill,
            refresh=self.plan.refresh,
            portal_seconds=self.plan.config.portal_seconds,
            deadline=self.deadline,
        )
        try:
            state.node.schedule(BATCH_SPIDER, job.id, self.version, {"batch": batch.to_json()})
        except NodeError as exc:
            self.console.note(f"{exc}: its portals go to another node")
            state.dead = True
            self.schedule(groups)
            return
        state.jobs[job.id] = job

    # Following ----------------------------------------------------------------------------

    def follow(self) -> None:
        """Poll until every job is over."""
        while any(state.jobs for state in self.states):
            self._read_outcomes()
            for state in self.states:
                if state.jobs:
                    self._poll(state)
            self._enforce_limits()
            if any(state.jobs for state in self.states):
                time.sleep(self.poll)
        self._read_outcomes()

    def _poll(self, state: NodeState) -> None:
        try:
            jobs = state.node.jobs()
        except NodeError as exc:
            now = time.monotonic()
            state.silent_since = state.silent_since or now
            if now - state.silent_since >= self.dead_after:
                self.console.note(f"{exc}: the node is taken as dead")
                state.dead = True
                for job in list(state.jobs.values()):
                    self._lost(state, job, f"its node {state.node.name} stopped answering")
            return
        state.silent_since = None
        for job in list(state.jobs.values()):
            where = jobs.state(job.id)
            if where == "running":
                job.seen_running = job.seen_running or time.monotonic()
                job.log_url = job.log_url or str(jobs.running[job.id].get("log_url") or "")
            elif where == "finished":
                job.log_url = str(jobs.finished[job.id].get("log_url") or job.log_url)
                job.seen_running = job.seen_running or time.monotonic()
                self._lost(state, job, "its job ended without recording it")
            elif where is None:
                self._lost(state, job, f"its job vanished from {state.node.name}")

    def _lost(self, state: NodeState, job: Job, why: str) -> None:
        """A job that is over, or will never report: the portals it recorded are done; in
        each group, the first one it did not was in flight if the job ran (dead, or
        failing when the node died); the rest go to a live node, unless the run is
        stopping."""
        del state.jobs[job.id]
        self._read_outcomes()
        left = []
        for group in job.groups:
            missing = [p for p in group if p not in self.reports]
            if missing and job.seen_running is not None:
                first, missing = missing[0], missing[1:]
                status = "failing" if state.dead else "dead"
                log = f" (log: {state.node.name}{job.log_url})" if job.log_url else ""
                self._conclude(CrawlReport(first, status, f"{first}: {why} during its crawl{log}"))
            if missing:
                left.append(missing)
        if not left:
            return
        if self.stop_signal or job.cancelled is not None:
            why = f"stopped by {self.stop_signal}" if self.stop_signal else "the run's time limit"
            for portal in (p for group in left for p in group):
                self._conclude(skipped(portal, why))
        else:
            self.schedule_all(left)

    def _enforce_limits(self) -> None:
        """Cancel jobs past their time limit or the run's, and every job on a stop; kill
        those that have not stopped ``CANCEL_GRACE`` seconds later."""
        now = time.monotonic()
        over_run = time.time() > self.deadline + JOB_GRACE
        for state in self.states:
            for job in state.jobs.values():
                longest = max(map(len, job.groups))
                limit = longest * self.plan.config.portal_seconds + JOB_GRACE
                late = job.seen_running is not None and now - job.seen_running > limit
                if job.cancelled is None and (self.stop_signal or over_run or late):
                    self._cancel(state, job, "INT")
                    job.cancelled = now
                elif (
                    job.cancelled is not None
                    and not job.killed
                    and (now - job.cancelled > CANCEL_GRACE)
                ):
                    self._cancel(state, job, "KILL")
                    job.killed = True

    def _cancel(self, state: NodeState, job: Job, how: str) -> None:
        try:
            state.node.cancel(job.id, how)
        except NodeError as exc:
            self.console.note(str(exc))

    # Outcomes -----------------------------------------------------------------------------

    def _read_outcomes(self) -> None:
        """Report the portals whose outcome the nodes recorded since the last look."""
        query = select(run_portals).where(run_portals.c.run_id == self.run_id)
        with self.archive.engine.connect() as conn:
            rows = list(conn.execute(query).mappings())
        for row in rows:
            if row["portal"] not in self.reports:
                report = CrawlReport(
                    row["portal"], row["status"], row["message"], requests=row["requests"],
                    new=row["new"], updated=row["updated"], dropped=dict(row["dropped"]),
                )  # fmt: skip
                self.reports[row["portal"]] = report
                self.console.report(report)

    def _conclude(self, report: CrawlReport) -> None:
        """Record an outcome no node could: a lost crawl, a portal never crawled."""
        now = self.clock()
        record_outcome(self.archive, self.run_id, report, now, now)
        self.reports[report.portal] = report
        self.console.report(report)


@contextmanager
def _stopping(coordinator: Coordinator) -> Iterator[None]:
    """On SIGTERM or SIGINT, cancel the run's jobs (the loop does it) instead of dying."""

    def handle(signum: int, _frame: Any) -> None:
        coordinator.stop_signal = signal.Signals(signum).name

    previous = {s: signal.signal(s, handle) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def execute_on_nodes(
    plan: RunPlan,
    urls: list[str],
    console: Console,
    clock: Callable[[], datetime] | None = None,
    poll: float = POLL_SECONDS,
    dead_after: float = DEAD_AFTER,
) -> int:
    """Carry out ``plan`` on the Scrapyd nodes at ``urls``; return the exit code. A node
    silent for ``dead_after`` seconds is dead."""
    now = crawl_now(plan.now)
    clock = clock or (lambda: crawl_now(plan.now))
    config = plan.config
    version = current_version()
    with run_lock(config, now), Archive.open(config.archive, now=now) as archive:
        archive.mark_killed_runs()
        run_id = archive.start_run(clock(), socket.gethostname(), os.getpid())
        try:
            nodes = usable_nodes(urls, version, console)
            if not nodes:
                raise NodeError(f"no Scrapyd node can run tinmoi {version}")
            cancel_leftovers(nodes, console, poll)
            if plan.scheduled:
                plan = replace(plan, portals=due_now(plan, archive, clock(), console))
            coordinator = Coordinator(
                plan, archive, run_id, nodes, version, console, clock, poll, dead_after
            )
            with _stopping(coordinator):
                coordinator.schedule_all(crawl_groups(plan))
                coordinator.follow()
                health = {name: row["status"] for name, row in archive.portal_health().items()}
                reports = list(coordinator.reports.values())
                stopped = coordinator.stop_signal
                code = finish(archive, run_id, plan, reports, health, clock, stopped, console.note)
        except BaseException:
            archive.finish_run(run_id, clock(), "error", 1)
            raise
    return code
