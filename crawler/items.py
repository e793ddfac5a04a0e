"""Items the spiders yield: a found article, or a URL that gave no usable article."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Article:
    """One article as a portal spider extracted it, before the pipelines normalise it."""

    portal: str
    key: str
    url: str
    section: str | None = None
    title: str | None = None
    title_source: str | None = None
    published: datetime | None = None
    date_source: str | None = None
    #: The date was year-less or relative ("2 giờ trước"), so anchored by the crawl.
    date_relative: bool = False
    content_html: str = ""
    content_text: str = ""
    summary: str = ""
    images: list[str] = field(default_factory=list)
    author: str | None = None
    list_position: int | None = None
    content_hash: str = ""
    #: Public URLs of the documents (PDF, DOC/DOCX, XLS/XLSX) the body links to.
    documents: list[str] = field(default_factory=list)


@dataclass
class Dropped:
    """A URL that yielded no usable article, with the reason (kept in the archive)."""

    portal: str
    url: str
    reason: str
    detail: str = ""
    #: The article's key (for a document: the key of the article linking it).
    key: str | None = None
    #: An article's listing entry (its fields), so the archive can ask for it again.
    listed: dict[str, Any] | None = None


@dataclass
class Removed:
    """An archived article whose page now answers 404 or 410: taken down, never deleted."""

    portal: str
    key: str
    url: str
    status: int


@dataclass
class Attachment:
    """A document an article links to (PDF, DOC/DOCX, XLS/XLSX), as downloaded."""

    portal: str
    article_key: str
    url: str
    content_type: str
    body: bytes
