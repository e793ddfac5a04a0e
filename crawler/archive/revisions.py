"""Revisions held back: a fetch whose body shrank drastically waits to be confirmed.

A body cut to its lead is far more often a broken selector (a theme renamed the body's
element) than an editor's work, so such a fetch never replaces the article at once. It is
kept as the article's *pending revision* and becomes its revision only when a fetch at
least :data:`CONFIRM_AFTER` later gives the same content (same hash), in a crawl that was
not a layout change (see ``crawler.pipelines.archive``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, func, select

from crawler.archive.schema import articles, pending_revisions, revisions

#: A fetch is held when its body text is under this share of the stored one…
SHRINK_SHARE = 0.5
#: …and shorter by more than this many characters (a short article's small cut is an edit).
SHRINK_CHARS = 100
#: How long after it was first seen a held body may be confirmed by a fetch giving it again.
CONFIRM_AFTER = timedelta(hours=6)

HoldResult = Literal["held", "confirmed"]


def drastic_shrink(stored_text: str, fetched_text: str) -> bool:
    """True when ``fetched_text`` is under half of ``stored_text`` and more than
    :data:`SHRINK_CHARS` characters shorter (an empty body is dropped before this)."""
    stored, fetched = len(stored_text.strip()), len(fetched_text.strip())
    return fetched < SHRINK_SHARE * stored and stored - fetched > SHRINK_CHARS


def hold(
    conn: Connection, article_id: int, values: dict[str, Any], definition: str | None, now: datetime
) -> HoldResult:
    """Keep ``values`` as the article's pending revision instead of applying them.

    "confirmed" when the pending revision already held this content since at least
    :data:`CONFIRM_AFTER` (the caller may then apply it); a different content starts the
    wait again.
    """
    table = pending_revisions.c
    old = conn.execute(
        select(table.content_hash, table.first_fetched).where(table.article_id == article_id)
    ).first()
    row = {**{name: values[name] for name in _HELD_FIELDS}, "definition": definition}
    if old is not None and old.content_hash == values["content_hash"]:
        conn.execute(
            pending_revisions.update()
            .where(table.article_id == article_id)
            .values(last_fetched=now, **row)
        )
        return "confirmed" if now - old.first_fetched >= CONFIRM_AFTER else "held"
    if old is not None:
        discard(conn, article_id)
    conn.execute(
        pending_revisions.insert().values(
            article_id=article_id, first_fetched=now, last_fetched=now, **row
        )
    )
    return "held"


def discard(conn: Connection, article_id: int) -> None:
    """Forget the article's pending revision (a later fetch contradicted it)."""
    conn.execute(pending_revisions.delete().where(pending_revisions.c.article_id == article_id))


def add_revision(
    conn: Connection, article_id: int, values: dict[str, Any], definition: str | None, now: datetime
) -> None:
    """Append ``values`` as the article's next revision, extracted by ``definition``."""
    last = conn.execute(
        select(func.max(revisions.c.revision)).where(revisions.c.article_id == article_id)
    ).scalar()
    conn.execute(
        revisions.insert().values(
            article_id=article_id,
            revision=(last or 0) + 1,
            fetched=now,
            title=values["title"],
            content_html=values["content_html"],
            content_text=values["content_text"],
            content_hash=values["content_hash"],
            published=values["published"],
            definition=definition,
        )
    )


_HELD_FIELDS = (
    "title",
    "title_source",
    "summary",
    "content_html",
    "content_text",
    "published",
    "date_source",
    "images",
    "author",
    "content_hash",
)


class RevisionsMixin:
    """Revisions and held ones: what ``history`` and ``status`` show, and confirmation."""

    engine: Any

    def _apply_update(
        self,
        conn: Connection,
        old: Any,
        values: dict[str, Any],
        definition: str | None,
        now: datetime,
    ) -> bool:
        """Write a fetch of a known article (the archive's own, in ``store``)."""
        raise NotImplementedError

    def revisions(self, key: str) -> list[dict[str, Any]]:
        """Every version of an article, oldest first (each with its ``definition``)."""
        query = (
            select(revisions)
            .join(articles, articles.c.id == revisions.c.article_id)
            .where(articles.c.key == key)
            .order_by(revisions.c.revision)
        )
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def pending_revision(self, key: str) -> dict[str, Any] | None:
        """The fetch of ``key`` held back, with ``confirm_from`` (when a fetch giving the
        same content makes it the revision), or None."""
        query = (
            select(pending_revisions)
            .join(articles, articles.c.id == pending_revisions.c.article_id)
            .where(articles.c.key == key)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return None
        return dict(row) | {"confirm_from": row["first_fetched"] + CONFIRM_AFTER}

    def held_by_portal(self) -> dict[str, tuple[int, datetime]]:
        """Portal → (how many of its articles have a held revision, the oldest's time)."""
        query = (
            select(
                articles.c.portal,
                func.count(),
                func.min(pending_revisions.c.first_fetched),
            )
            .join(articles, articles.c.id == pending_revisions.c.article_id)
            .group_by(articles.c.portal)
            .order_by(articles.c.portal)
        )
        with self.engine.connect() as conn:
            return {portal: (count, oldest) for portal, count, oldest in conn.execute(query)}

    def apply_pending(self, keys: list[str], now: datetime) -> int:
        """Make the held revisions of ``keys`` that are due (confirmed by a fetch at least
        :data:`CONFIRM_AFTER` after they were first seen) the articles' revisions."""
        applied = 0
        for key in keys:
            with self.engine.begin() as conn:
                old = conn.execute(select(articles).where(articles.c.key == key)).mappings().first()
                if old is None:
                    continue
                held = (
                    conn.execute(
                        select(pending_revisions).where(
                            pending_revisions.c.article_id == old["id"],
                            pending_revisions.c.first_fetched <= now - CONFIRM_AFTER,
                        )
                    )
                    .mappings()
                    .first()
                )
                if held is None:
                    continue
                values = {name: held[name] for name in _HELD_FIELDS}
                self._apply_update(conn, old, values, held["definition"], now)
                discard(conn, old["id"])
                applied += 1
        return applied
