"""URLs that gave no usable article, with their reasons."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from crawler.archive.schema import dropped
from crawler.archive.types import no_nul


class DroppedMixin:
    """Methods of :class:`~crawler.archive.Archive` for dropped URLs."""

    engine: Engine

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
        known: dict[str, Any] = {"key": key} if key is not None else {}
        if listed is not None:
            known["listed"] = {name: no_nul(value) for name, value in listed.items()}
        with self.engine.begin() as conn:
            done = conn.execute(
                dropped.update()
                .where(dropped.c.portal == portal, dropped.c.url == url)
                .values(
                    reason=reason,
                    detail=no_nul(detail),
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
                        detail=no_nul(detail),
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
