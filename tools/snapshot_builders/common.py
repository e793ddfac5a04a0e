"""What every platform's snapshot builder shares: templates, hosts with routes, images,
expectations.

A builder renders one portal's snapshot from its content JSON (Vietnamese text we wrote,
``tools/snapshot_content/<portal>.json``) through its platform's Jinja2 templates
(``tools/snapshots/<platform>/*.html.j2``) into ``tinmoi/snapshots/<portal>/`` and writes
what a backfill crawl of it must give to ``tests/fixtures/expected/<portal>.json``.
"""

from __future__ import annotations

import html
import json
import shutil
import struct
import zlib
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES = Path(__file__).resolve().parent.parent / "snapshots"
# Values are escaped where a template says ``|e``, as html.escape does (&quot;, &#x27;): the
# pages carry markup built by the builders, and their bytes must not change.
TEMPLATE_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    undefined=StrictUndefined,
    autoescape=False,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATE_ENV.filters["e"] = TEMPLATE_ENV.filters["escape"] = html.escape


def render(template: str, **context: Any) -> str:
    """Render ``tools/snapshots/<template>`` with ``context`` (a missing name is an error)."""
    return TEMPLATE_ENV.get_template(template).render(**context)


class Host:
    """One host of a snapshot: files plus ``routes.json`` (request target -> route)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.routes: dict[str, Any] = {}

    def add(self, target: str, name: str, data: str | bytes, content_type: str = "") -> None:
        """Serve ``data`` at ``target`` (path and query string) from file ``name``."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        self.routes[target] = {"file": name, "type": content_type} if content_type else name

    def route(self, target: str, route: Any) -> None:
        """Add a route whose file is already written (or a special route object)."""
        self.routes[target] = route

    def close(self) -> None:
        """Write ``routes.json``."""
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "routes.json").write_text(
            json.dumps(self.routes, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )


def fresh_dir(folder: Path) -> Path:
    """An empty ``folder`` (what was there is removed)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def write_site(folder: Path, portal: str, hosts: dict[str, str], articles: int) -> dict:
    """Write ``site.json``: the portal, its hosts (role -> public origin), article count."""
    site = {"portal": portal, "hosts": hosts, "articles": articles}
    (folder / "site.json").write_text(
        json.dumps(site, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return site


def write_expected(expected_root: Path, portal: str, spec: dict[str, Any]) -> None:
    """Write what a backfill crawl of the snapshot must give (see tests/test_platforms.py).

    ``spec`` holds ``articles`` (key, url, section, title, published ISO 8601 with offset
    or None), ``dropped`` (url, reason), ``absent`` (chrome strings no body may contain)
    and ``requested`` (request targets on the main host that a backfill must make, e.g.
    the last listing page of every section).
    """
    spec = {"portal": portal, **spec}
    spec["articles"] = sorted(spec["articles"], key=lambda a: a["key"])
    expected_root.mkdir(parents=True, exist_ok=True)
    (expected_root / f"{portal}.json").write_text(
        json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small solid-colour PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
