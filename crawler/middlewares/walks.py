"""The section walks of one crawl: which reached their end, and where those cut short resume.

A section is walked from its first page (the ``head`` walk). When its last walk was cut
short (``--max-pages``, a time limit, a stop, a listing page that failed), the crawl also
walks it from the page after the deepest one that walk settled (the ``tail`` walk), while
the head walk stops where it meets the first page of the walk that was cut: new articles
on the first page are seen, and the backfill goes on from where it was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import count

from scrapy import Request
from scrapy.http import Response

from crawler.archive.runs import Resume

HEAD, TAIL = "head", "tail"
#: A walk: its section's slug and ``head`` or ``tail``.
Walk = tuple[str, str]


def walk_of(meta: dict[str, object]) -> Walk:
    """The walk a listing request or response belongs to."""
    return str(meta.get("tinmoi_section", "")), str(meta.get("tinmoi_walk", HEAD))


class SectionWalks:
    """Which walks a crawl took to their end, from the listing requests it scheduled.

    A walk reached its end when every listing page of it that was scheduled was parsed (a
    page that failed never is) and no ``--max-pages`` limit cut it short. Each listing
    request gets an id in its meta when first scheduled; retries and redirects keep it.
    """

    def __init__(self) -> None:
        self._ids = count(1)
        self.open: defaultdict[Walk, set[int]] = defaultdict(set)
        self.parsed: set[Walk] = set()
        self.cut: set[Walk] = set()

    def scheduled(self, request: Request) -> None:
        """A listing request entered the scheduler."""
        if request.meta.get("tinmoi_kind") == "listing":
            walk_id = request.meta.setdefault("tinmoi_walk_id", next(self._ids))
            self.open[walk_of(request.meta)].add(walk_id)

    def dropped(self, request: Request) -> None:
        """The scheduler refused a listing request (a page already asked for)."""
        if request.meta.get("tinmoi_kind") == "listing":
            self.open[walk_of(request.meta)].discard(request.meta.get("tinmoi_walk_id", 0))

    def parsed_page(self, response: Response, cut: bool) -> None:
        """A listing page was parsed; ``cut`` when the walk may not go past it."""
        walk = walk_of(response.meta)
        self.open[walk].discard(response.meta.get("tinmoi_walk_id", 0))
        self.parsed.add(walk)
        if cut:
            self.cut.add(walk)

    def walked(self) -> set[Walk]:
        """The walks that reached their section's last page or their stop point."""
        return {w for w in self.parsed if not self.open[w] and w not in self.cut}

    def sections(self) -> set[str]:
        """The sections of which a listing page was parsed."""
        return {section for section, _ in self.parsed}


@dataclass(frozen=True)
class PageWalked:
    """A listing page a walk parsed: its number, the keys it lists, and the public URL
    of the page after it (None: there is none, or it is not one to resume from)."""

    page: int
    keys: tuple[str, ...]
    next_url: str | None


class WalkProgress:
    """The listing pages each walk parsed, to resume a walk cut short from its deepest
    settled page. Only chains of GET pages resume: a page leading to several listing
    pages (a sitemap index) or to a form posted back leaves its section to walk again."""

    def __init__(self) -> None:
        self.pages: defaultdict[Walk, list[PageWalked]] = defaultdict(list)
        self.unresumable: set[str] = set()

    def parsed(self, response: Response, keys: Iterable[str], next_pages: list[Request]) -> None:
        """A listing page was parsed; ``next_pages`` are the listing requests it led to."""
        walk = walk_of(response.meta)
        if len(next_pages) > 1 or any(r.method != "GET" for r in next_pages):
            self.unresumable.add(walk[0])
        found = next_pages[0].meta.get("tinmoi_listing_url") if next_pages else None
        next_url = found or response.meta.get("tinmoi_next_listing")
        page = int(response.meta.get("tinmoi_page") or 1)
        self.pages[walk].append(PageWalked(page, tuple(keys), next_url))

    def settled(self, walk: Walk, settled: Callable[[Iterable[str]], bool]) -> bool:
        """Every page ``walk`` parsed lists only settled articles."""
        return all(settled(page.keys) for page in self.pages[walk])

    def resume_point(
        self, walk: Walk, ended: bool, settled: Callable[[Iterable[str]], bool]
    ) -> tuple[str, int] | None:
        """Where ``walk`` goes on next time: the page after the deepest one whose articles,
        and those of every page above it, are settled (archived or dropped); ``("", 0)``
        when the walk ``ended`` with them all settled; None when not even its first is."""
        found = None
        pages = sorted(self.pages[walk], key=lambda p: p.page)
        for page in pages:
            if not settled(page.keys):
                return found
            found = (page.next_url or "", page.page + 1 if page.next_url else 0)
        return ("", 0) if ended and pages else found


def next_resume(
    old: Resume | None,
    tail_used: bool,
    start_keys: list[str] | None,
    head: tuple[bool, bool],
    deep: tuple[str, int] | None,
) -> Resume | None:
    """A section's resume after a crawl that did not walk it to its end (None: keep
    ``old``).

    ``head`` is (the head walk ended, its pages are settled); ``deep`` is where the deep
    walk (the tail when ``tail_used``, else the head) goes on (:meth:`WalkProgress.resume_point`).
    The first page's keys of this crawl (``start_keys``) become the start when the head
    walk is the deep one, or closed the gap down to the old start.
    """
    if not tail_used:
        if deep is None or not start_keys:
            return None
        return Resume(start_keys, *deep)
    assert old is not None  # a tail walk resumes an old walk
    next_url, next_page = deep if deep is not None else (old.next_url, old.next_page)
    closed = head[0] and head[1]
    return Resume(start_keys if closed and start_keys else old.start_keys, next_url, next_page)
