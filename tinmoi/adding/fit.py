"""Fitting the theme: the platform's default selectors are tried on a listing and three
articles; where one misses, a selector is derived from the page and kept (only what
differs from the platform is written).

* listing entries: the repeated block holding one article link each (the platform knows
  its articles by their URLs), with its link, title and date;
* a listing's date: the element of an entry whose text reads as a date;
* an article's title: the heading whose text is the title the listing gives;
* its date: the first element after the title whose text reads as a date;
* its body: the block with the most paragraph text (and a lead just before it);
* its author: the element whose class names the author (``author``, ``tacgia``), when
  the platform finds none on any sample;
* NukeViet's and SharePoint's lead (``hometext_selector``, ``lead_selector``) when the
  theme renamed it;
* ASP.NET paging by form postback when the pager posts the page number back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from lxml import html as lxml_html
from lxml.etree import _Element
from parsel import Selector

from crawler.check import MIN_BODY
from crawler.cleanhtml import is_xpath
from crawler.dates import parse_date
from crawler.platforms.base import PortalSpider
from crawler.platforms.records import ListingEntry
from crawler.text import clean_line
from tinmoi.adding.fetch import Fetched
from tinmoi.adding.probe import fields_of, listed

if TYPE_CHECKING:
    from tinmoi.adding.discover import Discovery, Site

#: The option of the platforms that read an article's lead apart from its body.
LEAD_OPTIONS = {"nukeviet": "hometext_selector", "sharepoint": "lead_selector"}
#: Articles a fit reads.
SAMPLES = 3
#: Articles more a fit may read to find a byline, which not every article prints.
MORE_BYLINES = 3
_AUTHOR_WORDS = ("author", "tacgia", "tac-gia", "butdanh")
#: Class words of a source line, an author's when the theme names none.
_SOURCE_WORDS = ("nguon", "source")
_LEAD_WORDS = (
    "sapo", "lead", "hometext", "summary", "tomtat", "tom-tat", "description", "intro",
)  # fmt: skip
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
#: A time of day in a date's text.
_TIME_RE = re.compile(r"\b\d{1,2}\s*[:hg]\s*\d{2}\b")
#: An ASP.NET pager that posts its form back for page 2.
_POSTBACK_RE = re.compile(r"__doPostBack\([^)]*Page\$2")
#: Selectors the page-level fit reads text with (CSS ``::text``), per field.
_TEXT = " ::text"


def _tree(page: Fetched) -> _Element:
    """The page as an lxml tree (an XHTML page's XML declaration dropped: lxml refuses a
    decoded text that declares its encoding)."""
    return lxml_html.fromstring(_XML_DECLARATION_RE.sub("", page.response().text, count=1))


def _classes(node: _Element) -> list[str]:
    return [c for c in (node.get("class") or "").split() if c.replace("-", "_").isidentifier()]


def css_of(node: _Element, root: _Element, unique: bool = True) -> str:
    """A short CSS selector for ``node``: its tag and first class, prefixed by classed
    ancestors until it names a class and selects ``node`` alone (``unique``) in ``root``."""
    parts: list[str] = []
    current: _Element | None = node
    while current is not None and current is not root:
        classes = _classes(current)
        part = f"{current.tag!s}.{classes[0]}" if classes else str(current.tag)
        if classes and current is not node:
            part = f".{classes[0]}"
        parts.insert(0, part)
        query = " ".join(parts)
        found = root.cssselect(query)
        classed = "." in query or not unique  # a bare tag is no theme's name for a field
        if classed and found and (not unique or len(found) == 1) and found[0] is node:
            return query
        current = current.getparent()
    return " ".join(parts)


def _is_date(text: str, now: datetime | None) -> bool:
    text = clean_line(text)
    return 4 < len(text) < 80 and parse_date(text, now=now) is not None


def _text(node: _Element) -> str:
    return clean_line(" ".join(node.itertext()))


# Listings ------------------------------------------------------------------------------


def derive_listing(
    spider: PortalSpider, page: Fetched, now: datetime | None, menu: frozenset[str] = frozenset()
) -> dict[str, str]:
    """Listing selectors for a page whose article links ``spider`` knows by URL but
    whose entries its markup misses (empty when the page links to fewer than two); the
    ``menu``'s links are never entries (a WordPress page's slug looks like a post's)."""
    root = _tree(page)
    anchors: dict[str, _Element] = {}
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        url = spider.public_url(page.response().urljoin(href)) if href else ""
        key = spider.article_key(url) if url else None
        if key and key not in anchors and _text(anchor) and url.rstrip("/") not in menu:
            anchors[key] = anchor
    entries = []
    for key, anchor in anchors.items():
        entry = anchor
        while (parent := entry.getparent()) is not None and _only_links_to(
            parent, key, spider, page
        ):
            entry = parent
        entries.append((entry, anchor))
    groups: dict[tuple[Any, str], list[tuple[_Element, _Element]]] = {}
    for entry, anchor in entries:
        parent = entry.getparent()
        groups.setdefault((parent, str(entry.tag)), []).append((entry, anchor))
    best = max(groups.values(), key=len, default=[])
    if len(best) < 2:
        return {}
    entry, anchor = best[0]
    parent = entry.getparent()
    if parent is None:
        return {}
    container = css_of(parent, root)
    entry_css = ", ".join(f"{container} > {entry.tag!s}{part}" for part in _entry_classes(best))
    link = _relative(anchor, entry)
    found = {
        "listing_entry_selector": entry_css,
        "listing_link_selector": f"{link}::attr(href)",
        "listing_title_selector": f"{link}{_TEXT}",
    }
    found["listing_date_selector"] = _entry_date(entry, anchor, now) or ""
    return found


