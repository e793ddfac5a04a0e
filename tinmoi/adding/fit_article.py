"""Fitting an article page: the fields the platform's selectors miss on every sample.

* its title: the heading whose text is the title the listing gives;
* its date: the first element after the title (else closing the article) whose text
  reads as a date and differs between samples (not a header's "today");
* its body: the block with the most paragraph text, not a list of links (and a lead just
  before it, unless the platform reads the lead apart);
* its author: the element whose class names the author (``author``, ``tacgia``; else the
  source, ``nguon``), looked for past the first samples when they print no byline;
* NukeViet's and SharePoint's lead (``hometext_selector``, ``lead_selector``) when the
  theme renamed it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from lxml.etree import _Element

from crawler.check import MIN_BODY
from crawler.platforms.base import PortalSpider
from crawler.platforms.records import ListingEntry
from crawler.text import clean_line
from tinmoi.adding.fetch import Fetched
from tinmoi.adding.markup import TEXT, css_of, html_text, is_date, text_of, tree
from tinmoi.adding.probe import fields_of

if TYPE_CHECKING:
    from tinmoi.adding.discover import Site

#: The option of the platforms that read an article's lead apart from its body.
LEAD_OPTIONS = {"nukeviet": "hometext_selector", "sharepoint": "lead_selector"}
_AUTHOR_WORDS = ("author", "tacgia", "tac-gia", "butdanh")
#: Class words of a source line, an author's when the theme names none.
_SOURCE_WORDS = ("nguon", "source")
_LEAD_WORDS = (
    "sapo", "lead", "hometext", "summary", "tomtat", "tom-tat", "description", "intro",
)  # fmt: skip


def _title(root: _Element, want: str) -> str | None:
    """The heading (else the block) whose text is the title the listing gives."""
    for tags in (("h1", "h2", "h3"), ("div", "span", "p")):
        for node in root.iter(*tags):
            if clean_line(text_of(node)).casefold() == want.casefold() and len(node) <= 1:
                return css_of(node, root) + TEXT
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
        if seen and node.tag == "p" and len(text_of(node)) > MIN_BODY:
            if past_body:
                continue
            return  # the body began
        if seen and isinstance(node.tag, str) and is_date(text_of(node), now):
            deepest = node
            while inner := [
                c for c in deepest if isinstance(c.tag, str) and is_date(text_of(c), now)
            ]:
                deepest = inner[0]
            yield css_of(deepest, root) + TEXT


def _date_after(
    missed: list[tuple[_Element, Any]], title_query: str, now: datetime | None
) -> str | None:
    """The date selector of articles whose dates the platform misses: the first date
    after the title (the platform's title selector, else the heading that reads as the
    listing's title) that differs between samples (one date on every page is the page
    header's "today")."""
    for past_body in (False, True):
        for root, entry in missed:
            heading = root.cssselect(title_query.removesuffix(TEXT)) if "::" in title_query else []
            if not heading and entry.title and (query := _title(root, entry.title)):
                heading = root.cssselect(query.removesuffix(TEXT))
            start = heading[0] if heading else root
            for found in _dates_after(root, start, now, past_body):
                texts = {
                    text_of(nodes[0])
                    if (nodes := other.cssselect(found.removesuffix(TEXT)))
                    else ""
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
            len(text_of(p))
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
    text = len(text_of(node))
    linked = sum(len(text_of(a)) for a in node.iter("a"))
    return text > 0 and linked * 2 > text


def author_of(root: _Element) -> str | None:
    """The element a theme names for the author (``author``, ``tacgia``), with a name;
    else the one it names for the source (``nguon``: a byline ``Nguồn: Hồng Nhung``)."""
    for words in (_AUTHOR_WORDS, _SOURCE_WORDS):
        for node in root.iter():
            classes = (node.get("class") or "").lower() if isinstance(node.tag, str) else ""
            if any(word in classes for word in words) and 1 < len(text_of(node)) < 60:
                return css_of(node, root) + TEXT
    return None


def _lead(root: _Element) -> str | None:
    """The lead block: a classed ``sapo``, ``lead``, ``hometext``… with a sentence in it."""
    for node in root.iter("div", "p"):
        classes = (node.get("class") or "").lower()
        if any(word in classes for word in _LEAD_WORDS) and len(text_of(node)) > 30:
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
        root = tree(page)
        response = page.response()
        if fields.title_source != "page":
            misses.setdefault("title_selector", []).append((root, entry))
        if not is_date(spider.selected_text(response, spider.date_selector), now):
            misses.setdefault("date_selector", []).append((root, entry))
        if len(html_text(fields.body)) < MIN_BODY:
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
            authors = (author_of(r) for r, _ in missed)
            found[key] = next((a for a in authors if a), None)
    return {key: value for key, value in found.items() if value}


def byline(
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
        found = author_of(tree(page))
        for query in (found.removesuffix(TEXT), found) if found else ():
            trial = fields_of(site.spider(platform, **attrs, author_selector=query), page, entry)
            if trial is not None and trial.author:
                return query
    return None
