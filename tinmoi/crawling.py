"""Run crawls, each in its own process (``python -m crawler.run``), and collect reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crawler.run import EXIT_ERROR, EXIT_FAILING, EXIT_OK, CrawlReport


@dataclass
class CrawlJob:
    """One portal to crawl and where its pages are fetched from."""

    portal: str
    base_url: str | None = None
    url_map: dict[str, str] = field(default_factory=dict)
    max_pages: int = 0


def run_crawl(
    job: CrawlJob,
    *,
    db: str,
    log_dir: Path,
    profile: str = "polite",
    now: str | None = None,
) -> CrawlReport:
    """Crawl one portal in a child process and return its report."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / f"{job.portal}.log"
    cmd = [sys.executable, "-m", "crawler.run", job.portal, "--profile", profile]
    cmd += ["-s", f"TINMOI_DB={db}", "-s", f"LOG_FILE={log_file}", "-s", "LOG_FILE_APPEND=False"]
    if now:
        cmd += ["-s", f"TINMOI_NOW={now}"]
    if job.base_url:
        cmd += ["-a", f"base_url={job.base_url}"]
    if job.url_map:
        cmd += ["-a", "url_map=" + ",".join(f"{k}={v}" for k, v in job.url_map.items())]
    if job.max_pages:
        cmd += ["-a", f"max_pages={job.max_pages}"]
    env = os.environ | {"SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    with tempfile.TemporaryDirectory(prefix="tinmoi-") as tmp:
        report_file = Path(tmp) / "report.json"
        proc = subprocess.run(
            [*cmd, "--report", str(report_file)],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if not report_file.exists():
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            return CrawlReport(
                portal=job.portal,
                status="dead",
                message=f"{job.portal}: the crawl stopped with an error: {last} (log: {log_file})",
            )
        data = json.loads(report_file.read_text(encoding="utf-8"))
    return CrawlReport(**data)


def run_crawls(
    jobs: list[CrawlJob],
    *,
    db: str,
    log_dir: Path,
    profile: str = "polite",
    now: str | None = None,
    on_report: Callable[[CrawlReport], None] | None = None,
) -> list[CrawlReport]:
    """Crawl every job in turn (each its own process); call ``on_report`` after each."""
    reports = []
    for job in jobs:
        report = run_crawl(job, db=db, log_dir=log_dir, profile=profile, now=now)
        reports.append(report)
        if on_report:
            on_report(report)
    return reports


def overall_exit(reports: list[CrawlReport]) -> int:
    """1 when nothing could be done, 3 when some portal failed, else 0."""
    if reports and all(r.status == "dead" for r in reports):
        return EXIT_ERROR
    if any(r.status != "ok" for r in reports):
        return EXIT_FAILING
    return EXIT_OK
