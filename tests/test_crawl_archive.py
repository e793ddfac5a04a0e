"""A crawl opens its archive once, shared by the pipeline and the middlewares."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NOW, map_args
from tinmoi.snapshot import SnapshotSite, snapshot_dir

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.e2e
def test_a_crawl_opens_one_archive_for_all_its_components(tmp_path):
    site = SnapshotSite(snapshot_dir("sxd_dongnai")).start()
    mapping = ",".join(arg for arg in map_args(site) if arg != "--url-map")
    report = tmp_path / "report.json"
    try:
        subprocess.run(
            [
                sys.executable, "-m", "crawler.run", "sxd_dongnai", "--profile", "loopback",
                "-a", f"url_map={mapping}", "-s", f"TINMOI_DB={tmp_path / 'a.sqlite3'}",
                "-s", f"TINMOI_NOW={NOW}", "-s", f"LOG_FILE={tmp_path / 'crawl.log'}",
                "--report", str(report),
            ],
            check=True, capture_output=True, text=True,
            env=os.environ | {"SCRAPY_SETTINGS_MODULE": "crawler.settings"},
        )  # fmt: skip
    finally:
        site.stop()
    found = json.loads(report.read_text(encoding="utf-8"))
    assert (found["status"], found["new"]) == ("ok", 12)  # every article of the snapshot
    assert found["stats"]["tinmoi/archive/opened"] == 1


def test_no_crawl_component_opens_an_archive_of_its_own():
    for folder in ("middlewares", "pipelines", "extensions", "platforms"):
        for path in sorted((ROOT / "crawler" / folder).glob("*.py")):
            assert "Archive.open(" not in path.read_text(encoding="utf-8"), path
