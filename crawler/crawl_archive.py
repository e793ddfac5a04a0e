"""The one archive of a crawl, shared by the pipeline and the middlewares that need it.

Each crawl opens its archive once (one engine, one migration check, a pool of at most two
connections: Scrapy's components run on one thread), so many crawls at once stay far from
a database's connection limit. It is closed when the crawl's engine stops, after every
component has written what it keeps.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.archive import Archive
from crawler.clock import crawl_now

#: The connections one crawl keeps open (and may open beyond them) at most.
POOL_SIZE, POOL_OVERFLOW = 1, 1


class _Holder:
    """Keeps a crawl's archive and closes it when the engine stops."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.archive = Archive.open(
            settings.get("TINMOI_DB"), now=crawl_now(settings.get("TINMOI_NOW")),
            pool=(POOL_SIZE, POOL_OVERFLOW),
        )  # fmt: skip
        if crawler.stats is not None:
            crawler.stats.inc_value("tinmoi/archive/opened")
        crawler.signals.connect(self.close, signal=signals.engine_stopped)

    def close(self) -> None:
        """Release the archive's connections."""
        self.archive.close()


def crawl_archive(crawler: Crawler) -> Archive:
    """The archive of ``crawler``'s crawl, opened on first use."""
    holder = getattr(crawler, "_tinmoi_archive", None)
    if holder is None:
        holder = _Holder(crawler)
        crawler._tinmoi_archive = holder  # type: ignore[attr-defined]
    return holder.archive
