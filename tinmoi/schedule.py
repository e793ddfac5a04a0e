"""When ``tinmoi run`` crawls a portal: its schedule (``every``), stretched while it is dead.

A portal whose crawls found no listing page (refused connections, robots.txt timing out)
two or more runs in a row is tried again after twice its schedule, then four times, and so
on, capped at a day (or its schedule, when that is longer): a host dead for days costs a
few tries a day, not one a run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

#: The longest wait between two tries of a dead portal (unless its schedule is longer).
BACKOFF_CAP = timedelta(hours=24)
#: The schedule a dead portal's backoff doubles when it has none of its own (every run).
UNSCHEDULED = timedelta(minutes=30)


def wait_after(every: timedelta | None, dead_runs: int) -> timedelta | None:
    """How long after its last crawl started a portal is due again (None: at once).

    Its schedule after a good crawl or a first dead one; after ``dead_runs`` dead crawls
    in a row (2 or more), the schedule (:data:`UNSCHEDULED` without one) times
    ``2 ** (dead_runs - 1)``, capped at :data:`BACKOFF_CAP`.
    """
    if dead_runs < 2:
        return every
    base = every or UNSCHEDULED
    cap = max(BACKOFF_CAP, base)
    return min(cap, base * 2 ** min(dead_runs - 1, cap // base))


def due_at(
    last_started: datetime | None, every: timedelta | None, health: Mapping[str, Any] | None
) -> datetime | None:
    """When a portal is due again (None: now), from when its last crawl started, its
    schedule and its health row (:meth:`~crawler.archive.Archive.portal_health`)."""
    wait = wait_after(every, int(health.get("dead_runs", 0)) if health else 0)
    if last_started is None or wait is None:
        return None
    return last_started + wait


def due_portals(
    portals: Iterable[str],
    every_of: Callable[[str], timedelta | None],
    last_crawled: Mapping[str, datetime],
    health: Mapping[str, Mapping[str, Any]],
    now: datetime,
) -> tuple[list[str], dict[str, datetime]]:
    """The portals due at ``now`` (in order), and those that are not with when they are."""
    due, later = [], {}
    for portal in portals:
        when = due_at(last_crawled.get(portal), every_of(portal), health.get(portal))
        if when is not None and when > now:
            later[portal] = when
        else:
            due.append(portal)
    return due, later
