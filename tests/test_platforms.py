"""End to end, once per snapshot: a backfill crawl on loopback gives exactly what it should.

Each ``tests/fixtures/expected/<portal>.json`` (written by the snapshot builder from the
text we wrote, then reviewed) lists every article the snapshot holds with its exact
title, link, section and date, the URLs that must be dropped and why, chrome that no
body may contain, and the listing requests a backfill must make (the last page of every
section: pagination followed to the end). Adding a portal adds a snapshot and this file.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import NOW, map_args, tinmoi
from tinmoi.snapshot import SnapshotSite, snapshot_dir

pytestmark = pytest.mark.e2e

SPECS = sorted((Path(__file__).parent / "fixtures" / "expected").glob("*.json"))
#: What no article of any portal may carry, whatever its platform.
CHROME = ("Tin liên quan", "Những tin mới hơn", "Những tin cũ hơn", "Các tin khác", "<script")


def iso(value: str | None) -> str | None:
    """An archived time as ISO 8601 with its offset."""
    return datetime.fromisoformat(value).isoformat() if value else None


@pytest.fixture(scope="module", params=SPECS, ids=lambda p: p.stem)
def crawled(request, tmp_path_factory):
    spec = json.loads(request.param.read_text(encoding="utf-8"))
    portal = spec["portal"]
    db = tmp_path_factory.mktemp(portal) / "archive.sqlite3"
    site = SnapshotSite(snapshot_dir(portal)).start()
    try:
        proc = tinmoi(
            "crawl", portal, "--backfill", *map_args(site), "--profile", "loopback",
            "--db", str(db), "--now", spec.get("now", NOW),
        )  # fmt: skip
        requested = list(site.servers["main"].requests)
    finally:
        site.stop()
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute("select * from articles order by key").fetchall()
        dropped = conn.execute("select url, reason from dropped order by url").fetchall()
    return spec, proc, rows, dropped, requested


def test_crawl_succeeds(crawled):
    spec, proc, *_ = crawled
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().startswith(f"{spec['portal']}: {len(spec['articles'])} new")


def test_every_article_with_exact_fields(crawled):
    spec, _, rows, _, _ = crawled
    got = [
        {
            "key": row["key"],
            "url": row["url"],
            "section": row["section"],
            "title": row["title"],
            "published": iso(row["published"]),
        }
        for row in rows
    ]
    want = [
        {name: article[name] for name in ("key", "url", "section", "title", "published")}
        for article in spec["articles"]
    ]
    assert got == want


def test_bodies_are_full_text_without_chrome(crawled):
    spec, _, rows, _, _ = crawled
    by_key = {a["key"]: a for a in spec["articles"]}
    for row in rows:
        for chrome in (*CHROME, *spec.get("absent", [])):
            assert chrome not in row["content_html"], (row["key"], chrome)
        for passage in by_key[row["key"]].get("body_contains", []):
            assert passage in row["content_text"], (row["key"], passage)


def test_dropped_with_reasons(crawled):
    spec, _, _, dropped, _ = crawled
    want = sorted((d["url"], d["reason"]) for d in spec.get("dropped", []))
    assert [(row["url"], row["reason"]) for row in dropped] == want


def test_backfill_follows_pagination_to_the_end(crawled):
    spec, _, _, _, requested = crawled
    assert spec["requested"], "a snapshot must name the listing pages a backfill reaches"
    missing = [target for target in spec["requested"] if target not in requested]
    assert missing == []
