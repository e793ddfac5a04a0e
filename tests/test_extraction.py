"""One test over every recorded page: adding a portal adds fixtures, not test code.

Each ``tests/fixtures/pages/<portal>/<case>.json`` holds the URL the page was fetched
from, what its listing entry said, the pinned "now", the expected extraction and strings
that must not appear in the article (chrome). The page itself is ``<case>.html`` beside
it (a real page, as ``tinmoi record`` saves it) or, for a bundled portal, the snapshot
page it names: ``"snapshot": "<portal>/<host>/<file>"`` under ``tinmoi/snapshots/``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

import tinmoi
from crawler.replay import extract_page, observed

CASES = sorted(Path(__file__).parent.glob("fixtures/pages/*/*.json"))
LOADER = get_spider_loader(get_project_settings())
SNAPSHOTS = Path(tinmoi.__file__).parent / "snapshots"


def page_body(case: Path, spec: dict) -> bytes:
    """The fixture's page: the snapshot page it names, else the recorded ``.html``."""
    if "snapshot" in spec:
        return (SNAPSHOTS / spec["snapshot"]).read_bytes()
    return case.with_suffix(".html").read_bytes()


def test_there_are_fixtures_for_every_portal():
    assert {case.parent.name for case in CASES} == set(LOADER.list())


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_recorded_page(case: Path):
    spec = json.loads(case.read_text(encoding="utf-8"))
    assert spec.get("reviewed") is True, f"{case.name} is unreviewed: check it, then set reviewed"
    extraction = extract_page(
        LOADER.load(spec["spider"]),
        spec["url"],
        page_body(case, spec),
        spec["listing"],
        spec["now"],
        spec.get("encoding"),
    )
    assert observed(extraction) == spec["expected"]
    if extraction.article is not None:
        for chrome in spec.get("absent", []):
            assert chrome not in extraction.article.content_html
            assert chrome not in extraction.article.content_text


def test_fixtures_of_bundled_portals_name_snapshot_pages_instead_of_copying_them():
    snapshot_pages = {p.read_bytes() for p in SNAPSHOTS.rglob("*.htm*")}
    copies = [
        str(page.relative_to(page.parents[1]))
        for page in sorted(Path(__file__).parent.glob("fixtures/pages/*/*.html"))
        if page.read_bytes() in snapshot_pages
    ]
    assert copies == []
