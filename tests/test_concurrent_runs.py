"""A run crawls several portals at once, one host at a time: politeness holds across the
portals of a host, and each portal's record is what a run of it alone gives."""

from __future__ import annotations

import sqlite3
from itertools import pairwise
from pathlib import Path

import pytest

from tests.conftest import NOW, tinmoi
from tinmoi.snapshot import SnapshotSite, snapshot_dir

pytestmark = pytest.mark.e2e

DELAY = 0.3
HANAM = (Path(__file__).parent / "fixtures" / "portals" / "hanam_tourism.toml").read_text(
    encoding="utf-8"
)
#: Two portals served from one host (X), one from another (Y).
HOSTS = {"hanam_a": "127.0.0.11", "hanam_b": "127.0.0.11", "hanam_c": "127.0.0.12"}


@pytest.fixture
def sites():
    started = {
        name: SnapshotSite(snapshot_dir("hanam_tourism"), {"main": host}).start()
        for name, host in HOSTS.items()
    }
    yield started
    for site in started.values():
        site.stop()


def setup(tmp_path: Path, sites: dict[str, SnapshotSite], concurrency: int) -> Path:
    portals = tmp_path / "portals"
    portals.mkdir(exist_ok=True)
    lines = [f'archive = "{tmp_path / "archive.sqlite3"}"', f'output = "{tmp_path / "public"}"']
    lines += ["[limits]", f"concurrency = {concurrency}"]
    for name, site in sites.items():
        (portals / f"{name}.toml").write_text(HANAM, encoding="utf-8")
        urls = site.url_map()
        lines += [f"[portal.{name}]", f'base_url = "{urls["https://hanamtourism.vn"]}"']
        lines += [f"[portal.{name}.url_map]"]
        lines += [f'"{public}" = "{fetch}"' for public, fetch in urls.items()]
    config = tmp_path / "tinmoi.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def run(tmp_path: Path, config: Path, *extra: str):
    return tinmoi(
        "run", *HOSTS, *extra, "--config", str(config), "--portals", str(tmp_path / "portals"),
        "--profile", "loopback", "--max-pages", "1", "--now", NOW,
        "--set", f"DOWNLOAD_DELAY={DELAY}", "--set", "RANDOMIZE_DOWNLOAD_DELAY=False",
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
    # Never two requests to host X closer than its delay (less the jitter of a loaded machine
    # between Scrapy sending a request and the server logging it).
    assert min(gaps) >= DELAY * 0.8
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
