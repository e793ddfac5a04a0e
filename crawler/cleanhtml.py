"""Article HTML: remove portal chrome, make URLs absolute, sanitise with an allow-list.

One chrome engine serves every platform: lxml trees, selectors (CSS or XPath) compiled by
:func:`selector_xpath` (CSS through cssselect, as Scrapy's selectors read it), and blocks
headed by a sidebar heading. :func:`chrome_elements` finds chrome (the generic platform
prunes pages and listings with it), :func:`remove_chrome` removes it from an article body;
:func:`check_selector` validates a portal's selectors the same way. lxml restructures the
fragment (chrome, lazy images, URLs); nh3 (the Ammonia sanitiser) then keeps only
allow-listed tags, attributes and URL schemes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from html import escape
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import nh3
from bs4 import BeautifulSoup
from cssselect import SelectorError
from lxml import etree
from parsel.csstranslator import css2xpath

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
#: Elements that may head a chrome block in an article body, and in a whole page.
BODY_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "p", "div", "span")
PAGE_HEADING_TAGS = (*BODY_HEADING_TAGS, "li")
_COUNTER_RE = re.compile(r"^\s*(lượt xem|số lượt xem|lượt truy cập)\s*:?\s*[\d.,]+\s*$", re.I)


def heading_key(text: str) -> str:
    """A block heading as compared with :data:`CHROME_HEADINGS`."""
    return clean_line(text).casefold().strip(" :»›>-–")


def is_xpath(selector: str) -> bool:
    """Whether a selector is XPath (it starts with ``/``, ``./`` or ``(``), not CSS."""
    return selector.lstrip().startswith(("/", "./", "("))


@lru_cache(maxsize=1024)
def selector_xpath(selector: str) -> str:
    """A selector (CSS, ``::text``/``::attr()`` allowed, or XPath) as XPath; ``ValueError``
    naming the problem when it is neither."""
    if is_xpath(selector):
        try:
            etree.XPath(selector)
        except etree.XPathSyntaxError as exc:
            raise ValueError(f"bad XPath {selector!r}: {exc}") from None
        return selector
    try:
        return css2xpath(selector)
    except (SelectorError, ValueError) as exc:
        raise ValueError(f"bad CSS {selector!r}: {exc}") from None


def check_selector(selector: str) -> None:
    """Raise ``ValueError`` when the chrome engine cannot read ``selector``."""
    selector_xpath(selector)


def element_text(element: Any) -> str:
    """An element's text on one line (``""`` for None)."""
    return clean_line(" ".join(element.itertext())) if element is not None else ""


def _selected(root: Any, selector: str) -> list[Any]:
    """The elements under ``root`` (not ``root`` itself) a selector picks."""
    found = root.xpath(selector_xpath(selector))
    return [node for node in found if isinstance(getattr(node, "tag", None), str)]


def _only_child(element: Any) -> bool:
    """Whether ``element`` is all its parent holds (whitespace aside)."""
    parent = element.getparent()
    if parent is None or (parent.text and parent.text.strip()):
        return False
    return all(child is element for child in parent) and not (element.tail and element.tail.strip())


def _headed_block(root: Any, heading: Any) -> Any:
    """The block a chrome heading opens: the heading, climbing out of wrappers that hold
    nothing else (``<div><h3>Tin mới</h3></div><ul>…</ul>``), never to ``root``."""
    block = heading
    while (parent := block.getparent()) is not None and parent is not root and _only_child(block):
        block = parent
    return block


def _is_chrome_heading(text: str) -> bool:
    return len(text) < 40 and heading_key(text) in CHROME_HEADINGS


def chrome_elements(
    root: Any,
    selectors: Iterable[str],
    keep: frozenset[Any] = frozenset(),
    headings: tuple[str, ...] = PAGE_HEADING_TAGS,
) -> set[Any]:
    """Elements under ``root`` that are chrome: those the selectors pick and blocks headed
    by a sidebar heading ("Tin mới", "Tin liên quan", …) with what follows.

    With ``keep`` (the article's title and its ancestors) a headed block that opens a box
    takes the box and the boxes after it too (the rest of a sidebar column), stopping
    before anything kept.
    """
    found: set[Any] = set()
    for selector in selectors:
        found.update(_selected(root, selector))
    for element in root.iter(*headings):
        if not _is_chrome_heading(element_text(element)):
            continue
        block = _headed_block(root, element)
        found.add(block)
        found.update(block.itersiblings())
        box = block.getparent()
        if not keep or box is None or box in keep or block.getprevious() is not None:
            continue
        found.add(box)
        for sibling in box.itersiblings():
            if sibling in keep:
                break
            found.add(sibling)
    return found


def _attached(element: Any, root: Any) -> bool:
    return element is root or any(parent is root for parent in element.iterancestors())


def remove_chrome(root: Any, selectors: Iterable[str] = ()) -> None:
    """Remove chrome from ``root`` in place: the given selectors, generic chrome, counters
    and any block headed by one of :data:`CHROME_HEADINGS` (with what follows it inside
    ``root``), one after the other."""
    for selector in (*GENERIC_CHROME_CSS, *selectors):
        for element in _selected(root, selector):
            if element is not root:
                element.drop_tree()
    for element in list(root.iter(*BODY_HEADING_TAGS)):
        if element is root or not _attached(element, root):
            continue
        text = " ".join(part.strip() for part in element.itertext() if part.strip())
        if _COUNTER_RE.match(text):
            element.drop_tree()
        elif _is_chrome_heading(text):
            block = _headed_block(root, element)
            for sibling in list(block.itersiblings()):
                if isinstance(sibling.tag, str):
                    sibling.drop_tree()
            block.drop_tree()


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


def _fix_urls(root: Any, base_url: str) -> None:
    for frame in list(root.iter("iframe")):
        src = _absolute(frame.get("src", ""), base_url)
        if src is None or not allowed_iframe(src):
            frame.drop_tree()
        else:
            frame.set("src", src)
            frame.text = None
            for child in list(frame):
                child.drop_tree()
    for img in list(root.iter("img")):
        for attr in LAZY_SRC_ATTRS:
            if img.get(attr):
                img.set("src", img.get(attr))
                break
        src = _absolute(img.get("src", ""), base_url)
        if src is None:
            img.drop_tree()
        else:
            img.set("src", src)
    for link in root.iter("a"):
        href = _absolute(link.get("href", ""), base_url)
        if href is None:
            link.attrib.pop("href", None)
        else:
            link.set("href", href)


#: Elements written without an end tag.
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)  # fmt: skip


