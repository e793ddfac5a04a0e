"""What a feed is rendered from, as one fingerprint: a build renders a feed again only
when its fingerprint differs from the one its published files carry.

The inputs are the feed's own description (title, link…), its entries (each article's
key, edit time, content hash, title and date, its entry time, portal and section titles,
and attachments), ``--site-url``, ``--limit`` and tinmoi's version. An article's edit
time (``updated``) moves whenever any of its stored fields change, so it stands for the
article's text without reading it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from feeds.model import Entry, FeedInfo


def _version() -> str:
    try:
        return version("tinmoi")
    except PackageNotFoundError:
        return "unknown"


#: Part of every fingerprint: another tinmoi may render the same inputs differently.
VERSION = _version()


def entry_inputs(entry: Entry) -> list[Any]:
    """What one entry of a feed is rendered from."""
    article = entry.article
    published = article.published.isoformat() if article.published else None
    documents = [(d["url"], d["sha256"], d["content_type"], d["size"]) for d in entry.attachments]
    return [
        article.key,
        article.updated.isoformat(),
        article.content_hash,
        article.title,
        published,
        entry.updated.isoformat(),
        entry.source,
        entry.section_title,
        documents,
    ]


def fingerprint(info: FeedInfo, entries: Iterable[list[Any]], site_url: str, limit: int) -> str:
    """The fingerprint of ``info`` rendered with ``entries`` (from :func:`entry_inputs`)."""
    empty: datetime | None = None if info.entries else info.empty_updated
    parts = [
        VERSION,
        site_url,
        limit,
        [info.path, info.kind, info.title, info.description, info.link, info.author],
        empty.isoformat() if empty else None,
        list(entries),
    ]
    data = json.dumps(parts, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(data).hexdigest()
