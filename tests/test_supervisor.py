"""One crawl worker holds many portals; a portal whose code never returns, or takes a
gigabyte, gets its worker killed and is recorded failing, while the portals crawled
beside it in that worker are recorded exactly as a serial run records them."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import NOW, tinmoi
from tests.hanam_runs import start_sites, write_config
from tinmoi.crawling import PortalTask
from tinmoi.snapshot import SnapshotSite
from tinmoi.supervisor import Limits, Supervisor
from tinmoi.worker import RunOptions

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
NOW_DT = datetime.fromisoformat(NOW)
HEALTHY = ("hanam_a", "hanam_b", "hanam_c")
ROGUE = ("hanam_hog", "hanam_loop")
#: Each portal on its own host, so all five are in flight in the one worker at once.
HOSTS = dict(zip((*HEALTHY, *ROGUE), (f"127.0.0.{n}" for n in range(31, 36)), strict=True))


@pytest.fixture
def sites():
    started = start_sites(HOSTS)
    yield started
    for site in started.values():
        site.stop()


@pytest.fixture(autouse=True)
def rogue_portals(monkeypatch):
    """The rogue portals load through the test settings (tests/rogue)."""
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "tests.rogue.settings")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


def setup(folder: Path, sites: dict[str, SnapshotSite], names: tuple[str, ...], **limits) -> Path:
    chosen = {name: sites[name] for name in names}
    return write_config(folder, chosen, limits, copies=[n for n in names if n in HEALTHY])


def run(folder: Path, config: Path, names: tuple[str, ...]):
    return tinmoi(
        "run", *names, "--config", str(config), "--portals", str(folder / "portals"),
        "--profile", "loopback", "--max-pages", "1", "--now", NOW,
    )  # fmt: skip


def records(db: Path, names: tuple[str, ...]) -> dict[str, list[tuple]]:
    marks = ",".join("?" * len(names))
    with sqlite3.connect(db) as conn:
        return {
            "articles": conn.execute(
                "select portal, replace(key, portal || ':', ''), url, title, published,"
                f" content_hash from articles where portal in ({marks}) order by 1, 2",
                names,
            ).fetchall(),
            "runs": conn.execute(
                "select portal, status, new, updated, message from run_portals"
                f" where portal in ({marks}) order by portal",
                names,
            ).fetchall(),
            "health": conn.execute(
                f"select portal, status from portal_health where portal in ({marks})"
                " order by portal",
                names,
            ).fetchall(),
        }


def test_a_stuck_and_a_bloated_portal_lose_their_worker_not_their_neighbours(sites, tmp_path):
    serial = tmp_path / "serial"
    proc = run(serial, setup(serial, sites, HEALTHY, workers=1, concurrency=1), HEALTHY)
    assert proc.returncode == 0, proc.stderr
    expected = records(serial / "archive.sqlite3", HEALTHY)
    assert [row[:4] for row in expected["runs"]] == [
        ("hanam_a", "ok", 25, 0), ("hanam_b", "ok", 25, 0), ("hanam_c", "ok", 25, 0),
    ]  # fmt: skip

    shared = tmp_path / "shared"
    names = (*HEALTHY, *ROGUE)
    limits = {"workers": 1, "concurrency": 5, "worker_mb": 600, "stall_seconds": 5}
    proc = run(shared, setup(shared, sites, names, **limits), names)
    # A first failed crawl in a row is reported, not yet failing (README's exit codes).
    assert proc.returncode == 0, proc.stderr
    got = records(shared / "archive.sqlite3", names)

    healthy = records(shared / "archive.sqlite3", HEALTHY)
    assert healthy["articles"] == expected["articles"]
    assert healthy["health"] == expected["health"] == [
        ("hanam_a", "ok"), ("hanam_b", "ok"), ("hanam_c", "ok"),
    ]  # fmt: skip
    assert [row[:4] for row in healthy["runs"]] == [row[:4] for row in expected["runs"]]

    rogue = {row[0]: row for row in got["runs"] if row[0] in ROGUE}
    assert rogue["hanam_loop"][1:4] == ("failing", 0, 0)
    assert rogue["hanam_loop"][4] == (
        "hanam_loop: stopped: its code held its crawl worker for 5 s without returning "
        "(a parse that never ends?)"
    )
    assert rogue["hanam_hog"][1] == "failing"
    assert re.fullmatch(
        r"hanam_hog: stopped: its crawl worker grew to \d+ MB, past \[limits\] worker_mb "
        r"\(600 MB\)",
        rogue["hanam_hog"][4],
    ), rogue["hanam_hog"][4]
    assert "hanam_loop: stopped: its code held its crawl worker" in proc.stderr
    # A crawl resumed in a fresh worker goes on in its portal's one log.
    logs = sorted(path.name for path in (shared / "logs").iterdir())
    assert logs == [f"{name}.log" for name in sorted(names)] + ["workers.log"]


def test_workers_that_cannot_start_give_their_portals_up_as_dead(tmp_path):
    reports = []
    run_options = RunOptions(db=str(tmp_path / "a.sqlite3"), log_dir=str(tmp_path), profile="x")
    supervisor = Supervisor(
        run_options, Limits(workers=1, slots=2), lambda r, *_: reports.append(r), lambda: NOW_DT
    )
    supervisor.run([[PortalTask("hanam_a"), PortalTask("hanam_b")], [PortalTask("hanam_c")]])
    why = "the crawl worker could not start (exit code 1): KeyError: 'x'"
    assert [(r.portal, r.status, r.message) for r in reports] == [
        ("hanam_a", "dead", f"hanam_a: {why}"),
        ("hanam_b", "dead", f"hanam_b: {why}"),
        ("hanam_c", "dead", f"hanam_c: {why}"),
    ]
