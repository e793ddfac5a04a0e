"""What a portal definition and its listings say: a section, and a listed article."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """A portal section: its slug (used in feed paths), title and listing path."""

    slug: str
    title: str
    path: str


@dataclass(frozen=True)
class ListingEntry:
    """What a listing page says of an article before it is fetched."""

    url: str
    key: str
    section: str
    title: str
    date_text: str
    position: int
    #: When the source says the article last changed (a sitemap's ``lastmod``), if it does.
    modified_text: str = ""
