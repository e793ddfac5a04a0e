"""The add report's comparison of two archives (tools/add_report.py, tools/theme_archive.py)."""

from __future__ import annotations

from tools.add_report import renamed_sections
from tools.theme_archive import FIELDS, differences


def article(key: str, section: str, **changes: object) -> dict:
    base = {name: f"{name} of {key}" for name in FIELDS}
    return base | {"key": key, "section": section, "images": [], "attachments": []} | changes


def test_the_fields_two_archives_differ_in_each_once_in_order():
    want = [article("p:1", "tin-tuc"), article("p:2", "tin-tuc"), article("p:3", "thong-bao")]
    got = [
        article("p:1", "tin-tuc", published="2025-08-01T00:00:00+07:00", author=None),
        article("p:2", "tin-tuc", author="Minh Thu"),
        article("p:4", "thong-bao"),
    ]
    assert differences(got, want) == ["missing", "extra", "published", "author"]
    assert differences(want, want) == []


def test_sections_renamed_one_slug_for_one_are_the_same_sections():
    want = [article("p:1", "tin-tuc"), article("p:2", "thong-bao")]
    got = [article("p:1", "tin-tuc-su-kien"), article("p:2", "thong-bao-moi")]
    assert differences(renamed_sections(got, want), want) == []


def test_articles_sorted_otherwise_keep_their_sections():
    want = [article("p:1", "tin-tuc"), article("p:2", "thong-bao"), article("p:3", "thong-bao")]
    merged = [article("p:1", "tin-moi"), article("p:2", "tin-moi"), article("p:3", "tin-moi")]
    assert renamed_sections(merged, want) == merged
    assert differences(renamed_sections(merged, want), want) == ["section"]
