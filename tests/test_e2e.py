"""End to end: snapshot servers on loopback, real crawls in subprocesses, feeds read back."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest
from parsel import Selector

from crawler.archive import Archive
from crawler.clock import crawl_now
from tests.conftest import NOW, free_port, map_args, tinmoi
from tinmoi.snapshot import SnapshotSite, snapshot_dir

pytestmark = pytest.mark.e2e

HANAM = "https://hanamtourism.vn/vi/detailnews/?id="
SEED = "Hội nghị sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm Khối các đơn vị sự nghiệp"
SEED_LINK = HANAM + "news_10466&t=hoi-nghi-so-ket-cong-tac-thi-dua-khen-thuong-6-thang"
MERGED_LINK = (
    "https://dulichninhbinh.vn/vi/detailnews/?id=news_10467"
    "&t=ninh-binh-moi-gioi-thieu-san-pham-du-lich-tam-chuc-sau-hop-nhat-tinh"
)
BANNER = "Chào mừng đến với Cổng thông tin điện tử Trung tâm xúc tiến du lịch tỉnh Hà Nam"


@dataclass
class Crawled:
    db: Path
    out: Path
    first: str
    second: str
    rows_after_first: list[tuple]
    files_after_first: dict[str, bytes]
    first_log: str


def articles(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "select key, url, title, published, content_hash, updated from articles order by key"
        ).fetchall()


def feed_bytes(out: Path, pattern: str = "*") -> dict[str, bytes]:
    """Every published file's bytes (the build's memory, ``.tinmoi/``, left out)."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob(pattern))
        if p.is_file() and not str(p.relative_to(out)).startswith(".tinmoi/")
    }


def crawl(site: SnapshotSite, db: Path) -> str:
    proc = tinmoi(
        "crawl", "hanam_tourism", "--base-url", site.base_url, *map_args(site),
        "--profile", "loopback", "--db", str(db), "--now", NOW, check=True,
    )  # fmt: skip
    return proc.stdout.strip()


