"""Feeds from a hand-built archive: every field as a reader sees it, and feedgen's quirks."""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import datetime, timedelta
from html import escape
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import feedparser
import lxml.html
import pytest
from lxml import etree
from sqlalchemy import event

from crawler.archive import Archive, PortalInfo
from crawler.items import Article
from feeds.build import build_feeds
from feeds.model import Entry, FeedInfo
from feeds.render import render_atom, render_rss

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CRAWL = datetime(2024, 7, 1, 9, 0, tzinfo=TZ)
SITE = "https://feeds.example"
HANAM = PortalInfo(
    "hanam", "Cổng Du lịch Hà Nam", "Hà Nam", "vnpt", "https://hanam.vn", {"tin": "Tin tức"}
)
HANAM2 = PortalInfo("hanam_so", "Sở VHTTDL Hà Nam", "Hà Nam", "sharepoint", "https://so.vn", {})
QNAM = PortalInfo("qnam", "Du lịch Quảng Nam", "Quảng Nam", "vnpt", "https://qn.vn", {"tin": "Tin"})


def article(portal: str, n: int, day: int, **changes) -> Article:
    values = dict(
        portal=portal,
        key=f"{portal}:news_{n}",
        url=f"https://{portal}.vn/vi/detailnews/?id=news_{n}&t=bai-{n}",
        section="tin",
        title=f"Bài số {n} của {portal}",
        title_source="page",
        published=datetime(2024, 6, day, tzinfo=TZ),
        date_source="page",
        content_html=f'<p>Nội dung <strong>bài {n}</strong>.</p><img src="https://cdn.vn/{n}.jpg">',
        content_text=f"Nội dung bài {n}.",
        summary=f"Nội dung bài {n}.",
        images=[f"https://cdn.vn/{n}.jpg"],
        author="Thu Hà",
        content_hash=f"h{n}",
        list_position=1000 + n,
    )
    return Article(**(values | changes))


@pytest.fixture
def archive(archive_url: str):
    with Archive.open(archive_url, now=CRAWL) as opened:
        for portal in (HANAM, HANAM2, QNAM):
            opened.upsert_portal(portal, CRAWL)
        opened.upsert_article(article("hanam", 1, 20), CRAWL)
        opened.upsert_article(article("hanam", 2, 21, author=None, images=[]), CRAWL)
        opened.upsert_article(article("qnam", 7, 19), CRAWL)
        yield opened


def local(entry) -> str:
    """``news_2`` of ``tag:…:hanam/news_2``."""
    return entry.id.rsplit("/", 1)[1]


def build(archive: Archive, out: Path) -> dict[str, feedparser.FeedParserDict]:
    build_feeds(archive, out, site_url=SITE)
    parsed = {}
    for path in sorted(out.rglob("*.xml")):
        feed = feedparser.parse(path)
        assert feed.bozo == 0, (path, feed.get("bozo_exception"))
        parsed[str(path.relative_to(out))] = feed
    return parsed


def test_rss_fields_as_a_reader_sees_them(archive, tmp_path):
    feed = build(archive, tmp_path)["hanam/rss.xml"]
    assert feed.version == "rss20"
    assert (feed.feed.title, feed.feed.link, feed.feed.language) == (
        "Cổng Du lịch Hà Nam – Tin mới",
        "https://hanam.vn",
        "vi",
    )
    assert feed.feed.subtitle == "Tin mới nhất từ Cổng Du lịch Hà Nam (Hà Nam)"
    assert feed.feed.generator == "tinmoi"
    assert feed.feed.ttl == "60"
    assert feed.feed.updated == "Fri, 21 Jun 2024 00:00:00 +0700"  # the newest item, not now
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"{SITE}/hanam/rss.xml"]
    newest, older = feed.entries
    assert (newest.title, newest.link, newest.published) == (
        "Bài số 2 của hanam",
        "https://hanam.vn/vi/detailnews/?id=news_2&t=bai-2",
        "Fri, 21 Jun 2024 00:00:00 +0700",
    )
    assert newest.id == "tag:tinmoi.github.io,2024:hanam/news_2"
    assert newest.guidislink is False
    assert newest.summary == "Nội dung bài 2."
    assert newest.content[0].value == (
        '<p>Nội dung <strong>bài 2</strong>.</p><img src="https://cdn.vn/2.jpg" />'
    )
    assert [t.term for t in newest.tags] == ["Tin tức"]
    assert "author" not in newest and newest.enclosures == []
    assert older.author == "Thu Hà"  # dc:creator: RSS <author> must be an e-mail
    assert [(e.href, e.type, e.length) for e in older.enclosures] == [
        ("https://cdn.vn/1.jpg", "image/jpeg", "0")
    ]


