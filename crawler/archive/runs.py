"""Scheduled-run state in the archive: runs, listing validators, stop points, known articles
and what is due again."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, desc, exists, func, select

from crawler.archive.schema import (
    article_attachments,
    articles,
    document_links,
    dropped,
    listing_state,
    pending_revisions,
    run_portals,
    runs,
    section_state,
    walk_resume,
)

#: Drop reasons that will not change by asking again.
LASTING_REASONS = frozenset(
    {
        "http 404",
        "http 410",
        "moved off-site",
        "too large",
        "no_title",
        "attachment http 404",
        "attachment http 410",
        "attachment too large",
        "attachment moved off-site",
    }
)
#: How long a URL dropped for a passing reason (or a document not fetched yet) is asked
#: for again from the archive before it is given up.
RETRY_FOR = timedelta(days=7)


def retry_wait(times: int) -> timedelta:
    """How long after its last failure a URL that failed ``times`` times for a passing
    reason waits: an hour, doubling with each failure, up to a day."""
    return timedelta(hours=min(24, 2 ** max(0, times - 1)))


class Known(NamedTuple):
    """What a crawl needs to know of an archived article to decide whether to refetch it."""

    published: datetime | None
    first_seen: datetime
    last_seen: datetime
    #: The URL gave no usable article (recorded in ``dropped``).
    dropped: bool = False


class Resume(NamedTuple):
    """Where the walk of a section cut short (``--max-pages``, a time limit, a stop) goes on."""

    #: Keys of the first listing page of the walk that was cut: a walk from the first page
    #: may stop where it meets them, the pages below being walked already.
    start_keys: list[str]
    #: The public URL of the listing page after the deepest one walked whose articles
    #: were all archived, and its number; "" when that walk reached the section's end.
    next_url: str
    next_page: int


class RunsMixin:
    """Methods of :class:`~crawler.archive.Archive` for scheduled runs."""

    engine: Engine

    # Runs --------------------------------------------------------------------------------

    def start_run(self, now: datetime, host: str, pid: int) -> int:
        """Record a run as started; return its id."""
        with self.engine.begin() as conn:
            result = conn.execute(
                runs.insert().values(started=now, status="running", host=host, pid=pid)
            )
            primary_key = result.inserted_primary_key
            assert primary_key is not None  # an insert has one
            return int(primary_key[0])

    def finish_run(self, run_id: int, now: datetime, status: str, exit_code: int) -> None:
        """Record how a run ended."""
        with self.engine.begin() as conn:
            conn.execute(
                runs.update()
                .where(runs.c.id == run_id)
                .values(finished=now, status=status, exit_code=exit_code)
            )

    def mark_killed_runs(self) -> int:
        """Runs still marked running when a new run holds the lock were killed: record
        them so; return how many."""
        with self.engine.begin() as conn:
            return conn.execute(
                runs.update().where(runs.c.status == "running").values(status="killed")
            ).rowcount

    def record_run_portal(self, run_id: int, values: dict[str, Any]) -> None:
        """Record what a run did for one portal."""
        with self.engine.begin() as conn:
            conn.execute(run_portals.insert().values(run_id=run_id, **values))

    def recent_runs(self, limit: int = 10) -> list[dict[str, Any]]:
        """The latest runs, newest first, each with its per-portal results."""
        with self.engine.connect() as conn:
            found = [
                dict(row)
                for row in conn.execute(
                    select(runs).order_by(desc(runs.c.id)).limit(limit)
                ).mappings()
            ]
            for run in found:
                run["portals"] = [
                    dict(row)
                    for row in conn.execute(
                        select(run_portals)
                        .where(run_portals.c.run_id == run["id"])
                        .order_by(run_portals.c.portal)
                    ).mappings()
                ]
        return found

    def last_crawled(self) -> dict[str, datetime]:
        """When each portal's latest crawl started (runs that skipped it left out)."""
        query = (
            select(run_portals.c.portal, func.max(run_portals.c.started))
            .where(run_portals.c.status != "skipped")
            .group_by(run_portals.c.portal)
        )
        with self.engine.connect() as conn:
            return {portal: started for portal, started in conn.execute(query)}

    def last_good_run(self) -> datetime | None:
        """When the latest run that succeeded finished."""
        query = select(runs.c.finished).where(runs.c.status == "ok").order_by(desc(runs.c.id))
        with self.engine.connect() as conn:
            return conn.execute(query.limit(1)).scalar()

    # Conditional GET ---------------------------------------------------------------------

    def listing_validators(self, portal: str) -> dict[str, tuple[str | None, str | None]]:
        """``url → (ETag, Last-Modified)`` the portal sent for its listing pages."""
        query = select(listing_state).where(listing_state.c.portal == portal)
        with self.engine.connect() as conn:
            return {
                r["url"]: (r["etag"], r["last_modified"]) for r in conn.execute(query).mappings()
            }

    # Incremental crawls ------------------------------------------------------------------

    def stop_points(self, portal: str) -> dict[str, set[str]]:
        """``section → keys`` of its first listing page at the last clean crawl."""
        query = select(section_state).where(section_state.c.portal == portal)
        with self.engine.connect() as conn:
            return {r["section"]: set(r["stop_keys"]) for r in conn.execute(query).mappings()}

    def save_walks(
        self,
        portal: str,
        points: dict[str, list[str]],
        validators: dict[str, tuple[str | None, str | None]],
        now: datetime,
        resumes: dict[str, Resume | None] | None = None,
    ) -> None:
        """Commit the stop points and listing validators of the sections walked to their
        end, and where the walks cut short resume (None: nothing left to resume), together,
        in one transaction."""
        with self.engine.begin() as conn:
            _save_stop_points(conn, portal, points, now)
            _save_validators(conn, portal, validators, now)
            for section, resume in (resumes or {}).items():
                where = (walk_resume.c.portal == portal) & (walk_resume.c.section == section)
                conn.execute(walk_resume.delete().where(where))
                if resume is not None:
                    conn.execute(
                        walk_resume.insert().values(
                            portal=portal, section=section, updated=now, **resume._asdict()
                        )
                    )

    def walk_resumes(self, portal: str | None = None) -> dict[str, dict[str, Resume]]:
        """``portal → section → Resume`` of the walks cut short (of one portal, or all)."""
        query = select(walk_resume).order_by(walk_resume.c.portal, walk_resume.c.section)
        if portal is not None:
            query = query.where(walk_resume.c.portal == portal)
        found: dict[str, dict[str, Resume]] = {}
        with self.engine.connect() as conn:
            for r in conn.execute(query).mappings():
                found.setdefault(r["portal"], {})[r["section"]] = Resume(
                    list(r["start_keys"]), r["next_url"], r["next_page"]
                )
        return found

    def unsettled(self, portal: str, keys: Iterable[str]) -> set[str]:
        """Of ``keys``, those of ``portal`` neither archived nor recorded as dropped."""
        wanted = set(keys)
        if not wanted:
            return set()
        archived = select(articles.c.key).where(
            articles.c.portal == portal, articles.c.key.in_(wanted)
        )
        gone = select(dropped.c.key).where(dropped.c.portal == portal, dropped.c.key.in_(wanted))
        with self.engine.connect() as conn:
            found = set(conn.execute(archived).scalars()) | set(conn.execute(gone).scalars())
        return wanted - found

    def known_articles(self, portal: str, keys: Iterable[str]) -> dict[str, Known]:
        """The archived articles of ``portal`` among ``keys``, with what refetching depends
        on (asked a listing page at a time, so memory stays flat)."""
        query = select(
            articles.c.key, articles.c.published, articles.c.first_seen, articles.c.last_seen
        ).where(articles.c.portal == portal, articles.c.key.in_(list(keys)))
        with self.engine.connect() as conn:
            return {row.key: Known(*row[1:]) for row in conn.execute(query)}

    def due_revisits(
        self, portal: str, younger_than: datetime, unseen_since: datetime
    ) -> list[dict[str, Any]]:
        """Articles published (or first seen) after ``younger_than``, or holding a revision
        back, and not fetched since ``unseen_since``: the ones a crawl should look at again."""
        published = articles.c.published
        young = (articles.c.sort_time > younger_than) & (
            published.is_(None) | (published > younger_than)
        )
        held = articles.c.id.in_(select(pending_revisions.c.article_id))
        query = (
            select(
                articles.c.key,
                articles.c.url,
                articles.c.section,
                articles.c.title,
                articles.c.list_position,
            )
            .where(
                articles.c.portal == portal,
                articles.c.last_seen <= unseen_since,
                young | held,
            )
            .order_by(articles.c.key)
        )
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def dropped_urls(
        self, portal: str, now: datetime, urls: Iterable[str] | None = None
    ) -> dict[str, Known]:
        """URLs of ``portal`` not to fetch again now, as :class:`Known` entries.

        A lasting reason (404/410, off-site redirect, too large, no title) keeps a URL
        out for good; a passing one (timeouts, 5xx, an empty body) only for a while that
        doubles with each failure, up to a day, so a new article is never lost to one
        bad moment.
        """
        query = select(
            dropped.c.url, dropped.c.reason, dropped.c.times, dropped.c.first_seen,
            dropped.c.last_seen,
        ).where(dropped.c.portal == portal)  # fmt: skip
        if urls is not None:
            query = query.where(dropped.c.url.in_(list(urls)))
        found = {}
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                passing = row.reason not in LASTING_REASONS
                if passing and now - row.last_seen >= retry_wait(row.times):
                    continue
                found[row.url] = Known(None, row.first_seen, row.last_seen, dropped=True)
        return found

    def due_retries(self, portal: str, now: datetime) -> list[dict[str, Any]]:
        """Listing entries of the articles of ``portal`` dropped for a passing reason, not
        archived since, whose wait (:func:`retry_wait`) is over and whose first failure is
        less than :data:`RETRY_FOR` ago: the ones a crawl asks for again at its start."""
        query = (
            select(dropped.c.listed, dropped.c.reason, dropped.c.times, dropped.c.last_seen)
            .where(
                dropped.c.portal == portal,
                dropped.c.listed.is_not(None),
                dropped.c.first_seen > now - RETRY_FOR,
                ~exists().where(articles.c.key == dropped.c.key),
            )
            .order_by(dropped.c.url)
        )
        with self.engine.connect() as conn:
            return [
                dict(row.listed)
                for row in conn.execute(query)
                if row.reason not in LASTING_REASONS
                and now - row.last_seen >= retry_wait(row.times)
            ]

    def record_documents(self, portal: str, key: str, urls: Iterable[str], now: datetime) -> None:
        """Remember the documents the stored article ``key`` links to (each link once)."""
        urls = list(dict.fromkeys(urls))
        if not urls:
            return
        link = document_links.c
        with self.engine.begin() as conn:
            known = set(
                conn.execute(select(link.url).where(link.key == key, link.url.in_(urls))).scalars()
            )
            for url in urls:
                if url not in known:
                    conn.execute(
                        document_links.insert().values(
                            portal=portal, key=key, url=url, first_seen=now
                        )
                    )

    def due_documents(self, portal: str, now: datetime) -> list[dict[str, Any]]:
        """``key`` and ``url`` of the documents articles of ``portal`` link to that are not
        stored yet, linked less than :data:`RETRY_FOR` ago, never dropped for a lasting
        reason, and past their wait when they failed for a passing one."""
        link = document_links.c
        stored = exists().where(
            article_attachments.c.key == link.key, article_attachments.c.url == link.url
        )
        query = (
            select(link.key, link.url, dropped.c.reason, dropped.c.times, dropped.c.last_seen)
            .select_from(
                document_links.outerjoin(
                    dropped, (dropped.c.portal == link.portal) & (dropped.c.url == link.url)
                )
            )
            .where(link.portal == portal, link.first_seen > now - RETRY_FOR, ~stored)
            .order_by(link.key, link.url)
        )
        with self.engine.connect() as conn:
            return [
                {"key": row.key, "url": row.url}
                for row in conn.execute(query)
                if row.reason is None
                or (
                    row.reason not in LASTING_REASONS
                    and now - row.last_seen >= retry_wait(row.times)
                )
            ]


def _save_validators(
    conn: Connection,
    portal: str,
    found: dict[str, tuple[str | None, str | None]],
    now: datetime,
) -> None:
    for url, (etag, modified) in found.items():
        done = conn.execute(
            listing_state.update()
            .where(listing_state.c.portal == portal, listing_state.c.url == url)
            .values(etag=etag, last_modified=modified, updated=now)
        ).rowcount
        if not done:
            conn.execute(
                listing_state.insert().values(
                    portal=portal, url=url, etag=etag, last_modified=modified, updated=now
                )
            )


def _save_stop_points(
    conn: Connection, portal: str, points: dict[str, list[str]], now: datetime
) -> None:
    for section, keys in points.items():
        done = conn.execute(
            section_state.update()
            .where(section_state.c.portal == portal, section_state.c.section == section)
            .values(stop_keys=keys, updated=now)
        ).rowcount
        if not done:
            conn.execute(
                section_state.insert().values(
                    portal=portal, section=section, stop_keys=keys, updated=now
                )
            )
