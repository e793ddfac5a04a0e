"""Per-portal change counters: every write a portal's feeds are rendered from moves its
counter in the same transaction, so a build can tell an unchanged portal without reading
its articles (:mod:`feeds.reuse`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from crawler.archive.schema import portal_changes


def touch(conn: Connection, portal: str) -> None:
    """Move ``portal``'s change counter (in the caller's transaction)."""
    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(portal_changes).values(portal=portal, seq=1)
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=["portal"], set_={"seq": portal_changes.c.seq + 1}
        )
    )


class ChangesMixin:
    """Methods of :class:`~crawler.archive.Archive` for change counters."""

    engine: Engine

    def change_marks(self) -> dict[str, int]:
        """Each portal's change counter (a portal never written since the counters came
        in is left out)."""
        with self.engine.connect() as conn:
            return dict(conn.execute(select(portal_changes.c.portal, portal_changes.c.seq)).all())
