"""``tinmoi.toml``: everything a scheduled run needs, in one file.

Relative paths resolve against the config file's folder, never against the working
directory (cron's is ``$HOME``). Without a config file the defaults apply.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from crawler.archive.store import DEFAULT_DB, database_url
from crawler.errors import TinmoiError
from feeds.build import DEFAULT_LIMIT, DEFAULT_SITE_URL
from tinmoi.durations import parse_duration

ENV_VAR = "TINMOI_CONFIG"


class ConfigError(TinmoiError):
    """A config file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class PortalOverride:
    """Per-portal settings: where to fetch from, extra domains, pace."""

    base_url: str | None = None
    url_map: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    delay: float | None = None
    #: How often ``tinmoi run`` crawls the portal (None: the config's ``every``).
    every: timedelta | None = None


def default_concurrency() -> int:
    """Portals crawled at once when ``[limits] concurrency`` does not say: 32 per core, at
    most 256. A crawl mostly waits on its host's delay, and many share a worker process
    (about 4 MB each in flight)."""
    return max(1, min(256, 32 * (os.cpu_count() or 1)))


@dataclass(frozen=True)
class Config:
    """A loaded ``tinmoi.toml`` (or the defaults)."""

    path: Path | None = None
    archive: str = DEFAULT_DB
    output: Path = Path("public")
    site_url: str = DEFAULT_SITE_URL
    limit: int = DEFAULT_LIMIT
    contact: str | None = None
    portals: tuple[str, ...] = ()  # empty: every portal
    portal_seconds: int = 900
    run_seconds: int = 3000
    #: How many portals a run crawls at the same time (portals of one host one at a time).
    concurrency: int = field(default_factory=lambda: default_concurrency())
    #: What "one host" means for politeness: a host name, or every name of one address.
    politeness: str = "host"
    #: Crawl worker processes (each holds many portals' crawls at once): one per core.
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    #: A worker whose resident memory passes this many MB is killed (its culprit failing).
    worker_mb: int = 1024
    #: A worker whose reactor has not turned for this many seconds is killed.
    stall_seconds: int = 60
    lock: Path | None = None
    overrides: dict[str, PortalOverride] = field(default_factory=dict)
    #: Saved searches: each gets a feed under ``tim/<slug>/``.
    searches: tuple[str, ...] = ()
    #: How often ``tinmoi run`` crawls a portal with no ``every`` of its own (None: each run).
    every: timedelta | None = None
    #: Scrapyd nodes ``tinmoi run`` crawls on (``[scrapyd] nodes``; none: this machine).
    scrapyd_nodes: tuple[str, ...] = ()

    def every_of(self, portal: str) -> timedelta | None:
        """How often ``tinmoi run`` crawls ``portal`` (None: on every run)."""
        override = self.overrides.get(portal)
        return override.every if override and override.every else self.every

    @property
    def lock_path(self) -> Path:
        """The run lock: configured, else beside a SQLite archive, else under ``var/``."""
        if self.lock is not None:
            return self.lock
        url = database_url(self.archive)
        if url.startswith("sqlite:///"):
            return Path(url.removeprefix("sqlite:///")).with_name("tinmoi.lock")
        base = self.path.parent if self.path else Path()
        return base / "var" / "tinmoi.lock"


_TOP = {
    "archive": str,
    "output": str,
    "site_url": str,
    "limit": int,
    "contact": str,
    "portals": list,
    "lock": str,
    "searches": list,
    "every": str,
    "limits": dict,
    "portal": dict,
    "scrapyd": dict,
}
_SCRAPYD = {"nodes": list}
_LIMITS = {
    "portal_seconds": int, "run_seconds": int, "concurrency": int, "politeness": str,
    "workers": int, "worker_mb": int, "stall_seconds": int,
}  # fmt: skip
#: ``[limits] politeness``: portals sharing a host name, or host names sharing an address.
POLITENESS = ("host", "ip")
_PORTAL = {
    "base_url": str, "url_map": dict, "aliases": list, "delay": (int, float), "every": str,
}  # fmt: skip


def _check(table: dict[str, Any], schema: dict[str, Any], where: str, source: Path) -> None:
    for key, value in table.items():
        if key not in schema:
            raise ConfigError(f"{source}: unknown field {where}{key}")
        expected = schema[key]
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            names = expected.__name__ if isinstance(expected, type) else "number"
            raise ConfigError(f"{source}: field {where}{key} must be a {names}")


def _at_least_one(table: dict[str, Any], key: str, where: str, source: Path) -> None:
    if key in table and table[key] < 1:
        raise ConfigError(
            f"{source}: field {where}{key} must be a whole number of at least 1, not {table[key]}"
        )


def _http_url(value: str, field_name: str, source: Path) -> None:
    if not value.startswith(("http://", "https://")):
        raise ConfigError(f"{source}: field {field_name}: {value!r} is not an http(s) URL")


