"""Every feed.json against the JSON Feed 1.1 specification's structure
(https://www.jsonfeed.org/version/1.1/), written as a JSON Schema."""

from __future__ import annotations

import copy
import json

import pytest
from jsonschema import Draft202012Validator

from feeds.build import build_feeds
from tests.test_feeds import CRAWL, SITE, archive, article  # noqa: F401 (fixture)

RFC3339 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
URL = {"type": "string", "pattern": r"^https?://\S+$"}
TEXT = {"type": "string"}
#: Extensions: any key starting with an underscore (the specification's rule).
EXTENSIONS = {"^_": {"type": "object"}}
AUTHORS = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"name": TEXT, "url": URL, "avatar": URL},
        "anyOf": [{"required": ["name"]}, {"required": ["url"]}, {"required": ["avatar"]}],
        "additionalProperties": False,
        "patternProperties": EXTENSIONS,
    },
}
LANGUAGE = {"type": "string", "pattern": r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"}
DATE = {"type": "string", "pattern": RFC3339}
ITEM = {
    "type": "object",
    "required": ["id"],
    "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "url": URL,
        "external_url": URL,
        "title": TEXT,
        "content_html": TEXT,
        "content_text": TEXT,
        "summary": TEXT,
        "image": URL,
        "banner_image": URL,
        "date_published": DATE,
        "date_modified": DATE,
        "authors": AUTHORS,
        "tags": {"type": "array", "items": TEXT},
        "language": LANGUAGE,
        "attachments": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["url", "mime_type"],
                "properties": {
                    "url": URL,
                    "mime_type": {"type": "string", "pattern": r"^[\w.+-]+/[\w.+-]+$"},
                    "title": TEXT,
                    "size_in_bytes": {"type": "integer", "minimum": 0},
                    "duration_in_seconds": {"type": "number", "minimum": 0},
                },
                "additionalProperties": False,
                "patternProperties": EXTENSIONS,
            },
        },
    },
    "additionalProperties": False,
    "patternProperties": EXTENSIONS,
}
JSON_FEED_1_1 = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": TEXT,
        "home_page_url": URL,
        "feed_url": URL,
        "description": TEXT,
        "user_comment": TEXT,
        "next_url": URL,
        "icon": URL,
        "favicon": URL,
        "authors": AUTHORS,
        "language": LANGUAGE,
        "expired": {"type": "boolean"},
        "hubs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "url"],
                "properties": {"type": TEXT, "url": URL},
            },
        },
        "items": {"type": "array", "items": ITEM},
    },
    "additionalProperties": False,
    "patternProperties": EXTENSIONS,
}
VALIDATOR = Draft202012Validator(JSON_FEED_1_1)


def problems(feed: dict) -> list[str]:
    """Where ``feed`` departs from JSON Feed 1.1, one line each."""
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(feed)
    ]


def test_every_json_feed_has_the_structure_json_feed_1_1_requires(archive, tmp_path):  # noqa: F811
    pdf = "https://hanam.vn/files/ke-hoach-125.pdf"
    archive.upsert_article(article("hanam", 3, 22, author=None, images=[]), CRAWL)
    archive.add_attachment("hanam:news_3", pdf, "application/pdf", b"%PDF-1.4", "", CRAWL)
    build_feeds(archive, tmp_path, site_url=SITE, searches=("nội dung",))
    feeds = {
        str(p.relative_to(tmp_path)): json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(tmp_path.rglob("feed.json"))
    }
    assert sorted(feeds) == [
        "all/feed.json", "hanam/feed.json", "hanam/tin/feed.json", "hanam_so/feed.json",
        "qnam/feed.json", "qnam/tin/feed.json", "tim/noi-dung/feed.json",
        "tinh/ha-nam/feed.json", "tinh/quang-nam/feed.json",
    ]  # fmt: skip
    assert {path: problems(feed) for path, feed in feeds.items()} == {path: [] for path in feeds}
    [with_document] = [i for i in feeds["hanam/feed.json"]["items"] if "attachments" in i]
    assert with_document["attachments"] == [
        {"url": pdf, "mime_type": "application/pdf", "title": "ke-hoach-125.pdf",
         "size_in_bytes": 8}
    ]  # fmt: skip
    assert "authors" not in with_document and "image" not in with_document


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (("version",), "https://jsonfeed.org/version/1", "version: 'https://jsonfeed.org/vers"),
        (("items", 0, "id"), 7, "items/0/id: 7 is not of type 'string'"),
        (("items", 0, "date_modified"), "2024-06-21 00:00", "items/0/date_modified: '2024-06-2"),
        (("items", 0, "authors"), ["Thu Hà"], "items/0/authors/0: 'Thu Hà' is not of type 'obj"),
        (("language",), "tiếng Việt", "language: 'tiếng Việt' does not match"),
        (("items", 0, "tags"), "Tin tức", "items/0/tags: 'Tin tức' is not of type 'array'"),
        (("items", 0, "content_html"), None, "items/0/content_html: None is not of type 'str"),
        (("items", 0, "author"), {"name": "Thu Hà"}, "items/0: 'author' does not match any"),
    ],
)
def test_the_schema_rejects_what_the_specification_forbids(archive, tmp_path, path, value, problem):  # noqa: F811
    build_feeds(archive, tmp_path, site_url=SITE)
    feed = json.loads((tmp_path / "hanam" / "feed.json").read_text(encoding="utf-8"))
    assert problems(feed) == []
    broken = copy.deepcopy(feed)
    target = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert [p for p in problems(broken) if p.startswith(problem)] != [], problems(broken)
