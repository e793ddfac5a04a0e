"""Which portal's spider code runs now, and how much memory each portal's code took.

A crawl worker (``tinmoi/worker.py``) runs many portals in one reactor. When that reactor
stops turning (a parse that never returns) or the process grows past its limit, the
supervisor outside must know which portal did it. This spider middleware, closest to
the spider, writes the name of the portal whose callback runs into a small shared file
(mapped in memory, so the supervisor reads it even when the worker is stuck), and adds
up the resident memory each portal's callbacks grew the process by.

Enabled only in a worker, which calls :func:`watch` first; elsewhere it is not configured.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

#: Bytes of the shared name field.
MARK_SIZE = 256
_PAGE = os.sysconf("SC_PAGE_SIZE")


class _State:
    mark: mmap.mmap | None = None
    grown: ClassVar[dict[str, int]] = {}
    #: The portal whose step runs now, and the resident memory when it began.
    step: tuple[str, int] | None = None


def watch(path: Path) -> None:
    """Map ``path`` (created :data:`MARK_SIZE` bytes long) as this process's mark."""
    with path.open("r+b") as handle:
        _State.mark = mmap.mmap(handle.fileno(), MARK_SIZE)
    _State.grown.clear()


def read_mark(path: Path) -> str:
    """The portal whose spider code a worker runs now ('' between callbacks)."""
    try:
        raw = path.read_bytes()[:MARK_SIZE]
    except OSError:
        return ""
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace")


def current() -> str:
    """The portal whose spider code this process runs now ('' for none)."""
    if _State.mark is None:
        return ""
    return _State.mark[:].split(b"\0", 1)[0].decode("utf-8", "replace")


def grown() -> dict[str, int]:
    """Bytes of resident memory each portal's callbacks grew this process by (the step
    running now included: asked from a signal handler, it may be the one growing)."""
    found = dict(_State.grown)
    if _State.step is not None:
        portal, before = _State.step
        found[portal] = found.get(portal, 0) + max(0, resident() - before)
    return found


def set_mark(portal: str) -> None:
    """Say that ``portal``'s code runs now ('' for none)."""
    if _State.mark is not None:
        _State.mark[:] = portal.encode("utf-8")[: MARK_SIZE - 1].ljust(MARK_SIZE, b"\0")


def resident() -> int:
    """This process's resident memory, in bytes."""
    with open("/proc/self/statm", "rb") as handle:
        return int(handle.read().split()[1]) * _PAGE


class WatchMiddleware:
    """Mark the portal whose callback runs; count the memory its steps grew."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WatchMiddleware:
        """Scrapy's constructor hook: configured only in a worker."""
        if _State.mark is None:
            raise NotConfigured("not in a crawl worker")
        return cls(crawler)

    @property
    def portal(self) -> str:
        """The crawl's portal."""
        return str(getattr(self.crawler.spider, "name", ""))

    def process_spider_input(self, response: Response) -> None:
        """The callback runs next."""
        set_mark(self.portal)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        """Mark and measure each step of a callback's output."""
        steps = iter(result)
        portal = self.portal
        while True:
            before = self._enter(portal)
            try:
                value = next(steps)
            except StopIteration:
                return
            finally:
                self._leave(portal, before)
            yield value

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        """The same, for asynchronous callbacks."""
        steps = aiter(result)
        portal = self.portal
        while True:
            before = self._enter(portal)
            try:
                value = await anext(steps)
            except StopAsyncIteration:
                return
            finally:
                self._leave(portal, before)
            yield value

    @staticmethod
    def _enter(portal: str) -> int:
        set_mark(portal)
        before = resident()
        _State.step = (portal, before)
        return before

    @staticmethod
    def _leave(portal: str, before: int) -> None:
        _State.step = None
        growth = resident() - before
        if growth > 0:
            _State.grown[portal] = _State.grown.get(portal, 0) + growth
        set_mark("")
