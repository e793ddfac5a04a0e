"""A fetch whose body shrank drastically is held, not applied: a renamed body selector
(a layout change) never rewrites history, while an editor's cut is applied once a fetch
at least 6 h later confirms it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest

from crawler.definition import definition_hash
from tests.conftest import map_args, tinmoi
from tinmoi.portals import spider_class
from tinmoi.snapshot import SnapshotSite, snapshot_dir
from tinmoi.snapshot_pages import rename_attribute

pytestmark = pytest.mark.e2e

PORTAL = "sxd_dongnai"
T0 = "2025-08-01T09:00:00+07:00"
LAYOUT = (
    "sxd_dongnai: 12 of 12 articles came back with most of their body gone "
    "(held, not applied): has the layout changed?\n"
)
#: Body lengths (characters of text) of the 12 articles as the snapshot serves them.
LENGTHS = {
    "sxd_dongnai:1450": 404, "sxd_dongnai:1461": 327, "sxd_dongnai:1470": 366,
    "sxd_dongnai:1482": 362, "sxd_dongnai:1495": 425, "sxd_dongnai:1503": 369,
    "sxd_dongnai:1518": 446, "sxd_dongnai:1532": 410, "sxd_dongnai:1549": 441,
    "sxd_dongnai:1561": 464, "sxd_dongnai:1574": 631, "sxd_dongnai:1587": 545,
}  # fmt: skip


@pytest.fixture
def site(tmp_path: Path) -> Iterator[SnapshotSite]:
    """A private copy of the NukeViet snapshot (tests change it), served on loopback."""
    root = tmp_path / "snapshot"
    shutil.copytree(snapshot_dir(PORTAL), root)
    site = SnapshotSite(root).start()
    yield site
    site.stop()


def crawl(site: SnapshotSite, tmp: Path, now: str, *extra: str):
    return tinmoi(
        "run", PORTAL, *map_args(site), "--profile", "loopback",
        "--db", str(tmp / "tinmoi.sqlite3"), "--out", str(tmp / "public"),
        "--site-url", "https://feeds.example", "--now", now, *extra,
    )  # fmt: skip


def article_pages(site: SnapshotSite) -> dict[str, str]:
    """Request target → file of every article page."""
    routes = json.loads((site.root / "main" / "routes.json").read_text())
    return {t: f for t, f in routes.items() if isinstance(f, str) and f.startswith("articles/")}


def rename_body_selector(site: SnapshotSite) -> None:
    """A theme update: ``#news-bodyhtml`` is called something else on every article page."""
    site.servers["main"].faults = {
        target: ["rename:news-bodyhtml=news-content"] * 10 for target in article_pages(site)
    }


def archived(tmp: Path) -> dict[str, tuple[int, int]]:
    """Key → (revisions, characters of the current body text)."""
    with sqlite3.connect(tmp / "tinmoi.sqlite3") as conn:
        rows = conn.execute(
            "select a.key, count(r.id), length(a.content_text) from articles a "
            "join revisions r on r.article_id = a.id group by a.key order by a.key"
        ).fetchall()
    return {key: (count, length) for key, count, length in rows}


def pending(tmp: Path) -> list[tuple]:
    with sqlite3.connect(tmp / "tinmoi.sqlite3") as conn:
        return conn.execute(
            "select a.key, p.first_fetched, p.last_fetched, length(p.content_text) "
            "from pending_revisions p join articles a on a.id = p.article_id order by a.key"
        ).fetchall()


def atom_updated(tmp: Path) -> dict[str, str]:
    """Entry link → its ``updated`` in the portal's Atom feed."""
    feed = feedparser.parse(tmp / "public" / PORTAL / "atom.xml")
    return {entry.link: entry.updated for entry in feed.entries}


