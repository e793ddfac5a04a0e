"""``tinmoi browse``: Datasette on the archive, facets and diacritic-free search over HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

from crawler.archive import Archive, PortalInfo
from tests.conftest import free_port, tinmoi
from tests.test_feeds import CRAWL, article

pytestmark = pytest.mark.e2e


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_browse_serves_facets_and_vietnamese_search(tmp_path: Path):
    pytest.importorskip("datasette", reason="Datasette is the optional 'browse' extra")
    db = tmp_path / "tinmoi.sqlite3"
    with Archive.open(db, now=CRAWL) as archive:
        archive.upsert_portal(
            PortalInfo("hanam", "Hà Nam", "Hà Nam", "vnpt", "https://x.vn"), CRAWL
        )
        archive.upsert_article(article("hanam", 1, 20, title="Du lịch Tam Chúc mùa lễ hội"), CRAWL)
        archive.upsert_article(article("hanam", 2, 21, title="Đền Trần Thương"), CRAWL)
        archive.upsert_article(article("qnam", 3, 22, title="Phố cổ Hội An"), CRAWL)
    port = free_port()
    script = Path(sys.executable).parent / "tinmoi"
    proc = subprocess.Popen([str(script), "browse", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}/tinmoi"
    try:
        for _ in range(100):
            try:
                get(f"http://127.0.0.1:{port}/-/versions.json")
                break
            except OSError:
                time.sleep(0.1)
        table = get(f"{base}/articles.json?_shape=objects&_facet=portal")
        facets = {f["value"]: f["count"] for f in table["facet_results"]["portal"]["results"]}
        assert facets == {"hanam": 2, "qnam": 1}
        found = get(f"{base}/search.json?_shape=objects&" + urlencode({"q": "du lich tam chuc"}))
        assert [row["title"] for row in found["rows"]] == ["Du lịch Tam Chúc mùa lễ hội"]
        by_month = get(f"{base}/article_months.json?_shape=objects&_facet=month&_facet=section")
        month_facet = by_month["facet_results"]["month"]["results"]
        assert [(f["value"], f["count"]) for f in month_facet] == [("2024-06", 3)]
        months = get(f"{base}/months.json?_shape=objects")
        assert months["rows"] == [
            {"month": "2024-06", "portal": "hanam", "articles": 2},
            {"month": "2024-06", "portal": "qnam", "articles": 1},
        ]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    # Datasette went with it: nothing listens on the port any more.
    with pytest.raises(OSError):
        get(f"http://127.0.0.1:{port}/-/versions.json")
    missing = tinmoi("browse", "--db", str(tmp_path / "none.sqlite3"))
    assert (missing.returncode, missing.stderr) == (
        1, f"tinmoi: no archive at {tmp_path / 'none.sqlite3'}\n",
    )  # fmt: skip