@pytest.fixture(scope="module")
def crawled(hanam_site: SnapshotSite, tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    """Crawl the Hà Nam snapshot, build, crawl again, build again."""
    root = tmp_path_factory.mktemp("e2e")
    db, out = root / "tinmoi.sqlite3", root / "public"
    build = ("build", "--db", str(db), "--out", str(out), "--site-url", "https://feeds.example")
    first = crawl(hanam_site, db)
    first_log = (root / "logs" / "hanam_tourism.log").read_text(encoding="utf-8")
    tinmoi(*build, check=True)
    rows, files = articles(db), feed_bytes(out)
    second = crawl(hanam_site, db)
    tinmoi(*build, check=True)
    return Crawled(db, out, first, second, rows, files, first_log)


def entries(out: Path, path: str) -> list:
    parsed = feedparser.parse(out / path)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed.entries


def test_crawl_reports_what_it_did(crawled: Crawled):
    assert crawled.first == (
        "hanam_tourism: 67 new, 0 updated, 0 unchanged, 2 dropped (82 requests)"
    )
    # Incremental: robots.txt and one conditional request (a 304) per section.
    assert crawled.second == "hanam_tourism: 0 new, 0 updated, 0 unchanged, 0 dropped (4 requests)"


def test_every_feed_is_written_and_parses(crawled: Crawled):
    assert sorted(feed_bytes(crawled.out, "*.xml")) == sorted(
        ["_health/atom.xml"]
        + [
            f"{folder}/{name}"
            for folder in (
                "all",
                "hanam_tourism",
                "hanam_tourism/diem-den",
                "hanam_tourism/le-hoi-van-hoa",
                "hanam_tourism/tin-tuc-su-kien",
                "tinh/ha-nam",
            )
            for name in ("atom.xml", "rss.xml")
        ]
    )
    counts = {path: len(entries(crawled.out, path)) for path in feed_bytes(crawled.out, "*.xml")}
    assert counts == {
        "all/atom.xml": 50, "all/rss.xml": 50,
        "hanam_tourism/atom.xml": 50, "hanam_tourism/rss.xml": 50,
        "hanam_tourism/diem-den/atom.xml": 22, "hanam_tourism/diem-den/rss.xml": 22,
        "hanam_tourism/le-hoi-van-hoa/atom.xml": 22, "hanam_tourism/le-hoi-van-hoa/rss.xml": 22,
        "hanam_tourism/tin-tuc-su-kien/atom.xml": 23, "hanam_tourism/tin-tuc-su-kien/rss.xml": 23,
        "tinh/ha-nam/atom.xml": 50, "tinh/ha-nam/rss.xml": 50,
        "_health/atom.xml": 0,
    }  # fmt: skip


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_known_articles_newest_first_with_exact_values(crawled: Crawled, name: str):
    feed = entries(crawled.out, f"hanam_tourism/{name}")
    top = [(e.title, e.link, e.published) for e in feed[:4]]
    if name == "rss.xml":
        dates = ["Wed, 02 Jul 2025", "Tue, 25 Jun 2024", "Mon, 24 Jun 2024", "Sun, 23 Jun 2024"]
        dates = [f"{d} 00:00:00 +0700" for d in dates]
    else:
        dates = ["2025-07-02", "2024-06-25", "2024-06-24", "2024-06-23"]
        dates = [f"{d}T00:00:00+07:00" for d in dates]
    assert top == [
        ("Ninh Bình mới giới thiệu sản phẩm du lịch Tam Chúc sau hợp nhất tỉnh", MERGED_LINK,
         dates[0]),
        (SEED, SEED_LINK, dates[1]),
        ("Homestay ven hồ Tam Chúc hút khách nghỉ dưỡng dịp hè",
         HANAM + "news_10465&t=homestay-ven-ho-tam-chuc-hut-khach-nghi-duong-dip-he", dates[2]),
        ("Liên hoan “Gia đình văn hóa tiêu biểu” hướng tới Ngày Gia đình Việt Nam",
         HANAM + "news_10464&t=lien-hoan-gia-dinh-van-hoa-tieu-bieu-huong-toi-ngay-gia",
         dates[3]),
    ]  # fmt: skip
    assert feed[1].id == "tag:tinmoi.github.io,2024:hanam_tourism/news_10466"


def test_seed_article_is_dated_from_its_lead(crawled: Crawled):
    with sqlite3.connect(crawled.db) as conn:
        row = conn.execute(
            "select title, published, date_source, url from articles"
            " where key = 'hanam_tourism:news_10466'"
        ).fetchone()
    assert row == (SEED, "2024-06-25T00:00:00+07:00", "lead", SEED_LINK)


def test_one_article_under_two_slugs_tracking_and_new_host_is_one_item(crawled: Crawled):
    with sqlite3.connect(crawled.db) as conn:
        rows = conn.execute(
            "select key, url from articles where key = 'hanam_tourism:news_10460'"
        ).fetchall()
    link = HANAM + "news_10460&t=hoi-thao-bao-ton-va-phat-huy-gia-tri-khong-gian-van"
    assert rows == [("hanam_tourism:news_10460", link)]
    titles = [e.title for e in entries(crawled.out, "hanam_tourism/rss.xml")]
    assert titles.count("Hội thảo bảo tồn và phát huy giá trị không gian văn hóa làng Vũ Đại") == 1


def test_bad_pages_are_recorded_and_the_run_goes_on(crawled: Crawled):
    with sqlite3.connect(crawled.db) as conn:
        titled = conn.execute(
            "select title, title_source from articles where key = 'hanam_tourism:news_10440'"
        ).fetchone()
        dropped = conn.execute("select url, reason, times from dropped order by url").fetchall()
        nfd = conn.execute(
            "select title from articles where key = 'hanam_tourism:news_10450'"
        ).fetchone()[0]
    assert titled == (
        "Các khu, điểm du lịch Hà Nam sẵn sàng đón khách dịp nghỉ lễ 30/4 – 1/5",
        "listing",
    )
    assert dropped == [
        (HANAM + "news_10398&t=thong-bao-tuyen-dung-vien-chuc-nam-2024", "http 404", 1),
        (HANAM + "news_10399&t=bai-viet-khong-tieu-de", "no_title", 1),
    ]
    assert nfd == "Hướng dẫn cơ sở lưu trú sử dụng phần mềm báo cáo thống kê du lịch trực tuyến"
    log = crawled.first_log
    assert f"WARNING: dropped {HANAM}news_10399&t=bai-viet-khong-tieu-de: no_title" in log
    assert "'tinmoi/dropped/no_title': 1" in log
    assert f"WARNING: hanam_tourism: http 404: {HANAM}news_10398" in log


def chrome_of(page: Path) -> set[str]:
    """Titles listed in an article page's "Tin mới" and "Tin liên quan" blocks."""
    sel = Selector(page.read_text(encoding="utf-8"))
    return {t.strip() for t in sel.css(".box-tin-moi li a::text, .other-news li a::text").getall()}


def test_no_item_carries_portal_chrome(crawled: Crawled):
    pages = snapshot_dir("hanam_tourism") / "main" / "articles"
    checked = 0
    for name in ("rss.xml", "atom.xml"):
        for entry in entries(crawled.out, f"hanam_tourism/{name}"):
            body = entry.content[0].value
            text = body + entry.summary
            for needle in (BANNER, "Tin mới", "Tin liên quan", "Lượt xem", "Chia sẻ:"):
                assert needle not in text, (entry.title, needle)
            news_id = re.search(r"id=(news_\d+)", entry.link).group(1)
            page = pages / f"{news_id}.html"
            if page.exists():
                for other in chrome_of(page) - {entry.title}:
                    assert other not in text, (entry.title, other)
                checked += 1
    assert checked == 98


def test_second_crawl_changes_nothing(crawled: Crawled):
    assert articles(crawled.db) == crawled.rows_after_first
    assert feed_bytes(crawled.out) == crawled.files_after_first
    # 6 feed folders of 4 files, OPML and the province's OPML, index, health feed
    assert len(crawled.files_after_first) == 6 * 4 + 4
    assert "feeds-ha-nam.opml" in crawled.files_after_first


def test_dead_portal_is_one_line_exit_1_and_changes_nothing(crawled: Crawled):
    port = free_port()
    proc = tinmoi(
        "crawl", "hanam_tourism", "--base-url", f"http://127.0.0.1:{port}",
        "--profile", "loopback", "--db", str(crawled.db), "--now", NOW,
    )  # fmt: skip
    assert proc.returncode == 1
    assert proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert re.fullmatch(
        rf"hanam_tourism: no listing page could be fetched from http://127\.0\.0\.1:{port} "
        r"\(connection refused x1, not asked: host given up x4\)",
        line,
    ), line
    assert articles(crawled.db) == crawled.rows_after_first


def test_usage_and_environment_errors_are_one_line(tmp_path: Path):
    unknown = tinmoi("crawl", "no_such_portal", "--db", str(tmp_path / "a.sqlite3"))
    assert (unknown.returncode, unknown.stderr) == (
        2,
        "tinmoi: unknown portal no_such_portal (see 'tinmoi sites')\n",
    )
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    Archive.open(tmp_path / "a.sqlite3", now=crawl_now(NOW)).close()
    build = tinmoi("build", "--db", str(tmp_path / "a.sqlite3"), "--out", str(blocker / "out"))
    assert build.returncode == 1
    assert build.stderr.startswith(f"tinmoi: cannot write {blocker / 'out'}/")
    assert len(build.stderr.splitlines()) == 1
    bad_db = tinmoi("build", "--db", str(blocker / "sub" / "a.sqlite3"))
    assert bad_db.returncode == 1
    assert bad_db.stderr == f"tinmoi: no archive at {blocker}/sub/a.sqlite3\n"
