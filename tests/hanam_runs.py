"""Runs over copies of the Hà Nam portal, each copy served from a loopback host of its own
choosing: the snapshot servers and the ``tinmoi.toml`` that points the copies at them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tinmoi.snapshot import SnapshotSite, snapshot_dir

#: The Hà Nam portal as a TOML file, copied under other names.
HANAM = (Path(__file__).parent / "fixtures" / "portals" / "hanam_tourism.toml").read_text(
    encoding="utf-8"
)


def start_sites(hosts: dict[str, str]) -> dict[str, SnapshotSite]:
    """A running Hà Nam snapshot per portal name, on that portal's host."""
    return {
        name: SnapshotSite(snapshot_dir("hanam_tourism"), {"main": host}).start()
        for name, host in hosts.items()
    }


def write_config(
    folder: Path,
    sites: dict[str, SnapshotSite],
    limits: dict[str, object],
    copies: Iterable[str] | None = None,
) -> Path:
    """``folder/tinmoi.toml`` fetching each site's portal from its server, with these
    ``[limits]``; ``copies`` (default: every site) get the Hà Nam TOML in
    ``folder/portals``."""
    portals = folder / "portals"
    portals.mkdir(parents=True, exist_ok=True)
    for name in sites if copies is None else copies:
        (portals / f"{name}.toml").write_text(HANAM, encoding="utf-8")
    lines = [f'archive = "{folder / "archive.sqlite3"}"', f'output = "{folder / "public"}"']
    lines += ["[limits]", *(f"{key} = {value}" for key, value in limits.items())]
    for name, site in sites.items():
        urls = site.url_map()
        lines += [f"[portal.{name}]", f'base_url = "{urls["https://hanamtourism.vn"]}"']
        lines += [f"[portal.{name}.url_map]"]
        lines += [f'"{public}" = "{fetch}"' for public, fetch in urls.items()]
    config = folder / "tinmoi.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config
