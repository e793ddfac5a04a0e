"""Discovery through feeds and sitemaps: what the bundled snapshots alone cannot show.

A sitemap's ``<lastmod>`` makes an incremental crawl fetch an archived article again
(and only that one); a feed that is not well-formed XML is reported like an empty
listing while the portal's other feeds are read.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import NOW, map_args, tinmoi
from tinmoi.snapshot import SnapshotSite, snapshot_dir

pytestmark = pytest.mark.e2e

LATER = "2025-08-02T09:00:00+07:00"
MODIFIED = "/kinh-te/thu-ngan-sach-5-thang-dau-nam-2025-21255.html"


def crawl(root: Path, db: Path, now: str, *extra: str) -> tuple[object, list[str]]:
    site = SnapshotSite(root).start()
    try:
        proc = tinmoi(
            "crawl", site.portal, *extra, *map_args(site), "--profile", "loopback",
            "--db", str(db), "--now", now,
        )  # fmt: skip
        return proc, list(site.servers["main"].requests)
    finally:
        site.stop()


def keys(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("select key from articles order by key")]


def test_incremental_crawl_fetches_only_the_article_whose_lastmod_changed(tmp_path):
    root = tmp_path / "daklak_gov"
    shutil.copytree(snapshot_dir("daklak_gov"), root)
    db = tmp_path / "archive.sqlite3"
    first, _ = crawl(root, db, NOW, "--backfill")
    assert first.returncode == 0, first.stderr
    assert "daklak_gov:21255" in keys(db)

    # The portal edits one article: its <lastmod> and its sitemap's <lastmod> in the index.
    sitemaps = root / "main" / "sitemaps"
    child = sitemaps / "sitemap-2025.xml"
    old = "<lastmod>2025-06-03T16:30:00+07:00</lastmod>"
    new = "<lastmod>2025-08-01T15:00:00+07:00</lastmod>"
    text = child.read_text("utf-8")
    assert text.count(old) == 1
    child.write_text(text.replace(old, new), "utf-8")
    index = sitemaps / "sitemap.xml"
    index.write_text(index.read_text("utf-8").replace(old, new), "utf-8")

    second, requested = crawl(root, db, LATER)
    assert second.returncode == 0, second.stderr
    articles = [target for target in requested if target.endswith(".html")]
    assert articles == [MODIFIED]
    assert "/sitemap-2025.xml" in requested


def test_unchanged_sitemap_fetches_no_article(tmp_path):
    root = tmp_path / "daklak_gov"
    shutil.copytree(snapshot_dir("daklak_gov"), root)
    db = tmp_path / "archive.sqlite3"
    assert crawl(root, db, NOW, "--backfill")[0].returncode == 0
    second, requested = crawl(root, db, LATER)
    assert second.returncode == 0, second.stderr
    assert [target for target in requested if target.endswith(".html")] == []


def test_broken_feed_is_reported_like_an_empty_listing(tmp_path):
    root = tmp_path / "xuanloc_dongnai"
    shutil.copytree(snapshot_dir("xuanloc_dongnai"), root)
    feed = root / "main" / "rss" / "thong-bao.xml"
    warning = '<br />\n<b>Warning</b>:  Undefined array key "alias" in <b>rss.php</b><br />\n'
    feed.write_text(warning + feed.read_text("utf-8"), "utf-8")
    db = tmp_path / "archive.sqlite3"
    proc, requested = crawl(root, db, NOW, "--backfill")
    assert proc.returncode == 3
    assert "the listing of thong-bao holds no articles" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "/vi/news/rss/thong-bao/" in requested
    found = keys(db)
    assert "xuanloc_dongnai:4590" not in found
    assert {"xuanloc_dongnai:4521", "xuanloc_dongnai:4585"} <= set(found)
