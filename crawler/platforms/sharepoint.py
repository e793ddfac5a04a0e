"""SharePoint 2010/2013 portals (many provincial portals and Sở sites: ninhthuan.gov.vn,
namdinh.gov.vn, svhttdl.dienbien.gov.vn, mpi.gov.vn, …).

URL shapes: articles are publishing pages, ``/portal/Pages/2024-4-25/<Slug><random>.aspx``
(the publication date is a folder, without zero padding; the library may be ``Pages`` or
``pages``, the site ``/portal`` or the root) or, on older sites, ``/Pages/<slug>.aspx``.
Listings are pages too: ``/Pages/<section>.aspx?Page=N`` or
``/pages/NewsGroups.aspx?cid=<GUID>&Page=N``; the pager's links may be relative
(``?Page=3``). SharePoint ignores the case of paths, so the key is the page path lower
cased without ``.aspx``: ``2024-4-25/<slug><random>`` (or ``<slug>``), whatever the host.

Page HTML: the master page (ribbon, ``#s4-workspace``, quick launch, breadcrumb) and a
header that prints *today's* date ("Thứ Hai, 24/11/2026"), never an article's. The article
is a custom web part whose panel id ends in ``pnHide`` (the prefix,
``ctl00_ctl37_g_<guid>_ctl00_`` or ``ctl00_SPWebPartManager1_g_<guid>_ctl00_``, differs
per site); the date is a ``span`` directly inside it (or inside one of its ``div``s) in
a site's own format (``25/06/2024 14:30``, ``Ngày đăng: 25/06/2024``), the body is the
rich HTML field ``.ms-rtestate-field`` (an optional sapo before it), followed by
"In trang | Gửi email" tools and a "Tin khác" / "Các tin khác" web part with its own
dates. Content Editor web parts elsewhere on the page also render ``.ms-rtestate-field``,
and editors can embed web parts inside the body (``.ms-rte-wpbox``). Listing entries sit
in a panel whose id ends in ``pnListNews`` (or ``pnGroupNews``).
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from parsel import Selector
from scrapy.http import Response, TextResponse

from crawler.platforms.base import ListingEntry, PortalSpider, Section
from crawler.platforms.fields import PageFields

#: A dated publishing page: ``…/Pages/2024-4-25/<slug>.aspx``.
_DATED_RE = re.compile(r"/pages/(\d{4})-(\d{1,2})-(\d{1,2})/([^/]+)\.aspx$", re.I)
#: An undated page in a ``Pages`` library: ``…/Pages/<slug>.aspx``.
_PAGE_RE = re.compile(r"/pages/([^/]+)\.aspx$", re.I)
#: The article panel: an element whose id ends in ``pnHide`` (XPath 1.0 has no ends-with).
_PANEL = "//*[substring(@id, string-length(@id) - 5) = 'pnHide']"
_RTE = "contains(concat(' ', normalize-space(@class), ' '), ' ms-rtestate-field ')"


class SharePointSpider(PortalSpider):
    """Base for portals on SharePoint 2010/2013 publishing sites."""

    platform = "sharepoint"

    #: Pages of a ``Pages`` library that are never articles (besides the section paths).
    non_article_pages: ClassVar[frozenset[str]] = frozenset(
        {"default", "home", "newsgroups", "search", "sitemap", "lienhe", "gioithieu"}
    )
    #: An optional sapo shown before the rich body field (kept as the body's first part).
    lead_selector: ClassVar[str] = '[id$="pnHide"] .sapo'

    listing_entry_selector = '[id$="pnListNews"] > div'
    listing_link_selector = "h3 a::attr(href)"
    listing_title_selector = "h3 a ::text"
    listing_date_selector = ".date ::text"
    title_selector = '[id$="pnHide"] h1 ::text'
    date_selector = (
        '[id$="pnHide"] > span ::text, '
        '[id$="pnHide"] > div:not(.ms-rtestate-field):not(.sapo) > span ::text'
    )
    author_selector = '[id$="pnNguontin"] ::text'
    body_selector = f"{_PANEL}//div[{_RTE}][not(ancestor::*[{_RTE}])]"
    chrome_selectors = (
        ".ms-rte-wpbox",
        ".ms-hide",
        ".s4-notdlg",
        "[id^=vid_]",
    )

    def article_id(self, url: str) -> str | None:
        """``2024-4-25/<slug>`` (or ``<slug>`` for an undated page), lower case, whatever
        the host; None for listings and the site's other pages."""
        path = unquote(urlsplit(url).path)
        dated = _DATED_RE.search(path)
        if dated:
            year, month, day, slug = dated.groups()
            return f"{int(year)}-{int(month)}-{int(day)}/{slug.lower()}"
        page = _PAGE_RE.search(path)
        if not page or page.group(1).lower() in self.non_article_pages:
            return None
        sections = {urlsplit(s.path).path.lower() for s in self.sections}
        return None if path.lower() in sections else page.group(1).lower()

    def listing_entry(
        self, entry: Selector, response: Response, section: Section, position: int
    ) -> ListingEntry | None:
        """A listing entry, unless it links to another site's page."""
        listed = super().listing_entry(entry, response, section, position)
        return listed if listed is not None and self.is_own_url(listed.url) else None

    def page_fields(self, response: TextResponse, listed: ListingEntry) -> PageFields:
        """The base class's fields; the body is the sapo (if the theme shows one) and every
        top-level rich field of the panel."""
        fields = super().page_fields(response, listed)
        parts = []
        for lead in self.select(response, self.lead_selector)[:1]:
            inner = "".join(lead.xpath("node()").getall()).strip()
            # A sapo of inline markup becomes the body's first paragraph.
            block = lead.xpath("./p | ./div | ./ul | ./table")
            parts.append(inner if block else f"<p>{inner}</p>")
        parts += self.select(response, self.body_selector).getall()
        fields.body = "\n".join(part for part in parts if part)
        return fields
