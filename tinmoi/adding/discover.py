"""From a home page to a platform and its sections.

The platform recognised from the evidence is tried first: its listing markup must find
article links on the menu's pages. When it finds none (or nothing was recognised), the
fallbacks are tried in order: ``feed`` (a feed per section: advertised, or at the
recognised CMS's feed address), ``sitemap`` (robots.txt's sitemaps or ``/sitemap.xml``,
else the home page's advertised feed, whose article URLs fall under the menu's
sections), then ``generic`` (article links found by their URL shape).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.platforms.base import PortalSpider, Section
from crawler.platforms.feed import TooLarge, parse_xml
from tinmoi.adding.fetch import Fetched, Fetcher
from tinmoi.adding.fit_listing import derive_listing
from tinmoi.adding.patterns import article_folder, article_pattern
from tinmoi.adding.probe import listed, page_two, trial_spider
from tinmoi.adding.sections import (
    Candidate,
    left_out_by_title,
    menu_links,
    propose,
    site_names,
)

#: Menu pages fetched at most while looking for sections.
MAX_MENU_PAGES = 12
#: Sitemaps an index lists that are read at most.
MAX_SITEMAPS = 4
_FEED_TYPES = ("application/rss+xml", "application/atom+xml")
_NUKEVIET_MODULE_RE = re.compile(r"^(?:/[a-z]{2})?/([a-z0-9][a-z0-9-]*)/[^/]+/?$")


@dataclass
class Discovery:
    """The platform chosen, why, its sections (proposed first) and the options found."""

    platform: str
    why: str
    candidates: list[Candidate]
    options: dict[str, Any] = field(default_factory=dict)
    #: Listing pages fetched, by public URL (for fitting selectors).
    pages: dict[str, Fetched] = field(default_factory=dict)
    #: Listing selectors derived where the platform's found no entries.
    selectors: dict[str, str] = field(default_factory=dict)
    #: Article URLs a sitemap or feed listed (samples for fitting).
    articles: list[str] = field(default_factory=list)

    @property
    def sections(self) -> list[Candidate]:
        """The sections proposed."""
        return [c for c in self.candidates if not c.reason]


@dataclass
class Site:
    """What discovery works from: the fetcher, the home page, the public origin and
    hosts, and the fetch map for trial spiders."""

    fetcher: Fetcher
    home: Fetched
    base_url: str
    hosts: set[str]
    url_map: dict[str, str]
    now: datetime | None = None

    def spider(self, platform: str, **attrs: Any) -> PortalSpider:
        """A trial spider of this site on ``platform``."""
        return trial_spider(platform, self.base_url, self.url_map, **attrs)


def _as_sections(candidates: list[Candidate]) -> tuple[Section, ...]:
    return tuple(Section(c.slug, c.title, c.path) for c in candidates)


def menu(site: Site, platform: str) -> list[Candidate]:
    """The home page's links that are not articles of ``platform``, the home page and
    aggregate or non-news titles marked left out."""
    links = menu_links(site.home, site.hosts)
    if platform and platform != "generic":
        # SharePoint and WordPress take a page for an article unless it is a section's
        # (an undated page of a Pages library, a category base stripped): the menu's
        # links are the sections the portal may have.
        trial = site.spider(platform, sections=_as_sections(links))
        links = [c for c in links if trial.article_key(c.url) is None]
    names = site_names(site.home)
    for candidate in links:
        candidate.reason = left_out_by_title(candidate.title, candidate.url, site.home.url, names)
    return links


def _nukeviet_module(candidate: Candidate) -> str | None:
    match = _NUKEVIET_MODULE_RE.match(urlsplit(candidate.url).path)
    return match.group(1) if match else None


def _platform_attrs(platform: str, candidate: Candidate) -> dict[str, Any]:
    """Options a candidate needs on its platform (NukeViet: its module among the news
    modules)."""
    if platform == "nukeviet":
        module = _nukeviet_module(candidate)
        if module and module != "news":
            return {"news_modules": ("news", module)}
    return {}


def _count(site: Site, spider: PortalSpider, candidate: Candidate, page: Fetched) -> None:
    """The articles a listing page lists, and its page 2 with the articles it adds."""
    first = listed(spider, page)
    candidate.articles = len(first)
    second_url = page_two(spider, page) if first else None
    if second_url:
        second = site.fetcher.get(second_url)
        if second is not None and second.ok:
            keys = {entry.key for entry in first}
            candidate.page2 = second_url
            candidate.page2_articles = len([e for e in listed(spider, second) if e.key not in keys])


def _fetch_menu(site: Site, candidates: list[Candidate]) -> dict[str, Fetched]:
    pages: dict[str, Fetched] = {}
    for candidate in [c for c in candidates if not c.reason][:MAX_MENU_PAGES]:
        page = site.fetcher.get(candidate.url)
        if page is not None and page.ok:
            pages[candidate.url] = page
    return pages


def _count_all(
    site: Site,
    platform: str,
    candidates: list[Candidate],
    pages: dict[str, Fetched],
    selectors: dict[str, str],
) -> list[str]:
    """Count every candidate's articles on ``platform``; the extra modules they need."""
    modules: list[str] = []
    for candidate in candidates:
        page = pages.get(candidate.url)
        if candidate.reason or page is None:
            continue
        attrs = _platform_attrs(platform, candidate)
        _count(site, site.spider(platform, **attrs, **selectors), candidate, page)
        if candidate.articles and attrs.get("news_modules"):
            modules.append(attrs["news_modules"][1])
    return modules


