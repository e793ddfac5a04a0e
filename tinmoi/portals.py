"""The portals tinmoi knows: every spider Scrapy can load from the project."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings


@cache
def _loader() -> Any:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    return get_spider_loader(get_project_settings())


def portal_names() -> list[str]:
    """Every portal's name, sorted."""
    return sorted(_loader().list())


def describe(name: str) -> dict[str, Any]:
    """A portal's description (title, province, platform, base URL, sections)."""
    spider = _loader().load(name)
    return spider.describe() | {"origins": spider.public_origins()}
