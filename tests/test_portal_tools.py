"""Tools for whoever adds a portal: check, new, record; and a TOML portal crawled for real."""

from __future__ import annotations

import ast
import json
import sqlite3
from pathlib import Path

import pytest

from crawler.platforms.vnpt_tourism import VnptTourismSpider
from tests.conftest import NOW, map_args, tinmoi
from tinmoi.snapshot import SnapshotSite, snapshot_dir

pytestmark = pytest.mark.e2e

ROOT_PORTALS = Path(__file__).resolve().parent.parent / "crawler" / "portals"
ARTICLE = (
    "https://hanamtourism.vn/vi/detailnews/?id=news_10462"
    "&t=sau-thang-dau-nam-2024-du-lich-ha-nam-uoc-don-2"
)
TITLE = "Sáu tháng đầu năm 2024, du lịch Hà Nam ước đón 2,9 triệu lượt khách"

#: The Hà Nam portal again, written as an operator would without Python.
HANAM_TOML = (Path(__file__).parent / "fixtures" / "portals" / "hanam_tourism.toml").read_text(
    encoding="utf-8"
)


@pytest.fixture
def site():
    site = SnapshotSite(snapshot_dir("hanam_tourism")).start()
    yield site
    site.stop()


def test_check_prints_each_field_with_its_selector(site):
    proc = tinmoi(
        "check", "hanam_tourism", *map_args(site), "--profile", "loopback", "--now", NOW
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "hanam_tourism [vnpt-smart-tourism]  (10 requests)"
    listing = "https://hanamtourism.vn/vi/news/?id=cat_"
    assert lines[1:12] == [
        "",
        "  section tin-tuc-su-kien (Tin tức - Sự kiện): 2 pages",
        "    page  entries  articles  new  url",
        f"       1        9         9    9  {listing}1&t=tin-tuc-su-kien",
        f"       2        8         8    8  {listing}1&t=tin-tuc-su-kien&page=2",
        "    entry  ok   .box-news-list .item-news",
        "    link   ok   .title-news a::attr(href) (9 of 9)",
        "    title  ok   .title-news a ::text (9 of 9)",
        "    date   ok   .date-news ::text (8 of 9)",
        "    pager  ok   page 2 found by next_page_selector"
        " '.pagination li.active + li a::attr(href)'",
        "",
    ]
    assert lines[12:16] == [
        "  section diem-den (Điểm đến): 2 pages",
        "    page  entries  articles  new  url",
        f"       1        8         8    8  {listing}2&t=diem-den",
        f"       2       10        10   10  {listing}2&t=diem-den&page=2",
    ]
    third = lines.index("  section le-hoi-van-hoa (Lễ hội - Văn hóa): 2 pages")
    assert lines[third + 2 : third + 4] == [
        f"       1        9         9    8  {listing}3&t=le-hoi-van-hoa",
        f"       2        8         8    8  {listing}3&t=le-hoi-van-hoa&page=2",
    ]
    seed = lines.index(
        "  article 1: https://hanamtourism.vn/vi/detailnews/?id=news_10466"
        "&t=hoi-nghi-so-ket-cong-tac-thi-dua-khen-thuong-6-thang"
    )
    assert lines[seed + 2] == (
        "    date    ok   2024-06-25T00:00:00+07:00  from lead"
        " [nothing matched .detail-news .date-detail ::text]"
    )
    assert lines[seed + 3] == (
        "    body    ok   2471 characters, 0 images  [.detail-news .content-detail]"
    )
    second = lines.index(f"  article 2: {ARTICLE}")
    assert lines[second + 1 : second + 6] == [
        f"    title   ok   '{TITLE}'  [.detail-news h1.title-detail ::text]",
        "    date    ok   2024-06-19T00:00:00+07:00  from page [.detail-news .date-detail ::text]",
        "    body    ok   1161 characters, 1 images  [.detail-news .content-detail]",
        "    author  ok   'Hồng Nhung'  [.content-detail > p[style*='right'] strong ::text]",
        "    chrome  ok   none leaked",
    ]
    assert lines[-1] == "verdict: OK (3 articles with title, date and body; no chrome)"


def test_check_says_what_is_broken_and_exits_1(site, tmp_path):
    broken = HANAM_TOML.replace('title = "Trung', 'name = "hanam_broken"\ntitle = "Trung')
    broken += '\n[selectors]\nbody = ".noi-dung-bai-viet"\ndate = ".ngay-dang ::text"\n'
    (tmp_path / "hanam_broken.toml").write_text(broken, encoding="utf-8")
    proc = tinmoi(
        "check", "hanam_broken", "--portals", str(tmp_path), *map_args(site),
        "--profile", "loopback", "--now", NOW,
    )  # fmt: skip
    assert proc.returncode == 1
    assert "verdict: BROKEN" in proc.stdout
    assert (
        "    body    MISS 0 characters, 0 images  [nothing matched .noi-dung-bai-viet]"
    ) in proc.stdout
    assert f"  - {ARTICLE}: dropped (no_body); body" in proc.stdout.replace("date; ", "")


#: The Đồng Nai construction department (NukeViet) as a portal file, one section.
SXD_TOML = """portal_title = "Sở Xây dựng tỉnh Đồng Nai"
province = "Đồng Nai"
platform = "nukeviet"
base_url = "https://sxd.dongnai.gov.vn"

[[sections]]
slug = "tin-tuc-su-kien"
title = "Tin tức - Sự kiện"
path = "/vi/news/tin-tuc-su-kien"
"""
SXD_LISTING = "https://sxd.dongnai.gov.vn/vi/news/tin-tuc-su-kien"
SXD_ARTICLE = f"{SXD_LISTING}/dong-nai-cong-bo-chi-so-gia-xay-dung-quy-i-nam-2025-1587.html"


def check_portal(tmp_path: Path, snapshot: str, name: str, text: str, faults=()):
    """``tinmoi check`` of the portal file ``name`` (``text``) against a snapshot, with
    ``faults`` (path, fault) played by its server."""
    (tmp_path / f"{name}.toml").write_text(text, encoding="utf-8")
    site = SnapshotSite(snapshot_dir(snapshot)).start()
    for path, fault in faults:
        site.servers["main"].add_fault(path, fault)
    try:
        return tinmoi(
            "check", name, "--portals", str(tmp_path), *map_args(site),
            "--profile", "loopback", "--now", NOW,
        )  # fmt: skip
    finally:
        site.stop()


def test_check_fails_a_section_whose_pager_selector_leads_off_the_listing(tmp_path):
    text = HANAM_TOML.replace('title = "Trung', 'name = "hanam_pager"\ntitle = "Trung')
    text += '\n[selectors]\nnext_page_selector = ".logo a::attr(href)"\n'
    proc = check_portal(tmp_path, "hanam_tourism", "hanam_pager", text)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    wrong = (
        "page 2 (https://hanamtourism.vn/vi/, found by next_page_selector"
        " '.logo a::attr(href)') has no entries: the walk stops after page 1"
    )
    assert lines[2:11] == [
        "  section tin-tuc-su-kien (Tin tức - Sự kiện): FAILED",
        "    page  entries  articles  new  url",
        "       1        9         9    9"
        "  https://hanamtourism.vn/vi/news/?id=cat_1&t=tin-tuc-su-kien",
        "       2        0         0    0  https://hanamtourism.vn/vi/",
        "    entry  ok   .box-news-list .item-news",
        "    link   ok   .title-news a::attr(href) (9 of 9)",
        "    title  ok   .title-news a ::text (9 of 9)",
        "    date   ok   .date-news ::text (8 of 9)",
        f"    pager  FAIL {wrong}",
    ]
    verdict = lines.index("verdict: BROKEN")
    assert lines[verdict + 1 : verdict + 4] == [
        f"  - section {slug}: {wrong}" for slug in ("tin-tuc-su-kien", "diem-den", "le-hoi-van-hoa")
    ]


def test_check_fails_a_section_whose_page_2_cannot_be_fetched(tmp_path):
    faults = [("/vi/news/tin-tuc-su-kien/page-2", "404")]
    proc = check_portal(tmp_path, "sxd_dongnai", "sxd_gone", SXD_TOML, faults)
    assert proc.returncode == 1
    why = (
        f"page 2 ({SXD_LISTING}/page-2, found by next_page_selector"
        """ '(//a[@rel="next"][contains(@href, "/page-")])[1]/@href') could not be fetched"""
        " (HTTP 404)"
    )
    lines = proc.stdout.splitlines()
    assert lines[4:6] == [
        f"       1        3         3    3  {SXD_LISTING}",
        f"       2        -         -    -  {SXD_LISTING}/page-2  (HTTP 404)",
    ]
    assert f"    pager  FAIL {why}" in lines
    assert lines[-2:] == ["verdict: BROKEN", f"  - section tin-tuc-su-kien: {why}"]


def test_check_says_which_links_fail_the_platforms_article_url_test(tmp_path):
    text = SXD_TOML + '\n[options]\nnews_modules = ["tin-tuc"]\n'
    proc = check_portal(tmp_path, "sxd_dongnai", "sxd_modules", text)
    assert proc.returncode == 1
    why = (
        "none of its 3 entries links to an article: 3 links failed the article-URL test of"
        f" the nukeviet platform (e.g. {SXD_ARTICLE}; its option"
        ' news_modules = ["tin-tuc"] decides which links are articles)'
    )
    assert proc.stdout.splitlines() == [
        "sxd_modules [nukeviet]  (3 requests)",
        "",
        "  section tin-tuc-su-kien (Tin tức - Sự kiện): FAILED",
        "    page  entries  articles  new  url",
        f"       1        3         0    0  {SXD_LISTING}",
        f"       2        3         0    0  {SXD_LISTING}/page-2",
        "    entry  ok   .news_column > .panel > .panel-body",
        "    link   ok   h3 a::attr(href) (2 of 3), h2 a::attr(href) (1 of 3)",
        "    title  ok   h3 a ::text (2 of 3), h2 a ::text (1 of 3)",
        "    date   ok   .text-muted li:first-child ::text (3 of 3)",
        f"    FAIL   {why}",
        "",
        "verdict: BROKEN",
        f"  - section tin-tuc-su-kien: {why}",
        "  - no article could be extracted: no listing page links to an article",
    ]


def test_check_names_the_entry_selector_that_matched_nothing(tmp_path):
    text = SXD_TOML + '\n[selectors]\nlisting_entry_selector = ".news-list .item"\n'
    proc = check_portal(tmp_path, "sxd_dongnai", "sxd_entries", text)
    assert proc.returncode == 1
    why = "0 entries: listing_entry_selector '.news-list .item' matched nothing"
    assert proc.stdout.splitlines()[2:11] == [
        "  section tin-tuc-su-kien (Tin tức - Sự kiện): FAILED",
        "    page  entries  articles  new  url",
        f"       1        0         0    0  {SXD_LISTING}",
        f"       2        0         0    0  {SXD_LISTING}/page-2",
        "    entry  MISS nothing matched .news-list .item",
        "    link   --   h2 a::attr(href), h3 a::attr(href) (no entries to read)",
        "    title  --   h2 a ::text, h3 a ::text (no entries to read)",
        "    date   --   .text-muted li:first-child ::text (no entries to read)",
        f"    FAIL   {why}",
    ]
    assert f"  - section tin-tuc-su-kien: {why}" in proc.stdout.splitlines()


def test_check_passes_a_section_of_one_page(tmp_path):
    site = SnapshotSite(snapshot_dir("quangnam_tourism")).start()
    try:
        proc = tinmoi(
            "check", "quangnam_tourism", *map_args(site), "--profile", "loopback", "--now", NOW
        )  # fmt: skip
    finally:
        site.stop()
    assert proc.returncode == 0, proc.stdout
    lines = proc.stdout.splitlines()
    start = lines.index("  section su-kien (Sự kiện): 1 page")
    assert lines[start + 2] == (
        "       1        4         4    4"
        "  https://quangnamtourism.com.vn/vi/news/?id=cat_6&t=su-kien"
    )
    assert lines[start + 7] == (
        "    pager  ok   1 page (no link to page 2; next_page_selector"
        " .pagination li.active + li a::attr(href) matched nothing)"
    )


def rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "select replace(key, portal || ':', ''), url, section, title, published,"
            " content_html from articles order by key"
        ).fetchall()


