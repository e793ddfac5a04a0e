"""Shared fixtures: pinned time, the tinmoi command, snapshot servers on loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tinmoi.snapshot import SnapshotSite, serving

ROOT = Path(__file__).resolve().parent.parent
#: The crawls' pinned "now" in end-to-end tests.
NOW = "2025-08-01T09:00:00+07:00"
ALIAS_HOST = "127.0.0.2"


def tinmoi(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the installed ``tinmoi`` console script."""
    script = Path(sys.executable).parent / "tinmoi"
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    env.pop("TINMOI_DB", None)
    proc = subprocess.run(
        [str(script), *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"tinmoi {' '.join(args)} -> {proc.returncode}\n{proc.stderr}")
    return proc


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


@pytest.fixture(scope="session")
def hanam_site() -> Iterator[SnapshotSite]:
    """The Hà Nam snapshot; its post-merger host on a second loopback address."""
    with serving("hanam_tourism", {"alias": ALIAS_HOST}) as site:
        yield site


os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
