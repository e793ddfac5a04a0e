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
from typing import TYPE_CHECKING, Any, TextIO

from crawler.platforms.records import ListingEntry
from tinmoi.adding.fetch import Fetched
from tinmoi.adding.fit_article import LEAD_OPTIONS, byline, fit_articles
from tinmoi.adding.fit_listing import listing_dates
from tinmoi.adding.probe import listed

if TYPE_CHECKING:
    from tinmoi.adding.discover import Discovery, Site

#: Articles a fit reads.
SAMPLES = 3
#: Articles more a fit may read to find a byline, which not every article prints.
MORE_BYLINES = 3
#: An ASP.NET pager that posts its form back for page 2.
_POSTBACK_RE = re.compile(r"__doPostBack\([^)]*Page\$2")


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
            author = byline(site, found.platform, attrs, entries[: SAMPLES + MORE_BYLINES])
            if author:
                derived["author_selector"] = author
    for key, value in derived.items():
        print(f"fit: {key} = {value!r} (the platform's missed)", file=out)
        if key in LEAD_OPTIONS.values():
            options[key] = value
        else:
            selectors[key] = value
    return selectors, options
