"""NukeViet, the Vietnamese open-source PHP CMS (many Sở, district and school portals).

Its ``news`` module (and every virtual copy of it under another name, e.g.
``/cam-nang-vac-xin/``) publishes with rewritten URLs:

- listings ``[/vi]/<module>/<cat-alias>`` then ``…/<cat-alias>/page-2``, ``page-3`` …
  (``nv_alias_page``: links carry ``rel="next"``/``rel="prev"``; the last page's "»" is a
  ``javascript:void(0)`` link). With ``rewrite_op_mod`` the site's default module drops out
  of the path (``/<cat-alias>/…``).
- articles ``[/vi]/<module>/<cat-alias>/<alias>-<id>.html``; ``<id>`` is the key (per module).
  An article in several categories is linked under each listing's category alias, while
  its ``<link rel="canonical">`` names its primary category.
- the default theme's ``detail.tpl``: ``h1.title[itemprop=headline]``, the date in
  ``span.h5`` as ``nv_date('l - d/m/Y H:i')`` (``Thứ ba - 25/06/2024 14:30``), the lead
  (hometext) in ``.hometext`` before the body ``#news-bodyhtml``, ``Tác giả:`` in a
  ``p.h5.text-right``; after the article the ``.other-news`` panel with "Theo dòng sự kiện",
  "Những tin mới hơn" and "Những tin cũ hơn", each entry with its own ``(dd/mm/yyyy)``.
  The header may show today's date (``span.current-time``), never the article's.
- dates in the head are broken: ``article:published_time`` is PHP ``date('Y-m-dTH:i:s')``,
  where ``T`` is the zone *abbreviation*: ``2024-06-25+0714:30:00``, or on old PHP
  time-zone data ``2024-06-25ICT14:30:00``. And ``detail_theme`` assigns the schema.org
  ``datePublished`` twice, the second time with the *edit* time, so that one is never read.

Custom themes keep the module's URLs, ``#news-bodyhtml`` and the head metadata but change
the markup around them; their portals override the listing/title/date selectors.
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import urlsplit

from scrapy.http import TextResponse

from crawler.platforms.base import ListingEntry, PortalSpider
from crawler.platforms.fields import PageFields
from crawler.text import clean_line

_ARTICLE_PATH_RE = re.compile(
    r"^(?:/(?P<lang>[a-z]{2}))?(?:/(?P<module>[a-z0-9][a-z0-9-]*))?"
    r"/(?P<cat>[A-Za-z0-9][A-Za-z0-9-]*)/(?P<alias>[^/]+)-(?P<id>[0-9]+)\.html?$"
)


class NukeVietSpider(PortalSpider):
    """Base for portals on NukeViet's news module (default theme selectors)."""

    platform = "nukeviet"
    #: The news-module path segments of the portal; the first one's ids are bare keys,
    #: other modules' ids are prefixed (``cam-nang-vac-xin-16``). Paths without a module
    #: (the default one, dropped by ``rewrite_op_mod``) are the first module's.
    news_modules: ClassVar[tuple[str, ...]] = ("news",)
    article_url_options = ("news_modules",)

    listing_entry_selector = ".news_column > .panel > .panel-body"
    listing_link_selector = "h2 a::attr(href), h3 a::attr(href)"
    listing_title_selector = "h2 a ::text, h3 a ::text"
    listing_date_selector = ".text-muted li:first-child ::text"
    next_page_selector = '(//a[@rel="next"][contains(@href, "/page-")])[1]/@href'
    title_selector = (
        '(//h1[@itemprop="headline"] | //*[contains(@class, "news_column")]//h1)[1]//text()'
    )
    date_selector = (
        '(//*[@itemtype="http://schema.org/NewsArticle"]'
        '//span[contains(concat(" ", normalize-space(@class), " "), " h5 ")])[1]//text()'
    )
    #: Only ``article:published_time``: schema.org ``datePublished`` holds the edit time
    #: (the date parser reads its broken form).
    meta_date_selector = 'meta[property="article:published_time"]::attr(content)'
    hometext_selector: ClassVar[str] = '[itemtype="http://schema.org/NewsArticle"] .hometext'
    body_selector = "#news-bodyhtml"
    #: Lines that may carry ``Tác giả: <name>`` (see :meth:`extract_author`).
    author_selector = "p.text-right"
    chrome_selectors = (".other-news", ".related", ".news-download-file", "[itemprop=publisher]")

    def article_id(self, url: str) -> str | None:
        """``<id>`` of ``…/<module>/<cat>/<alias>-<id>.html`` (module-prefixed off the main
        news module) or of ``/<cat>/<alias>-<id>.html`` (the default module dropped from
        the path); None for listings, print/sendmail pages and other modules."""
        match = _ARTICLE_PATH_RE.match(urlsplit(url).path)
        if not match:
            return None
        module = match["module"] or ""
        if not module or module == self.news_modules[0]:
            return match["id"]  # no module: the site's default one, dropped by rewrite_op_mod
        if module not in self.news_modules:
            return None
        return f"{module}-{match['id']}"

    def page_fields(self, response: TextResponse, listed: ListingEntry) -> PageFields:
        """The base class's fields, with the lead (hometext, outside the body in
        ``detail.tpl``) as the body's first paragraph and the author after ``Tác giả:``."""
        fields = super().page_fields(response, listed)
        lead_nodes = (
            self.select(response, self.hometext_selector)[:1] if self.hometext_selector else []
        )
        lead = "".join(node for found in lead_nodes for node in found.xpath("node()").getall())
        if lead.strip():
            fields.body = f"<div><p>{lead.strip()}</p>{fields.body}</div>"
        fields.author = self.author(response)
        return fields

    def author(self, response: TextResponse) -> str | None:
        """The name after ``Tác giả:`` in a right-aligned line (never ``Nguồn tin:``);
        compared after NFC, as some pages are served decomposed."""
        for line in self.select(response, self.author_selector):
            text = clean_line(" ".join(line.css("::text").getall()))
            label, _, name = text.partition(":")
            if label.strip().casefold() == "tác giả" and name.strip():
                return name.strip()
        return None
