"""Portals whose listings are RSS 2.0 or Atom feeds; the article pages give the full text.

Shapes this platform reads (one portal section per feed; feeds have no pagination):

* NukeViet's news module (``modules/news/funcs/rss.php`` rendered by
  ``assets/tpl/rss.tpl`` in github.com/nukeviet/nukeviet): ``/vi/news/rss/`` for the
  whole module, ``/vi/news/rss/<cat>/`` per category. Items link to
  ``/vi/news/<cat>/<slug>-<id>.html`` (the number is the key). ``nv_rss_generate`` writes
  ``pubDate`` with PHP's ``gmdate('D, j M Y H:m:s')``: ``m`` is the *month*, so the minutes
  of every NukeViet ``pubDate`` are the month number. A feed whose ``<generator>`` names
  NukeViet therefore keeps only the date and hour of its items. Article pages print
  ``Thứ ba - 25/06/2024 14:30`` and a malformed ``article:published_time``
  (``2024-06-25+0714:30:00``) that the date parser reads all the same.
* SharePoint list feeds: ``/_layouts/15/listfeed.aspx?List=%7B<GUID>%7D`` (2013 and later)
  or ``/_layouts/listfeed.aspx?List=…`` (2010), RSS 2.0 whose items link to publishing
  pages such as ``/portal/Pages/2024-4-25/<Slug><random>.aspx`` (key: the dated path,
  lower-cased, since SharePoint URLs are case-insensitive). The page's date is a bare day
  inside a web part whose id ends in ``pnHide``.
* Atom (``<entry>`` with ``<published>``/``<updated>``) is read the same way.

Dates: the feed's machine date (``pubDate``, ``published``, ``dc:date``) is the listing
date; Atom's ``updated`` is the listing's modification time. Which wins against the page
is decided by :func:`crawler.platforms.fields.choose_date` (``feed_dates``).

A feed that is not well-formed XML (an HTML error page, an unescaped ``&``) is reported
like an empty listing (``tinmoi/listing/broken_feed`` plus the empty-listing stats and a
warning); lxml's recovering parser is not used, so half a feed never passes for a whole.
"""

from __future__ import annotations

import re
import zlib
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import ClassVar
from urllib.parse import urlsplit

import scrapy
from lxml import etree
from parsel import Selector, SelectorList
from scrapy.http import Response, TextResponse

from crawler.dates import TZ, parse_date
from crawler.platforms.base import ListingEntry, PortalSpider, Section
from crawler.platforms.fields import PageFields
from crawler.text import clean_line

#: Article URL paths the platform knows (matched case-insensitively): NukeViet and other
#: slug-id sites, SharePoint publishing pages under a dated folder.
ARTICLE_PATTERNS = (
    r"/[^/]+-(?P<id>\d+)\.html?$",
    r"/pages/(?P<id>\d{4}-\d{1,2}(?:-\d{1,2})?/[^/]+)\.aspx$",
)

#: The most a gzip'd sitemap or feed may unpack to (the sitemap protocol's 50 MiB).
UNPACKED_MAX = 50 * 1024 * 1024
_CHUNK = 1024 * 1024


class TooLarge(ValueError):
    """A compressed document that unpacks to more than its limit."""


def gunzip(body: bytes, limit: int = UNPACKED_MAX) -> bytes:
    """``body`` unpacked (every gzip member), streaming; :class:`TooLarge` past ``limit``
    bytes, ``ValueError`` when it is not gzip."""
    out = bytearray()
    rest = body
    while rest:
        unpacker = zlib.decompressobj(wbits=31)
        try:
            out += unpacker.decompress(rest, _CHUNK)
            while unpacker.unconsumed_tail and len(out) <= limit:
                out += unpacker.decompress(unpacker.unconsumed_tail, _CHUNK)
        except zlib.error as exc:
            raise ValueError(f"not gzip: {exc}") from exc
        if len(out) > limit:
            raise TooLarge(f"unpacks to more than {limit // (1024 * 1024)} MiB")
        if not unpacker.eof:
            raise ValueError("truncated gzip")
        rest = unpacker.unused_data
    return bytes(out)


