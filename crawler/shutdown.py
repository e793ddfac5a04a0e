"""The crawl process's shutdown flag: waits before retries give up when a stop begins."""

from __future__ import annotations

import asyncio

_STEP = 0.2
_requested = False


def request() -> None:
    """Mark the crawl as stopping (called from the SIGTERM/SIGINT handler)."""
    global _requested
    _requested = True


def requested() -> bool:
    """True once a stop began."""
    return _requested


async def sleep(seconds: float) -> bool:
    """Sleep ``seconds`` unless a stop begins; False when it was cut short."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not _requested:
        left = deadline - loop.time()
        if left <= 0:
            return True
        await asyncio.sleep(min(_STEP, left))
    return False
