"""A build skips the groups whose portals did not change since it last published them: it
reads none of their articles, and writes what a build reading everything writes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from crawler.archive import Archive
from feeds.build import build_feeds
from feeds.reuse import PATH
from tests.test_feeds import SITE, article
from tests.test_incremental import CRAWL, LATER, fill, snapshot

OPTIONS: dict[str, Any] = {"site_url": SITE, "limit": 50}


@contextmanager
def portals_read(archive: Archive) -> Iterator[set[str]]:
    """The portals whose articles the statements run meanwhile ask for by name (a query
    of every portal's, such as the ``all`` feed's, names none)."""
    names = {portal.name for portal in archive.portals()}
    found: set[str] = set()

    def seen(conn: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
        if "FROM articles" in statement:
            values = parameters.values() if isinstance(parameters, dict) else parameters
            found.update(p for p in values if isinstance(p, str) and p in names)

    event.listen(archive.engine, "before_cursor_execute", seen)
    try:
        yield found
    finally:
        event.remove(archive.engine, "before_cursor_execute", seen)


def bytes_of(out: Path) -> dict[str, bytes]:
    """Every published file's bytes."""
    return {p: data for p, (data, _) in snapshot(out).items()}


@contextmanager
def published(url: str, tmp_path: Path) -> Iterator[tuple[Archive, Path]]:
    """The archive of :func:`fill` at ``url``, built once into ``tmp_path/public``."""
    out = tmp_path / "public"
    with Archive.open(url, now=CRAWL) as archive:
        fill(archive)
        build_feeds(archive, out, **OPTIONS)
        yield archive, out


def test_an_unchanged_build_reads_only_the_groups_it_cannot_vouch_for(archive_url, tmp_path):
    with published(archive_url, tmp_path) as (archive, out):
        before = snapshot(out)
        memory = (out / PATH).stat().st_mtime_ns
        with portals_read(archive) as read:
            built = build_feeds(archive, out, **OPTIONS)
    assert (out / PATH).stat().st_mtime_ns == memory  # nothing to remember anew
    # hanam_so has no article: its empty feed's time is the newest of every feed's
    assert read == {"hanam_so"}
    assert snapshot(out) == before
    assert [(feed.path, feed.items, feed.changed) for feed in built] == [
        ("hanam", 2, False), ("hanam/tin", 2, False), ("hanam_so", 0, False),
        ("qnam", 1, False), ("qnam/tin", 1, False), ("tinh/ha-nam", 2, False),
        ("tinh/quang-nam", 1, False), ("all", 3, False),
    ]  # fmt: skip
    memory = json.loads((out / PATH).read_text(encoding="utf-8"))
    assert sorted(memory["groups"]) == [
        "all", "portal/hanam", "portal/qnam", "province/Hà Nam", "province/Quảng Nam"
    ]  # fmt: skip


def test_a_change_rereads_its_portals_groups_and_writes_what_a_full_build_does(
    archive_url, tmp_path
):
    with published(archive_url, tmp_path) as (archive, out):
        archive.upsert_article(article("qnam", 8, 23), LATER)
        with portals_read(archive) as read:
            build_feeds(archive, out, **OPTIONS)
        build_feeds(archive, tmp_path / "scratch", **OPTIONS)
        assert bytes_of(out) == bytes_of(tmp_path / "scratch")
        # Edited at the same pinned time as the crawl before: its counter moves all the same.
        edit = {"content_html": "<p>Sửa.</p>", "content_hash": "h8-edited"}
        archive.upsert_article(article("qnam", 8, 23, **edit), LATER)
        with portals_read(archive) as again:
            build_feeds(archive, out, **OPTIONS)
        build_feeds(archive, tmp_path / "scratch2", **OPTIONS)
    assert read == again == {"qnam", "hanam_so"}
    assert (tmp_path / "scratch2" / "qnam" / "feed.json").read_bytes().count("Sửa".encode()) == 1
    assert bytes_of(out) == bytes_of(tmp_path / "scratch2")


def test_a_feed_folder_removed_since_is_written_again(archive_url, tmp_path):
    with published(archive_url, tmp_path) as (archive, out):
        before = bytes_of(out)
        shutil.rmtree(out / "qnam" / "tin")
        with portals_read(archive) as read:
            build_feeds(archive, out, **OPTIONS)
    assert read == {"qnam", "hanam_so"}
    assert bytes_of(out) == before


def test_a_memory_that_cannot_be_read_is_a_full_build(archive_url, tmp_path):
    with published(archive_url, tmp_path) as (archive, out):
        before = bytes_of(out)
        (out / PATH).write_text('{"layout": 1, "inputs": ', encoding="utf-8")
        with portals_read(archive) as read:
            build_feeds(archive, out, **OPTIONS)
    assert read == {"hanam", "hanam_so", "qnam"}
    assert bytes_of(out) == before
