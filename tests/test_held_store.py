"""Held revisions and definition digests in the archive, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from crawler.archive import Archive
from crawler.archive.migrations import MIGRATIONS
from crawler.archive.revisions import drastic_shrink
from crawler.items import Article
from tests.test_archive import schema_of

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2024, 7, 1, 9, 0, tzinfo=TZ)
LEAD = "Chiều 25/6, Sở Xây dựng họp với các chủ đầu tư dự án nhà ở xã hội."
BODY = "Các dự án phải hoàn thành thủ tục đầu tư trước quý IV năm 2024, theo kế hoạch. "
FULL = LEAD + " " + BODY * 4  # 383 characters


def fetched(text_: str, title: str = "Đẩy nhanh nhà ở xã hội", **changes) -> Article:
    values = dict(
        portal="sxd_dongnai",
        key="sxd_dongnai:1518",
        url="https://sxd.dongnai.gov.vn/vi/news/tin-tuc-su-kien/day-nhanh-1518.html",
        section="tin-tuc-su-kien",
        title=title,
        title_source="page",
        published=datetime(2024, 6, 25, 14, 30, tzinfo=TZ),
        date_source="meta",
        content_html=f"<p>{text_}</p>",
        content_text=text_,
        summary=text_[:80],
        content_hash=f"{len(text_)}-{title}",
        list_position=1,
    )
    return Article(**(values | changes))


@pytest.fixture
def archive(archive_url):
    with Archive.open(archive_url, now=NOW) as opened:
        yield opened


def test_the_rule_is_under_half_and_more_than_100_characters_shorter():
    assert (len(FULL), len(LEAD)) == (383, 66)
    assert drastic_shrink(FULL, LEAD)  # 383 -> 66
    assert not drastic_shrink(FULL, FULL[:200])  # half and more: an edit
    assert not drastic_shrink("x" * 180, "x" * 81)  # under half, but only 99 shorter
    assert drastic_shrink("x" * 180, "x" * 79)  # under half and 101 shorter


def test_a_drastic_shrink_is_held_until_a_fetch_6h_later_gives_it_again(archive):
    assert archive.upsert_article(fetched(FULL), NOW, "def-1") == "new"
    first = NOW + timedelta(hours=1)
    assert archive.upsert_article(fetched(LEAD), first, "def-2") == "held"
    stored = archive.get("sxd_dongnai:1518")
    assert (stored.content_text, stored.updated, stored.last_seen) == (FULL, NOW, first)
    assert [r["revision"] for r in archive.revisions("sxd_dongnai:1518")] == [1]
    held = archive.pending_revision("sxd_dongnai:1518")
    assert (held["content_text"], held["first_fetched"], held["confirm_from"]) == (
        LEAD,
        first,
        NOW + timedelta(hours=7),
    )
    assert held["definition"] == "def-2"
    assert archive.held_by_portal() == {"sxd_dongnai": (1, first)}
    almost = first + timedelta(hours=5, minutes=59)
    assert archive.upsert_article(fetched(LEAD), almost, "def-2") == "held"
    assert archive.apply_pending(["sxd_dongnai:1518"], almost) == 0
    due = first + timedelta(hours=6)
    assert archive.upsert_article(fetched(LEAD), due, "def-2") == "confirmed"
    assert archive.get("sxd_dongnai:1518").content_text == FULL  # not yet: the crawl decides
    assert archive.apply_pending(["sxd_dongnai:1518"], due) == 1
    stored = archive.get("sxd_dongnai:1518")
    assert (stored.content_text, stored.updated) == (LEAD, due)
    revisions = archive.revisions("sxd_dongnai:1518")
    assert [
        (r["revision"], r["fetched"], r["content_text"], r["definition"]) for r in revisions
    ] == [
        (1, NOW, FULL, "def-1"),
        (2, due, LEAD, "def-2"),
    ]
    assert archive.pending_revision("sxd_dongnai:1518") is None
    assert archive.held_by_portal() == {}


def test_another_short_body_starts_the_wait_again(archive):
    archive.upsert_article(fetched(FULL), NOW, "d")
    archive.upsert_article(fetched(LEAD), NOW + timedelta(hours=1), "d")
    other = LEAD + " Xem tệp đính kèm."
    later = NOW + timedelta(hours=8)
    assert archive.upsert_article(fetched(other), later, "d") == "held"
    held = archive.pending_revision("sxd_dongnai:1518")
    assert (held["content_text"], held["first_fetched"]) == (other, later)
    assert archive.apply_pending(["sxd_dongnai:1518"], later) == 0


def test_a_whole_body_again_or_a_normal_edit_forgets_the_held_fetch(archive):
    archive.upsert_article(fetched(FULL), NOW, "d")
    archive.upsert_article(fetched(LEAD), NOW + timedelta(hours=1), "d")
    assert archive.upsert_article(fetched(FULL), NOW + timedelta(hours=2), "d") == "unchanged"
    assert archive.pending_revision("sxd_dongnai:1518") is None
    archive.upsert_article(fetched(LEAD), NOW + timedelta(hours=3), "d")
    edit = FULL.replace("quý IV", "quý III")
    later = NOW + timedelta(hours=4)
    assert archive.upsert_article(fetched(edit), later, "d") == "updated"
    assert archive.pending_revision("sxd_dongnai:1518") is None
    assert [(r["revision"], r["content_text"]) for r in archive.revisions("sxd_dongnai:1518")] == [
        (1, FULL),
        (2, edit),
    ]
    assert archive.get("sxd_dongnai:1518").updated == later


def test_a_title_change_with_a_whole_body_is_an_edit_of_normal_size(archive):
    archive.upsert_article(fetched(FULL), NOW, "d")
    later = NOW + timedelta(hours=1)
    assert archive.upsert_article(fetched(FULL, title="Nhà ở xã hội"), later, "e") == "updated"
    assert [r["definition"] for r in archive.revisions("sxd_dongnai:1518")] == ["d", "e"]


def _back_to_version_6(archive: Archive) -> None:
    """The archive as version 6 left it: none of version 7's retry columns and document
    links, no ``definition``, ``pending_revisions``, ``section_slugs`` or
    ``portal_changes``."""
    with archive.engine.begin() as conn:
        conn.execute(text("DROP TABLE document_links"))
        conn.execute(text('ALTER TABLE dropped DROP COLUMN "key"'))
        conn.execute(text("ALTER TABLE dropped DROP COLUMN listed"))
        conn.execute(text("DROP TABLE pending_revisions"))
        conn.execute(text("ALTER TABLE revisions DROP COLUMN definition"))
        conn.execute(text("DROP TABLE section_slugs"))
        conn.execute(text("DROP TABLE portal_changes"))
        conn.execute(text("DELETE FROM schema_version"))
        conn.execute(text("INSERT INTO schema_version VALUES (6, '2024-07-01T09:00:00+07:00')"))


def test_an_archive_at_version_6_gets_definitions_and_held_revisions(archive_url):
    with Archive.open(archive_url, now=NOW) as archive:
        archive.upsert_article(fetched(FULL), NOW, "d")
        expected = schema_of(archive)
        _back_to_version_6(archive)
    later = NOW + timedelta(days=1)
    with Archive.open(archive_url, now=later) as upgraded:
        assert schema_of(upgraded) == expected
        assert [r["definition"] for r in upgraded.revisions("sxd_dongnai:1518")] == [None]
        assert upgraded.upsert_article(fetched(LEAD), later, "e") == "held"
        with upgraded.engine.connect() as conn:
            versions = conn.execute(text("select version from schema_version order by 1"))
            assert [v for (v,) in versions] == [6, *sorted(v for v in MIGRATIONS if v > 6)]


def test_the_bundled_version_6_archive_is_upgraded_in_place(tmp_path):
    old = tmp_path / "v6.sqlite3"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "archives" / "v6.sqlite3", old)
    later = NOW + timedelta(days=1)
    with Archive.open(old, now=later) as upgraded:
        [revision] = upgraded.revisions("sxd_dongnai:1518")
        assert (revision["revision"], len(revision["content_text"]), revision["definition"]) == (
            1,
            396,
            None,
        )
        assert upgraded.upsert_article(fetched(LEAD), later, "e") == "held"
        with Archive.open(tmp_path / "fresh.sqlite3", now=NOW) as fresh:
            assert schema_of(upgraded) == schema_of(fresh)


def test_an_old_article_holding_a_revision_is_due_for_a_revisit_6h_after_its_fetch(archive):
    archive.upsert_article(fetched(FULL), NOW, "d")
    held_at = NOW + timedelta(hours=1)
    archive.upsert_article(fetched(LEAD), held_at, "d")
    old = NOW - timedelta(hours=72)  # the article (25/6) is older than the revisit age
    assert archive.due_revisits("sxd_dongnai", old, held_at - timedelta(minutes=1)) == []
    [due] = archive.due_revisits("sxd_dongnai", old, held_at)
    assert (due["key"], due["section"]) == ("sxd_dongnai:1518", "tin-tuc-su-kien")
    archive.upsert_article(fetched(FULL), held_at + timedelta(hours=6), "d")
    assert archive.due_revisits("sxd_dongnai", old, held_at + timedelta(hours=6)) == []


def test_most_articles_held_is_a_layout_change_a_few_are_reported_and_ok():
    from crawler.run import judge

    stats = {"tinmoi/listing/pages": 5, "downloader/request_count": 20}
    layout = judge(
        "p", "http://p", stats | {"tinmoi/articles/held": 3, "tinmoi/articles/unchanged": 2}
    )
    assert (layout.status, layout.held, layout.message) == (
        "failing",
        3,
        "p: 3 of 5 articles came back with most of their body gone (held, not applied): "
        "has the layout changed?",
    )
    few = judge(
        "p", "http://p", stats | {"tinmoi/articles/held": 2, "tinmoi/articles/unchanged": 2}
    )
    assert (few.status, few.message) == (
        "ok",
        "p: 0 new, 0 updated, 2 unchanged, 0 dropped (20 requests), "
        "2 held (body much shorter than archived)",
    )
    alone = judge("p", "http://p", stats | {"tinmoi/articles/held": 2})
    assert alone.status == "ok"  # under 3 articles fetched: cannot tell
