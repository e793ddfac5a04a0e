"""What a run is asked to do: the plan, each portal's crawl task, and the host groups its
portals are crawled in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from crawler.archive import Archive
from tinmoi.config import Config
from tinmoi.console import Console
from tinmoi.crawling import PortalTask
from tinmoi.politeness import group_by_host, host_of, politeness_keys
from tinmoi.schedule import due_portals

#: A portal is not started with less than this many seconds left of the run's time.
MIN_PORTAL_SECONDS = 10


@dataclass
class RunPlan:
    """What one ``tinmoi crawl`` or ``tinmoi run`` is asked to do."""

    config: Config
    portals: list[str]
    build: bool
    profile: str = "polite"
    now: str | None = None
    backfill: bool = False
    refresh: bool = False
    max_pages: int = 0
    base_urls: dict[str, str] = field(default_factory=dict)
    url_map: dict[str, str] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    #: Portals crawled at once (0: ``[limits] concurrency``).
    jobs: int = 0
    #: Crawl only the portals that are due (``every``): ``tinmoi run``, not ``tinmoi crawl``.
    scheduled: bool = False


def _fetched(plan: RunPlan, portal: str) -> PortalTask:
    override = plan.config.overrides.get(portal)
    settings = {}
    if plan.config.contact:
        settings["USER_AGENT"] = (
            f"tinmoi/0.1 (+https://github.com/tinmoi/tinmoi; {plan.config.contact})"
        )
    if override and override.delay is not None:
        settings["DOWNLOAD_DELAY"] = str(override.delay)
    settings.update(plan.settings)
    return PortalTask(
        portal,
        base_url=plan.base_urls.get(portal) or (override.base_url if override else None),
        url_map={**(override.url_map if override else {}), **plan.url_map},
        aliases=list(override.aliases) if override else [],
        max_pages=plan.max_pages,
        settings=settings,
    )


def portal_task(plan: RunPlan, portal: str) -> PortalTask:
    """How ``portal`` is crawled under ``plan``: where from, with which settings (its
    politeness slots included), for a worker or a Scrapyd job alike."""
    task = _fetched(plan, portal)
    task.settings = {**slot_setting(plan, portal), **task.settings}
    return task


def fetch_hosts(plan: RunPlan, portal: str) -> list[str]:
    """The host names ``portal`` is fetched from: its base URL's first, then those its URL
    map sends requests to."""
    job = _fetched(plan, portal)
    public = public_base(portal)
    base = job.base_url or job.url_map.get(public, "") or public
    hosts = [host_of(base), *(host_of(url) for url in job.url_map.values())]
    return list(dict.fromkeys(host for host in hosts if host))


def crawl_groups(plan: RunPlan) -> list[list[str]]:
    """The plan's portals grouped by the host they are fetched from (``[limits]
    politeness``), in plan order: a group's portals are crawled one after another, so a
    host's delay and ``Retry-After`` hold across them."""
    hosts = {portal: next(iter(fetch_hosts(plan, portal)), "") for portal in plan.portals}
    return group_by_host(hosts, plan.config.politeness)


def slot_setting(plan: RunPlan, portal: str) -> dict[str, str]:
    """``TINMOI_SLOTS`` for ``portal``'s crawl: with ``politeness = "ip"``, its host names
    keyed on their address, so its crawl and the ledger treat one server as one host."""
    if plan.config.politeness != "ip":
        return {}
    keys = politeness_keys(fetch_hosts(plan, portal), "ip")
    pairs = ",".join(f"{host}={key}" for host, key in keys.items() if host != key)
    return {"TINMOI_SLOTS": pairs} if pairs else {}


def public_base(portal: str) -> str:
    """The base URL ``portal``'s spider declares."""
    from tinmoi.portals import spider_class

    return str(getattr(spider_class(portal), "base_url", ""))


def due_now(plan: RunPlan, archive: Archive, now: datetime, console: Console) -> list[str]:
    """The plan's portals due at ``now`` (:func:`tinmoi.schedule.due_portals`)."""
    due, later = due_portals(
        plan.portals, plan.config.every_of, archive.last_crawled(), archive.portal_health(), now
    )
    for portal, when in later.items():
        console.later(portal, when)
    return due