def _entry_classes(entries: list[tuple[_Element, _Element]]) -> list[str]:
    """The class part of the entries' selector: one class they all have, else each first
    class they have (rows alternating ``GridRow`` and ``GridAltRow``), else none."""
    classes = [_classes(entry) for entry, _anchor in entries]
    common = [name for name in classes[0] if all(name in other for other in classes)]
    if common:
        return [f".{common[0]}"]
    if all(classes):
        return [f".{name}" for name in dict.fromkeys(found[0] for found in classes)]
    return [""]


def _only_links_to(node: _Element, key: str, spider: PortalSpider, page: Fetched) -> bool:
    for anchor in node.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href:
            continue
        url = spider.public_url(page.response().urljoin(href))
        if spider.article_key(url) != key:
            return False
    return True


def _relative(anchor: _Element, entry: _Element) -> str:
    """The anchor's selector within its entry: ``a.title``, ``h4 a`` or ``a``."""
    classes = _classes(anchor)
    if classes:
        return f"a.{classes[0]}"
    parent = anchor.getparent()
    if parent is not None and parent is not entry and parent.tag in ("h2", "h3", "h4", "h5"):
        return f"{parent.tag} a"
    return "a"


def _entry_date(entry: _Element, anchor: _Element, now: datetime | None) -> str | None:
    """The entry's element holding a date (outside its link), one with a time first."""
    found = []
    title = _text(anchor)
    for node in entry.iter():
        if node is anchor or node is entry or node in anchor.iterancestors():
            continue
        if not isinstance(node.tag, str) or _text(node) == title:
            continue
        if len(_text(node)) < 40 and _is_date(_text(node), now):
            found.append(node)
    deepest = [n for n in found if not any(n in other.iterancestors() for other in found)]
    deepest.sort(key=lambda node: not _TIME_RE.search(_text(node)))
    return css_of(deepest[0], entry, unique=False) + _TEXT if deepest else None


def listing_dates(spider: PortalSpider, pages: list[Fetched], now: datetime | None) -> str | None:
    """A listing date selector when the platform's finds no date in any entry of these
    listing pages (one alternative per page whose markup differs)."""
    found: list[str] = []
    for page in pages:
        response = page.response()
        entries = spider.listing_entries(response)
        texts = [spider.entry_text(e, spider.listing_date_selector) for e in entries]
        if not entries or any(_is_date(text, now) for text in texts):
            continue
        for entry in entries[:1]:
            node = lxml_html.fromstring(entry.get())
            link = node if node.tag == "a" else next(node.iter("a"), node)
            derived = _entry_date(node, link, now)
            if derived:
                found.append(derived.removesuffix(_TEXT))
    if not found:
        return None
    default = spider.listing_date_selector
    parts = {f"{part}{_TEXT}" for part in found} | set(found)
    if default and not is_xpath(default) and default not in parts:  # kept, in its style
        text = _TEXT if "::text" in default else ""
        return ", ".join(f"{part}{text}" for part in dict.fromkeys(found)) + f", {default}"
    return ", ".join(f"{part}{_TEXT}" for part in dict.fromkeys(found))


# Articles ------------------------------------------------------------------------------


