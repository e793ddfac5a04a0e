"""Sitemaps that would exhaust the crawl: endless index chains, too many sitemaps and
gzip bombs are given up with a stat, a warning and a dropped reason."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import NOW, map_args, tinmoi
from tinmoi.snapshot import SnapshotSite, snapshot_dir

pytestmark = pytest.mark.e2e

SITEMAPS = "https://daklak.gov.vn"
FIXTURES = Path(__file__).parent / "fixtures" / "snapshots"


def crawl(tmp: Path, faults: dict[str, list[str]], *extra: str):
    root = tmp / "daklak_gov"
    shutil.copytree(snapshot_dir("daklak_gov"), root)
    db = tmp / "archive.sqlite3"
    site = SnapshotSite(root).start()
    site.servers["main"].faults = faults
    try:
        proc = tinmoi(
            "crawl", "daklak_gov", "--backfill", *map_args(site), "--profile", "loopback",
            "--db", str(db), "--now", NOW, "--set", "CLOSESPIDER_TIMEOUT=20", *extra,
        )  # fmt: skip
        requested = list(site.servers["main"].requests)
    finally:
        site.stop()
    with sqlite3.connect(db) as conn:
        dropped = conn.execute("select url, reason, detail from dropped order by url").fetchall()
        count = conn.execute("select count(*) from articles").fetchone()[0]
    log = (tmp / "logs" / "daklak_gov.log").read_text("utf-8")
    return proc, requested, dropped, count, log


def test_an_endless_chain_of_sitemap_indexes_stops_three_levels_deep(tmp_path):
    proc, requested, dropped, count, log = crawl(tmp_path, {"/sitemap-news.xml": ["sitemap-chain"]})
    assert proc.returncode == 0, proc.stderr
    chain = [t for t in requested if t.startswith("/sitemap-news")]
    assert chain == ["/sitemap-news.xml", "/sitemap-news-1.xml"]
    assert dropped == [
        (
            f"{SITEMAPS}/sitemap-news-1.xml",
            "sitemap too deep",
            "not read: 1 listed more than 3 levels down",
        )
    ]
    assert "'tinmoi/sitemap/too_deep': 1" in log
    assert f"sitemaps nest more than 3 levels: {SITEMAPS}/sitemap-news-1.xml lists 1" in log
    yearly = "".join(
        (snapshot_dir("daklak_gov") / "main" / "sitemaps" / f"sitemap-{year}.xml").read_text(
            "utf-8"
        )
        for year in (2024, 2025)
    )
    spec = json.loads((FIXTURES / "daklak_gov.json").read_text("utf-8"))
    # Every article the yearly sitemaps list is still archived.
    assert count == len([a for a in spec["articles"] if f"<loc>{a['url']}</loc>" in yearly]) == 8


def test_sitemaps_beyond_the_portals_limit_are_not_read(tmp_path):
    proc, requested, dropped, _, log = crawl(
        tmp_path, {"/sitemap-news.xml": ["sitemap-chain:30"]}, "--set", "TINMOI_SITEMAP_MAX=12"
    )
    assert proc.returncode == 0, proc.stderr
    sitemaps = [t for t in requested if "sitemap" in t and t != "/robots.txt"]
    assert len(sitemaps) == 12
    assert sorted(sitemaps[4:]) == sorted(f"/sitemap-news-{n}.xml" for n in range(1, 9))
    deep = "not read: 30 listed more than 3 levels down"
    assert dropped == [
        *((f"{SITEMAPS}/sitemap-news-{n}.xml", "sitemap too deep", deep) for n in range(1, 9)),
        (f"{SITEMAPS}/sitemap-news.xml", "too many sitemaps",
         "not read: 22 over the limit of 12 sitemaps"),
    ]  # fmt: skip
    assert "'tinmoi/sitemap/over_limit': 22" in log
    assert "'tinmoi/sitemap/too_deep': 240" in log
    assert f"more than 12 sitemaps: {SITEMAPS}/sitemap-news.xml lists 22" in log
