"""A portal's outcome recorded under its run, its health judged, and a run's end: the
same for a local run, a Scrapyd job and the coordinator."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from crawler.archive import Archive
from crawler.archive.health import FORBIDDEN_PREFIX
from crawler.run import CrawlReport
from feeds.build import build_feeds
from tinmoi.crawling import overall_exit
from tinmoi.plan import RunPlan


def record_outcome(
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


def robots_verdict(archive: Archive, report: CrawlReport) -> list[str]:
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
