"""The archive's schema, defined once (SQLAlchemy Core) for SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from crawler.archive.types import AwareDateTime

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied", AwareDateTime, nullable=False),
)

portals = Table(
    "portals",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("province", Text, nullable=False),
    Column("platform", String(64), nullable=False),
    Column("base_url", Text, nullable=False),
    Column("sections", JSON, nullable=False),
    Column("updated", AwareDateTime, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(255), nullable=False, unique=True),
    Column("portal", String(64), nullable=False),
    Column("section", String(128)),
    Column("url", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("title_source", String(16), nullable=False),
    Column("summary", Text, nullable=False),
    Column("content_html", Text, nullable=False),
    Column("content_text", Text, nullable=False),
    Column("published", AwareDateTime),
    Column("date_source", String(16)),
    Column("images", JSON, nullable=False),
    Column("author", Text),
    Column("content_hash", String(64), nullable=False),
    Column("list_position", Integer),
    Column("first_seen", AwareDateTime, nullable=False),
    Column("last_seen", AwareDateTime, nullable=False),
    Column("updated", AwareDateTime, nullable=False),
    # Feed order: published, else first_seen (an undated article never pretends to be new).
    Column("sort_time", AwareDateTime, nullable=False),
    # Version 3: when the portal first answered 404/410 for it (it is never deleted).
    Column("removed", AwareDateTime),
)
Index("ix_articles_portal_sort", articles.c.portal, articles.c.sort_time)
Index("ix_articles_section_sort", articles.c.portal, articles.c.section, articles.c.sort_time)
Index("ix_articles_sort", articles.c.sort_time)
# Version 9: edit times, which feeds look articles up by to break ties.
Index("ix_articles_updated", articles.c.updated)

dropped = Table(
    "dropped",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("portal", String(64), nullable=False),
    Column("url", Text, nullable=False),
    Column("reason", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Column("first_seen", AwareDateTime, nullable=False),
    Column("last_seen", AwareDateTime, nullable=False),
    Column("times", Integer, nullable=False),
    # Version 7: the article key (an article's, or the one linking a document) and, for an
    # article, its listing entry: what asking for it again from the archive needs.
    Column("key", String(255)),
    Column("listed", JSON),
    UniqueConstraint("portal", "url", name="uq_dropped_portal_url"),
)

# Version 2: scheduled runs, conditional GET state and portal health.

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started", AwareDateTime, nullable=False),
    Column("finished", AwareDateTime),
    Column("status", String(16), nullable=False),  # running, ok, failing, error, stopped, killed
    Column("exit_code", Integer),
    Column("host", Text, nullable=False),
    Column("pid", Integer, nullable=False),
)

run_portals = Table(
    "run_portals",
    metadata,
    Column("run_id", Integer, nullable=False),
    Column("portal", String(64), nullable=False),
    Column("started", AwareDateTime, nullable=False),
    Column("finished", AwareDateTime, nullable=False),
    Column("status", String(16), nullable=False),  # ok, failing, dead, skipped
    Column("message", Text, nullable=False),
    Column("requests", Integer, nullable=False),
    Column("not_modified", Integer, nullable=False),
    Column("new", Integer, nullable=False),
    Column("updated", Integer, nullable=False),
    Column("revisited", Integer, nullable=False),
    Column("dropped", JSON, nullable=False),
    Column("errors", Integer, nullable=False),
    UniqueConstraint("run_id", "portal", name="uq_run_portals"),
)

listing_state = Table(
    "listing_state",
    metadata,
    Column("portal", String(64), nullable=False),
    Column("url", Text, nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("updated", AwareDateTime, nullable=False),
    UniqueConstraint("portal", "url", name="uq_listing_state"),
)

section_state = Table(
    "section_state",
    metadata,
    Column("portal", String(64), nullable=False),
    Column("section", String(128), nullable=False),
    # Keys of the first listing page at the last clean crawl: where the next walk may stop.
    Column("stop_keys", JSON, nullable=False),
    Column("updated", AwareDateTime, nullable=False),
    UniqueConstraint("portal", "section", name="uq_section_state"),
)

# Version 10: where a walk cut by --max-pages or a time limit resumes.
walk_resume = Table(
    "walk_resume",
    metadata,
    Column("portal", String(64), nullable=False),
    Column("section", String(128), nullable=False),
    # Keys of the first listing page of the walk that was cut: where the next walk from
    # the first page may stop, the rest being below it.
    Column("start_keys", JSON, nullable=False),
    # The listing page after the deepest one whose articles were all archived: where the
    # next walk goes on from.
    Column("next_url", Text, nullable=False),
    Column("next_page", Integer, nullable=False),
    Column("updated", AwareDateTime, nullable=False),
    UniqueConstraint("portal", "section", name="uq_walk_resume"),
)

portal_health = Table(
    "portal_health",
    metadata,
    Column("portal", String(64), primary_key=True),
    Column("status", String(16), nullable=False),  # ok, failing, unreachable
    Column("since", AwareDateTime, nullable=False),
    Column("reason", Text, nullable=False),
    Column("last_ok", AwareDateTime),
    # Version 10: the consecutive crawls that failed (failing or dead), those of them that
    # were dead (no listing page fetched), and when the first of those was.
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("dead_runs", Integer, nullable=False, server_default="0"),
    Column("unreachable_since", AwareDateTime),
)

health_events = Table(
    "health_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("portal", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("at", AwareDateTime, nullable=False),
    Column("reason", Text, nullable=False),
)

# Version 3: every version of every article.

revisions = Table(
    "revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("fetched", AwareDateTime, nullable=False),
    Column("title", Text, nullable=False),
    Column("content_html", Text, nullable=False),
    Column("content_text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("published", AwareDateTime),
    # Version 8: the digest of the portal definition that extracted it (None before).
    Column("definition", String(64)),
    UniqueConstraint("article_id", "revision", name="uq_revisions"),
)

# Version 5: documents linked from articles, stored once by content.

attachments = Table(
    "attachments",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("content_type", String(255), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("text", Text, nullable=False),
    Column("first_seen", AwareDateTime, nullable=False),
)

article_attachments = Table(
    "article_attachments",
    metadata,
    Column("key", String(255), nullable=False),
    Column("url", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("first_seen", AwareDateTime, nullable=False),
    UniqueConstraint("key", "url", name="uq_article_attachments"),
)

# Version 7: every document an archived article links to, fetched or not yet.

document_links = Table(
    "document_links",
    metadata,
    Column("portal", String(64), nullable=False),
    Column("key", String(255), nullable=False),
    Column("url", Text, nullable=False),
    Column("first_seen", AwareDateTime, nullable=False),
    UniqueConstraint("key", "url", name="uq_document_links"),
)
Index("ix_document_links_portal", document_links.c.portal)

# Version 8: fetches held back because their body shrank drastically (one per article).

pending_revisions = Table(
    "pending_revisions",
    metadata,
    Column("article_id", Integer, primary_key=True, autoincrement=False),
    Column("first_fetched", AwareDateTime, nullable=False),
    Column("last_fetched", AwareDateTime, nullable=False),
    Column("title", Text, nullable=False),
    Column("title_source", String(16), nullable=False),
    Column("summary", Text, nullable=False),
    Column("content_html", Text, nullable=False),
    Column("content_text", Text, nullable=False),
    Column("published", AwareDateTime),
    Column("date_source", String(16)),
    Column("images", JSON, nullable=False),
    Column("author", Text),
    Column("content_hash", String(64), nullable=False),
    Column("definition", String(64)),
)

# Version 11: every slug a portal's sections have had, with the listing it names.

section_slugs = Table(
    "section_slugs",
    metadata,
    Column("portal", String(64), nullable=False),
    Column("slug", String(128), nullable=False),
    Column("title", Text, nullable=False),
    # The section's listing path as its definition gave it (NULL: not recorded since).
    Column("path", Text),
    # Whether a build has published the slug's folder: it is kept from then on.
    Column("published", Boolean, nullable=False),
    UniqueConstraint("portal", "slug", name="uq_section_slugs"),
)

# A counter per portal, moved by every write a feed of the portal is rendered from (its
# articles, their attachments, the portal's description and section slugs): a build
# re-reads only the portals whose counter moved since it last published them.
portal_changes = Table(
    "portal_changes",
    metadata,
    Column("portal", String(64), primary_key=True),
    Column("seq", Integer, nullable=False),
)