def test_a_toml_portal_crawls_exactly_like_its_python_twin(site, tmp_path):
    (tmp_path / "portals").mkdir()
    (tmp_path / "portals" / "hanam_toml.toml").write_text(HANAM_TOML, encoding="utf-8")
    python_db, toml_db = tmp_path / "py.sqlite3", tmp_path / "toml.sqlite3"
    common = [*map_args(site), "--profile", "loopback", "--now", NOW]
    py = tinmoi("crawl", "hanam_tourism", *common, "--db", str(python_db))
    toml = tinmoi(
        "crawl", "hanam_toml", "--portals", str(tmp_path / "portals"), *common,
        "--db", str(toml_db),
    )  # fmt: skip
    assert py.returncode == toml.returncode == 0, toml.stderr
    assert toml.stdout.replace("hanam_toml", "hanam_tourism") == py.stdout
    assert rows(toml_db) == rows(python_db)
    assert len(rows(toml_db)) == 67


def test_new_writes_a_toml_portal_that_loads(tmp_path):
    proc = tinmoi(
        "new", "ninhbinh_sdl", "--platform", "vnpt-smart-tourism",
        "--base-url", "https://dulichninhbinh.vn", "--title", "Sở Du lịch Ninh Bình",
        "--province", "Ninh Bình", "--toml", cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    toml = tmp_path / "portals" / "ninhbinh_sdl.toml"
    fixture = tmp_path / "tests" / "fixtures" / "pages" / "ninhbinh_sdl" / "example.json"
    assert proc.stdout.splitlines()[:2] == [f"wrote {toml}", f"wrote {fixture}"]
    assert json.loads(fixture.read_text("utf-8"))["reviewed"] is False
    sites = tinmoi("sites", "--json", cwd=tmp_path)
    found = {s["name"]: s for s in json.loads(sites.stdout)}
    assert found["ninhbinh_sdl"]["title"] == "Sở Du lịch Ninh Bình"
    assert found["ninhbinh_sdl"]["platform"] == "vnpt-smart-tourism"
    assert found["ninhbinh_sdl"]["defined_in"] == str(toml.resolve())


def test_new_writes_a_spider_file_of_attributes_only(tmp_path):
    (tmp_path / "scrapy.cfg").write_text("[settings]\ndefault = crawler.settings\n")
    (tmp_path / "crawler" / "spiders").mkdir(parents=True)
    proc = tinmoi(
        "new", "ninhbinh_sdl", "--platform", "vnpt-smart-tourism",
        "--base-url", "https://dulichninhbinh.vn", "--title", "Sở Du lịch Ninh Bình",
        cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    source = (tmp_path / "crawler" / "spiders" / "ninhbinh_sdl.py").read_text("utf-8")
    namespace: dict = {}
    exec(compile(source, "ninhbinh_sdl.py", "exec"), namespace)
    spider = namespace["NinhbinhSdlSpider"]
    assert spider.__mro__[1] is VnptTourismSpider
    assert (spider.name, spider.portal_title, spider.base_url) == (
        "ninhbinh_sdl",
        "Sở Du lịch Ninh Bình",
        "https://dulichninhbinh.vn",
    )
    tree = ast.parse(source)
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    again = tinmoi(
        "new", "ninhbinh_sdl", "--platform", "joomla", "--base-url", "https://x.vn", cwd=tmp_path
    )
    assert again.returncode == 1
    assert again.stderr.startswith("tinmoi: unknown platform 'joomla' (one of ")


def test_record_saves_the_page_and_its_extraction_unreviewed(site, tmp_path):
    proc = tinmoi(
        "record", "hanam_tourism", ARTICLE, *map_args(site), "--section", "tin-tuc-su-kien",
        "--dir", str(tmp_path), "--name", "six-months", "--now", NOW,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    spec = json.loads((tmp_path / "six-months.json").read_text("utf-8"))
    assert spec["reviewed"] is False
    assert spec["url"] == ARTICLE
    assert spec["encoding"] == "utf-8"
    assert spec["expected"]["title"] == TITLE
    assert spec["expected"]["published"] == "2024-06-19T00:00:00+07:00"
    assert spec["expected"]["date_source"] == "page"
    assert spec["expected"]["section"] == "tin-tuc-su-kien"
    page = snapshot_dir("hanam_tourism") / "main" / "articles" / "news_10462.html"
    assert (tmp_path / "six-months.html").read_bytes() == page.read_bytes()
    assert json.loads(proc.stdout) == spec["expected"]
    refused = tinmoi("record", "hanam_tourism", "https://hanamtourism.vn/vi/", *map_args(site))
    assert refused.returncode == 1
    assert refused.stderr.startswith("tinmoi: https://hanamtourism.vn/vi/ is not an article URL")


@pytest.mark.parametrize("name", ["missing.html", "folder"])
def test_record_from_a_file_it_cannot_read_is_one_line(tmp_path, capsys, name):
    from tinmoi.cli import main

    (tmp_path / "folder").mkdir()
    page = tmp_path / name
    code = main(["record", "hanam_tourism", ARTICLE, "--file", str(page), "--dir", str(tmp_path)])
    why = "No such file or directory" if name == "missing.html" else "Is a directory"
    assert (code, capsys.readouterr().err) == (1, f"tinmoi: --file {page}: cannot read it: {why}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]


def test_check_fails_a_selector_the_platform_does_not_read_naming_what_it_reads(tmp_path):
    text = (ROOT_PORTALS / "cds_binhphuoc.toml").read_text(encoding="utf-8")
    text = text.replace(
        "[selectors]\n", "[selectors]\nlisting_entry_selector = '.list-news .item'\n"
    ).replace("\n[[sections]]", '\nname = "cds_copy"\n\n[[sections]]', 1)
    (tmp_path / "cds_copy.toml").write_text(text, encoding="utf-8")
    site = SnapshotSite(snapshot_dir("cds_binhphuoc")).start()
    try:
        proc = tinmoi(
            "check", "cds_copy", "--portals", str(tmp_path), *map_args(site),
            "--profile", "loopback", "--now", NOW,
        )  # fmt: skip
    finally:
        site.stop()
    where = f"{tmp_path / 'cds_copy.toml'}:21"
    assert proc.returncode == 1
    assert proc.stderr == (
        f"tinmoi: warning: {where}: selectors.listing_entry_selector: not used by the generic "
        "platform (its entries are the links matching article_pattern)\n"
    )
    lines = proc.stdout.splitlines()
    assert "verdict: OK (3 articles with title, date and body; no chrome)" in lines
    assert lines[-2:] == [
        "verdict: BROKEN (the definition sets what its platform does not read)",
        "  - selectors.listing_entry_selector: not used by the generic platform "
        "(its entries are the links matching article_pattern)",
    ]
