"""``tinmoi status``: the last runs and each portal's health, for people and monitors."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, TextIO

from tinmoi.durations import parse_duration
from tinmoi.schedule import due_at


def duration(text: str) -> timedelta:
    """``90s``, ``15m``, ``2h``, ``1d``, ``1h30m`` as a timedelta (argparse type)."""
    found = parse_duration(text)
    if not found:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration like 30m, 2h or 1d")
    return found


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def with_next_tries(
    health: dict[str, dict[str, Any]],
    last_crawled: Mapping[str, datetime],
    every_of: Callable[[str], timedelta | None],
) -> dict[str, dict[str, Any]]:
    """``health`` with, for each unreachable portal, when ``tinmoi run`` tries it next
    (``next_try``, :func:`tinmoi.schedule.due_at`)."""
    return {
        name: {**row, "next_try": due_at(last_crawled.get(name), every_of(name), row)}
        if row["status"] == "unreachable"
        else row
        for name, row in health.items()
    }


def with_killed(runs: list[dict[str, Any]], lock_held: bool) -> list[dict[str, Any]]:
    """``runs`` (newest first) with those still marked running shown as killed: all of
    them while the run lock is free, all but the newest while it is held."""
    shown, live = [], lock_held
    for run in runs:
        if run["status"] == "running":
            if not live:
                run = {**run, "status": "killed"}
            live = False
        shown.append(run)
    return shown


def status_json(
    runs: list[dict[str, Any]],
    health: dict[str, dict[str, Any]],
    last_good: datetime | None,
    held: dict[str, tuple[int, datetime]] | None = None,
    resumes: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Runs, health, held revisions, walks cut short and the last good run as plain JSON
    values."""
    return {
        "last_good_run": _iso(last_good),
        "incomplete_walks": {
            name: {
                section: {"next_url": r.next_url or None, "next_page": r.next_page or None}
                for section, r in sections.items()
            }
            for name, sections in (resumes or {}).items()
        },
        "held_revisions": {
            name: {"articles": count, "oldest": _iso(oldest)}
            for name, (count, oldest) in (held or {}).items()
        },
        "portals": {
            name: {key: _iso(value) for key, value in row.items() if key != "portal"}
            for name, row in sorted(health.items())
        },
        "runs": [
            {
                **{k: _iso(v) for k, v in run.items() if k != "portals"},
                "portals": [{k: _iso(v) for k, v in p.items()} for p in run["portals"]],
            }
            for run in runs
        ],
    }


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def _health_words(state: dict[str, Any]) -> str:
    """``failing  since …``; ``unreachable since …, next try …``; ``ok`` with a failed
    crawl counted when the next one decides."""
    status = state.get("status", "—")
    if status == "unreachable":
        words = f"unreachable since {_when(state.get('unreachable_since'))}"
        return words + f", next try {_when(state['next_try'])}" if state.get("next_try") else words
    words = f"{status:<8} since {_when(state.get('since'))}"
    if status == "ok" and state.get("failures"):
        words += " (1 failed crawl: failing if the next one fails too)"
    return words


def print_status(
    runs: list[dict[str, Any]],
    health: dict[str, dict[str, Any]],
    stream: TextIO,
    held: dict[str, tuple[int, datetime]] | None = None,
    resumes: Mapping[str, Mapping[str, Any]] | None = None,
) -> None:
    """Two tables: recent runs, then portals with their health and latest result; then
    the sections whose last walk was cut short (``--max-pages``, a time limit, a stop),
    and the portals with fetches held back (a body much shorter than the archived one)."""
    print("Runs", file=stream)
    if not runs:
        print("  no run yet", file=stream)
    for run in runs:
        new = sum(p["new"] for p in run["portals"])
        updated = sum(p["updated"] for p in run["portals"])
        requests = sum(p["requests"] for p in run["portals"])
        print(
            f"  #{run['id']:<4} {_when(run['started'])} → {_when(run['finished'])}  "
            f"{run['status']:<8} {len(run['portals'])} portals, {new} new, {updated} updated, "
            f"{requests} requests",
            file=stream,
        )
    latest = {p["portal"]: p for run in reversed(runs) for p in run["portals"]}
    names = sorted(set(health) | set(latest))
    print("\nPortals", file=stream)
    if not names:
        print("  none crawled yet", file=stream)
    width = max((len(n) for n in names), default=0)
    for name in names:
        state = health.get(name, {})
        last = latest.get(name)
        summary = last["message"].split(": ", 1)[-1] if last else "—"
        print(f"  {name:<{width}}  {_health_words(state)}  last: {summary}", file=stream)
    if resumes:
        print("\nIncomplete walks", file=stream)
        rows = [(f"{name} {slug}", r) for name, got in resumes.items() for slug, r in got.items()]
        width = max(len(where) for where, _ in rows)
        for where, resume in rows:
            rest = f" from page {resume.next_page}" if resume.next_url else " (first pages)"
            print(f"  {where:<{width}}  incomplete, resumes next run{rest}", file=stream)
    if held:
        print("\nHeld revisions", file=stream)
        width = max(len(name) for name in held)
        for name, (count, oldest) in sorted(held.items()):
            print(
                f"  {name:<{width}}  {count} held (the oldest since {_when(oldest)})", file=stream
            )


def coverage_json(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """:meth:`~crawler.archive.Archive.coverage` as plain JSON values."""
    return [{key: _iso(value) for key, value in row.items()} for row in rows]


def print_coverage(rows: list[dict[str, Any]], stream: TextIO) -> None:
    """How far back the archive reaches, per portal and section."""
    print("\nCoverage", file=stream)
    if not rows:
        print("  no article yet", file=stream)
        return
    width = max(len(f"{row['portal']} {row['section']}") for row in rows)
    for row in rows:
        where = f"{row['portal']} {row['section']}"
        walked = row["walked_to_end"]
        reach = (
            f"walked to its end {_when(walked)}"
            if walked
            else "never walked to its end: older articles may be missing (resumes next run)"
        )
        print(
            f"  {where:<{width}}  {row['articles']:>6} articles  {_when(row['oldest'])} → "
            f"{_when(row['newest'])}  {reach}",
            file=stream,
        )
