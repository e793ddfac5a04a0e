"""RSS 2.0 and Atom 1.0 with feedgen, working around its known quirks."""

from __future__ import annotations

from feedgen.feed import FeedGenerator

from crawler.text import clean_line
from feeds.model import FeedInfo, entry_id, entry_updated

GENERATOR = "tinmoi"
GENERATOR_URI = "https://github.com/tinmoi/tinmoi"
TTL_MINUTES = 60


def _generator(info: FeedInfo, self_url: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(info.feed_id)
    fg.title(info.title)
    fg.subtitle(info.description)
    fg.language("vi")
    fg.generator(GENERATOR, uri=GENERATOR_URI)
    fg.ttl(TTL_MINUTES)
    # feedgen uses the last link() call as the RSS channel link: the self link first.
    fg.link(href=self_url, rel="self")
    fg.link(href=info.link, rel="alternate")
    newest = max((entry_updated(a) for a in info.items), default=None)
    if newest is not None:
        # feedgen stamps the current time otherwise: builds would never be identical.
        fg.updated(newest)
        fg.lastBuildDate(newest)
    for article in info.items:
        fe = fg.add_entry(order="append")  # feedgen prepends by default
        fe.id(entry_id(article))
        fe.guid(entry_id(article), permalink=False)
        fe.title(clean_line(article.title))
        fe.link(href=article.url, rel="alternate")
        fe.summary(article.summary or clean_line(article.title))
        fe.content(article.content_html or f"<p>{article.summary}</p>", type="html")
        if article.published is not None:
            fe.published(article.published)
            fe.pubDate(article.published)
        fe.updated(entry_updated(article))
        if article.section:
            fe.category(term=article.section, label=info.section_titles.get(article.section))
        if article.author:
            fe.author(name=article.author)
    return fg


def render_rss(info: FeedInfo, self_url: str) -> bytes:
    """The feed as RSS 2.0 (full text in ``content:encoded``)."""
    return _generator(info, self_url).rss_str(pretty=True)


def render_atom(info: FeedInfo, self_url: str) -> bytes:
    """The feed as Atom 1.0 (full text in ``content type="html"``)."""
    return _generator(info, self_url).atom_str(pretty=True)