def _article_path(site: Site, platform: str, pages: dict[str, Fetched]) -> dict[str, str]:
    """VNPT's ``article_path`` when its article links are under another folder than the
    platform's (:func:`~tinmoi.adding.patterns.article_folder`)."""
    if platform != "vnpt-smart-tourism":
        return {}
    links = [url for page in (site.home, *pages.values()) for url in _links(page)]
    folder = article_folder(links, str(getattr(site.spider(platform), "article_path", "")))
    return {"article_path": folder} if folder else {}


def _derived_listing(
    site: Site,
    platform: str,
    candidates: list[Candidate],
    pages: dict[str, Fetched],
    url_options: dict[str, str],
) -> dict[str, str]:
    """Listing selectors read off the first menu page whose article links the platform
    knows by URL though its listing markup finds none."""
    for candidate in candidates:
        page = pages.get(candidate.url)
        if candidate.reason or page is None:
            continue
        spider = site.spider(platform, **_platform_attrs(platform, candidate), **url_options)
        menu_urls = frozenset(c.url.rstrip("/") for c in candidates)
        derived = derive_listing(spider, page, site.now, menu_urls)
        if derived:
            return derived
    return {}


def try_platform(site: Site, platform: str) -> Discovery | None:
    """Sections on a recognised platform: menu pages its listing markup reads (or the
    markup derived from them, where the platform's finds nothing)."""
    candidates = menu(site, platform)
    pages = _fetch_menu(site, candidates)
    url_options = _article_path(site, platform, pages)
    selectors: dict[str, str] = dict(url_options)
    modules = _count_all(site, platform, candidates, pages, selectors)
    if not any(c.articles for c in candidates if not c.reason):
        selectors = _derived_listing(site, platform, candidates, pages, url_options)
        if not selectors:
            return None
        modules = _count_all(site, platform, candidates, pages, selectors | url_options)
        if not any(c.articles for c in candidates if not c.reason):
            return None
    ranked = propose(_missing_pages(candidates, pages))
    options: dict[str, Any] = dict(url_options)
    selectors = {k: v for k, v in selectors.items() if k not in url_options}
    kept = [m for m in dict.fromkeys(modules) if any(_nukeviet_module(c) == m for c in ranked)]
    if kept:  # the main module (its articles' keys unprefixed) first: "news" if in use
        proposed = [_nukeviet_module(c) for c in ranked if not c.reason]
        options["news_modules"] = ["news", *kept] if "news" in proposed else kept
    why = f"{platform}: its listing markup finds articles on the menu's pages"
    if selectors:
        why = f"{platform}: the menu's pages link to its article URLs (listing markup derived)"
    return Discovery(platform, why, ranked, options, pages, selectors)


