"""Scrapy's spider loader, plus the portals defined in TOML files.

``scrapy list``, ``scrapy crawl`` and ``tinmoi`` all see Python and TOML portals alike.
A malformed portal file is logged with its file, field and line, and kept in
:attr:`PortalSpiderLoader.errors`; every other portal still loads.
"""

from __future__ import annotations

import logging

from scrapy.settings import BaseSettings
from scrapy.spiderloader import SpiderLoader

from crawler.portal_files import ENV_VAR, PortalFileError, load_portals

logger = logging.getLogger(__name__)


class PortalSpiderLoader(SpiderLoader):
    """Load ``SPIDER_MODULES`` and the portal files (``TINMOI_PORTALS`` adds more)."""

    def __init__(self, settings: BaseSettings) -> None:
        self.errors: list[PortalFileError] = []
        self._portal_files = settings.get(ENV_VAR)
        super().__init__(settings)

    def _load_all_spiders(self) -> None:
        super()._load_all_spiders()
        for path, found in load_portals(self._portal_files):
            if isinstance(found, PortalFileError):
                self.errors.append(found)
                logger.error("%s", found)
                continue
            if found.name in self._spiders:
                other = self._spiders[found.name]
                where = getattr(other, "source_file", None) or other.__module__
                error = PortalFileError(
                    path, f"{found.name!r} is already defined in {where}", "name"
                )
                self.errors.append(error)
                logger.error("%s", error)
                continue
            self._spiders[found.name] = found