def test_atom_fields_as_a_reader_sees_them(archive, tmp_path):
    feed = build(archive, tmp_path)["hanam/atom.xml"]
    assert feed.version == "atom10"
    assert feed.feed.id == "tag:tinmoi.github.io,2024:feed/hanam"
    assert feed.feed.updated == "2024-06-21T00:00:00+07:00"
    assert feed.feed.author == "Cổng Du lịch Hà Nam"
    entry = feed.entries[1]
    assert (entry.id, entry.title, entry.published, entry.updated) == (
        "tag:tinmoi.github.io,2024:hanam/news_1",
        "Bài số 1 của hanam",
        "2024-06-20T00:00:00+07:00",
        "2024-06-20T00:00:00+07:00",
    )
    assert entry.content[0].type == "text/html"
    assert entry.content[0].value.startswith("<p>Nội dung <strong>bài 1</strong>.</p>")
    links = sorted((link.rel, link.href, link.get("type")) for link in entry.links)
    assert links == [
        ("alternate", "https://hanam.vn/vi/detailnews/?id=news_1&t=bai-1", "text/html"),
        ("enclosure", "https://cdn.vn/1.jpg", "image/jpeg"),
    ]
    raw = (tmp_path / "hanam" / "atom.xml").read_text(encoding="utf-8")
    assert 'type="CDATA"' not in raw and "ns0:" not in raw


def test_an_edited_article_keeps_its_id_and_gets_a_new_updated(archive, tmp_path):
    edited_at = CRAWL + timedelta(days=1)
    archive.upsert_article(article("hanam", 1, 20, title="Bài số 1 (đã sửa)"), edited_at)
    feed = build(archive, tmp_path)["hanam/atom.xml"]
    assert feed.feed.updated == "2024-07-02T09:00:00+07:00"
    [entry] = [e for e in feed.entries if e.id.endswith("/news_1")]
    assert (entry.id, entry.title, entry.published, entry.updated) == (
        "tag:tinmoi.github.io,2024:hanam/news_1",
        "Bài số 1 (đã sửa)",
        "2024-06-20T00:00:00+07:00",
        "2024-07-02T09:00:00+07:00",
    )


def test_equal_times_are_made_unique_stably_and_alike_in_every_feed(archive, tmp_path):
    # Same day as news_2, listed above it in the same crawl: the newer of the two.
    archive.upsert_article(article("hanam", 3, 21, list_position=1000), CRAWL)
    first = build(archive, tmp_path / "one")
    times = {local(e): e.updated for e in first["hanam/atom.xml"].entries}
    assert times == {
        "news_3": "2024-06-21T00:00:01+07:00",
        "news_2": "2024-06-21T00:00:00+07:00",
        "news_1": "2024-06-20T00:00:00+07:00",
    }
    for path in ("all/atom.xml", "hanam/tin/atom.xml", "tinh/ha-nam/atom.xml"):
        assert {local(e): e.updated for e in first[path].entries if "hanam/" in e.id} == times
    later = CRAWL + timedelta(hours=6)
    archive.upsert_article(article("hanam", 4, 21), later)
    second = build(archive, tmp_path / "two")
    again = {local(e): e.updated for e in second["hanam/atom.xml"].entries}
    assert again == times | {"news_4": "2024-06-21T00:00:02+07:00"}


def test_a_story_reposted_by_several_portals_appears_once_in_merged_feeds(archive, tmp_path):
    same = "Thông báo lịch nghỉ lễ Quốc khánh 2/9"
    archive.upsert_article(article("hanam", 5, 22, title=same), CRAWL)
    archive.upsert_article(article("hanam_so", 9, 22, title=same.upper()), CRAWL + timedelta(1))
    feeds = build(archive, tmp_path)
    for path in ("all/rss.xml", "tinh/ha-nam/rss.xml"):
        reposts = [e.link for e in feeds[path].entries if e.title.casefold() == same.casefold()]
        assert reposts == ["https://hanam.vn/vi/detailnews/?id=news_5&t=bai-5"]
    assert [e.title for e in feeds["hanam_so/rss.xml"].entries] == [same.upper()]


