"""What a build remembers of the groups it published, so the next one skips a group whose
portals did not change without reading a single head of it.

A group (a portal and its sections, a province, all portals) is made from its portals'
archived articles, descriptions and section slugs; every write to those moves the
portal's change counter (:mod:`crawler.archive.changes`). After each build,
``OUT/.tinmoi/build.json`` records, per group, the counters it was read at and what the
index page and OPML lists need of its feeds (their cards). The next build with the same
``--site-url``, ``--limit`` and tinmoi version reuses a group whose counters and files
are the same, and reads (then fingerprints, :mod:`feeds.inputs`) every other one.

Entry times stay exact: a tie between equal times is broken by first sighting, so a
portal's new or edited article never shifts another portal's older one
(:class:`feeds.select.EntryTimes`). A saved search's group, a group holding an empty
feed (its time is the newest of every feed) and a build without the file read
everything, as before.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from feeds import inputs
from feeds.model import FeedCard

#: Where a build's memory lives under its output folder (served by nobody).
PATH = Path(".tinmoi") / "build.json"
#: The layout of the file: another one is ignored.
LAYOUT = 1


@dataclass
class GroupRecord:
    """One published group: the counters it was read at, its feeds' cards (each with its
    place in the list and its folders) and its newest entry time."""

    marks: str
    feeds: list[tuple[tuple[Any, ...], FeedCard, tuple[str, ...]]] = field(default_factory=list)
    newest: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """The record as JSON data."""
        return {
            "marks": self.marks,
            "newest": self.newest.isoformat() if self.newest else None,
            "feeds": [
                {"order": list(order), "folders": list(folders), "card": _card_json(card)}
                for order, card, folders in self.feeds
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GroupRecord:
        """Read a record back."""
        newest = data["newest"]
        feeds = [
            (tuple(feed["order"]), _card(feed["card"]), tuple(feed["folders"]))
            for feed in data["feeds"]
        ]
        return cls(data["marks"], feeds, datetime.fromisoformat(newest) if newest else None)


def _card_json(card: FeedCard) -> dict[str, Any]:
    data = asdict(card)
    for name in ("newest", "updated"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


def _card(data: dict[str, Any]) -> FeedCard:
    times = {
        name: datetime.fromisoformat(data[name]) if data[name] else None
        for name in ("newest", "updated")
    }
    return FeedCard(**(data | times))


class BuildMemory:
    """The groups the last build published under ``out`` with these inputs, and the
    groups this build publishes."""

    def __init__(self, out: Path, site_url: str, limit: int) -> None:
        self.out = out
        self.inputs = [inputs.VERSION, site_url, limit]
        self.before: dict[str, GroupRecord] = {}
        self.now: dict[str, GroupRecord] = {}
        try:
            data = json.loads((out / PATH).read_text(encoding="utf-8"))
            if data.get("layout") == LAYOUT and data.get("inputs") == self.inputs:
                self.before = {k: GroupRecord.from_json(v) for k, v in data["groups"].items()}
        except (OSError, ValueError, KeyError, TypeError):
            self.before = {}

    def reusable(self, key: str, marks: str | None, files: tuple[str, ...]) -> GroupRecord | None:
        """The record of group ``key`` if it was read at ``marks`` and its feeds' files
        are all still there (then it is kept for the next build too)."""
        record = self.before.get(key)
        if marks is None or record is None or record.marks != marks:
            return None
        for _, _, folders in record.feeds:
            for folder in folders:
                if not all((self.out / folder / name).is_file() for name in files):
                    return None
        self.now[key] = record
        return record

    def remember(self, key: str, record: GroupRecord) -> None:
        """Keep what this build published of group ``key``."""
        self.now[key] = record

    def save(self) -> None:
        """Write this build's memory (atomically, and only when it changed), once its
        files are published."""
        target = self.out / PATH
        data = {
            "layout": LAYOUT,
            "inputs": self.inputs,
            "groups": {key: record.to_json() for key, record in sorted(self.now.items())},
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        try:
            if target.read_bytes() == text:
                return
        except OSError:
            target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f".{target.name}.{os.getpid()}")
        part.write_bytes(text)
        part.replace(target)
