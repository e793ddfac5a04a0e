"""The crawl's "now": the one place that reads the clock, so tests and reruns can pin it."""

from __future__ import annotations

from datetime import datetime

from crawler.dates import TZ


def crawl_now(pinned: str | None = None) -> datetime:
    """The crawl's "now" in local time: ``pinned`` (ISO 8601) if given, else the clock."""
    if pinned:
        return datetime.fromisoformat(pinned).astimezone(TZ)
    return datetime.now(TZ)
