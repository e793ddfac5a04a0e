"""Which portals share a host, so a run never crawls two of them at once.

Scrapy keeps its download slots (one request at a time, the delay between requests) per
crawl, so two portals fetched from one host must not be crawled at the same time: a run
crawls a group's portals one after another, and the host ledger
(:mod:`crawler.middlewares.politeness`) carries the host's delay and any ``Retry-After``
from one crawl to the next. ``[limits] politeness = "host"`` groups portals by the host name
they are fetched from; ``"ip"`` also groups host names that resolve to one address
(department sub-domains on one provincial server).
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

#: Host name -> the address its politeness is keyed on (None: it does not resolve).
Resolver = Callable[[str], str | None]


def resolve_address(host: str) -> str | None:
    """The address ``host`` is reached at: its first IPv4 address in sorted order, else its
    first IPv6 one (so every resolution of a round-robin name picks the same); None when
    it does not resolve."""
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None
    addresses = sorted({(entry[0] != socket.AF_INET, str(entry[4][0])) for entry in found})
    return addresses[0][1] if addresses else None


def host_of(url: str) -> str:
    """The lower-case host name of ``url`` (empty when it has none)."""
    return (urlsplit(url).hostname or "").lower()


def politeness_keys(
    hosts: Iterable[str], politeness: str = "host", resolve: Resolver = resolve_address
) -> dict[str, str]:
    """Each host name's politeness key: itself, or (``"ip"``) the address it resolves to
    (itself when it does not resolve). Names are resolved a few at a time."""
    names = sorted(set(hosts))
    if politeness != "ip":
        return {name: name for name in names}
    with ThreadPoolExecutor(max(1, min(16, len(names)))) as pool:
        addresses = list(pool.map(resolve, names))
    return {name: address or name for name, address in zip(names, addresses, strict=True)}


def group_by_host(
    portal_hosts: Mapping[str, str], politeness: str = "host", resolve: Resolver = resolve_address
) -> list[list[str]]:
    """Portals (``portal -> the host name it is fetched from``, in crawl order) grouped by
    their politeness key, groups and their portals in that order: the portals of one group
    are crawled one after another, groups side by side."""
    keys = politeness_keys(portal_hosts.values(), politeness, resolve)
    groups: dict[str, list[str]] = {}
    for portal, host in portal_hosts.items():
        groups.setdefault(keys[host] if host else f"portal:{portal}", []).append(portal)
    return list(groups.values())
