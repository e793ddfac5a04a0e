"""Serve a bundled offline portal snapshot on loopback.

A snapshot folder holds one directory per host (``main``, ``cdn``, ``alias``), each with
``routes.json`` mapping full URLs (path and query string) to files: a file name, or
``{"file": NAME, "type": CONTENT_TYPE}`` where the type is not the one the name implies
(a page in windows-1258, an RSS feed), and ``"headers"`` the platform adds to the answer
(``MicrosoftSharePointTeamServices``, a session cookie). Each host gets its
own server on a free port; :meth:`SnapshotSite.url_map` says which public origin is
served where, which is exactly what a spider's ``url_map`` override takes.

ASP.NET postbacks (a pager link ``javascript:__doPostBack('…$grvNews','Page$2')``) are
POSTs of the page's form to its action. Their routes are keyed ``"POST TARGET ARGUMENT"``
(``"POST /Default.aspx?tabid=89 Page$2"``, the form's ``__EVENTARGUMENT`` last) and may
name the ``"viewstate"`` the page posting back was served with: as ASP.NET does, a POST
whose ``__VIEWSTATE`` is missing or different is answered 500. Such a request is logged
in :attr:`HostServer.requests` under its route key.

Faults (:attr:`HostServer.faults`) replay what real portals do: errors, slow answers,
truncated or mislabelled pages, and layout changes such as ``rename:news-bodyhtml=news-body``
(the page served with that ``id`` or ``class`` renamed, as after a theme update; several
pairs separated by commas).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import mimetypes
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from tinmoi.snapshot_pages import gzip_bomb, rename_attribute, stray_bytes, to_cp1258, zip_bomb

SNAPSHOTS = Path(str(files("tinmoi") / "snapshots"))
#: Every snapshot page claims this modification time (the bytes give the ETag).
LAST_MODIFIED = "Mon, 01 Jul 2024 02:00:00 GMT"
_TYPES = {".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8"}
#: What ASP.NET answers a postback whose view state is not the page's.
INVALID_VIEWSTATE = b"The state information is invalid for this page and might be corrupted.\n"


def snapshot_dir(portal: str) -> Path:
    """The bundled snapshot folder of ``portal``."""
    return SNAPSHOTS / portal


def bundled_portals() -> list[str]:
    """Portals that ship with a snapshot."""
    return sorted(p.parent.name for p in SNAPSHOTS.glob("*/site.json"))


def route_file(route: dict[str, str]) -> tuple[str, str | None]:
    """The file and content type of a route given as an object."""
    return route["file"], route.get("type")


class _Handler(BaseHTTPRequestHandler):
    server: HostServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def do_POST(self) -> None:
        """An ASP.NET postback: routed by target and ``__EVENTARGUMENT``, view state checked.

        The answer has no validators (ASP.NET sends none for postbacks), so it is never 304.
        """
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", errors="replace")
        form = {name: values[0] for name, values in parse_qs(raw, keep_blank_values=True).items()}
        key = f"POST {self.path} {form.get('__EVENTARGUMENT', '')}"
        self.server.log_request_target(key)
        route = self.server.route(key)
        if route is None:
            self._send(HTTPStatus.NOT_FOUND, b"Not found\n", "text/plain; charset=utf-8", True)
            return
        name, content_type = (route, None) if isinstance(route, str) else route_file(route)
        expected = None if isinstance(route, str) else route.get("viewstate")
        if expected is not None and form.get("__VIEWSTATE") != expected:
            error = HTTPStatus.INTERNAL_SERVER_ERROR
            self._send(error, INVALID_VIEWSTATE, "text/plain; charset=utf-8", True)
            return
        path = self.server.root / name
        content_type = content_type or _TYPES.get(path.suffix) or "application/octet-stream"
        self._send(HTTPStatus.OK, path.read_bytes(), content_type, True)

    def _respond(self, body: bool) -> None:
        self.server.log_request_target(self.path)
        route = self.server.route(self.path)
        if route is None:
            fault = self.server.next_fault(self.path)  # a fault may serve what has no file
            if fault and self._fault(fault, b"", body):
                return
            self._send(HTTPStatus.NOT_FOUND, b"Not found\n", "text/plain; charset=utf-8", body)
            return
        name, content_type = (route, None) if isinstance(route, str) else route_file(route)
        path = self.server.root / name
        data = path.read_bytes()
        content_type = content_type or _TYPES.get(path.suffix)
        content_type = content_type or mimetypes.guess_type(path.name)[0]
        content_type = content_type or "application/octet-stream"
        fault = self.server.next_fault(self.path)
        if fault and self._fault(fault, data, body):
            return
        if fault and fault.startswith("rename:"):  # a theme renamed ids or classes
            for pair in fault.removeprefix("rename:").split(","):
                old, _, new = pair.partition("=")
                data = rename_attribute(data, old, new)
        if fault == "mislabel":  # UTF-8 bytes, labelled windows-1258
            content_type = "text/html; charset=windows-1258"
        elif fault == "legacy":  # windows-1258 bytes, labelled UTF-8
            data = to_cp1258(data.decode("utf-8")).replace(b'charset="utf-8"', b"")
        elif fault and fault.startswith("stray"):
            data = stray_bytes(data, fault.partition(":")[2])
        validators = {
            "ETag": '"' + hashlib.sha256(data).hexdigest()[:20] + '"',
            "Last-Modified": LAST_MODIFIED,
            **(route.get("headers", {}) if isinstance(route, dict) else {}),
        }
        if fault == "gzip-mislabel":  # gzip'd UTF-8, labelled windows-1258
            data = gzip.compress(data.replace(b'charset="utf-8"', b""))
            content_type = "text/html; charset=windows-1258"
            validators["Content-Encoding"] = "gzip"
        if self.headers.get("If-None-Match") == validators["ETag"]:
            self._send(HTTPStatus.NOT_MODIFIED, b"", "", False, validators)
            return
        self._send(HTTPStatus.OK, data, content_type, body, validators)

    def _fault(self, fault: str, data: bytes, body: bool) -> bool:
        """Play a fault; True when it answered the request itself."""
        kind, _, arg = fault.partition(":")
        if kind == "sleep":
            time.sleep(float(arg))
            return False
        if kind in ("500", "404"):
            self._send(HTTPStatus(int(kind)), b"Error\n", "text/plain; charset=utf-8", body)
        elif kind in ("429", "503"):
            headers = {"Retry-After": arg} if arg else {}
            self._send(HTTPStatus(int(kind)), b"Busy\n", "text/plain", body, headers)
        elif kind == "redirect":
            self._send(HTTPStatus.FOUND, b"", "text/plain", body, {"Location": arg})
        elif kind == "redirect-port":  # the same path on another port of this host
            where = {"Location": f"http://{self.server.host}:{arg}{self.path}"}
            self._send(HTTPStatus.FOUND, b"", "text/plain", body, where)
        elif kind == "truncate":
            self.server.log_status(self.path, 200)
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif kind == "gzip-bomb":  # a .gz file, not a Content-Encoding
            data = gzip_bomb(int(arg or 1024))
            self._send(HTTPStatus.OK, data, "application/x-gzip", body)
        elif kind == "zip-bomb":  # a DOCX or XLSX whose one member unpacks to MIB MiB
            member = "xl/sharedStrings.xml" if ".xlsx" in self.path else "word/document.xml"
            data = zip_bomb(member, int(arg or 1024))
            self._send(HTTPStatus.OK, data, "application/octet-stream", body)
        elif kind == "sitemap-chain":
            self._sitemap_chain(int(arg or 1), body)
        elif kind == "big":
            size = int(arg)
            padding = b"<!-- " + b"x" * size + b" -->"
            self._send(HTTPStatus.OK, data + padding, "text/html; charset=utf-8", body)
        else:
            return False
        return True

    def _sitemap_chain(self, fanout: int, body: bool) -> None:
        """A sitemap index listing ``fanout`` new sitemaps, each of them one more such
        index (the ``sitemap-chain[:FANOUT]`` fault: an endless chain, or tree)."""
        stem = self.path.split("?", 1)[0].removesuffix(".xml")
        children = [f"{stem}-{n}.xml" for n in range(1, fanout + 1)]
        for child in children:
            self.server.add_fault(child, f"sitemap-chain:{fanout}")
        locs = "".join(f"<sitemap><loc>{self.server.url}{c}</loc></sitemap>" for c in children)
        index = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</sitemapindex>'
        )
        self._send(HTTPStatus.OK, index.encode(), "application/xml; charset=utf-8", body)

    def _send(
        self,
        status: HTTPStatus,
        data: bytes,
        content_type: str,
        body: bool,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.server.log_status(self.path, int(status))
        self.send_response(status)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the server is a test fixture."""


