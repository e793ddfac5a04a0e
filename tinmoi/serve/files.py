"""The files a server serves: content types, and the cache of bodies with their validators.

Per file the cache keeps, keyed by (inode, device, size, mtime_ns), the body, a strong
content-hash ``ETag``, the gzip variant (made once, on first demand) and the response
headers as bytes, so that answering a reader costs one ``os.stat`` and a few look-ups.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import stat
from email.utils import formatdate
from urllib.parse import unquote_to_bytes

#: Files larger than this are not kept in memory: streamed with sendfile, no gzip.
MAX_CACHED_FILE = 8 * 1024 * 1024

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
#: Bytes that never belong in a request target (controls, space, DEL).
BAD_TARGET = re.compile(rb"[\x00-\x20\x7f]")


def content_type(name: str) -> str:
    """The ``Content-Type`` served for a file called ``name``."""
    lowered = name.lower()
    named = _NAMED_TYPES.get(lowered)
    if named:
        return named
    return _TYPES.get(os.path.splitext(lowered)[1], _DEFAULT_TYPE)


def http_date(timestamp: float) -> str:
    """``timestamp`` as an HTTP date (``Thu, 01 Aug 2025 02:00:00 GMT``)."""
    return formatdate(timestamp, usegmt=True)


def file_key(st: os.stat_result) -> tuple[int, int, int, int]:
    """What tells one version of a file from another without reading it."""
    return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns)


def _compressible(ctype: str) -> bool:
    return ctype.startswith("text/") or any(k in ctype for k in ("xml", "json", "javascript"))


class Entry:
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
        """Headers for ``real`` (``body`` None: too large to keep, streamed instead)."""
        self.real = real
        self.key = file_key(st)
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
            b"Last-Modified: " + http_date(self.mtime).encode() + b"\r\n" + cache_control
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

    def weight(self) -> int:
        """Bytes this entry keeps in memory."""
        return len(self.body or b"") + len(self.gz or b"")


class FileCache:
    """The files under one root, resolved from request paths and kept in memory."""

    def __init__(self, root: str, cache_control: bytes, cache_bytes: int) -> None:
        """Serve files under the real path ``root``, keeping at most ``cache_bytes``."""
        self.root = root
        self.cache_control = cache_control
        self.cache_bytes = cache_bytes
        self.entries: dict[str, Entry] = {}
        self.cached = 0

    def resolve(self, path: bytes) -> str | int:
        """The file system path for a request path, or an error status."""
        if not path.startswith(b"/") or BAD_TARGET.search(path) or b"\\" in path:
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

    def inside(self, real: str) -> bool:
        """Whether the real path ``real`` lies under the root."""
        return real == self.root or real.startswith(self.root.rstrip(os.sep) + os.sep)

    def entry(self, fspath: str, st: os.stat_result) -> Entry | None:
        """The entry of ``fspath`` as ``st`` describes it, (re)loaded when it changed."""
        entry = self.entries.get(fspath)
        if entry is None or entry.key != file_key(st):
            entry = self.load(fspath)
        return entry

    def load(self, fspath: str) -> Entry | None:
        """Read (and remember) a regular file inside the root; None when it isn't one."""
        real = os.path.realpath(fspath)
        if not self.inside(real):
            return None
        try:
            with open(real, "rb") as file:
                st = os.fstat(file.fileno())
                if not stat.S_ISREG(st.st_mode):
                    return None
                body = file.read() if st.st_size <= MAX_CACHED_FILE else None
        except OSError:
            return None
        entry = Entry(real, st, body, self.cache_control)
        old = self.entries.pop(fspath, None)
        if old is not None:
            self.cached -= old.weight()
        self.entries[fspath] = entry
        self.cached += entry.weight()
        self.evict(keep=fspath)
        return entry

    def compress(self, fspath: str, entry: Entry) -> None:
        """Make ``entry``'s gzip variant, within the cache's bound."""
        self.cached += entry.compress()
        self.evict(keep=fspath)

    def forget(self, fspath: str) -> None:
        """Drop ``fspath`` from the cache (it changed under us)."""
        old = self.entries.pop(fspath, None)
        if old is not None:
            self.cached -= old.weight()

    def evict(self, keep: str) -> None:
        """Forget the oldest files until the cache fits in ``cache_bytes``."""
        if self.cached <= self.cache_bytes:
            return
        for path in list(self.entries):
            if self.cached <= self.cache_bytes:
                break
            if path != keep:
                self.cached -= self.entries.pop(path).weight()
