"""``tinmoi record``: save a page and what tinmoi extracts from it as a fixture.

The fixture (``tests/fixtures/pages/<portal>/<name>.html`` and ``.json``) is marked
unreviewed: the fixture test fails on it until a person has checked every expected value
against the page and set ``"reviewed": true``.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from crawler import settings
from crawler.errors import TinmoiError
from crawler.platforms.base import PortalSpider
from crawler.replay import extract_page, observed

#: Chrome a fixture checks is absent unless told otherwise.
DEFAULT_ABSENT = ["Tin mới", "Tin liên quan", "Tin khác", "Chào mừng", "Lượt xem", "Chia sẻ:"]
DEFAULT_NOW = "2024-11-20T10:00:00+07:00"


class RecordError(TinmoiError):
    """The page could not be recorded (not an article URL, fetch failed, …)."""


@dataclass
class Page:
    """A fetched page: its bytes and the charset its server declared, if any."""

    body: bytes
    encoding: str | None


def fetch_page(url: str, timeout: float = 30) -> Page:
    """GET ``url`` once, as tinmoi's crawler would (its User-Agent, robots.txt obeyed)."""
    parts = urlsplit(url)
    robots = RobotFileParser(f"{parts.scheme}://{parts.netloc}/robots.txt")
    try:
        robots.read()
    except (OSError, urllib.error.URLError):
        robots.parse([])  # as an empty robots.txt: everything allowed
    if not robots.can_fetch(settings.USER_AGENT, url):
        raise RecordError(f"robots.txt of {parts.netloc} forbids {url}")
    request = urllib.request.Request(url, headers={"User-Agent": settings.USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            charset = response.headers.get_content_charset()
            return Page(response.read(), charset)
    except (OSError, urllib.error.URLError) as exc:
        raise RecordError(f"cannot fetch {url}: {exc}") from None


def read_page(path: Path, encoding: str | None) -> Page:
    """A page saved in ``path``, served with ``encoding`` (``--file``, ``--encoding``)."""
    try:
        return Page(path.read_bytes(), encoding)
    except OSError as exc:
        raise RecordError(f"--file {path}: cannot read it: {exc.strerror or exc}") from None


def fixture_name(url: str) -> str:
    """A file name for a fixture made from an article URL."""
    words = re.sub(r"[^a-z0-9]+", "-", urlsplit(url).path.lower() + urlsplit(url).query)
    return words.strip("-")[-60:].strip("-") or "page"


def save_fixture(
    folder: Path,
    spidercls: type[PortalSpider],
    url: str,
    page: Page,
    *,
    name: str,
    listing: dict[str, Any],
    now: str = DEFAULT_NOW,
    absent: list[str] | None = None,
) -> tuple[Path, dict[str, Any]]:
    """Write ``<name>.html`` and ``<name>.json`` (unreviewed) into ``folder``."""
    html, spec_path = folder / f"{name}.html", folder / f"{name}.json"
    if spec_path.exists():
        raise RecordError(f"{spec_path} exists: choose another --name")
    try:
        extraction = extract_page(spidercls, url, page.body, listing, now, page.encoding)
    except ValueError as exc:  # not an article URL of this portal
        raise RecordError(str(exc)) from None
    found = observed(extraction)
    folder.mkdir(parents=True, exist_ok=True)
    html.write_bytes(page.body)
    spec = {
        "spider": spidercls.name,
        "url": url,
        "now": now,
        "listing": listing,
        **({"encoding": page.encoding} if page.encoding else {}),
        "reviewed": False,
        "expected": found,
        "absent": absent if absent is not None else DEFAULT_ABSENT,
    }
    spec_path.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return spec_path, found
