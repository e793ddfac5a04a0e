"""Which articles each feed holds: per portal, section, province, all portals, and saved
searches."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from crawler.archive import Archive, ArchivedArticle, PortalInfo
from crawler.archive.reads import ArticleHead
from crawler.archive.sections import SectionSlug
from crawler.text import slugify, xml_safe
from feeds.model import EPOCH, Entry, FeedInfo

ALL_TITLE = "Tin mới các cổng thông tin tỉnh"
#: Feeds that merge portals read this many more articles, to make up for reposts.
MERGE_MARGIN = 3
_PUNCT_RE = re.compile(r"[\W_]+")
#: An article as feeds choose and order it: stored in full, or its head alone.
Listed = ArchivedArticle | ArticleHead
L = TypeVar("L", ArchivedArticle, ArticleHead)


def base_time(article: Listed) -> datetime:
    """When the entry last changed: the edit time if it was edited, else its date."""
    if article.updated > article.first_seen:
        return article.updated
    return article.published or article.first_seen


class EntryTimes:
    """Each article's entry time, made unique: among articles of equal time the oldest
    keeps it and each newer one gets one more second.

    Ranks are taken over the whole archive, so an article gets the same time in every
    feed and in every build, and new articles never shift older ones. One build keeps one
    of these: each time's rivals are read from the archive once, however many feeds (a
    portal's, its province's, ``all``) hold an article of that time.
    """

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        #: Per time already read, the shifted times of its tied articles (none: no tie).
        self._ties: dict[datetime, dict[str, datetime]] = {}

    def of(self, articles: Iterable[Listed]) -> dict[str, datetime]:
        """The entry time of each of ``articles``, by key."""
        wanted = list(articles)
        unread = {base_time(a) for a in wanted} - self._ties.keys()
        crowded = self.archive.crowded_times(unread) if unread else set()
        for alone in unread - crowded:
            self._ties[alone] = _NO_TIES
        unread = crowded
        rivals: dict[datetime, list[ArticleHead]] = defaultdict(list)
        for candidate in self.archive.heads_at_times(unread) if unread else ():
            when = base_time(candidate)
            if when in unread:
                rivals[when].append(candidate)
        for when in unread:
            members = sorted(rivals.get(when, ()), key=_feed_order, reverse=True)
            self._ties[when] = (
                {m.key: when + timedelta(seconds=rank) for rank, m in enumerate(members)}
                if len(members) > 1
                else _NO_TIES
            )
        return {a.key: self._ties[base_time(a)].get(a.key, base_time(a)) for a in wanted}


#: The ties of a time only one article has.
_NO_TIES: dict[str, datetime] = {}


def story_key(article: Listed) -> tuple[str, str]:
    """What makes two portals' posts the same story: normalised title and date."""
    title = unicodedata.normalize("NFC", article.title).casefold()
    title = _PUNCT_RE.sub(" ", title).strip()
    day = article.published.date().isoformat() if article.published else ""
    return title, day


def first_sources(articles: list[L], limit: int) -> list[L]:
    """Each story once, from the portal that had it first, in feed order.

    Only reposts by *other* portals are folded: one portal's own posts of the same title
    on the same day (two "Thông báo") stay apart, and undated posts are never folded.
    """
    first: dict[tuple[str, str], L] = {}
    for article in articles:
        if article.published is None:
            continue
        key = story_key(article)
        known = first.get(key)
        if known is None or (article.first_seen, article.portal) < (
            known.first_seen,
            known.portal,
        ):
            first[key] = article
    kept = []
    for article in articles:
        source = first.get(story_key(article)) if article.published is not None else None
        if source is None or source is article or source.portal == article.portal:
            kept.append(article)
    return kept[:limit]


def province_slug(province: str) -> str:
    """A province's folder name: ``Hà Nam`` → ``ha-nam``."""
    return slugify(province)


def renamed_sections(slugs: list[SectionSlug], current: dict[str, str]) -> dict[str, str]:
    """The slugs a portal's sections no longer have, each with the current slug of the
    same section: the one whose listing path is the same (whose title is the same, when
    a path was never recorded for one of them)."""
    by_slug = {found.slug: found for found in slugs}
    renamed = {}
    for old in slugs:
        if old.slug in current:
            continue
        for slug in sorted(current):
            new = by_slug.get(slug)
            if new is None:
                continue
            same = old.path == new.path if old.path and new.path else old.title == new.title
            if same:
                renamed[old.slug] = slug
                break
    return renamed


