"""The feed server's life: the listening socket, the event loop, idle connections, stop.

:class:`FeedServer` has the API of :mod:`socketserver` servers (``serve_forever`` in one
thread, ``shutdown`` from another); :func:`serve` runs one until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import logging
import os
import resource
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from crawler.errors import TinmoiError
from tinmoi.serve.connection import Connection, exception_handler
from tinmoi.serve.files import FileCache
from tinmoi.serve.replies import Responder

log = logging.getLogger("tinmoi.serve")

DEFAULT_MAX_AGE = 300
DEFAULT_TIMEOUT = 15.0
DEFAULT_CACHE_BYTES = 64 * 1024 * 1024
BACKLOG = 1024


class ServeError(TinmoiError):
    """The server cannot start (port taken, root not a directory); one-line message."""


class FeedServer:
    """A static file server for one directory; the API of :mod:`socketserver` servers.

    The listening socket is bound and listening once constructed (``server_address``
    holds the real port when 0 was asked); :meth:`serve_forever` runs the event loop in
    the calling thread until :meth:`shutdown` (from another thread) or Ctrl-C.
    """

    def __init__(
        self,
        root: Path,
        host: str = "127.0.0.1",
        port: int = 8080,
        *,
        max_age: int = DEFAULT_MAX_AGE,
        quiet: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        max_connections: int | None = None,
        log_stream: TextIO | None = None,
    ) -> None:
        """Check ``root``, bind ``host:port``; raise :class:`ServeError` if either fails."""
        if not Path(root).is_dir():
            raise ServeError(f"cannot serve {root}: not a directory")
        self.root = os.path.realpath(root)
        self.quiet = quiet
        self.timeout = timeout
        self.cache_control = f"Cache-Control: public, max-age={int(max_age)}\r\n".encode()
        if max_connections is None:
            soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
            limit = 10_000 if soft == resource.RLIM_INFINITY else soft - 64
            max_connections = max(16, min(10_000, limit))
        self.max_connections = max_connections
        self.socket = _listen(host, port)
        self.server_address: tuple[str, int] = self.socket.getsockname()[:2]
        self.conns: set[Connection] = set()
        self.files = FileCache(self.root, self.cache_control, cache_bytes)
        self.responder = Responder(self.files, quiet=quiet, log_stream=log_stream)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Future[None] | None = None
        self._sweeper: asyncio.TimerHandle | None = None
        self._shutdown_request = False
        self._done = threading.Event()
        self._done.set()

    # -- socketserver-like API -------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://host:port/`` of this server."""
        host, port = self.server_address[:2]
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}/"

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until :meth:`shutdown` is called (``poll_interval`` is accepted, unused)."""
        with self._lock:
            if self._shutdown_request:
                self._shutdown_request = False
                return
            loop = asyncio.new_event_loop()
            self._loop = loop
            self._done.clear()
        try:
            loop.set_exception_handler(exception_handler)
            loop.run_until_complete(self._main())
        finally:
            try:
                _cancel_all(loop)
                for conn in list(self.conns):
                    if conn.transport is not None:
                        conn.transport.abort()
                self.conns.clear()
                loop.run_until_complete(asyncio.sleep(0))
            finally:
                with self._lock:
                    self._loop = None
                    self._stop = None
                    self._shutdown_request = False
                loop.close()
                self._done.set()

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` and wait until it has returned (call from elsewhere)."""
        self.request_stop()
        self._done.wait()

    def request_stop(self) -> None:
        """Ask :meth:`serve_forever` to return, without waiting (safe in signal handlers)."""
        with self._lock:
            self._shutdown_request = True
            if self._loop is not None:
                with contextlib.suppress(RuntimeError):  # loop closing
                    self._loop.call_soon_threadsafe(self._set_stop)

    def server_close(self) -> None:
        """Close the listening socket."""
        self.socket.close()

    def __enter__(self) -> FeedServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.server_close()

    # -- event loop side ---------------------------------------------------------------

    def _set_stop(self) -> None:
        if self._stop is not None and not self._stop.done():
            self._stop.set_result(None)

    async def _main(self) -> None:
        loop = asyncio.get_running_loop()
        self._stop = loop.create_future()
        if self._shutdown_request:
            return
        server = await loop.create_server(
            lambda: Connection(self), sock=self.socket.dup(), backlog=BACKLOG
        )
        self._sweeper = loop.call_later(self._sweep_every(), self._sweep)
        try:
            await self._stop
        finally:
            self._sweeper.cancel()
            server.close()
            for conn in list(self.conns):
                if conn.transport is not None:
                    conn.transport.close()
            await asyncio.sleep(0)

    def _sweep_every(self) -> float:
        return min(1.0, max(0.05, self.timeout / 4))

    def _sweep(self) -> None:
        """Close connections idle (or stuck mid-request, or not reading) too long."""
        loop = asyncio.get_running_loop()
        now = time.monotonic()
        limit = self.timeout
        try:
            for conn in list(self.conns):
                transport = conn.transport
                if transport is None or conn.busy:
                    continue
                if conn.buf:
                    if now - conn.started > limit:
                        conn.fail(408)
                elif now - conn.last > limit:
                    if conn.paused:
                        transport.abort()
                    else:
                        transport.close()
        except Exception:
            log.exception("error closing idle connections")
        finally:
            self._sweeper = loop.call_later(self._sweep_every(), self._sweep)


