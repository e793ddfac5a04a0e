"""Shared by the fixture test and tools/record_fixture.py: what a fixture compares."""

from __future__ import annotations

import os
from typing import Any

from crawler.extract import Extraction

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")

FIELDS = (
    "key",
    "url",
    "section",
    "title",
    "title_source",
    "published",
    "date_source",
    "author",
    "images",
    "summary",
    "content_text",
)


def observed(extraction: Extraction) -> dict[str, Any]:
    """The comparable view of an extraction (dates as ISO 8601 with their offset)."""
    if extraction.article is None:
        return {"dropped": extraction.dropped}
    article = extraction.article
    found: dict[str, Any] = {"dropped": None}
    for name in FIELDS:
        value = getattr(article, name)
        found[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return found
