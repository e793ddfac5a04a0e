from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from crawler.archive import Archive, ArchivedArticle, PortalInfo
from crawler.archive.migrations import MIGRATIONS, SCHEMA_VERSION
from crawler.archive.sections import SectionSlug
from crawler.archive.store import ArchiveError
from crawler.items import Article

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2024, 7, 1, 9, 0, tzinfo=TZ)


def article(n: int, **changes) -> Article:
    values = dict(
        portal="p",
        key=f"p:news_{n}",
        url=f"https://p.vn/vi/detailnews/?id=news_{n}&t=a",
        section="s",
        title=f"Bài {n}",
        title_source="page",
        published=datetime(2024, 6, n, tzinfo=TZ),
        date_source="page",
        content_html=f"<p>Nội dung {n}</p>",
        content_text=f"Nội dung {n}",
        summary=f"Nội dung {n}",
        content_hash=f"h{n}",
        list_position=n,
    )
    return Article(**(values | changes))


@pytest.fixture
def archive(archive_url):
    with Archive.open(archive_url, now=NOW) as opened:
        yield opened


def test_new_archive_is_versioned(archive):
    with archive.engine.connect() as conn:
        assert (
            conn.execute(text("select max(version) from schema_version")).scalar() == SCHEMA_VERSION
        )


def test_new_sqlite_archive_is_in_wal_mode(tmp_path):
    with Archive.open(tmp_path / "a.sqlite3", now=NOW) as archive, archive.engine.connect() as conn:
        assert conn.execute(text("pragma journal_mode")).scalar() == "wal"


def test_upsert_never_duplicates_and_keeps_first_url(archive):
    assert archive.upsert_article(article(1), NOW) == "new"
    assert archive.upsert_article(article(1), NOW) == "unchanged"
    later = NOW + timedelta(hours=1)
    moved = article(1, url="https://new.vn/vi/detailnews/?id=news_1&t=b", title="Bài 1 (sửa)")
    assert archive.upsert_article(moved, later) == "updated"
    assert archive.count() == 1
    stored = archive.get("p:news_1")
    assert (stored.url, stored.title, stored.updated, stored.first_seen) == (
        "https://p.vn/vi/detailnews/?id=news_1&t=a",
        "Bài 1 (sửa)",
        later,
        NOW,
    )


def test_a_known_date_is_never_replaced_by_no_date(archive):
    archive.upsert_article(article(3), NOW)
    archive.upsert_article(article(3, published=None, date_source=None), NOW)
    assert archive.get("p:news_3").published == datetime(2024, 6, 3, tzinfo=TZ)


def test_dates_come_back_aware_in_local_time(archive):
    utc = datetime(2024, 6, 2, 17, 30, tzinfo=ZoneInfo("UTC"))
    archive.upsert_article(article(2, published=utc), NOW)
    published = archive.get("p:news_2").published
    assert published.isoformat() == "2024-06-03T00:30:00+07:00"


def test_naive_datetimes_are_refused(archive):
    with pytest.raises(Exception, match="naive datetime"):
        archive.upsert_article(article(4, published=datetime(2024, 6, 4)), NOW)


def test_latest_orders_newest_first_undated_by_first_seen(archive):
    for n in (1, 2, 3):
        archive.upsert_article(article(n), NOW)
    archive.upsert_article(article(9, published=None, date_source=None), NOW)
    assert [a.key for a in archive.latest(limit=3)] == ["p:news_9", "p:news_3", "p:news_2"]
    assert [a.key for a in archive.latest(section="other")] == []


def test_equal_times_keep_listing_order_then_key(archive):
    same = datetime(2024, 6, 5, tzinfo=TZ)
    archive.upsert_article(article(7, published=same, list_position=2), NOW)
    archive.upsert_article(article(8, published=same, list_position=1), NOW)
    archive.upsert_article(article(6, published=same, list_position=1), NOW)
    assert [a.key for a in archive.latest()] == ["p:news_6", "p:news_8", "p:news_7"]


def test_dropped_urls_are_recorded_with_reason_and_count(archive):
    archive.record_dropped("p", "https://p.vn/x", "no_title", "no title anywhere", NOW)
    archive.record_dropped("p", "https://p.vn/x", "no_title", "no title anywhere", NOW)
    [row] = archive.dropped("p")
    assert (row["url"], row["reason"], row["times"]) == ("https://p.vn/x", "no_title", 2)


def test_portals_round_trip(archive):
    info = PortalInfo("p", "Cổng P", "Hà Nam", "vnpt", "https://p.vn", {"s": "Tin tức"})
    archive.upsert_portal(info, NOW)
    archive.upsert_portal(info, NOW)
    assert archive.portals() == [info]


def test_newer_schema_is_a_clear_error(archive_url):
    with Archive.open(archive_url, now=NOW) as opened, opened.engine.begin() as conn:
        conn.execute(text("insert into schema_version values (99, '2024-07-01T09:00:00+07:00')"))
    with pytest.raises(ArchiveError, match="schema version 99, newer"):
        Archive.open(archive_url, now=NOW)


