"""A host's delay and ``Retry-After`` hold for the whole run, not just one crawl.

Scrapy keeps its download slots per crawl: each portal's crawl would start with a fresh
slot and send its first request to a host the moment it starts, however recently the
portal before it on that host was answered, and whatever ``Retry-After`` that host gave.
A run crawls the portals of one host one after another (:mod:`tinmoi.politeness`), and
this middleware carries the host's state from one crawl to the next through the run's
*host ledger*: a folder (``TINMOI_HOST_LEDGER``) holding, per download slot, the time
before which no request may go to it, written atomically after each request left the
downloader. Before its first request to a slot a crawl reads that time and waits for it.

Within a crawl it also makes the slot's delay count from the previous *answer*, not from
when the previous request was sent, so no server sees two requests closer than the delay
(a slow first connection no longer eats into the gap); and a 429 or 503 with
``Retry-After`` holds the whole slot that long (up to ``TINMOI_RETRY_AFTER_MAX``), not only
the request retried, for every later request and, through the ledger, every later crawl.

``TINMOI_SLOTS`` (``host=key,…``) puts host names in one slot: with ``[limits]
politeness = "ip"`` the run keys the names that resolve to one address on that address.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from scrapy import Request, signals
from scrapy.core.downloader import Slot
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

from crawler import shutdown
from crawler.middlewares.retry_after import RETRY_AFTER_STATUSES, retry_after_seconds

logger = logging.getLogger(__name__)


class HostLedger:
    """The run's record, per download slot, of the time (Unix seconds) before which no
    request may be sent to it: one small JSON file per slot, replaced atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.folder / f"{quote(key, safe='')}.json"

    def not_before(self, key: str) -> float:
        """When ``key`` may next be asked (0 when no crawl of this run has asked it)."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            return float(data["not_before"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0.0

    def record(self, key: str, not_before: float) -> None:
        """Say ``key`` may next be asked at ``not_before`` (Unix seconds)."""
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".slot-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"slot": key, "not_before": not_before}, out)
        os.replace(tmp, self._path(key))


def parse_slots(value: str) -> dict[str, str]:
    """``host=key,host=key`` as a dict."""
    pairs = (item.partition("=") for item in value.split(",") if item.strip())
    return {host.strip().lower(): key.strip() for host, _, key in pairs if key.strip()}


class PolitenessMiddleware:
    """Wait for the host ledger before a crawl's first request to a slot; count a slot's
    delay from the last answer; hold a slot for its ``Retry-After``; keep the ledger."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.slots = parse_slots(settings.get("TINMOI_SLOTS", ""))
        folder = settings.get("TINMOI_HOST_LEDGER", "")
        self.ledger = HostLedger(Path(folder)) if folder else None
        self.cap = settings.getfloat("TINMOI_RETRY_AFTER_MAX")
        #: The longest a crawl waits for the ledger (a clock step cannot stall it longer).
        self.longest = self.cap + settings.getfloat("AUTOTHROTTLE_MAX_DELAY")
        self.not_before: dict[str, float] = {}
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(self.request_left, signal=signals.request_left_downloader)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PolitenessMiddleware:
        """Scrapy's constructor hook."""
        return cls(crawler)

    def _slot(self, request: Request) -> tuple[str, Slot | None]:
        assert self.crawler.engine is not None
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        return key, downloader.slots.get(key)

    async def process_request(self, request: Request) -> None:
        """Put the request in its configured slot; wait until the ledger lets its slot be
        asked (read once per slot and crawl)."""
        host = (urlparse_cached(request).hostname or "").lower()
        if host in self.slots:
            request.meta.setdefault("download_slot", self.slots[host])
        if self.ledger is None:
            return
        key, _ = self._slot(request)
        if key not in self.not_before:
            self.not_before[key] = self.ledger.not_before(key)
            wait = self.not_before[key] - time.time()
            if wait > 0:
                stats = self.crawler.stats
                assert stats is not None
                stats.inc_value("tinmoi/politeness/ledger_waits")
                stats.inc_value("tinmoi/politeness/ledger_seconds", round(wait, 2))  # type: ignore[arg-type]
                logger.info("%s: waiting %.2f s for an earlier crawl's delay or Retry-After",
                            key, wait, extra={"crawler": self.crawler})  # fmt: skip
        wait = min(self.longest, self.not_before[key] - time.time())
        if wait > 0:
            await shutdown.sleep(wait)

    def response_downloaded(self, response: Response, request: Request) -> None:
        """Count the slot's delay from this answer; hold the slot for a ``Retry-After``."""
        _, slot = self._slot(request)
        if slot is None:
            return
        now = time.monotonic()  # the clock of Scrapy's slots
        slot.lastseen = max(slot.lastseen, now)
        header = response.headers.get(b"Retry-After")
        if response.status in RETRY_AFTER_STATUSES and header:
            asked = retry_after_seconds(header.decode("latin-1"), datetime.now().astimezone())
            if asked:
                slot.lastseen = max(slot.lastseen, now + min(asked, self.cap))

    def request_left(self, request: Request) -> None:
        """Write when the request's slot may next be asked, for the run's later crawls."""
        if self.ledger is None:
            return
        key, slot = self._slot(request)
        if slot is None:
            return
        hold = max(0.0, slot.lastseen - time.monotonic())
        self.ledger.record(key, time.time() + hold + slot.delay)