def _cancel_all(loop: asyncio.AbstractEventLoop) -> None:
    tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))


def port_number(text: str) -> int:
    """An ``argparse`` type: a TCP port, 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a port (1-65535)")
    return port


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (0: any free port), or :class:`ServeError`."""
    where = f"{host}:{port}"
    if not 0 <= port <= 65535:
        raise ServeError(f"cannot serve on {where}: not a port (0-65535)")
    try:
        infos = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (OSError, OverflowError, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ServeError(f"cannot serve on {where}: {reason}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(BACKLOG)
    except (OSError, OverflowError) as exc:
        sock.close()
        if getattr(exc, "errno", None) == errno.EADDRINUSE:
            reason = "address already in use"
        else:
            reason = getattr(exc, "strerror", None) or str(exc)
        raise ServeError(f"cannot serve on {where}: {reason}") from None
    return sock


def make_server(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    max_age: int = DEFAULT_MAX_AGE,
    quiet: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    cache_bytes: int = DEFAULT_CACHE_BYTES,
    max_connections: int | None = None,
) -> FeedServer:
    """A server for ``root`` bound to ``host:port`` (0 picks a free port), not yet serving.

    Call ``serve_forever()`` (blocks; run it in a thread to serve in the background),
    ``shutdown()`` from another thread to stop it, and ``server_close()`` at the end;
    ``server_address`` holds the bound address. ``max_age`` goes into Cache-Control,
    ``timeout`` is the idle keep-alive timeout in seconds, ``cache_bytes`` bounds the
    bodies kept in memory. Raises :class:`ServeError` if the port can't be bound or
    ``root`` is not a directory.
    """
    return FeedServer(
        root,
        host,
        port,
        max_age=max_age,
        quiet=quiet,
        timeout=timeout,
        cache_bytes=cache_bytes,
        max_connections=max_connections,
    )


def serve(
    root: Path,
    host: str,
    port: int,
    stream: TextIO = sys.stdout,
    *,
    max_age: int = DEFAULT_MAX_AGE,
    quiet: bool = True,
) -> int:
    """Serve ``root`` on ``host:port`` until Ctrl-C or SIGTERM; return 0.

    Prints one line, ``Serving <root> at http://host:port/ (Ctrl-C to stop)``, on
    ``stream``. Raises :class:`ServeError` (one-line message) if the port is taken or
    ``root`` is not a directory.
    """
    server = make_server(root, host, port, max_age=max_age, quiet=quiet)
    previous: Callable[..., Any] | int | None = None
    in_main = threading.current_thread() is threading.main_thread()
    try:
        print(f"Serving {root} at {server.url} (Ctrl-C to stop)", file=stream, flush=True)
        if in_main:
            previous = signal.signal(signal.SIGTERM, lambda *_: server.request_stop())
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    finally:
        if in_main and previous is not None:
            signal.signal(signal.SIGTERM, previous)
        server.server_close()
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m tinmoi.serve --root DIR [--host H] [--port P]``."""
    parser = argparse.ArgumentParser(
        prog="python -m tinmoi.serve", description="Serve a folder of feeds until Ctrl-C."
    )
    parser.add_argument("--root", type=Path, default=Path("public"), help="folder to serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=port_number, default=8080)
    parser.add_argument("--max-age", type=int, default=DEFAULT_MAX_AGE)
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    try:
        return serve(args.root, args.host, args.port, max_age=args.max_age, quiet=not args.verbose)
    except ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
