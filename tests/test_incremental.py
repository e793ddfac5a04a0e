"""A build renders a feed again only when one of its inputs changed, and its output is
what a build from scratch gives."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import feeds.build
import feeds.inputs
from crawler.archive import Archive
from feeds.build import build_feeds
from tests.test_feeds import CRAWL, HANAM, HANAM2, QNAM, SITE, article

LATER = CRAWL + timedelta(hours=1)
OPTIONS: dict[str, Any] = {"site_url": SITE, "limit": 50, "searches": ("qnam",)}
FOLDER = ("rss.xml", "atom.xml", "feed.json", "index.html")
FEEDS = (
    "all", "hanam", "hanam/tin", "hanam_so", "qnam", "qnam/tin", "tim/qnam", "tinh/ha-nam",
    "tinh/quang-nam",
)  # fmt: skip
#: The files of a feed folder whose bytes change when only its entries' times or files move.
TIMED = ("rss.xml", "atom.xml", "feed.json")
#: The files of an empty feed folder that give the archive's newest time.
DATED = ("rss.xml", "atom.xml")
ROOT_FILES = ("feeds.opml", "index.html")


def fill(archive: Archive) -> None:
    """Three portals (one without articles) and three articles."""
    for portal in (HANAM, HANAM2, QNAM):
        archive.upsert_portal(portal, CRAWL)
    archive.upsert_article(article("hanam", 1, 20), CRAWL)
    archive.upsert_article(article("hanam", 2, 21), CRAWL)
    archive.upsert_article(article("qnam", 7, 19), CRAWL)


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``out`` with its bytes and modification time."""
    return {
        p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def in_folders(paths: tuple[str, ...], names: tuple[str, ...] = FOLDER) -> set[str]:
    return {f"{path}/{name}" for path in paths for name in names}


def new_article(archive: Archive) -> None:
    archive.upsert_article(article("hanam", 3, 22), LATER)


def edited(archive: Archive) -> None:
    archive.upsert_article(article("qnam", 7, 19, content_html="<p>Sửa.</p>"), LATER)


def attachment(archive: Archive) -> None:
    url = "https://hanam.vn/files/a.pdf"
    archive.add_attachment("hanam:news_1", url, "application/pdf", b"%PDF", "", LATER)


def portal_title(archive: Archive) -> None:
    archive.upsert_portal(QNAM.__class__(**(QNAM.__dict__ | {"title": "Sở Du lịch"})), LATER)


def section_title(archive: Archive) -> None:
    sections = {"tin": "Tin nóng"}
    archive.upsert_portal(HANAM.__class__(**(HANAM.__dict__ | {"sections": sections})), LATER)


def unchanged(archive: Archive) -> None:
    """Nothing changes."""


EVERY = FEEDS
SCENARIOS: dict[str, tuple[Callable[[Archive], None], dict[str, Any], tuple[str, ...], set[str]]]
SCENARIOS = {
    "nothing": (unchanged, {}, (), set()),
    # the newest entry is newer: the empty feed's time moves too, not its page
    "new article": (
        new_article,
        {},
        ("all", "hanam", "hanam/tin", "hanam_so", "tinh/ha-nam"),
        in_folders(("all", "hanam", "hanam/tin", "tinh/ha-nam"))
        | in_folders(("hanam_so",), DATED)
        | set(ROOT_FILES),
    ),
    "edited article": (
        edited,
        {},
        ("all", "hanam_so", "qnam", "qnam/tin", "tim/qnam", "tinh/quang-nam"),
        in_folders(("all", "qnam", "qnam/tin", "tim/qnam", "tinh/quang-nam"), TIMED)
        | in_folders(("hanam_so",), DATED)
        | {"feeds.opml"},
    ),
    "attachment": (
        attachment,
        {},
        ("all", "hanam", "hanam/tin", "tinh/ha-nam"),
        in_folders(("all", "hanam", "hanam/tin", "tinh/ha-nam"), TIMED),
    ),
    "portal title": (
        portal_title,
        {},
        ("all", "qnam", "qnam/tin", "tim/qnam", "tinh/quang-nam"),
        # the other feeds name the portal on their pages only
        in_folders(("qnam", "qnam/tin"))
        | set(ROOT_FILES)
        | in_folders(("all", "tim/qnam", "tinh/quang-nam"), ("index.html",)),
    ),
    "section title": (
        section_title,
        {},
        ("all", "hanam", "hanam/tin", "tinh/ha-nam"),
        in_folders(("all", "hanam", "hanam/tin", "tinh/ha-nam")) | set(ROOT_FILES),
    ),
    "site url": (
        unchanged,
        {"site_url": "https://other.example"},
        EVERY,
        in_folders(EVERY) | set(ROOT_FILES) | {"_health/atom.xml"},
    ),
    # only "all" holds more than two
    "limit": (unchanged, {"limit": 2}, EVERY, in_folders(("all",)) | {"index.html"}),
    # rendered again, and the same bytes: every file is left as it was
    "version": (unchanged, {}, EVERY, set()),
    "searches": (
        unchanged,
        {"searches": ("qnam", "hanam")},
        ("tim/hanam",),
        in_folders(("tim/hanam",)) | set(ROOT_FILES),
    ),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_build_renders_exactly_the_feeds_whose_inputs_changed(tmp_path, monkeypatch, name):
    change, options, rendered, changed = SCENARIOS[name]
    out = tmp_path / "public"
    with Archive.open(tmp_path / "a.sqlite3", now=CRAWL) as archive:
        fill(archive)
        build_feeds(archive, out, **OPTIONS)
        before = snapshot(out)
        change(archive)
        if name == "version":
            monkeypatch.setattr(feeds.inputs, "VERSION", "0.0.0+other")
        seen = []
        render = feeds.build.render_rss
        monkeypatch.setattr(
            feeds.build, "render_rss", lambda i, u: seen.append(i.path) or render(i, u)
        )
        build_feeds(archive, out, **(OPTIONS | options))
        after = snapshot(out)
        again = list(seen)
        build_feeds(archive, tmp_path / "scratch", **(OPTIONS | options))
    assert sorted(again) == sorted(rendered)
    assert {p for p in after if before.get(p) != after[p]} == changed | (set(after) - set(before))
    assert {p: data for p, (data, _) in after.items()} == {
        p: data for p, (data, _) in snapshot(tmp_path / "scratch").items()
    }


FIXTURE = Path(__file__).parent / "fixtures" / "build_ties"


def ties(archive: Archive) -> None:
    """Articles of equal times: in one portal, across portals, an edit and a new undated
    article at the same crawl; a document."""
    for portal in (HANAM, HANAM2, QNAM):
        archive.upsert_portal(portal, CRAWL)
    for n in range(1, 5):
        archive.upsert_article(article("hanam", n, 20, list_position=None), CRAWL)
    archive.upsert_article(article("qnam", 7, 20), CRAWL)
    archive.upsert_article(article("qnam", 8, 20, section="su-kien"), CRAWL)
    archive.upsert_article(article("hanam", 5, 1, published=None), CRAWL)
    archive.upsert_article(article("hanam", 2, 20, content_html="<p>Sửa.</p>"), LATER)
    archive.upsert_article(article("qnam", 9, 1, published=None), LATER)
    attachment(archive)


def test_entry_times_and_every_file_are_those_of_the_build_before_fingerprints(tmp_path):
    # tests/fixtures/build_ties was written by the build before fingerprints and streaming.
    with Archive.open(tmp_path / "a.sqlite3", now=CRAWL) as archive:
        ties(archive)
        build_feeds(archive, tmp_path / "new", **OPTIONS)
        built = snapshot(tmp_path / "new")
        assert {p: data for p, (data, _) in built.items()} == {
            p: data for p, (data, _) in snapshot(FIXTURE).items()
        }
        build_feeds(archive, tmp_path / "new", **OPTIONS)
    assert snapshot(tmp_path / "new") == built
