"""Portal health in the archive: each portal's state, its changes, and robots.txt verdicts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, desc, func, select

from crawler.archive.schema import articles, health_events, portal_health, run_portals

#: In a run's ``dropped`` counts, a section whose listing robots.txt forbade.
FORBIDDEN_PREFIX = "robots.txt/"
#: A portal is marked failing (or unreachable) from this many failed crawls in a row.
FAILING_FROM = 2
#: The health of a portal never judged before.
NEW_PORTAL = {"status": "ok", "failures": 0, "dead_runs": 0, "unreachable_since": None}


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

    def record_health(
        self, portal: str, verdict: str, reason: str, now: datetime, at_once: bool = False
    ) -> dict[str, Any]:
        """Judge a portal's health from one crawl's ``verdict`` (``ok``, ``failing`` or
        ``dead``); return its health row.

        Health does not flap: a portal is marked failing from its second failed crawl in a
        row (its first when ``at_once``: a listing with no articles at all), unreachable
        from its second dead one in a row, and ok again at its first good crawl. Each
        change of status, and only a change, is a health event.
        """
        with self.engine.begin() as conn:
            old = (
                conn.execute(select(portal_health).where(portal_health.c.portal == portal))
                .mappings()
                .first()
            )
            before: dict[str, Any] = dict(old) if old else dict(NEW_PORTAL)
            values: dict[str, Any] = {"reason": reason}
            if verdict == "ok":
                status = "ok"
                values |= {"failures": 0, "dead_runs": 0, "unreachable_since": None,
                           "last_ok": now}  # fmt: skip
            else:
                failures = before["failures"] + 1
                dead_runs = before["dead_runs"] + 1 if verdict == "dead" else 0
                dead_since = (before["unreachable_since"] or now) if dead_runs else None
                values |= {
                    "failures": failures,
                    "dead_runs": dead_runs,
                    "unreachable_since": dead_since,
                }
                if dead_runs >= FAILING_FROM:
                    status = "unreachable"
                elif failures >= FAILING_FROM or at_once or before["status"] != "ok":
                    status = "failing"
                else:
                    status = "ok"
            changed = status != before["status"]
            if old is None:
                values |= {"portal": portal, "status": status, "since": now}
                conn.execute(portal_health.insert().values(**values))
            else:
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
            return {**before, **values, "status": status, "changed": changed}

    def health_events(self, limit: int = 50) -> list[dict[str, Any]]:
        """Health changes, newest first."""
        query = select(health_events).order_by(desc(health_events.c.id)).limit(limit)
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]