def test_a_renamed_body_selector_holds_every_article_and_fails_the_portal(site, tmp_path):
    assert crawl(site, tmp_path, T0).returncode == 0
    assert archived(tmp_path) == {key: (1, length) for key, length in LENGTHS.items()}
    published = atom_updated(tmp_path)
    assert len(published) == 12
    rename_body_selector(site)
    broken = crawl(site, tmp_path, "2025-08-01T10:00:00+07:00", "--refresh")
    # Said at once; the portal is marked failing from its second failed crawl in a row.
    assert (broken.returncode, broken.stderr) == (0, LAYOUT)
    assert archived(tmp_path) == {key: (1, length) for key, length in LENGTHS.items()}
    assert atom_updated(tmp_path) == published  # nothing republished as updated
    held = pending(tmp_path)
    assert [(key, first) for key, first, _, _ in held] == [
        (key, "2025-08-01T10:00:00+07:00") for key in LENGTHS
    ]
    assert held[6][3] == 110  # sxd_dongnai:1518, cut to its lead
    assert feedparser.parse(tmp_path / "public" / "_health" / "atom.xml").entries == []
    db = str(tmp_path / "tinmoi.sqlite3")
    status = tinmoi("status", "--db", db, check=True).stdout
    assert (
        "  sxd_dongnai  ok       since 2025-08-01 09:00 (1 failed crawl: failing if the next one"
        " fails too)  last: 12 of 12 articles" in status
    )
    assert status.endswith(
        "\nHeld revisions\n  sxd_dongnai  12 held (the oldest since 2025-08-01 10:00)\n"
    )
    document = json.loads(tinmoi("status", "--json", "--db", db, check=True).stdout)
    assert document["held_revisions"] == {
        "sxd_dongnai": {"articles": 12, "oldest": "2025-08-01T10:00:00+07:00"}
    }
    history = tinmoi("history", "sxd_dongnai:1518", "--db", db, check=True).stdout
    [held_line] = [line for line in history.splitlines() if line.startswith("held  ")]
    assert held_line.startswith("held  2025-08-01 10:00 +0700  ")
    assert held_line.endswith(
        "  body 110 characters against 446: "
        "becomes r2 if a fetch from 2025-08-01 16:00 +0700 gives it again"
    )

    # Under 6 h later the same broken body is still held, its clock unchanged; the second
    # failed crawl in a row marks the portal failing.
    again = crawl(site, tmp_path, "2025-08-01T14:00:00+07:00", "--refresh")
    assert (again.returncode, again.stderr) == (3, LAYOUT)
    assert archived(tmp_path) == {key: (1, length) for key, length in LENGTHS.items()}
    assert [row[1:3] for row in pending(tmp_path)] == [
        ("2025-08-01T10:00:00+07:00", "2025-08-01T14:00:00+07:00")
    ] * 12
    health = feedparser.parse(tmp_path / "public" / "_health" / "atom.xml").entries
    assert [(e.title, e.summary) for e in health] == [("sxd_dongnai is failing", LAYOUT.strip())]
    status = tinmoi("status", "--db", db, check=True).stdout
    assert "  sxd_dongnai  failing  since 2025-08-01 14:00  last: 12 of 12 articles" in status

    # 6 h later still broken everywhere: a layout change, never confirmed as an edit.
    later = crawl(site, tmp_path, "2025-08-01T17:00:00+07:00", "--refresh")
    assert (later.returncode, later.stderr) == (3, LAYOUT)
    assert archived(tmp_path) == {key: (1, length) for key, length in LENGTHS.items()}
    assert len(pending(tmp_path)) == 12

    # The portal's pages are whole again: nothing is held, the portal recovers.
    site.servers["main"].faults = {}
    fixed = crawl(site, tmp_path, "2025-08-01T18:00:00+07:00", "--refresh")
    assert (fixed.returncode, fixed.stderr) == (0, "")
    assert archived(tmp_path) == {key: (1, length) for key, length in LENGTHS.items()}
    assert pending(tmp_path) == []
    assert atom_updated(tmp_path) == published


def test_a_body_selector_finding_nothing_drops_the_fetches_and_keeps_the_archive(site, tmp_path):
    assert crawl(site, tmp_path, T0).returncode == 0
    site.servers["main"].faults = {
        target: ["rename:news-bodyhtml=news-content,hometext=lead"]
        for target in article_pages(site)
    }
    broken = crawl(site, tmp_path, "2025-08-01T10:00:00+07:00", "--refresh")
    assert (broken.returncode, broken.stderr) == (
        0,  # a first failed crawl: said, not yet marked
        "sxd_dongnai: 12 of 12 articles lack a title, date or body: has the layout changed?\n",
    )
    assert archived(tmp_path) == {key: (1, length) for key, length in LENGTHS.items()}
    assert pending(tmp_path) == []


