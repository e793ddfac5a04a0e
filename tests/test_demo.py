"""The demo, plain ``scrapy crawl``, and an installed (non-editable) wheel."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from feeds.select import province_slug
from tests.conftest import NOW, ROOT, tinmoi
from tinmoi.portals import spider_class
from tinmoi.snapshot import bundled_portals, serving

pytestmark = pytest.mark.e2e

#: Hà Nam's feeds (its snapshot's special cases are counted in tests/test_e2e.py).
HANAM_FEEDS = {
    "hanam_tourism": 50,
    "hanam_tourism/diem-den": 22,
    "hanam_tourism/le-hoi-van-hoa": 22,
    "hanam_tourism/tin-tuc-su-kien": 23,
}
LIMIT = 50


def demo_feeds() -> dict[str, int]:
    """Every feed the demo writes and its item count, from what each snapshot holds: the
    expectation files list every article the other portals' snapshots must give."""
    feeds = dict(HANAM_FEEDS)
    provinces = {province_slug(spider_class("hanam_tourism").province): LIMIT}
    for path in sorted((ROOT / "tests" / "fixtures" / "expected").glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        portal, articles = spec["portal"], spec["articles"]
        feeds[portal] = min(LIMIT, len(articles))
        for section in {a["section"] for a in articles}:
            count = sum(1 for a in articles if a["section"] == section)
            feeds[f"{portal}/{section}"] = min(LIMIT, count)
        province = province_slug(spider_class(portal).province)
        provinces[province] = provinces.get(province, 0) + len(articles)
    feeds |= {f"tinh/{slug}": min(LIMIT, count) for slug, count in provinces.items()}
    return feeds | {"all": LIMIT}


DEMO_FEEDS = demo_feeds()


def feed_lines(stdout: str) -> dict[str, int]:
    """``path  N items`` lines of the demo's output."""
    found = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "items":
            found[parts[0]] = int(parts[1])
    return found


def test_demo_crawls_every_bundled_portal_and_prints_the_feeds(tmp_path: Path):
    out, db = tmp_path / "public", tmp_path / "demo.sqlite3"
    proc = tinmoi("demo", "--out", str(out), "--db", str(db), "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    assert feed_lines(proc.stdout) == DEMO_FEEDS
    assert f"Feeds written to {out}/ (each folder: rss.xml atom.xml feed.json index.html):" in (
        proc.stdout
    )
    reports = proc.stdout.splitlines()
    assert "hanam_tourism: 67 new, 0 updated, 0 unchanged, 2 dropped (82 requests)" in reports
    assert "quangnam_tourism: 8 new, 0 updated, 0 unchanged, 0 dropped (11 requests)" in reports
    assert "vinhlong_tourist: 8 new, 0 updated, 0 unchanged, 0 dropped (11 requests)" in reports
    assert len([line for line in reports if " new, " in line]) == len(bundled_portals())
    for path in DEMO_FEEDS:
        for name in ("rss.xml", "atom.xml", "feed.json", "index.html"):
            assert (out / path / name).is_file(), (path, name)
    assert (out / "feeds.opml").is_file() and (out / "index.html").is_file()


def test_scrapy_crawl_takes_a_base_url_override(tmp_path: Path):
    db = tmp_path / "scrapy.sqlite3"
    with serving("quangnam_tourism") as site:
        proc = subprocess.run(
            [
                sys.executable, "-m", "scrapy", "crawl", "quangnam_tourism",
                "-a", f"base_url={site.base_url}",
                "-s", f"TINMOI_DB={db}", "-s", f"TINMOI_NOW={NOW}",
                "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
            ],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "select key, url, published from articles where key = 'quangnam_tourism:news_2306'"
        ).fetchall()
        total = conn.execute("select count(*) from articles").fetchone()[0]
    assert total == 8
    assert rows == [
        (
            "quangnam_tourism:news_2306",
            "https://quangnamtourism.com.vn/vi/detailnews/?id=news_2306"
            "&t=hon-40-doanh-nghiep-lu-hanh-phia-bac-tim-hieu-san-pham",
            "2024-06-20T10:30:00+07:00",
        )
    ]


def test_an_installed_wheel_carries_the_snapshots_and_runs_the_demo(tmp_path: Path):
    wheels, site = tmp_path / "wheels", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)], check=True)
    [wheel] = wheels.glob("tinmoi-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "tinmoi/snapshots/hanam_tourism/main/routes.json" in names
    assert "tinmoi/snapshots/hanam_tourism/site.json" in names
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)
    env = os.environ | {"PYTHONPATH": str(site)}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run(
        [sys.executable, "-c", "import tinmoi, crawler; print(tinmoi.__file__, crawler.__file__)"],
        cwd=work, env=env, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert all(path.startswith(str(site)) for path in where), where
    proc = subprocess.run(
        [sys.executable, "-m", "tinmoi.cli", "demo", "--now", NOW],
        cwd=work, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert feed_lines(proc.stdout) == DEMO_FEEDS
    assert (work / "var" / "demo" / "public" / "all" / "rss.xml").is_file()