class HostServer(ThreadingHTTPServer):
    """One snapshot host on ``host:port`` (port 0 picks a free one)."""

    daemon_threads = True

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.root = root
        self._routes: dict[str, Any] = {}
        self._routes_stamp = 0
        #: Faults to play, per request target: each request takes the next one.
        self.faults: dict[str, list[str]] = {}
        self.requests: list[str] = []
        #: When each request came (``time.monotonic()``), in order.
        self.times: list[float] = []
        self.statuses: list[tuple[str, int]] = []
        self._lock = threading.Lock()
        super().__init__((host, port), _Handler)

    def route(self, target: str) -> str | dict[str, Any] | None:
        """The route serving ``target`` (``routes.json`` is re-read when it changes)."""
        path = self.root / "routes.json"
        stamp = path.stat().st_mtime_ns
        with self._lock:
            if stamp != self._routes_stamp:
                self._routes = json.loads(path.read_text("utf-8"))
                self._routes_stamp = stamp
            return self._routes.get(target)

    def next_fault(self, target: str) -> str | None:
        """The next fault planned for ``target``, if any."""
        with self._lock:
            queue = self.faults.get(target)
            return queue.pop(0) if queue else None

    def add_fault(self, target: str, fault: str) -> None:
        """Plan one more fault for ``target``."""
        with self._lock:
            self.faults.setdefault(target, []).append(fault)

    def log_request_target(self, target: str) -> None:
        """Remember a request (tests count them)."""
        with self._lock:
            self.requests.append(target)
            self.times.append(time.monotonic())

    def log_status(self, target: str, status: int) -> None:
        """Remember what a request was answered."""
        with self._lock:
            self.statuses.append((target, status))

    @property
    def host(self) -> str:
        """The address this server listens on."""
        host = self.server_address[0]
        assert isinstance(host, str)  # an AF_INET socket names it as text
        return host

    @property
    def url(self) -> str:
        """``http://host:port`` of this server."""
        return f"http://{self.host}:{self.server_port}"