def parse_xml(body: bytes) -> Selector | None:
    """A well-formed XML document (gunzipped if need be) without namespaces, or None.

    :class:`TooLarge` when it is gzip'd and unpacks to more than :data:`UNPACKED_MAX`.
    """
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body)
        except TooLarge:
            raise
        except ValueError:
            return None
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
        root = etree.fromstring(body.strip(), parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    selector = scrapy.Selector(root=root, type="xml")
    selector.remove_namespaces()
    return selector


def tag_of(node: Selector) -> str:
    """The local name of a selected element."""
    tag = getattr(node.root, "tag", "")
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(node: Selector, xpath: str) -> str:
    return clean_line(" ".join(node.xpath(xpath).getall()))


class FeedSpider(PortalSpider):
    """Base for portals read through their RSS/Atom feeds (a section's ``path`` is a feed)."""

    platform = "feed"
    ignored_selectors: ClassVar[dict[str, str]] = {
        name: "its listings are feeds (or sitemaps), read item by item"
        for name in (
            "listing_entry_selector", "listing_link_selector", "listing_title_selector",
            "listing_date_selector", "next_page_selector",
        )
    }  # fmt: skip
    #: Regular expressions on the URL path; the ``id`` group is the article id.
    article_patterns: ClassVar[tuple[str, ...]] = ARTICLE_PATTERNS
    article_url_options = ("article_patterns",)

    title_selector = "h1 ::text"
    #: NukeViet: the date line under the title; SharePoint: the web part ending in pnHide.
    date_selector = ".news_column .panel-body > .row span.h5 ::text, [id$='pnHide'] .date ::text"
    #: NukeViet keeps the lead (``.hometext``, with the main picture) outside
    #: ``#news-bodyhtml``: both are taken, in page order. SharePoint: the rich-text field.
    body_selector = (
        "//div[contains(concat(' ', normalize-space(@class), ' '), ' hometext ')]/parent::div"
        " | //*[@id='news-bodyhtml']"
        " | //div[contains(concat(' ', normalize-space(@class), ' '), ' ms-rtestate-field ')]"
    )
    author_selector = "#news-bodyhtml + div p.text-right strong ::text"
    feed_dates = True

    # Identity ----------------------------------------------------------------------------

    def article_id(self, url: str) -> str | None:
        """The id in an own-host article URL (lower case), or None."""
        if not self.is_own_url(url):
            return None
        path = urlsplit(url).path
        for pattern in self.article_patterns:
            if match := re.search(pattern, path, re.IGNORECASE):
                return match.group("id").lower()
        return None

    def page_fields(self, response: TextResponse, listed: ListingEntry) -> PageFields:
        """The base class's fields, with every part of the body the selector matches, in
        page order."""
        fields = super().page_fields(response, listed)
        fields.body = "\n".join(self.select(response, self.body_selector).getall())
        return fields

    # Listing -----------------------------------------------------------------------------

    def xml_of(self, response: Response) -> Selector | None:
        """The response parsed as XML (once per response), or None when it is not XML
        (or unpacks to too much: ``tinmoi_too_large`` in its meta says so)."""
        if "tinmoi_xml" not in response.meta:
            try:
                response.meta["tinmoi_xml"] = parse_xml(response.body)
            except TooLarge as exc:
                response.meta["tinmoi_xml"] = None
                response.meta["tinmoi_too_large"] = str(exc)
        return response.meta["tinmoi_xml"]

    def listing_entries(self, response: Response) -> SelectorList[Selector]:
        """The items (RSS) or entries (Atom) of a feed; none when it is broken."""
        document = self.xml_of(response)
        if document is None:
            self.crawler.stats.inc_value("tinmoi/listing/broken_feed")
            self.logger.warning("%s: not a well-formed feed: %s", self.name, response.url)
            return SelectorList([])
        return document.xpath("//item | //entry")

    def feed_generator(self, response: Response) -> str:
        """The feed's ``<generator>`` (RSS channel or Atom feed)."""
        document = self.xml_of(response)
        return (
            _text(document, "/*/channel/generator//text() | /feed/generator//text()")
            if (document is not None)
            else ""
        )

    def entry_section(self, url: str, section: Section) -> Section | None:
        """The portal section of an article listed by the feed of ``section``."""
        return section

    def placed(
        self, href: str, response: Response, section: Section
    ) -> tuple[str, str, Section] | None:
        """A listed link's public URL, key and section; None when it is not an article of
        one of the portal's sections."""
        url = self.public_url(response.urljoin(href))
        key = self.article_key(url)
        where = self.entry_section(url, section) if key else None
        return None if key is None or where is None else (url, key, where)

    def listing_entry(
        self, entry: Selector, response: Response, section: Section, position: int
    ) -> ListingEntry | None:
        """Read one feed item: link, title, publication and modification dates."""
        href = (
            _text(entry, "./link[not(@href)]/text()")
            or entry.xpath("./link[@href][not(@rel) or @rel='alternate'][1]/@href").get("").strip()
            or _text(entry, "./guid[not(@isPermaLink='false')]/text()")
        )
        if not href:
            return None
        found = self.placed(href, response, section)
        if found is None:
            return None
        url, key, where = found
        title = _text(entry, "./title//text()")
        published = self.feed_date(
            _text(entry, "./pubDate/text()")
            or _text(entry, "./published/text()")
            or _text(entry, "./date/text()"),
            response,
        )
        updated = self.feed_date(_text(entry, "./updated/text()"), response)
        date_text = published or updated
        modified = updated if updated and updated != date_text else ""
        return ListingEntry(url, key, where.slug, title, date_text, position, modified)

    def feed_date(self, text: str, response: Response) -> str:
        """A feed date as ISO 8601 in local time ("" if none). RFC 822 dates of NukeViet
        feeds keep only their hour: NukeViet writes the month where the minutes go."""
        if not text:
            return ""
        try:
            found: datetime | None = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            found = None
        if found is None or found.tzinfo is None:
            found = parse_date(text, now=self.now)
            return found.isoformat() if found else text
        found = found.astimezone(TZ)
        if "nukeviet" in self.feed_generator(response).lower():
            found = found.replace(minute=0)
        return found.isoformat()
