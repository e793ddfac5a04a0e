"""Portal health without flapping, and dead portals retried on a backoff across runs."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta

import feedparser
import pytest

from crawler.archive import Archive
from tests.conftest import NOW, free_port, map_args, tinmoi
from tinmoi.schedule import due_portals, wait_after
from tinmoi.snapshot import SnapshotSite, snapshot_dir

T0 = datetime.fromisoformat(NOW)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_a_portal_is_failing_from_its_second_failed_crawl_and_ok_at_its_first_good_one(
    archive_url,
):
    verdicts = [
        ("failing", False),  # 0: one failed crawl is not enough
        ("failing", False),  # 1: the second in a row is: failing
        ("failing", False),  # 2: still failing, no new event
        ("ok", False),  # 3: recovered at once
        ("failing", False),  # 4: one failed crawl after a good one
        ("ok", False),  # 5: never marked, so no event
        ("failing", True),  # 6: a listing with no articles at all: failing at once
        ("ok", False),  # 7
        ("dead", False),  # 8: one dead crawl
        ("dead", False),  # 9: the second: unreachable
        ("dead", False),  # 10
        ("failing", False),  # 11: reachable again but broken: failing
        ("dead", False),  # 12: dead once after failing: still failing
        ("ok", False),  # 13
    ]
    with Archive.open(archive_url, now=T0) as archive:
        seen = []
        for hour, (verdict, at_once) in enumerate(verdicts):
            row = archive.record_health("p", verdict, f"{verdict} {hour}", at(hour), at_once)
            seen.append((row["status"], row["failures"], row["dead_runs"], row["changed"]))
        assert seen == [
            ("ok", 1, 0, False),
            ("failing", 2, 0, True),
            ("failing", 3, 0, False),
            ("ok", 0, 0, True),
            ("ok", 1, 0, False),
            ("ok", 0, 0, False),
            ("failing", 1, 0, True),
            ("ok", 0, 0, True),
            ("ok", 1, 1, False),
            ("unreachable", 2, 2, True),
            ("unreachable", 3, 3, False),
            ("failing", 4, 0, True),
            ("failing", 5, 1, False),
            ("ok", 0, 0, True),
        ]
        events = [(e["status"], e["at"], e["reason"]) for e in archive.health_events()]
        assert events == [
            ("ok", at(13), "ok 13"),
            ("failing", at(11), "failing 11"),
            ("unreachable", at(9), "dead 9"),
            ("ok", at(7), "ok 7"),
            ("failing", at(6), "failing 6"),
            ("ok", at(3), "ok 3"),
            ("failing", at(1), "failing 1"),
        ]
        archive.record_health("p", "dead", "dead 14", at(14))
        row = archive.portal_health()["p"]
        assert (row["status"], row["since"], row["unreachable_since"], row["last_ok"]) == (
            "ok", at(13), at(14), at(13),
        )  # fmt: skip


@pytest.mark.parametrize(
    ("every", "dead_runs", "wait"),
    [
        (timedelta(hours=1), 0, timedelta(hours=1)),
        (timedelta(hours=1), 1, timedelta(hours=1)),
        (timedelta(hours=1), 2, timedelta(hours=2)),
        (timedelta(hours=1), 3, timedelta(hours=4)),
        (timedelta(hours=1), 5, timedelta(hours=16)),
        (timedelta(hours=1), 6, timedelta(hours=24)),
        (timedelta(hours=1), 40, timedelta(hours=24)),
        (timedelta(days=2), 3, timedelta(days=2)),
        (None, 0, None),
        (None, 1, None),
        (None, 2, timedelta(hours=1)),
        (None, 3, timedelta(hours=2)),
    ],
)
def test_a_dead_portal_waits_twice_longer_after_each_dead_crawl_up_to_a_day(every, dead_runs, wait):
    assert wait_after(every, dead_runs) == wait


def test_only_the_portals_whose_wait_is_over_are_due():
    every = {"a": timedelta(hours=1), "b": timedelta(hours=1), "c": None, "d": None}
    last = {"a": at(0), "b": at(0), "c": at(0)}
    health = {"a": {"dead_runs": 0}, "b": {"dead_runs": 3}, "c": {"dead_runs": 2}}
    assert due_portals("abcd", every.get, last, health, at(1)) == (
        ["a", "c", "d"], {"b": at(4)},
    )  # fmt: skip
    assert due_portals("abcd", every.get, last, health, at(0.5)) == (
        ["d"], {"a": at(1), "b": at(4), "c": at(1)},
    )  # fmt: skip


@pytest.mark.e2e
def test_a_dead_portal_is_tried_on_a_backoff_and_reported_once_then_once_recovered(tmp_path):
    db = tmp_path / "archive.sqlite3"
    config = tmp_path / "tinmoi.toml"
    config.write_text(
        f'archive = "{db}"\noutput = "{tmp_path / "public"}"\nevery = "1h"\n', encoding="utf-8"
    )
    dead = f"http://127.0.0.1:{free_port()}"
    site = SnapshotSite(snapshot_dir("hanam_tourism")).start()

    def run(hours: float, *where: str) -> tuple[int, str]:
        proc = tinmoi(
            "run", "hanam_tourism", "--config", str(config), *where, "--profile", "loopback",
            "--max-pages", "1", "--now", at(hours).isoformat(),
        )  # fmt: skip
        return proc.returncode, proc.stderr

    def crawled() -> list[tuple[str, str]]:
        with sqlite3.connect(db) as conn:
            return conn.execute("select started, status from run_portals order by 1").fetchall()

    def status(hours: float) -> str:
        table = tinmoi("status", "--config", str(config), "--now", at(hours).isoformat())
        return next(line for line in table.stdout.splitlines() if "hanam_tourism  " in line)

    message = f"hanam_tourism: no listing page could be fetched from {dead} ("
    try:
        code, err = run(0, "--base-url", dead)
        assert (code, err.startswith(message)) == (1, True)
        assert run(0.5, "--base-url", dead) == (0, "")  # not due: every = 1h
        code, err = run(1, "--base-url", dead)  # the second dead crawl: unreachable
        assert (code, err.startswith(message)) == (1, True)
        assert status(1.5) == (
            "  hanam_tourism  unreachable since 2025-08-01 09:00, next try 2025-08-01 12:00"
            f"  last: no listing page could be fetched from {dead} (connection refused x1,"
            " not asked: host given up x4)"
        )
        assert run(2.5, "--base-url", dead) == (0, "")  # 2 x 1h after the crawl at 10:00
        assert run(3, "--base-url", dead) == (1, "")  # tried, still dead: not reported again
        assert run(6.5, "--base-url", dead) == (0, "")  # 4 x 1h after 12:00
        assert run(7, *map_args(site)) == (0, "")  # back
        assert run(7.5, *map_args(site)) == (0, "")  # its schedule again: not due
    finally:
        site.stop()
    assert crawled() == [
        ("2025-08-01T09:00:00+07:00", "dead"),
        ("2025-08-01T10:00:00+07:00", "dead"),
        ("2025-08-01T12:00:00+07:00", "dead"),
        ("2025-08-01T16:00:00+07:00", "ok"),
    ]
    health = feedparser.parse(tmp_path / "public" / "_health" / "atom.xml")
    assert [(e.title, e.updated) for e in health.entries] == [
        ("hanam_tourism recovered", "2025-08-01T16:00:00+07:00"),
        ("hanam_tourism is unreachable", "2025-08-01T10:00:00+07:00"),
    ]
    state = json.loads(tinmoi("status", "--json", "--config", str(config), check=True).stdout)
    assert state["portals"]["hanam_tourism"] == {
        "status": "ok", "since": "2025-08-01T16:00:00+07:00", "failures": 0, "dead_runs": 0,
        "unreachable_since": None, "last_ok": "2025-08-01T16:00:00+07:00",
        "reason": state["portals"]["hanam_tourism"]["reason"],
    }  # fmt: skip
