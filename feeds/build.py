"""Build every feed from the archive: per portal, per section, and all portals together."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crawler.archive import Archive
from feeds.model import FeedInfo
from feeds.render import render_atom, render_rss
from feeds.write import atomic_write

DEFAULT_LIMIT = 50
DEFAULT_SITE_URL = "http://127.0.0.1:8080"
ALL_TITLE = "Tin mới các cổng thông tin tỉnh"


@dataclass(frozen=True)
class BuiltFeed:
    """One written feed folder: its files, item count and whether anything changed."""

    path: str
    files: tuple[Path, ...]
    items: int
    changed: bool


def feed_infos(archive: Archive, limit: int = DEFAULT_LIMIT, site_url: str = "") -> list[FeedInfo]:
    """Every feed the archive gives: each portal, each of its sections, and ``all``."""
    infos: list[FeedInfo] = []
    section_titles: dict[str, str] = {}
    for portal in archive.portals():
        titles = dict(portal.sections)
        section_titles.update(titles)
        infos.append(
            FeedInfo(
                path=portal.name,
                title=f"{portal.title} – Tin mới",
                description=f"Tin mới nhất từ {portal.title} ({portal.province})",
                link=portal.base_url,
                items=tuple(archive.latest(portal=portal.name, limit=limit)),
                section_titles=titles,
            )
        )
        for slug in sorted(set(titles) | set(archive.sections_in_use(portal.name))):
            title = titles.get(slug, slug)
            infos.append(
                FeedInfo(
                    path=f"{portal.name}/{slug}",
                    title=f"{title} – {portal.title}",
                    description=f"Chuyên mục {title} của {portal.title} ({portal.province})",
                    link=portal.base_url,
                    items=tuple(archive.latest(portal=portal.name, section=slug, limit=limit)),
                    section_titles=titles,
                )
            )
    infos.append(
        FeedInfo(
            path="all",
            title=ALL_TITLE,
            description="Tin mới nhất từ mọi cổng thông tin tỉnh mà tinmoi theo dõi",
            link=site_url.rstrip("/") + "/" if site_url else DEFAULT_SITE_URL + "/",
            items=tuple(archive.latest(limit=limit)),
            section_titles=section_titles,
        )
    )
    return infos


def build_feeds(
    archive: Archive, out: Path, *, limit: int = DEFAULT_LIMIT, site_url: str = DEFAULT_SITE_URL
) -> list[BuiltFeed]:
    """Write ``rss.xml`` and ``atom.xml`` for every feed under ``out``, atomically."""
    built = []
    base = site_url.rstrip("/")
    for info in feed_infos(archive, limit, base):
        folder = out / info.path
        rss, atom = folder / "rss.xml", folder / "atom.xml"
        changed = atomic_write(rss, render_rss(info, f"{base}/{info.path}/rss.xml"))
        changed |= atomic_write(atom, render_atom(info, f"{base}/{info.path}/atom.xml"))
        built.append(BuiltFeed(info.path, (rss, atom), len(info.items), changed))
    return built