class SnapshotSite:
    """Every host of one portal's snapshot, each served on loopback."""

    def __init__(self, root: Path, hosts: dict[str, str] | None = None) -> None:
        self.root = root
        self.site: dict[str, Any] = json.loads((root / "site.json").read_text("utf-8"))
        self.portal: str = self.site["portal"]
        bind = hosts or {}
        self.servers: dict[str, HostServer] = {}
        for role in self.site["hosts"]:
            self.servers[role] = _bind(root / role, bind.get(role, "127.0.0.1"))
        self._threads: list[threading.Thread] = []

    def start(self) -> SnapshotSite:
        """Serve every host in background threads."""
        for server in self.servers.values():
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop serving and close the sockets."""
        for server in self.servers.values():
            server.shutdown()
            server.server_close()

    def url_map(self) -> dict[str, str]:
        """Public origin → where it is served (what a spider's ``url_map`` takes)."""
        return {public: self.servers[role].url for role, public in self.site["hosts"].items()}

    @property
    def base_url(self) -> str:
        """Where the portal's own pages are served."""
        return self.servers["main"].url


def _bind(root: Path, host: str) -> HostServer:
    try:
        return HostServer(root, host)
    except OSError:
        if host == "127.0.0.1":
            raise
        return HostServer(root, "127.0.0.1")  # systems where only 127.0.0.1 is up


@contextmanager
def serving(portal: str, hosts: dict[str, str] | None = None) -> Iterator[SnapshotSite]:
    """Serve ``portal``'s bundled snapshot for the duration of a ``with`` block."""
    site = SnapshotSite(snapshot_dir(portal), hosts).start()
    try:
        yield site
    finally:
        site.stop()


def main(argv: list[str] | None = None) -> None:
    """``python -m tinmoi.snapshot PORTAL``: serve a snapshot until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("portal", choices=bundled_portals())
    args = parser.parse_args(argv)
    with serving(args.portal) as site:
        for public, local in site.url_map().items():
            print(f"{public} -> {local}")
        with suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
