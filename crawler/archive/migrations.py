"""Schema versions: a fresh archive is created at the current version; an older one is
upgraded in place by the ordered migrations, each in the same transaction as its stamp."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, func, inspect, select

from crawler.archive.schema import metadata, schema_version

#: The schema version this code writes.
SCHEMA_VERSION = 2


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


#: ``MIGRATIONS[n]`` upgrades an archive at version ``n - 1`` to version ``n``.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {2: _v2_runs_and_health}


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
        conn.execute(schema_version.insert().values(version=SCHEMA_VERSION, applied=now))
        return 0
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"the archive has schema version {version}, newer than this tinmoi knows "
            f"({SCHEMA_VERSION}): upgrade tinmoi"
        )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[target](conn)
        conn.execute(schema_version.insert().values(version=target, applied=now))
    return version
