"""The rules ``tinmoi add`` decides by, one at a time: platform evidence, which menu links
are sections, slugs, article URL shapes, names, provinces before and after the 2025
merger, and the portal file it writes (loaded back as a portal)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.portal_files import load_portal_file, platform_classes
from tinmoi.adding.command import portal_name, site_title
from tinmoi.adding.fetch import Fetched
from tinmoi.adding.patterns import article_folder, article_pattern, shape
from tinmoi.adding.province import MERGED, NOW_PART_OF, current, named_in
from tinmoi.adding.recognise import recognise
from tinmoi.adding.sections import Candidate, left_out_by_title, propose, section_slug
from tinmoi.adding.writer import Proposal, python_text, toml_text


def page(html: str, headers: dict[str, str] | None = None) -> Fetched:
    return Fetched("https://x.gov.vn/", "https://x.gov.vn/", 200, headers or {}, html.encode())


@pytest.mark.parametrize(
    ("html", "headers", "platform", "evidence"),
    [
        (
            '<meta name="generator" content="NukeViet v4.5">'
            '<link href="/themes/default/css/style.css"><script>var nv_base_siteurl="/";</script>',
            {},
            "nukeviet",
            ["nukeviet: generator meta NukeViet", "nukeviet: theme assets /themes/…",
             "nukeviet: nv_ script variables"],
        ),
        (
            '<link href="/_layouts/15/corev15.css">',
            {"microsoftsharepointteamservices": "15.0.0.4569"},
            "sharepoint",
            ["sharepoint: SharePoint header", "sharepoint: /_layouts/ paths"],
        ),
        (
            '<a href="/web/guest/tin-tuc">Tin</a><div id="p_p_id_101_"></div>',
            {},
            "liferay",
            ["liferay: p_p_id portlet ids", "liferay: /web/<site>/ pages"],
        ),
        (
            '<link href="/wp-content/themes/x/style.css"><link href="/wp-json/">',
            {},
            "wordpress",
            ["wordpress: wp-content assets", "wordpress: wp-json API link"],
        ),
        ('<div id="dnn_ctr512_TinTuc"></div>', {}, "aspnet", ["aspnet: DotNetNuke dnn_ ids"]),
        ('<a href="/en/about">About</a>', {}, "", []),
    ],
)  # fmt: skip
def test_the_platform_is_recognised_from_named_evidence(html, headers, platform, evidence):
    found = recognise([page(html, headers)])
    assert (found.platform, found.evidence) == (platform, evidence)


HOME = "the home page (an aggregate section would own every article's section)"
AGGREGATE = "an aggregate list (it would own every article's section for good)"
NOT_NEWS = "not a news page (by its title)"


@pytest.mark.parametrize(
    ("title", "url", "reason"),
    [
        ("Trang chủ", "https://x.gov.vn/vi/", HOME),
        ("Tin mới nhất", "https://x.gov.vn/tin-moi-nhat", AGGREGATE),
        ("Tin nổi bật", "https://x.gov.vn/noi-bat", AGGREGATE),
        ("Liên hệ", "https://x.gov.vn/lien-he", NOT_NEWS),
        ("Thủ tục hành chính", "https://x.gov.vn/tthc", NOT_NEWS),
        (
            "Trang sau »",
            "https://x.gov.vn/a.aspx?page=2",
            "another page of a listing (a pager link)",
        ),
        ("Tin tức", "https://x.gov.vn/Default.aspx?tabid=89", ""),
        ("Tin tức - Sự kiện", "https://x.gov.vn/tin-tuc-su-kien", ""),
    ],
)
def test_menu_links_left_out_say_why(title, url, reason):
    assert left_out_by_title(title, url, "https://x.gov.vn/") == reason


def test_sections_listing_articles_are_proposed_news_first_at_most_eight():
    links = [Candidate(f"Mục {n}", f"https://x.gov.vn/muc-{n}", f"muc-{n}") for n in range(10)]
    links.append(Candidate("Tin tức", "https://x.gov.vn/tin", "tin-tuc"))
    links.append(Candidate("Giới thiệu chung", "https://x.gov.vn/gt", "gioi-thieu-chung"))
    for link in links[:-1]:
        link.articles = 5
    ranked = propose(links)
    assert [c.slug for c in ranked[:8]] == [f"muc-{n}" for n in range(7)] + ["tin-tuc"]
    assert [(c.slug, c.reason) for c in ranked[8:]] == [
        ("muc-7", "beyond the 8 sections proposed"),
        ("muc-8", "beyond the 8 sections proposed"),
        ("muc-9", "beyond the 8 sections proposed"),
        ("gioi-thieu-chung", "lists 0 article links (not a news listing)"),
    ]


@pytest.mark.parametrize(
    ("title", "url", "slug"),
    [
        ("Tin tức - Sự kiện", "https://x.vn/vi/news/tin-tuc-su-kien/", "tin-tuc-su-kien"),
        ("Hoạt động chính quyền", "https://x.vn/vi/news/hoat-dong-chinh-quyen-nha-nuoc/",
         "hoat-dong-chinh-quyen-nha-nuoc"),
        ("Tin chuyển đổi số", "https://x.vn/Danh-muc/Tin-chuyen-doi-so-5.html",
         "tin-chuyen-doi-so"),
        ("Hoạt động lãnh đạo", "https://x.vn/vn/chuyen-muc/856/hoat-dong-lanh-dao-.aspx",
         "hoat-dong-lanh-dao"),
        ("Điểm đến", "https://x.vn/vi/news/?id=cat_2&t=diem-den", "diem-den"),
    ],
)  # fmt: skip
def test_a_section_slug_comes_from_its_title_or_the_portal_s_own(title, url, slug):
    assert section_slug(title, url) == slug


def test_article_shapes_keep_fixed_words_and_number_the_id():
    assert shape("https://x.vn/tin-tuc/chi-tiet?id=7742407") == r"^/tin-tuc/chi-tiet\?id=(\d+)$"
    assert shape("https://x.vn/Tin-tuc/vuon-dieu-241.html") == r"^/Tin-tuc/[\w-]+-(\d+)\.html$"
    assert shape("https://x.vn/lien-he") is None


def test_the_article_pattern_is_what_listings_link_to_alone_not_the_sidebar():
    sidebar = ["https://x.vn/thong-bao/chi-tiet?id=915", "https://x.vn/thong-bao/chi-tiet?id=911"]
    menu = [
        "https://x.vn/tin-tuc/danh-sach?chuyenmuc=12",
        "https://x.vn/tin-tuc/danh-sach?chuyenmuc=15",
    ]
    pages = [
        [
            *menu,
            *sidebar,
            "https://x.vn/tin-tuc/chi-tiet?id=1",
            "https://x.vn/tin-tuc/chi-tiet?id=2",
        ],
        [
            *menu,
            *sidebar,
            "https://x.vn/tin-tuc/chi-tiet?id=3",
            "https://x.vn/tin-tuc/chi-tiet?id=4",
        ],
        [*menu, *sidebar, "https://x.vn/tin-tuc/danh-sach?chuyenmuc=12&page=2"],
    ]
    assert article_pattern(pages, menu) == r"^/tin-tuc/chi-tiet\?id=(\d+)$"


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://sxd.dongnai.gov.vn/vi/", "sxd_dongnai"),
        ("https://www.mt.gov.vn/", "mt"),
        ("https://hanamtourism.vn", "hanamtourism"),
        ("https://quangnamtourism.com.vn", "quangnamtourism"),
        ("https://danangfantasticity.com", "danangfantasticity"),
    ],
)
def test_a_portal_is_named_for_its_host(url, name):
    assert portal_name(url) == name


def test_the_title_is_the_site_name_or_the_title_without_the_home_words():
    named = page('<meta property="og:site_name" content="Sở Xây dựng tỉnh Đồng Nai">')
    assert site_title(named) == "Sở Xây dựng tỉnh Đồng Nai"
    titled = page("<title>Trang chủ - Sở Lao động - Thương binh và Xã hội tỉnh Bắc Giang</title>")
    assert site_title(titled) == "Sở Lao động - Thương binh và Xã hội tỉnh Bắc Giang"


def test_34_provinces_since_the_merger_11_unchanged_and_63_before_it():
    assert len(MERGED) == 34
    assert sorted(new for new, olds in MERGED.items() if not olds) == sorted(
        ["Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh",
         "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng"]
    )  # fmt: skip
    assert len(NOW_PART_OF) == 63
    assert sum(len(olds) for olds in MERGED.values()) == 52


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Hà Nam", "Ninh Bình"), ("Nam Định", "Ninh Bình"), ("Ninh Bình", "Ninh Bình"),
        ("Bình Phước", "Đồng Nai"), ("Ninh Thuận", "Khánh Hòa"), ("Bắc Giang", "Bắc Ninh"),
        ("Quảng Nam", "Đà Nẵng"), ("Phú Yên", "Đắk Lắk"), ("Bến Tre", "Vĩnh Long"),
        ("Trà Vinh", "Vĩnh Long"), ("Tiền Giang", "Đồng Tháp"), ("Điện Biên", "Điện Biên"),
        ("Bình Dương", "TP. Hồ Chí Minh"), ("Bà Rịa - Vũng Tàu", "TP. Hồ Chí Minh"),
        ("Thừa Thiên Huế", "Huế"), ("Hoà Bình", "Phú Thọ"), ("Kon Tum", "Quảng Ngãi"),
        ("Toàn quốc", "Toàn quốc"),
    ],
)  # fmt: skip
def test_a_former_province_is_now_part_of(old, new):
    assert current(old) == new


def test_the_province_a_page_names():
    assert named_in("Cổng thông tin du lịch Hà Nam") == "Hà Nam"
    assert named_in("Trung tâm Xúc tiến Du lịch Quảng Nam") == "Quảng Nam"
    assert named_in("Cổng Thông tin điện tử Thành phố Hồ Chí Minh") == "TP. Hồ Chí Minh"
    assert named_in("Cổng thông tin điện tử Bộ Giao thông vận tải") == "Toàn quốc"
    assert named_in("Danang FantastiCity", "Thành phố Đà Nẵng") == "Đà Nẵng"
    assert named_in("Tin tức") is None


def test_the_file_written_loads_as_a_disabled_portal_with_its_sections(tmp_path: Path):
    section = Candidate(
        "Tin tức - Sự kiện", "https://x.gov.vn/tin-tuc?page=1&x=2", "tin-tuc-su-kien"
    )
    section.articles, section.page2, section.page2_articles = 3, "https://x.gov.vn/p2", 2
    left = Candidate("Liên hệ", "https://x.gov.vn/lien-he", "lien-he", reason="not a news page")
    proposal = Proposal(
        name="x_gov", title="Cổng \"X\"", province="Ninh Bình", platform="generic",
        base_url="https://x.gov.vn", sections=[section], left_out=[left],
        selectors={"listing_date_selector": ""},
        options={"article_pattern": r"^/tin/(\d+)$"}, enabled=False, notes=["Written by a test."],
    )  # fmt: skip
    path = tmp_path / "x_gov.toml"
    path.write_text(toml_text(proposal), encoding="utf-8")
    spider = load_portal_file(path)
    assert (spider.name, spider.portal_title, spider.enabled) == ("x_gov", 'Cổng "X"', False)
    assert [(s.slug, s.title, s.path) for s in spider.sections] == [
        ("tin-tuc-su-kien", "Tin tức - Sự kiện", "/tin-tuc?page=1&x=2")
    ]
    assert (spider.article_pattern, spider.listing_date_selector) == (r"^/tin/(\d+)$", "")
    text = path.read_text(encoding="utf-8")
    assert '# left out: not a news page\n# [[sections]]\n# slug = "lien-he"' in text
    assert "[[sections]]   # menu: 3 articles on page 1, 2 on page 2" in text


def test_the_python_written_defines_the_same_portal():
    section = Candidate("Sức khỏe", "https://ksbtdanang.vn/news/suc-khoe/", "suc-khoe")
    proposal = Proposal(
        name="ksbt_py", title="Trung tâm Kiểm soát bệnh tật", province="Đà Nẵng",
        platform="nukeviet", base_url="https://ksbtdanang.vn", sections=[section],
        selectors={"title_selector": 'div.tms_tintuc_titlle ::text'},
        options={"news_modules": ["news", "cam-nang-vac-xin"]}, enabled=False,
    )  # fmt: skip
    namespace: dict = {}
    exec(python_text(proposal, platform_classes()["nukeviet"]), namespace)
    spider = namespace["KsbtPySpider"]
    assert (spider.name, spider.province, spider.enabled) == ("ksbt_py", "Đà Nẵng", False)
    assert spider.news_modules == ("news", "cam-nang-vac-xin")
    assert spider.title_selector == "div.tms_tintuc_titlle ::text"
    assert [(s.slug, s.path) for s in spider.sections] == [("suc-khoe", "/news/suc-khoe/")]


def test_vnpt_articles_under_another_folder_name_it():
    links = [
        "https://x.vn/vi/chitiettin/?id=news_21&t=a",
        "https://x.vn/vi/chitiettin/?id=news_22&t=b",
        "https://x.vn/vi/tintuc/?id=cat_21&t=su-kien",
    ]
    assert article_folder(links, "/detailnews/") == "/chitiettin/"
    assert article_folder([*links, "https://x.vn/vi/detailnews/?id=news_9"], "/detailnews/") is None
    assert article_folder(links[2:], "/detailnews/") is None
