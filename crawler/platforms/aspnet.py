"""Custom ASP.NET Web Forms portals and DotNetNuke (DNN) portals.

Two families of Vietnamese government sites are ASP.NET Web Forms underneath:

* The custom news CMS of ministries and their departments (mt.gov.vn, moc.gov.vn,
  most.gov.vn, xaydung.gov.vn): sections at ``/vn/chuyen-muc/<id>/<slug>.aspx`` paged with
  ``?page=N`` links (often relative: ``href='?page=2'``), articles at
  ``/vn/tin-tuc/<id>/<slug>.aspx`` or ``/vn/tin-tuc/<section id>/<id>/<slug>.aspx``; the
  listing is a ``div.listnews_item`` list, the date under the title reads
  ``Cập nhật lúc: 10:41:31 - 27/09/2017``; a header line shows today's date. Legacy
  pages are served in windows-1258 with tone marks as combining characters.
* DotNetNuke: sections are pages ``/Default.aspx?tabid=N``, articles of a news module at
  ``/Default.aspx?tabid=N&ArticleID=M`` or friendly ``/tabid/N/ArticleID/M/<slug>.aspx``
  (the article id is the key, whatever the tab). The listing is an ASP.NET GridView whose
  pager pages by form postback: ``javascript:__doPostBack('dnn$ctr512$…$grvTinTuc',
  'Page$2')``; the article's info line reads ``Lượt xem: 7370 | Gửi lúc: …`` (in the
  server's culture: ``14:30 25/06/2024`` or ``6/25/2024 2:30:00 PM``).

A portal chooses its paging with :attr:`AspNetSpider.paging`: ``"query"`` follows the
pager's link, ``"postback"`` posts the page's form back (every hidden input,
``__VIEWSTATE`` and ``__EVENTVALIDATION`` included, plus the link's ``__EVENTTARGET`` and
``__EVENTARGUMENT``) to the form's action, as a browser does.
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import urlencode, urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from crawler.platforms.base import PortalSpider, Section
from crawler.urls import query_param

#: ``javascript:__doPostBack('target','argument')`` (quotes as ``'`` or ``&#39;``, decoded).
_POSTBACK_RE = re.compile(r"__doPostBack\(\s*['\"]([^'\"]*)['\"]\s*,\s*['\"]([^'\"]*)['\"]\s*\)")


class AspNetSpider(PortalSpider):
    """Base for custom ASP.NET and DotNetNuke portals (query-string or postback paging)."""

    platform = "aspnet"
    #: ``"query"``: the pager links to the next page; ``"postback"``: it posts the form back.
    paging: ClassVar[str] = "query"
    #: Article URL paths; the group is the article id.
    article_path_res: ClassVar[tuple[str, ...]] = (
        r"/vn/tin-tuc/(?:\d+/)?(\d+)/[^/]+\.aspx$",
        r"/tabid/\d+/(?:ArticleID|ItemID)/(\d+)(?:/|$)",
    )
    #: Query parameters holding the article id on ``Default.aspx`` (DotNetNuke).
    article_params: ClassVar[tuple[str, ...]] = ("ArticleID", "ItemID")
    article_url_options = ("article_path_res", "article_params")

    # Both skins: the custom CMS's list, DNN's GridView rows (``dnnGridItem`` and
    # ``dnnGridAltItem``, never the header or the pager row).
    listing_entry_selector = ".listnews_item, tr.dnnGridItem, tr.dnnGridAltItem"
    listing_link_selector = ".listnews_item_title a::attr(href), a.news-title::attr(href)"
    listing_title_selector = ".listnews_item_title a::text, a.news-title::text"
    listing_date_selector = ".listnews_item_date ::text, .news-date ::text"
    #: The pager's link after the current page (a ``<span>``): a ``?page=N`` link after
    #: ``span.current`` in the custom CMS's ``.paging``; in a GridView's pager row (found by
    #: its ``Page$N`` postback links, whatever its CSS class), the next cell's link.
    next_page_selector = (
        "(//*[contains(@class, 'paging') or contains(@class, 'pager')]"
        "/span[contains(@class, 'current') or contains(@class, 'active')]"
        "/following-sibling::a[1]/@href"
        ' | //tr[.//a[contains(@href, "\'Page$")]][not(.//tr[.//a[contains(@href, "\'Page$")]])]'
        "//td[span]/following-sibling::td[1]/a/@href)"
    )
    title_selector = "h1.detail_title ::text, [id$='_lblTitle'] ::text"
    date_selector = ".detail_date ::text, [id$='_lblInfo'] ::text"
    body_selector = ".news_detail_body, .news-detail-content"
    author_selector = ".detail_author ::text, .news-detail-author ::text"
    chrome_selectors = (".detail_tools", ".detail_author", ".news-detail-author", ".news-related")

    def article_id(self, url: str) -> str | None:
        """The numeric article id of ``/vn/tin-tuc/…/<id>/<slug>.aspx``,
        ``/tabid/N/ArticleID/<id>/…`` or ``Default.aspx?tabid=N&ArticleID=<id>``."""
        path = urlsplit(url).path
        for pattern in self.article_path_res:
            if match := re.search(pattern, path, re.IGNORECASE):
                return match.group(1)
        if path.lower().endswith("/default.aspx"):
            for name in self.article_params:
                found = query_param(url, name) or query_param(url, name.lower())
                if found and found.isdigit():
                    return found
        return None

    def next_page_request(
        self, response: Response, section: Section, page: int
    ) -> scrapy.Request | None:
        """Query paging: the base class's link. Postback paging: the form posted back."""
        if not isinstance(response, TextResponse):
            return None
        if self.paging != "postback":
            return super().next_page_request(response, section, page)
        href = self.select(response, self.next_page_selector).get()
        match = _POSTBACK_RE.search(href or "")
        if not match:
            return None
        target, argument = match.groups()
        forms = response.css("form")
        form = next((f for f in forms if href in f.css("a::attr(href)").getall()), None)
        if form is None:
            self.logger.warning("%s: postback pager outside a form: %s", self.name, response.url)
            return None
        fields = {
            name: field.attrib.get("value", "")
            for field in form.css("input[type=hidden]")
            if (name := field.attrib.get("name"))
        }
        fields |= {"__EVENTTARGET": target, "__EVENTARGUMENT": argument}
        action = form.attrib.get("action") or response.url
        url = self.public_url(response.urljoin(action.strip()))
        return self.listing_request(url, section, page + 1).replace(
            method="POST",
            body=urlencode(fields),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
