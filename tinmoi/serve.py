"""Serve the feeds' output directory over HTTP, for feed readers.

A small static file server built on :mod:`asyncio` (one event loop, no thread per
connection) with a hand-written HTTP/1.1 parser, because feed readers poll a lot and
most of their requests are conditional: the 304 path costs one ``os.stat`` and a few
dictionary look-ups. Per file the server keeps, keyed by (inode, device, size,
mtime_ns), the body, a strong content-hash ``ETag``, the gzip variant (made once, on
first demand) and the response headers as bytes.

What it does: content types with charsets for the feed formats, ``index.html`` for
directories (no listings), ``ETag``/``Last-Modified``/``Cache-Control``/``Vary``,
``If-None-Match`` and ``If-Modified-Since`` (304), gzip negotiation, ``HEAD``, 405 for
other methods, HTTP/1.1 keep-alive with an idle timeout, and no way out of the root
(dot segments, encoded separators, backslashes, NUL bytes and symlinks leaving the root
are refused).

``python -m tinmoi.serve --root public --port 8080`` serves a folder until Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import gzip
import hashlib
import logging
import os
import re
import resource
import signal
import socket
import stat
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import IO, Any, TextIO
from urllib.parse import unquote_to_bytes

log = logging.getLogger(__name__)

DEFAULT_MAX_AGE = 300
DEFAULT_TIMEOUT = 15.0
DEFAULT_CACHE_BYTES = 64 * 1024 * 1024
#: Files larger than this are not kept in memory: streamed with sendfile, no gzip.
MAX_CACHED_FILE = 8 * 1024 * 1024
MAX_HEAD = 16 * 1024  # request line and headers
MAX_HEADERS = 100
MAX_DISCARD = 1024 * 1024  # request bodies we read and drop to keep the connection
BACKLOG = 1024
_HIGH_WATER = 256 * 1024  # bytes of responses batched before a write

_TYPES = {
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xsl": "text/xsl; charset=utf-8",
    ".xslt": "text/xsl; charset=utf-8",
    ".webmanifest": "application/manifest+json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}
_NAMED_TYPES = {
    "rss.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
    "feed.json": "application/feed+json; charset=utf-8",
}
_DEFAULT_TYPE = "application/octet-stream"

_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    304: "Not Modified",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
    505: "HTTP Version Not Supported",
}
_STATUS_LINES = {
    code: f"HTTP/1.1 {code} {reason}\r\n".encode() for code, reason in _REASONS.items()
}
_CLOSE = b"Connection: close\r\n"
_KEEP_ALIVE = b"Connection: keep-alive\r\n"
_SERVER = b"Server: tinmoi\r\n"
_BAD_TARGET = re.compile(rb"[\x00-\x20\x7f]")
_TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_OVERLOADED = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: 24\r\nRetry-After: 5\r\nConnection: close\r\n\r\n503 Service Unavailable\n"
)


class ServeError(Exception):
    """The server cannot start (port taken, root not a directory); one-line message."""


def content_type(name: str) -> str:
    """The ``Content-Type`` served for a file called ``name``."""
    lowered = name.lower()
    named = _NAMED_TYPES.get(lowered)
    if named:
        return named
    return _TYPES.get(os.path.splitext(lowered)[1], _DEFAULT_TYPE)


def _compressible(ctype: str) -> bool:
    return ctype.startswith("text/") or any(k in ctype for k in ("xml", "json", "javascript"))


def _http_date(timestamp: float) -> str:
    return formatdate(timestamp, usegmt=True)


def _key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns)


class _Entry:
    """One file as served: its identity, body, validators and ready-made header bytes."""

    __slots__ = (
        "body",
        "compressible",
        "etag",
        "gz",
        "gz_done",
        "gz_etag",
        "gz_head",
        "gz_nm_head",
        "key",
        "mtime",
        "nm_head",
        "ok_head",
        "real",
        "size",
        "validators",
    )

    def __init__(
        self, real: str, st: os.stat_result, body: bytes | None, cache_control: bytes
    ) -> None:
        self.real = real
        self.key = _key(st)
        self.size = st.st_size if body is None else len(body)  # a file being rewritten
        self.mtime = st.st_mtime_ns // 1_000_000_000
        self.body = body
        ctype = content_type(os.path.basename(real))
        self.compressible = body is not None and _compressible(ctype)
        if body is not None:
            tag = hashlib.sha256(body).hexdigest()[:20]
        else:  # too big to hash on the event loop: identity from the inode's metadata
            tag = f"{st.st_ino:x}-{st.st_size:x}-{st.st_mtime_ns:x}"
        self.etag = f'"{tag}"'.encode()
        self.gz_etag = f'"{tag}-gz"'.encode()
        self.validators = (
            b"Last-Modified: " + _http_date(self.mtime).encode() + b"\r\n" + cache_control
        )
        vary = b"Vary: Accept-Encoding\r\n"
        self.nm_head = b"ETag: " + self.etag + b"\r\n" + self.validators + vary
        self.ok_head = (
            b"Content-Type: "
            + ctype.encode()
            + b"\r\nContent-Length: "
            + str(self.size).encode()
            + b"\r\n"
            + self.nm_head
        )
        self.gz: bytes | None = None
        self.gz_done = not self.compressible
        self.gz_head = b""
        self.gz_nm_head = b""

    def compress(self) -> int:
        """Make the gzip variant (once); the number of bytes it added to memory."""
        self.gz_done = True
        assert self.body is not None
        data = gzip.compress(self.body, compresslevel=6, mtime=0)
        if len(data) >= len(self.body):
            return 0
        self.gz = data
        ctype = content_type(os.path.basename(self.real))
        self.gz_nm_head = (
            b"ETag: " + self.gz_etag + b"\r\n" + self.validators + b"Vary: Accept-Encoding\r\n"
        )
        self.gz_head = (
            b"Content-Type: "
            + ctype.encode()
            + b"\r\nContent-Encoding: gzip\r\nContent-Length: "
            + str(len(data)).encode()
            + b"\r\n"
            + self.gz_nm_head
        )
        return len(data)


def _accepts_gzip(value: bytes) -> bool:
    """Whether an ``Accept-Encoding`` value accepts gzip (q-values honoured)."""
    gzip_q: float | None = None
    star_q: float | None = None
    for item in value.split(b","):
        coding, _, params = item.partition(b";")
        coding = coding.strip().lower()
        q = 1.0
        for param in params.split(b";"):
            name, _, val = param.partition(b"=")
            if name.strip().lower() == b"q":
                try:
                    q = float(val.strip())
                except ValueError:
                    q = 0.0
        if coding in (b"gzip", b"x-gzip"):
            gzip_q = q if gzip_q is None else max(gzip_q, q)
        elif coding == b"*":
            star_q = q
    if gzip_q is not None:
        return gzip_q > 0
    return star_q is not None and star_q > 0


def _etag_matches(header: bytes, etag: bytes) -> bool:
    """Weak comparison of ``If-None-Match`` against ``etag`` (RFC 9110 §13.1.2)."""
    if header == etag:
        return True
    for item in header.split(b","):
        tag = item.strip()
        if tag == b"*":
            return True
        if tag.startswith(b"W/"):
            tag = tag[2:]
        if tag == etag:
            return True
    return False


def _parse_http_date(value: bytes) -> int | None:
    try:
        when = parsedate_to_datetime(value.decode("latin-1"))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp())


class _Stream:
    """A large file opened for one response, sent with ``loop.sendfile``."""

    __slots__ = ("file", "size")

    def __init__(self, file: IO[bytes], size: int) -> None:
        self.file = file
        self.size = size


# A reply: bytes to write, keep the connection open, bytes of request body to skip,
# and a file to stream after the bytes (or None).
_Reply = tuple[bytes, bool, int, _Stream | None]


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
        self.cache_bytes = cache_bytes
        self.log_stream = log_stream
        self.cache_control = f"Cache-Control: public, max-age={int(max_age)}\r\n".encode()
        if max_connections is None:
            soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
            limit = 10_000 if soft == resource.RLIM_INFINITY else soft - 64
            max_connections = max(16, min(10_000, limit))
        self.max_connections = max_connections
        self.socket = _listen(host, port)
        self.server_address: tuple[str, int] = self.socket.getsockname()[:2]
        self.conns: set[_Connection] = set()
        self._entries: dict[str, _Entry] = {}
        self._cached = 0
        self._targets: dict[bytes, str | int] = {}
        self._dates: dict[bytes, int | None] = {}
        self._encodings: dict[bytes, bool] = {}
        self._date_at = -1
        self._date_line = b""
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
            loop.set_exception_handler(_exception_handler)
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
            lambda: _Connection(self), sock=self.socket.dup(), backlog=BACKLOG
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

    def _date(self) -> bytes:
        now = int(time.time())
        if now != self._date_at:
            self._date_at = now
            self._date_line = b"Date: " + _http_date(now).encode() + b"\r\n" + _SERVER
        return self._date_line

    # -- requests ----------------------------------------------------------------------

    def respond(self, head: bytes, peer: str) -> _Reply:
        """The reply to one request whose line and headers are ``head`` (no final CRLFs)."""
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ")
        if len(parts) != 3:
            return self._error(400, False, head_only=False, line=lines[0], peer=peer)
        method, target, version = parts
        if version == b"HTTP/1.1":
            keep = True
        elif version == b"HTTP/1.0":
            keep = False
        else:
            code = 505 if re.fullmatch(rb"HTTP/\d+(\.\d+)?", version) else 400
            return self._error(code, False, head_only=False, line=lines[0], peer=peer)
        if len(lines) > MAX_HEADERS + 1:
            return self._error(431, False, head_only=False, line=lines[0], peer=peer)
        inm = ims = ae = None
        length: int | None = None
        chunked = False
        for line in lines[1:]:
            name, sep, value = line.partition(b":")
            if not sep or not name or name[-1] in b" \t" or name[0] in b" \t":
                return self._error(400, False, head_only=False, line=lines[0], peer=peer)
            name = name.lower()
            if name == b"if-none-match":
                value = value.strip()
                inm = value if inm is None else inm + b", " + value
            elif name == b"accept-encoding":
                value = value.strip()
                ae = value if ae is None else ae + b", " + value
            elif name == b"if-modified-since":
                ims = value.strip()
            elif name == b"connection":
                tokens = value.lower()
                if b"close" in tokens:
                    keep = False
                elif b"keep-alive" in tokens and version == b"HTTP/1.0":
                    keep = True
            elif name == b"content-length":
                value = value.strip()
                if not value.isdigit() or (length is not None and int(value) != length):
                    return self._error(400, False, head_only=False, line=lines[0], peer=peer)
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = True
        if length is None:
            length = 0
        elif chunked or length > MAX_DISCARD:
            keep = False
            length = 0
        head_only = method == b"HEAD"
        if not head_only and method != b"GET":
            code = 405 if _TOKEN.fullmatch(method) else 400
            reply = self._error(code, keep and code == 405, head_only, line=lines[0], peer=peer)
            return reply[0], reply[1], length, None
        reply = self._serve(
            target, keep, version == b"HTTP/1.0", head_only, inm, ims, ae, lines[0], peer
        )
        if length:
            return reply[0], reply[1], length, reply[3]
        return reply

    def _serve(
        self,
        target: bytes,
        keep: bool,
        http10: bool,
        head_only: bool,
        inm: bytes | None,
        ims: bytes | None,
        ae: bytes | None,
        line: bytes,
        peer: str,
    ) -> _Reply:
        path, _, query = target.partition(b"?")
        if path.startswith((b"http://", b"https://")):  # absolute-form target
            slash = path.find(b"/", path.find(b"//") + 2)
            path = path[slash:] if slash >= 0 else b"/"
        fspath = self._targets.get(path)
        if fspath is None:
            fspath = self._resolve(path)
            if len(self._targets) >= 4096:
                self._targets.clear()
            self._targets[path] = fspath
        if type(fspath) is int:
            return self._error(fspath, keep and fspath == 404, head_only, line=line, peer=peer)
        assert isinstance(fspath, str)
        try:
            st = os.stat(fspath)
        except (OSError, ValueError):
            return self._error(404, keep, head_only, line=line, peer=peer)
        if stat.S_ISDIR(st.st_mode):
            if not path.endswith(b"/"):
                return self._redirect(fspath, path, query, keep, head_only, line, peer)
            fspath = os.path.join(fspath, "index.html")
            try:
                st = os.stat(fspath)
            except (OSError, ValueError):
                return self._error(404, keep, head_only, line=line, peer=peer)
        elif path.endswith(b"/"):
            return self._error(404, keep, head_only, line=line, peer=peer)
        if not stat.S_ISREG(st.st_mode):
            return self._error(404, keep, head_only, line=line, peer=peer)
        entry = self._entries.get(fspath)
        if entry is None or entry.key != _key(st):
            entry = self._load(fspath)
            if entry is None:
                return self._error(404, keep, head_only, line=line, peer=peer)
        gz = False
        if ae is not None and entry.compressible:
            accepted = self._encodings.get(ae)
            if accepted is None:
                accepted = _accepts_gzip(ae)
                if len(self._encodings) >= 256:
                    self._encodings.clear()
                self._encodings[ae] = accepted
            if accepted and not entry.gz_done:
                self._cached += entry.compress()
                self._evict(keep=fspath)
            gz = accepted and entry.gz is not None
        etag = entry.gz_etag if gz else entry.etag
        if inm is not None:
            fresh = _etag_matches(inm, etag)
        elif ims is not None:
            since = self._dates.get(ims, -1)
            if since == -1:
                since = _parse_http_date(ims)
                if len(self._dates) >= 256:
                    self._dates.clear()
                self._dates[ims] = since
            fresh = since is not None and entry.mtime <= since
        else:
            fresh = False
        if not keep:
            conn = _CLOSE
        elif http10:
            conn = _KEEP_ALIVE  # HTTP/1.0 clients assume close without it
        else:
            conn = b""
        if fresh:
            data = (
                _STATUS_LINES[304]
                + self._date()
                + conn
                + (entry.gz_nm_head if gz else entry.nm_head)
                + b"\r\n"
            )
            if not self.quiet:
                self._log(peer, line, 304, 0)
            return data, keep, 0, None
        head = _STATUS_LINES[200] + self._date() + conn
        head += entry.gz_head if gz else entry.ok_head
        head += b"\r\n"
        if not self.quiet:
            self._log(peer, line, 200, entry.size)
        if head_only:
            return head, keep, 0, None
        if gz:
            return head + entry.gz, keep, 0, None  # type: ignore[operator]
        if entry.body is not None:
            return head + entry.body, keep, 0, None
        return self._stream(entry, fspath, keep, head, line, peer)

    def _stream(
        self, entry: _Entry, fspath: str, keep: bool, head: bytes, line: bytes, peer: str
    ) -> _Reply:
        """Headers now, then the (large, uncached) file with sendfile."""
        try:
            file = open(entry.real, "rb")  # noqa: SIM115 - closed by the connection
        except OSError:
            return self._error(404, keep, False, line=line, peer=peer)
        if _key(os.fstat(file.fileno())) != entry.key:  # replaced since the stat: retry later
            file.close()
            self._entries.pop(fspath, None)
            return self._error(503, False, False, line=line, peer=peer)
        return head, keep, 0, _Stream(file, entry.size)

    def _resolve(self, path: bytes) -> str | int:
        """The file system path for a request path, or an error status."""
        if not path.startswith(b"/") or _BAD_TARGET.search(path) or b"\\" in path:
            return 400
        try:
            text = unquote_to_bytes(path).decode("utf-8")
        except UnicodeDecodeError:
            return 400
        if "\x00" in text or "\\" in text:
            return 400
        segments = []
        for segment in text.split("/"):
            if not segment:
                continue
            if segment in (".", ".."):
                return 400
            if segment.startswith("."):
                return 404  # hidden files (temporary files of atomic writes, .git)
            segments.append(segment)
        return os.path.join(self.root, *segments)

    def _inside(self, real: str) -> bool:
        return real == self.root or real.startswith(self.root.rstrip(os.sep) + os.sep)

    def _load(self, fspath: str) -> _Entry | None:
        """Read (and remember) a regular file inside the root; None when it isn't one."""
        real = os.path.realpath(fspath)
        if not self._inside(real):
            return None
        try:
            with open(real, "rb") as file:
                st = os.fstat(file.fileno())
                if not stat.S_ISREG(st.st_mode):
                    return None
                body = file.read() if st.st_size <= MAX_CACHED_FILE else None
        except OSError:
            return None
        entry = _Entry(real, st, body, self.cache_control)
        old = self._entries.pop(fspath, None)
        if old is not None:
            self._cached -= _entry_bytes(old)
        self._entries[fspath] = entry
        self._cached += _entry_bytes(entry)
        self._evict(keep=fspath)
        return entry

    def _evict(self, keep: str) -> None:
        """Forget the oldest files until the cache fits in ``cache_bytes``."""
        if self._cached <= self.cache_bytes:
            return
        for path in list(self._entries):
            if self._cached <= self.cache_bytes:
                break
            if path != keep:
                self._cached -= _entry_bytes(self._entries.pop(path))

    def _redirect(
        self,
        fspath: str,
        path: bytes,
        query: bytes,
        keep: bool,
        head_only: bool,
        line: bytes,
        peer: str,
    ) -> _Reply:
        if not self._inside(os.path.realpath(fspath)):
            return self._error(404, keep, head_only, line=line, peer=peer)
        location = path + b"/"
        if query and not _BAD_TARGET.search(query):
            location += b"?" + query
        body = b"301 Moved Permanently\n"
        data = (
            _STATUS_LINES[301]
            + self._date()
            + (_KEEP_ALIVE if keep else _CLOSE)
            + b"Location: "
            + location
            + b"\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\n"
            + self.cache_control
            + b"\r\n"
        )
        if not self.quiet:
            self._log(peer, line, 301, len(body))
        return (data if head_only else data + body), keep, 0, None

    def _error(
        self, code: int, keep: bool, head_only: bool, *, line: bytes = b"-", peer: str = "-"
    ) -> _Reply:
        """A short plain-text error reply."""
        body = f"{code} {_REASONS[code]}\n".encode()
        data = (
            _STATUS_LINES[code]
            + self._date()
            + (_KEEP_ALIVE if keep else _CLOSE)
            + (b"Allow: GET, HEAD\r\n" if code == 405 else b"")
            + b"Content-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\nCache-Control: no-cache\r\n\r\n"
        )
        if not self.quiet:
            self._log(peer, line, code, len(body))
        return (data if head_only else data + body), keep, 0, None

    def _log(self, peer: str, line: bytes, code: int, size: int) -> None:
        stamp = time.strftime("%d/%b/%Y:%H:%M:%S", time.localtime())
        request = line.decode("latin-1").encode("unicode_escape").decode("ascii")
        stream = self.log_stream or sys.stderr
        with contextlib.suppress(OSError, ValueError):
            print(f'{peer} - - [{stamp}] "{request}" {code} {size}', file=stream, flush=True)


