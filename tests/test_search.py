"""Vietnamese search: diacritics, đ, tone-mark placement, ranking, filters, snippets."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.archive import Archive
from crawler.archive.search import fold, fts_query, snippet
from crawler.items import Article
from tests.test_feeds import CRAWL, article

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_fold_keeps_length_and_drops_every_diacritic():
    for original, folded in [
        ("Du lịch Tam Chúc", "du lich tam chuc"),
        ("Đền Trần Thương", "den tran thuong"),
        ("hòa", "hoa"),
        ("hoà", "hoa"),
        ("Ngũ Động Sơn, Kẽm Trống", "ngu dong son, kem trong"),
        ("ƯỚC ĐÓN", "uoc don"),
    ]:
        assert fold(original) == folded
        assert len(fold(original)) == len(original)


def test_queries_cannot_inject_fts_syntax():
    assert fts_query('tam chúc" OR title:x*') == '"tam" "chuc" "or" "title" "x"'
    assert fts_query("  ...  ") == ""


def body(text: str, **changes) -> Article:
    portal = changes.pop("portal", "hanam")
    return article(portal, changes.pop("n"), changes.pop("day"), content_text=text, **changes)


@pytest.fixture
def archive(archive_url):
    with Archive.open(archive_url, now=CRAWL) as opened:
        opened.upsert_article(
            body(
                "Sáng 12/3, du lịch Tam Chúc đón đoàn khách lớn.",
                n=1,
                day=12,
                title="Du lịch Tam Chúc mùa lễ hội",
            ),
            CRAWL,
        )
        opened.upsert_article(
            body(
                "Đền Trần Thương tổ chức lễ phát lương. Khách đến Tam Chúc sau đó.",
                n=2,
                day=14,
                title="Lễ phát lương đền Trần Thương",
            ),
            CRAWL,
        )
        opened.upsert_article(
            body(
                "Chương trình giao lưu văn hoá hòa nhạc dân tộc.",
                n=3,
                day=15,
                title="Hòa nhạc dân tộc",
            ),
            CRAWL,
        )
        opened.upsert_article(
            body(
                "Tin của tỉnh khác về du lịch Tam Chúc.",
                n=4,
                day=16,
                portal="qnam",
                title="Tam Chúc nhìn từ xa",
            ),
            CRAWL,
        )
        yield opened


def keys(hits) -> list[str]:
    return [hit.key for hit in hits]


def test_diacritic_free_queries_find_vietnamese_text_best_first(archive):
    hits = archive.search("du lich tam chuc")
    assert keys(hits) == ["hanam:news_1", "qnam:news_4"]  # the title match ranks first
    assert hits[0].snippet == "Sáng 12/3, [du] [lịch] [Tam] [Chúc] đón đoàn khách lớn."
    assert hits[0].title == "Du lịch Tam Chúc mùa lễ hội"
    assert hits[0].published == datetime(2024, 6, 12, tzinfo=TZ)


def test_d_with_stroke_and_upper_case(archive):
    assert keys(archive.search("den tran thuong")) == ["hanam:news_2"]
    assert keys(archive.search("ĐỀN TRẦN")) == ["hanam:news_2"]


def test_old_and_new_tone_placement_are_the_same_word(archive):
    assert keys(archive.search("hoà nhạc")) == ["hanam:news_3"]
    assert keys(archive.search("hòa nhạc")) == ["hanam:news_3"]
    assert keys(archive.search("van hoa")) == ["hanam:news_3"]


def test_filters_by_portal_and_dates(archive):
    assert keys(archive.search("tam chuc", portal="qnam")) == ["qnam:news_4"]
    since = datetime(2024, 6, 13, tzinfo=TZ)
    until = datetime(2024, 6, 16, tzinfo=TZ)
    assert keys(archive.search("tam chuc", since=since, until=until)) == ["hanam:news_2"]


def test_an_edit_is_searchable_at_once_and_the_old_text_no_longer_matches(archive):
    archive.upsert_article(
        body("Bài đã sửa: Kẽm Trống mùa nước nổi.", n=1, day=12, content_hash="h1b",
             title="Kẽm Trống mùa nước nổi"), CRAWL)  # fmt: skip
    assert keys(archive.search("kem trong")) == ["hanam:news_1"]
    assert keys(archive.search("tam chuc")) == ["qnam:news_4", "hanam:news_2"]  # title first


def test_snippets_mark_words_in_a_window_of_the_original():
    text = "Mở đầu dài. " * 20 + "Khách đến chùa Tam Chúc rất đông." + " Kết." * 30
    cut = snippet(text, "tam chuc", width=60)
    assert cut.startswith("…") and cut.endswith("…")
    assert "chùa [Tam] [Chúc] rất đông" in cut
    assert snippet("Không có gì.", "tam chuc") == "Không có gì."


def test_saved_searches_become_feeds(archive, tmp_path):
    import feedparser
    from lxml import etree

    from feeds.build import build_feeds

    build_feeds(archive, tmp_path / "public", site_url="https://feeds.example",
                searches=("tam chúc", "đền trần"))  # fmt: skip
    feed = feedparser.parse(tmp_path / "public" / "tim" / "tam-chuc" / "rss.xml")
    assert feed.bozo == 0
    assert feed.feed.title == "Tìm: tam chúc"
    assert [e.id.split(",2024:")[1] for e in feed.entries] == [
        "qnam/news_4", "hanam/news_2", "hanam/news_1",  # newest first, not by rank
    ]  # fmt: skip
    other = feedparser.parse(tmp_path / "public" / "tim" / "den-tran" / "atom.xml")
    assert [e.title for e in other.entries] == ["Lễ phát lương đền Trần Thương"]
    opml = etree.parse(str(tmp_path / "public" / "feeds.opml")).getroot()
    group = next(o for o in opml.find("body") if o.get("text") == "Tìm kiếm đã lưu")
    assert [o.get("xmlUrl") for o in group] == [
        "https://feeds.example/tim/tam-chuc/rss.xml",
        "https://feeds.example/tim/den-tran/rss.xml",
    ]


def test_search_command(archive, archive_url):
    from tests.conftest import tinmoi

    db = archive_url
    proc = tinmoi("search", "den tran", "--db", db, check=True)
    assert proc.stdout.splitlines() == [
        "2024-06-14  hanam  Lễ phát lương đền Trần Thương",
        "    https://hanam.vn/vi/detailnews/?id=news_2&t=bai-2",
        "    [Đền] [Trần] Thương tổ chức lễ phát lương. Khách [đến] Tam Chúc sau đó.",
    ]
    dated = tinmoi("search", "tam chuc", "--since", "2024-06-15", "--db", db, "--json")
    assert [hit["key"] for hit in json.loads(dated.stdout)] == ["qnam:news_4"]
    none = tinmoi("search", "không có", "--db", db)
    assert (none.returncode, none.stdout, none.stderr) == (0, "", "no article matches 'không có'\n")
    bad = tinmoi("search", "x", "--since", "15/06/2024", "--db", db)
    assert bad.returncode == 2


def test_saved_searches_with_the_same_slug_get_their_own_folders(archive, tmp_path):
    from feeds.build import build_feeds

    built = build_feeds(archive, tmp_path, searches=("Tam Chúc", "tam chuc", "!!!"))
    assert [b.path for b in built if b.path.startswith("tim/")] == [
        "tim/tam-chuc", "tim/tam-chuc-2", "tim/tim-kiem",
    ]  # fmt: skip


def test_query_syntax_is_only_words_on_every_backend(archive):
    tricky = archive.search('"tam" & !chúc | (title:* <-> OR')
    assert tricky == []  # "title" and "or" are words too, and every word must match
    assert sorted(keys(archive.search('"tam" & !chúc | (*'))) == [
        "hanam:news_1", "hanam:news_2", "qnam:news_4",
    ]  # fmt: skip
    assert archive.search("  ...  ") == []
