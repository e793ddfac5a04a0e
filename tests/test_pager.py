"""Numbered pagers: the link from page N of a listing to page N+1, whatever its markup."""

from __future__ import annotations

import re

import pytest

from crawler.platforms.pager import listing_of, numbered_next, page_of

H = "https://sxd.dongnai.gov.vn"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{H}/tin-tuc?page=3", (3, "sxd.dongnai.gov.vn/tin-tuc")),
        (f"{H}/tin-tuc/?trang=12&c=4", (12, "sxd.dongnai.gov.vn/tin-tuc?c=4")),
        (f"{H}/Pages/tin-tuc.aspx?Page=2", (2, "sxd.dongnai.gov.vn/Pages/tin-tuc.aspx")),
        (f"{H}/pages/News.aspx?cid=AB&Page=5", (5, "sxd.dongnai.gov.vn/pages/News.aspx?cid=AB")),
        (f"{H}/category/tin-tuc/page/4/", (4, "sxd.dongnai.gov.vn/category/tin-tuc")),
        (f"{H}/?cat=3&paged=2", (2, "sxd.dongnai.gov.vn/?cat=3")),
        (f"{H}/vi/news/tin-tuc/page-7", (7, "sxd.dongnai.gov.vn/vi/news/tin-tuc")),
        (f"{H}/tin-tuc/trang-3.html", (3, "sxd.dongnai.gov.vn/tin-tuc")),
        (f"{H}/web/tin?p_p_id=101&_101_x_cur=6", (6, "sxd.dongnai.gov.vn/web/tin?p_p_id=101")),
        (f"{H}/tin-tuc.aspx?pageindex=9", (9, "sxd.dongnai.gov.vn/tin-tuc.aspx")),
        (f"{H}/tin-tuc/chi-tiet?id=1203", None),
        (f"{H}/tin-tuc/page-ba.html", None),
        (f"{H}/tin-tuc?page=&c=4", None),
    ],
)  # fmt: skip
def test_the_page_number_a_listing_url_carries(url, expected):
    assert page_of(url) == expected


def test_a_portals_own_pattern_numbers_pages_the_common_shapes_do_not():
    pattern = re.compile(r"/p(\d+)\.html$")
    assert page_of(f"{H}/tin-tuc/p3.html", (pattern,)) == (3, "sxd.dongnai.gov.vn/tin-tuc")
    assert page_of(f"{H}/tin-tuc/p3.html") is None


def test_page_one_is_the_listing_itself_whatever_its_spelling():
    assert listing_of(f"{H}/tin-tuc/") == listing_of(f"{H}/tin-tuc?page=1")
    assert listing_of(f"{H}/tin-tuc/index.html") == "sxd.dongnai.gov.vn/tin-tuc"
    assert listing_of(f"{H}/x?b=2&a=1") == listing_of(f"{H}/x?a=1&b=2&page=1")


def test_a_pager_without_a_current_page_marker_is_followed_by_the_number():
    # <div class="Paging"><a href="?page=1">1</a> <a href="?page=2">2</a> <a href="?page=3">3</a>
    links = [f"{H}/TinTuc.aspx?page={n}" for n in (1, 2, 3)]
    assert numbered_next(links, f"{H}/TinTuc.aspx", 1) == f"{H}/TinTuc.aspx?page=2"
    assert numbered_next(links, f"{H}/TinTuc.aspx?page=2", 2) == f"{H}/TinTuc.aspx?page=3"
    assert numbered_next(links, f"{H}/TinTuc.aspx?page=3", 3) is None


def test_another_listings_page_is_not_the_next_page():
    links = [f"{H}/thong-bao?page=2", f"{H}/tin-tuc?c=5&page=2", f"{H}/tin-tuc?page=3"]
    assert numbered_next(links, f"{H}/tin-tuc", 1) is None
    assert numbered_next(links, f"{H}/tin-tuc?c=5", 1) == f"{H}/tin-tuc?c=5&page=2"


def test_a_listing_page_named_html_is_followed_to_its_numbered_pages():
    # /tin-tuc.html, then /tin-tuc/trang-2.html, /tin-tuc/trang-3.html (hand-made PHP sites)
    links = [f"{H}/tin-tuc/trang-{n}.html" for n in (2, 3)] + [f"{H}/thong-bao/trang-2.html"]
    assert numbered_next(links, f"{H}/tin-tuc.html", 1) == f"{H}/tin-tuc/trang-2.html"
    assert numbered_next(links, f"{H}/tin-tuc/trang-2.html", 2) == f"{H}/tin-tuc/trang-3.html"
    assert numbered_next(links[2:], f"{H}/tin-tuc.html", 1) is None
