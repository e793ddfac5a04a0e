"""One client connection of the feed server: pipelined requests in, replies out in order.

Requests are answered as soon as their head is complete (several per read when
pipelined); replies are batched into few writes, large files go out with sendfile, and
reading pauses while the client does not read its answers.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import time
from typing import TYPE_CHECKING, Any

from tinmoi.serve.replies import Stream

if TYPE_CHECKING:
    from tinmoi.serve.server import FeedServer

log = logging.getLogger("tinmoi.serve")

MAX_HEAD = 16 * 1024  # request line and headers
_HIGH_WATER = 256 * 1024  # bytes of responses batched before a write
OVERLOADED = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: 24\r\nRetry-After: 5\r\nConnection: close\r\n\r\n503 Service Unavailable\n"
)


class Connection(asyncio.Protocol):
    """One client connection: parses pipelined requests, writes replies in order."""

    __slots__ = (
        "buf",
        "busy",
        "discard",
        "last",
        "paused",
        "peer",
        "reading",
        "server",
        "started",
        "task",
        "transport",
    )

    def __init__(self, server: FeedServer) -> None:
        """A connection accepted by ``server``."""
        self.server = server
        self.transport: asyncio.Transport | None = None
        self.buf = b""
        self.busy = False
        self.paused = False
        self.reading = True
        self.discard = 0
        self.last = self.started = time.monotonic()
        self.peer = "-"
        self.task: asyncio.Task[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Take the connection, or answer 503 and close when there are too many."""
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        if len(self.server.conns) >= self.server.max_connections:
            transport.write(OVERLOADED)
            transport.close()
            return
        self.server.conns.add(self)
        if not self.server.quiet:
            peer = transport.get_extra_info("peername")
            self.peer = str(peer[0]) if peer else "-"

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the connection and stop any file still being sent."""
        self.server.conns.discard(self)
        self.transport = None
        self.buf = b""
        if self.task is not None:
            self.task.cancel()

    def data_received(self, data: bytes) -> None:
        """Buffer ``data`` and answer what is complete (unless a reply is in flight)."""
        now = time.monotonic()
        self.last = now
        if self.buf:
            self.buf += data
        else:
            self.buf = data
            self.started = now
        if not (self.busy or self.paused):
            self.process()
        elif len(self.buf) > 4 * MAX_HEAD and self.reading and self.transport is not None:
            self.reading = False
            self.transport.pause_reading()

    def pause_writing(self) -> None:
        """The client is not reading: stop answering until it does."""
        self.paused = True

    def resume_writing(self) -> None:
        """The client reads again: answer what was left waiting."""
        self.paused = False
        self.last = time.monotonic()
        if not self.busy and self.buf:
            self.process()

    def fail(self, code: int) -> None:
        """Answer ``code`` and close (unparseable, too large or too slow request)."""
        transport = self.transport
        if transport is None:
            return
        self.buf = b""
        transport.write(self.server.responder.error(code, False, False)[0])
        transport.close()

    def process(self) -> None:
        """Answer every complete request in the buffer."""
        transport = self.transport
        if transport is None:
            return
        server = self.server
        out: list[bytes] = []
        size = 0
        buf = self.buf
        close = False
        stream: Stream | None = None
        try:
            while buf:
                if self.discard:
                    drop = min(self.discard, len(buf))
                    buf = buf[drop:]
                    self.discard -= drop
                    continue
                if buf[:1] in b"\r\n":
                    buf = buf.lstrip(b"\r\n")
                    continue
                end = buf.find(b"\r\n\r\n", 0, MAX_HEAD + 4)
                if end < 0:
                    if len(buf) > MAX_HEAD:
                        out.append(server.responder.error(431, False, False)[0])
                        close = True
                        buf = b""
                    break
                data, keep, self.discard, stream = server.responder.respond(buf[:end], self.peer)
                buf = buf[end + 4 :]
                out.append(data)
                size += len(data)
                if not keep:
                    close = True
                    buf = b""
                    break
                if stream is not None:
                    break
                if size >= _HIGH_WATER:
                    transport.write(b"".join(out))
                    out.clear()
                    size = 0
                    if self.paused:
                        break
        except Exception:
            out.append(server.responder.error(500, False, False)[0])
            close = True
            buf = b""
            stream = None
            log.exception("error answering a request")
        self.buf = buf
        if buf:
            self.started = time.monotonic()
        if out:
            transport.write(out[0] if len(out) == 1 else b"".join(out))
        if stream is not None:
            self.busy = True
            self.task = asyncio.get_running_loop().create_task(self._send(stream, not close))
        elif close:
            transport.close()
        elif not self.reading and len(buf) <= MAX_HEAD:
            self.reading = True
            transport.resume_reading()

    async def _send(self, stream: Stream, keep: bool) -> None:
        transport = self.transport
        try:
            assert transport is not None
            await asyncio.get_running_loop().sendfile(transport, stream.file, 0, stream.size)
        except Exception:
            if self.transport is not None:
                self.transport.abort()
            return
        finally:
            stream.file.close()
            self.task = None
            self.busy = False
        if self.transport is None:
            return
        self.last = time.monotonic()
        if not keep:
            self.transport.close()
        elif self.buf:
            self.process()
        elif not self.reading:
            self.reading = True
            self.transport.resume_reading()


def exception_handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """Drop the noise of clients going away; report anything else."""
    exc = context.get("exception")
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return
    if isinstance(exc, OSError) and exc.errno in (errno.EPIPE, errno.ECONNRESET, errno.EBADF):
        return
    loop.default_exception_handler(context)
