"""Build every feed from the archive: per portal, section, province, and all portals.

Each feed folder gets ``rss.xml``, ``atom.xml``, ``feed.json`` and an ``index.html``
preview; the output root gets ``feeds.opml``, one ``feeds-<province>.opml`` per province
and ``index.html``. Every file is written atomically and left untouched when its bytes
have not changed; a feed whose inputs have not changed since it was published is not even
rendered (:mod:`feeds.inputs`), and a group of feeds whose portals have not changed since
the last build is not even read (:mod:`feeds.reuse`). A build never replaces feeds by
emptier ones unless forced (see :mod:`feeds.write`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.archive import Archive, PortalInfo
from crawler.archive.reads import ArticleHead
from feeds.health import PATH as HEALTH_PATH
from feeds.health import render_health
from feeds.inputs import entry_inputs, fingerprint
from feeds.jsonfeed import render_json
from feeds.model import EPOCH, FeedCard
from feeds.opml import province_opml, render_opml, render_province_opml
from feeds.pages import render_index, render_preview
from feeds.render import render_atom, render_rss
from feeds.reuse import BuildMemory, GroupRecord
from feeds.select import EntryTimes, Plan, feed_groups, feed_info, renamed_sections
from feeds.write import Publication

DEFAULT_LIMIT = 50
DEFAULT_SITE_URL = "http://127.0.0.1:8080"
FEED_FILES = ("rss.xml", "atom.xml", "feed.json", "index.html")
#: The operator feed's length: the newest health changes.
HEALTH_ITEMS = 50


def feed_limit(name: str, limit: int) -> int | None:
    """The item limit a file of a feed folder is checked against (None: not a feed)."""
    return None if name == "index.html" else limit


@dataclass(frozen=True)
class BuiltFeed:
    """One written feed folder: its files, item count and whether anything changed."""

    path: str
    files: tuple[Path, ...]
    items: int
    changed: bool


def build_feeds(
    archive: Archive,
    out: Path,
    *,
    limit: int = DEFAULT_LIMIT,
    site_url: str = DEFAULT_SITE_URL,
    searches: tuple[str, ...] = (),
    force: bool = False,
) -> list[BuiltFeed]:
    """Write every feed, the OPML list and the index pages under ``out``.

    Each saved search in ``searches`` gets a feed of its newest matches in ``tim/<slug>/``.
    Feeds are built one group at a time (a portal and its sections, a province, …) and
    the text of one feed's articles is read only to render that feed, so memory stays
    flat whatever the number of portals. Nothing is written (OutputError) when a feed
    would hold fewer items than the file it replaces (unless it holds ``limit``: a lowered
    limit) or a published feed would no longer be built, unless ``force`` is given: then
    the feeds no longer built are removed.
    """
    build = _Build(archive, out, limit, site_url.rstrip("/"))
    memory = BuildMemory(out, build.site_url, limit)
    marks = archive.change_marks()
    with Publication(out) as publication:
        entry_times: EntryTimes | None = None  # read only when a group is
        empty = []  # their time is the newest entry's of every feed: they come last
        for group in feed_groups(archive, limit, build.site_url, searches, marks):
            reused = memory.reusable(group.key, group.marks, FEED_FILES)
            if reused is not None:
                build.reuse(reused)
                continue
            plans = group.plans()
            entry_times = entry_times or EntryTimes(archive)
            heads = {head.key: head for plan in plans for head in plan.heads}
            times = entry_times.of(heads.values())
            documents = archive.attachments_by_key(list(heads))
            record = GroupRecord(group.marks or "")
            for plan in plans:
                if plan.heads:
                    newest = max(times[h.key] for h in plan.heads)
                    build.newest = max(build.newest, newest)
                    record.newest = max(record.newest or newest, newest)
                    card = build.publish(publication, plan, heads, times, documents)
                    record.feeds.append((plan.order, card, (card.path, *plan.aliases)))
                else:
                    empty.append(plan)
            if group.marks is not None and all(plan.heads for plan in plans):
                memory.remember(group.key, record)
        for plan in empty:
            build.publish(publication, plan, {}, {}, {})
        cards = [card for _, card in sorted(build.cards, key=lambda pair: pair[0])]
        publication.add("feeds.opml", render_opml(cards, build.site_url, build.newest))
        publication.add("index.html", render_index(cards, build.site_url))
        lists = _province_lists(publication, cards, build.site_url)
        events = archive.health_events(HEALTH_ITEMS)
        health = render_health(events, build.site_url)
        publication.add(f"{HEALTH_PATH}/atom.xml", health, HEALTH_ITEMS)
        kept = {card.path for card in cards} | set(build.aliases) | {HEALTH_PATH}
        publication.publish(kept, FEED_FILES, force=force)
    for portal, slugs in build.unpublished.items():
        archive.mark_published(portal, slugs)
    memory.save()
    if force:  # a province no longer built takes its list along
        for stale in set(out.glob("feeds-*.opml")) - {out / name for name in lists}:
            stale.unlink(missing_ok=True)
    return [feed for _, feed in sorted(build.built, key=lambda pair: pair[0])]


def _province_lists(publication: Publication, cards: list[FeedCard], site_url: str) -> set[str]:
    """Stage each province's OPML list beside ``feeds.opml``; the names written."""
    by_province: dict[str, list[FeedCard]] = defaultdict(list)
    for card in cards:
        if card.province:
            by_province[card.province].append(card)
    for province, members in by_province.items():
        updated = max(card.updated for card in members)
        opml = render_province_opml(province, members, site_url, updated)
        publication.add(province_opml(province), opml)
    return {province_opml(province) for province in by_province}