def test_province_feeds_merge_their_portals(archive, tmp_path):
    archive.upsert_article(article("hanam_so", 8, 18), CRAWL)
    feeds = build(archive, tmp_path)
    ids = [e.id.split(",2024:")[1] for e in feeds["tinh/ha-nam/rss.xml"].entries]
    assert ids == ["hanam/news_2", "hanam/news_1", "hanam_so/news_8"]
    assert feeds["tinh/ha-nam/rss.xml"].feed.title == "Tin mới tỉnh Hà Nam"
    assert [e.id.split(",2024:")[1] for e in feeds["tinh/quang-nam/rss.xml"].entries] == [
        "qnam/news_7"
    ]


def test_control_characters_never_reach_the_xml(archive, tmp_path):
    dirty = article("hanam", 6, 23, title="Tiêu\x0b đề\x00 lạ", content_html="<p>A\x1bB\x7f</p>")
    archive.upsert_article(dirty, CRAWL)
    entry = build(archive, tmp_path)["hanam/rss.xml"].entries[0]
    assert (entry.title, entry.content[0].value) == ("Tiêu đề lạ", "<p>AB</p>")


def test_an_item_that_cannot_be_serialised_is_skipped_not_the_feed(archive, caplog):
    good, bad = archive.latest(portal="hanam")
    broken = type(bad)(**{**bad.__dict__, "published": datetime(2024, 6, 20)})  # naive
    info = FeedInfo(
        "hanam", "portal", "T", "D", "https://hanam.vn", "A", "Hà Nam", "hanam",
        (Entry(good, good.sort_time, "S", None), Entry(broken, bad.sort_time, "S", None)),
    )  # fmt: skip
    with caplog.at_level(logging.WARNING):
        feed = feedparser.parse(render_rss(info, f"{SITE}/hanam/rss.xml"))
    assert [e.title for e in feed.entries] == ["Bài số 2 của hanam"]
    assert "feed hanam: skipped hanam:news_1" in caplog.text


@pytest.mark.parametrize("render", [render_rss, render_atom], ids=["rss", "atom"])
def test_an_item_that_fails_only_when_written_is_skipped_not_the_feed(archive, caplog, render):
    good, bad = archive.latest(portal="hanam")
    broken = type(bad)(**{**bad.__dict__, "images": ["https://hanam.vn/\x00anh.jpg"]})
    info = FeedInfo(
        "hanam", "portal", "T", "D", "https://hanam.vn", "A", "Hà Nam", "hanam",
        (Entry(good, good.sort_time, "S", None), Entry(broken, bad.sort_time, "S", None)),
    )  # fmt: skip
    with caplog.at_level(logging.WARNING):
        feed = feedparser.parse(render(info, f"{SITE}/hanam/feed.xml"))
    assert [e.title for e in feed.entries] == ["Bài số 2 của hanam"]
    assert "feed hanam: skipped hanam:news_1: All strings must be XML compatible" in caplog.text


def test_json_feed_has_the_same_items(archive, tmp_path):
    build(archive, tmp_path)
    raw = (tmp_path / "hanam" / "feed.json").read_text(encoding="utf-8")
    assert "\\u" not in raw
    feed = json.loads(raw)
    assert (feed["version"], feed["title"], feed["feed_url"], feed["language"]) == (
        "https://jsonfeed.org/version/1.1",
        "Cổng Du lịch Hà Nam – Tin mới",
        f"{SITE}/hanam/feed.json",
        "vi",
    )
    older = feed["items"][1]
    assert older == {
        "id": "tag:tinmoi.github.io,2024:hanam/news_1",
        "url": "https://hanam.vn/vi/detailnews/?id=news_1&t=bai-1",
        "title": "Bài số 1 của hanam",
        "content_html": '<p>Nội dung <strong>bài 1</strong>.</p><img src="https://cdn.vn/1.jpg">',
        "summary": "Nội dung bài 1.",
        "date_modified": "2024-06-20T00:00:00+07:00",
        "date_published": "2024-06-20T00:00:00+07:00",
        "image": "https://cdn.vn/1.jpg",
        "authors": [{"name": "Thu Hà"}],
        "tags": ["Tin tức"],
        "language": "vi",
    }
    assert [i["id"] for i in feed["items"]] == [
        e.id for e in feedparser.parse(tmp_path / "hanam" / "rss.xml").entries
    ]