def _missing_pages(candidates: list[Candidate], pages: dict[str, Fetched]) -> list[Candidate]:
    for candidate in candidates:
        if not candidate.reason and candidate.url not in pages:
            candidate.reason = "its page could not be fetched"
    return candidates


def _is_feed(page: Fetched | None) -> bool:
    if page is None or not page.ok:
        return False
    head = page.body[:600].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in page.body[:2000] or b"<feed" in head)


def advertised_feeds(page: Fetched) -> list[str]:
    """The feeds a page advertises (``<link rel="alternate">`` of a feed type)."""
    selector = Selector(text=page.text())
    found = []
    for link in selector.css('link[rel="alternate"][href]'):
        if (link.attrib.get("type") or "").lower() in _FEED_TYPES:
            found.append(urljoin(page.url, link.attrib["href"]))
    return found


def guessed_feed(recognised: str, candidate: Candidate) -> str | None:
    """Where the recognised CMS serves a section's feed (NukeViet: ``<module>/rss/<cat>/``)."""
    if recognised == "nukeviet":
        parts = urlsplit(candidate.url)
        match = re.match(r"^((?:/[a-z]{2})?/[a-z0-9-]+)/([a-z0-9-]+)/?$", parts.path)
        if match:
            return f"{parts.scheme}://{parts.netloc}{match.group(1)}/rss/{match.group(2)}/"
    return None


def try_feeds(site: Site, recognised: str) -> Discovery | None:
    """A feed per section: the feed at the address the CMS gives a section's, or a menu
    link that is a feed itself. (A feed the home page advertises is the sitemap way's:
    one feed of every section's articles.)"""
    candidates = menu(site, recognised)
    spider = site.spider("feed")
    found: list[Candidate] = []
    pages: dict[str, Fetched] = {}

    def take(title: str, feed_url: str, slug: str) -> bool:
        if feed_url in pages:
            return False
        page = site.fetcher.get(feed_url)
        if page is None or not _is_feed(page):
            return False
        feed = Candidate(title, feed_url, slug, via="feed")
        feed.articles = len(listed(spider, page))
        found.append(feed)
        pages[feed_url] = page
        return True

    for candidate in candidates:
        if candidate.reason:
            continue
        urls = [guessed_feed(recognised, candidate), candidate.url]
        if not any(take(candidate.title, url, candidate.slug) for url in urls if url):
            candidate.reason = "no feed of its own"
    if not any(c.articles for c in found):
        return None
    ranked = propose(found + [c for c in candidates if c.reason and c.via == "menu"])
    why = "feed: the menu's sections each have a feed"
    return Discovery("feed", why, ranked, {}, pages)


def _sitemap_urls(site: Site) -> list[str]:
    """Every ``<loc>`` of the portal's sitemaps (indexes followed, a few at most)."""
    roots = [u for u in site.fetcher.sitemaps(site.base_url)] or [site.base_url + "/sitemap.xml"]
    found: list[str] = []
    queue = list(roots)
    read = 0
    while queue and read < MAX_SITEMAPS + len(roots):
        page = site.fetcher.get(queue.pop(0))
        read += 1
        document = _xml(page)
        if document is None:
            continue
        queue += [loc.strip() for loc in document.xpath("//sitemap/loc/text()").getall()]
        found += [loc.strip() for loc in document.xpath("//url/loc/text()").getall()]
    return found


