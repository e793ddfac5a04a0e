"""Which articles each feed holds: per portal, section, province, and all portals."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from crawler.archive import Archive, ArchivedArticle, PortalInfo
from crawler.text import slugify, xml_safe
from feeds.model import EPOCH, Entry, FeedInfo

ALL_TITLE = "Tin mới các cổng thông tin tỉnh"
#: Feeds that merge portals read this many more articles, to make up for reposts.
MERGE_MARGIN = 3
_PUNCT_RE = re.compile(r"[\W_]+")


def base_time(article: ArchivedArticle) -> datetime:
    """When the entry last changed: the edit time if it was edited, else its date."""
    if article.updated > article.first_seen:
        return article.updated
    return article.published or article.first_seen


def tie_broken_times(archive: Archive, articles: Iterable[ArchivedArticle]) -> dict[str, datetime]:
    """Each article's entry time, made unique: among articles of equal time the oldest
    keeps it and each newer one gets one more second.

    Ranks are taken over the whole archive, so an article gets the same time in every
    feed and in every build, and new articles never shift older ones.
    """
    wanted = list(articles)
    times = {base_time(a) for a in wanted}
    groups: dict[datetime, list[ArchivedArticle]] = defaultdict(list)
    for candidate in archive.at_times(times):
        when = base_time(candidate)
        if when in times:
            groups[when].append(candidate)
    result = {}
    for when, members in groups.items():
        for rank, member in enumerate(sorted(members, key=_feed_order, reverse=True)):
            result[member.key] = when + timedelta(seconds=rank)
    return {a.key: result.get(a.key, base_time(a)) for a in wanted}


def story_key(article: ArchivedArticle) -> tuple[str, str]:
    """What makes two portals' posts the same story: normalised title and date."""
    title = unicodedata.normalize("NFC", article.title).casefold()
    title = _PUNCT_RE.sub(" ", title).strip()
    day = article.published.date().isoformat() if article.published else ""
    return title, day


def first_sources(articles: list[ArchivedArticle], limit: int) -> list[ArchivedArticle]:
    """Each story once, from the portal that had it first, in feed order.

    Only reposts by *other* portals are folded: one portal's own posts of the same title
    on the same day (two "Thông báo") stay apart, and undated posts are never folded.
    """
    first: dict[tuple[str, str], ArchivedArticle] = {}
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


def feed_infos(
    archive: Archive, limit: int, site_url: str, searches: tuple[str, ...] = ()
) -> list[FeedInfo]:
    """Every feed the archive gives, with its entries."""
    portals = archive.portals()
    by_name = {p.name: p for p in portals}
    plans: list[tuple[dict, list[ArchivedArticle]]] = []
    for portal in portals:
        plans.append((_portal_meta(portal), archive.latest(portal=portal.name, limit=limit)))
        for slug in sorted(set(portal.sections) | set(archive.sections_in_use(portal.name))):
            section = portal.sections.get(slug, slug)
            meta = {
                "path": f"{portal.name}/{slug}",
                "kind": "section",
                "title": f"{section} – {portal.title}",
                "description": f"Chuyên mục {section} của {portal.title} ({portal.province})",
                "link": portal.base_url,
                "author": portal.title,
                "province": portal.province,
                "portal": portal.name,
            }
            plans.append((meta, archive.latest(portal=portal.name, section=slug, limit=limit)))
    provinces: dict[str, list[PortalInfo]] = defaultdict(list)
    for portal in portals:
        provinces[portal.province].append(portal)
    for province, members in sorted(provinces.items()):
        merged = sorted(
            (a for p in members for a in archive.latest(portal=p.name, limit=limit * MERGE_MARGIN)),
            key=_feed_order,
        )
        meta = {
            "path": f"tinh/{province_slug(province)}",
            "kind": "province",
            "title": f"Tin mới tỉnh {province}",
            "description": f"Tin mới nhất từ các cổng thông tin của tỉnh {province}",
            "link": members[0].base_url if len(members) == 1 else f"{site_url}/",
            "author": f"Các cổng thông tin tỉnh {province}",
            "province": province,
            "portal": None,
        }
        plans.append((meta, first_sources(merged, limit)))
    meta = {
        "path": "all",
        "kind": "all",
        "title": ALL_TITLE,
        "description": "Tin mới nhất từ mọi cổng thông tin tỉnh mà tinmoi theo dõi",
        "link": f"{site_url}/",
        "author": "tinmoi",
        "province": None,
        "portal": None,
    }
    plans.append((meta, first_sources(archive.latest(limit=limit * MERGE_MARGIN), limit)))
    used: set[str] = set()
    for query in searches:
        found = [archive.get(hit.key) for hit in archive.search(query, limit=limit * MERGE_MARGIN)]
        matches = sorted((a for a in found if a is not None), key=_feed_order)[:limit]
        slug = base = slugify(query) or "tim-kiem"
        suffix = 2
        while slug in used:  # "Hà Nam" and "ha nam" each get a folder
            slug, suffix = f"{base}-{suffix}", suffix + 1
        used.add(slug)
        meta = {
            "path": f"tim/{slug}",
            "kind": "search",
            "title": f"Tìm: {query}",
            "description": f"Tin mới có “{query}” từ mọi cổng thông tin tỉnh",
            "link": f"{site_url}/",
            "author": "tinmoi",
            "province": None,
            "portal": None,
        }
        plans.append((meta, matches))
    times = tie_broken_times(archive, {a.key: a for _, arts in plans for a in arts}.values())
    newest = max(times.values(), default=EPOCH)
    documents = {key: tuple(archive.attachments_of(key)) for key in times}
    infos = []
    for meta, articles in plans:
        entries = tuple(_entry(a, times[a.key], by_name, documents[a.key]) for a in articles)
        text = {name: xml_safe(meta[name]) for name in ("title", "description", "author")}
        infos.append(FeedInfo(entries=entries, empty_updated=newest, **(meta | text)))
    return infos


def _feed_order(article: ArchivedArticle) -> tuple:
    position = article.list_position if article.list_position is not None else 1 << 30
    return (
        -article.sort_time.timestamp(),
        -article.first_seen.timestamp(),
        position,
        article.key,
    )


def _portal_meta(portal: PortalInfo) -> dict:
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
    article: ArchivedArticle,
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
