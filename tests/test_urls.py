import pytest

from crawler.spiders.hanam_tourism import HanamTourismSpider
from crawler.urls import OriginMap, strip_tracking

ARTICLE = "https://hanamtourism.vn/vi/detailnews/?id=news_10460&t=le-hoi-tich-dien"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (ARTICLE, "hanam_tourism:news_10460"),
        (
            "https://hanamtourism.vn/vi/detailnews/?id=news_10460&t=other-slug",
            "hanam_tourism:news_10460",
        ),
        (ARTICLE + "&utm_source=zalo&utm_medium=social", "hanam_tourism:news_10460"),
        ("https://dulichninhbinh.vn/vi/detailnews/?t=x&id=news_10460", "hanam_tourism:news_10460"),
        ("https://hanamtourism.vn/en/detailnews/?id=news_10460&t=x", "hanam_tourism:news_10460"),
        ("https://hanamtourism.vn/vi/news/?id=cat_1&t=tin-tuc-su-kien", None),
        ("https://hanamtourism.vn/vi/detailnews/?id=cat_1", None),
        ("https://hanamtourism.vn/vi/detailnews/", None),
    ],
)
def test_article_key_ignores_host_slug_and_tracking(url, key):
    assert HanamTourismSpider().article_key(url) == key


def test_strip_tracking_keeps_other_parameters_in_order():
    url = "https://x.vn/a?id=news_1&utm_source=fb&t=slug&fbclid=abc"
    assert strip_tracking(url) == "https://x.vn/a?id=news_1&t=slug"
    assert strip_tracking("https://x.vn/a?id=1") == "https://x.vn/a?id=1"


def test_origin_map_translates_both_ways_and_leaves_others_alone():
    urls = OriginMap({"https://hanamtourism.vn": "http://127.0.0.1:8001"})
    assert (
        urls.to_fetch(ARTICLE)
        == "http://127.0.0.1:8001/vi/detailnews/?id=news_10460&t=le-hoi-tich-dien"
    )
    assert urls.to_public("http://127.0.0.1:8001/vi/?a=1") == "https://hanamtourism.vn/vi/?a=1"
    assert urls.to_public("https://other.vn/x") == "https://other.vn/x"
    assert urls.fetch_hosts() == {"127.0.0.1"}


def test_base_url_override_changes_only_where_pages_are_fetched():
    spider = HanamTourismSpider(base_url="http://127.0.0.1:9")
    assert spider.base_url == "https://hanamtourism.vn"
    assert spider.urls.to_fetch(ARTICLE).startswith("http://127.0.0.1:9/vi/detailnews/")
    assert spider.public_url("http://127.0.0.1:9/vi/detailnews/?id=news_1&t=a&utm_campaign=x") == (
        "https://hanamtourism.vn/vi/detailnews/?id=news_1&t=a"
    )
    assert "127.0.0.1" in spider.allowed_domains and "hanamtourism.vn" in spider.allowed_domains


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://ksbtdanang.vn/news/tin-tuc/tiem-chung-mo-rong-1203.html", "ksbt_danang:1203"),
        ("https://ksbtdanang.vn/vi/news/tin-tuc/tiem-chung-mo-rong-1203.html", "ksbt_danang:1203"),
        # rewrite_op_mod drops the default module from the path: the same article
        ("https://ksbtdanang.vn/tin-tuc/tiem-chung-mo-rong-1203.html", "ksbt_danang:1203"),
        ("https://ksbtdanang.vn/vi/tin-tuc/tiem-chung-mo-rong-1203.html", "ksbt_danang:1203"),
        (
            "https://ksbtdanang.vn/cam-nang-vac-xin/vac-xin/lich-tiem-16.html",
            "ksbt_danang:cam-nang-vac-xin-16",
        ),
        ("https://ksbtdanang.vn/laws/detail/quyet-dinh-12.html", None),
        ("https://ksbtdanang.vn/news/tin-tuc/page-2", None),
        ("https://ksbtdanang.vn/tin-tuc/", None),
    ],
)
def test_nukeviet_keys_with_and_without_the_default_module_in_the_path(url, key):
    from crawler.spiders.ksbt_danang import KsbtDanangSpider

    assert KsbtDanangSpider().article_key(url) == key
