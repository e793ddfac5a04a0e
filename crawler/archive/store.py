"""The storage interface every other part uses: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, cast

from sqlalchemy import Connection, Engine, create_engine, event, make_url, select
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from crawler.archive.attachments import AttachmentsMixin
from crawler.archive.changes import ChangesMixin, touch
from crawler.archive.dropped import DroppedMixin
from crawler.archive.health import HealthMixin
from crawler.archive.migrations import SchemaError, migrate
from crawler.archive.reads import ReadsMixin
from crawler.archive.revisions import RevisionsMixin, add_revision, discard, drastic_shrink, hold
from crawler.archive.runs import RunsMixin
from crawler.archive.schema import (
    articles,
    portals,
)
from crawler.archive.search import Hit, reindex, search_postgres, search_sqlite, snippet
from crawler.archive.sections import SectionsMixin
from crawler.archive.types import AwareDateTime, no_nul
from crawler.errors import TinmoiError
from crawler.items import Article

UpsertResult = Literal["new", "updated", "unchanged", "held", "confirmed"]
DEFAULT_DB = "var/tinmoi.sqlite3"


class ArchiveError(TinmoiError):
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


class Archive(
    ReadsMixin,
    AttachmentsMixin,
    DroppedMixin,
    RevisionsMixin,
    RunsMixin,
    HealthMixin,
    SectionsMixin,
    ChangesMixin,
):
    """Every article and dropped URL ever seen, and the state of scheduled runs.

    All writes are transactions: a process killed at any moment leaves it consistent.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(
        cls, db: str | os.PathLike[str], *, now: datetime, pool: tuple[int, int] | None = None
    ) -> Archive:
        """Open (creating or upgrading) the archive at ``db``, a path or SQLAlchemy URL;
        ``pool`` bounds its connections (kept, and opened beyond them at most)."""
        url = database_url(db)
        sizes = {"pool_size": pool[0], "max_overflow": pool[1]} if pool else {}
        try:
            if url.startswith("sqlite:///"):
                path = Path(url.removeprefix("sqlite:///"))
                path.parent.mkdir(parents=True, exist_ok=True)
                engine = create_engine(url, **sizes)
                event.listen(engine, "connect", _sqlite_pragmas)
            else:
                engine = create_engine(url, pool_pre_ping=True, **sizes)
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
            old = (
                conn.execute(select(portals).where(portals.c.name == info.name)).mappings().first()
            )
            if old is None:
                conn.execute(portals.insert().values(name=info.name, **values))
            else:
                conn.execute(portals.update().where(portals.c.name == info.name).values(**values))
            if old is None or any(old[k] != v for k, v in values.items() if k != "updated"):
                touch(conn, info.name)

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
        values = {name: no_nul(getattr(article, name)) for name in _CONTENT_FIELDS}
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
                primary_key = inserted.inserted_primary_key
                assert primary_key is not None  # an insert has one
                new_id = primary_key[0]
                add_revision(conn, new_id, values, definition, now)
                reindex(conn, new_id, article.key, values["title"], values["content_text"])
                touch(conn, article.portal)
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
            touch(conn, old["portal"])
        if values["content_hash"] != old["content_hash"]:
            add_revision(conn, old["id"], values, definition, now)
            reindex(conn, old["id"], old["key"], values["title"], values["content_text"])
        conn.execute(articles.update().where(articles.c.id == old["id"]).values(**update))
        return bool(changed)

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
        published = cast(AwareDateTime, articles.c.published.type)  # as the schema declares it
        return [
            Hit(
                key=row["key"],
                portal=row["portal"],
                url=row["url"],
                title=row["title"],
                published=published.process_result_value(row["published"], self.engine.dialect),
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
