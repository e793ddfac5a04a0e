"""One test over every recorded page: adding a portal adds fixtures, not test code.

Each ``tests/fixtures/pages/<portal>/<case>.html`` has a ``<case>.json`` beside it with
the URL it was fetched from, what its listing entry said, the pinned "now", the
expected extraction and strings that must not appear in the article (chrome).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

from crawler.extract import extract_page, observed

CASES = sorted(Path(__file__).parent.glob("fixtures/pages/*/*.json"))
LOADER = get_spider_loader(get_project_settings())


def test_there_are_fixtures_for_every_portal():
    assert {case.parent.name for case in CASES} == set(LOADER.list())


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_recorded_page(case: Path):
    spec = json.loads(case.read_text(encoding="utf-8"))
    assert spec.get("reviewed") is True, f"{case.name} is unreviewed: check it, then set reviewed"
    extraction = extract_page(
        LOADER.load(spec["spider"]),
        spec["url"],
        case.with_suffix(".html").read_bytes(),
        spec["listing"],
        spec["now"],
        spec.get("encoding"),
    )
    assert observed(extraction) == spec["expected"]
    if extraction.article is not None:
        for chrome in spec.get("absent", []):
            assert chrome not in extraction.article.content_html
            assert chrome not in extraction.article.content_text
