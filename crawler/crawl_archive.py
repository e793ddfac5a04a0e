"""The one archive of a crawl process, shared by its crawls' pipelines and middlewares.

A process opens each archive once (one engine, one migration check, a pool of at most two
connections: Scrapy's components run on one thread, and no component holds a connection
across a reactor turn), however many crawls it runs: a crawl worker holds dozens at once,
so many crawls stay far from a database's connection limit. It is closed when the
process ends.
"""

from __future__ import annotations

import atexit

from scrapy.crawler import Crawler

from crawler.archive import Archive
from crawler.clock import crawl_now

#: The connections one process keeps open (and may open beyond them) at most.
POOL_SIZE, POOL_OVERFLOW = 1, 1

_OPEN: dict[str, Archive] = {}


def crawl_archive(crawler: Crawler) -> Archive:
    """The archive of ``crawler``'s crawl (``TINMOI_DB``), opened on the process's first use."""
    settings = crawler.settings
    db = str(settings.get("TINMOI_DB"))
    archive = _OPEN.get(db)
    if archive is None:
        archive = Archive.open(
            db, now=crawl_now(settings.get("TINMOI_NOW")), pool=(POOL_SIZE, POOL_OVERFLOW)
        )
        _OPEN[db] = archive
    if crawler.stats is not None and not getattr(crawler, "_tinmoi_archive", False):
        crawler.stats.inc_value("tinmoi/archive/opened")
        crawler._tinmoi_archive = True  # type: ignore[attr-defined]
    return archive


@atexit.register
def _close_all() -> None:
    """Release every archive's connections."""
    for archive in _OPEN.values():
        archive.close()
    _OPEN.clear()