def test_opml_lists_every_feed_grouped_by_province(archive, tmp_path):
    build(archive, tmp_path)
    opml = etree.parse(str(tmp_path / "feeds.opml")).getroot()
    assert opml.get("version") == "2.0"
    body = opml.find("body")
    tops = [(o.get("text"), o.get("xmlUrl")) for o in body]
    assert tops == [
        ("Tin mới các cổng thông tin tỉnh", f"{SITE}/all/rss.xml"),
        ("Tỉnh Hà Nam", None),
        ("Tỉnh Quảng Nam", None),
    ]
    ha_nam = body[1]
    assert [o.get("xmlUrl") or o.get("text") for o in ha_nam] == [
        f"{SITE}/tinh/ha-nam/rss.xml",
        "Cổng Du lịch Hà Nam",
        "Sở VHTTDL Hà Nam",
    ]
    assert [o.get("xmlUrl") for o in ha_nam[1]] == [
        f"{SITE}/hanam/rss.xml",
        f"{SITE}/hanam/tin/rss.xml",
    ]
    assert all(o.get("type") == "rss" for o in opml.iter("outline") if o.get("xmlUrl"))


def test_rebuilding_an_unchanged_archive_rewrites_nothing(archive, tmp_path):
    out = tmp_path / "public"
    first = build_feeds(archive, out, site_url=SITE)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = build_feeds(archive, out, site_url=SITE)
    assert all(b.changed for b in first) and not any(b.changed for b in second)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_one_portals_own_same_day_posts_of_one_title_are_not_folded(archive, tmp_path):
    archive.upsert_article(article("hanam", 11, 24, title="Thông báo"), CRAWL)
    archive.upsert_article(article("hanam", 12, 24, title="Thông báo"), CRAWL)
    archive.upsert_article(article("hanam", 13, 0 + 1, published=None, title="Tin ngắn"), CRAWL)
    archive.upsert_article(article("qnam", 14, 0 + 1, published=None, title="Tin ngắn"), CRAWL)
    feeds = build(archive, tmp_path)
    titles = [e.title for e in feeds["all/rss.xml"].entries]
    assert titles.count("Thông báo") == 2
    assert titles.count("Tin ngắn") == 2  # undated: never taken for the same story


def items_of(out: Path, path: str, fmt: str) -> list[dict]:
    """A feed's items as a reader gets them: feedparser for RSS and Atom, JSON for JSON Feed."""
    if fmt == "feed.json":
        feed = json.loads((out / path / fmt).read_text(encoding="utf-8"))
        return [
            {
                "id": i["id"],
                "title": i["title"],
                "summary": i["summary"],
                "content": i["content_html"],
                "author": i.get("authors", [{}])[0].get("name"),
            }
            for i in feed["items"]
        ]
    feed = feedparser.parse(out / path / fmt)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return [
        {
            "id": e.id,
            "title": e.title,
            "summary": e.summary,
            "content": e.content[0].value,
            "author": e.get("author"),
        }
        for e in feed.entries
    ]


@pytest.mark.parametrize("fmt", ["rss.xml", "atom.xml", "feed.json"])
def test_a_stored_noncharacter_is_removed_and_the_item_kept(archive, tmp_path, fmt):
    # Stored as it is, past the pipeline: archives hold such text already.
    stored = article(
        "hanam", 6, 23, title="Tiêu\ufffe đề\uffff", summary="Tóm\ufdd0 tắt\U0010fffe",
        content_html="<p>A\ufffeB\U0001ffff</p>", author="Thu\ufdef Hà",
    )  # fmt: skip
    archive.upsert_article(stored, CRAWL)
    build_feeds(archive, tmp_path, site_url=SITE)
    first = items_of(tmp_path, "hanam", fmt)[0]
    assert first == {
        "id": "tag:tinmoi.github.io,2024:hanam/news_6",
        "title": "Tiêu đề",
        "summary": "Tóm tắt",
        "content": "<p>AB</p>",
        "author": "Thu Hà",
    }
    raw = (tmp_path / "hanam" / fmt).read_text(encoding="utf-8")
    assert not any(c in raw for c in "\ufffe\uffff\ufdd0\ufdef\U0010fffe\U0001ffff")


HOSTILE = ["<img src=x onerror=alert(1)>", "&amp;", "a < b > c", "]]>"]


def shown(detail) -> str:
    """A feedparser text construct as a reader shows it: HTML as its text, else as it is."""
    if detail.type in ("text/html", "application/xhtml+xml"):
        return html_text(detail.value)
    return detail.value


def html_text(value: str) -> str:
    return lxml.html.fragment_fromstring(value, create_parent="div").text_content()


