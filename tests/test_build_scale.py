"""Builds that scale: no query outgrows SQLite's oldest parameter limit, whatever the size
of the archive."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from crawler.archive import Archive, PortalInfo
from feeds.build import build_feeds
from tests.test_feeds import CRAWL, SITE, TZ, article

START = datetime(2024, 1, 1, tzinfo=TZ)
SECTIONS = {"tin": "Tin tức", "su-kien": "Sự kiện", "thong-bao": "Thông báo"}
PROVINCES = ("Hà Nam", "Quảng Nam", "Vĩnh Long")
#: The first articles of every portal share their times: ties across portals.
TIED = 5


def portal_info(n: int, **changes: Any) -> PortalInfo:
    """Portal ``pNN``: three sections, in one of three provinces."""
    name = f"p{n:02}"
    values = dict(
        name=name,
        title=f"Cổng {n}",
        province=PROVINCES[n % len(PROVINCES)],
        platform="vnpt",
        base_url=f"https://{name}.vn",
        sections=dict(SECTIONS),
    )
    return PortalInfo(**(values | changes))


def fill(archive: Archive, portals: int, per_portal: int) -> None:
    """``portals`` portals of ``per_portal`` articles each, spread over three sections; a
    document linked from every tenth article."""
    slugs = sorted(SECTIONS)
    for n in range(portals):
        info = portal_info(n)
        archive.upsert_portal(info, CRAWL)
        for i in range(per_portal):
            when = START + timedelta(hours=i if i < TIED else n * per_portal + i)
            section = slugs[i % len(slugs)]
            archive.upsert_article(article(info.name, i, 1, published=when, section=section), CRAWL)
            if i % 10 == 0:
                url = f"https://{info.name}.vn/files/{i}.pdf"
                archive.add_attachment(f"{info.name}:news_{i}", url, "application/pdf",
                                       f"%PDF {n} {i}".encode(), "", CRAWL)  # fmt: skip


def limit_variables(archive: Archive, limit: int) -> list[int]:
    """Give every new SQLite connection of ``archive`` a variable limit of ``limit``; the
    returned list fills with each statement's parameter count."""
    counts: list[int] = []
    which = sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
    event.listen(archive.engine, "connect", lambda conn, _: conn.setlimit(which, limit))

    @event.listens_for(archive.engine, "before_cursor_execute")
    def count(conn, cursor, statement, parameters, context, executemany):
        rows = parameters if executemany else [parameters]
        counts.extend(len(row) for row in rows)

    archive.engine.dispose()  # connections pooled so far were opened without the limit
    with archive.engine.connect() as conn:
        assert conn.connection.dbapi_connection.getlimit(which) == limit
    return counts


def files(root: Path) -> dict[str, bytes]:
    """Every published file under ``root`` with its bytes (the build's memory left out)."""
    found = {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}
    return {path: p.read_bytes() for path, p in found.items() if not path.startswith(".tinmoi/")}


def test_a_thousand_times_build_under_a_limit_of_999_variables(tmp_path):
    db = tmp_path / "big.sqlite3"
    with Archive.open(db, now=CRAWL) as archive:
        fill(archive, portals=30, per_portal=40)
        build_feeds(archive, tmp_path / "unlimited", site_url=SITE, searches=("nội dung",))
    with Archive.open(db, now=CRAWL) as archive:
        counts = limit_variables(archive, 999)
        build_feeds(archive, tmp_path / "limited", site_url=SITE, searches=("nội dung",))
    limited, unlimited = files(tmp_path / "limited"), files(tmp_path / "unlimited")
    assert len(limited) == 30 * 16 + 3 * 4 + 4 + 4 + 3 + 3
    assert limited == unlimited
    times = set()
    for name, data in limited.items():
        if name.endswith("feed.json"):
            times |= {item["date_modified"] for item in json.loads(data)["items"]}
    assert len(times) > 999  # one list of them all would not fit in a query
    assert max(counts) <= 999
    # The oldest of equal times keeps it; each newer one (here: the lower key) one more second.
    items = json.loads(limited["p00/feed.json"])["items"]
    tied = {i["id"].rsplit("_", 1)[1]: i["date_modified"] for i in items if i["id"][-2] == "_"}
    assert tied == {
        str(i): (START + timedelta(hours=i, seconds=29)).isoformat() for i in range(TIED)
    } | {
        str(i): (START + timedelta(hours=i)).isoformat() for i in range(TIED, 10)
    }  # fmt: skip


def test_the_text_of_articles_is_read_one_feed_at_a_time(tmp_path, monkeypatch):
    with Archive.open(tmp_path / "a.sqlite3", now=CRAWL) as archive:
        fill(archive, portals=6, per_portal=20)
        reads: list[int] = []
        articles_of = Archive.articles_of

        def counted(self: Archive, keys: list[str]) -> dict:
            reads.append(len(keys))
            return articles_of(self, keys)

        monkeypatch.setattr(Archive, "articles_of", counted)
        for whole in ("latest", "at_times", "get", "attachments_of", "iter_articles"):
            monkeypatch.setattr(Archive, whole, None)  # every article in full: never
        built = build_feeds(archive, tmp_path / "out", site_url=SITE, limit=5)
        assert reads == [5] * len(built)  # one read per feed, of its own five
        build_feeds(archive, tmp_path / "out", site_url=SITE, limit=5)
    assert len(reads) == len(built)  # nothing changed: nothing read again
