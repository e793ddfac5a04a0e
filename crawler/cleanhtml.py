"""Article HTML: remove portal chrome, make URLs absolute, sanitise with an allow-list.

BeautifulSoup restructures the fragment (chrome, lazy images, URLs); nh3 (the Ammonia
sanitiser) then keeps only allow-listed tags, attributes and URL schemes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote, urljoin, urlsplit

import nh3
from bs4 import BeautifulSoup, Tag

from crawler.text import clean_line, clean_text, nfc
from crawler.urls import strip_tracking

#: Headings of sidebar and related-news blocks that never belong in an article.
CHROME_HEADINGS = frozenset(
    {
        "tin mới",
        "tin mới nhất",
        "tin liên quan",
        "tin khác",
        "các tin khác",
        "các tin đã đưa",
        "những tin mới hơn",
        "những tin cũ hơn",
        "theo dòng sự kiện",
        "xem thêm",
        "tin cùng chuyên mục",
        "bài viết liên quan",
    }
)
#: Elements that are chrome on every platform (share buttons, counters, print links).
GENERIC_CHROME_CSS = (
    "script",
    "style",
    "noscript",
    "form",
    "button",
    "nav",
    "[class*=share]",
    "[class*=social]",
    "[class*=print]",
    "[class*=view-count]",
    "[class*=luot-xem]",
    "[class*=breadcrumb]",
    ".fb-like",
    ".zalo-share-button",
)
#: Attributes that hold an image's real URL on lazy-loading pages, best first.
LAZY_SRC_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-url")
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "em", "figcaption",
        "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre",
        "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        "u", "ul", "iframe",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "abbr": {"title"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
#: Embedded players allowed in article bodies: (host, path prefix). Any other iframe goes.
IFRAME_SOURCES = (
    ("www.youtube.com", "/embed/"),
    ("www.youtube-nocookie.com", "/embed/"),
    ("player.vimeo.com", "/video/"),
)
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "p", "div", "span")
_COUNTER_RE = re.compile(r"^\s*(lượt xem|số lượt xem|lượt truy cập)\s*:?\s*[\d.,]+\s*$", re.I)


def heading_key(text: str) -> str:
    """A block heading as compared with :data:`CHROME_HEADINGS`."""
    return clean_line(text).casefold().strip(" :»›>-–")


def remove_chrome(root: Tag, selectors: Iterable[str] = ()) -> None:
    """Remove chrome from ``root`` in place: the given selectors, generic chrome, and any
    block headed by one of :data:`CHROME_HEADINGS` (with what follows it inside ``root``)."""
    for selector in (*GENERIC_CHROME_CSS, *selectors):
        for element in root.select(selector):
            element.decompose()
    for element in root.find_all(_HEADING_TAGS):
        if element.decomposed or element.parent is None:
            continue
        text = element.get_text(" ", strip=True)
        if _COUNTER_RE.match(text):
            element.decompose()
        elif len(text) < 40 and heading_key(text) in CHROME_HEADINGS:
            _remove_block(root, element)


def _remove_block(root: Tag, heading: Tag) -> None:
    """Remove a chrome heading and what follows it in its container, climbing out of
    wrappers that hold nothing else (``<div><h3>Tin mới</h3></div><ul>…</ul>``)."""
    block = heading
    while block.parent is not None and block.parent is not root and _only_child(block):
        block = block.parent
    for sibling in list(block.find_next_siblings()):
        sibling.decompose()
    block.decompose()


def _only_child(element: Tag) -> bool:
    parent = element.parent
    return parent is not None and all(
        child is element or (isinstance(child, str) and not child.strip())
        for child in parent.children
    )


def _absolute(url: str, base_url: str) -> str | None:
    url = url.strip()
    if not url or url.startswith("#"):
        return None
    joined = urljoin(base_url, url)
    scheme = urlsplit(joined).scheme.lower()
    if scheme not in URL_SCHEMES:
        return None
    return strip_tracking(joined)


def allowed_iframe(src: str) -> bool:
    """True for an https player URL of a known video host (no ``..`` tricks in the path)."""
    parts = urlsplit(src)
    path = unquote(parts.path)
    if ".." in path.split("/") or "\\" in path:
        return False
    return parts.scheme == "https" and any(
        parts.hostname == host and parts.path.startswith(prefix) for host, prefix in IFRAME_SOURCES
    )


def _fix_urls(root: Tag, base_url: str) -> None:
    for frame in root.find_all("iframe"):
        src = _absolute(str(frame.get("src", "")), base_url)
        if src is None or not allowed_iframe(src):
            frame.decompose()
        else:
            frame["src"] = src
            frame.clear()
    for img in root.find_all("img"):
        for attr in LAZY_SRC_ATTRS:
            if img.get(attr):
                img["src"] = img[attr]
                break
        src = _absolute(str(img.get("src", "")), base_url)
        if src is None:
            img.decompose()
        else:
            img["src"] = src
    for link in root.find_all("a"):
        href = _absolute(str(link.get("href", "")), base_url)
        if href is None:
            del link["href"]
        else:
            link["href"] = href


def sanitize_html(fragment: str, base_url: str, chrome_css: Iterable[str] = ()) -> str:
    """Clean article HTML: no chrome, absolute URLs, allow-listed markup only, NFC."""
    soup = BeautifulSoup(nfc(fragment), "lxml")
    root = soup.body or soup
    remove_chrome(root, chrome_css)
    _fix_urls(root, base_url)
    inner = "".join(str(child) for child in root.children)
    cleaned = nh3.clean(
        inner,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style", "object", "embed", "svg", "math"},
        attribute_filter=_only_known_players,
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )
    return _tidy_whitespace(cleaned)


def _only_known_players(tag: str, attribute: str, value: str) -> str | None:
    """nh3 hook: an iframe's ``src`` survives only when it is a known player."""
    if tag == "iframe" and attribute == "src" and not allowed_iframe(value):
        return None
    return value


_EMPTY_PARA_RE = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")
_WS_RE = re.compile(r"\s+")


def _tidy_whitespace(html: str) -> str:
    html = _EMPTY_PARA_RE.sub("", html.replace("\xa0", " "))
    return _WS_RE.sub(" ", html).strip()


_BLOCK_TAGS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "figcaption", "blockquote", "tr", "br")


def html_to_text(html: str) -> str:
    """Plain text of sanitised HTML: one line per block, NFC."""
    soup = BeautifulSoup(html, "lxml")
    for block in soup.find_all(_BLOCK_TAGS):
        block.insert_after("\n")
    return clean_text(soup.get_text())


def image_urls(html: str) -> list[str]:
    """Image URLs of sanitised HTML, in document order, without repeats."""
    soup = BeautifulSoup(html, "lxml")
    seen: dict[str, None] = {}
    for img in soup.find_all("img"):
        seen.setdefault(str(img["src"]), None)
    return list(seen)
