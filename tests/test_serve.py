"""``tinmoi.serve``: the static feed server, over real HTTP on loopback."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

import pytest

from tinmoi import serve as serve_module
from tinmoi.serve import ServeError, make_server, serve
from tinmoi.serve import files as serve_files

SECRET = b"TOP-SECRET-do-not-serve-4f1c"
RSS = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Tin m\xe1\xbb\x9bi'
    b"</title>"
    + b"".join(
        b"<item><title>Tin %d</title><link>https://example.vn/%d.html</link></item>" % (i, i)
        for i in range(60)
    )
    + b"</channel></rss>\n"
)
ATOM = b'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"/>\n'
FEED_JSON = (
    b'{"version": "https://jsonfeed.org/version/1.1", "title": "Tin m\xe1\xbb\x9bi", "items": ['
    + b", ".join(b'{"id": "%d", "url": "https://example.vn/%d.html"}' % (i, i) for i in range(30))
    + b"]}\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@dataclass
class Site:
    root: Path
    port: int
    server: serve_module.FeedServer

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)


def build_root(tmp_path: Path) -> Path:
    """An output folder like ``tinmoi build`` writes, plus things that must not leak."""
    (tmp_path / "secret.txt").write_bytes(SECRET)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_bytes(SECRET)
    (outside / "secret.txt").write_bytes(SECRET)
    root = tmp_path / "public"
    (root / "sub").mkdir(parents=True)
    (root / "empty").mkdir()
    (root / "rss.xml").write_bytes(RSS)
    (root / "atom.xml").write_bytes(ATOM)
    (root / "feed.json").write_bytes(FEED_JSON)
    (root / "other.xml").write_bytes(b"<x/>\n")
    (root / "data.json").write_bytes(b"[]\n")
    (root / "feeds.opml").write_bytes(b'<opml version="2.0"><body/></opml>\n')
    (root / "index.html").write_bytes(b"<!doctype html><title>Tin m\xe1\xbb\x9bi</title>\n")
    (root / "style.css").write_bytes(b"body { margin: 0 }\n")
    (root / "app.js").write_bytes(b"console.log(1)\n")
    (root / "robots.txt").write_bytes(b"User-agent: *\n")
    (root / "logo.png").write_bytes(PNG)
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff" + bytes(500))
    (root / "sub" / "index.html").write_bytes(b"<p>sub</p>\n")
    (root / "sub" / "rss.xml").write_bytes(RSS.replace(b"Tin ", b"Sub "))
    (root / ".hidden").write_bytes(SECRET)
    (root / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (root / "leakdir").symlink_to(outside, target_is_directory=True)
    (root / "alias.xml").symlink_to(root / "rss.xml")
    return root


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    root = build_root(tmp_path)
    server = make_server(root, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(root, server.server_address[1], server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def get(
    site: Site, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, http.client.HTTPMessage, bytes]:
    conn = site.connect()
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def raw(site: Site, data: bytes) -> bytes:
    """Send ``data`` as is; everything the server answers until it closes."""
    with socket.create_connection(("127.0.0.1", site.port), timeout=5) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def raw_status(site: Site, target: bytes) -> tuple[int, bytes]:
    reply = raw(site, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    return int(reply.split(b" ", 2)[1]), reply


# -- content -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/other.xml", "application/xml; charset=utf-8"),
        ("/feed.json", "application/feed+json; charset=utf-8"),
        ("/data.json", "application/json; charset=utf-8"),
        ("/feeds.opml", "text/x-opml; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/logo.png", "image/png"),
        ("/photo.jpg", "image/jpeg"),
        ("/sub/rss.xml", "application/rss+xml; charset=utf-8"),
    ],
)
def test_content_types(site: Site, path: str, expected: str) -> None:
    status, headers, body = get(site, path)
    assert status == 200
    assert headers["Content-Type"] == expected
    name = "index.html" if path.endswith("/") else path.lstrip("/")
    assert body == (site.root / name).read_bytes()


def test_validators_and_cache_headers(site: Site) -> None:
    status, headers, body = get(site, "/rss.xml")
    assert status == 200
    assert body == RSS
    etag = headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 2
    assert not etag.startswith("W/")
    mtime = (site.root / "rss.xml").stat().st_mtime
    assert headers["Last-Modified"] == formatdate(int(mtime), usegmt=True)
    assert headers["Cache-Control"] == "public, max-age=300"
    assert headers["Content-Length"] == str(len(RSS))
    assert headers["Vary"] == "Accept-Encoding"
    assert headers["Content-Encoding"] is None
    assert get(site, "/rss.xml")[1]["ETag"] == etag  # stable
    assert get(site, "/alias.xml")[2] == RSS  # a symlink inside the root is fine


def test_max_age_is_a_parameter(tmp_path: Path) -> None:
    server = make_server(build_root(tmp_path), port=0, max_age=60)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        site = Site(Path(server.root), server.server_address[1], server)
        assert get(site, "/rss.xml")[1]["Cache-Control"] == "public, max-age=60"
    finally:
        server.shutdown()
        server.server_close()


def test_query_string_is_ignored(site: Site) -> None:
    status, headers, body = get(site, "/rss.xml?utm_source=reader&x=%2e%2e")
    assert (status, body) == (200, RSS)
    assert headers["Content-Type"] == "application/rss+xml; charset=utf-8"


# -- conditional requests ------------------------------------------------------------


def test_if_none_match(site: Site) -> None:
    _, headers, _ = get(site, "/rss.xml")
    etag = headers["ETag"]
    status, h304, body = get(site, "/rss.xml", {"If-None-Match": etag})
    assert (status, body) == (304, b"")
    assert h304["ETag"] == etag
    assert h304["Last-Modified"] == headers["Last-Modified"]
    assert h304["Cache-Control"] == "public, max-age=300"
    for value in (f'"nope", {etag}', f"W/{etag}", "*"):
        assert get(site, "/rss.xml", {"If-None-Match": value})[0] == 304, value
    status, _, body = get(site, "/rss.xml", {"If-None-Match": '"something-else"'})
    assert (status, body) == (200, RSS)
    # If-None-Match wins over If-Modified-Since.
    status, _, _ = get(
        site,
        "/rss.xml",
        {"If-None-Match": '"other"', "If-Modified-Since": headers["Last-Modified"]},
    )
    assert status == 200


def test_if_modified_since(site: Site) -> None:
    _, headers, _ = get(site, "/atom.xml")
    last_modified = headers["Last-Modified"]
    status, h304, body = get(site, "/atom.xml", {"If-Modified-Since": last_modified})
    assert (status, body) == (304, b"")
    assert h304["ETag"] == headers["ETag"]
    assert h304["Last-Modified"] == last_modified
    assert h304["Cache-Control"] == "public, max-age=300"
    mtime = int((site.root / "atom.xml").stat().st_mtime)
    earlier = formatdate(mtime - 3600, usegmt=True)
    assert get(site, "/atom.xml", {"If-Modified-Since": earlier})[0] == 200
    assert get(site, "/atom.xml", {"If-Modified-Since": "not a date"})[0] == 200


def test_rewritten_file_gets_new_validators(site: Site) -> None:
    path = site.root / "rss.xml"
    _, headers, _ = get(site, "/rss.xml")
    old_etag, old_date = headers["ETag"], headers["Last-Modified"]
    assert get(site, "/rss.xml", {"If-None-Match": old_etag})[0] == 304
    new = RSS.replace(b"Tin 1<", b"Tin X<")  # same size, other bytes
    assert len(new) == len(RSS)
    path.write_bytes(new)
    later = path.stat().st_mtime + 10
    os.utime(path, (later, later))
    status, headers, body = get(site, "/rss.xml", {"If-None-Match": old_etag})
    assert (status, body) == (200, new)
    assert headers["ETag"] != old_etag
    assert get(site, "/rss.xml", {"If-Modified-Since": old_date})[0] == 200
    assert get(site, "/rss.xml", {"If-None-Match": headers["ETag"]})[0] == 304
    # An atomic replace (new inode) is seen too.
    tmp = site.root / ".rss.xml.tmp"
    tmp.write_bytes(RSS)
    tmp.replace(path)
    status, headers, body = get(site, "/rss.xml")
    assert (status, body) == (200, RSS)
    assert headers["ETag"] == old_etag  # the same bytes again: the same strong ETag


# -- gzip ----------------------------------------------------------------------------


def test_gzip(site: Site) -> None:
    _, plain, _ = get(site, "/rss.xml")
    status, headers, body = get(site, "/rss.xml", {"Accept-Encoding": "gzip, deflate"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert headers["Vary"] == "Accept-Encoding"
    assert headers["Content-Length"] == str(len(body))
    assert gzip.decompress(body) == RSS
    assert len(body) < len(RSS)
    gz_etag = headers["ETag"]
    assert gz_etag != plain["ETag"] and not gz_etag.startswith("W/")
    status, h304, body = get(
        site, "/rss.xml", {"Accept-Encoding": "gzip", "If-None-Match": gz_etag}
    )
    assert (status, body) == (304, b"")
    assert h304["ETag"] == gz_etag
    assert get(site, "/rss.xml", {"If-None-Match": plain["ETag"]})[0] == 304
    again = get(site, "/rss.xml", {"Accept-Encoding": "gzip"})
    assert again[1]["ETag"] == gz_etag and gzip.decompress(again[2]) == RSS


@pytest.mark.parametrize(
    ("accept", "gzipped"),
    [
        ("gzip", True),
        ("br;q=1.0, gzip;q=0.5", True),
        ("*", True),
        ("x-gzip", True),
        ("gzip;q=0", False),
        ("gzip;q=0.000, *", False),
        ("*;q=0", False),
        ("br, deflate", False),
        ("identity", False),
    ],
)
def test_accept_encoding_q_values(site: Site, accept: str, gzipped: bool) -> None:
    status, headers, body = get(site, "/feed.json", {"Accept-Encoding": accept})
    assert status == 200
    if gzipped:
        assert headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == FEED_JSON
    else:
        assert headers["Content-Encoding"] is None
        assert body == FEED_JSON


def test_images_are_not_gzipped(site: Site) -> None:
    status, headers, body = get(site, "/logo.png", {"Accept-Encoding": "gzip"})
    assert (status, body) == (200, PNG)
    assert headers["Content-Encoding"] is None
    assert headers["Content-Type"] == "image/png"


# -- methods, directories, errors ----------------------------------------------------


def test_head(site: Site) -> None:
    _, get_headers, _ = get(site, "/rss.xml")
    status, headers, body = get(site, "/rss.xml", method="HEAD")
    assert (status, body) == (200, b"")
    for name in ("Content-Type", "Content-Length", "ETag", "Last-Modified", "Cache-Control"):
        assert headers[name] == get_headers[name]
    assert headers["Content-Length"] == str(len(RSS))
    # The connection stays usable: nothing was sent after the headers.
    conn = site.connect()
    conn.request("HEAD", "/rss.xml")
    assert conn.getresponse().read() == b""
    conn.request("GET", "/atom.xml")
    assert conn.getresponse().read() == ATOM
    conn.close()


def test_directories(site: Site) -> None:
    status, headers, body = get(site, "/sub")
    assert status == 301
    assert headers["Location"] == "/sub/"
    status, headers, _ = get(site, "/sub?page=2")
    assert (status, headers["Location"]) == (301, "/sub/?page=2")
    status, headers, body = get(site, "/sub/")
    assert (status, body) == (200, b"<p>sub</p>\n")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert get(site, "/empty/")[0] == 404  # no listing
    assert get(site, "/empty")[0] == 301


def test_not_found(site: Site) -> None:
    status, headers, body = get(site, "/missing.xml")
    assert status == 404
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert body == b"404 Not Found\n"
    assert get(site, "/rss.xml/")[0] == 404
    assert get(site, "/missing.xml", method="HEAD")[2] == b""


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"])
def test_other_methods(site: Site, method: str) -> None:
    conn = site.connect()
    conn.request(method, "/rss.xml", body=b"x=1")
    response = conn.getresponse()
    assert response.status == 405
    assert response.headers["Allow"] == "GET, HEAD"
    assert b"405" in response.read()
    conn.request("GET", "/atom.xml")  # the body was skipped: the connection still works
    assert conn.getresponse().read() == ATOM
    conn.close()


# -- path traversal ------------------------------------------------------------------

TRAVERSALS = [
    b"/../secret.txt",
    b"/../../../../etc/passwd",
    b"/sub/../../secret.txt",
    b"/%2e%2e/secret.txt",
    b"/%2e%2e%2fsecret.txt",
    b"/%2E%2E/secret.txt",
    b"/%2E%2E%2Fsecret.txt",
    b"/..%2fsecret.txt",
    b"/..%2Fsecret.txt",
    b"/.%2e/secret.txt",
    b"/%252e%252e/secret.txt",
    b"/%252e%252e%252fsecret.txt",
    b"/..\\secret.txt",
    b"/%5c..%5csecret.txt",
    b"/..%5csecret.txt",
    b"/rss.xml%00",
    b"/rss.xml%00.html",
    b"/%00/../secret.txt",
    b"//etc/passwd",
    b"/etc/passwd",
    b"/%2fetc%2fpasswd",
    b"..%2fsecret.txt",
    b"secret.txt",
    b"/leak.txt",
    b"/leakdir",
    b"/leakdir/",
    b"/leakdir/secret.txt",
    b"/leakdir/index.html",
    b"/.hidden",
    b"http://x/../secret.txt",
    b"/%c0%ae%c0%ae/secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS, ids=lambda t: t.decode("latin-1"))
def test_no_way_out_of_the_root(site: Site, target: bytes) -> None:
    status, reply = raw_status(site, target)
    assert status in (400, 404), reply
    assert SECRET not in reply


def test_absolute_path_of_the_secret(site: Site) -> None:
    secret = str(site.root.parent / "secret.txt").encode()
    for target in (secret, b"/" + secret, b"/%2F" + secret.lstrip(b"/")):
        status, reply = raw_status(site, target)
        assert status in (400, 404) and SECRET not in reply


def test_bad_requests(site: Site) -> None:
    assert raw(site, b"NONSENSE\r\n\r\n").startswith(b"HTTP/1.1 400 ")
    assert raw(site, b"GET /rss.xml HTTP/2.0\r\n\r\n").startswith(b"HTTP/1.1 505 ")
    assert raw(site, b"GET /rss.xml HTTP/1.1\r\nBad Header\r\n\r\n").startswith(b"HTTP/1.1 400 ")
    huge = b"GET /rss.xml HTTP/1.1\r\nX: " + b"a" * 70_000 + b"\r\n\r\n"
    assert raw(site, huge).startswith(b"HTTP/1.1 431 ")
    assert get(site, "/rss.xml")[0] == 200


# -- connections ---------------------------------------------------------------------


def test_keep_alive(site: Site) -> None:
    conn = site.connect()
    conn.request("GET", "/rss.xml")
    assert conn.getresponse().read() == RSS
    sock = conn.sock
    for path, expected in (("/atom.xml", ATOM), ("/feed.json", FEED_JSON), ("/rss.xml", RSS)):
        conn.request("GET", path)
        assert conn.getresponse().read() == expected
    assert conn.sock is sock  # one connection for all
    conn.close()


def test_many_concurrent_readers(site: Site) -> None:
    etag = get(site, "/rss.xml")[1]["ETag"]
    results: list[tuple[int, bytes]] = []
    lock = threading.Lock()

    def reader() -> None:
        conn = site.connect()
        try:
            for i in range(10):
                headers = {"If-None-Match": etag} if i % 2 else {}
                conn.request("GET", "/rss.xml", headers=headers)
                response = conn.getresponse()
                with lock:
                    results.append((response.status, response.read()))
        finally:
            conn.close()

    threads = [threading.Thread(target=reader) for _ in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(results) == 640
    assert set(results) == {(200, RSS), (304, b"")}


def test_pipelined_requests(site: Site) -> None:
    reply = raw(
        site,
        b"GET /atom.xml HTTP/1.1\r\nHost: x\r\n\r\n"
        b"GET /feed.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    assert reply.count(b"HTTP/1.1 200 OK") == 2
    assert reply.index(ATOM) < reply.index(FEED_JSON)


def test_http_10_closes_unless_asked(site: Site) -> None:
    reply = raw(site, b"GET /atom.xml HTTP/1.0\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 200 OK") and reply.endswith(ATOM)
    assert b"Connection: close" in reply
    with socket.create_connection(("127.0.0.1", site.port), timeout=5) as sock:
        sock.sendall(b"GET /atom.xml HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        first = sock.recv(65536)
        assert b"Connection: keep-alive" in first
        sock.sendall(b"GET /atom.xml HTTP/1.0\r\n\r\n")
        second = b""
        while chunk := sock.recv(65536):
            second += chunk
        assert second.endswith(ATOM)


def test_survives_clients_dropping_out(site: Site) -> None:
    for data in (
        b"GET /rss.xml HTTP/1.1\r\nHost:",  # mid-headers
        b"GET /rss",  # mid-request-line
        b"GET /rss.xml HTTP/1.1\r\nHost: x\r\n\r\n",  # before reading the answer
    ):
        sock = socket.create_connection(("127.0.0.1", site.port), timeout=5)
        sock.sendall(data)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()  # RST
    many = [socket.create_connection(("127.0.0.1", site.port), timeout=5) for _ in range(20)]
    for sock in many:
        sock.sendall(b"GET /rss.xml HTTP/1.1\r\nHost: x\r\n\r\n")
    for sock in many:
        sock.close()
    status, _, body = get(site, "/rss.xml")
    assert (status, body) == (200, RSS)


def test_idle_connections_are_closed(tmp_path: Path) -> None:
    server = make_server(build_root(tmp_path), port=0, timeout=0.3)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5) as idle:
            start = time.monotonic()
            idle.sendall(b"GET /atom.xml HTTP/1.1\r\nHost: x\r\n\r\n")
            reply = b""
            while not reply.endswith(ATOM):
                reply += idle.recv(65536)
            assert idle.recv(65536) == b""  # closed by the server
            assert time.monotonic() - start < 3
        with socket.create_connection(("127.0.0.1", port), timeout=5) as slow:
            slow.sendall(b"GET /atom.xml HTTP/1.1\r\n")  # never finished
            assert slow.recv(65536).startswith(b"HTTP/1.1 408 ")
    finally:
        server.shutdown()
        server.server_close()


def test_large_files_are_streamed(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve_files, "MAX_CACHED_FILE", 1024)
    big = bytes(range(256)) * 4096  # 1 MiB
    (site.root / "big.bin").write_bytes(big)
    conn = site.connect()
    conn.request("GET", "/big.bin", headers={"Accept-Encoding": "gzip"})
    response = conn.getresponse()
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Encoding"] is None
    etag = response.headers["ETag"]
    assert response.read() == big
    conn.request("GET", "/big.bin", headers={"If-None-Match": etag})
    response = conn.getresponse()
    assert (response.status, response.read()) == (304, b"")
    conn.request("GET", "/atom.xml")  # the same connection carries on after sendfile
    assert conn.getresponse().read() == ATOM
    conn.close()


# -- starting and stopping -----------------------------------------------------------


def test_port_taken(tmp_path: Path) -> None:
    root = build_root(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ServeError, match="address already in use"):
            make_server(root, "127.0.0.1", port)
        with pytest.raises(ServeError) as info:
            serve(root, "127.0.0.1", port)
        assert "\n" not in str(info.value)


def test_ports_outside_0_to_65535_are_refused(tmp_path: Path) -> None:
    root = build_root(tmp_path)
    for port in (70000, 65536, -1):
        with pytest.raises(ServeError) as info:
            make_server(root, "127.0.0.1", port)
        assert str(info.value) == f"cannot serve on 127.0.0.1:{port}: not a port (0-65535)"
    proc = subprocess.run(
        [sys.executable, "-m", "tinmoi.serve", "--root", str(root), "--port", "70000"],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == (
        "python -m tinmoi.serve: error: argument --port: 70000 is not a port (1-65535)"
    )


def test_root_must_be_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ServeError, match="not a directory"):
        make_server(tmp_path / "missing", port=0)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ServeError, match="not a directory"):
        serve(tmp_path / "file", "127.0.0.1", 0)


def test_shutdown_before_and_after_serving(tmp_path: Path) -> None:
    server = make_server(build_root(tmp_path), port=0)
    server.shutdown()  # not serving yet: returns at once, serve_forever then returns too
    server.serve_forever()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site = Site(tmp_path, server.server_address[1], server)
    assert get(site, "/atom.xml")[2] == ATOM
    server.shutdown()
    thread.join(5)
    assert not thread.is_alive()
    server.server_close()


def test_serve_until_sigterm(tmp_path: Path) -> None:
    root = build_root(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tinmoi.serve", "--root", str(root), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line == f"Serving {root} at http://127.0.0.1:{port}/ (Ctrl-C to stop)\n"
        site = Site(root, port, None)  # type: ignore[arg-type]
        assert get(site, "/rss.xml")[2] == RSS
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        assert proc.stderr is not None
        stderr = proc.stderr.read()
    assert "Traceback" not in stderr


# -- request bodies, ports, imports --------------------------------------------------


def statuses(reply: bytes) -> list[int]:
    """The status codes of every response in ``reply``, in order."""
    return [int(code) for code in re.findall(rb"(?:^|\n)HTTP/1\.[01] (\d{3}) ", reply)]


def test_chunked_body_is_not_read_as_the_next_request(site: Site) -> None:
    body = b"4\r\nabcd\r\n0\r\n\r\n"
    reply = raw(
        site,
        b"GET /rss.xml HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        + body
        + b"GET /atom.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    # Either the body is read and both requests are answered, or the request is refused
    # and the connection closed; never is the body parsed as a request.
    if statuses(reply) == [400]:
        assert RSS not in reply and ATOM not in reply
    else:
        assert statuses(reply) == [200, 200], reply
        assert reply.index(RSS) < reply.index(ATOM)


@pytest.mark.parametrize("port", ["70000", "65536", "0", "-1"])
def test_port_outside_1_to_65535_is_a_usage_error(tmp_path: Path, port: str) -> None:
    root = build_root(tmp_path)
    script = Path(sys.executable).parent / "tinmoi"
    try:
        proc = subprocess.run(
            [str(script), "serve", "--out", str(root), "--port", port],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"--port {port} started serving: {exc.stdout!r}") from None
    assert proc.returncode == 2
    assert proc.stdout == ""
    *usage, error = proc.stderr.splitlines()
    assert usage[0].startswith("usage: tinmoi serve ")
    assert error == f"tinmoi serve: error: argument --port: {port} is not a port (1-65535)"


_LOADED = """
import os, signal, sys, threading, urllib.request
from tinmoi.cli import main

def loaded():
    return sorted(m for m in sys.modules if m.split(".")[0] in ("scrapy", "twisted"))

if sys.argv[1] == "help":
    try:
        main(["serve", "--help"])
    except SystemExit:
        pass
    print("loaded:", loaded(), file=sys.stderr)
else:
    def probe():
        url = f"http://127.0.0.1:{sys.argv[3]}/rss.xml"
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=5).read()
                break
            except OSError:
                threading.Event().wait(0.1)
        print("loaded:", loaded(), file=sys.stderr, flush=True)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=probe, daemon=True).start()
    sys.exit(main(["serve", "--out", sys.argv[2], "--port", sys.argv[3]]))
"""


@pytest.mark.parametrize("how", ["help", "running"])
def test_serve_imports_no_scrapy_or_twisted(tmp_path: Path, how: str) -> None:
    root = build_root(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.run(
        [sys.executable, "-c", _LOADED, how, str(root), str(port)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    last = proc.stderr.splitlines()[-1]
    assert last == "loaded: []", f"{last.count(',') + 1} Scrapy or Twisted modules loaded"
