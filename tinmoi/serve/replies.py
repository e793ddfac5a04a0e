"""HTTP/1.1 semantics of the feed server: one request's head in, the reply's bytes out.

Conditional requests (``If-None-Match``, then ``If-Modified-Since``), gzip negotiation
with q-values, ``HEAD``, 301 to a directory's slash, 405 for other methods, and the
error replies. No I/O here but ``os.stat`` and reading files through the cache.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import time
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import IO, TextIO

from tinmoi.serve.files import BAD_TARGET, Entry, FileCache, file_key, http_date

MAX_HEADERS = 100
MAX_DISCARD = 1024 * 1024  # request bodies we read and drop to keep the connection

REASONS = {
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
_STATUS_LINES = {code: f"HTTP/1.1 {code} {reason}\r\n".encode() for code, reason in REASONS.items()}
_CLOSE = b"Connection: close\r\n"
_KEEP_ALIVE = b"Connection: keep-alive\r\n"
_SERVER = b"Server: tinmoi\r\n"
_TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_VERSION = re.compile(rb"HTTP/\d+(\.\d+)?")


class Stream:
    """A large file opened for one response, sent with ``loop.sendfile``."""

    __slots__ = ("file", "size")

    def __init__(self, file: IO[bytes], size: int) -> None:
        """``size`` bytes of the open ``file`` to send."""
        self.file = file
        self.size = size


#: A reply: bytes to write, keep the connection open, bytes of request body to skip,
#: and a file to stream after the bytes (or None).
Reply = tuple[bytes, bool, int, Stream | None]


def accepts_gzip(value: bytes) -> bool:
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


def etag_matches(header: bytes, etag: bytes) -> bool:
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


def parse_http_date(value: bytes) -> int | None:
    """The POSIX time of an HTTP date, or None if it is not one."""
    try:
        when = parsedate_to_datetime(value.decode("latin-1"))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp())


class Responder:
    """Answers requests for the files of one :class:`FileCache`."""

    def __init__(
        self, files: FileCache, *, quiet: bool = True, log_stream: TextIO | None = None
    ) -> None:
        """Answer from ``files``; log each request on ``log_stream`` unless ``quiet``."""
        self.files = files
        self.cache_control = files.cache_control
        self.quiet = quiet
        self.log_stream = log_stream
        self._targets: dict[bytes, str | int] = {}
        self._dates: dict[bytes, int | None] = {}
        self._encodings: dict[bytes, bool] = {}
        self._date_at = -1
        self._date_line = b""

    def _date(self) -> bytes:
        now = int(time.time())
        if now != self._date_at:
            self._date_at = now
            self._date_line = b"Date: " + http_date(now).encode() + b"\r\n" + _SERVER
        return self._date_line

    def respond(self, head: bytes, peer: str) -> Reply:
        """The reply to one request whose line and headers are ``head`` (no final CRLFs)."""
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ")
        if len(parts) != 3:
            return self.error(400, False, False, line=lines[0], peer=peer)
        method, target, version = parts
        if version == b"HTTP/1.1":
            keep = True
        elif version == b"HTTP/1.0":
            keep = False
        else:
            code = 505 if _VERSION.fullmatch(version) else 400
            return self.error(code, False, False, line=lines[0], peer=peer)
        if len(lines) > MAX_HEADERS + 1:
            return self.error(431, False, False, line=lines[0], peer=peer)
        inm = ims = ae = None
        length: int | None = None
        for line in lines[1:]:
            name, sep, value = line.partition(b":")
            if not sep or not name or name[-1] in b" \t" or name[0] in b" \t":
                return self.error(400, False, False, line=lines[0], peer=peer)
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
                    return self.error(400, False, False, line=lines[0], peer=peer)
                length = int(value)
            elif name == b"transfer-encoding":
                # A body framed in chunks is not read: refused, so that it is never
                # taken for the next request (RFC 9112 §6.1, §6.3).
                return self.error(400, False, False, line=lines[0], peer=peer)
        if length is None:
            length = 0
        elif length > MAX_DISCARD:
            keep = False
            length = 0
        head_only = method == b"HEAD"
        if not head_only and method != b"GET":
            code = 405 if _TOKEN.fullmatch(method) else 400
            reply = self.error(code, keep and code == 405, head_only, line=lines[0], peer=peer)
            return reply[0], reply[1], length, None
        reply = self._serve(
            target, keep, version == b"HTTP/1.0", head_only, inm, ims, ae, lines[0], peer
        )
        if length:
            return reply[0], reply[1], length, reply[3]
        return reply

    def _fspath(self, path: bytes) -> str | int:
        fspath = self._targets.get(path)
        if fspath is None:
            fspath = self.files.resolve(path)
            if len(self._targets) >= 4096:
                self._targets.clear()
            self._targets[path] = fspath
        return fspath

    def _gzip(self, ae: bytes | None, fspath: str, entry: Entry) -> bool:
        if ae is None or not entry.compressible:
            return False
        accepted = self._encodings.get(ae)
        if accepted is None:
            accepted = accepts_gzip(ae)
            if len(self._encodings) >= 256:
                self._encodings.clear()
            self._encodings[ae] = accepted
        if accepted and not entry.gz_done:
            self.files.compress(fspath, entry)
        return accepted and entry.gz is not None

    def _fresh(self, inm: bytes | None, ims: bytes | None, etag: bytes, mtime: int) -> bool:
        if inm is not None:
            return etag_matches(inm, etag)
        if ims is None:
            return False
        since = self._dates.get(ims, -1)
        if since == -1:
            since = parse_http_date(ims)
            if len(self._dates) >= 256:
                self._dates.clear()
            self._dates[ims] = since
        return since is not None and mtime <= since

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
    ) -> Reply:
        path, _, query = target.partition(b"?")
        if path.startswith((b"http://", b"https://")):  # absolute-form target
            slash = path.find(b"/", path.find(b"//") + 2)
            path = path[slash:] if slash >= 0 else b"/"
        fspath = self._fspath(path)
        if type(fspath) is int:
            return self.error(fspath, keep and fspath == 404, head_only, line=line, peer=peer)
        assert isinstance(fspath, str)
        try:
            st = os.stat(fspath)
        except (OSError, ValueError):
            return self.error(404, keep, head_only, line=line, peer=peer)
        if stat.S_ISDIR(st.st_mode):
            if not path.endswith(b"/"):
                return self._redirect(fspath, path, query, keep, head_only, line, peer)
            fspath = os.path.join(fspath, "index.html")
            try:
                st = os.stat(fspath)
            except (OSError, ValueError):
                return self.error(404, keep, head_only, line=line, peer=peer)
        elif path.endswith(b"/"):
            return self.error(404, keep, head_only, line=line, peer=peer)
        entry = self.files.entry(fspath, st) if stat.S_ISREG(st.st_mode) else None
        if entry is None:
            return self.error(404, keep, head_only, line=line, peer=peer)
        gz = self._gzip(ae, fspath, entry)
        if not keep:
            conn = _CLOSE
        elif http10:
            conn = _KEEP_ALIVE  # HTTP/1.0 clients assume close without it
        else:
            conn = b""
        if self._fresh(inm, ims, entry.gz_etag if gz else entry.etag, entry.mtime):
            data = _STATUS_LINES[304] + self._date() + conn
            data += (entry.gz_nm_head if gz else entry.nm_head) + b"\r\n"
            if not self.quiet:
                self.log(peer, line, 304, 0)
            return data, keep, 0, None
        head = _STATUS_LINES[200] + self._date() + conn
        head += (entry.gz_head if gz else entry.ok_head) + b"\r\n"
        if not self.quiet:
            self.log(peer, line, 200, entry.size)
        if head_only:
            return head, keep, 0, None
        if gz:
            assert entry.gz is not None
            return head + entry.gz, keep, 0, None
        if entry.body is not None:
            return head + entry.body, keep, 0, None
        return self._stream(entry, fspath, keep, head, line, peer)

    def _stream(
        self, entry: Entry, fspath: str, keep: bool, head: bytes, line: bytes, peer: str
    ) -> Reply:
        """Headers now, then the (large, uncached) file with sendfile."""
        try:
            file = open(entry.real, "rb")  # noqa: SIM115 - closed by the connection
        except OSError:
            return self.error(404, keep, False, line=line, peer=peer)
        if file_key(os.fstat(file.fileno())) != entry.key:  # replaced since the stat
            file.close()
            self.files.forget(fspath)
            return self.error(503, False, False, line=line, peer=peer)
        return head, keep, 0, Stream(file, entry.size)

    def _redirect(
        self,
        fspath: str,
        path: bytes,
        query: bytes,
        keep: bool,
        head_only: bool,
        line: bytes,
        peer: str,
    ) -> Reply:
        if not self.files.inside(os.path.realpath(fspath)):
            return self.error(404, keep, head_only, line=line, peer=peer)
        location = path + b"/"
        if query and not BAD_TARGET.search(query):
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
            self.log(peer, line, 301, len(body))
        return (data if head_only else data + body), keep, 0, None

    def error(
        self, code: int, keep: bool, head_only: bool, *, line: bytes = b"-", peer: str = "-"
    ) -> Reply:
        """A short plain-text error reply."""
        body = f"{code} {REASONS[code]}\n".encode()
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
            self.log(peer, line, code, len(body))
        return (data if head_only else data + body), keep, 0, None

    def log(self, peer: str, line: bytes, code: int, size: int) -> None:
        """One line of the common log format on the log stream (stderr by default)."""
        stamp = time.strftime("%d/%b/%Y:%H:%M:%S", time.localtime())
        request = line.decode("latin-1").encode("unicode_escape").decode("ascii")
        stream = self.log_stream or sys.stderr
        with contextlib.suppress(OSError, ValueError):
            print(f'{peer} - - [{stamp}] "{request}" {code} {size}', file=stream, flush=True)
