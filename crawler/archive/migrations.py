"""Schema versions: a fresh archive is created at the current version; an older one is
upgraded in place by the ordered migrations, each in the same transaction as its stamp."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, func, inspect, literal, select, text

from crawler.archive.schema import metadata, schema_version

#: The schema version this code writes.
SCHEMA_VERSION = 12


def _v2_runs_and_health(conn: Connection) -> None:
    """Version 2: runs, per-portal run results, listing validators, portal health."""
    from crawler.archive import schema

    for table in (
        schema.runs,
        schema.run_portals,
        schema.listing_state,
        schema.section_state,
        schema.portal_health,
        schema.health_events,
    ):
        table.create(conn)


def _v3_revisions_and_removals(conn: Connection) -> None:
    """Version 3: ``articles.removed`` and ``revisions``, with each article's current text
    as its first revision."""
    from crawler.archive import schema

    conn.execute(text("ALTER TABLE articles ADD COLUMN removed VARCHAR(32)"))
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "ALTER TABLE articles ALTER COLUMN removed TYPE TIMESTAMP WITH TIME ZONE "
                "USING removed::timestamptz"
            )
        )
    schema.revisions.create(conn)
    articles = schema.articles
    conn.execute(
        schema.revisions.insert().from_select(
            ["article_id", "revision", "fetched", "title", "content_html", "content_text",
             "content_hash", "published"],
            select(
                articles.c.id, literal(1), articles.c.updated, articles.c.title,
                articles.c.content_html, articles.c.content_text, articles.c.content_hash,
                articles.c.published,
            ),
        )
    )  # fmt: skip


def _v4_search_index(conn: Connection) -> None:
    """Version 4: the full-text index over folded text (FTS5 on SQLite, a tsvector table
    with a GIN index on PostgreSQL)."""
    from crawler.archive.search import create_index

    create_index(conn)


def _v5_attachments(conn: Connection) -> None:
    """Version 5: documents linked from articles (by SHA-256) and which article links which."""
    from crawler.archive import schema

    schema.attachments.create(conn)
    schema.article_attachments.create(conn)


def _v6_month_view(conn: Connection) -> None:
    """Version 6: ``article_months``, articles with the month they belong to (``2024-06``),
    for browsing by month (a facet in Datasette)."""
    if conn.dialect.name == "postgresql":
        month = "to_char(sort_time AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM')"
    else:
        month = "substr(sort_time, 1, 7)"  # ISO 8601 text in +07:00
    conn.execute(
        text(
            "CREATE VIEW article_months AS SELECT id, key, portal, section, title, url, "
            f"published, {month} AS month FROM articles"
        )
    )


def _v7_retries(conn: Connection) -> None:
    """Version 7: ``dropped.key`` and ``dropped.listed`` (what a retry from the archive
    asks for) and ``document_links`` (the documents each stored article links to)."""
    from crawler.archive import schema

    conn.execute(text('ALTER TABLE dropped ADD COLUMN "key" VARCHAR(255)'))
    conn.execute(text("ALTER TABLE dropped ADD COLUMN listed JSON"))
    schema.document_links.create(conn)


def _v8_held_revisions(conn: Connection) -> None:
    """Version 8: ``revisions.definition`` (the portal definition's digest; unknown for
    older revisions) and ``pending_revisions``, fetches held back as a drastic shrink.

    An archive upgraded from before version 3 got ``revisions`` from the current schema,
    so with the column already."""
    from crawler.archive import schema

    if "definition" not in {c["name"] for c in inspect(conn).get_columns("revisions")}:
        conn.execute(text("ALTER TABLE revisions ADD COLUMN definition VARCHAR(64)"))
    schema.pending_revisions.create(conn)


def _v9_edit_time_index(conn: Connection) -> None:
    """Version 9: an index on ``articles.updated``, which feeds look articles up by (an
    archive whose articles table came from a newer schema has it already)."""
    from crawler.archive import schema

    index = next(i for i in schema.articles.indexes if i.name == "ix_articles_updated")
    index.create(conn, checkfirst=True)


def _v10_health_streaks_and_resumes(conn: Connection) -> None:
    """Version 10: ``portal_health`` counts consecutive failed crawls (a portal is failing
    from the second) and dead ones (retried on a backoff); ``walk_resume``, where walks cut
    short go on from. A portal failing before the upgrade counts one failed crawl. An
    archive whose tables came from a newer schema (upgraded from before version 2) has
    the columns, or the table, already."""
    from crawler.archive import schema

    present = {c["name"] for c in inspect(conn).get_columns("portal_health")}
    stamp = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "VARCHAR(32)"
    added = {
        "failures": "INTEGER NOT NULL DEFAULT 0",
        "dead_runs": "INTEGER NOT NULL DEFAULT 0",
        "unreachable_since": stamp,
    }
    for column, kind in added.items():
        if column not in present:
            conn.execute(text(f"ALTER TABLE portal_health ADD COLUMN {column} {kind}"))
    conn.execute(text("UPDATE portal_health SET failures = 1 WHERE status != 'ok'"))
    schema.walk_resume.create(conn, checkfirst=True)


def _v11_section_slugs(conn: Connection) -> None:
    """Version 11: ``section_slugs``, every slug a portal's sections have had. The slugs
    an older archive knows (its portals' sections, and those its articles are filed
    under) count as published, their paths unknown until the next crawl records them."""
    from crawler.archive import schema

    schema.section_slugs.create(conn)
    known: dict[tuple[str, str], str] = {}
    for name, sections in conn.execute(select(schema.portals.c.name, schema.portals.c.sections)):
        for slug, title in dict(sections).items():
            known[(name, slug)] = title
    articles = schema.articles.c
    filed = select(articles.portal, articles.section).where(articles.section.is_not(None))
    for portal, slug in conn.execute(filed.distinct()):
        known.setdefault((portal, slug), slug)
    rows = [
        {"portal": portal, "slug": slug, "title": title, "path": None, "published": True}
        for (portal, slug), title in sorted(known.items())
    ]
    if rows:
        conn.execute(schema.section_slugs.insert(), rows)


def _v12_portal_changes(conn: Connection) -> None:
    """Version 12: the per-portal change counter builds skip unchanged portals by (every
    portal starts unknown, so the first build after the upgrade reads them all)."""
    from crawler.archive import schema

    schema.portal_changes.create(conn)


#: ``MIGRATIONS[n]`` upgrades an archive at version ``n - 1`` to version ``n``.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    2: _v2_runs_and_health,
    3: _v3_revisions_and_removals,
    4: _v4_search_index,
    5: _v5_attachments,
    6: _v6_month_view,
    7: _v7_retries,
    8: _v8_held_revisions,
    9: _v9_edit_time_index,
    10: _v10_health_streaks_and_resumes,
    11: _v11_section_slugs,
    12: _v12_portal_changes,
}


class SchemaError(RuntimeError):
    """The archive cannot be used by this version of tinmoi."""


def current_version(conn: Connection) -> int | None:
    """The archive's schema version, or None for an empty database."""
    if not inspect(conn).has_table(schema_version.name):
        return None
    return conn.execute(select(func.max(schema_version.c.version))).scalar()


def migrate(conn: Connection, now: datetime) -> int:
    """Bring the archive behind ``conn`` to :data:`SCHEMA_VERSION`; return the old version."""
    version = current_version(conn)
    if version is None:
        metadata.create_all(conn)
        _v4_search_index(conn)  # what the schema's tables cannot declare
        _v6_month_view(conn)
        conn.execute(schema_version.insert().values(version=SCHEMA_VERSION, applied=now))
        return 0
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"the archive has schema version {version}, newer than this tinmoi knows "
            f"({SCHEMA_VERSION}): upgrade tinmoi"
        )
    for target in sorted(v for v in MIGRATIONS if v > version):
        MIGRATIONS[target](conn)
        conn.execute(schema_version.insert().values(version=target, applied=now))
    return version