def reader_view(out: Path, path: str, fmt: str) -> tuple[dict, list[dict]]:
    """Every text a feed gives its reader: the feed's, then each item's (HTML as its text)."""
    if fmt == "feed.json":
        feed = json.loads((out / path / fmt).read_text(encoding="utf-8"))
        head = {
            "title": feed["title"],
            "description": feed["description"],
            "author": feed["authors"][0]["name"],
        }
        items = [
            {
                "title": i["title"],
                "summary": i["summary"],
                "content": html_text(i["content_html"]),
                "author": i["authors"][0]["name"],
                "tags": i["tags"],
                "attachments": [a["title"] for a in i.get("attachments", [])],
            }
            for i in feed["items"]
        ]
        return head, items
    feed = feedparser.parse(out / path / fmt)
    assert feed.bozo == 0, feed.get("bozo_exception")
    head = {"title": shown(feed.feed.title_detail), "description": shown(feed.feed.subtitle_detail)}
    if fmt == "atom.xml":
        head["author"] = feed.feed.author_detail.name
    items = [
        {
            "title": shown(e.title_detail),
            "summary": shown(e.summary_detail),
            "content": html_text(e.content[0].value),
            "author": e.author,
            "tags": [t.term for t in e.tags],
            "attachments": [
                link.title for link in e.links if link.rel == "enclosure" and "title" in link
            ],
        }
        for e in feed.entries
    ]
    return head, items


@pytest.mark.parametrize("fmt", ["rss.xml", "atom.xml", "feed.json"])
@pytest.mark.parametrize("text", HOSTILE)
def test_markup_looking_text_reaches_the_reader_as_text(archive_url, tmp_path, fmt, text):
    portal = PortalInfo("tricky", text, "Hà Nam", "vnpt", "https://tricky.vn", {"tin": text})
    hostile = dict(title=text, summary=text, author=text, images=[])
    document = f"https://tricky.vn/files/{quote(text)}.pdf"
    with Archive.open(archive_url, now=CRAWL) as archive:
        archive.upsert_portal(portal, CRAWL)
        archive.upsert_article(
            article("tricky", 1, 20, content_html=f"<p>{escape(text)}</p>", **hostile), CRAWL
        )
        archive.upsert_article(article("tricky", 2, 19, content_html="", **hostile), CRAWL)
        archive.add_attachment("tricky:news_1", document, "application/pdf", b"%PDF", "", CRAWL)
        build_feeds(archive, tmp_path, site_url=SITE)
        head, items = reader_view(tmp_path, "tricky", fmt)
    assert head == {
        "title": f"{text} – Tin mới",
        "description": f"Tin mới nhất từ {text} ({'Hà Nam'})",
    } | ({} if fmt == "rss.xml" else {"author": text})
    texts = dict(title=text, summary=text, author=text, tags=[text])
    assert items == [
        texts
        | {
            "content": f"{text}Tệp đính kèm{text}.pdf (PDF, 4 B)",
            "attachments": [] if fmt == "rss.xml" else [f"{text}.pdf"],
        },
        texts | {"content": text, "attachments": []},
    ]


def test_a_large_archive_builds_within_sqlites_oldest_parameter_limit(tmp_path):
    db = tmp_path / "big.sqlite3"
    start = datetime(2024, 1, 1, tzinfo=TZ)
    with Archive.open(db, now=CRAWL) as archive:
        for n in range(12):
            name = f"p{n:02}"
            province = "Hà Nam" if n % 2 else "Quảng Nam"
            archive.upsert_portal(
                PortalInfo(name, f"Cổng {n}", province, "vnpt", f"https://{name}.vn", {}), CRAWL
            )
            for i in range(50):
                # the first five of every portal share their times: ties across portals
                when = start + timedelta(hours=i if i < 5 else n * 50 + i)
                archive.upsert_article(article(name, i, 1, published=when), CRAWL)
        build_feeds(archive, tmp_path / "unlimited", site_url=SITE)
    with Archive.open(db, now=CRAWL) as archive:
        limit = sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
        event.listen(archive.engine, "connect", lambda conn, _: conn.setlimit(limit, 999))
        archive.engine.dispose()  # the connection opening it is pooled without the limit
        with archive.engine.connect() as conn:
            assert conn.connection.dbapi_connection.getlimit(limit) == 999
        build_feeds(archive, tmp_path / "limited", site_url=SITE)
    files = {p.relative_to(tmp_path / "unlimited") for p in (tmp_path / "unlimited").rglob("*")}
    assert len(files) > 100
    for name in sorted(files):
        limited, unlimited = tmp_path / "limited" / name, tmp_path / "unlimited" / name
        assert limited.is_dir() or limited.read_bytes() == unlimited.read_bytes(), name
