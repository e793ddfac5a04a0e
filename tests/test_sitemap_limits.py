"""Sitemaps that would exhaust the crawl: endless index chains, too many sitemaps and
gzip bombs are given up with a stat, a warning and a dropped reason."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.platforms.feed import TooLarge, gunzip, parse_xml, tag_of
from tests.conftest import NOW, map_args
from tinmoi.snapshot import SnapshotSite, snapshot_dir
from tinmoi.snapshot_pages import gzip_bomb

pytestmark = pytest.mark.e2e

SITEMAPS = "https://daklak.gov.vn"
FIXTURES = Path(__file__).parent / "fixtures" / "expected"


#: Runs a command and prints the peak RSS (KiB) of its process tree last.
PEAK = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "print(f'peak {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}'); sys.exit(code)"
)


def crawl(tmp: Path, faults: dict[str, list[str]], *extra: str, robots: str = ""):
    root = tmp / "daklak_gov"
    shutil.copytree(snapshot_dir("daklak_gov"), root)
    with (root / "main" / "robots.txt").open("a", encoding="utf-8") as file:
        file.write(robots)
    db = tmp / "archive.sqlite3"
    site = SnapshotSite(root).start()
    site.servers["main"].faults = faults
    script = str(Path(sys.executable).parent / "tinmoi")
    try:
        proc = subprocess.run(
            [sys.executable, "-c", PEAK, script, "crawl", "daklak_gov", "--backfill",
             *map_args(site), "--profile", "loopback", "--db", str(db), "--now", NOW,
             "--set", "CLOSESPIDER_TIMEOUT=20", *extra],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        requested = list(site.servers["main"].requests)
    finally:
        site.stop()
    with sqlite3.connect(db) as conn:
        dropped = conn.execute("select url, reason, detail from dropped order by url").fetchall()
        count = conn.execute("select count(*) from articles").fetchone()[0]
    log = (tmp / "logs" / "daklak_gov.log").read_text("utf-8")
    peak_mib = int(proc.stdout.rsplit("peak ", 1)[1]) // 1024
    return proc, requested, dropped, count, log, peak_mib


def test_an_endless_chain_of_sitemap_indexes_stops_three_levels_deep(tmp_path):
    proc, requested, dropped, count, log, _ = crawl(
        tmp_path, {"/sitemap-news.xml": ["sitemap-chain"]}
    )
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
    proc, requested, dropped, _, log, _ = crawl(
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


def test_a_gzip_bomb_sitemap_is_given_up_at_50_mib_in_bounded_memory(tmp_path):
    assert len(gzip_bomb(1024)) < 1_100_000  # made before the crawl: served at once
    proc, _, dropped, count, log, peak_mib = crawl(
        tmp_path,
        {"/sitemap.xml.gz": ["gzip-bomb:1024"]},  # 1 GiB of XML in about 1 MB of gzip
        robots=f"Sitemap: {SITEMAPS}/sitemap.xml.gz\n",
    )
    assert proc.returncode == 0, proc.stderr
    assert dropped == [
        (f"{SITEMAPS}/sitemap.xml.gz", "sitemap too large", "unpacks to more than 50 MiB")
    ]
    assert "'tinmoi/sitemap/too_large': 1" in log
    assert f"sitemap unpacks to more than 50 MiB: {SITEMAPS}/sitemap.xml.gz" in log
    assert count == 9  # the portal's other sitemaps are read as ever
    assert peak_mib < 400, f"the crawl peaked at {peak_mib} MiB"  # 2.1 GiB unbounded


def test_gunzip_reads_every_member_and_stops_past_its_limit():
    assert gunzip(gzip.compress(b"<urlset>") + gzip.compress(b"</urlset>")) == b"<urlset></urlset>"
    assert tag_of(parse_xml(gzip.compress(b"<urlset></urlset>"))) == "urlset"
    with pytest.raises(TooLarge, match="unpacks to more than 0 MiB"):
        gunzip(gzip.compress(b" " * 2048), limit=1024)
    assert parse_xml(gzip.compress(b"<urlset/>")[:-9]) is None  # truncated: not XML
