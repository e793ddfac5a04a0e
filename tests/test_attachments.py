"""Documents linked from articles: downloaded once, stored by SHA-256, searched, in feeds."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import sqlite3
import time
import zipfile

import feedparser
import pytest
from lxml import etree

from crawler.attachments import document_type, extract_text
from tests.conftest import tinmoi
from tests.test_runs import run_args, site, start_run, wait_for_articles  # noqa: F401 (fixture)
from tools.snapshot_builders.vnpt import DOCX_TEXT, PDF_TEXT, docx, pdf

PDF_URL = "https://hanamtourism.vn/resources/portal/files/ke-hoach-125-kh-ubnd.pdf"
DOCX_URL = "https://hanamtourism.vn/resources/portal/files/quyet-dinh-742-qd-ubnd.docx"
PDF_KEY = "hanam_tourism:news_10407"
DOCX_KEY = "hanam_tourism:news_10445"
ATOM = "{http://www.w3.org/2005/Atom}"


def xlsx(strings: list[str]) -> bytes:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{ns}">{items}</sst>')
    return buffer.getvalue()


def test_text_is_extracted_from_pdf_docx_and_xlsx_only():
    assert extract_text(pdf(PDF_TEXT), "application/pdf", "a.pdf") == PDF_TEXT
    assert extract_text(docx(DOCX_TEXT), "application/octet-stream", "b.DOCX") == DOCX_TEXT
    sheet = xlsx(["Danh sách nghệ nhân", "Nguyễn Văn A"])
    assert extract_text(sheet, "", "c.xlsx") == "Danh sách nghệ nhân\nNguyễn Văn A"
    assert extract_text(b"\xd0\xcf\x11\xe0 legacy", "application/msword", "d.doc") == ""
    assert extract_text(b"not a pdf", "application/pdf", "e.pdf") == ""
    assert extract_text(b"<html></html>", "text/html", "f.html") == ""
    assert document_type("application/pdf; charset=binary", "x") == "application/pdf"
    assert document_type("application/octet-stream", "/x/Y.XLS") == "application/vnd.ms-excel"


def served(site, name: str) -> bytes:  # noqa: F811
    return (site.root / "main" / "files" / name).read_bytes()


def test_documents_are_archived_once_searched_and_listed_in_feeds(site, tmp_path):  # noqa: F811
    tinmoi(*run_args(site, tmp_path), check=True)
    db = tmp_path / "tinmoi.sqlite3"
    pdf_bytes = served(site, "ke-hoach-125-kh-ubnd.pdf")
    docx_bytes = served(site, "quyet-dinh-742-qd-ubnd.docx")
    pdf_hash = hashlib.sha256(pdf_bytes).hexdigest()
    docx_hash = hashlib.sha256(docx_bytes).hexdigest()
    query = "select sha256, content_type, size, text from attachments order by size"
    links = "select key, url, sha256 from article_attachments order by key"
    with sqlite3.connect(db) as conn:
        stored = conn.execute(query).fetchall()
        linked = conn.execute(links).fetchall()
    assert stored == [
        (pdf_hash, "application/pdf", len(pdf_bytes), PDF_TEXT),
        (
            docx_hash,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            len(docx_bytes),
            DOCX_TEXT,
        ),
    ]
    assert linked == [(PDF_KEY, PDF_URL, pdf_hash), (DOCX_KEY, DOCX_URL, docx_hash)]
    log = (tmp_path / "logs" / "hanam_tourism.log").read_text()
    assert "'tinmoi/attachments/new': 2" in log

    # A refresh fetches every article and document again: nothing is stored twice.
    tinmoi(*run_args(site, tmp_path, "--refresh"), check=True)
    with sqlite3.connect(db) as conn:
        assert conn.execute(query).fetchall() == stored
        assert conn.execute(links).fetchall() == linked
    log = (tmp_path / "logs" / "hanam_tourism.log").read_text()
    assert "'tinmoi/attachments/known': 2" in log
    assert (
        site.servers["main"].requests.count("/resources/portal/files/ke-hoach-125-kh-ubnd.pdf") == 2
    )

    found = tinmoi("search", "ke hoach 125 giap thin", "--db", str(db), check=True).stdout
    assert "news_10407" in found
    found = tinmoi("search", "742/QĐ-UBND tôn vinh nghệ nhân", "--db", str(db), check=True).stdout
    assert "news_10445" in found

    public = tmp_path / "public" / "hanam_tourism" / "tin-tuc-su-kien"
    atom = etree.parse(str(public / "atom.xml"))
    entry = next(
        e for e in atom.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id").endswith("news_10407")
    )
    enclosures = [
        dict(link.attrib) for link in entry.iter(f"{ATOM}link") if link.get("rel") == "enclosure"
    ]
    assert {"rel": "enclosure", "href": PDF_URL, "type": "application/pdf",
            "length": str(len(pdf_bytes)),
            "title": "ke-hoach-125-kh-ubnd.pdf"} in enclosures  # fmt: skip
    content = entry.findtext(f"{ATOM}content")
    assert "<h3>Tệp đính kèm</h3>" in content
    assert f'<a href="{PDF_URL}">ke-hoach-125-kh-ubnd.pdf</a> (PDF, ' in content

    rss = feedparser.parse(public / "rss.xml")
    item = next(e for e in rss.entries if e.id.endswith("news_10407"))
    assert len([link for link in item.links if link.rel == "enclosure"]) == 1
    assert item.enclosures[0].type.startswith("image/")
    assert PDF_URL in item.content[0].value

    feed = json.loads((public / "feed.json").read_text(encoding="utf-8"))
    item = next(i for i in feed["items"] if i["id"].endswith("news_10407"))
    assert item["attachments"] == [
        {"url": PDF_URL, "mime_type": "application/pdf", "title": "ke-hoach-125-kh-ubnd.pdf",
         "size_in_bytes": len(pdf_bytes)}
    ]  # fmt: skip

    out = tmp_path / "out.jsonl"
    tinmoi("export", "--format", "jsonl", "-o", str(out), "--db", str(db), check=True)
    rows = {r["key"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert rows[PDF_KEY]["attachments"] == [
        {"url": PDF_URL, "sha256": pdf_hash, "content_type": "application/pdf",
         "size": len(pdf_bytes)}
    ]  # fmt: skip
    assert rows["hanam_tourism:news_10466"]["attachments"] == []


@pytest.mark.parametrize("fault", ["404"])
def test_a_document_that_fails_is_recorded_as_dropped(site, tmp_path, fault):  # noqa: F811
    site.servers["main"].faults = {"/resources/portal/files/ke-hoach-125-kh-ubnd.pdf": [fault] * 4}
    tinmoi(*run_args(site, tmp_path), check=True)
    with sqlite3.connect(tmp_path / "tinmoi.sqlite3") as conn:
        query = "select url, reason from dropped where url = ?"
        dropped = conn.execute(query, (PDF_URL,)).fetchall()
        count = conn.execute("select count(*) from attachments").fetchone()[0]
    assert dropped == [(PDF_URL, "attachment http 404")]
    assert count == 1
    tinmoi(*run_args(site, tmp_path, "--now", "2025-08-02T09:00:00+07:00"), check=True)
    asked = site.servers["main"].requests.count("/resources/portal/files/ke-hoach-125-kh-ubnd.pdf")
    assert asked == 1  # a lasting reason: never asked again


DOCX_PATH = "/resources/portal/files/quyet-dinh-742-qd-ubnd.docx"


def linked_docx(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "select a.key, a.url, b.size from article_attachments a"
            " join attachments b on a.sha256 = b.sha256 where a.url = ?",
            (DOCX_URL,),
        ).fetchall()


def test_a_document_in_flight_at_a_kill_is_fetched_by_the_next_run(site, tmp_path):  # noqa: F811
    site.servers["main"].faults = {DOCX_PATH: ["sleep:20"]}
    db = tmp_path / "tinmoi.sqlite3"
    parallel = ("--set", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "--set", "DOWNLOAD_TIMEOUT=30")
    run = start_run(site, tmp_path, *parallel)
    wait_for_articles(db, 67, run)
    deadline = time.monotonic() + 30
    while DOCX_PATH not in site.servers["main"].requests and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=10)
    assert linked_docx(db) == []
    tinmoi(*run_args(site, tmp_path), check=True)
    size = len(served(site, "quyet-dinh-742-qd-ubnd.docx"))
    assert linked_docx(db) == [(DOCX_KEY, DOCX_URL, size)]
    assert site.servers["main"].requests.count(DOCX_PATH) == 2


def test_a_document_lost_to_a_passing_error_is_fetched_again_later(site, tmp_path):  # noqa: F811
    site.servers["main"].faults = {DOCX_PATH: ["500", "500"]}
    db = tmp_path / "tinmoi.sqlite3"
    tinmoi(*run_args(site, tmp_path), check=True)
    assert linked_docx(db) == []
    tinmoi(*run_args(site, tmp_path, "--now", "2025-08-01T11:30:00+07:00"), check=True)
    size = len(served(site, "quyet-dinh-742-qd-ubnd.docx"))
    assert linked_docx(db) == [(DOCX_KEY, DOCX_URL, size)]
    tinmoi(*run_args(site, tmp_path, "--now", "2025-08-02T09:00:00+07:00"), check=True)
    assert site.servers["main"].requests.count(DOCX_PATH) == 3


def test_an_article_asks_once_for_each_document_on_the_portals_own_hosts():
    from scrapy.http import HtmlResponse, Request
    from scrapy.spiderloader import get_spider_loader
    from scrapy.utils.project import get_project_settings

    from crawler.items import Article
    from crawler.platforms.documents import ATTACHMENT_MAXSIZE
    from crawler.platforms.records import ListingEntry

    spider = get_spider_loader(get_project_settings()).load("hanam_tourism")()
    page = (
        '<html><body><div class="detail-news"><h1 class="title-detail">Thông báo</h1>'
        '<div class="content-detail" id="content-detail"><p>Văn bản.</p>'
        '<a href="/files/a.PDF">a</a> <a href="/files/a.PDF?utm_source=zalo">again</a>'
        '<a href="https://dltm-cdn.vnptit3.vn/files/b.xlsx">b</a>'
        '<a href="https://example.org/c.pdf">elsewhere</a> <a href="/vi/d.html">page</a>'
        '<a href="mailto:x@y.vn">mail</a> <a href="/files/e.doc">e</a></div></div></body></html>'
    )
    url = "https://hanamtourism.vn/vi/detailnews/?id=news_1&t=thong-bao"
    response = HtmlResponse(url, body=page.encode(), encoding="utf-8", request=Request(url))
    listed = ListingEntry(url, "hanam_tourism:news_1", "tin-tuc-su-kien", "", "", 0)
    items = list(spider.parse_article(response, listed))
    assert isinstance(items[0], Article)
    assert items[0].documents == [
        "https://hanamtourism.vn/files/a.PDF",
        "https://dltm-cdn.vnptit3.vn/files/b.xlsx",
        "https://hanamtourism.vn/files/e.doc",
    ]  # recorded in the archive with the article, fetched or not
    assert [(r.url, r.cb_kwargs, r.meta["download_maxsize"]) for r in items[1:]] == [
        (found, {"key": "hanam_tourism:news_1", "url": found}, ATTACHMENT_MAXSIZE)
        for found in (
            "https://hanamtourism.vn/files/a.PDF",
            "https://dltm-cdn.vnptit3.vn/files/b.xlsx",
            "https://hanamtourism.vn/files/e.doc",
        )
    ]
    assert len(list(spider.parse_article(response, listed))) == 1  # each document once a crawl


def test_documents_a_page_lists_outside_its_body_are_kept_with_those_it_links_to():
    from scrapy.http import HtmlResponse, Request
    from scrapy.spiderloader import get_spider_loader
    from scrapy.utils.project import get_project_settings

    from crawler.platforms.fields import PageFields
    from crawler.platforms.records import ListingEntry

    base = get_spider_loader(get_project_settings()).load("hanam_tourism")

    class WithAttachmentBox(base):
        name = "hanam_box"

        def post_process_fields(self, fields: PageFields, response: HtmlResponse) -> PageFields:
            fields.attachments = [
                response.urljoin(href)
                for href in response.css(".attachments a::attr(href)").getall()
            ]
            return fields

    spider = WithAttachmentBox()
    page = (
        '<html><body><div class="detail-news"><h1 class="title-detail">Thông báo</h1>'
        '<div class="content-detail" id="content-detail"><p>Văn bản.</p>'
        '<a href="/files/a.pdf">a</a></div>'
        '<ul class="attachments"><li><a href="/files/a.pdf">a</a></li>'
        '<li><a href="/files/b.docx">b</a></li><li><a href="https://example.org/c.pdf">c</a>'
        "</li></ul></div></body></html>"
    )
    url = "https://hanamtourism.vn/vi/detailnews/?id=news_2&t=thong-bao"
    response = HtmlResponse(url, body=page.encode(), encoding="utf-8", request=Request(url))
    listed = ListingEntry(url, "hanam_box:news_2", "tin-tuc-su-kien", "", "", 0)
    article, *downloads = spider.parse_article(response, listed)
    assert article.documents == [
        "https://hanamtourism.vn/files/a.pdf",
        "https://hanamtourism.vn/files/b.docx",
    ]  # the box's copy of a.pdf is the body's; another site's document is not the portal's
    assert [r.url for r in downloads] == article.documents
