"""``tinmoi deploy``: package the project (its portal files included) as an egg and upload
it to Scrapyd nodes, under a version that names the release, the schema and the code.

A version reads ``0_1_0-s9-3f2a9c01b4d7`` (Scrapyd keeps letters, digits, ``_`` and ``-``):
tinmoi's release, the archive's schema version, and a digest of every file in the egg. A
run schedules its jobs with exactly its own version, so every node crawls with the
coordinator's code. A node already holding another release or schema version is refused
(``--replace`` removes those versions first, when the node runs no tinmoi job): two
releases must not share one archive.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib.metadata import version as dist_version
from importlib.resources import files
from pathlib import Path

from crawler.archive.migrations import SCHEMA_VERSION
from crawler.errors import TinmoiError
from crawler.portal_files import BUNDLED, portal_paths
from tinmoi.scrapyd.client import Node, NodeError

#: The packages a node needs, and what of them stays out of the egg.
PACKAGES = ("crawler", "feeds", "tinmoi")
LEFT_OUT = ("__pycache__", "*.pyc", "snapshots")

_SETUP = """\
from setuptools import find_packages, setup

setup(
    name="tinmoi",
    version={release!r},
    packages=find_packages(include=["crawler*", "feeds*", "tinmoi*"]),
    package_data={{"crawler": ["portals/*.toml"], "tinmoi": ["datasette_plugins/*.py"]}},
    entry_points={{"scrapy": ["settings = tinmoi.scrapyd.settings"]}},
    zip_safe=True,
)
"""


class DeployError(TinmoiError):
    """The egg could not be built."""


def release() -> str:
    """The part of a version two nodes sharing an archive must agree on."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", f"{dist_version('tinmoi')}-s{SCHEMA_VERSION}")


def egg_files() -> dict[str, Path]:
    """Every file the egg holds, by its path in the egg: the packages (no snapshots, no
    bytecode) and the portal files loaded from outside them (``./portals``, ``--portals``)."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        root = Path(str(files(package)))
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if path.is_file() and not any(rel.match(p) or p in rel.parts for p in LEFT_OUT):
                found[f"{package}/{rel.as_posix()}"] = path
    bundled = BUNDLED.resolve()
    for path in portal_paths():
        if path.parent != bundled:
            name = f"crawler/portals/{path.name}"
            if name in found:
                raise DeployError(f"{path}: a bundled portal file has the same name")
            found[name] = path
    return found


def current_version() -> str:
    """The version this code deploys as (and a run schedules its jobs with)."""
    digest = hashlib.sha256()
    for name, path in sorted(egg_files().items()):
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{release()}-{digest.hexdigest()[:12]}"


def build_egg() -> bytes:
    """Build the egg (setuptools' ``bdist_egg``, in a child process) and return it."""
    with tempfile.TemporaryDirectory(prefix="tinmoi-egg-") as tmp:
        src = Path(tmp) / "src"
        for name, path in egg_files().items():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, src / name)
        (src / "setup.py").write_text(
            _SETUP.format(release=dist_version("tinmoi")), encoding="utf-8"
        )
        dist = Path(tmp) / "dist"
        done = subprocess.run(
            [sys.executable, "setup.py", "-q", "bdist_egg", "--dist-dir", str(dist)],
            cwd=src,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        eggs = sorted(dist.glob("*.egg"))
        if done.returncode != 0 or not eggs:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise DeployError(f"building the egg failed: {last}")
        return eggs[0].read_bytes()


@dataclass
class Outcome:
    """What deploying did to one node."""

    node: str
    ok: bool
    message: str


def deploy(urls: list[str], replace: bool = False) -> list[Outcome]:
    """Upload this code to every node that accepts it; one outcome per node."""
    version = current_version()
    egg: bytes | None = None
    outcomes = []
    for url in urls:
        node = Node(url)
        try:
            held = node.versions()
            if version in held:
                outcomes.append(Outcome(node.name, True, f"{node.name}: {version} already there"))
                continue
            others = [v for v in held if not v.startswith(release() + "-")]
            if others and not replace:
                outcomes.append(Outcome(node.name, False, _refusal(node, others)))
                continue
            if others:
                _remove(node, others)
            egg = egg if egg is not None else build_egg()
            spiders = node.add_version(version, egg)
            outcomes.append(Outcome(node.name, True, f"{node.name}: deployed {version} "
                                                     f"({spiders} spiders)"))  # fmt: skip
        except NodeError as exc:
            outcomes.append(Outcome(node.name, False, str(exc)))
    return outcomes


def _refusal(node: Node, others: list[str]) -> str:
    return (
        f"{node.name}: holds {', '.join(others)}, another tinmoi release or schema than "
        f"{release()}: refused (upgrade every node at once with --replace)"
    )


def _remove(node: Node, versions: list[str]) -> None:
    """Delete ``versions`` from ``node``, unless a tinmoi job is pending or running there."""
    jobs = node.jobs()
    if jobs.pending or jobs.running:
        count = len(jobs.pending) + len(jobs.running)
        raise NodeError(f"{node.name}: {count} tinmoi jobs pending or running: not replaced")
    for version in versions:
        node.delete_version(version)
