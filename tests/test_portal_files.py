"""Portals defined in TOML files: loaded like Python spiders, errors that point at the line."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.platforms.base import PortalSpider, Section
from crawler.platforms.vnpt_tourism import VnptTourismSpider
from crawler.portal_files import (
    BUNDLED,
    PortalFileError,
    load_portal_file,
    platform_classes,
    portal_paths,
)
from tests.conftest import tinmoi

ROOT = Path(__file__).resolve().parent.parent
SPIDERS = sorted((ROOT / "crawler" / "spiders").glob("[!_]*.py"))

GOOD = """\
portal_title = "Trung tâm Thông tin Xúc tiến Du lịch Ninh Bình"
province = "Ninh Bình"
platform = "vnpt-smart-tourism"
base_url = "https://dulichninhbinh.vn/"
domain_aliases = ["https://ninhbinhtourism.vn"]

[[sections]]
slug = "tin-tuc"
title = "Tin tức"
path = "/vi/news/?id=cat_1&t=tin-tuc"

[[sections]]
slug = "diem-den"
title = "Điểm đến"
path = "/vi/news/?id=cat_2&t=diem-den"

[selectors]
date_selector = "//div[@class='date-detail']/text()"
chrome_selectors = [".other-news", "#share"]

[options]
article_path = "/chi-tiet/"
"""


def write(tmp_path: Path, text: str, name: str = "ninhbinh_tourism.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_portal_file_becomes_a_spider_on_its_platform(tmp_path):
    spider = load_portal_file(write(tmp_path, GOOD))
    assert issubclass(spider, VnptTourismSpider)
    assert spider.name == "ninhbinh_tourism"
    assert spider.portal_title == "Trung tâm Thông tin Xúc tiến Du lịch Ninh Bình"
    assert spider.base_url == "https://dulichninhbinh.vn"
    assert spider.domain_aliases == ("https://ninhbinhtourism.vn",)
    assert spider.sections == (
        Section("tin-tuc", "Tin tức", "/vi/news/?id=cat_1&t=tin-tuc"),
        Section("diem-den", "Điểm đến", "/vi/news/?id=cat_2&t=diem-den"),
    )
    assert spider.date_selector == "//div[@class='date-detail']/text()"
    assert spider.chrome_selectors == (".other-news", "#share")
    assert spider.article_path == "/chi-tiet/"
    # What is not set is the platform's.
    assert spider.body_selector == VnptTourismSpider.body_selector
    instance = spider()
    assert instance.article_key("https://ninhbinhtourism.vn/vi/chi-tiet/?id=news_7") == (
        "ninhbinh_tourism:news_7"
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'platform = "vnpt-smart-tourism"',
            'platform = "joomla"',
            ":3: platform: 'joomla' is not one of",
        ),
        ('province = "Ninh Bình"\n', "", ": province: missing"),
        (
            'base_url = "https://dulichninhbinh.vn/"',
            'base_url = "dulichninhbinh.vn"',
            ":4: base_url: 'dulichninhbinh.vn' is not an origin",
        ),
        (
            'path = "/vi/news/?id=cat_2&t=diem-den"',
            'path = "vi/news"',
            ":15: sections[1].path: must be a path starting with /",
        ),
        (
            'slug = "diem-den"',
            'slug = "Điểm đến"',
            ":13: sections[1].slug: 'Điểm đến' must be lowercase",
        ),
        (
            'date_selector = "//div',
            'date_selector = "//div[[',
            ":18: selectors.date_selector: bad selector",
        ),
        (
            'chrome_selectors = [".other-news"',
            'chrome_selectors = [".other-news::"',
            ":19: selectors.chrome_selectors: bad CSS",
        ),
        (
            "[options]\n",
            "[options]\nparse_article = 1\n",
            ":22: options.parse_article: vnpt-smart-tourism has no setting",
        ),
        (
            'article_path = "/chi-tiet/"',
            "article_path = 3",
            ":22: options.article_path: must be a str",
        ),
        (
            "[selectors]\n",
            "[selectors]\nheadline = 'h1'\n",
            ":18: selectors.headline: unknown selector",
        ),
        ('portal_title = "Trung', 'portal_titel = "Trung', ":1: portal_titel: unknown field"),
        ("[[sections]]\nslug", "[[sections]\nslug", ":7: not valid TOML"),
    ],
)
def test_a_malformed_file_names_file_field_and_line(tmp_path, old, new, message):
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(PortalFileError) as caught:
        load_portal_file(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_every_platform_is_known_by_its_slug():
    platforms = platform_classes()
    assert platforms["vnpt-smart-tourism"] is VnptTourismSpider
    for slug, cls in platforms.items():
        assert cls.platform == slug
        assert not getattr(cls, "name", None), f"{cls.__name__} is a platform: no name"
        assert cls.__doc__ and cls.__module__.startswith("crawler.platforms.")


def test_every_bundled_portal_file_validates():
    for path in sorted(BUNDLED.glob("*.toml")):
        spider = load_portal_file(path)
        assert spider.name == path.stem
        assert spider.sections, path


def test_portal_files_are_found_in_portals_and_in_given_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "portals").mkdir()
    own = write(tmp_path / "portals", GOOD)
    extra = write(tmp_path, GOOD, "other.toml")
    found = portal_paths(str(extra))
    assert found[-2:] == [own.resolve(), extra.resolve()]
    assert set(found[:-2]) == {p.resolve() for p in BUNDLED.glob("*.toml")}


def test_scrapy_and_tinmoi_list_toml_portals_and_report_broken_files(tmp_path):
    write(tmp_path, GOOD)
    write(tmp_path, GOOD.replace("[selectors]", "[selectors]\ntitle_selector = 7"), "broken.toml")
    scrapy = Path(sys.executable).parent / "scrapy"
    env = {"TINMOI_PORTALS": str(tmp_path), "PATH": "/usr/bin:/bin"}
    listed = subprocess.run(
        [str(scrapy), "list"], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    assert "ninhbinh_tourism" in listed.stdout.split()
    assert "hanam_tourism" in listed.stdout.split()
    broken = f"{tmp_path / 'broken.toml'}:18: selectors.title_selector"
    assert f"{broken}: must be a CSS or XPath string" in listed.stderr
    sites = tinmoi("sites", "--portals", str(tmp_path))
    assert sites.returncode == 3
    assert "ninhbinh_tourism  [vnpt-smart-tourism]  Ninh Bình  https://dulichninhbinh.vn" in (
        sites.stdout
    )
    assert sites.stderr.splitlines() == [
        f"tinmoi: {tmp_path / 'broken.toml'}:18: selectors.title_selector: must be a CSS or XPath"
        " string"
    ]


def test_a_toml_portal_may_not_take_a_python_portals_name(tmp_path):
    write(tmp_path, GOOD, "hanam_tourism.toml")
    sites = tinmoi("sites", "--portals", str(tmp_path))
    assert sites.returncode == 3
    assert "is already defined in crawler.spiders.hanam_tourism" in sites.stderr


@pytest.mark.parametrize("path", SPIDERS, ids=lambda p: p.stem)
def test_a_portal_spider_is_a_few_attributes(path: Path):
    """A portal on a known platform: about ten lines of attributes, no methods."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    assert len(classes) == 1, "one portal per file"
    body = classes[0].body
    methods = [node.name for node in ast.walk(classes[0]) if isinstance(node, ast.FunctionDef)]
    assert methods == [], f"a portal sets attributes; parsing belongs in its platform: {methods}"
    assert all(isinstance(node, ast.Assign | ast.AnnAssign | ast.Expr) for node in body)
    code_lines = [line for line in path.read_text().splitlines() if line.strip()]
    assert len(code_lines) <= 30


