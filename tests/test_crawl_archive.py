"""A crawl opens its archive once, shared by the pipeline and the middlewares."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import crawl_report, map_args
from tinmoi.snapshot import SnapshotSite, snapshot_dir

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.e2e
def test_a_crawl_opens_one_archive_for_all_its_components(tmp_path):
    site = SnapshotSite(snapshot_dir("sxd_dongnai")).start()
    mapping = ",".join(arg for arg in map_args(site) if arg != "--url-map")
    try:
        found = crawl_report(tmp_path, "sxd_dongnai", f"url_map={mapping}")
    finally:
        site.stop()
    assert (found["status"], found["new"]) == ("ok", 12)  # every article of the snapshot
    assert found["stats"]["tinmoi/archive/opened"] == 1


def test_no_crawl_component_opens_an_archive_of_its_own():
    for folder in ("middlewares", "pipelines", "extensions", "platforms"):
        for path in sorted((ROOT / "crawler" / folder).glob("*.py")):
            assert "Archive.open(" not in path.read_text(encoding="utf-8"), path
