"""A run crawls several portals at once, one host at a time: politeness holds across the
portals of a host, and each portal's record is what a run of it alone gives."""

from __future__ import annotations

import re
import sqlite3
from itertools import pairwise
from pathlib import Path

import pytest

from tests.conftest import NOW, tinmoi
from tests.hanam_runs import HANAM, start_sites, write_config
from tinmoi.snapshot import SnapshotSite

pytestmark = pytest.mark.e2e

DELAY = 0.5
#: Two portals served from one host (X), one from another (Y).
HOSTS = {"hanam_a": "127.0.0.11", "hanam_b": "127.0.0.11", "hanam_c": "127.0.0.12"}


@pytest.fixture
def sites():
    started = start_sites(HOSTS)
    yield started
    for site in started.values():
        site.stop()


def setup(tmp_path: Path, sites: dict[str, SnapshotSite], concurrency: int) -> Path:
    return write_config(tmp_path, sites, {"concurrency": concurrency})


def run(tmp_path: Path, config: Path, *extra: str):
    return tinmoi(
        "run", *HOSTS, *extra, "--config", str(config), "--portals", str(tmp_path / "portals"),
        "--profile", "loopback", "--max-pages", "1", "--now", NOW,
        "--set", f"DOWNLOAD_DELAY={DELAY}", "--set", "DOWNLOAD_DELAY_JITTER=0",
    )  # fmt: skip


def records(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        articles = conn.execute(
            "select portal, replace(key, portal || ':', ''), title, published from articles"
            " order by 1, 2"
        ).fetchall()
        runs = conn.execute(
            "select portal, status, new, updated, requests from run_portals order by portal"
        ).fetchall()
        health = conn.execute("select portal, status from portal_health order by portal").fetchall()
    return [articles, runs, health]


def test_portals_of_one_host_take_turns_while_another_host_is_crawled_meanwhile(sites, tmp_path):
    proc = run(tmp_path, setup(tmp_path, sites, concurrency=3))
    assert proc.returncode == 0, proc.stderr
    x_times = sorted(
        sites["hanam_a"].servers["main"].times + sites["hanam_b"].servers["main"].times
    )
    y_times = sites["hanam_c"].servers["main"].times
    gaps = [later - earlier for earlier, later in pairwise(x_times)]
    # Never two requests to host X closer than its delay, counted from the last answer:
    # within each portal's crawl and from the last of A's to the first of B's.
    assert min(gaps) >= DELAY
    a, b = sites["hanam_a"].servers["main"].times, sites["hanam_b"].servers["main"].times
    assert max(a) < min(b) or max(b) < min(a)  # one portal of X after the other
    assert any(x_times[0] < t < x_times[-1] for t in y_times)  # Y crawled meanwhile
    concurrent = records(tmp_path / "archive.sqlite3")
    # The same portals one at a time give exactly the same records, and took turns.
    serial_dir = tmp_path / "serial"
    serial_dir.mkdir()
    (serial_dir / "portals").mkdir()
    for site in sites.values():
        for server in site.servers.values():
            server.times.clear()
    alone = run(serial_dir, setup(serial_dir, sites, concurrency=3), "--jobs", "1")
    assert alone.returncode == 0, alone.stderr
    assert records(serial_dir / "archive.sqlite3") == concurrent
    c = sites["hanam_c"].servers["main"].times
    a, b = sites["hanam_a"].servers["main"].times, sites["hanam_b"].servers["main"].times
    assert max(a) < min(b) and max(b) < min(c)  # one portal after the other
    assert [row[:4] for row in concurrent[1]] == [
        ("hanam_a", "ok", 25, 0),
        ("hanam_b", "ok", 25, 0),
        ("hanam_c", "ok", 25, 0),
    ]


#: The Hà Nam portal cut to its first section: a crawl of a few requests.
LISTING = "/vi/news/?id=cat_1&t=tin-tuc-su-kien"
ONE_SECTION = HANAM[: HANAM.index('[[sections]]\nslug = "diem-den"')]


def test_a_retry_after_from_a_host_holds_the_portal_after_it_on_that_host(tmp_path):
    started = start_sites({"hanam_a": "127.0.0.11", "hanam_b": "127.0.0.11"})
    try:
        a, b = started["hanam_a"].servers["main"], started["hanam_b"].servers["main"]
        # Busy: come back in 3 s, then in 8 s (longer than a crawl process takes to start,
        # so B's wait is the ledger's doing, not its start-up's).
        a.faults = {LISTING: ["503:3", "503:8"]}
        config = setup(tmp_path, started, concurrency=2)
        for name in started:
            (tmp_path / "portals" / f"{name}.toml").write_text(ONE_SECTION, encoding="utf-8")
        proc = tinmoi(
            "run", *started, "--config", str(config), "--portals", str(tmp_path / "portals"),
            "--profile", "loopback", "--max-pages", "1", "--now", NOW,
            "--set", f"DOWNLOAD_DELAY={DELAY}", "--set", "DOWNLOAD_DELAY_JITTER=0",
        )  # fmt: skip
    finally:
        for site in started.values():
            site.stop()
    # A first failed crawl is reported but not yet failing (README exit codes: from the second).
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == (
        f"hanam_a: no listing page could be fetched from {a.url} (HTTP 503 x2)\n"
    )
    assert [status for _, status in a.statuses] == [200, 503, 503]  # robots.txt, then busy
    first_503, second_503 = a.answer_times[1], a.answer_times[2]
    # A's retry waited the 3 s asked; B's first request (its robots.txt) the 8 s, although
    # A's crawl ended at once: the run's host ledger carried the Retry-After over.
    assert a.times[2] - first_503 >= 3
    assert b.requests[0] == "/robots.txt"
    assert b.times[0] - second_503 >= 8
    log = (tmp_path / "logs" / "hanam_b.log").read_text(encoding="utf-8")
    [waited] = re.findall(
        r"127\.0\.0\.11: waiting (\d+\.\d\d) s for an earlier crawl's delay or Retry-After", log
    )
    assert 0 < float(waited) <= 8 + DELAY
    with sqlite3.connect(tmp_path / "archive.sqlite3") as conn:
        runs = conn.execute(
            "select portal, status, new from run_portals order by portal"
        ).fetchall()
    assert runs == [("hanam_a", "dead", 0), ("hanam_b", "ok", 9)]
