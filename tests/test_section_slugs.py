"""A section's published folder stays when its slug changes: the old folder repeats the new
one's files (their self links naming the new one), and the index lists the new one only."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from crawler.archive import Archive
from crawler.archive.sections import SectionSlug
from tests.conftest import NOW, map_args, tinmoi
from tinmoi.snapshot import SnapshotSite, snapshot_dir

pytestmark = pytest.mark.e2e

HANAM_TOML = (Path(__file__).parent / "fixtures" / "portals" / "hanam_tourism.toml").read_text(
    encoding="utf-8"
)
SITE = "https://tin.example.vn"
ATOM = "{http://www.w3.org/2005/Atom}"
FEED_FILES = ["atom.xml", "feed.json", "index.html", "rss.xml"]


def files_under(folder: Path) -> list[str]:
    return sorted(
        (Path(root) / name).relative_to(folder).as_posix()
        for root, _, names in os.walk(folder)
        for name in names
    )


def entry_ids(atom: Path) -> list[str]:
    return [e.findtext(f"{ATOM}id") for e in etree.parse(atom).getroot().iter(f"{ATOM}entry")]


def self_link(atom: Path) -> str:
    root = etree.parse(atom).getroot()
    return next(link.get("href") for link in root.iter(f"{ATOM}link") if link.get("rel") == "self")


def crawl_and_build(tmp_path: Path, site: SnapshotSite) -> None:
    db, out = tmp_path / "a.sqlite3", tmp_path / "public"
    common = ["--portals", str(tmp_path / "portals"), "--db", str(db), "--now", NOW]
    crawl = ["crawl", "hanam_toml", *map_args(site), "--profile", "loopback", *common]
    tinmoi(*crawl, check=True)
    tinmoi("build", "--db", str(db), "--out", str(out), "--site-url", SITE, "--now", NOW,
           check=True)  # fmt: skip


def test_a_renamed_sections_old_folder_keeps_its_feeds_and_points_to_the_new_one(tmp_path):
    portals = tmp_path / "portals"
    portals.mkdir()
    definition = portals / "hanam_toml.toml"
    definition.write_text(HANAM_TOML, encoding="utf-8")
    out = tmp_path / "public"
    site = SnapshotSite(snapshot_dir("hanam_tourism")).start()
    try:
        crawl_and_build(tmp_path, site)
        old = out / "hanam_toml" / "diem-den"
        before = entry_ids(old / "atom.xml")
        definition.write_text(
            HANAM_TOML.replace('slug = "diem-den"', 'slug = "diem-den-du-lich"'), encoding="utf-8"
        )
        crawl_and_build(tmp_path, site)
    finally:
        site.stop()
    new = out / "hanam_toml" / "diem-den-du-lich"
    assert files_under(out / "hanam_toml") == [
        "atom.xml",
        *(f"diem-den-du-lich/{name}" for name in FEED_FILES),
        *(f"diem-den/{name}" for name in FEED_FILES),
        "feed.json",
        "index.html",
        *(f"le-hoi-van-hoa/{name}" for name in FEED_FILES),
        "rss.xml",
        *(f"tin-tuc-su-kien/{name}" for name in FEED_FILES),
    ]
    assert len(before) == 22
    assert entry_ids(old / "atom.xml") == before
    assert entry_ids(new / "atom.xml") == before
    for name in FEED_FILES:
        assert (old / name).read_bytes() == (new / name).read_bytes(), name
    assert self_link(old / "atom.xml") == f"{SITE}/hanam_toml/diem-den-du-lich/atom.xml"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="hanam_toml/diem-den-du-lich/"' in index
    assert "hanam_toml/diem-den/" not in index
    assert "hanam_toml/diem-den/" not in (out / "feeds.opml").read_text(encoding="utf-8")
    with Archive.open(tmp_path / "a.sqlite3", now=datetime.fromisoformat(NOW)) as archive:
        assert archive.section_slugs("hanam_toml") == [
            SectionSlug("diem-den", "Điểm đến", "/vi/news/?id=cat_2&t=diem-den", True),
            SectionSlug("diem-den-du-lich", "Điểm đến", "/vi/news/?id=cat_2&t=diem-den", True),
            SectionSlug(
                "le-hoi-van-hoa", "Lễ hội - Văn hóa", "/vi/news/?id=cat_3&t=le-hoi-van-hoa", True
            ),
            SectionSlug(
                "tin-tuc-su-kien", "Tin tức - Sự kiện", "/vi/news/?id=cat_1&t=tin-tuc-su-kien", True
            ),
        ]