def test_unwritable_location_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ArchiveError, match="cannot open the archive"):
        Archive.open(blocker / "sub" / "a.sqlite3", now=NOW)


def schema_of(archive: Archive) -> dict[str, list[tuple[str, str]]]:
    from sqlalchemy import inspect

    inspector = inspect(archive.engine)
    return {
        table: sorted((c["name"], str(c["type"])) for c in inspector.get_columns(table))
        for table in sorted(inspector.get_table_names())
    }


def check_upgraded(upgraded: Archive, conn, first_seen: datetime) -> ArchivedArticle:
    """What every upgrade of the v1 archive must show: each version applied in order, the
    article's text as its first revision, and its fields as v1 stored them."""
    versions = conn.execute(text("select version from schema_version order by 1")).all()
    assert [v for (v,) in versions] == [1, *sorted(MIGRATIONS)]
    [(revision, title)] = conn.execute(text("select revision, title from revisions")).all()
    assert (revision, title[:9]) == (1, "Hội nghị ")
    stored = upgraded.get("hanam_tourism:news_10466")
    assert (stored.published.isoformat(), stored.date_source, stored.first_seen) == (
        "2024-06-25T00:00:00+07:00",
        "lead",
        first_seen,
    )
    return stored


def test_an_archive_written_by_the_first_version_is_upgraded_in_place(tmp_path):
    import shutil
    from pathlib import Path

    old = tmp_path / "v1.sqlite3"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "archives" / "v1.sqlite3", old)
    with Archive.open(old, now=NOW) as upgraded, upgraded.engine.connect() as conn:
        check_upgraded(upgraded, conn, first_seen=datetime(2024, 7, 1, 9, 0, tzinfo=TZ))
        assert [d["reason"] for d in upgraded.dropped()] == ["no_title"]
        assert upgraded.section_slugs("hanam_tourism") == [
            SectionSlug("tin-tuc-su-kien", "Tin tức - Sự kiện", None, True)
        ]
        with Archive.open(tmp_path / "fresh.sqlite3", now=NOW) as fresh:
            assert schema_of(upgraded) == schema_of(fresh)


def test_only_lasting_drops_keep_a_url_out_passing_ones_are_retried_with_backoff(archive):
    archive.record_dropped("p", "https://p.vn/gone", "http 404", "", NOW)
    archive.record_dropped("p", "https://p.vn/flaky", "http 503", "", NOW)
    archive.record_dropped("p", "https://p.vn/flaky", "http 503", "", NOW)  # twice: 2 h wait
    soon, later = NOW + timedelta(hours=1), NOW + timedelta(hours=2)
    assert sorted(archive.dropped_urls("p", soon)) == ["https://p.vn/flaky", "https://p.vn/gone"]
    assert sorted(archive.dropped_urls("p", later)) == ["https://p.vn/gone"]


def test_passing_drops_are_due_again_on_their_schedule_for_a_week(archive):
    listed = {"url": "https://p.vn/a", "key": "p:a", "section": "tin", "title": "A",
              "date_text": "01/07/2024", "position": 3, "modified_text": ""}  # fmt: skip
    gone = listed | {"url": "https://p.vn/g", "key": "p:g"}
    archive.record_dropped("p", "https://p.vn/a", "http 500", "", NOW, key="p:a", listed=listed)
    archive.record_dropped("p", "https://p.vn/g", "http 404", "", NOW, key="p:g", listed=gone)
    hour = timedelta(hours=1)
    assert archive.due_retries("p", NOW + 0.5 * hour) == []  # waits an hour after one failure
    assert archive.due_retries("p", NOW + hour) == [listed]  # a 404 never comes back
    archive.record_dropped("p", "https://p.vn/a", "fetch failed", "", NOW + hour, key="p:a")
    assert archive.due_retries("p", NOW + 2.5 * hour) == []  # then two hours
    assert archive.due_retries("p", NOW + 3 * hour) == [listed]
    assert archive.due_retries("p", NOW + timedelta(days=7)) == []  # given up after a week
    assert archive.due_retries("q", NOW + 3 * hour) == []
    article = Article("p", "p:a", "https://p.vn/a", "tin", "A", "page", content_text="x")
    archive.upsert_article(article, NOW + 3 * hour)
    assert archive.due_retries("p", NOW + 4 * hour) == []  # archived since


def test_documents_not_stored_yet_are_due_unless_dropped_for_good(archive):
    docs = ["https://p.vn/a.pdf", "https://p.vn/b.docx", "https://p.vn/c.pdf"]
    archive.record_documents("p", "p:a", docs, NOW)
    archive.record_documents("p", "p:a", docs[:1], NOW + timedelta(hours=5))  # once each
    archive.record_dropped("p", docs[1], "attachment http 503", "", NOW, key="p:a")
    archive.record_dropped("p", docs[2], "attachment too large", "", NOW, key="p:a")
    due = [{"key": "p:a", "url": docs[0]}]
    assert archive.due_documents("p", NOW) == due
    later = [*due, {"key": "p:a", "url": docs[1]}]
    assert archive.due_documents("p", NOW + timedelta(hours=1)) == later
    article = Article("p", "p:a", "https://p.vn/a", "tin", "A", "page", content_text="x")
    archive.upsert_article(article, NOW)
    archive.add_attachment("p:a", docs[0], "application/pdf", b"%PDF", "", NOW)
    assert archive.due_documents("p", NOW) == []
    assert archive.due_documents("p", NOW + timedelta(days=7)) == []  # given up after a week


