"""Liferay portals (VNPT ePortal and many provincial and Sở portals), 6.2 and 7.x.

Pages are layouts: ``/web/<site>/<page>`` (``/web/guest/<page>``), or just ``/<page>``
where the site has a virtual host. News lists are Asset Publisher portlets; an article is
shown by the list's own portlet in full-content mode at
``<page>/-/asset_publisher/<instanceId>/content/<urlTitle>`` (6.2 often appends
``/<groupId>``; ``/content/id/<N>`` when there is no URL title), usually followed by
query junk that changes nothing: ``?inheritRedirect=true&redirect=<list URL>`` in 6.2,
``?_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_<id>_assetEntryId=N
&…_redirect=…`` in 7.x, sometimes a ``;jsessionid=…`` path parameter. 7.x display pages
link articles as ``/web/<site>/-/<urlTitle>`` (``/w/<urlTitle>`` from 7.3). The key is the
URL title (``id-<N>`` for the id form): the same on every host, page and instance; the
stored URL is the article path without its query.

Lists: ``.asset-abstract`` (``h3/h4.asset-title a``, ``.asset-summary``,
``.metadata-publish-date`` in ``.asset-metadata``; VNPT themes print
``.asset-publish-date``) or a custom 7.x template (``.news-item`` cards, often a desktop
and a mobile copy of the same link). Paging is the search container's ``…_cur=N`` (with
``…_delta=``) in a parameter named after the portlet: ``_101_INSTANCE_<id>_cur`` in 6.2,
``_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_<id>_cur`` in
7.x: the next page is the link whose ``*_cur`` parameter is one more than this page's,
found by suffix inside the list's own portlet (``[id^=portlet_]``), never by instance id.
Other Asset Publishers on the page (sidebar "Tin nổi bật", "Tin mới") are not the list.

Article page: the title in ``.header-title`` (``liferay-ui:header``: ``h3.header-title``
in 6.2, ``span.header-title`` in 7.x), the body in ``.journal-content-article`` inside
``.asset-full-content``, the date in ``.metadata-publish-date`` (``.asset-metadata``) or a
theme's ``.asset-publish-date``. Chrome: "Bản in"/"Gửi email" tools, social bookmarks,
asset links ("Tin liên quan"), "Tin khác" lists with dates, breadcrumbs, portlet toppers,
and a theme header showing today's date.
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from parsel import Selector, SelectorList
from scrapy.http import Response, TextResponse

from crawler.platforms.base import ListingEntry, PortalSpider
from crawler.platforms.fields import PageFields
from crawler.text import clean_line

_JSESSION_RE = re.compile(r";jsessionid=[^/?#]*", re.I)
_ASSET_RE = re.compile(
    r"/-/asset_publisher/[^/]+/content/(?:id/(?P<id>\d+)(?:/[^/]+)?|(?P<slug>[^/]+)(?:/\d+)?)/?$"
)
_DISPLAY_RE = re.compile(r"^(?:/web/[^/]+)?/(?:-|w)/(?P<slug>[^/]+)/?$")
_PORTLET_XPATH = "ancestor::*[starts-with(@id, 'portlet_')][1]"


class LiferaySpider(PortalSpider):
    """Base for portals on Liferay (Asset Publisher lists, Journal articles)."""

    platform = "liferay"

    listing_entry_selector = ".asset-abstract, .news-item"
    listing_link_selector = "a[href*='/-/']::attr(href)"
    #: Entries may repeat their link (desktop and mobile cards): the first match is taken.
    listing_title_selector = ".asset-title, .asset-publisher-title"
    listing_date_selector = ".asset-publish-date, .metadata-publish-date"
    title_selector = ".header-title ::text"
    date_selector = (
        ".asset-full-content .asset-publish-date ::text, "
        ".asset-full-content .metadata-publish-date ::text"
    )
    body_selector = ".asset-full-content .journal-content-article"
    #: Where the body is when no Asset Publisher shows it (a Web Content Display portlet).
    fallback_body_selector: ClassVar[str] = ".journal-content-article"
    chrome_selectors = (
        ".taglib-social-bookmarks",
        ".taglib-asset-links",
        ".asset-links",
        ".asset-related-assets",
        ".asset-user-actions",
        ".asset-actions",
        ".lfr-meta-actions",
        ".header-back-to",
        ".asset-ratings",
        ".taglib-ratings",
        ".asset-more",
        ".tin-khac",
        ".tin-lien-quan",
        ".other-news",
    )

    def article_id(self, url: str) -> str | None:
        """The URL title of an Asset Publisher or display-page link (``id-<N>`` for the
        ``/content/id/<N>`` form), whatever the host, page, instance and query."""
        path = _JSESSION_RE.sub("", urlsplit(url).path)
        if found := _ASSET_RE.search(path):
            if found["id"]:
                return f"id-{found['id']}"
            return unquote(found["slug"]).lower() or None
        if found := _DISPLAY_RE.match(path):
            slug = unquote(found["slug"]).lower()
            return slug if slug not in ("asset_publisher", "categories", "tags") else None
        return None

    def public_url(self, url: str) -> str:
        """Article links lose their redirect junk and session id; others keep their query."""
        url = super().public_url(url)
        if self.article_id(url) is None:
            return url
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc, _JSESSION_RE.sub("", parts.path), "", ""))

    # Listings ----------------------------------------------------------------------------

    def listing_entries(self, response: Response) -> SelectorList[Selector]:
        """The entries of the page's list: those of the portlet that pages (``*_cur``
        links), else of the first portlet holding entries; sidebars are left out."""
        if not isinstance(response, TextResponse):
            return SelectorList([])
        groups: dict[str, list[Selector]] = {}
        for entry in self.select(response, self.listing_entry_selector):
            portlet = entry.xpath(f"{_PORTLET_XPATH}/@id").get("")
            groups.setdefault(portlet, []).append(entry)
        if not groups:
            return SelectorList([])
        for portlet, entries in groups.items():
            if portlet and self._page_links(response, portlet):
                return SelectorList(entries)
        return SelectorList(next(iter(groups.values())))

    def entry_text(self, node: Selector, query: str) -> str:
        """The text of the first element matching ``query`` that has any: list cards
        repeat each article (desktop and mobile copies)."""
        for found in self.select(node, query):
            text = clean_line(" ".join(found.css("::text").getall()))
            if text:
                return text
        return ""

    def numbered_next_page(self, response: Response, page: int) -> str | None:
        """The link whose ``…_cur`` parameter is ``page + 1``, in the list's portlet (other
        portlets page with parameters of their own)."""
        if not isinstance(response, TextResponse):
            return None
        entries = self.listing_entries(response)
        portlet = entries[0].xpath(f"{_PORTLET_XPATH}/@id").get("") if entries else ""
        for href in self._page_links(response, portlet):
            query = urlsplit(response.urljoin(href)).query
            for name, value in parse_qsl(query, keep_blank_values=True):
                if name.endswith("_cur") and value.strip() == str(page + 1):
                    return self.public_url(response.urljoin(href.strip()))
        return None

    @staticmethod
    def _page_links(response: TextResponse, portlet: str) -> list[str]:
        """Hrefs carrying a ``…_cur=`` parameter, inside ``portlet`` when it is known."""
        scope = response.xpath(f"//*[@id={_xpath_literal(portlet)}]") if portlet else response
        return [
            href
            for href in scope.css("a::attr(href)").getall()
            if "_cur=" in href and not href.strip().lower().startswith("javascript:")
        ]

    # Articles ----------------------------------------------------------------------------

    def page_fields(self, response: TextResponse, listed: ListingEntry) -> PageFields:
        """The base class's fields; the body is the Journal article shown in full content,
        else the page's first one."""
        fields = super().page_fields(response, listed)
        if not fields.body:
            fields.body = self.select(response, self.fallback_body_selector).get("")
        return fields


def _xpath_literal(value: str) -> str:
    """``value`` as an XPath string literal (ids never hold both quote kinds)."""
    return f'"{value}"' if '"' not in value else f"'{value}'"
