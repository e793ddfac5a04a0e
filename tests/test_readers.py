"""Real feed readers: newsboat reading ``tinmoi serve`` on loopback, headless."""

from __future__ import annotations

import re
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.archive import Archive
from feeds.build import build_feeds
from tests.conftest import free_port, require_tool
from tests.test_feeds import CRAWL, HANAM, QNAM, article

pytestmark = pytest.mark.e2e

# newsboat keys items by guid, so the feeds read here share no article.
FEEDS = ("hanam/atom.xml", "qnam/rss.xml")
ACCESS_RE = re.compile(r'"GET (\S+) HTTP/1\.[01]" (\d{3}) ')


def test_newsboat_reads_every_feed_then_gets_304s(tmp_path: Path):
    newsboat = require_tool("newsboat", "newsboat")
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    out = tmp_path / "public"
    with Archive.open(tmp_path / "a.sqlite3", now=CRAWL) as archive:
        archive.upsert_portal(HANAM, CRAWL)
        archive.upsert_portal(QNAM, CRAWL)
        archive.upsert_article(article("hanam", 1, 20, title="Lễ hội Tịch điền Đọi Sơn"), CRAWL)
        archive.upsert_article(article("hanam", 2, 21, title="Chùa Tam Chúc mùa hè"), CRAWL)
        archive.upsert_article(article("qnam", 7, 19, title="Đêm phố cổ Hội An"), CRAWL)
        build_feeds(archive, out, site_url=site)
    log = tmp_path / "access.log"
    script = Path(sys.executable).parent / "tinmoi"
    with log.open("w") as access:
        server = subprocess.Popen(
            [str(script), "serve", "--out", str(out), "--port", str(port), "--access-log"],
            stdout=subprocess.DEVNULL,
            stderr=access,
        )
    try:
        (tmp_path / "urls").write_text("".join(f"{site}/{f}\n" for f in FEEDS))
        (tmp_path / "config").write_text("reload-threads 1\n")
        wait_until_listening(port, server)
        for attempt in (1, 2, 3):
            debug = tmp_path / f"newsboat-{attempt}.log"
            proc = subprocess.run(
                [newsboat, "-u", str(tmp_path / "urls"), "-c", str(tmp_path / "cache.db"),
                 "-C", str(tmp_path / "config"), "-x", "reload", "-d", str(debug), "-l", "4"],
                capture_output=True, text=True, timeout=60, check=False,
            )  # fmt: skip
            assert proc.returncode == 0  # newsboat exits 0 even on errors: read its log
            errors = [line for line in debug.read_text().splitlines() if "ERROR" in line]
            assert errors == []
    finally:
        server.terminate()
        server.wait(timeout=10)
    with sqlite3.connect(tmp_path / "cache.db") as cache:
        items = cache.execute(
            "select feedurl, title, url from rss_item order by feedurl, title"
        ).fetchall()
    assert items == [
        (f"{site}/hanam/atom.xml", "Chùa Tam Chúc mùa hè",
         "https://hanam.vn/vi/detailnews/?id=news_2&t=bai-2"),
        (f"{site}/hanam/atom.xml", "Lễ hội Tịch điền Đọi Sơn",
         "https://hanam.vn/vi/detailnews/?id=news_1&t=bai-1"),
        (f"{site}/qnam/rss.xml", "Đêm phố cổ Hội An",
         "https://qnam.vn/vi/detailnews/?id=news_7&t=bai-7"),
    ]  # fmt: skip
    hits = ACCESS_RE.findall(log.read_text())
    statuses = {path: [int(code) for p, code in hits if p == path] for path in (
        f"/{f}" for f in FEEDS
    )}  # fmt: skip
    # newsboat stores the validators on its second fetch; the third reload is all 304s.
    assert statuses == {f"/{f}": [200, 200, 304] for f in FEEDS}


def wait_until_listening(port: int, server: subprocess.Popen[bytes], seconds: float = 30) -> None:
    """Return once ``tinmoi serve`` accepts connections on ``port`` (start-up takes longer on
    a loaded machine); fail if it exits or does not listen within ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        assert server.poll() is None, "tinmoi serve exited"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, f"tinmoi serve is not listening on {port}"
            time.sleep(0.05)
