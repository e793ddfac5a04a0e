"""RSS 2.0 and Atom 1.0 with feedgen, working around its known bugs.

feedgen 1.0.0 prepends entries unless told otherwise, drops ``rel``/``type``/``length``
from Atom entry links (an enclosure becomes a second alternate link), writes
``type="CDATA"`` into Atom content when asked for CDATA, takes the last ``link()`` call
as the RSS channel link, and stamps ``lastBuildDate`` with the current time. The entry
extension below writes enclosures and ``dc:creator`` itself.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable
from html import escape

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedEntry, FeedGenerator
from lxml import etree

from feeds.attachments import file_name
from feeds.model import GENERATOR, GENERATOR_URI, TTL_MINUTES, Entry, FeedInfo

log = logging.getLogger(__name__)
DC_NS = "http://purl.org/dc/elements/1.1/"


def image_type(url: str) -> str:
    """The MIME type of an image URL, from its extension."""
    guessed = mimetypes.guess_type(url.split("?", 1)[0])[0]
    return guessed if guessed and guessed.startswith("image/") else "image/jpeg"


class TinmoiFeed(BaseExtension):
    """Declares the namespaces the entry extension writes (feedgen maps them per feed)."""

    def extend_ns(self) -> dict[str, str]:
        """``dc`` for ``dc:creator``."""
        return {"dc": DC_NS}


class TinmoiEntry(BaseEntryExtension):
    """What feedgen gets wrong or lacks per entry: enclosures and ``dc:creator``."""

    def __init__(self) -> None:
        self.enclosure: str | None = None
        self.creator: str | None = None
        #: Documents the article links to: one more Atom enclosure each (not in RSS).
        self.documents: tuple[dict, ...] = ()

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        """Add ``<link rel="enclosure" type=…>`` (feedgen would drop rel and type)."""
        if self.enclosure:
            # feedgen writes Atom elements unqualified under the default namespace.
            etree.SubElement(
                entry,
                "link",
                rel="enclosure",
                href=self.enclosure,
                type=image_type(self.enclosure),
            )
        for document in self.documents:
            etree.SubElement(
                entry,
                "link",
                rel="enclosure",
                href=document["url"],
                type=document["content_type"],
                length=str(document["size"]),
                title=file_name(document["url"]),
            )
        return entry

    def extend_rss(self, item: etree._Element) -> etree._Element:
        """Add the one RSS enclosure (length 0: unknown) and ``dc:creator``."""
        if self.creator:
            etree.SubElement(item, f"{{{DC_NS}}}creator").text = self.creator
        if self.enclosure:
            etree.SubElement(
                item, "enclosure", url=self.enclosure, length="0", type=image_type(self.enclosure)
            )
        return item


def _rss_text(text: str) -> str:
    """Plain text for an RSS title or description, which readers take as HTML."""
    return escape(text, quote=False)


def _atom_text(text: str) -> str:
    """Plain text for Atom, whose text constructs say they are plain text."""
    return text


def _generator(
    info: FeedInfo,
    self_url: str,
    text: Callable[[str], str],
    serialise: Callable[[FeedEntry], object] | None,
) -> FeedGenerator:
    """The feed in feedgen; with ``serialise``, each entry is serialised by it to test it."""
    fg = FeedGenerator()
    fg.register_extension("tinmoi", TinmoiFeed, TinmoiEntry)
    fg.id(info.feed_id)
    fg.title(text(info.title))
    fg.subtitle(text(info.description))
    fg.author(name=info.author)
    fg.language("vi")
    fg.generator(GENERATOR, uri=GENERATOR_URI)
    fg.ttl(TTL_MINUTES)
    # feedgen takes the last link() call as the RSS channel link: the self link first.
    fg.link(href=self_url, rel="self")
    fg.link(href=info.link, rel="alternate")
    fg.updated(info.updated)  # feedgen would stamp the current time
    fg.lastBuildDate(info.updated)
    for entry in info.entries:
        fe = fg.add_entry(order="append")  # feedgen prepends by default
        try:
            _fill(fe, entry, text)
            if serialise is not None:
                serialise(fe)
        except (ValueError, TypeError) as exc:
            log.warning("feed %s: skipped %s: %s", info.path, entry.article.key, exc)
            fg.remove_entry(fe)
    return fg


def _fill(fe: FeedEntry, entry: Entry, text: Callable[[str], str]) -> None:
    article = entry.article
    fe.id(entry.id)
    fe.guid(entry.id, permalink=False)
    fe.title(text(entry.title))
    fe.link(href=article.url, rel="alternate")
    fe.summary(text(entry.summary))
    fe.content(entry.content_html, type="html")
    if article.published is not None:
        fe.published(article.published)
        fe.pubDate(article.published)
    fe.updated(entry.updated)
    if entry.category:
        fe.category(term=entry.category)
    if entry.author:
        fe.author(name=entry.author)
        fe.tinmoi.creator = entry.author
    fe.tinmoi.enclosure = entry.image
    fe.tinmoi.documents = entry.documents


def _render(
    info: FeedInfo,
    self_url: str,
    text: Callable[[str], str],
    serialise: Callable[[FeedEntry], object],
    write: Callable[[FeedGenerator], bytes],
) -> bytes:
    """The feed written whole; if an entry cannot be serialised, written again with each
    entry tested first, so that a bad item is skipped, never the whole feed."""
    try:
        return write(_generator(info, self_url, text, None))
    except (ValueError, TypeError):
        return write(_generator(info, self_url, text, serialise))


def render_rss(info: FeedInfo, self_url: str) -> bytes:
    """The feed as RSS 2.0 (full text in ``content:encoded``)."""
    return _render(
        info, self_url, _rss_text, FeedEntry.rss_entry, lambda fg: fg.rss_str(pretty=True)
    )


def render_atom(info: FeedInfo, self_url: str) -> bytes:
    """The feed as Atom 1.0 (full text in ``content type="html"``)."""
    return _render(
        info, self_url, _atom_text, FeedEntry.atom_entry, lambda fg: fg.atom_str(pretty=True)
    )
