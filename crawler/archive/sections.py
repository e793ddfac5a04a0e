"""Section slugs in the archive: every slug a portal's sections have had, the listing path
each named, and whether a build published its folder (a published folder is kept)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select, update

from crawler.archive.changes import touch
from crawler.archive.schema import section_slugs


@dataclass(frozen=True)
class SectionSlug:
    """One slug of a portal's section: its title and listing path when last recorded."""

    slug: str
    title: str
    path: str | None
    published: bool


class SectionsMixin:
    """Methods of :class:`~crawler.archive.Archive` for section slugs."""

    engine: Engine

    def record_sections(self, portal: str, sections: dict[str, tuple[str, str]]) -> None:
        """Record a crawl's sections of ``portal`` (slug: title and listing path); only
        what changed is written."""
        table = section_slugs.c
        with self.engine.begin() as conn:
            known = {
                slug: (title, path)
                for slug, title, path in conn.execute(
                    select(table.slug, table.title, table.path).where(table.portal == portal)
                )
            }
            changed = False
            for slug, (title, path) in sections.items():
                if slug not in known:
                    conn.execute(
                        section_slugs.insert().values(
                            portal=portal, slug=slug, title=title, path=path, published=False
                        )
                    )
                elif known[slug] != (title, path):
                    conn.execute(
                        update(section_slugs)
                        .where(table.portal == portal, table.slug == slug)
                        .values(title=title, path=path)
                    )
                else:
                    continue
                changed = True
            if changed:
                touch(conn, portal)

    def section_slugs(self, portal: str) -> list[SectionSlug]:
        """Every slug recorded for ``portal``'s sections, by slug."""
        table = section_slugs.c
        query = (
            select(table.slug, table.title, table.path, table.published)
            .where(table.portal == portal)
            .order_by(table.slug)
        )
        with self.engine.connect() as conn:
            return [SectionSlug(*row) for row in conn.execute(query)]

    def section_slugs_by_portal(self) -> dict[str, list[SectionSlug]]:
        """:meth:`section_slugs` of every portal, in one query."""
        table = section_slugs.c
        query = select(table.portal, table.slug, table.title, table.path, table.published)
        found: dict[str, list[SectionSlug]] = {}
        with self.engine.connect() as conn:
            for portal, *row in conn.execute(query.order_by(table.portal, table.slug)):
                found.setdefault(portal, []).append(SectionSlug(*row))
        return found

    def mark_published(self, portal: str, slugs: dict[str, str]) -> None:
        """Record that a build published the folders of ``slugs`` (slug: title)."""
        table = section_slugs.c
        with self.engine.begin() as conn:
            for slug, title in slugs.items():
                done = conn.execute(
                    update(section_slugs)
                    .where(table.portal == portal, table.slug == slug)
                    .values(published=True)
                ).rowcount
                if not done:
                    conn.execute(
                        section_slugs.insert().values(
                            portal=portal, slug=slug, title=title, path=None, published=True
                        )
                    )
