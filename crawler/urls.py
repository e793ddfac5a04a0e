"""URLs: tracking parameters, and mapping between public and fetch origins."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "zarsrc", "mc_cid", "mc_eid", "igshid", "_ga"}
)


def is_tracking_param(name: str) -> bool:
    """True for ``utm_*`` and the click identifiers ad networks append."""
    lower = name.lower()
    return lower.startswith("utm_") or lower in TRACKING_PARAMS


def strip_tracking(url: str) -> str:
    """``url`` without tracking query parameters (other parameters keep their order)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not is_tracking_param(k)]
    if len(kept) == len(pairs):
        return url
    return urlunsplit(parts._replace(query=urlencode(kept)))


def origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, lower-cased."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def query_param(url: str, name: str) -> str | None:
    """The first value of query parameter ``name`` in ``url``, or None."""
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key == name:
            return value
    return None


class OriginMap:
    """Two-way map between a portal's public origins and where they are fetched from.

    A base URL override (a snapshot on loopback) changes only where pages are fetched:
    everything stored and published carries the public URL.
    """

    def __init__(self, public_to_fetch: dict[str, str] | None = None) -> None:
        self._to_fetch = {origin(p): origin(f) for p, f in (public_to_fetch or {}).items()}
        self._to_public = {f: p for p, f in self._to_fetch.items()}

    def _swap(self, url: str, table: dict[str, str]) -> str:
        source = origin(url)
        target = table.get(source)
        if target is None:
            return url
        return target + url[len(source) :]

    def to_fetch(self, url: str) -> str:
        """Where ``url`` (public or already a fetch URL) is fetched from."""
        return self._swap(url, self._to_fetch)

    def to_public(self, url: str) -> str:
        """The public form of ``url`` (a fetch URL or already public)."""
        return self._swap(url, self._to_public)

    def fetch_hosts(self) -> set[str]:
        """Host names the overrides fetch from."""
        return {urlsplit(f).hostname or "" for f in self._to_fetch.values()}
