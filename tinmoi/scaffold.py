"""``tinmoi new``: the files a new portal starts from (spider or TOML, fixture skeleton)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from crawler.errors import TinmoiError
from crawler.portal_files import NAME_RE, platform_classes

FIXTURE_NOTE = (
    "Replace this skeleton: run 'tinmoi record PORTAL ARTICLE_URL' on a real article page, "
    "check every expected value against the page, then set reviewed to true."
)


class ScaffoldError(TinmoiError):
    """The portal cannot be created as asked (bad name, unknown platform, file exists)."""


def project_root(start: Path) -> Path | None:
    """The tinmoi source tree around ``start`` (the folder holding ``scrapy.cfg``)."""
    for folder in (start, *start.parents):
        if (folder / "scrapy.cfg").is_file() and (folder / "crawler" / "spiders").is_dir():
            return folder
    return None


def _check(name: str, platform: str, base_url: str) -> type:
    if not NAME_RE.fullmatch(name):
        raise ScaffoldError(f"{name!r}: a portal name is lowercase letters, digits and _")
    platforms = platform_classes()
    if platform not in platforms:
        known = ", ".join(sorted(platforms))
        raise ScaffoldError(f"unknown platform {platform!r} (one of {known})")
    if not re.fullmatch(r"https?://[^/\s]+/?", base_url):
        raise ScaffoldError(f"--base-url {base_url!r}: give the origin, like https://x.gov.vn")
    return platforms[platform]


def spider_source(name: str, base: type, title: str, province: str, base_url: str) -> str:
    """A portal spider file: class attributes only, on the platform's base class."""
    camel = "".join(part.title() for part in name.split("_"))
    return f'''from crawler.platforms.base import Section
from {base.__module__} import {base.__name__}


class {camel}Spider({base.__name__}):
    """{title}."""

    name = "{name}"
    portal_title = "{title}"
    province = "{province}"
    base_url = "{base_url.rstrip("/")}"
    sections = (Section("tin-tuc", "Tin tức", "/"),)
'''


def toml_source(name: str, platform: str, title: str, province: str, base_url: str) -> str:
    """A portal file: the same portal, for operators who do not write Python."""
    return f'''name = "{name}"
portal_title = "{title}"
province = "{province}"
platform = "{platform}"
base_url = "{base_url.rstrip("/")}"

[[sections]]
slug = "tin-tuc"
title = "Tin tức"
path = "/"

# [selectors] sets only what differs from the platform (CSS or XPath):
# listing_entry_selector, listing_link_selector, listing_title_selector,
# listing_date_selector, next_page_selector, title_selector, date_selector, body_selector,
# author_selector, and chrome_selectors (a list of selectors removed from the body).
'''


def new_portal(
    name: str,
    platform: str,
    base_url: str,
    *,
    title: str,
    province: str,
    toml: bool,
    cwd: Path,
) -> list[Path]:
    """Write the portal's spider (or TOML file) and a fixture skeleton; the paths written."""
    base = _check(name, platform, base_url)
    root = project_root(cwd)
    if toml:
        target = cwd / "portals" / f"{name}.toml"
        source = toml_source(name, platform, title, province, base_url)
    elif root is None:
        raise ScaffoldError("not inside a tinmoi source tree: use --toml for a portal file")
    else:
        target = root / "crawler" / "spiders" / f"{name}.py"
        source = spider_source(name, base, title, province, base_url)
    fixture = (root or cwd) / "tests" / "fixtures" / "pages" / name / "example.json"
    for path in (target, fixture):
        if path.exists():
            raise ScaffoldError(f"{path} exists already")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")
    skeleton = {
        "spider": name,
        "url": base_url.rstrip("/") + "/ARTICLE-URL",
        "now": "2024-11-20T10:00:00+07:00",
        "listing": {"section": "tin-tuc", "title": "", "date_text": "", "position": 0},
        "reviewed": False,
        "note": FIXTURE_NOTE,
        "expected": {},
        "absent": ["Tin mới", "Tin liên quan", "Tin khác"],
    }
    fixture.parent.mkdir(parents=True, exist_ok=True)
    fixture.write_text(json.dumps(skeleton, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return [target, fixture]
