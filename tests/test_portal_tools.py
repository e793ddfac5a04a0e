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
    assert lines[0] == "hanam_tourism [vnpt-smart-tourism]  (5 requests)"
    assert lines[1] == (
        f"  listing {site.base_url}/vi/news/?id=cat_1&t=tin-tuc-su-kien: 9 entries"
        "  [.box-news-list .item-news]"
    )
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
