"""Portal health in the archive: each portal's state, its changes, and robots.txt verdicts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, desc, func, select

from crawler.archive.schema import articles, health_events, portal_health, run_portals

#: In a run's ``dropped`` counts, a section whose listing robots.txt forbade.
FORBIDDEN_PREFIX = "robots.txt/"


class HealthMixin:
    """Methods of :class:`~crawler.archive.Archive` for portal health."""

    engine: Engine

    def forbidden_again(self, portal: str, sections: Iterable[str]) -> dict[str, int]:
        """Of ``sections`` (robots.txt forbade their listing in this run), those that the
        portal's previous crawl could not reach either (its ``dropped`` counts hold
        ``robots.txt/<section>``) and that hold archived articles, with how many."""
        previous = (
            select(run_portals.c.dropped)
            .where(run_portals.c.portal == portal, run_portals.c.status.in_(("ok", "failing")))
            .order_by(desc(run_portals.c.run_id))
            .limit(1)
        )
        with self.engine.connect() as conn:
            before = conn.execute(previous).scalar() or {}
            again = [s for s in sections if f"{FORBIDDEN_PREFIX}{s}" in before]
            if not again:
                return {}
            counts = (
                select(articles.c.section, func.count())
                .where(articles.c.portal == portal, articles.c.section.in_(again))
                .group_by(articles.c.section)
            )
            return {section: int(n) for section, n in conn.execute(counts) if n}

    def portal_health(self) -> dict[str, dict[str, Any]]:
        """Each portal's current health."""
        with self.engine.connect() as conn:
            return {
                row["portal"]: dict(row) for row in conn.execute(select(portal_health)).mappings()
            }

    def set_health(self, portal: str, status: str, reason: str, now: datetime) -> bool:
        """Record a portal's health; True (and an event) when its status changed."""
        with self.engine.begin() as conn:
            old = (
                conn.execute(select(portal_health).where(portal_health.c.portal == portal))
                .mappings()
                .first()
            )
            last_ok = now if status == "ok" else (old["last_ok"] if old else None)
            if old is None:
                conn.execute(
                    portal_health.insert().values(
                        portal=portal, status=status, since=now, reason=reason, last_ok=last_ok
                    )
                )
                changed = status != "ok"
            else:
                changed = old["status"] != status
                values: dict[str, Any] = {"reason": reason, "last_ok": last_ok}
                if changed:
                    values |= {"status": status, "since": now}
                conn.execute(
                    portal_health.update().where(portal_health.c.portal == portal).values(**values)
                )
            if changed:
                conn.execute(
                    health_events.insert().values(
                        portal=portal, status=status, at=now, reason=reason
                    )
                )
            return changed

    def health_events(self, limit: int = 50) -> list[dict[str, Any]]:
        """Health changes, newest first."""
        query = select(health_events).order_by(desc(health_events.c.id)).limit(limit)
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]
