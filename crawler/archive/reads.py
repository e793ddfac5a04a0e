"""Reading articles back: by key or URL, newest first, streamed, by time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, desc, func, select, union_all

from crawler.archive.schema import article_attachments, articles, attachments, section_state

#: How many times one query of :meth:`ReadsMixin.at_times` asks (twice each: 800 parameters).
TIMES_PER_QUERY = 400
#: How many keys one query of the reads by key asks (SQLite's oldest limit is 999).
KEYS_PER_QUERY = 500
#: A section's slug, or several (the slugs one section has had), or None for any.
Sections = str | Sequence[str] | None


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


@dataclass(frozen=True, slots=True)
class ArticleHead:
    """What feeds choose and order articles by, without their text."""

    key: str
    portal: str
    section: str | None
    title: str
    published: datetime | None
    content_hash: str
    list_position: int | None
    first_seen: datetime
    updated: datetime
    sort_time: datetime


_HEAD_COLUMNS = [articles.c[name] for name in ArticleHead.__dataclass_fields__]


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
        self, portal: str | None = None, section: Sections = None, limit: int = 50
    ) -> list[ArchivedArticle]:
        """The newest articles, newest first, in a stable order for equal times."""
        query = _newest(select(articles), portal, section, limit)
        with self.engine.connect() as conn:
            return [_article(row) for row in conn.execute(query).mappings()]

    def latest_heads(
        self, portal: str | None = None, section: Sections = None, limit: int = 50
    ) -> list[ArticleHead]:
        """:meth:`latest` without the articles' text."""
        query = _newest(select(*_HEAD_COLUMNS), portal, section, limit)
        with self.engine.connect() as conn:
            return [ArticleHead(**row) for row in conn.execute(query).mappings()]

    def heads_of(self, keys: list[str]) -> list[ArticleHead]:
        """The heads of the articles with ``keys`` (those the archive holds), by key."""
        found = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(set(keys)), KEYS_PER_QUERY):
                query = select(*_HEAD_COLUMNS).where(articles.c.key.in_(chunk))
                for row in conn.execute(query).mappings():
                    found[row["key"]] = ArticleHead(**row)
        return [found[key] for key in sorted(found)]

    def articles_of(self, keys: list[str]) -> dict[str, ArchivedArticle]:
        """The articles with ``keys`` that the archive holds, by key."""
        found = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(set(keys)), KEYS_PER_QUERY):
                query = select(articles).where(articles.c.key.in_(chunk))
                for row in conn.execute(query).mappings():
                    found[row["key"]] = _article(row)
        return found

    def attachments_by_key(self, keys: list[str]) -> dict[str, list[dict[str, Any]]]:
        """The documents each of the articles with ``keys`` links to, by URL (url, sha256,
        content_type, size); articles linking none are left out."""
        link = article_attachments.c
        found: dict[str, list[dict[str, Any]]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(set(keys)), KEYS_PER_QUERY):
                query = (
                    select(link.key, link.url, attachments.c.sha256, attachments.c.content_type,
                           attachments.c.size)
                    .join(attachments, attachments.c.sha256 == link.sha256)
                    .where(link.key.in_(chunk))
                    .order_by(link.key, link.url)
                )  # fmt: skip
                for row in conn.execute(query).mappings():
                    document = dict(row)
                    found.setdefault(document.pop("key"), []).append(document)
        return found

    def at_times(self, times: set[datetime]) -> list[ArchivedArticle]:
        """Every article whose feed time (``sort_time``) or edit time is one of ``times``.

        Feeds use it to break ties between entries of equal time the same way in every
        feed and every build. The times are asked :data:`TIMES_PER_QUERY` at a time, so no
        query outgrows a database's parameter limit (SQLite's oldest is 999).
        """
        return [_article(row) for row in self._at_times(list(articles.c), times)]

    def crowded_times(self, times: set[datetime]) -> set[datetime]:
        """Those of ``times`` that two or more articles could share as their feed time:
        counted over each ``sort_time`` and each edit time that differs from it, kept when
        counted twice or more. A time left out belongs to one article at most, so its
        entry needs no tie broken (:meth:`heads_at_times` need not be asked for it)."""
        found: set[datetime] = set()
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(times), TIMES_PER_QUERY):
                stamps = union_all(
                    select(articles.c.sort_time.label("t")).where(articles.c.sort_time.in_(chunk)),
                    select(articles.c.updated.label("t")).where(
                        articles.c.updated.in_(chunk), articles.c.updated != articles.c.sort_time
                    ),
                ).subquery()
                query = select(stamps.c.t).group_by(stamps.c.t).having(func.count() > 1)
                found.update(conn.execute(query).scalars())
        return found

    def heads_at_times(self, times: set[datetime]) -> list[ArticleHead]:
        """:meth:`at_times` without the articles' text."""
        return [ArticleHead(**row) for row in self._at_times(_HEAD_COLUMNS, times)]

    def _at_times(self, columns: Sequence[ColumnElement[Any]], times: set[datetime]) -> list[Any]:
        found: dict[str, Any] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(times), TIMES_PER_QUERY):
                query = select(*columns).where(
                    articles.c.sort_time.in_(chunk) | articles.c.updated.in_(chunk)
                )
                for row in conn.execute(query).mappings():
                    found.setdefault(row["key"], row)
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

    def coverage(self) -> list[dict[str, Any]]:
        """Per portal and section, how far back the archive reaches: its articles, the
        oldest and newest publication dates, and when a walk of the section last reached
        its end (None: no walk has, so older articles may be missing)."""
        query = (
            select(
                articles.c.portal, articles.c.section, func.count(),
                func.min(articles.c.published), func.max(articles.c.published),
            )
            .group_by(articles.c.portal, articles.c.section)
            .order_by(articles.c.portal, articles.c.section)
        )  # fmt: skip
        walked = select(section_state.c.portal, section_state.c.section, section_state.c.updated)
        with self.engine.connect() as conn:
            ends = {(row[0], row[1]): row[2] for row in conn.execute(walked)}
            return [
                {
                    "portal": portal, "section": section, "articles": int(count),
                    "oldest": oldest, "newest": newest,
                    "walked_to_end": ends.get((portal, section)),
                }
                for portal, section, count, oldest, newest in conn.execute(query)
            ]  # fmt: skip


def _newest(query: Select[Any], portal: str | None, section: Sections, limit: int) -> Select[Any]:
    """``query`` narrowed to a portal or section (or sections: a section's slugs, old and
    new), newest first, stable for equal times."""
    if portal is not None:
        query = query.where(articles.c.portal == portal)
    if isinstance(section, str):
        query = query.where(articles.c.section == section)
    elif section is not None:
        query = query.where(articles.c.section.in_(list(section)))
    return query.order_by(
        desc(articles.c.sort_time),
        desc(articles.c.first_seen),
        articles.c.list_position.is_(None),
        articles.c.list_position,
        articles.c.key,
    ).limit(limit)


def _chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _article(row: Any) -> ArchivedArticle:
    return ArchivedArticle(**{name: row[name] for name in ArchivedArticle.__dataclass_fields__})
