"""Exports read back with csv, json and pyarrow: every field, removed articles included."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crawler.archive import Archive
from tests.conftest import tinmoi
from tests.test_feeds import CRAWL, article
from tinmoi.export import COLUMNS

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def fill(opened: Archive) -> Archive:
    """Three articles, one of them removed, one undated."""
    opened.upsert_article(article("hanam", 1, 20, title="Lễ hội Tịch điền Đọi Sơn"), CRAWL)
    opened.upsert_article(
        article("hanam", 2, 21, author=None, images=[], published=None, date_source=None,
                title='Bài không ngày, có dấu phẩy, "ngoặc kép" và\nxuống dòng'),
        CRAWL,
    )  # fmt: skip
    opened.upsert_article(article("qnam", 7, 19, title="Đêm phố cổ Hội An"), CRAWL)
    opened.mark_removed("hanam:news_1", CRAWL + timedelta(days=1))
    for name in ("b.pdf", "a.docx"):  # exported by URL
        url = f"https://hanam.example/files/{name}"
        opened.add_attachment("hanam:news_1", url, "application/pdf", name.encode(), "", CRAWL)
    return opened


@pytest.fixture
def archive(archive_url):
    with Archive.open(archive_url, now=CRAWL) as opened:
        yield fill(opened)


@pytest.fixture
def db(archive_url) -> tuple[str, str]:
    return ("--db", archive_url)


def expected(archive: Archive) -> list[dict]:
    return [
        {name: getattr(a, name) for name in COLUMNS if name != "attachments"}
        | {"attachments": archive.attachments_of(a.key)}
        for a in archive.iter_articles()
    ]


def test_attachments_are_listed_by_url_with_their_hash(archive):
    import hashlib

    assert archive.attachments_of("hanam:news_1") == [
        {"url": f"https://hanam.example/files/{name}", "sha256": hashlib.sha256(name.encode())
         .hexdigest(), "content_type": "application/pdf", "size": len(name)}
        for name in ("a.docx", "b.pdf")
    ]  # fmt: skip
    assert archive.attachments_of("hanam:news_2") == []


def test_csv_has_a_bom_and_every_field(archive, db, tmp_path):
    path = tmp_path / "out.csv"
    proc = tinmoi("export", "--format", "csv", "-o", str(path), *db)
    assert (proc.returncode, proc.stderr) == (0, f"3 articles written to {path}\n")
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(COLUMNS)
    for row, want in zip(rows, expected(archive), strict=True):
        for name in COLUMNS:
            value = want[name]
            if isinstance(value, datetime):
                value = value.isoformat()
            elif name == "attachments":
                value = " ".join(item["url"] for item in value)
            elif isinstance(value, list):
                value = " ".join(value)
            assert row[name] == ("" if value is None else value), name
    removed = {row["key"]: row["removed"] for row in rows}
    assert removed["hanam:news_1"] == "2024-07-02T09:00:00+07:00"


def test_jsonl_has_real_characters_and_every_field(archive, db, tmp_path):
    path = tmp_path / "out.jsonl"
    tinmoi("export", "--format", "jsonl", "-o", str(path), *db, check=True)
    text = path.read_text(encoding="utf-8")
    assert "\\u" not in text and "Đêm phố cổ Hội An" in text
    rows = [json.loads(line) for line in text.splitlines()]
    want = expected(archive)
    assert [r["key"] for r in rows] == ["qnam:news_7", "hanam:news_1", "hanam:news_2"]
    for row, item in zip(rows, want, strict=True):
        assert row == {
            k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in item.items()
        }


def test_parquet_has_timestamp_types_and_every_field(archive, db, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "out.parquet"
    tinmoi("export", "--format", "parquet", "-o", str(path), *db, "--portal", "hanam", check=True)
    table = pq.read_table(path)
    assert table.schema.field("published").type == pa.timestamp("ms", tz="Asia/Ho_Chi_Minh")
    assert table.schema.field("images").type == pa.list_(pa.string())
    rows = table.to_pylist()
    want = [item for item in expected(archive) if item["portal"] == "hanam"]
    assert len(rows) == len(want) == 2
    for row, item in zip(rows, want, strict=True):
        for name in COLUMNS:
            assert row[name] == item[name], name


def test_date_filters_and_errors(archive, db, tmp_path):
    path = tmp_path / "out.jsonl"
    tinmoi("export", "--format", "jsonl", "-o", str(path), "--since", "2024-06-20",
           "--until", "2024-06-21", *db, check=True)  # fmt: skip
    assert [json.loads(x)["key"] for x in path.read_text().splitlines()] == ["hanam:news_1"]
    bad = tinmoi("export", "--format", "csv", "-o", str(tmp_path / "no" / "dir.csv"), *db)
    assert bad.returncode == 1
    assert bad.stderr.startswith("tinmoi: cannot write ")


def test_backup_copies_a_live_archive_consistently(tmp_path):  # SQLite only
    import threading

    from tests.test_feeds import article as make

    db = tmp_path / "a.sqlite3"
    archive = fill(Archive.open(db, now=CRAWL))
    stop = threading.Event()

    def keep_writing() -> None:
        n = 100
        while not stop.is_set():
            archive.upsert_article(make("hanam", n, 22), CRAWL)
            n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        proc = tinmoi("backup", str(tmp_path / "copy.sqlite3"), "--db", str(db))
    finally:
        stop.set()
        writer.join()
        archive.close()
    assert (proc.returncode, proc.stderr) == (0, f"archive copied to {tmp_path / 'copy.sqlite3'}\n")
    with Archive.open(tmp_path / "copy.sqlite3", now=CRAWL) as copy:
        count = copy.count()
        assert count >= 3
        assert copy.get("qnam:news_7").title == "Đêm phố cổ Hội An"
        assert len(copy.search("tich dien")) == 1
    missing = tinmoi("backup", str(tmp_path / "x.sqlite3"), "--db", str(tmp_path / "none.sqlite3"))
    assert (missing.returncode, missing.stderr) == (
        1, f"tinmoi: no archive at {tmp_path / 'none.sqlite3'}\n",
    )  # fmt: skip
