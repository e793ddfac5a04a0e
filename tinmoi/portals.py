"""The portals tinmoi knows: every spider Scrapy can load, Python or TOML."""

from __future__ import annotations

import logging
import os
from functools import cache
from typing import Any

from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

from crawler.portal_files import PortalFileError


@cache
def _loader() -> Any:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    # The CLI reports portal-file errors itself (portal_errors), once, in its own words.
    logging.getLogger("crawler.spiderloader").addHandler(logging.NullHandler())
    return get_spider_loader(get_project_settings())


def reload() -> None:
    """Forget the loaded portals (after ``TINMOI_PORTALS`` changed)."""
    _loader.cache_clear()


def portal_names() -> list[str]:
    """Every portal's name, sorted."""
    return sorted(_loader().list())


def portal_errors() -> list[PortalFileError]:
    """The portal files that could not be loaded, each with its file, field and line."""
    return list(getattr(_loader(), "errors", []))


def portal_warnings(name: str) -> list[str]:
    """The old key names portal ``name``'s file still uses, each with its new name."""
    return list(_loader().load(name).portal_file_warnings)


def spider_class(name: str) -> Any:
    """The spider class of portal ``name``."""
    return _loader().load(name)


def describe(name: str) -> dict[str, Any]:
    """A portal's description (title, province, platform, base URL, sections)."""
    spider = _loader().load(name)
    source = spider.source_file or spider.__module__
    return spider.describe() | {
        "origins": spider.public_origins(),
        "defined_in": source,
        "enabled": spider.enabled,
    }


def enabled_names() -> list[str]:
    """The portals a run crawls when none is named: those not ``enabled = false``."""
    return [name for name in portal_names() if _loader().load(name).enabled]
