"""VNPT's provincial "smart tourism" portals (hanamtourism.vn, quangnamtourism.com.vn, …).

Articles live at ``/vi/detailnews/?id=news_<N>&t=<slug>``: ``id`` is the key, ``t`` is
cosmetic. The date is a bare ``dd/mm/yyyy`` under the title; some articles have none and
their lead sentence opens with it. Images come from the platform's CDN host.
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import urlsplit

from crawler.platforms.base import PortalSpider
from crawler.urls import query_param

_NEWS_ID_RE = re.compile(r"news_\d+")


class VnptTourismSpider(PortalSpider):
    """Base for portals on VNPT's smart-tourism platform."""

    platform = "vnpt-smart-tourism"
    cdn_url = "https://dltm-cdn.vnptit3.vn"
    article_path: ClassVar[str] = "/detailnews/"
    article_url_options = ("article_path",)

    listing_entry_selector = ".box-news-list .item-news"
    listing_link_selector = ".title-news a::attr(href), a.img-news::attr(href)"
    listing_title_selector = ".title-news a ::text"
    listing_date_selector = ".date-news ::text"
    next_page_selector = ".pagination li.active + li a::attr(href)"
    title_selector = ".detail-news h1.title-detail ::text"
    date_selector = ".detail-news .date-detail ::text"
    body_selector = ".detail-news .content-detail"
    author_selector = ".content-detail > p[style*='right'] strong ::text"
    chrome_selectors = (".other-news", ".box-tin-moi", ".welcome", ".tags-detail")

    def article_id(self, url: str) -> str | None:
        """``news_<N>`` from ``…/detailnews/?id=news_<N>``, whatever the host and slug."""
        if not urlsplit(url).path.endswith(self.article_path):
            return None
        news_id = query_param(url, "id")
        return news_id if news_id and _NEWS_ID_RE.fullmatch(news_id) else None
