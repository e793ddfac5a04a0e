"""The storage interface every other part uses: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, Engine, create_engine, desc, event, func, make_url, select
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from crawler.archive.migrations import SchemaError, migrate
from crawler.archive.revisions import RevisionsMixin, add_revision, discard, drastic_shrink, hold
from crawler.archive.runs import RunsMixin
from crawler.archive.schema import (
    article_attachments,
    articles,
    attachments,
    dropped,
    portals,
)
from crawler.archive.search import Hit, index_article, search_postgres, search_sqlite, snippet
from crawler.items import Article

UpsertResult = Literal["new", "updated", "unchanged", "held", "confirmed"]
AttachmentResult = Literal["new", "known", "orphan"]
DEFAULT_DB = "var/tinmoi.sqlite3"
#: How many times one query of :meth:`Archive.at_times` asks (twice each: 800 parameters).
TIMES_PER_QUERY = 400


class ArchiveError(RuntimeError):
    """The archive cannot be opened or written (bad URL, unwritable path, newer schema)."""


@dataclass(frozen=True)
class PortalInfo:
    """What feeds need to know of a portal, recorded by its crawls."""

    name: str
    title: str
    province: str
    platform: str
    base_url: str
    sections: dict[str, str] = field(default_factory=dict)


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


def database_url(db: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL for ``db``: a URL as it is (``postgresql://`` with psycopg 3), a file
    path as a SQLite URL."""
    text = os.fspath(db)
    for plain in ("postgresql://", "postgres://"):
        if text.startswith(plain):  # psycopg 3, not SQLAlchemy's default psycopg2
            return "postgresql+psycopg://" + text.removeprefix(plain)
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).expanduser().resolve())


def shown(db: str | os.PathLike[str]) -> str:
    """``db`` for messages: a URL's password masked."""
    text = os.fspath(db)
    if "://" not in text:
        return text
    try:
        return make_url(text).render_as_string(hide_password=True)
    except ArgumentError:
        return text.split("://", 1)[0] + "://…"


def one_line(error: object) -> str:
    """A driver's error message on one line (psycopg's span several)."""
    return "; ".join(line.strip() for line in str(error).strip().splitlines() if line.strip())


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


