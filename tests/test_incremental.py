"""A build renders a feed again only when one of its inputs changed, and its output is
what a build from scratch gives."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

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
HA_NAM, QUANG_NAM = "feeds-ha-nam.opml", "feeds-quang-nam.opml"


def fill(archive: Archive) -> None:
    """Three portals (one without articles) and three articles."""
    for portal in (HANAM, HANAM2, QNAM):
        archive.upsert_portal(portal, CRAWL)
    archive.upsert_article(article("hanam", 1, 20), CRAWL)
    archive.upsert_article(article("hanam", 2, 21), CRAWL)
    archive.upsert_article(article("qnam", 7, 19), CRAWL)


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    """Every published file under ``out`` with its bytes and modification time (the
    build's own memory, ``.tinmoi/``, left out)."""
    return {
        p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.relative_to(out).as_posix().startswith(".tinmoi/")
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
        | {*ROOT_FILES, HA_NAM},
    ),
    "edited article": (
        edited,
        {},
        ("all", "hanam_so", "qnam", "qnam/tin", "tim/qnam", "tinh/quang-nam"),
        in_folders(("all", "qnam", "qnam/tin", "tim/qnam", "tinh/quang-nam"), TIMED)
        | in_folders(("hanam_so",), DATED)
        | {"feeds.opml", HA_NAM, QUANG_NAM},
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
        | {*ROOT_FILES, QUANG_NAM}
        | in_folders(("all", "tim/qnam", "tinh/quang-nam"), ("index.html",)),
    ),
    "section title": (
        section_title,
        {},
        ("all", "hanam", "hanam/tin", "tinh/ha-nam"),
        in_folders(("all", "hanam", "hanam/tin", "tinh/ha-nam")) | {*ROOT_FILES, HA_NAM},
    ),
    "site url": (
        unchanged,
        {"site_url": "https://other.example"},
        EVERY,
        in_folders(EVERY) | {*ROOT_FILES, HA_NAM, QUANG_NAM, "_health/atom.xml"},
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
    # tests/fixtures/build_ties was written by the build before fingerprints and streaming,
    # and before the provinces' lists (which the index page now links to).
    with Archive.open(tmp_path / "a.sqlite3", now=CRAWL) as archive:
        ties(archive)
        build_feeds(archive, tmp_path / "new", **OPTIONS)
        built = snapshot(tmp_path / "new")
        new = {p: data for p, (data, _) in built.items()}
        assert new.keys() == snapshot(FIXTURE).keys() | {HA_NAM, QUANG_NAM}
        lists = rb'<p class="muted">Danh s[^\n]*?</p>'
        new["index.html"], links = re.subn(lists, b"", new["index.html"])
        assert links == 2
        assert {p: new[p] for p in snapshot(FIXTURE)} == {
            p: data for p, (data, _) in snapshot(FIXTURE).items()
        }
        build_feeds(archive, tmp_path / "new", **OPTIONS)
    assert snapshot(tmp_path / "new") == built


def outlines(path: Path) -> list[tuple[int, str, str | None]]:
    """An OPML file's outlines: depth, text and feed URL."""
    body = etree.parse(str(path)).getroot().find("body")
    return [
        (len(list(o.iterancestors())) - 2, o.get("text"), o.get("xmlUrl"))
        for o in body.iter("outline")
    ]


def test_each_province_gets_its_own_list_beside_the_full_one(tmp_path):
    out = tmp_path / "public"
    with Archive.open(tmp_path / "a.sqlite3", now=CRAWL) as archive:
        fill(archive)
        build_feeds(archive, out, **OPTIONS)
    assert outlines(out / HA_NAM) == [
        (0, "Tỉnh Hà Nam", None),
        (1, "Tin mới tỉnh Hà Nam", f"{SITE}/tinh/ha-nam/rss.xml"),
        (1, "Cổng Du lịch Hà Nam", None),
        (2, "Cổng Du lịch Hà Nam – Tin mới", f"{SITE}/hanam/rss.xml"),
        (2, "Tin tức – Cổng Du lịch Hà Nam", f"{SITE}/hanam/tin/rss.xml"),
        (1, "Sở VHTTDL Hà Nam", None),
        (2, "Sở VHTTDL Hà Nam – Tin mới", f"{SITE}/hanam_so/rss.xml"),
    ]
    assert outlines(out / QUANG_NAM) == [
        (0, "Tỉnh Quảng Nam", None),
        (1, "Tin mới tỉnh Quảng Nam", f"{SITE}/tinh/quang-nam/rss.xml"),
        (1, "Du lịch Quảng Nam", None),
        (2, "Du lịch Quảng Nam – Tin mới", f"{SITE}/qnam/rss.xml"),
        (2, "Tin – Du lịch Quảng Nam", f"{SITE}/qnam/tin/rss.xml"),
    ]
    head = etree.parse(str(out / HA_NAM)).getroot().find("head")
    assert [head.findtext("title"), head.findtext("dateModified")] == [
        "tinmoi – tin mới tỉnh Hà Nam",
        "Fri, 21 Jun 2024 00:00:00 +0700",
    ]
    # the full list holds every province's outline as it is
    full = outlines(out / "feeds.opml")
    assert [text for _, text, _ in full[:3]] == [
        "Tin mới các cổng thông tin tỉnh",
        "Tìm kiếm đã lưu",
        "Tìm: qnam",
    ]
    assert full[3:] == outlines(out / HA_NAM) + outlines(out / QUANG_NAM)
    index = (out / "index.html").read_text()
    assert index.count('<a href="feeds-ha-nam.opml">feeds-ha-nam.opml</a>') == 1
    assert index.count('<a href="feeds-quang-nam.opml">feeds-quang-nam.opml</a>') == 1
