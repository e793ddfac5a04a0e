"""The run's crawl workers: feed them host groups, watch them, replace a stuck or bloated one.

A run crawls its portals in a few worker processes (``python -m tinmoi.worker``), each
holding many crawls at once in one reactor. The supervisor, outside them, hands each
worker host groups while it has a free slot, passes on what they report, and watches
them: a worker whose heartbeat stops for ``stall_seconds`` (a parse that never returns)
or whose resident memory passes ``worker_mb`` is killed. The portal whose code did it
(the worker's shared mark; for memory, the portal whose code grew the process most) is
recorded failing with the reason; the worker's other crawls in flight go on in a fresh
worker, their counts so far carried over; its groups not started go to a fresh worker.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from itertools import count
from pathlib import Path
from queue import Empty, Queue
from typing import IO, Any

from crawler.middlewares.watch import MARK_SIZE, read_mark
from crawler.run import CrawlReport
from tinmoi.crawling import Children, PortalTask, Progress, skipped
from tinmoi.worker import Group, RunOptions, Task, merge_partial

#: Called in the supervisor's thread for each portal's outcome: (report, started, finished).
OnReport = Callable[[CrawlReport, datetime, datetime], None]
#: How long a worker asked to end (SIGUSR1, after its last stats) has before SIGKILL.
DUMP_SECONDS = 2.0
#: A crawl in flight in this many killed workers is taken for their culprit.
MAX_KILLS = 3
#: A worker that has not said its reactor turns this long after it was started is killed.
START_SECONDS = 120
#: Workers that end without ever starting, in a row, before the run gives their portals up.
FAILED_STARTS = 2
#: How often the workers are checked.
WATCH_SECONDS = 0.3
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Limits:
    """How many workers, how many host groups each crawls at once, and when one is killed."""

    workers: int = 2
    slots: int = 4
    worker_mb: int = 1024
    stall_seconds: float = 60.0


@dataclass
class _Flight:
    task: Task
    started: datetime


@dataclass
class _Worker:
    proc: subprocess.Popen[bytes]
    marker: Path
    #: The tasks not started yet of each group the worker holds.
    groups: dict[int, deque[Task]] = field(default_factory=dict)
    flight: dict[str, _Flight] = field(default_factory=dict)
    spawned: float = field(default_factory=time.monotonic)
    #: When its reactor last said it turns (None: not started yet).
    last_beat: float | None = None
    stderr: deque[str] = field(default_factory=lambda: deque(maxlen=20))
    #: Why it is being killed, and the portal that made it (for a stall: its mark).
    killing: tuple[str, str] | None = None
    kill_at: float = 0.0
    dump: dict[str, Any] = field(default_factory=dict)
    closed: bool = False

    def send(self, group: Group) -> None:
        self.groups[group.id] = deque(group.tasks)
        self._write((group.to_json() + "\n").encode("utf-8"))

    def close_input(self) -> None:
        self.closed = True
        stdin = self.proc.stdin
        if stdin is not None:
            with contextlib.suppress(OSError):
                stdin.close()

    def _write(self, data: bytes) -> None:
        stdin = self.proc.stdin
        assert stdin is not None
        try:
            stdin.write(data)
            stdin.flush()
        except OSError:  # the worker died: its exit is handled when its stdout ends
            pass

    def resident_mb(self) -> float:
        try:
            statm = Path(f"/proc/{self.proc.pid}/statm").read_bytes()
        except OSError:
            return 0.0
        return int(statm.split()[1]) * _PAGE / 2**20


class Supervisor:
    """Crawl host groups in worker processes; report each portal once."""

    def __init__(
        self,
        run: RunOptions,
        limits: Limits,
        on_report: OnReport,
        clock: Callable[[], datetime],
        *,
        children: Children | None = None,
        stopped: Callable[[], str | None] = lambda: None,
        progress: Progress | None = None,
        pass_fds: tuple[int, ...] = (),
    ) -> None:
        self.run_options = run
        self.limits = limits
        self.on_report = on_report
        self.clock = clock
        self.children = children if children is not None else Children()
        self.stopped = stopped
        self.progress = progress
        self.pass_fds = pass_fds
        self.events: Queue[tuple[_Worker, dict[str, Any]]] = Queue()
        self.pending: deque[Group] = deque()
        self.live: list[_Worker] = []
        self.ids = count()
        self.unreported = 0
        self.failed_starts = 0
        self._tmp = Path(tempfile.mkdtemp(prefix="tinmoi-workers-"))

    def run(self, groups: list[list[PortalTask]]) -> None:
        """Crawl ``groups`` (each one host's portals, in order) until each portal is reported."""
        self.pending.extend(Group(next(self.ids), [Task(t) for t in g]) for g in groups if g)
        self.unreported = sum(len(g.tasks) for g in self.pending)
        try:
            while self.unreported or self.live:
                self._fill()
                try:
                    worker, event = self.events.get(timeout=WATCH_SECONDS)
                except Empty:
                    pass
                else:
                    self._handle(worker, event)
                self._watch()
        finally:
            for worker in self.live:
                worker.proc.kill()
            for path in self._tmp.iterdir():
                path.unlink()
            self._tmp.rmdir()

    def _fill(self) -> None:
        if why := self.stopped():
            while self.pending:
                for task in self.pending.popleft().tasks:
                    self._report(skipped(task.portal.portal, f"stopped by {why}"))
        for worker in self.live:
            while self.pending and len(worker.groups) < self.limits.slots and not worker.killing:
                worker.send(self.pending.popleft())
        while self.pending and len(self.live) < self.limits.workers:
            worker = self._spawn()
            while self.pending and len(worker.groups) < self.limits.slots:
                worker.send(self.pending.popleft())
        for worker in self.live:
            if not self.pending and not worker.groups and not worker.closed:
                worker.close_input()

    def _spawn(self) -> _Worker:
        marker = self._tmp / f"mark-{next(self.ids)}"
        marker.write_bytes(b"\0" * MARK_SIZE)
        cmd = [
            sys.executable, "-m", "tinmoi.worker",
            "--run", json.dumps(asdict(self.run_options)), "--marker", str(marker),
        ]  # fmt: skip
        proc = subprocess.Popen(
            cmd,
            env={"SCRAPY_SETTINGS_MODULE": "crawler.settings"} | os.environ,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=self.pass_fds,
        )
        worker = _Worker(proc, marker)
        self.children.running.append(proc)
        self.live.append(worker)
        threading.Thread(target=self._read, args=(worker,), daemon=True).start()
        threading.Thread(target=_drain, args=(proc.stderr, worker.stderr), daemon=True).start()
        return worker

    def _read(self, worker: _Worker) -> None:
        assert worker.proc.stdout is not None
        for line in worker.proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            self.events.put((worker, event))
        worker.proc.wait()
        self.events.put((worker, {"e": "exit"}))

    def _handle(self, worker: _Worker, event: dict[str, Any]) -> None:
        kind = event.get("e")
        if kind == "beat":
            worker.last_beat = time.monotonic()
            if self.progress is not None:
                for portal, counts in event.get("flight", {}).items():
                    if portal in worker.flight:
                        seconds = (self.clock() - worker.flight[portal].started).total_seconds()
                        self.progress(portal, counts, seconds)
        elif kind == "start":
            self._started(worker, event["portal"])
        elif kind == "report":
            report = CrawlReport(**event["report"])
            flight = worker.flight.pop(report.portal, None)
            self._report(report, flight.started if flight else None)
        elif kind == "group":
            worker.groups.pop(event["id"], None)
        elif kind == "dump":
            worker.dump = event
        elif kind == "exit":
            self._ended(worker)

    def _started(self, worker: _Worker, portal: str) -> None:
        for tasks in worker.groups.values():
            if tasks and tasks[0].portal.portal == portal:
                worker.flight[portal] = _Flight(tasks.popleft(), self.clock())
                return

    def _report(self, report: CrawlReport, started: datetime | None = None) -> None:
        self.unreported -= 1
        self.on_report(report, started or self.clock(), self.clock())

    def _watch(self) -> None:
        now = time.monotonic()
        for worker in self.live:
            if worker.killing:
                if worker.kill_at and now >= worker.kill_at:
                    worker.proc.kill()
                    worker.kill_at = 0.0
            elif worker.last_beat is None:
                if now - worker.spawned > START_SECONDS:
                    self._kill(worker, f"its crawl worker did not start in {START_SECONDS} s", "")
            elif now - worker.last_beat > self.limits.stall_seconds:
                reason = (
                    f"its code held its crawl worker for {self.limits.stall_seconds:g} s "
                    "without returning (a parse that never ends?)"
                )
                self._kill(worker, reason, read_mark(worker.marker))
            elif (mb := worker.resident_mb()) > self.limits.worker_mb:
                reason = (
                    f"its crawl worker grew to {mb:.0f} MB, past [limits] worker_mb "
                    f"({self.limits.worker_mb} MB)"
                )
                self._kill(worker, reason, "")

    def _kill(self, worker: _Worker, reason: str, culprit: str) -> None:
        worker.killing = (reason, culprit)
        worker.kill_at = time.monotonic() + DUMP_SECONDS
        with contextlib.suppress(OSError):
            worker.proc.send_signal(signal.SIGUSR1)

    def _ended(self, worker: _Worker) -> None:
        self.live.remove(worker)
        self.children.running.remove(worker.proc)
        self.failed_starts = self.failed_starts + 1 if worker.last_beat is None else 0
        if self.failed_starts >= FAILED_STARTS and not self.stopped():
            self._give_up(worker)
            return
        if worker.killing:
            self._killed(worker, *worker.killing)
        else:
            last = (list(worker.stderr) or ["no output"])[-1]
            for portal in worker.flight:
                if self.stopped():
                    message = f"{portal}: stopped before it finished"
                    self._report(CrawlReport(portal, "stopped", message))
                else:
                    message = (
                        f"{portal}: the crawl's worker stopped (exit code "
                        f"{worker.proc.returncode}): {last}"
                    )
                    self._report(CrawlReport(portal, "dead", message))
        rest = [list(tasks) for tasks in worker.groups.values() if tasks]
        self.pending.extendleft(Group(next(self.ids), tasks) for tasks in reversed(rest))

    def _give_up(self, worker: _Worker) -> None:
        """Workers cannot even start: every portal not reported yet is dead, with why."""
        last = (list(worker.stderr) or ["no output"])[-1]
        tasks = [task for tasks in worker.groups.values() for task in tasks]
        tasks += [task for group in self.pending for task in group.tasks]
        self.pending.clear()
        for task in tasks:
            name = task.portal.portal
            code = worker.proc.returncode
            message = f"{name}: the crawl worker could not start (exit code {code}): {last}"
            self._report(CrawlReport(name, "dead", message))

    def _killed(self, worker: _Worker, reason: str, culprit: str) -> None:
        grown: dict[str, int] = worker.dump.get("grown", {})
        if not culprit:
            growths = {p: grown.get(p, 0) for p in worker.flight}
            culprit = max(growths, key=lambda p: growths[p]) if any(growths.values()) else ""
        for portal, flight in worker.flight.items():
            # Beside a known culprit a crawl goes on elsewhere (a few times at most);
            # with none known, one already in flight at an earlier kill is taken for it.
            suspect = flight.task.kills >= (MAX_KILLS if culprit else 1)
            if portal == culprit or suspect:
                message = f"{portal}: stopped: {reason}"
                self._report(CrawlReport(portal, "failing", message), flight.started)
                continue
            partial = worker.dump.get("stats", {}).get(portal, {})
            carried = merge_partial(partial, flight.task.partial)
            task = Task(flight.task.portal, carried, flight.task.kills + 1)
            self.pending.appendleft(Group(next(self.ids), [task]))


def _drain(stream: IO[bytes] | None, lines: deque[str]) -> None:
    """Keep the last lines of a worker's stderr (and never let its pipe fill)."""
    if stream is None:
        return
    for line in stream:
        lines.append(line.decode("utf-8", "replace").rstrip())
