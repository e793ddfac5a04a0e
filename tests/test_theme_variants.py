"""Theme variants: every platform's portals with themes unlike the defaults.

Each ``tests/fixtures/themes/<variant>/`` (rendered by ``python -m tools.build_themes``
from ``tools/theme_variants/<platform>.json``) is served on its own loopback address and
backfilled, defined by the ``portal.toml`` an operator wrote for it by hand, with the
real ``tinmoi crawl`` (one run for every variant, four crawls at once): each portal must
come out healthy, reach the last listing page of every section and archive exactly
``expected.json`` (key, link, section, title, date with offset, author, full text,
images, attachments), and the run exit 0. A variant the platform
cannot crawl even so carries its ``gap`` and is a strict xfail. Adding a variant adds
data, no test code.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.test_snapshot_build import differences
from tools.build_themes import variants
from tools.snapshot_builders import themes
from tools.theme_archive import (
    THEMES,
    Crawls,
    archived,
    crawl_many,
    expected,
    health,
    variant_dirs,
)

pytestmark = pytest.mark.e2e

PLATFORMS = {
    "nukeviet", "sharepoint", "liferay", "wordpress", "aspnet", "vnpt-smart-tourism",
    "feed", "sitemap", "generic",
}  # fmt: skip


def _params() -> list:
    found = []
    for folder in variant_dirs():
        gap = expected(folder).get("gap")
        marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
        found.append(pytest.param(folder, id=folder.name, marks=marks))
    return found


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawls:
    """Every variant backfilled from its hand-written definition, in one run."""
    db = tmp_path_factory.mktemp("themes") / "archive.sqlite3"
    return crawl_many({folder: folder / "portal.toml" for folder in variant_dirs()}, db)


def test_the_run_succeeds(crawled: Crawls):
    assert crawled.proc.returncode == 0, crawled.proc.stdout + crawled.proc.stderr


@pytest.mark.parametrize("folder", _params())
def test_hand_written_definition_archives_exactly_the_expected(folder: Path, crawled: Crawls):
    spec = expected(folder)
    portal, count = spec["portal"], len(spec["articles"])
    line = f"{portal}: {count} new, 0 updated, 0 unchanged, 0 dropped"
    assert [out for out in crawled.proc.stdout.splitlines() if out.startswith(f"{portal}:")] == [
        f"{line} ({len(crawled.requested[portal])} requests)"
    ]
    assert health(crawled.db)[portal][0] == "ok"
    assert [t for t in spec["requested"] if t not in crawled.requested[portal]] == []
    assert archived(crawled.db, portal) == spec["articles"]


def test_every_platform_has_three_variants_or_more():
    counts = Counter(expected(folder)["platform"] for folder in variant_dirs())
    assert {p: counts[p] for p in PLATFORMS if counts[p] < 3} == {}
    assert set(counts) == PLATFORMS


def test_variants_re_render_byte_for_byte(tmp_path: Path):
    for platform, offset, data in variants():
        themes.build(data, platform, offset, tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [folder.name for folder in variant_dirs()]
    for name in names:
        committed = THEMES / name
        hand_written = {"portal.toml"}
        changed = [d for d in differences(tmp_path / name, committed)
                   if d.split(" ", 1)[1] not in hand_written]  # fmt: skip
        assert changed == [], name
