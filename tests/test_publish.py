"""Published feeds are never replaced by emptier ones, and commands that only read never
create an archive."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from lxml import etree

from crawler.archive import Archive
from feeds.build import build_feeds
from feeds.write import OutputError, items_in
from tests.test_feeds import CRAWL, HANAM, HANAM2, QNAM, SITE, article
from tinmoi.cli import main

FEEDS = [
    "all", "hanam", "hanam/tin", "hanam_so", "qnam", "qnam/tin", "tinh/ha-nam", "tinh/quang-nam",
]  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """An archive of three articles from three portals."""
    path = tmp_path / "a.sqlite3"
    with Archive.open(path, now=CRAWL) as archive:
        for portal in (HANAM, HANAM2, QNAM):
            archive.upsert_portal(portal, CRAWL)
        archive.upsert_article(article("hanam", 1, 20), CRAWL)
        archive.upsert_article(article("hanam", 2, 21), CRAWL)
        archive.upsert_article(article("qnam", 7, 19), CRAWL)
    return path


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    """Every file and folder under ``out`` (hidden ones too), with its bytes and mtime."""
    return {
        str(p.relative_to(out)): (p.read_bytes(), p.stat().st_mtime_ns) if p.is_file() else None
        for p in sorted(out.rglob("*"))
    }


def items(path: Path) -> int:
    feed = feedparser.parse(path)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return len(feed.entries)


def opml_feeds(out: Path) -> list[str]:
    opml = etree.parse(str(out / "feeds.opml"))
    return [o.get("xmlUrl") for o in opml.iter("outline") if o.get("xmlUrl")]


def build(db: Path, out: Path, **options) -> None:
    with Archive.open(db, now=CRAWL) as archive:
        build_feeds(archive, out, site_url=SITE, **options)


@pytest.mark.parametrize(
    "command",
    [
        ["build", "--out", "{tmp}/public"],
        ["status"],
        ["search", "hà nam"],
        ["export", "--format", "csv", "-o", "{tmp}/out.csv"],
        ["history", "hanam:news_1"],
        ["backup", "{tmp}/copy.sqlite3"],
        ["browse"],
    ],
    ids=lambda command: command[0],
)
def test_commands_that_only_read_refuse_a_missing_archive(tmp_path, capsys, command):
    missing = tmp_path / "nonexistent" / "dir" / "a.sqlite3"
    argv = [part.format(tmp=tmp_path) for part in command]
    assert main([*argv, "--db", str(missing)]) == 1
    assert capsys.readouterr().err == f"tinmoi: no archive at {missing}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing created


def test_a_build_from_an_emptier_archive_writes_nothing(db, tmp_path):
    out = tmp_path / "public"
    build(db, out)
    before = snapshot(out)
    empty = tmp_path / "empty.sqlite3"
    Archive.open(empty, now=CRAWL).close()
    with pytest.raises(OutputError) as refused:
        build(empty, out)
    assert str(refused.value) == (
        f"refusing to publish emptier feeds in {out}: all/atom.xml would go from 3 to 0 items "
        "and 2 more files would lose items; 7 feeds would be dropped (hanam, hanam/tin, "
        "hanam_so, …); nothing was written (tinmoi build --force publishes them anyway)"
    )
    assert snapshot(out) == before


def test_the_command_line_refuses_it_in_one_line_and_force_publishes_it(db, tmp_path, capsys):
    out = tmp_path / "public"
    build(db, out)
    before = snapshot(out)
    empty = tmp_path / "empty.sqlite3"
    Archive.open(empty, now=CRAWL).close()
    build_args = ["build", "--db", str(empty), "--out", str(out), "--site-url", SITE]
    assert main(build_args) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"tinmoi: refusing to publish emptier feeds in {out}: ")
    assert len(err.splitlines()) == 1
    assert snapshot(out) == before

    assert main([*build_args, "--force"]) == 0
    assert capsys.readouterr().out == f"1 feeds in {out}/ (1 changed)\n"
    assert items(out / "all" / "rss.xml") == 0
    assert opml_feeds(out) == [f"{SITE}/all/rss.xml"]
    left = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    assert left == [
        ".tinmoi", ".tinmoi/build.json", "_health", "_health/atom.xml", "all", "all/atom.xml",
        "all/feed.json", "all/index.html", "all/rss.xml", "feeds.opml", "index.html",
    ]  # fmt: skip


def test_one_feed_losing_an_item_is_refused(db, tmp_path):
    out = tmp_path / "public"
    build(db, out)
    fewer = tmp_path / "fewer.sqlite3"
    with Archive.open(fewer, now=CRAWL) as archive:
        for portal in (HANAM, HANAM2, QNAM):
            archive.upsert_portal(portal, CRAWL)
        archive.upsert_article(article("hanam", 1, 20), CRAWL)
        archive.upsert_article(article("qnam", 7, 19), CRAWL)
    shrunk = r": all/atom\.xml would go from 3 to 2 items and 11 more files would lose items;"
    with pytest.raises(OutputError, match=shrunk):
        build(fewer, out)
    assert items(out / "hanam" / "rss.xml") == 2


def test_items_are_counted_in_every_feed_file_whole_or_not(db, tmp_path):
    out = tmp_path / "public"
    build(db, out)
    rss, atom = (out / "hanam" / "rss.xml").read_bytes(), (out / "all" / "atom.xml").read_bytes()
    commented = rss.replace(b"<item>", b"<!-- <item> --><item>", 1)
    prefixed = atom.replace(b"<entry>", b"<a:entry xmlns:a='http://www.w3.org/2005/Atom'>")
    prefixed = prefixed.replace(b"</entry>", b"</a:entry>")
    counts = [
        items_in("rss.xml", rss),
        items_in("atom.xml", atom),
        items_in("rss.xml", commented),
        items_in("atom.xml", prefixed),
        items_in("rss.xml", rss[: rss.rindex(b"</item>")]),
        items_in("feed.json", (out / "hanam" / "feed.json").read_bytes()),
    ]
    assert counts == [2, 3, 2, 3, 0, 2]


def test_a_lowered_limit_shortens_feeds_to_the_new_limit(db, tmp_path):
    out = tmp_path / "public"
    build(db, out)
    build(db, out, limit=1)
    assert [items(out / path / "rss.xml") for path in ("all", "hanam", "qnam")] == [1, 1, 1]


def test_a_taken_down_article_stays_in_its_feeds_and_the_build_goes_on(db, tmp_path):
    out = tmp_path / "public"
    build(db, out)
    with Archive.open(db, now=CRAWL) as archive:
        assert archive.mark_removed("hanam:news_2", CRAWL)
    build(db, out)
    assert items(out / "hanam" / "rss.xml") == 2


def test_dropping_a_saved_search_needs_force_and_then_removes_its_feed(db, tmp_path):
    out = tmp_path / "public"
    build(db, out, searches=("nội dung",))
    assert items(out / "tim" / "noi-dung" / "rss.xml") == 3
    with pytest.raises(OutputError, match=r": 1 feeds would be dropped \(tim/noi-dung\);"):
        build(db, out)
    assert f"{SITE}/tim/noi-dung/rss.xml" in opml_feeds(out)
    build(db, out, force=True)
    assert not (out / "tim").exists()
    assert sorted(opml_feeds(out)) == sorted(f"{SITE}/{path}/rss.xml" for path in FEEDS)


def test_a_killed_builds_staging_folder_is_removed_by_the_next_build(db, tmp_path):
    out = tmp_path / "public"
    build(db, out)
    gone = 2**22 + 1  # above Linux's largest process id: never running
    abandoned = out / f".build-{gone}-x1y2"
    abandoned.mkdir()
    (abandoned / "tmpabc").write_bytes(b"<rss/>")
    build(db, out)  # nothing changed: nothing staged, and still cleaned
    # what is left is the build's memory of what it published (feeds/reuse.py)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".tinmoi"]
