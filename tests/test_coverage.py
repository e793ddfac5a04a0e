"""``tinmoi status --coverage``: how far back the archive reaches, per section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import NOW, map_args, tinmoi
from tinmoi.snapshot import SnapshotSite, snapshot_dir

pytestmark = pytest.mark.e2e

SPEC = json.loads(
    (Path(__file__).parent / "fixtures" / "expected" / "sxd_dongnai.json").read_text("utf-8")
)


def expected_reach() -> list[dict]:
    """Per section: the snapshot's article count and its oldest and newest dates."""
    found: dict[str, list[str]] = {}
    for article in SPEC["articles"]:
        found.setdefault(article["section"], []).append(article["published"])
    return [
        {"portal": "sxd_dongnai", "section": section, "articles": len(dates),
         "oldest": min(dates), "newest": max(dates), "walked_to_end": NOW}
        for section, dates in sorted(found.items())
    ]  # fmt: skip


def test_coverage_says_which_sections_were_walked_to_their_end(tmp_path):
    db = ("--db", str(tmp_path / "archive.sqlite3"))
    site = SnapshotSite(snapshot_dir("sxd_dongnai")).start()
    try:
        common = (*map_args(site), "--profile", "loopback", "--now", NOW, *db)
        tinmoi("crawl", "sxd_dongnai", "--max-pages", "1", *common, check=True)
        cut = json.loads(tinmoi("status", "--coverage", "--json", *db, check=True).stdout)
        assert [(row["section"], row["walked_to_end"]) for row in cut["coverage"]] == [
            ("quy-hoach-kien-truc", None),
            ("tin-tuc-su-kien", None),
        ]
        table = tinmoi("status", "--coverage", *db, check=True).stdout
        assert table.count("never walked to its end: older articles may be missing") == 2
        tinmoi("crawl", "sxd_dongnai", "--backfill", *common, check=True)
    finally:
        site.stop()
    full = json.loads(tinmoi("status", "--coverage", "--json", *db, check=True).stdout)
    assert full["coverage"] == expected_reach()
