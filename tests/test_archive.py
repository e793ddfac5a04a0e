from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from crawler.archive import Archive, PortalInfo
from crawler.archive.migrations import SCHEMA_VERSION
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
def archive(tmp_path):
    with Archive.open(tmp_path / "a.sqlite3", now=NOW) as opened:
        yield opened


def test_new_archive_is_versioned_and_in_wal_mode(archive):
    with archive.engine.connect() as conn:
        assert (
            conn.execute(text("select max(version) from schema_version")).scalar() == SCHEMA_VERSION
        )
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


def test_newer_schema_is_a_clear_error(tmp_path):
    path = tmp_path / "b.sqlite3"
    with Archive.open(path, now=NOW) as opened, opened.engine.begin() as conn:
        conn.execute(text("insert into schema_version values (99, '2024-07-01T09:00:00+07:00')"))
    with pytest.raises(ArchiveError, match="schema version 99, newer"):
        Archive.open(path, now=NOW)


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


def test_an_archive_written_by_the_first_version_is_upgraded_in_place(tmp_path):
    import shutil
    from pathlib import Path

    old = tmp_path / "v1.sqlite3"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "archives" / "v1.sqlite3", old)
    with Archive.open(old, now=NOW) as upgraded, upgraded.engine.connect() as conn:
        versions = conn.execute(text("select version from schema_version order by 1")).all()
        assert [v for (v,) in versions] == [1, 2, 3, 4]
        [(revision, title)] = conn.execute(text("select revision, title from revisions")).all()
        assert (revision, title[:9]) == (1, "Hội nghị ")
        stored = upgraded.get("hanam_tourism:news_10466")
        assert (stored.published.isoformat(), stored.date_source, stored.first_seen) == (
            "2024-06-25T00:00:00+07:00",
            "lead",
            datetime(2024, 7, 1, 9, 0, tzinfo=TZ),
        )
        assert [d["reason"] for d in upgraded.dropped()] == ["no_title"]
        with Archive.open(tmp_path / "fresh.sqlite3", now=NOW) as fresh:
            assert schema_of(upgraded) == schema_of(fresh)


def test_only_lasting_drops_keep_a_url_out_passing_ones_are_retried_with_backoff(archive):
    archive.record_dropped("p", "https://p.vn/gone", "http 404", "", NOW)
    archive.record_dropped("p", "https://p.vn/flaky", "http 503", "", NOW)
    archive.record_dropped("p", "https://p.vn/flaky", "http 503", "", NOW)  # twice: 2 h wait
    soon, later = NOW + timedelta(hours=1), NOW + timedelta(hours=2)
    assert sorted(archive.dropped_urls("p", soon)) == ["https://p.vn/flaky", "https://p.vn/gone"]
    assert sorted(archive.dropped_urls("p", later)) == ["https://p.vn/gone"]