def _xml(page: Fetched | None) -> Selector | None:
    """A fetched sitemap or feed as XML without namespaces (gunzipped if need be), or None
    when it is not well-formed XML or unpacks to too much."""
    if page is None or not page.ok:
        return None
    try:
        return parse_xml(page.body)
    except TooLarge:
        return None


def _feed_links(site: Site) -> list[str]:
    found: list[str] = []
    for url in advertised_feeds(site.home):
        page = site.fetcher.get(url)
        document = _xml(page) if _is_feed(page) else None
        if document is not None:
            found += [t.strip() for t in document.xpath("//item/link/text()").getall()]
            found += document.xpath("//entry/link/@href").getall()
    return found


def _folder(url: str) -> str:
    """The folder a listing page names (``/hoat-dong.html`` → ``/hoat-dong/``), its
    articles' (``/hoat-dong/<slug>-<id>.html``); a query's page is its own."""
    parts = urlsplit(url)
    if parts.query or not parts.path.strip("/"):
        return url
    path = re.sub(r"\.\w+$", "", parts.path.rstrip("/")) + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def try_sitemap(site: Site) -> Discovery | None:
    """Sections as the menu links whose paths hold the articles sitemaps (or the home
    page's feed) list."""
    urls = _sitemap_urls(site)
    source = "its sitemaps"
    if not urls:
        urls = _feed_links(site)
        source = "the feed its home page advertises"
    candidates = menu(site, "sitemap")
    for candidate in candidates:  # a section's articles are under its folder
        folder = _folder(candidate.url)
        if candidate.reason or folder == candidate.url:
            continue
        prefix = urlsplit(folder).path
        if any(urlsplit(u).path.startswith(prefix) for u in urls):
            candidate.url = folder
    spider = site.spider("sitemap", sections=_as_sections([c for c in candidates if not c.reason]))
    articles = [urlsplit(u).path for u in urls if spider.article_key(spider.public_url(u))]
    if not articles:
        return None
    for candidate in candidates:
        if not candidate.reason:
            prefix = candidate.path.rstrip("/") + "/"
            candidate.articles = sum(1 for path in articles if path.startswith(prefix))
            candidate.via = "sitemap" if source == "its sitemaps" else "feed"
    ranked = propose(candidates)
    if not any(not c.reason for c in ranked):
        return None
    listed_urls = [u for u in urls if spider.article_key(spider.public_url(u))]
    why = f"sitemap: {source} list the menu's sections"
    return Discovery("sitemap", why, ranked, articles=listed_urls)


def try_generic(site: Site) -> Discovery | None:
    """Sections whose pages link to articles of one URL shape (the article pattern)."""
    candidates = menu(site, "generic")
    pages = _fetch_menu(site, candidates)
    menu_urls = [c.url for c in candidates if not c.reason]
    links = [_links(page) for page in pages.values()] + [_links(site.home)]
    pattern = article_pattern(links, menu_urls)
    if pattern is None:
        return None
    spider = site.spider("generic", article_pattern=pattern)
    candidates = [c for c in candidates if spider.article_key(c.url) is None]
    for candidate in candidates:
        page = pages.get(candidate.url)
        if not candidate.reason and page is not None:
            _count(site, spider, candidate, page)
    ranked = propose(_missing_pages(candidates, pages))
    if not any(not c.reason for c in ranked):
        return None
    why = f"generic: no known platform; articles are the links shaped {pattern}"
    return Discovery("generic", why, ranked, {"article_pattern": pattern}, pages)


def _links(page: Fetched) -> list[str]:
    selector = Selector(text=page.text())
    return [urljoin(page.url, h.strip()) for h in selector.css("a::attr(href)").getall()]


def discover(site: Site, recognised: str) -> Discovery | None:
    """The first way of reading the portal that finds sections (see the module)."""
    if recognised:
        found = try_platform(site, recognised)
        if found is not None:
            return found
    return try_feeds(site, recognised) or try_sitemap(site) or try_generic(site)
