"""Shared fixtures: pinned time, the tinmoi command, snapshot servers on loopback, and
the archive on both backends (SQLite always, PostgreSQL from ``TINMOI_TEST_PG``)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tinmoi.snapshot import SnapshotSite, serving

ROOT = Path(__file__).resolve().parent.parent
#: The crawls' pinned "now" in end-to-end tests.
NOW = "2025-08-01T09:00:00+07:00"
ALIAS_HOST = "127.0.0.2"


def tinmoi(
    *args: str, check: bool = False, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``tinmoi`` console script (in ``cwd``, if given)."""
    script = Path(sys.executable).parent / "tinmoi"
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    env.pop("TINMOI_DB", None)
    proc = subprocess.run(
        [str(script), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
        cwd=cwd,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"tinmoi {' '.join(args)} -> {proc.returncode}\n{proc.stderr}")
    return proc


def crawl_report(tmp_path: Path, portal: str, *spider_args: str) -> dict[str, Any]:
    """One crawl of ``portal`` in its own process (``python -m crawler.run``) on loopback,
    with ``NAME=VALUE`` spider arguments; its JSON report (the log is ``crawl.log``)."""
    report = tmp_path / "report.json"
    cmd = [sys.executable, "-m", "crawler.run", portal, "--profile", "loopback"]
    for arg in spider_args:
        cmd += ["-a", arg]
    cmd += ["-s", f"TINMOI_DB={tmp_path / 'archive.sqlite3'}", "-s", f"TINMOI_NOW={NOW}"]
    cmd += ["-s", f"LOG_FILE={tmp_path / 'crawl.log'}", "--report", str(report)]
    env = os.environ | {"SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    subprocess.run(cmd, check=False, capture_output=True, text=True, env=env, timeout=300)
    return json.loads(report.read_text(encoding="utf-8"))


def require_tool(name: str, package: str) -> str:
    """The path of a system tool; skip (fail under ``CI=true``) when it is missing."""
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is not installed (Debian package {package}; .ci/run installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def free_port() -> int:
    """A TCP port nothing listens on (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def map_args(site: SnapshotSite) -> list[str]:
    """``--url-map`` options pointing every public origin of a snapshot at its server."""
    args = []
    for public, local in site.url_map().items():
        args += ["--url-map", f"{public}={local}"]
    return args


#: A PostgreSQL server the tests may create databases on (CI sets it; see .ci/run).
PG_ENV = "TINMOI_TEST_PG"


@cache
def _pg_problem() -> str | None:
    """Why PostgreSQL tests cannot run, or None when the server answers."""
    url = os.environ.get(PG_ENV)
    if not url:
        return (
            f"{PG_ENV} is not set (a PostgreSQL URL such as "
            "postgresql://postgres@127.0.0.1:5432/postgres; .ci/run sets it)"
        )
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        return f"PostgreSQL at {PG_ENV} is not reachable: {str(exc).strip().splitlines()[0]}"
    return None


def require_postgres() -> str:
    """The server URL of ``TINMOI_TEST_PG``; skip (fail under ``CI=true``) without one."""
    problem = _pg_problem()
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    return os.environ[PG_ENV]


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A new, empty database on the test server (dropped afterwards); yields its URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = require_postgres()
    name = f"tinmoi_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a test's archive lives: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "a.sqlite3")
        return
    with fresh_pg_database() as url:
        yield url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database (for PostgreSQL-only tests)."""
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(scope="session")
def hanam_site() -> Iterator[SnapshotSite]:
    """The Hà Nam snapshot; its post-merger host on a second loopback address."""
    with serving("hanam_tourism", {"alias": ALIAS_HOST}) as site:
        yield site


os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