def _markup(root: Any) -> str:
    """The children of ``root`` as markup an HTML parser reads back as the same tree.

    XML serialisation, since lxml's HTML writer percent-escapes URLs; elements that are not
    void are given an end tag.
    """
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag not in _VOID_TAGS and element.text is None:
            element.text = ""
    parts = [escape(root.text or "", quote=False)]
    parts += [etree.tostring(child, encoding="unicode", method="xml") for child in root]
    return "".join(parts)


def _fragment_root(fragment: str) -> Any:
    """The ``<body>`` of ``fragment`` parsed as an HTML document (None when empty)."""
    if not fragment.strip():
        return None
    try:
        document = lxml.html.document_fromstring(fragment)
    except ValueError:  # a str declaring its own encoding
        document = lxml.html.document_fromstring(fragment.encode("utf-8"), parser=_UTF8)
    except etree.ParserError:
        return None
    return document.find("body") if document.find("body") is not None else document


_UTF8 = lxml.html.HTMLParser(encoding="utf-8")


def sanitize_html(fragment: str, base_url: str, chrome_selectors: Iterable[str] = ()) -> str:
    """Clean article HTML: no chrome, absolute URLs, allow-listed markup only, NFC."""
    root = _fragment_root(nfc(fragment))
    inner = ""
    if root is not None:
        remove_chrome(root, chrome_selectors)
        _fix_urls(root, base_url)
        inner = _markup(root)
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
