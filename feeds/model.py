"""What a feed holds, independent of its format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crawler.archive import ArchivedArticle

#: Tag URI authority for feed and entry ids: ids never depend on where feeds are served.
ID_AUTHORITY = "tag:tinmoi.github.io,2024:"


@dataclass(frozen=True)
class FeedInfo:
    """One feed: where it goes, what it is called, which page it stands for."""

    path: str
    title: str
    description: str
    link: str
    items: tuple[ArchivedArticle, ...]
    section_titles: dict[str, str]

    @property
    def feed_id(self) -> str:
        """A stable id for the feed."""
        return f"{ID_AUTHORITY}feed/{self.path}"


def entry_id(article: ArchivedArticle) -> str:
    """The stable id of an article's entry: derived from its key alone."""
    portal, _, local = article.key.partition(":")
    return f"{ID_AUTHORITY}{portal}/{local}"


def entry_updated(article: ArchivedArticle) -> datetime:
    """When the entry last changed: the edit time if it was edited, else its date."""
    if article.updated > article.first_seen:
        return article.updated
    return article.published or article.first_seen
