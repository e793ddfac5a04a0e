"""Which date an article gets: meta, page, listing, URL, lead — and how it is anchored."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crawler.archive import Archive
from crawler.replay import extract_page
from crawler.spiders.hanam_tourism import HanamTourismSpider

NOW = "2024-11-20T10:00:00+07:00"
URL = "https://hanamtourism.vn/vi/detailnews/?id=news_1&t=bai-thu"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def page(date: str = "", lead: str = "Nội dung bài viết.", meta: str = "") -> bytes:
    meta_tag = f'<meta property="article:published_time" content="{meta}">' if meta else ""
    date_tag = f'<p class="date-detail">{date}</p>' if date else ""
    return f"""<html><head>{meta_tag}</head><body><div class="detail-news">
    <h1 class="title-detail">Bài thử</h1>{date_tag}
    <div class="content-detail"><p>{lead}</p><p>Đoạn hai.</p></div></div></body></html>
    """.encode()


def chosen(body: bytes, listing_date: str = "", url: str = URL):
    listing = {"section": "s", "title": "Bài thử", "date_text": listing_date}
    extraction = extract_page(HanamTourismSpider, url, body, listing, NOW)
    article = extraction.article
    published = article.published.isoformat() if article.published else None
    return published, article.date_source, article.date_relative, extraction.stats


@pytest.mark.parametrize(
    ("body", "listing_date", "expected"),
    [
        (page("15/02/2024", meta="2024-02-15T07:30:00+07:00"), "14/02/2024",
         ("2024-02-15T07:30:00+07:00", "meta", False)),
        (page("15/02/2024 08:45"), "14/02/2024", ("2024-02-15T08:45:00+07:00", "page", False)),
        (page("", "Sáng 12/2, hội nghị."), "14/02/2024",
         ("2024-02-14T00:00:00+07:00", "listing", False)),
        (page("", "Chiều 25/6/2024, tại phòng họp."), "",
         ("2024-06-25T00:00:00+07:00", "lead", False)),
        (page("", "Sáng 12/1, tại Phủ Lý."), "", ("2024-01-12T00:00:00+07:00", "lead", True)),
        (page("3 giờ trước"), "", ("2024-11-20T07:00:00+07:00", "page", True)),
        # A broken meta (NukeViet's) still parses; the page's date element is the fallback.
        (page("25/06/2024", meta="2024-06-25+0714:30:00"), "",
         ("2024-06-25T14:30:00+07:00", "meta", False)),
        # A meta date that reads as relative is not machine-readable: the page's date wins.
        (page("15/02/2024 08:45", meta="2 giờ trước"), "",
         ("2024-02-15T08:45:00+07:00", "page", False)),
        (page("", "Nội dung.", meta="hôm qua"), "14/02/2024",
         ("2024-02-14T00:00:00+07:00", "listing", False)),
    ],
)  # fmt: skip
def test_best_source_wins(body, listing_date, expected):
    assert chosen(body, listing_date)[:3] == expected


def test_year_less_dates_are_anchored_to_the_listing_date_not_to_now():
    # A backfilled 2019 article: "Sáng 12/1" must not become 12/01/2024.
    published, source, relative, _ = chosen(page("Sáng 12/1"), "12/01/2019")
    assert (published, source, relative) == ("2019-01-12T00:00:00+07:00", "page", True)


def test_a_date_in_the_url_path_is_used_and_anchors_the_lead():
    spider = HanamTourismSpider()
    assert spider.url_date("https://x.vn/portal/Pages/2024-4-25/Tin-moi.aspx") == datetime(
        2024, 4, 25, tzinfo=TZ
    )
    assert spider.url_date("https://x.vn/2024/06/25/le-hoi/") == datetime(2024, 6, 25, tzinfo=TZ)
    assert spider.url_date("https://x.vn/2024/02/31/sai/") is None
    assert spider.url_date(URL) is None


def test_only_a_date_at_the_start_of_the_lead_counts():
    lead = "Tại hội nghị, Quyết định 25/2024/QĐ-UBND ngày 12/3/2024 được công bố."
    published, source, _, stats = chosen(page("", lead))
    assert (published, source) == (None, None)
    assert stats["tinmoi/date/missing"] == 1


def test_a_date_more_than_a_day_ahead_is_refused():
    published, source, _, stats = chosen(page("25/12/2030"))
    assert (published, source) == (None, None)
    assert (stats["tinmoi/date/future"], stats["tinmoi/date/missing"]) == (1, 1)
    tomorrow = chosen(page("21/11/2024"))
    assert tomorrow[:2] == ("2024-11-21T00:00:00+07:00", "page")


def test_a_relative_date_never_overwrites_a_stored_absolute_one(tmp_path):
    now = datetime(2024, 11, 20, 10, tzinfo=TZ)
    first = extract_page(HanamTourismSpider, URL, page("18/11/2024 08:00"), {}, NOW).article
    later = extract_page(HanamTourismSpider, URL, page("2 ngày trước"), {}, NOW).article
    assert later.date_relative is True
    with Archive.open(tmp_path / "a.sqlite3", now=now) as archive:
        archive.upsert_article(first, now)
        archive.upsert_article(later, now + timedelta(days=1))
        stored = archive.get("hanam_tourism:news_1")
    assert (stored.published.isoformat(), stored.date_source) == (
        "2024-11-18T08:00:00+07:00",
        "page",
    )
