"""The settings module of a Scrapyd node (the deployed egg's ``scrapy`` entry point): the
project's, plus the batch spider and its ``crawl`` command, and the egg's portal files.

A Scrapyd job imports the project from the egg, a zip file: the portal files are copied
out of it once per version into a folder of the temporary directory and loaded from there.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from importlib.resources import files
from pathlib import Path

from crawler.settings import *  # noqa: F403
from crawler.settings import SPIDER_MODULES as _PROJECT_SPIDERS

SPIDER_MODULES = [*_PROJECT_SPIDERS, "tinmoi.scrapyd.spiders"]
COMMANDS_MODULE = "tinmoi.scrapyd.commands"


def _portal_folder() -> str:
    """A folder holding the egg's portal files (written once; atomic per file), or ""
    when the project is not imported from a zip (its folder is read as ever)."""
    from crawler.portal_files import BUNDLED

    if BUNDLED.is_dir():
        return ""
    found = {
        entry.name: entry.read_bytes()
        for entry in (files("crawler") / "portals").iterdir()
        if entry.name.endswith(".toml")
    }
    digest = hashlib.sha256(b"".join(n.encode() + d for n, d in sorted(found.items())))
    folder = Path(tempfile.gettempdir()) / f"tinmoi-portals-{digest.hexdigest()[:16]}"
    folder.mkdir(exist_ok=True)
    for name, data in found.items():
        path = folder / name
        if not path.exists():
            part = folder / f".{name}.{os.getpid()}"
            part.write_bytes(data)
            part.replace(path)
    return str(folder)


TINMOI_PORTALS = os.pathsep.join(
    p for p in (_portal_folder(), os.environ.get("TINMOI_PORTALS", "")) if p
)
