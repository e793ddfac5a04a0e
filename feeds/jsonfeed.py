"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), the same items as RSS and Atom."""

from __future__ import annotations

import json
from typing import Any

from feeds.attachments import file_name
from feeds.model import GENERATOR_URI, FeedInfo

VERSION = "https://jsonfeed.org/version/1.1"


def render_json(info: FeedInfo, feed_url: str) -> bytes:
    """The feed as JSON Feed 1.1, UTF-8, real characters (no ``\\u`` escapes)."""
    items = []
    for entry in info.entries:
        article = entry.article
        item: dict[str, Any] = {
            "id": entry.id,
            "url": article.url,
            "title": entry.title,
            "content_html": entry.content_html,
            "summary": entry.summary,
            "date_modified": entry.updated.isoformat(),
        }
        if article.published is not None:
            item["date_published"] = article.published.isoformat()
        if entry.image:
            item["image"] = entry.image
        if entry.documents:
            item["attachments"] = [
                {
                    "url": d["url"],
                    "mime_type": d["content_type"],
                    "title": file_name(d["url"]),
                    "size_in_bytes": d["size"],
                }
                for d in entry.documents
            ]
        if entry.author:
            item["authors"] = [{"name": entry.author}]
        if entry.category:
            item["tags"] = [entry.category]
        item["language"] = "vi"
        items.append(item)
    feed = {
        "version": VERSION,
        "title": info.title,
        "home_page_url": info.link,
        "feed_url": feed_url,
        "description": info.description,
        "authors": [{"name": info.author}],
        "language": "vi",
        "_tinmoi": {"about": GENERATOR_URI, "path": info.path},
        "items": items,
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
