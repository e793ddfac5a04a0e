"""Crawl a theme variant (``tests/fixtures/themes/<variant>/``) and read back its archive.

Shared by ``tests/test_theme_variants.py`` (the hand-written definition gives exactly
``expected.json``) and ``tools/add_report.py`` (what ``tinmoi add`` writes gives the same
archive as the hand-written definition). Each variant is served on loopback by the
snapshot server and crawled by the real ``tinmoi crawl --backfill`` in its own process.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tinmoi.snapshot import SnapshotSite

ROOT = Path(__file__).resolve().parent.parent
THEMES = ROOT / "tests" / "fixtures" / "themes"
#: The crawls' pinned "now" (the variants' articles are dated before it).
NOW = "2025-08-01T09:00:00+07:00"
#: The fields of an archived article that a variant's ``expected.json`` gives.
FIELDS = ("key", "url", "section", "title", "published", "author", "text", "images", "attachments")


def variant_dirs(root: Path = THEMES) -> list[Path]:
    """Every rendered variant, by name."""
    return sorted(p.parent for p in root.glob("*/site.json"))


def expected(folder: Path) -> dict[str, Any]:
    """A variant's ``expected.json``."""
    return json.loads((folder / "expected.json").read_text(encoding="utf-8"))


def tinmoi(*args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """Run the installed ``tinmoi`` console script."""
    script = Path(sys.executable).parent / "tinmoi"
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    env.pop("TINMOI_DB", None)
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, env=env, timeout=timeout,
        check=False,
    )  # fmt: skip


def map_args(site: SnapshotSite) -> list[str]:
    """``--url-map`` options pointing every public origin of the variant at its server."""
    args = []
    for public, local in site.url_map().items():
        args += ["--url-map", f"{public}={local}"]
    return args


@dataclass
class Crawl:
    """One backfill of a variant: the command's result, the archive, the requests made."""

    proc: subprocess.CompletedProcess[str]
    db: Path
    requested: list[str]


def crawl(folder: Path, portal_file: Path, db: Path, portal: str | None = None) -> Crawl:
    """Backfill ``portal`` (the variant's own name by default), defined by ``portal_file``,
    from the variant served on loopback, into the SQLite archive ``db``."""
    site = SnapshotSite(folder).start()
    try:
        proc = tinmoi(
            "crawl", portal or site.portal, "--portals", str(portal_file), "--backfill",
            *map_args(site), "--profile", "loopback", "--db", str(db), "--now", NOW,
        )  # fmt: skip
        requested = list(site.servers["main"].requests)
    finally:
        site.stop()
    return Crawl(proc, db, requested)


@dataclass
class Crawls:
    """One backfill of several variants in one ``tinmoi crawl`` (each on its own loopback
    address, so they are crawled at once): the command's result, the archive, and each
    variant's requests by portal."""

    proc: subprocess.CompletedProcess[str]
    db: Path
    requested: dict[str, list[str]]


def crawl_many(definitions: dict[Path, Path], db: Path, jobs: int = 4) -> Crawls:
    """Backfill every variant folder of ``definitions`` (folder -> its portal file, whose
    portal is named as the variant) into ``db`` in one run, ``jobs`` at a time."""
    with tempfile.TemporaryDirectory() as portals:
        sites, args = [], []
        for number, (folder, portal_file) in enumerate(sorted(definitions.items()), start=10):
            address = f"127.0.0.{number}"
            site = SnapshotSite(folder, {role: address for role in ("main", "cdn")}).start()
            sites.append(site)
            shutil.copy(portal_file, Path(portals) / f"{site.portal}.toml")
            args += map_args(site)
        try:
            proc = tinmoi(
                "crawl", *(site.portal for site in sites), "--portals", portals, "--backfill",
                *args, "--profile", "loopback", "--jobs", str(jobs), "--db", str(db),
                "--now", NOW, timeout=900,
            )  # fmt: skip
        finally:
            for site in sites:
                site.stop()
    requested = {site.portal: list(site.servers["main"].requests) for site in sites}
    return Crawls(proc, db, requested)


def health(db: Path) -> dict[str, tuple[str, str]]:
    """Each portal's health after a crawl: (status, reason)."""
    if not db.exists():
        return {}
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select portal, status, reason from portal_health").fetchall()
    return {portal: (status, reason) for portal, status, reason in rows}


def _iso(value: str | None) -> str | None:
    return datetime.fromisoformat(value).isoformat() if value else None


def archived(db: Path, portal: str, rename: str | None = None) -> list[dict[str, Any]]:
    """Every article of ``portal`` in ``db`` as ``expected.json`` gives it, by key (keys
    named ``rename:…`` instead of ``portal:…`` when given, to compare two definitions)."""
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(
            "select * from articles where portal = ? order by key", (portal,)
        ).fetchall()
        links = conn.execute(
            "select key, url from article_attachments order by key, url"
        ).fetchall()
    attachments: dict[str, list[str]] = {}
    for link in links:
        attachments.setdefault(link["key"], []).append(link["url"])
    found = []
    for row in rows:
        key = row["key"] if rename is None else rename + row["key"][len(portal) :]
        found.append({
            "key": key, "url": row["url"], "section": row["section"], "title": row["title"],
            "published": _iso(row["published"]), "author": row["author"],
            "text": row["content_text"], "images": json.loads(row["images"]),
            "attachments": attachments.get(row["key"], []),
        })  # fmt: skip
    return sorted(found, key=lambda a: a["key"])


def differences(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> list[str]:
    """The fields in which two archives differ (``missing``/``extra`` for articles one
    lacks), each once, in :data:`FIELDS` order."""
    mine = {a["key"]: a for a in got}
    theirs = {a["key"]: a for a in want}
    fields = {"missing"} if theirs.keys() - mine.keys() else set()
    fields |= {"extra"} if mine.keys() - theirs.keys() else set()
    for key in mine.keys() & theirs.keys():
        fields |= {f for f in FIELDS if mine[key].get(f) != theirs[key].get(f)}
    order = ("missing", "extra", *FIELDS)
    return [f for f in order if f in fields]