def test_every_portal_is_on_a_platform():
    from tinmoi.portals import portal_names, spider_class

    platforms = set(platform_classes().values())
    for name in portal_names():
        spider = spider_class(name)
        assert issubclass(spider, PortalSpider)
        assert spider.__mro__[1] in platforms, f"{name} must subclass its platform directly"
        assert spider.portal_title and spider.province and spider.base_url


def test_a_python_portal_setting_an_old_attribute_name_is_refused_at_class_creation():
    with pytest.raises(TypeError, match=r"^Old sets title_css, which is now named title_selector$"):
        type("Old", (VnptTourismSpider,), {"title_css": "h1 ::text"})


#: GOOD as earlier releases wrote it.
OLD = (
    GOOD.replace("portal_title =", "title =")
    .replace("domain_aliases =", "aliases =")
    .replace("date_selector =", "date =")
    .replace("chrome_selectors =", "chrome =")
)


def test_old_keys_still_load_and_sites_names_each_with_its_new_name(tmp_path):
    old = load_portal_file(write(tmp_path, OLD))
    new = load_portal_file(write(tmp_path, GOOD, "new.toml"))
    attributes = ("portal_title", "domain_aliases", "date_selector", "chrome_selectors")
    assert [getattr(old, a) for a in attributes] == [getattr(new, a) for a in attributes]
    assert new.portal_file_warnings == ()
    (tmp_path / "new.toml").unlink()
    sites = tinmoi("sites", "--portals", str(tmp_path))
    path = tmp_path / "ninhbinh_tourism.toml"
    assert sites.returncode == 0
    assert sites.stderr.splitlines() == [
        f"tinmoi: warning: {path}:1: title: now portal_title",
        f"tinmoi: warning: {path}:5: aliases: now domain_aliases",
        f"tinmoi: warning: {path}:18: selectors.date: now date_selector",
        f"tinmoi: warning: {path}:19: selectors.chrome: now chrome_selectors",
    ]