class _Build:
    """One build's settings and what it has written so far."""

    def __init__(self, archive: Archive, out: Path, limit: int, site_url: str) -> None:
        self.archive, self.out, self.limit, self.site_url = archive, out, limit, site_url
        self.portals: dict[str, PortalInfo] = {}
        #: Per portal, the section slugs this build publishes for the first time.
        self.unpublished: dict[str, dict[str, str]] = defaultdict(dict)
        self.published: set[tuple[str, str]] = set()
        slugs = archive.section_slugs_by_portal()
        for portal in archive.portals():
            known = slugs.get(portal.name, [])
            self.published |= {(portal.name, found.slug) for found in known if found.published}
            renamed = renamed_sections(known, portal.sections)
            titles = {old: portal.sections[new] for old, new in renamed.items()}
            self.portals[portal.name] = replace(portal, sections=titles | portal.sections)
        #: The folders that repeat another's files (a renamed section's old slugs).
        self.aliases: list[str] = []
        #: The newest entry time of every feed so far (the time of empty feeds).
        self.newest = EPOCH
        self.built: list[tuple[tuple[Any, ...], BuiltFeed]] = []
        self.cards: list[tuple[tuple[Any, ...], FeedCard]] = []

    def reuse(self, record: GroupRecord) -> None:
        """Count in a group the last build published, unchanged since."""
        for order, card, folders in record.feeds:
            self.cards.append((order, card))
            self.aliases += folders[1:]
            for n, folder in enumerate(folders):
                files = tuple(self.out / folder / name for name in FEED_FILES)
                self.built.append(((*order, n), BuiltFeed(folder, files, card.items, False)))
        if record.newest is not None:
            self.newest = max(self.newest, record.newest)

    def publish(
        self,
        publication: Publication,
        plan: Plan,
        heads: dict[str, ArticleHead],
        times: dict[str, datetime],
        documents: dict[str, list[dict[str, Any]]],
    ) -> FeedCard:
        """Stage the files of ``plan``'s feed, unless its published files were rendered
        from the same inputs: only then are its articles read in full and rendered. The
        feed's card."""
        sketch = feed_info(plan, heads, times, self.portals, documents, self.newest)
        inputs = fingerprint(sketch, map(entry_inputs, sketch.entries), self.site_url, self.limit)
        card = FeedCard.of(sketch)
        self.cards.append((plan.order, card))
        path = sketch.path
        folders = (path, *plan.aliases)
        self.aliases += plan.aliases
        if plan.meta["kind"] == "section":
            for folder in folders:
                portal, slug = folder.split("/", 1)
                if (portal, slug) not in self.published:
                    self.unpublished[portal][slug] = self.portals[portal].sections.get(slug, slug)
        changed = False
        if not all(
            publication.current(f"{folder}/{name}", inputs)
            for folder in folders
            for name in FEED_FILES
        ):
            articles = self.archive.articles_of([head.key for head in plan.heads])
            info = feed_info(plan, articles, times, self.portals, documents, self.newest)
            url = f"{self.site_url}/{path}"
            contents = {
                "rss.xml": render_rss(info, f"{url}/rss.xml"),
                "atom.xml": render_atom(info, f"{url}/atom.xml"),
                "feed.json": render_json(info, f"{url}/feed.json"),
                "index.html": render_preview(info, self.site_url),
            }
            changed = any(
                [
                    publication.add(f"{folder}/{name}", data, feed_limit(name, self.limit), inputs)
                    for folder in folders
                    for name, data in contents.items()
                ]
            )
        for n, folder in enumerate(folders):
            files = tuple(self.out / folder / name for name in FEED_FILES)
            built = BuiltFeed(folder, files, len(sketch.entries), changed)
            self.built.append(((*plan.order, n), built))
        return card