def test_an_editors_cut_is_applied_when_a_fetch_6h_later_gives_it_again(site, tmp_path):
    assert crawl(site, tmp_path, T0).returncode == 0
    published = atom_updated(tmp_path)
    main = site.root / "main" / "articles"
    cut = main / "tin-tuc-su-kien-1518.html"
    html = cut.read_text()
    start = html.index('<div id="news-bodyhtml"')
    end = html.index("</div>", start)
    cut.write_text(html[:start] + '<div id="news-bodyhtml"><p>Xem tệp đính kèm.</p>' + html[end:])
    edited = main / "tin-tuc-su-kien-1532.html"
    text = edited.read_text()
    assert text.count("trước ngày 30/9/2024") == 1
    edited.write_text(text.replace("trước ngày 30/9/2024", "trước ngày 15/10/2024"))
    first = crawl(site, tmp_path, "2025-08-01T10:00:00+07:00", "--refresh")
    assert (first.returncode, first.stderr) == (0, "")
    state = archived(tmp_path)
    # A genuine edit of normal size is applied at once; the cut is held.
    assert (state["sxd_dongnai:1532"], state["sxd_dongnai:1518"]) == ((2, 411), (1, 446))
    assert [row[0] for row in pending(tmp_path)] == ["sxd_dongnai:1518"]
    db = str(tmp_path / "tinmoi.sqlite3")
    status = tinmoi("status", "--db", db, check=True).stdout
    assert status.endswith(
        "\nHeld revisions\n  sxd_dongnai  1 held (the oldest since 2025-08-01 10:00)\n"
    )
    changed = {
        link: when for link, when in atom_updated(tmp_path).items() if published[link] != when
    }
    assert [(link.rsplit("-", 1)[1], when) for link, when in changed.items()] == [
        ("1532.html", "2025-08-01T10:00:00+07:00")
    ]

    # Plain runs: the article is old, but its held revision brings it back once due.
    page = next(t for t in article_pages(site) if t.endswith("-1518.html"))
    seen = len(site.servers["main"].requests)
    soon = crawl(site, tmp_path, "2025-08-01T15:59:00+07:00")
    assert (soon.returncode, soon.stderr) == (0, "")
    assert page not in site.servers["main"].requests[seen:]
    assert archived(tmp_path)["sxd_dongnai:1518"] == (1, 446)
    seen = len(site.servers["main"].requests)
    confirmed = crawl(site, tmp_path, "2025-08-01T16:00:00+07:00")
    assert (confirmed.returncode, confirmed.stderr) == (0, "")
    assert [t for t in site.servers["main"].requests[seen:] if t.endswith(".html")] == [page]
    assert archived(tmp_path)["sxd_dongnai:1518"] == (2, 128)
    assert pending(tmp_path) == []
    feed = feedparser.parse(tmp_path / "public" / PORTAL / "atom.xml")
    [entry] = [e for e in feed.entries if e.link.endswith("-1518.html")]
    assert entry.updated == "2025-08-01T16:00:00+07:00"


def test_each_revision_records_the_portal_definition_that_extracted_it(site, tmp_path):
    spider = spider_class(PORTAL)
    digest = definition_hash(spider)
    assert len(digest) == 64 and digest == definition_hash(spider_class(PORTAL))
    renamed = type("Renamed", (spider,), {"body_selector": "#news-content"})
    assert definition_hash(renamed) != digest
    assert crawl(site, tmp_path, T0).returncode == 0
    with sqlite3.connect(tmp_path / "tinmoi.sqlite3") as conn:
        stored = conn.execute("select distinct definition from revisions").fetchall()
    assert stored == [(digest,)]
    history = tinmoi("history", "sxd_dongnai:1518", "--db", str(tmp_path / "tinmoi.sqlite3"))
    [line] = [line for line in history.stdout.splitlines() if line.startswith("r1 ")]
    assert f"  definition {digest[:12]}  " in line


def test_the_rename_fault_renames_an_id_and_a_class_token_and_nothing_else():
    page = (
        b'<div id="news-bodyhtml" class="bodytext"><p class=\'x news-bodyhtml\'>'
        b'news-bodyhtml</p><i id="news-bodyhtml-2"></i></div>'
    )
    assert rename_attribute(page, "news-bodyhtml", "news-content") == (
        b'<div id="news-content" class="bodytext"><p class=\'x news-content\'>'
        b'news-bodyhtml</p><i id="news-bodyhtml-2"></i></div>'
    )