@dataclass
class Plan:
    """One feed before it is rendered: its description and the heads of its articles."""

    meta: dict[str, Any]
    heads: list[ArticleHead]
    #: Where the feed comes in the list of every feed (portals by name, each followed by
    #: its sections; provinces; all; saved searches).
    order: tuple[Any, ...]
    #: Other folders that get the same files: a renamed section's published old slugs.
    aliases: tuple[str, ...] = ()


@dataclass
class Group:
    """Feeds built together, and what they are read from: a key naming the group across
    builds, the change counters of the portals it is made from (``None``: always read
    again, as a saved search's matches), and a function reading its plans."""

    key: str
    marks: str | None
    plans: Callable[[], list[Plan]]


def _marks(portals: Iterable[str], marks: dict[str, int]) -> str:
    """The change counters of ``portals``, as one digest."""
    text = ",".join(f"{name}={marks.get(name, 0)}" for name in sorted(portals))
    return hashlib.sha256(text.encode()).hexdigest()


def feed_groups(
    archive: Archive,
    limit: int,
    site_url: str,
    searches: tuple[str, ...] = (),
    marks: dict[str, int] | None = None,
) -> Iterator[Group]:
    """Every feed the archive gives, a group at a time: a portal with its sections, then
    each province after its portals, all portals, each saved search.

    A group's plans are read only when asked (a build skips a group whose portals did
    not change, ``marks`` being :meth:`Archive.change_marks`); only heads are read
    (never the articles' text), and no more than one province's portals' newest are
    held at once.
    """
    changes = marks or {}
    portals = archive.portals()
    read = _Reader(archive, limit, site_url, {p.name: n for n, p in enumerate(portals)})
    provinces: dict[str, list[PortalInfo]] = defaultdict(list)
    for portal in portals:
        provinces[portal.province].append(portal)
    for province, members in sorted(provinces.items()):
        newest: dict[str, list[ArticleHead]] = {}
        for portal in members:
            marked = _marks([portal.name], changes)
            yield Group(f"portal/{portal.name}", marked, partial(read.portal, portal, newest))
        marked = _marks([p.name for p in members], changes)
        yield Group(
            f"province/{province}", marked, partial(read.province, province, members, newest)
        )
    yield Group("all", _marks(read.position, changes), read.all)
    used: set[str] = set()
    for n, query in enumerate(searches):
        slug = base = slugify(query) or "tim-kiem"
        suffix = 2
        while slug in used:  # "Hà Nam" and "ha nam" each get a folder
            slug, suffix = f"{base}-{suffix}", suffix + 1
        used.add(slug)
        yield Group(f"search/{slug}", None, partial(read.search, query, slug, n))


