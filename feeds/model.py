"""What a feed holds, independent of its format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from html import escape
from zoneinfo import ZoneInfo

from crawler.archive import ArchivedArticle
from crawler.text import clean_line, xml_safe
from feeds.attachments import attachments_html

#: Tag URI authority for feed and entry ids: ids never depend on where feeds are served.
ID_AUTHORITY = "tag:tinmoi.github.io,2024:"
GENERATOR = "tinmoi"
GENERATOR_URI = "https://github.com/tinmoi/tinmoi"
TTL_MINUTES = 60
#: The time of feeds when the archive holds nothing at all.
EPOCH = datetime(1995, 1, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@dataclass(frozen=True)
class Entry:
    """One article in one feed, with the time the feed gives it.

    Its text fields are computed once and kept: every feed writes them in three formats.
    """

    article: ArchivedArticle
    #: When the entry last changed, unique within every feed (see ``feeds.select``).
    updated: datetime
    #: The title of the portal it comes from.
    source: str
    #: The section's title, when the portal names it.
    section_title: str | None
    #: The documents the article links to (url, sha256, content_type, size), by URL.
    attachments: tuple[dict, ...] = ()

    @property
    def id(self) -> str:
        """The stable id of the entry: derived from the article's key alone."""
        portal, _, local = self.article.key.partition(":")
        return f"{ID_AUTHORITY}{portal}/{local}"

    @cached_property
    def title(self) -> str:
        """The article's title on one line."""
        return xml_safe(clean_line(self.article.title))

    @cached_property
    def summary(self) -> str:
        """The article's summary, else its title (plain text)."""
        return xml_safe(self.article.summary) or self.title

    @cached_property
    def author(self) -> str | None:
        """Who wrote the article, when the portal says."""
        return xml_safe(self.article.author) or None

    @cached_property
    def category(self) -> str | None:
        """The section's title, when the portal names it."""
        return xml_safe(self.section_title) or None

    @cached_property
    def content_html(self) -> str:
        """The body as HTML with the documents it links to; the summary when it has none."""
        body = self.article.content_html or f"<p>{escape(self.summary)}</p>"
        return xml_safe(body + attachments_html(self.documents))

    @property
    def image(self) -> str | None:
        """The article's lead image."""
        return self.article.images[0] if self.article.images else None

    @cached_property
    def documents(self) -> tuple[dict, ...]:
        """The attachments with an http(s) URL (the only ones feeds link to)."""
        return tuple(a for a in self.attachments if a["url"].startswith(("http://", "https://")))


@dataclass(frozen=True)
class FeedInfo:
    """One feed: where it goes, what it is called, which page it stands for."""

    path: str
    kind: str  # "portal", "section", "province", "search" or "all"
    title: str
    description: str
    link: str
    author: str
    province: str | None
    portal: str | None
    entries: tuple[Entry, ...]

    @property
    def feed_id(self) -> str:
        """A stable id for the feed."""
        return f"{ID_AUTHORITY}feed/{self.path}"

    #: The time of a feed with no entries (feedgen would stamp the current time).
    empty_updated: datetime = EPOCH

    @property
    def updated(self) -> datetime:
        """The newest entry's time: an unchanged archive gives an identical feed."""
        return max((entry.updated for entry in self.entries), default=self.empty_updated)


@dataclass(frozen=True)
class FeedCard:
    """What the index page and the OPML lists tell of a feed: its entries only counted."""

    path: str
    kind: str
    title: str
    description: str
    link: str
    author: str
    province: str | None
    portal: str | None
    #: How many entries it holds.
    items: int
    #: Its newest entry's date (``sort_time``), if it has any.
    newest: datetime | None
    #: The feed's time (:attr:`FeedInfo.updated`).
    updated: datetime

    @classmethod
    def of(cls, info: FeedInfo) -> FeedCard:
        """The card of a feed."""
        return cls(
            path=info.path,
            kind=info.kind,
            title=info.title,
            description=info.description,
            link=info.link,
            author=info.author,
            province=info.province,
            portal=info.portal,
            items=len(info.entries),
            newest=max((e.article.sort_time for e in info.entries), default=None),
            updated=info.updated,
        )