def _title(root: _Element, want: str) -> str | None:
    """The heading (else the block) whose text is the title the listing gives."""
    for tags in (("h1", "h2", "h3"), ("div", "span", "p")):
        for node in root.iter(*tags):
            if clean_line(_text(node)).casefold() == want.casefold() and len(node) <= 1:
                return css_of(node, root) + _TEXT
    return None


def _dates_after(
    root: _Element, start: _Element, now: datetime | None, past_body: bool = False
) -> Iterator[str]:
    """Each element after ``start`` (the title), before the body's first paragraph, whose
    text reads as a date (the deepest one), as a selector: the article's header, not a
    related list. ``past_body``: after the body too, inside the title's container (a date
    line closing the article)."""
    seen = start is root
    container = start.getparent() if past_body and start is not root else None
    for node in (container if container is not None else root).iter():
        if node is start:
            seen = True
            continue
        if seen and node.tag == "p" and len(_text(node)) > MIN_BODY:
            if past_body:
                continue
            return  # the body began
        if seen and isinstance(node.tag, str) and _is_date(_text(node), now):
            deepest = node
            while inner := [
                c for c in deepest if isinstance(c.tag, str) and _is_date(_text(c), now)
            ]:
                deepest = inner[0]
            yield css_of(deepest, root) + _TEXT


def _date_after(
    missed: list[tuple[_Element, Any]], title_query: str, now: datetime | None
) -> str | None:
    """The date selector of articles whose dates the platform misses: the first date
    after the title (the platform's title selector, else the heading that reads as the
    listing's title) that differs between samples (one date on every page is the page
    header's "today")."""
    for past_body in (False, True):
        for root, entry in missed:
            heading = root.cssselect(title_query.removesuffix(_TEXT)) if "::" in title_query else []
            if not heading and entry.title and (query := _title(root, entry.title)):
                heading = root.cssselect(query.removesuffix(_TEXT))
            start = heading[0] if heading else root
            for found in _dates_after(root, start, now, past_body):
                texts = {
                    _text(nodes[0]) if (nodes := other.cssselect(found.removesuffix(_TEXT))) else ""
                    for other, _entry in missed
                }
                if len(missed) < 2 or len(texts) > 1:
                    return found
    return None


def _body(root: _Element, with_lead: bool = True) -> str | None:
    """The block with the most paragraph text, with a lead just before it (unless the
    platform reads the lead apart: NukeViet's hometext)."""
    best, best_len = None, 0
    for node in root.iter("div", "article", "section", "td"):
        length = sum(
            len(_text(p))
            for p in node
            if p.tag in ("p", "figure", "ul", "table") and not _mostly_links(p)
        )
        if length > best_len:
            best, best_len = node, length
    if best is None or best_len < MIN_BODY:
        return None
    body = css_of(best, root)
    lead = best.getprevious()
    lead_class = (lead.get("class") or "").lower() if lead is not None else ""
    if with_lead and lead is not None and any(w in lead_class for w in _LEAD_WORDS):
        return f"{css_of(lead, root)}, {body}"
    return body


def _mostly_links(node: _Element) -> bool:
    """Whether most of ``node``'s text is link text (a list of related articles)."""
    text = len(_text(node))
    linked = sum(len(_text(a)) for a in node.iter("a"))
    return text > 0 and linked * 2 > text


def _author(root: _Element) -> str | None:
    """The element a theme names for the author (``author``, ``tacgia``), with a name;
    else the one it names for the source (``nguon``: a byline ``Nguồn: Hồng Nhung``)."""
    for words in (_AUTHOR_WORDS, _SOURCE_WORDS):
        for node in root.iter():
            classes = (node.get("class") or "").lower() if isinstance(node.tag, str) else ""
            if any(word in classes for word in words) and 1 < len(_text(node)) < 60:
                return css_of(node, root) + _TEXT
    return None


def _lead(root: _Element) -> str | None:
    """The lead block: a classed ``sapo``, ``lead``, ``hometext``… with a sentence in it."""
    for node in root.iter("div", "p"):
        classes = (node.get("class") or "").lower()
        if any(word in classes for word in _LEAD_WORDS) and len(_text(node)) > 30:
            return css_of(node, root)
    return None