@dataclass
class _Reader:
    """Reads the plans of each kind of group."""

    archive: Archive
    limit: int
    site_url: str
    #: Each portal's place in the list of feeds.
    position: dict[str, int]

    def portal(self, portal: PortalInfo, newest: dict[str, list[ArticleHead]]) -> list[Plan]:
        """A portal's feed and its sections'; its newest heads kept in ``newest`` for its
        province's feed."""
        archive, limit, place = self.archive, self.limit, self.position[portal.name]
        newest[portal.name] = archive.latest_heads(portal=portal.name, limit=limit * MERGE_MARGIN)
        group = [Plan(_portal_meta(portal), newest[portal.name][:limit], (0, place, 0))]
        known = archive.section_slugs(portal.name)
        renamed = renamed_sections(known, portal.sections)
        published = {found.slug for found in known if found.published}
        in_use = set(portal.sections) | set(archive.sections_in_use(portal.name))
        for n, slug in enumerate(sorted(in_use - set(renamed)), 1):
            old = sorted(before for before, now in renamed.items() if now == slug)
            heads = archive.latest_heads(portal=portal.name, section=[slug, *old], limit=limit)
            aliases = tuple(f"{portal.name}/{before}" for before in old if before in published)
            group.append(Plan(_section_meta(portal, slug), heads, (0, place, n), aliases))
        return group

    def province(
        self, province: str, members: list[PortalInfo], newest: dict[str, list[ArticleHead]]
    ) -> list[Plan]:
        """A province's feed, from its portals' newest (read again for those whose group
        was skipped)."""
        merged: list[ArticleHead] = []
        for portal in members:
            merged += newest.get(portal.name) or self.archive.latest_heads(
                portal=portal.name, limit=self.limit * MERGE_MARGIN
            )
        newest.clear()
        meta = {
            "path": f"tinh/{province_slug(province)}",
            "kind": "province",
            "title": f"Tin mới tỉnh {province}",
            "description": f"Tin mới nhất từ các cổng thông tin của tỉnh {province}",
            "link": members[0].base_url if len(members) == 1 else f"{self.site_url}/",
            "author": f"Các cổng thông tin tỉnh {province}",
            "province": province,
            "portal": None,
        }
        heads = first_sources(sorted(merged, key=_feed_order), self.limit)
        return [Plan(meta, heads, (1, province))]

    def all(self) -> list[Plan]:
        """The feed of all portals."""
        meta = {
            "path": "all",
            "kind": "all",
            "title": ALL_TITLE,
            "description": "Tin mới nhất từ mọi cổng thông tin tỉnh mà tinmoi theo dõi",
            "link": f"{self.site_url}/",
            "author": "tinmoi",
            "province": None,
            "portal": None,
        }
        newest = self.archive.latest_heads(limit=self.limit * MERGE_MARGIN)
        return [Plan(meta, first_sources(newest, self.limit), (2,))]

    def search(self, query: str, slug: str, n: int) -> list[Plan]:
        """The feed of a saved search's newest matches."""
        hits = [hit.key for hit in self.archive.search(query, limit=self.limit * MERGE_MARGIN)]
        matches = sorted(self.archive.heads_of(hits), key=_feed_order)[: self.limit]
        meta = {
            "path": f"tim/{slug}",
            "kind": "search",
            "title": f"Tìm: {query}",
            "description": f"Tin mới có “{query}” từ mọi cổng thông tin tỉnh",
            "link": f"{self.site_url}/",
            "author": "tinmoi",
            "province": None,
            "portal": None,
        }
        return [Plan(meta, matches, (3, n))]


def feed_info(
    plan: Plan,
    articles: dict[str, Any],
    times: dict[str, datetime],
    portals: dict[str, PortalInfo],
    documents: dict[str, list[dict[str, Any]]],
    empty_updated: datetime = EPOCH,
) -> FeedInfo:
    """The feed of ``plan`` with its entries: each article taken from ``articles`` (full
    articles, or heads to fingerprint it), at its time in ``times``."""
    entries = tuple(
        _entry(articles[h.key], times[h.key], portals, tuple(documents.get(h.key, ())))
        for h in plan.heads
    )
    meta = plan.meta
    text = {name: xml_safe(meta[name]) for name in ("title", "description", "author")}
    return FeedInfo(entries=entries, empty_updated=empty_updated, **(meta | text))


def _feed_order(article: Listed) -> tuple[Any, ...]:
    position = article.list_position if article.list_position is not None else 1 << 30
    return (
        -article.sort_time.timestamp(),
        -article.first_seen.timestamp(),
        position,
        article.key,
    )


def _section_meta(portal: PortalInfo, slug: str) -> dict[str, Any]:
    section = portal.sections.get(slug, slug)
    return {
        "path": f"{portal.name}/{slug}",
        "kind": "section",
        "title": f"{section} – {portal.title}",
        "description": f"Chuyên mục {section} của {portal.title} ({portal.province})",
        "link": portal.base_url,
        "author": portal.title,
        "province": portal.province,
        "portal": portal.name,
    }


def _portal_meta(portal: PortalInfo) -> dict[str, Any]:
    return {
        "path": portal.name,
        "kind": "portal",
        "title": f"{portal.title} – Tin mới",
        "description": f"Tin mới nhất từ {portal.title} ({portal.province})",
        "link": portal.base_url,
        "author": portal.title,
        "province": portal.province,
        "portal": portal.name,
    }


def _entry(
    article: Any,
    when: datetime,
    portals: dict[str, PortalInfo],
    attachments: tuple[dict, ...] = (),
) -> Entry:
    portal = portals.get(article.portal)
    sections = portal.sections if portal else {}
    return Entry(
        article=article,
        updated=when,
        source=portal.title if portal else article.portal,
        section_title=sections.get(article.section or "", article.section),
        attachments=attachments,
    )
