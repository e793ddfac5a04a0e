"""Run crawls, each in its own process (``python -m crawler.run``), and collect reports."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.run import EXIT_ERROR, EXIT_FAILING, EXIT_OK, CrawlReport

#: Called about twice a second while a crawl runs: (portal, counts, seconds).
Progress = Callable[[str, dict[str, int], float], None]


@dataclass
class CrawlJob:
    """One portal to crawl, where its pages are fetched from, and how."""

    portal: str
    base_url: str | None = None
    url_map: dict[str, str] = field(default_factory=dict)
    max_pages: int = 0
    aliases: tuple[str, ...] = ()
    settings: dict[str, str] = field(default_factory=dict)


@dataclass
class CrawlOptions:
    """What every crawl of one command shares."""

    db: str
    log_dir: Path
    profile: str = "polite"
    now: str | None = None
    backfill: bool = False
    refresh: bool = False
    timeout: float | None = None
    pass_fds: tuple[int, ...] = ()
    #: The run's host ledger (``crawler/middlewares/politeness.py``), shared by its crawls.
    ledger: Path | None = None


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


def _command(job: CrawlJob, options: CrawlOptions, report: Path, progress: Path) -> list[str]:
    cmd = [sys.executable, "-m", "crawler.run", job.portal, "--profile", options.profile]
    settings = {
        "TINMOI_DB": options.db,
        "LOG_FILE": str(options.log_dir / f"{job.portal}.log"),
        "LOG_FILE_APPEND": "False",
        "TINMOI_PROGRESS_FILE": str(progress),
        "TINMOI_MODE": "backfill" if options.backfill else "incremental",
        "TINMOI_REFRESH": str(options.refresh),
        **({"TINMOI_NOW": options.now} if options.now else {}),
        **({"CLOSESPIDER_TIMEOUT": str(int(options.timeout))} if options.timeout else {}),
        **({"TINMOI_HOST_LEDGER": str(options.ledger)} if options.ledger else {}),
        **job.settings,
    }
    for name, value in settings.items():
        cmd += ["-s", f"{name}={value}"]
    if job.base_url:
        cmd += ["-a", f"base_url={job.base_url}"]
    if job.url_map:
        cmd += ["-a", "url_map=" + ",".join(f"{k}={v}" for k, v in job.url_map.items())]
    if job.aliases:
        cmd += ["-a", "aliases=" + ",".join(job.aliases)]
    if job.max_pages:
        cmd += ["-a", f"max_pages={job.max_pages}"]
    return [*cmd, "--report", str(report)]


def run_crawl(
    job: CrawlJob,
    options: CrawlOptions,
    *,
    children: Children | None = None,
    progress: Progress | None = None,
) -> CrawlReport:
    """Crawl one portal in a child process and return its report."""
    options.log_dir.mkdir(parents=True, exist_ok=True)
    rotate_log(options.log_dir / f"{job.portal}.log")
    env = os.environ | {"SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tinmoi-") as tmp:
        report_file, progress_file = Path(tmp) / "report.json", Path(tmp) / "progress.json"
        proc = subprocess.Popen(
            _command(job, options, report_file, progress_file),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            pass_fds=options.pass_fds,
        )
        if children is not None:
            children.running.append(proc)
        try:
            while True:
                try:
                    _, stderr = proc.communicate(timeout=0.5)
                    break
                except subprocess.TimeoutExpired:
                    if progress is not None and progress_file.exists():
                        counts = _read_counts(progress_file)
                        progress(job.portal, counts, time.monotonic() - started)
        finally:
            if children is not None:
                children.running.remove(proc)
        if not report_file.exists():
            if proc.returncode in (-signal.SIGTERM, -signal.SIGINT):
                message = f"{job.portal}: stopped before it finished"
                return CrawlReport(portal=job.portal, status="stopped", message=message)
            last = (stderr.strip().splitlines() or ["no output"])[-1]
            log = options.log_dir / f"{job.portal}.log"
            return CrawlReport(
                portal=job.portal,
                status="dead",
                message=f"{job.portal}: the crawl stopped with an error: {last} (log: {log})",
            )
        data = json.loads(report_file.read_text(encoding="utf-8"))
    return CrawlReport(**data)


def _read_counts(path: Path) -> dict[str, int]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


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