def fit_articles(
    spider: PortalSpider, samples: list[tuple[Fetched, Any]], now: datetime | None
) -> dict[str, Any]:
    """Selectors derived for the fields the platform's selectors miss on every sample
    article (a field found on some samples is left to the platform: an undated article
    is not a theme change)."""
    misses: dict[str, list[tuple[_Element, Any]]] = {}
    for page, entry in samples:
        fields = fields_of(spider, page, entry)
        if fields is None:
            continue
        root = _tree(page)
        response = page.response()
        if fields.title_source != "page":
            misses.setdefault("title_selector", []).append((root, entry))
        if not _is_date(spider.selected_text(response, spider.date_selector), now):
            misses.setdefault("date_selector", []).append((root, entry))
        text = " ".join(Selector(text=fields.body or "<p></p>").css("::text").getall())
        if len(clean_line(text)) < MIN_BODY:
            misses.setdefault("body_selector", []).append((root, entry))
        option = LEAD_OPTIONS.get(spider.platform, "")
        lead = getattr(spider, option, "") if option else ""
        if lead and not spider.select(page.response(), lead) and _lead(root):
            misses.setdefault(option, []).append((root, entry))
        if not fields.author:
            misses.setdefault("author_selector", []).append((root, entry))
    read = len([1 for page, entry in samples if fields_of(spider, page, entry) is not None])
    found: dict[str, Any] = {}
    for key, missed in misses.items():
        if len(missed) < read or not missed:
            continue
        root, entry = missed[0]
        if key == "title_selector" and entry.title:
            found[key] = _title(root, entry.title)
        elif key == "date_selector":
            query = found.get("title_selector") or spider.title_selector
            found[key] = _date_after(missed, query, now)
        elif key == "body_selector":
            found[key] = _body(root, with_lead=spider.platform not in LEAD_OPTIONS)
        elif key in LEAD_OPTIONS.values():
            found[key] = _lead(root)
        elif key == "author_selector" and spider.platform not in ("nukeviet", "generic"):
            authors = (_author(r) for r, _ in missed)
            found[key] = next((a for a in authors if a), None)
    return {key: value for key, value in found.items() if value}


def fit(site: Site, found: Discovery, out: TextIO) -> tuple[dict[str, Any], dict[str, Any]]:
    """The selectors and options that differ from the platform's defaults, each printed
    with why."""
    selectors = dict(found.selectors)
    options: dict[str, Any] = {}
    pages = [found.pages[c.url] for c in found.sections if c.url in found.pages]
    if found.platform == "aspnet" and any(_POSTBACK_RE.search(p.text()) for p in pages):
        options["paging"] = "postback"
        print("fit: paging = 'postback' (the pager posts its form back)", file=out)
    spider = site.spider(found.platform, **found.options, **options, **selectors)
    if found.platform not in ("feed", "sitemap", "generic"):
        date = listing_dates(spider, pages, site.now)
        if date:
            selectors["listing_date_selector"] = date
            print(f"fit: listing dates: {date} (the platform's selector found none)", file=out)
            spider = site.spider(found.platform, **found.options, **selectors)
    entries = [e for page in pages[:1] for e in listed(spider, page)]
    entries += [
        ListingEntry(url, key, "trial", "", "", 0)
        for url in found.articles
        if (key := spider.article_key(url))
    ]
    samples: list[tuple[Fetched, Any]] = []
    for entry in entries[:SAMPLES]:
        article = site.fetcher.get(entry.url)
        if article is not None and article.ok:
            samples.append((article, entry))
    if found.platform == "generic":
        from tinmoi.adding.fit_generic import fit_generic

        derived = fit_generic(spider, samples, site.now)
    else:
        derived = fit_articles(spider, samples, site.now)
        if "author_selector" not in derived:
            attrs = {**found.options, **options, **selectors, **derived}
            author = _byline(site, found.platform, attrs, entries[: SAMPLES + MORE_BYLINES])
            if author:
                derived["author_selector"] = author
    for key, value in derived.items():
        print(f"fit: {key} = {value!r} (the platform's missed)", file=out)
        if key in LEAD_OPTIONS.values():
            options[key] = value
        else:
            selectors[key] = value
    return selectors, options


def _byline(
    site: Site, platform: str, attrs: dict[str, Any], entries: list[ListingEntry]
) -> str | None:
    """An author selector the platform reads a byline with, from the first of ``entries``
    that prints one where the platform finds none (a byline is an article's: the first
    samples may have none); None when the platform finds them already, or none is found."""
    spider = site.spider(platform, **attrs)
    for entry in entries:
        page = site.fetcher.get(entry.url)
        fields = fields_of(spider, page, entry) if page is not None and page.ok else None
        if page is None or fields is None:
            continue
        if fields.author:
            return None
        found = _author(_tree(page))
        for query in (found.removesuffix(_TEXT), found) if found else ():
            trial = fields_of(site.spider(platform, **attrs, author_selector=query), page, entry)
            if trial is not None and trial.author:
                return query
    return None