def v1_metadata():
    """The tables of schema version 1 (commit 62ebfaf), as that version created them."""
    from sqlalchemy import JSON, Column, Index, Integer, MetaData, String, Table, Text
    from sqlalchemy import UniqueConstraint as Unique

    from crawler.archive.types import AwareDateTime as When

    m = MetaData()
    Table(
        "schema_version",
        m,
        Column("version", Integer, primary_key=True),
        Column("applied", When, nullable=False),
    )
    Table(
        "portals",
        m,
        Column("name", String(64), primary_key=True),
        Column("title", Text, nullable=False),
        Column("province", Text, nullable=False),
        Column("platform", String(64), nullable=False),
        Column("base_url", Text, nullable=False),
        Column("sections", JSON, nullable=False),
        Column("updated", When, nullable=False),
    )
    v1 = Table(
        "articles",
        m,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("key", String(255), nullable=False, unique=True),
        Column("portal", String(64), nullable=False),
        Column("section", String(128)),
        Column("url", Text, nullable=False),
        Column("title", Text, nullable=False),
        Column("title_source", String(16), nullable=False),
        Column("summary", Text, nullable=False),
        Column("content_html", Text, nullable=False),
        Column("content_text", Text, nullable=False),
        Column("published", When),
        Column("date_source", String(16)),
        Column("images", JSON, nullable=False),
        Column("author", Text),
        Column("content_hash", String(64), nullable=False),
        Column("list_position", Integer),
        Column("first_seen", When, nullable=False),
        Column("last_seen", When, nullable=False),
        Column("updated", When, nullable=False),
        Column("sort_time", When, nullable=False),
    )
    Index("ix_articles_portal_sort", v1.c.portal, v1.c.sort_time)
    Index("ix_articles_section_sort", v1.c.portal, v1.c.section, v1.c.sort_time)
    Index("ix_articles_sort", v1.c.sort_time)
    Table(
        "dropped",
        m,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("portal", String(64), nullable=False),
        Column("url", Text, nullable=False),
        Column("reason", String(64), nullable=False),
        Column("detail", Text, nullable=False),
        Column("first_seen", When, nullable=False),
        Column("last_seen", When, nullable=False),
        Column("times", Integer, nullable=False),
        Unique("portal", "url", name="uq_dropped_portal_url"),
    )
    return m


def test_a_postgresql_archive_of_the_first_version_is_upgraded_in_place(pg_url):
    from sqlalchemy import create_engine

    from crawler.archive.store import database_url
    from tests.conftest import fresh_pg_database

    v1 = v1_metadata()
    engine = create_engine(database_url(pg_url))
    published = datetime(2024, 6, 25, tzinfo=TZ)
    with engine.begin() as conn:
        v1.create_all(conn)
        conn.execute(v1.tables["schema_version"].insert().values(version=1, applied=NOW))
        conn.execute(
            v1.tables["articles"].insert().values(
                key="hanam_tourism:news_10466", portal="hanam_tourism", section="tin",
                url="https://hanamtourism.vn/vi/detailnews/?id=news_10466",
                title="Hội nghị xúc tiến du lịch Đồng bằng", title_source="page",
                summary="", content_html="<p>Đền Trần</p>", content_text="Đền Trần Thương",
                published=published, date_source="lead", images=[], content_hash="h",
                list_position=1, first_seen=NOW, last_seen=NOW, updated=NOW,
                sort_time=published,
            )
        )  # fmt: skip
        conn.execute(
            v1.tables["dropped"].insert().values(
                portal="hanam_tourism", url="https://hanamtourism.vn/x", reason="no_title",
                detail="", first_seen=NOW, last_seen=NOW, times=1,
            )
        )  # fmt: skip
    engine.dispose()
    later = NOW + timedelta(days=1)
    with Archive.open(pg_url, now=later) as upgraded, upgraded.engine.connect() as conn:
        stored = check_upgraded(upgraded, conn, first_seen=NOW)
        assert stored.removed is None
        assert upgraded.mark_removed("hanam_tourism:news_10466", later)
        assert upgraded.get("hanam_tourism:news_10466").removed == later
        assert [hit.key for hit in upgraded.search("den tran")] == ["hanam_tourism:news_10466"]
        assert [d["reason"] for d in upgraded.dropped()] == ["no_title"]
        assert upgraded.section_slugs("hanam_tourism") == [SectionSlug("tin", "tin", None, True)]
        with fresh_pg_database() as other, Archive.open(other, now=NOW) as fresh:
            assert schema_of(upgraded) == schema_of(fresh)