_CONTENT_FIELDS = (
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


class Archive(RevisionsMixin, RunsMixin):
    """Every article and dropped URL ever seen, and the state of scheduled runs.

    All writes are transactions: a process killed at any moment leaves it consistent.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, db: str | os.PathLike[str], *, now: datetime) -> Archive:
        """Open (creating or upgrading) the archive at ``db``, a path or SQLAlchemy URL."""
        url = database_url(db)
        try:
            if url.startswith("sqlite:///"):
                path = Path(url.removeprefix("sqlite:///"))
                path.parent.mkdir(parents=True, exist_ok=True)
                engine = create_engine(url)
                event.listen(engine, "connect", _sqlite_pragmas)
            else:
                engine = create_engine(url, pool_pre_ping=True)
            with engine.begin() as conn:
                migrate(conn, now)
        except SchemaError as exc:
            raise ArchiveError(str(exc)) from exc
        except ImportError as exc:
            raise ArchiveError(
                f"cannot open the archive {db}: its database driver is not installed ({exc.name})"
            ) from exc
        except (OSError, ArgumentError, OperationalError, SQLAlchemyError) as exc:
            reason = one_line(getattr(exc, "orig", None) or exc)
            raise ArchiveError(f"cannot open the archive {shown(db)}: {reason}") from exc
        return cls(engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Portals ---------------------------------------------------------------------------

    def upsert_portal(self, info: PortalInfo, now: datetime) -> None:
        """Record or refresh a portal's description."""
        values = {
            "title": info.title,
            "province": info.province,
            "platform": info.platform,
            "base_url": info.base_url,
            "sections": dict(info.sections),
            "updated": now,
        }
        with self.engine.begin() as conn:
            done = conn.execute(
                portals.update().where(portals.c.name == info.name).values(**values)
            ).rowcount
            if not done:
                conn.execute(portals.insert().values(name=info.name, **values))

    def portals(self) -> list[PortalInfo]:
        """Every portal that was ever crawled into this archive, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(portals).order_by(portals.c.name)).mappings().all()
        return [
            PortalInfo(
                name=r["name"],
                title=r["title"],
                province=r["province"],
                platform=r["platform"],
                base_url=r["base_url"],
                sections=dict(r["sections"]),
            )
            for r in rows
        ]

    # Articles --------------------------------------------------------------------------

    def upsert_article(
        self, article: Article, now: datetime, definition: str | None = None
    ) -> UpsertResult:
        """Insert a new article or update a known one (same key); never duplicate.

        The first URL and section an article was seen under stay its own, so feed links
        do not change. A known date is never replaced by no date, nor by a relative or
        year-less one (the first sighting of "2 giờ trước" is the most precise). A fetch
        whose body shrank drastically is held, not applied ("held"; "confirmed" once a
        fetch at least 6 h later gives it again: see :meth:`apply_pending`). Each new
        revision records ``definition``, the digest of the portal definition that
        extracted it.
        """
        values = {name: _no_nul(getattr(article, name)) for name in _CONTENT_FIELDS}
        with self.engine.begin() as conn:
            old = (
                conn.execute(select(articles).where(articles.c.key == article.key))
                .mappings()
                .first()
            )
            if old is None:
                inserted = conn.execute(
                    articles.insert().values(
                        key=article.key,
                        portal=article.portal,
                        section=article.section,
                        url=article.url,
                        list_position=article.list_position,
                        first_seen=now,
                        last_seen=now,
                        updated=now,
                        sort_time=article.published or now,
                        **values,
                    )
                )
                new_id = inserted.inserted_primary_key[0]
                add_revision(conn, new_id, values, definition, now)
                _index(conn, new_id, article.key, values["title"], values["content_text"])
                return "new"
            if values["published"] is None or (
                article.date_relative and old["published"] is not None
            ):
                values["published"] = old["published"]
                values["date_source"] = old["date_source"]
            if values["content_hash"] != old["content_hash"] and drastic_shrink(
                old["content_text"], values["content_text"]
            ):
                seen = {"last_seen": now, "removed": None}
                conn.execute(articles.update().where(articles.c.id == old["id"]).values(**seen))
                return hold(conn, old["id"], values, definition, now)
            discard(conn, old["id"])
            changed = self._apply_update(conn, old, values, definition, now)
            return "updated" if changed else "unchanged"

    def _apply_update(
        self,
        conn: Connection,
        old: Any,
        values: dict[str, Any],
        definition: str | None,
        now: datetime,
    ) -> bool:
        """Write a fetch of a known article (a new revision when its content changed);
        True when any field changed."""
        changed = {k: v for k, v in values.items() if old[k] != v}
        update: dict[str, Any] = {"last_seen": now, "removed": None}
        if changed:
            update |= changed | {"updated": now}
            update["sort_time"] = values["published"] or old["first_seen"]
        if values["content_hash"] != old["content_hash"]:
            add_revision(conn, old["id"], values, definition, now)
            _index(conn, old["id"], old["key"], values["title"], values["content_text"])
        conn.execute(articles.update().where(articles.c.id == old["id"]).values(**update))
        return bool(changed)

    # Attachments -----------------------------------------------------------------------

    def add_attachment(
        self, article_key: str, url: str, content_type: str, body: bytes, text: str, now: datetime
    ) -> AttachmentResult:
        """Keep a document ``article_key`` links to at ``url``: its content once (by
        SHA-256), the link once per article and URL, its text in the article's search entry.

        "known" when the article already linked this very content there; "orphan" (nothing
        stored) when the archive does not hold the article.
        """
        digest = hashlib.sha256(body).hexdigest()
        with self.engine.begin() as conn:
            article = conn.execute(
                select(articles.c.id, articles.c.title, articles.c.content_text).where(
                    articles.c.key == article_key
                )
            ).first()
            if article is None:
                return "orphan"
            stored = conn.execute(
                select(attachments.c.sha256).where(attachments.c.sha256 == digest)
            ).first()
            if stored is None:
                conn.execute(
                    attachments.insert().values(
                        sha256=digest,
                        content_type=content_type,
                        size=len(body),
                        content=body,
                        text=_no_nul(text),
                        first_seen=now,
                    )
                )
            link = article_attachments.c
            old = conn.execute(
                select(link.sha256).where(link.key == article_key, link.url == url)
            ).first()
            if old is not None and old[0] == digest:
                return "known"
            if old is None:
                conn.execute(
                    article_attachments.insert().values(
                        key=article_key, url=url, sha256=digest, first_seen=now
                    )
                )
            else:  # the portal replaced the document at the same URL
                conn.execute(
                    article_attachments.update()
                    .where(link.key == article_key, link.url == url)
                    .values(sha256=digest)
                )
            _index(conn, article.id, article_key, article.title, article.content_text)
            return "new"

    def attachments_of(self, key: str) -> list[dict[str, Any]]:
        """The documents an article links to, by URL: url, sha256, content_type, size."""
        query = (
            select(
                article_attachments.c.url,
                attachments.c.sha256,
                attachments.c.content_type,
                attachments.c.size,
            )
            .join(attachments, attachments.c.sha256 == article_attachments.c.sha256)
            .where(article_attachments.c.key == key)
            .order_by(article_attachments.c.url)
        )
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def attachment(self, sha256: str) -> dict[str, Any] | None:
        """A stored document by its SHA-256: content_type, size, content, text."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(attachments).where(attachments.c.sha256 == sha256))
                .mappings()
                .first()
            )
        return dict(row) if row else None

    def search(
        self,
        query: str,
        *,
        portal: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 20,
    ) -> list[Hit]:
        """Articles matching every word of ``query``, insensitive to diacritics, best first."""
        backend = search_postgres if self.engine.dialect.name == "postgresql" else search_sqlite
        with self.engine.connect() as conn:
            rows = backend(conn, query, portal=portal, since=since, until=until, limit=limit)
        return [
            Hit(
                key=row["key"],
                portal=row["portal"],
                url=row["url"],
                title=row["title"],
                published=articles.c.published.type.process_result_value(
                    row["published"], self.engine.dialect
                ),
                snippet=snippet(row["content_text"], query),
            )
            for row in rows
        ]

    def mark_removed(self, key: str, now: datetime) -> bool:
        """Mark an archived article as taken down (404/410) the first time it is seen gone;
        False when the archive does not hold it."""
        with self.engine.begin() as conn:
            found = conn.execute(
                articles.update()
                .where(articles.c.key == key, articles.c.removed.is_(None))
                .values(removed=now)
            ).rowcount
            if found:
                return True
            known = conn.execute(select(articles.c.id).where(articles.c.key == key)).first()
            return known is not None

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

    # Dropped URLs ----------------------------------------------------------------------

    def record_dropped(
        self,
        portal: str,
        url: str,
        reason: str,
        detail: str,
        now: datetime,
        *,
        key: str | None = None,
        listed: dict[str, Any] | None = None,
    ) -> None:
        """Remember that ``url`` gave no usable article, and why (with the article key and
        listing entry, when known, so a passing failure can be asked for again)."""
        known = {"key": key} if key is not None else {}
        if listed is not None:
            known["listed"] = {name: _no_nul(value) for name, value in listed.items()}
        with self.engine.begin() as conn:
            done = conn.execute(
                dropped.update()
                .where(dropped.c.portal == portal, dropped.c.url == url)
                .values(
                    reason=reason,
                    detail=_no_nul(detail),
                    last_seen=now,
                    times=dropped.c.times + 1,
                    **known,
                )
            ).rowcount
            if not done:
                conn.execute(
                    dropped.insert().values(
                        portal=portal,
                        url=url,
                        reason=reason,
                        detail=_no_nul(detail),
                        first_seen=now,
                        last_seen=now,
                        times=1,
                        **known,
                    )
                )

    def dropped(self, portal: str | None = None) -> list[dict[str, Any]]:
        """Dropped URLs with their reasons, by portal and URL."""
        query = select(dropped).order_by(dropped.c.portal, dropped.c.url)
        if portal is not None:
            query = query.where(dropped.c.portal == portal)
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]


def _no_nul(value: Any) -> Any:
    """``value`` without NUL characters: PostgreSQL text cannot hold them (and they mean
    nothing in an article), so both backends store the same text."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_no_nul(item) for item in value]
    return value


def _index(conn: Any, article_id: int, key: str, title: str, body: str) -> None:
    """(Re-)index an article with the text of the documents it links to."""
    texts = conn.execute(
        select(attachments.c.text)
        .join(article_attachments, article_attachments.c.sha256 == attachments.c.sha256)
        .where(article_attachments.c.key == key, attachments.c.text != "")
        .order_by(article_attachments.c.url)
    ).scalars()
    index_article(conn, article_id, title, "\n".join([body, *texts]))


def _article(row: Any) -> ArchivedArticle:
    return ArchivedArticle(**{name: row[name] for name in ArchivedArticle.__dataclass_fields__})