def _entry_bytes(entry: _Entry) -> int:
    return len(entry.body or b"") + len(entry.gz or b"")


class _Connection(asyncio.Protocol):
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
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        if len(self.server.conns) >= self.server.max_connections:
            transport.write(_OVERLOADED)
            transport.close()
            return
        self.server.conns.add(self)
        if not self.server.quiet:
            peer = transport.get_extra_info("peername")
            self.peer = str(peer[0]) if peer else "-"

    def connection_lost(self, exc: Exception | None) -> None:
        self.server.conns.discard(self)
        self.transport = None
        self.buf = b""
        if self.task is not None:
            self.task.cancel()

    def data_received(self, data: bytes) -> None:
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
        self.paused = True

    def resume_writing(self) -> None:
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
        transport.write(self.server._error(code, False, False)[0])
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
        stream: _Stream | None = None
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
                        out.append(server._error(431, False, False)[0])
                        close = True
                        buf = b""
                    break
                data, keep, self.discard, stream = server.respond(buf[:end], self.peer)
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
            out.append(server._error(500, False, False)[0])
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

    async def _send(self, stream: _Stream, keep: bool) -> None:
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


def _exception_handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """Drop the noise of clients going away; report anything else."""
    exc = context.get("exception")
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return
    if isinstance(exc, OSError) and exc.errno in (errno.EPIPE, errno.ECONNRESET, errno.EBADF):
        return
    loop.default_exception_handler(context)


def _cancel_all(loop: asyncio.AbstractEventLoop) -> None:
    tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``, or :class:`ServeError`."""
    where = f"{host}:{port}"
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
    parser = argparse.ArgumentParser(prog="python -m tinmoi.serve", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("public"), help="folder to serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--max-age", type=int, default=DEFAULT_MAX_AGE)
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    try:
        return serve(args.root, args.host, args.port, max_age=args.max_age, quiet=not args.verbose)
    except ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
