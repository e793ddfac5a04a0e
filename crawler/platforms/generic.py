"""Portals on no known CMS: hand-made PHP/ASP sites of districts, Sở and small agencies.

What such a portal has in common with every other is only its URL shapes: an article
lives at a URL a regular expression recognises (``/Tin-tuc/<slug>-<id>.html``,
``/tin-tuc/chi-tiet?id=<N>``, ``/?mod=news&act=detail&id=<N>``), its listings link to
those URLs, and the next listing page is a link (``?page=N``, ``/trang-N``, a "»"
button). A portal therefore sets:

- ``article_pattern``: a regular expression searched in the URL's path and query string
  (``/path?query``); its first group (else the whole match) is the article id;
- optionally ``next_page_selector`` (CSS or XPath of the next page's link); else the link
  to page N+1 of the same listing is followed, its number found in the URL shapes every
  platform knows (:mod:`crawler.platforms.pager`) or by ``next_page_pattern``, a regular
  expression whose first group is the page number (``?p=N`` by default);
- optionally ``listing_area_selector`` (where the listing's entries are), ``title_selector``,
  ``date_selector``, ``author_selector`` and ``chrome_selectors`` when the heuristics need help.

Listings: every link to an article outside the page chrome (header, menus, footers,
sidebars, blocks headed "Tin mới", "Tin liên quan", …) is an entry; its title is the
longest link text to that article, its date the first short text of the entry that is
a date.

Articles: the main text, title, author and image are extracted by trafilatura (not by
a hand-written readability algorithm), with its network and date guessing kept out:
its date comes from htmldate's quick, markup-only search (``extensive_search`` off) and
is only one of the sources our own date parser reads, in this order: the page's
machine-readable meta dates, the date line under the title, the listing's date,
trafilatura's date, a date in the URL, the lead sentence. A date equal to the crawl's
day from trafilatura alone is refused (page headers print today's date). The body is
trafilatura's XML turned into HTML; the portal's ``chrome_selectors`` prunes the page before
trafilatura and the sanitiser removes chrome again after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy
from html import escape
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from parsel import Selector, SelectorList
from scrapy.http import Response, TextResponse

from crawler.cleanhtml import chrome_elements
from crawler.cleanhtml import element_text as _text
from crawler.dates import parse_date
from crawler.platforms.base import ListingEntry, PortalSpider, Section
from crawler.platforms.fields import PageFields
from crawler.platforms.generic_extraction import (
    DATE_LINE_MAX,
    DATE_LINE_WINDOW,
    END_CSS,
    LISTING_CHROME_CSS,
    PAGE_CHROME_CSS,
    Extracted,
    body_html,
    extract,
    texts_after,
)
from crawler.text import clean_line


class GenericSpider(PortalSpider):
    """Base for portals on no known CMS: URL patterns plus trafilatura."""

    platform = "generic"
    required_options = ("article_pattern",)
    ignored_selectors: ClassVar[dict[str, str]] = {
        "listing_entry_selector": "its entries are the links matching article_pattern",
        "listing_link_selector": "its entries are the links matching article_pattern",
        "listing_title_selector": "an entry's title is its link's text",
        "listing_date_selector": "an entry's date is the first date near its link",
        "body_selector": "trafilatura finds the body; chrome_selectors prune the page",
    }

    #: Regex searched in ``/path?query`` of an own URL; group 1 (or the match) is the id.
    article_pattern: ClassVar[str] = ""
    article_url_options = ("article_pattern",)
    #: Also numbers a listing's pages (group 1): ``?p=N`` (beyond the pager's own shapes).
    next_page_pattern = r"[?&]p=(\d+)"
    #: Where a listing page's entries are (CSS or XPath); empty: the page minus chrome.
    listing_area_selector: ClassVar[str] = ""
    #: Containers of a listing page whose links are not entries (beyond the defaults).
    listing_chrome_selectors: ClassVar[tuple[str, ...]] = ()
    #: Heuristic fields: set a selector only where the heuristics fail for a portal.
    title_selector = ""
    date_selector = ""
    author_selector = ""
    #: trafilatura's preset: "recall" (keeps leads and captions; the chrome is pruned
    #: before and cleaned after it), "balanced" or "precision".
    extraction_mode: ClassVar[str] = "recall"
    #: Use trafilatura's ``og:image`` as the lead image when the body has none.
    lead_image: ClassVar[bool] = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.article_pattern:
            raise ValueError(f"portal {self.name} sets no article_pattern")
        self._article_re = re.compile(self.article_pattern)
        self._prune = (*PAGE_CHROME_CSS, *self.chrome_selectors)

    # Identity ----------------------------------------------------------------------------

    def article_id(self, url: str) -> str | None:
        """The id ``article_pattern`` finds in an own URL's ``/path?query``, or None."""
        if not self.is_own_url(url):
            return None
        parts = urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        match = self._article_re.search(target)
        if not match:
            return None
        return match.group(1) if match.groups() and match.group(1) else match.group(0)

    # Listings ----------------------------------------------------------------------------

    def listing_entries(self, response: Response) -> SelectorList[Selector]:
        """One link per article the listing names, outside the chrome, in page order
        (of several links to one article, the one with the longest text)."""
        if not isinstance(response, TextResponse):
            return SelectorList([])
        areas = (
            self.select(response, self.listing_area_selector)
            if self.listing_area_selector
            else None
        )
        roots = [area.root for area in areas] if areas else [response.selector.root]
        chrome = chrome_elements(
            response.selector.root, (*LISTING_CHROME_CSS, *self.listing_chrome_selectors)
        )
        best: dict[str, Selector] = {}
        order: list[str] = []
        for root in roots:
            for anchor in root.iter("a"):
                href = (anchor.get("href") or "").strip()
                if not href or self._inside(anchor, chrome):
                    continue
                key = self.article_key(self.public_url(response.urljoin(href)))
                if key is None:
                    continue
                selector = scrapy.Selector(root=anchor, type="html")
                if key not in best:
                    order.append(key)
                    best[key] = selector
                elif len(_text(anchor)) > len(_text(best[key].root)):
                    best[key] = selector
        return SelectorList(best[key] for key in order)

    @staticmethod
    def _inside(element: Any, chrome: set[Any]) -> bool:
        node = element
        while node is not None:
            if node in chrome:
                return True
            node = node.getparent()
        return False

    def listing_entry(
        self, entry: Selector, response: Response, section: Section, position: int
    ) -> ListingEntry | None:
        """An article link: its text (or ``title``) as the title, the entry's date."""
        anchor = entry.root
        url = self.public_url(response.urljoin(anchor.get("href", "").strip()))
        key = self.article_key(url)
        if key is None:
            return None
        title = _text(anchor) or clean_line(anchor.get("title")) or ""
        date_text = self._entry_date_text(anchor, key, response)
        return ListingEntry(url, key, section.slug, title, date_text, position)

    def _entry_date_text(self, anchor: Any, key: str, response: Response) -> str:
        """The first short text of the entry around ``anchor`` that is a date: the entry
        is the largest ancestor (up to four levels) linking to no other article."""
        entry = anchor
        for _ in range(4):
            parent = entry.getparent()
            if parent is None or self._links_elsewhere(parent, key, response):
                break
            entry = parent
        for text in entry.itertext():
            line = clean_line(text)
            if line and len(line) <= DATE_LINE_MAX and parse_date(line, now=self.now):
                return line
        return ""

    def _links_elsewhere(self, element: Any, key: str, response: Response) -> bool:
        for anchor in element.iter("a"):
            href = (anchor.get("href") or "").strip()
            if not href:
                continue
            other = self.article_key(self.public_url(response.urljoin(href)))
            if other is not None and other != key:
                return True
        return False

    # Articles ----------------------------------------------------------------------------

    def page_fields(self, response: TextResponse, listed: ListingEntry) -> PageFields:
        """The page read once by trafilatura, the selectors a portal sets overriding it.

        Title: ``title_selector`` when set, else the heading the ``<title>`` names (or
        trafilatura's title), else og:title or the listing's. Author: ``author_selector`` when
        set, else trafilatura's. Body: trafilatura's main text as HTML, with the lead (sapo)
        between the title and the text when trafilatura left it out, and its lead image when
        the body has none. Dates: the page's own date texts (:meth:`page_date_texts`), then
        trafilatura's date, after the listing's and before the URL's.
        """
        found = self._trafilatura(response)
        fields = super().page_fields(response, listed)
        if not self.title_selector and found.title:
            fields.title, fields.title_source = found.title, "page"
        if not self.author_selector:
            fields.author = found.author or None
        fields.body = self._lead_paragraphs(response, found.body) + found.body
        image = found.image
        if self.lead_image and image and "<img" not in fields.body and "logo" not in image:
            fields.images = [response.urljoin(image)]
        dates = [candidate for candidate in fields.dates if candidate[1] == "meta"]
        dates += [(text, "page") for text in self.page_date_texts(response)]
        if found.date:
            dates.append((found.date, "trafilatura"))
        fields.dates = dates
        return fields

    def _trafilatura(self, response: TextResponse) -> Extracted:
        document = extract(
            self._pruned_tree(response), self.public_url(response.url), self.now,
            self.extraction_mode,
        )  # fmt: skip
        if document is None:
            return Extracted("", "", "", "", "")
        title = self._page_title(response, clean_line(document.title))
        body, author = body_html(document, title)
        return Extracted(
            title=title,
            author=clean_line(document.author) or author,
            date=document.date or "",
            image=document.image or "",
            body=body,
        )

    def _pruned_tree(self, response: TextResponse) -> Any:
        """A copy of the page without its chrome, for trafilatura: configured and generic
        chrome containers and sidebar blocks, never one holding the article's title."""
        tree = deepcopy(response.selector.root)
        keep = set()
        heading = self._title_heading(tree, self._head_title(response))
        if heading is not None:
            keep = {heading, *heading.iterancestors()}
        for element in chrome_elements(tree, self._prune, frozenset(keep)):
            if element in keep or element.getparent() is None:
                continue
            element.drop_tree() if hasattr(element, "drop_tree") else element.getparent().remove(
                element
            )
        return tree

    @staticmethod
    def _head_title(response: TextResponse) -> str:
        """The page's ``<title>`` (og:title first): it names the article on most sites."""
        meta = response.css('meta[property="og:title"]::attr(content)').get()
        return clean_line(meta or " ".join(response.css("title ::text").getall()))

    def _title_heading(self, root: Any, head_title: str) -> Any:
        """The heading holding the article's title: the longest ``<h1>``–``<h3>`` whose
        text the ``<title>`` contains, that is neither the site's name nor a logo linking
        home; else the only ``<h1>``."""
        best, best_len = None, 0
        folded = head_title.casefold()
        site = self.portal_title.casefold()
        for element in root.iter("h1", "h2", "h3"):
            text = _text(element)
            if len(text) <= best_len or len(text) < 8 or text.casefold() == site:
                continue
            if text.casefold() in folded and not self._links_home(element):
                best, best_len = element, len(text)
        if best is not None:
            return best
        headings = [h for h in root.iter("h1") if not self._links_home(h)]
        return headings[0] if len(headings) == 1 else None

    def _links_home(self, element: Any) -> bool:
        home = {"/", "./", self.base_url.rstrip("/"), self.base_url.rstrip("/") + "/"}
        return any((a.get("href") or "").strip() in home for a in element.iter("a"))

    def _page_title(self, response: TextResponse, trafilatura_title: str) -> str:
        heading = self._title_heading(response.selector.root, self._head_title(response))
        if heading is not None and _text(heading).casefold() != self.portal_title.casefold():
            return _text(heading)
        if trafilatura_title.casefold() != self.portal_title.casefold():
            return trafilatura_title
        return ""

    def _lead_paragraphs(self, response: TextResponse, body: str) -> str:
        """Sentences printed between the title and the body's first paragraph that the
        body lacks (portals put the sapo in its own box, which trafilatura may drop)."""
        heading = self._title_heading(response.selector.root, self._head_title(response))
        first = self.lead_text(body)
        if heading is None or not first:
            return ""
        have = clean_line(" ".join(scrapy.Selector(text=body).css("::text").getall()))
        missing: list[str] = []
        for text in texts_after(heading)[:DATE_LINE_WINDOW]:
            if text == first or first.startswith(text):
                return "".join(f"<p><strong>{escape(t)}</strong></p>" for t in missing)
            if len(text) > DATE_LINE_MAX and text not in have:
                missing.append(text)
        return ""

    def page_date_texts(self, response: TextResponse) -> list[str]:
        """The page's own date texts: ``date_selector`` when set, else the short texts that
        follow the article's title (its ``<h1>``, else the element holding the title)
        up to the body, where portals print the date line.

        Only the article's header and body are read: the texts stop at the end of the
        article container (``<article>``, ``<main>``), at a related-news block (headed
        "Tin khác", "Tin liên quan", …, or a related/footer/sidebar container) and at a
        link to another article, whose date is that article's.
        """
        if self.date_selector:
            return [self.selected_text(response, self.date_selector)]
        root = response.selector.root
        heading = self._title_heading(root, self._head_title(response))
        if heading is None:
            return []
        found = []
        for count, text in enumerate(self._article_texts_after(heading, response)):
            if count >= DATE_LINE_WINDOW or len(text) > 2 * DATE_LINE_MAX:
                break  # the body starts: dates further on are the text's, not the page's
            if len(text) <= DATE_LINE_MAX:
                found.append(text)
        return found

    def _article_texts_after(self, heading: Any, response: TextResponse) -> Iterator[str]:
        """Texts after ``heading`` in document order, one per text node, while they are
        the article's own (see :meth:`page_date_texts`)."""
        root = response.selector.root
        keep = frozenset({heading, *heading.iterancestors()})
        ends = chrome_elements(root, END_CSS, keep) - keep
        container = next(heading.iterancestors("article", "main"), None)
        own_key = self.article_key(self.public_url(response.url))
        for node in heading.xpath("following::text()"):
            if not node.strip():
                continue
            owner = node.getparent()
            if node.is_tail:
                owner = owner.getparent()
            if owner is None or owner.tag in ("script", "style"):
                continue
            chain = [owner, *owner.iterancestors()]
            if container is not None and container not in chain:
                return
            if any(element in ends for element in chain):
                return
            if any(self._links_to_other(element, own_key, response) for element in chain):
                return
            yield clean_line(node)

    def _links_to_other(self, element: Any, own_key: str | None, response: TextResponse) -> bool:
        """Whether ``element`` is a link to another article of the portal."""
        if element.tag != "a" or not (href := (element.get("href") or "").strip()):
            return False
        key = self.article_key(self.public_url(response.urljoin(href)))
        return key is not None and key != own_key
