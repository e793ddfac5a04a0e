"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), the same items as RSS and Atom."""

from __future__ import annotations

import json
from typing import Any

from crawler.text import clean_line
from feeds.attachments import attachments_html
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
            "title": clean_line(article.title),
            "content_html": article.content_html + attachments_html(entry.documents),
            "summary": article.summary,
            "date_modified": entry.updated.isoformat(),
        }
        if article.published is not None:
            item["date_published"] = article.published.isoformat()
        if entry.image:
            item["image"] = entry.image
        if entry.documents:
            item["attachments"] = [
                {"url": d["url"], "mime_type": d["content_type"], "size_in_bytes": d["size"]}
                for d in entry.documents
            ]
        if article.author:
            item["authors"] = [{"name": article.author}]
        if entry.section_title:
            item["tags"] = [entry.section_title]
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
