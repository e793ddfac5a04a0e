"""Reading articles back: by key or URL, newest first, streamed, by time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, desc, func, select

from crawler.archive.schema import articles

#: How many times one query of :meth:`ReadsMixin.at_times` asks (twice each: 800 parameters).
TIMES_PER_QUERY = 400


@dataclass(frozen=True)
class ArchivedArticle:
    """One article as the archive holds it."""

    key: str
    portal: str
    section: str | None
    url: str
    title: str
    title_source: str
    summary: str
    content_html: str
    content_text: str
    published: datetime | None
    date_source: str | None
    images: list[str]
    author: str | None
    content_hash: str
    list_position: int | None
    first_seen: datetime
    last_seen: datetime
    updated: datetime
    sort_time: datetime
    removed: datetime | None = None


class ReadsMixin:
    """Methods of :class:`~crawler.archive.Archive` that read articles."""

    engine: Engine

    def find(self, url_or_key: str) -> ArchivedArticle | None:
        """An article by its key, else by its stored (public) URL."""
        found = self.get(url_or_key)
        if found is not None:
            return found
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(articles).where(articles.c.url == url_or_key))
                .mappings()
                .first()
            )
        return _article(row) if row else None

    def iter_articles(
        self,
        *,
        portal: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        batch: int = 500,
    ) -> Iterator[ArchivedArticle]:
        """Every article (of a portal, in a date range), oldest first, streamed in batches:
        memory stays flat whatever the archive's size."""
        query = select(articles).order_by(articles.c.sort_time, articles.c.id)
        if portal is not None:
            query = query.where(articles.c.portal == portal)
        if since is not None:
            query = query.where(articles.c.sort_time >= since)
        if until is not None:
            query = query.where(articles.c.sort_time < until)
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=batch).execute(query).mappings()
            for row in result:
                yield _article(row)

    def get(self, key: str) -> ArchivedArticle | None:
        """The article with ``key``, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.key == key)).mappings().first()
        return _article(row) if row else None

    def latest(
        self, portal: str | None = None, section: str | None = None, limit: int = 50
    ) -> list[ArchivedArticle]:
        """The newest articles, newest first, in a stable order for equal times."""
        query = select(articles)
        if portal is not None:
            query = query.where(articles.c.portal == portal)
        if section is not None:
            query = query.where(articles.c.section == section)
        query = query.order_by(
            desc(articles.c.sort_time),
            desc(articles.c.first_seen),
            articles.c.list_position.is_(None),
            articles.c.list_position,
            articles.c.key,
        ).limit(limit)
        with self.engine.connect() as conn:
            return [_article(row) for row in conn.execute(query).mappings()]

    def at_times(self, times: set[datetime]) -> list[ArchivedArticle]:
        """Every article whose feed time (``sort_time``) or edit time is one of ``times``.

        Feeds use it to break ties between entries of equal time the same way in every
        feed and every build. The times are asked :data:`TIMES_PER_QUERY` at a time, so no
        query outgrows a database's parameter limit (SQLite's oldest is 999).
        """
        ordered = sorted(times)
        found: dict[str, ArchivedArticle] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ordered), TIMES_PER_QUERY):
                chunk = ordered[start : start + TIMES_PER_QUERY]
                query = select(articles).where(
                    articles.c.sort_time.in_(chunk) | articles.c.updated.in_(chunk)
                )
                for row in conn.execute(query).mappings():
                    found.setdefault(row["key"], _article(row))
        return list(found.values())

    def count(self, portal: str | None = None) -> int:
        """How many articles the archive holds (for one portal, or all)."""
        query = select(func.count()).select_from(articles)
        if portal is not None:
            query = query.where(articles.c.portal == portal)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def sections_in_use(self, portal: str) -> list[str]:
        """Section slugs that hold at least one article of ``portal``."""
        query = (
            select(articles.c.section)
            .where(articles.c.portal == portal, articles.c.section.is_not(None))
            .distinct()
            .order_by(articles.c.section)
        )
        with self.engine.connect() as conn:
            return [row[0] for row in conn.execute(query)]


def _article(row: Any) -> ArchivedArticle:
    return ArchivedArticle(**{name: row[name] for name in ArchivedArticle.__dataclass_fields__})