def test_every_missing_field_is_named_at_once(tmp_path):
    text = GOOD.replace('portal_title = "Trung tâm Thông tin Xúc tiến Du lịch Ninh Bình"\n', "")
    path = write(tmp_path, text.replace('province = "Ninh Bình"\n', ""))
    with pytest.raises(PortalFileError) as caught:
        load_portal_file(path)
    assert str(caught.value) == f"{path}: missing portal_title, province"


@pytest.mark.parametrize("name", ["x", "a" * 65])
def test_a_name_of_the_wrong_length_is_refused_with_the_rule(tmp_path, name):
    path = write(tmp_path, f'name = "{name}"\n' + GOOD)
    with pytest.raises(PortalFileError) as caught:
        load_portal_file(path)
    assert str(caught.value) == (
        f"{path}:1: name: {name!r} must be 2 to 64 of lowercase letters, digits and _, "
        "starting with a letter"
    )


GENERIC = """\
portal_title = "Sở Xây dựng tỉnh Đồng Nai"
province = "Đồng Nai"
platform = "generic"
base_url = "https://sxd.dongnai.gov.vn"

[[sections]]
slug = "tin-tuc"
title = "Tin tức"
path = "/tin-tuc"
"""


def test_a_generic_portal_without_its_article_pattern_is_refused_when_it_loads(tmp_path):
    path = write(tmp_path, GENERIC, "sxd_dongnai.toml")
    with pytest.raises(PortalFileError) as caught:
        load_portal_file(path)
    assert str(caught.value) == (
        f"{path}: options.article_pattern: missing: the generic platform needs it"
    )


def test_a_selector_the_platform_does_not_read_is_warned_naming_what_it_reads(tmp_path):
    text = GENERIC + (
        "\n[selectors]\nlisting_entry_selector = '.news li'\ntitle_selector = 'h1 ::text'\n"
        "\n[options]\narticle_pattern = '/tin-tuc/[\\\\w-]+-(\\\\d+)\\\\.html$'\n"
    )
    path = write(tmp_path, text, "sxd_dongnai.toml")
    spider = load_portal_file(path)
    assert spider.listing_entry_selector == ".news li"  # a file that loaded still crawls
    assert spider.portal_file_warnings == (
        f"{path}:12: selectors.listing_entry_selector: not used by the generic platform "
        "(its entries are the links matching article_pattern)",
    )
