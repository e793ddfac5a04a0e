"""The HTML pages as a browser renders them: headless Chromium, screenshot, console."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from parsel import Selector

from crawler.archive import Archive
from feeds.build import build_feeds
from tests.conftest import require_tool
from tests.test_feeds import CRAWL, HANAM, QNAM, article

pytestmark = pytest.mark.e2e


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No access log in test output."""


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    out = tmp_path / "public"
    with Archive.open(tmp_path / "a.sqlite3", now=CRAWL) as archive:
        archive.upsert_portal(HANAM, CRAWL)
        archive.upsert_portal(QNAM, CRAWL)
        archive.upsert_article(article("hanam", 1, 20), CRAWL)
        archive.upsert_article(article("qnam", 7, 19), CRAWL)
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=out))
        base = f"http://127.0.0.1:{server.server_address[1]}"
        build_feeds(archive, out, site_url=base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def chromium(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    binary = require_tool("chromium", "chromium")
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
        "--window-size=1200,900",
    ]  # fmt: skip
    return subprocess.run(
        [binary, *flags, *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_index_renders_portals_and_subscribe_links_without_console_errors(site, tmp_path):
    shot = tmp_path / "index.png"
    proc = chromium(f"--screenshot={shot}", f"{site}/", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
    dom = Selector(chromium("--dump-dom", f"{site}/", tmp_path=tmp_path).stdout)
    assert dom.css("h2::text").getall() == ["Tỉnh Hà Nam", "Tỉnh Quảng Nam"]
    assert dom.css("a[href='hanam/rss.xml']::text").get() == "RSS"
    assert dom.css("button::attr(data-url)").getall()[:2] == [
        f"{site}/all/rss.xml",
        f"{site}/tinh/ha-nam/rss.xml",
    ]
    assert "Cổng Du lịch Hà Nam" in dom.css("td a::text").getall()


def test_feed_preview_page_lists_its_items(site, tmp_path):
    proc = chromium("--dump-dom", f"{site}/hanam/", tmp_path=tmp_path)
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
    dom = Selector(proc.stdout)
    assert dom.css("h1::text").get() == "Cổng Du lịch Hà Nam – Tin mới"
    assert dom.css("article h2 a::text").getall() == ["Bài số 1 của hanam"]
    assert dom.css("article h2 a::attr(href)").get() == (
        "https://hanam.vn/vi/detailnews/?id=news_1&t=bai-1"
    )
