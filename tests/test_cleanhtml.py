import pytest

from crawler.cleanhtml import check_selector, html_to_text, image_urls, sanitize_html

BASE = "https://hanamtourism.vn/vi/detailnews/?id=news_1&t=a"


def test_chrome_blocks_are_removed_with_their_entries():
    html = """<div><p>Nội dung chính của bài.</p>
    <div class="share-social">Chia sẻ: Facebook</div><p>Lượt xem: 1234</p>
    <div class="box"><h3>Tin liên quan</h3>
    <ul><li><a href="/x">Bài khác</a> (24/06/2024)</li></ul></div>
    <div><div><h3>Tin mới</h3></div><ul><li>Tin khác nữa</li></ul></div></div>"""
    assert sanitize_html(html, BASE) == "<p>Nội dung chính của bài.</p>"


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<svg onload="alert(1)"><circle/></svg>',
        '<iframe src="https://evil.example/"><iframe src="x"></iframe></iframe>',
        '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
        '<p style="background:url(javascript:alert(1))" onclick="x()">t</p>',
        "<div><p>unclosed <b>bold <i>italic</div><style>p{}</style>",
    ],
)
def test_nothing_executable_survives(hostile):
    cleaned = sanitize_html(f"<p>Trước</p>{hostile}<p>Sau</p>", BASE).lower()
    for needle in (
        "script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "<svg",
        "<iframe",
        "data:",
        "style",
    ):
        assert needle not in cleaned


def test_links_and_lazy_images_become_absolute_without_tracking():
    html = (
        '<p><a href="?id=news_2&amp;utm_source=x">bài</a></p>'
        '<img src="/loading.gif" data-src="https://cdn.vn/a.png?fbclid=1">'
    )
    assert sanitize_html(html, BASE) == (
        '<p><a href="https://hanamtourism.vn/vi/detailnews/?id=news_2" '
        'rel="noopener noreferrer">bài</a></p><img src="https://cdn.vn/a.png">'
    )


def test_text_and_images_of_sanitised_html():
    html = (
        '<p>Một</p><p>Hai <img src="https://cdn.vn/b.png"> ba</p><img src="https://cdn.vn/b.png">'
    )
    assert html_to_text(html) == "Một\nHai ba"
    assert image_urls(html) == ["https://cdn.vn/b.png"]


def test_only_iframes_of_known_video_players_survive():
    html = (
        '<iframe src="https://www.youtube.com/embed/abc" width="560" onload="x()">'
        "<script>bad()</script></iframe>"
        '<iframe src="http://www.youtube.com/embed/abc"></iframe>'
        '<iframe src="https://evil.example/embed/abc"></iframe>'
        '<iframe src="javascript:alert(1)"></iframe><p>Sau</p>'
    )
    assert sanitize_html(html, BASE) == (
        '<iframe src="https://www.youtube.com/embed/abc" width="560"></iframe><p>Sau</p>'
    )


@pytest.mark.parametrize(
    "src",
    [
        "https://www.youtube.com/embed/../../redirect?q=https://evil.example",
        "https://www.youtube.com/embed/%2e%2e/%2e%2e/redirect",
        "https://www.youtube.com.evil.example/embed/abc",
    ],
)
def test_player_lookalikes_are_removed(src):
    assert sanitize_html(f'<iframe src="{src}"></iframe><p>x</p>', BASE) == "<p>x</p>"


def test_chrome_selectors_may_be_xpath_and_are_checked_by_the_same_engine():
    html = '<p>Bài.</p><div class="x"><p>Chia sẻ</p></div><p id="y">Tin cũ</p>'
    assert sanitize_html(html, BASE, ("//div[@class='x']", "#y")) == "<p>Bài.</p>"
    with pytest.raises(ValueError, match=r"^bad XPath '//div\[\['"):
        check_selector("//div[[")
    with pytest.raises(ValueError, match=r"^bad CSS '\.a::'"):
        check_selector(".a::")
