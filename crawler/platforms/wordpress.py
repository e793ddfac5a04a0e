"""WordPress sites of provincial departments and tourism boards (sovhtt.hanoi.gov.vn, …).

URLs: posts live at the permalink the site chose: ``/<slug>/`` (``%postname%``),
``/2024/06/25/<slug>/`` (date permalinks), ``/<category>/<slug>`` (``%category%``, with or
without a trailing slash, sometimes ``.html``); ``/?p=<id>`` is the shortlink. Category
lists are ``/category/<cat>/`` (or ``/<cat>/`` when an SEO plugin strips the base), paged
``/page/N/``. The post id (``link[rel=shortlink]``, ``postid-N`` body class,
``article#post-N``) is only on the article page, so the key is the permalink's last path
segment, the slug WordPress keeps unique: it survives date vs plain permalinks, a
category prefix and trailing slashes.

Markup: classic themes (Twenty Twenty-One, GeneratePress, Newspaper …) wrap a post in
``article#post-N.post`` with ``h1.entry-title``, ``.entry-content`` and
``time.entry-date.published[datetime]`` (ISO 8601) in ``.entry-meta``/``.entry-footer``;
block themes (Twenty Twenty-Four) use ``h1.wp-block-post-title``, ``.wp-block-post-content``
and ``.wp-block-post-date time[datetime]``, listings ``li.wp-block-post`` with
``.wp-block-query-pagination-next``. SEO plugins (Yoast) add ``article:published_time``,
in UTC. Images are lazy (``data-src``, ``data-lazy-src``, ``data-srcset``, ``srcset``
with a ``data:`` placeholder). Plugins append share blocks (Jetpack sharedaddy "Chia sẻ:",
AddToAny, Social Warfare) and related posts (Jetpack "Có liên quan", YARPP "Bài viết liên
quan") inside the content; block themes may add a "Tin khác" query loop with dates.
"""

from __future__ import annotations

import re
import unicodedata
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from scrapy.http import TextResponse

from crawler.platforms.base import ListingEntry, PortalSpider
from crawler.platforms.fields import PageFields

#: Path segments that make a URL an archive, feed, file or admin page, not a post.
_NOT_POST = frozenset(
    {
        "category", "tag", "author", "page", "feed", "search", "comments", "trackback",
        "attachment", "wp-content", "wp-admin", "wp-includes", "wp-json", "wp-login.php",
        "xmlrpc.php", "wp-sitemap.xml", "embed",
    }
)  # fmt: skip
_SLUG_RE = re.compile(r"[^\s/?#]+")
#: ``class`` contains a word (XPath 1.0).
_HAS = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"
_IN_QUERY_LOOP = "ancestor::li[" + _HAS.format("wp-block-post") + "]"
_LAZY_SRC = ("data-lazy-src", "data-src", "data-original", "data-url")
_LAZY_SRCSET = ("data-lazy-srcset", "data-srcset", "srcset")
_PLACEHOLDER_RE = re.compile(r"(lazy|placeholder|blank|loading|spinner)[^/]*\.(gif|svg)$")


def _largest(srcset: str) -> str | None:
    """The widest candidate of a ``srcset`` (the first when none gives a width)."""
    best, best_width = None, -1
    for candidate in srcset.split(","):
        parts = candidate.split()
        if not parts or parts[0].startswith("data:"):
            continue
        width = int(parts[1][:-1]) if len(parts) > 1 and parts[1][:-1].isdigit() else 0
        if width > best_width:
            best, best_width = parts[0], width
    return best


def _placeholder(src: str) -> bool:
    """A lazy loader's stand-in: no URL, a ``data:`` URI or a spinner/blank GIF."""
    lower = src.lower()
    return not lower or lower.startswith("data:") or bool(_PLACEHOLDER_RE.search(lower))


def resolve_lazy_images(html: str) -> str:
    """Give every lazy image its real ``src`` (lazy attribute, else its largest
    ``srcset`` candidate); placeholders (``data:`` URIs) go."""
    if "<img" not in html:
        return html
    soup = BeautifulSoup(html, "lxml")
    for img in soup.find_all("img"):
        real = next((str(img[a]).strip() for a in _LAZY_SRC if img.get(a)), None)
        src = str(img.get("src", "")).strip()
        if real is None and _placeholder(src):
            for attr in _LAZY_SRCSET:
                if real is None and img.get(attr):
                    real = _largest(str(img[attr]))
        if real:
            img["src"] = real
        elif _placeholder(src):
            img.decompose()
            continue
        for attr in (*_LAZY_SRC, *_LAZY_SRCSET):
            if attr in img.attrs:
                del img[attr]
    root = soup.body or soup
    return "".join(str(child) for child in root.children)