def _check_values(data: dict[str, Any], limits: dict[str, Any], source: Path) -> None:
    _at_least_one(data, "limit", "", source)
    for key in ("portal_seconds", "run_seconds", "concurrency", "workers", "worker_mb"):
        _at_least_one(limits, key, "limits.", source)
    _at_least_one(limits, "stall_seconds", "limits.", source)
    if limits.get("politeness", "host") not in POLITENESS:
        raise ConfigError(
            f'{source}: field limits.politeness must be "host" or "ip", '
            f"not {limits['politeness']!r}"
        )
    for key in ("archive", "output", "lock"):
        if key in data and not data[key].strip():
            raise ConfigError(f"{source}: field {key} is empty")
    if "site_url" in data:
        _http_url(data["site_url"], "site_url", source)


def _check_override(portal: str, table: dict[str, Any], source: Path) -> None:
    where = f"portal.{portal}."
    if "base_url" in table:
        _http_url(table["base_url"], f"{where}base_url", source)
    for target in table.get("url_map", {}).values():
        if not isinstance(target, str):
            raise ConfigError(f"{source}: field {where}url_map must map URLs to URLs")
        _http_url(target, f"{where}url_map", source)
    for alias in table.get("aliases", ()):
        if not isinstance(alias, str):
            raise ConfigError(f"{source}: field {where}aliases must list URLs")
        _http_url(alias, f"{where}aliases", source)
    if table.get("delay", 0) < 0:
        raise ConfigError(
            f"{source}: field {where}delay must be 0 or more seconds, not {table['delay']}"
        )


def _decode(source: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        raise ConfigError(
            f"{source}: not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}, "
            f"column {column})"
        ) from None


def _resolve(base: Path, value: str) -> str:
    if "://" in value:
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else base / path)


def load_config(explicit: str | None = None, known_portals: list[str] | None = None) -> Config:
    """Load ``explicit`` (or ``$TINMOI_CONFIG``); with neither, the defaults."""
    name = explicit or os.environ.get(ENV_VAR)
    if not name:
        return Config()
    source = Path(name).expanduser().resolve()
    try:
        data = tomllib.loads(_decode(source, source.read_bytes()))
    except FileNotFoundError:
        raise ConfigError(f"{source}: no such config file") from None
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read it: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    _check(data, _TOP, "", source)
    limits = data.get("limits", {})
    _check(limits, _LIMITS, "limits.", source)
    _check_values(data, limits, source)
    scrapyd = data.get("scrapyd", {})
    _check(scrapyd, _SCRAPYD, "scrapyd.", source)
    for node in scrapyd.get("nodes", []):
        _http_url(str(node), "scrapyd.nodes", source)
    base = source.parent
    overrides = {}
    for portal, table in data.get("portal", {}).items():
        if known_portals is not None and portal not in known_portals:
            raise ConfigError(f"{source}: [portal.{portal}]: no such portal")
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: portal.{portal} must be a table")
        _check(table, _PORTAL, f"portal.{portal}.", source)
        _check_override(portal, table, source)
        overrides[portal] = PortalOverride(
            base_url=table.get("base_url"),
            url_map=dict(table.get("url_map", {})),
            aliases=tuple(table.get("aliases", ())),
            delay=table.get("delay"),
            every=_duration(table, "every", f"portal.{portal}.", source),
        )
    portals = tuple(data.get("portals", ()))
    unknown = [p for p in portals if known_portals is not None and p not in known_portals]
    if unknown:
        raise ConfigError(f"{source}: field portals names unknown portal {', '.join(unknown)}")
    return Config(
        path=source,
        archive=_resolve(base, data.get("archive", DEFAULT_DB)),
        output=Path(_resolve(base, data.get("output", "public"))),
        site_url=data.get("site_url", DEFAULT_SITE_URL),
        limit=data.get("limit", DEFAULT_LIMIT),
        contact=data.get("contact"),
        portals=portals,
        portal_seconds=limits.get("portal_seconds", Config.portal_seconds),
        run_seconds=limits.get("run_seconds", Config.run_seconds),
        concurrency=limits.get("concurrency", default_concurrency()),
        politeness=limits.get("politeness", Config.politeness),
        workers=limits.get("workers", os.cpu_count() or 1),
        worker_mb=limits.get("worker_mb", Config.worker_mb),
        stall_seconds=limits.get("stall_seconds", Config.stall_seconds),
        lock=Path(_resolve(base, data["lock"])) if "lock" in data else None,
        overrides=overrides,
        searches=tuple(str(q) for q in data.get("searches", ())),
        every=_duration(data, "every", "", source),
        scrapyd_nodes=tuple(str(node) for node in scrapyd.get("nodes", ())),
    )


def _duration(table: dict[str, Any], key: str, where: str, source: Path) -> timedelta | None:
    if key not in table:
        return None
    found = parse_duration(table[key])
    if found is None or not found:
        raise ConfigError(
            f"{source}: field {where}{key}: {table[key]!r} is not a duration like 30m, 6h or 1d"
        )
    return found