class WordPressSpider(PortalSpider):
    """Base for portals run on WordPress (classic or block themes)."""

    platform = "wordpress"

    listing_entry_selector = "article[id^='post-'], li.wp-block-post"
    listing_link_selector = (
        ".entry-title a::attr(href), .wp-block-post-title a::attr(href), "
        "a[rel='bookmark']::attr(href)"
    )
    listing_title_selector = (
        "(.//*["
        + " or ".join(_HAS.format(c) for c in ("entry-title", "wp-block-post-title"))
        + "]//a)[1]//text()"
    )
    listing_date_selector = (
        "(.//time[" + _HAS.format("published") + "]/@datetime"
        " | .//*[" + _HAS.format("wp-block-post-date") + "]//time/@datetime"
        " | .//time[" + _HAS.format("entry-date") + "]/@datetime)[1]"
    )
    next_page_selector = (
        "a.next.page-numbers::attr(href), a.wp-block-query-pagination-next::attr(href), "
        ".nav-previous a::attr(href)"
    )
    title_selector = "h1.entry-title ::text, h1.wp-block-post-title ::text"
    # The post's own date: never a date of a query loop ("Tin khác") or sidebar widget.
    date_selector = (
        "(//article//time[" + _HAS.format("published") + "]/@datetime"
        " | //*[" + _HAS.format("wp-block-post-date") + "][not(" + _IN_QUERY_LOOP + ")]"
        "//time/@datetime"
        " | //article//*[" + _HAS.format("entry-meta") + "]//time/@datetime)[1]"
    )
    body_selector = ".entry-content, .wp-block-post-content"
    #: The featured image, shown above the content by most themes (not a query loop's).
    featured_image_selector: ClassVar[str] = (
        "(//article//*[" + _HAS.format("post-thumbnail") + "]"
        " | //*[" + _HAS.format("wp-block-post-featured-image") + "][not(" + _IN_QUERY_LOOP + ")]"
        " | //article//*[" + _HAS.format("featured-image") + "])[1]"
    )
    author_selector = (
        "(//article//*[" + _HAS.format("byline") + "]//a//text()"
        " | //*[" + _HAS.format("wp-block-post-author-name") + "][not(" + _IN_QUERY_LOOP + ")]"
        "//text())[1]"
    )
    chrome_selectors = (
        ".sharedaddy",
        "#jp-relatedposts",
        ".jp-relatedposts",
        ".wp-block-jetpack-related-posts",
        ".jetpack-likes-widget-wrapper",
        ".yarpp",
        ".yarpp-related",
        ".crp_related",
        ".addtoany_share_save_container",
        ".a2a_kit",
        ".swp_social_panel",
        ".swp-content-locator",
        ".post-views",
        ".page-links",
        ".wp-block-query",
    )

    def article_id(self, url: str) -> str | None:
        """The post's slug: the permalink's last path segment (percent-decoded, NFC, lower
        case), whatever the permalink structure, date prefix or trailing slash.

        Archives (``/category/…``, ``/tag/…``, ``/page/N``, dates), files, the shortlink
        ``/?p=N`` and the portal's own section paths are not posts.
        """
        path = urlsplit(url).path
        segments = [unquote(s) for s in path.split("/") if s]
        if segments and segments[-1].lower() in ("amp", "embed"):
            segments = segments[:-1]
        if not segments or any(s.lower() in _NOT_POST for s in segments):
            return None
        if "/" + "/".join(segments) in self._section_paths():
            return None
        slug = unicodedata.normalize("NFC", segments[-1]).lower()
        slug = slug.removesuffix(".html").removesuffix(".htm")
        if slug.isdigit() or "." in slug or not _SLUG_RE.fullmatch(slug):
            return None  # date archives, files (.php, .xml, images)
        return slug

    @classmethod
    def _section_paths(cls) -> set[str]:
        return {"/" + s.path.strip("/") for s in cls.sections}

    def page_fields(self, response: TextResponse, listed: ListingEntry) -> PageFields:
        """The base class's fields, with the featured image first in the body (when the
        content lacks it) and lazy images resolved."""
        fields = super().page_fields(response, listed)
        fields.body = self.with_featured_image(response, fields.body)
        return fields

    def with_featured_image(self, response: TextResponse, body: str) -> str:
        """``body`` with lazy images resolved, the featured image first."""
        if not body:
            return body
        body = resolve_lazy_images(body)
        for figure in self.select(response, self.featured_image_selector)[:1]:
            featured = resolve_lazy_images(figure.get())
            img = BeautifulSoup(featured, "lxml").img
            if img is not None and str(img.get("src", "")) not in body:
                body = featured + body
        return body
