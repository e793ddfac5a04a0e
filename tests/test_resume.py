"""Walks cut short (``--max-pages``, the time limit) resume from the deepest page reached,
and still see what was published on the first page meanwhile."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from crawler.archive import Archive
from crawler.archive.runs import Resume
from crawler.middlewares.walks import next_resume
from tests.conftest import ALIAS_HOST, tinmoi
from tests.test_archive import article
from tests.test_runs import SLOW, add_articles, archived, run_args
from tinmoi.snapshot import SnapshotSite, snapshot_dir

PUBLIC = "https://hanamtourism.vn"
LISTINGS = {
    "tin-tuc-su-kien": "/vi/news/?id=cat_1&t=tin-tuc-su-kien",
    "diem-den": "/vi/news/?id=cat_2&t=diem-den",
    "le-hoi-van-hoa": "/vi/news/?id=cat_3&t=le-hoi-van-hoa",
}
ITEM = '<div class="item-news row">'


@pytest.fixture
def site(tmp_path: Path) -> Iterator[SnapshotSite]:
    """A private copy of the Hà Nam snapshot (tests change it), served on loopback."""
    root = tmp_path / "snapshot"
    shutil.copytree(snapshot_dir("hanam_tourism"), root)
    served = SnapshotSite(root, {"alias": ALIAS_HOST}).start()
    yield served
    served.stop()


def page_url(section: str, page: int) -> str:
    return LISTINGS[section] + (f"&page={page}" if page > 1 else "")


def article_ids(targets: list[str]) -> list[str]:
    return sorted(m.group(1) for t in targets if (m := re.search(r"id=(news_\d+)&", t)))


def split_items(html: str) -> tuple[str, list[str], str]:
    """A listing page as the text before its entries, its entries, and the text after."""
    head, *parts = html.split(ITEM)
    last = parts[-1]
    end = last.index("\n</div>") + len("\n</div>")
    return head, [*parts[:-1], last[:end]], last[end:]


def shift_down(root: Path, section: str, pages: int) -> None:
    """What publishing at the top does to a real listing: each page's last entry moves
    to the top of the next page (the last page grows)."""
    routes = json.loads((root / "main" / "routes.json").read_text())
    carry: str | None = None
    for page in range(1, pages + 1):
        path = root / "main" / routes[page_url(section, page)]
        head, items, tail = split_items(path.read_text())
        if carry is not None:
            items.insert(0, carry)
        carry = items.pop() if page < pages else None
        path.write_text(head + "".join(ITEM + item for item in items) + tail)


def listing_requests(site: SnapshotSite, since: int) -> list[str]:
    requests = site.servers["main"].requests[since:]
    return sorted(t for t in requests if t == "/robots.txt" or t.startswith("/vi/news/"))


def every_request(site: SnapshotSite, since: int, since_alias: int) -> list[str]:
    return site.servers["main"].requests[since:] + site.servers["alias"].requests[since_alias:]


def counts(site: SnapshotSite) -> tuple[int, int]:
    return len(site.servers["main"].requests), len(site.servers["alias"].requests)


@pytest.mark.e2e
def test_a_walk_cut_by_max_pages_resumes_from_the_next_page_and_sees_page_one(site, tmp_path):
    db = tmp_path / "tinmoi.sqlite3"
    status_args = ("--db", str(db))
    first = tinmoi(*run_args(site, tmp_path, "--max-pages", "2"))
    assert (first.returncode, first.stderr) == (0, "")
    first_ids = article_ids(every_request(site, 0, 0))
    state = json.loads(tinmoi("status", "--json", *status_args, check=True).stdout)
    assert state["incomplete_walks"] == {
        "hanam_tourism": {
            section: {"next_url": PUBLIC + page_url(section, 3), "next_page": 3}
            for section in LISTINGS
        }
    }
    table = tinmoi("status", *status_args, check=True).stdout
    assert (
        "\nIncomplete walks\n"
        "  hanam_tourism diem-den         incomplete, resumes next run from page 3\n"
        "  hanam_tourism le-hoi-van-hoa   incomplete, resumes next run from page 3\n"
        "  hanam_tourism tin-tuc-su-kien  incomplete, resumes next run from page 3\n"
    ) in table

    # Meanwhile one article is published at the top of tin-tuc-su-kien.
    [added] = add_articles(site.root, [10468])
    shift_down(site.root, "tin-tuc-su-kien", 3)
    main, alias = counts(site)
    second = tinmoi(*run_args(site, tmp_path))
    assert (second.returncode, second.stderr) == (0, "")
    # Page 1 of every section for what is new; page 2 of tin-tuc-su-kien only because
    # page 1 had something new (its old first entries moved down there); then page 3,
    # the first time, never the pages already walked.
    assert listing_requests(site, main) == sorted(
        [
            "/robots.txt",
            *(page_url(section, 1) for section in LISTINGS),
            page_url("tin-tuc-su-kien", 2),
            *(page_url(section, 3) for section in LISTINGS),
        ]
    )
    second_ids = article_ids(every_request(site, main, alias))
    assert set(first_ids).isdisjoint(second_ids)  # nothing fetched twice
    assert "news_10468" in second_ids and added.startswith("/vi/detailnews/?id=news_10468&")
    table = tinmoi("status", *status_args, check=True).stdout
    assert "Incomplete walks" not in table

    # Exactly what one uninterrupted backfill of the portal as it is now archives.
    main, alias = counts(site)
    whole = tmp_path / "whole"
    whole.mkdir()
    tinmoi(*run_args(site, whole, "--backfill"), check=True)
    assert archived(db) == archived(whole / "tinmoi.sqlite3")
    assert sorted(first_ids + second_ids) == article_ids(every_request(site, main, alias))

    # Walked to its end: the next run asks one conditional request per section.
    main, _ = counts(site)
    tinmoi(*run_args(site, tmp_path), check=True)
    assert [status for _, status in site.servers["main"].statuses[main:]] == [200, 304, 304, 304]


@pytest.mark.e2e
def test_a_walk_cut_by_the_time_limit_resumes_where_its_articles_were_archived(site, tmp_path):
    config = tmp_path / "tinmoi.toml"
    config.write_text(
        'archive = "tinmoi.sqlite3"\noutput = "public"\n[limits]\nportal_seconds = 2\n'
    )
    args = run_args(site, tmp_path)
    args[args.index("--db") : args.index("--db") + 2] = ["--config", str(config)]
    db = tmp_path / "tinmoi.sqlite3"
    cut = tinmoi(*args, *SLOW)
    assert cut.returncode == 0, cut.stderr
    first_ids = article_ids(every_request(site, 0, 0))
    with sqlite3.connect(db) as conn:
        resumes = dict(conn.execute("select section, next_page from walk_resume"))
        archived_keys = {k for (k,) in conn.execute("select key from articles")}
    assert 0 < len(archived_keys) < 67
    # The first pages' articles come first, so each section resumes past its first page.
    assert sorted(resumes) == sorted(LISTINGS) and min(resumes.values()) >= 2
    config.write_text('archive = "tinmoi.sqlite3"\noutput = "public"\n')
    main, alias = counts(site)
    again = tinmoi(*args)
    assert (again.returncode, again.stderr) == (0, "")
    later = listing_requests(site, main)
    for section, next_page in resumes.items():
        assert page_url(section, next_page) in later
        walked = [page_url(section, page) for page in range(2, next_page)]
        assert [url for url in walked if url in later] == []  # not walked again
    second_ids = article_ids(every_request(site, main, alias))
    assert {f"hanam_tourism:{i}" for i in second_ids}.isdisjoint(archived_keys)
    assert len(archived(db)) == 67
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from walk_resume").fetchone() == (0,)
    assert len(first_ids) >= len(archived_keys)


def test_resumes_are_saved_replaced_and_cleared_with_the_walks(archive_url):
    now = datetime.fromisoformat("2025-08-01T09:00:00+07:00")
    with Archive.open(archive_url, now=now) as archive:
        cut = Resume(["p:news_1", "p:news_2"], "https://p.vn/tin?page=3", 3)
        archive.save_walks("p", {}, {}, now, {"s": cut, "t": Resume(["p:news_9"], "", 0)})
        assert archive.walk_resumes() == {"p": {"s": cut, "t": Resume(["p:news_9"], "", 0)}}
        deeper = cut._replace(next_url="https://p.vn/tin?page=5", next_page=5)
        archive.save_walks("p", {"s": ["p:news_1"]}, {}, now, {"s": deeper, "t": None})
        assert archive.walk_resumes("p") == {"p": {"s": deeper}}
        assert archive.stop_points("p") == {"s": {"p:news_1"}}
        archive.upsert_article(article(1), now)
        archive.record_dropped("p", "https://p.vn/x", "http 500", "", now, key="p:news_2")
        assert archive.unsettled("p", ["p:news_1", "p:news_2", "p:news_3"]) == {"p:news_3"}
        assert archive.unsettled("q", ["p:news_1"]) == {"p:news_1"}


def test_the_next_resume_follows_the_deep_walk_and_closes_the_gap_from_the_top():
    old = Resume(["a", "b"], "https://p.vn/tin?page=4", 4)
    # First cut: the walk from page 1 is the deep one.
    assert next_resume(None, False, ["x", "a"], (False, True), ("https://p.vn/tin?page=3", 3)) == (
        Resume(["x", "a"], "https://p.vn/tin?page=3", 3)
    )
    assert next_resume(None, False, None, (False, True), ("https://p.vn/tin?page=3", 3)) is None
    assert next_resume(None, False, ["x"], (False, False), None) is None
    # The tail went deeper; the head met the old start: the new first page is the start.
    deeper = ("https://p.vn/tin?page=6", 6)
    assert next_resume(old, True, ["n", "a"], (True, True), deeper) == Resume(["n", "a"], *deeper)
    # The head was cut (or its articles not all archived): the old start stays.
    assert next_resume(old, True, ["n", "m"], (False, True), deeper) == Resume(["a", "b"], *deeper)
    assert next_resume(old, True, ["n", "a"], (True, False), deeper) == Resume(["a", "b"], *deeper)
    # The tail settled nothing: it resumes where it did.
    assert next_resume(old, True, ["n", "a"], (True, True), None) == old._replace(
        start_keys=["n", "a"]
    )
    # The tail reached the end: only the first pages are left.
    assert next_resume(old, True, ["n"], (False, True), ("", 0)) == Resume(["a", "b"], "", 0)


@pytest.mark.e2e
def test_a_page_to_resume_from_that_fails_has_the_section_walked_from_its_start(site, tmp_path):
    db = tmp_path / "tinmoi.sqlite3"
    tinmoi(*run_args(site, tmp_path, "--max-pages", "2"), check=True)
    site.servers["main"].faults = {page_url("diem-den", 3): ["404"] * 5}
    failed = tinmoi(*run_args(site, tmp_path))
    assert (failed.returncode, failed.stderr) == (0, "")  # not the section's first page
    with sqlite3.connect(db) as conn:
        assert conn.execute("select section from walk_resume").fetchall() == []
    site.servers["main"].faults = {}
    main, _ = counts(site)
    tinmoi(*run_args(site, tmp_path), check=True)
    diem_den = [t for t in listing_requests(site, main) if "cat_2" in t]
    assert diem_den == sorted(page_url("diem-den", page) for page in (1, 2, 3))
    assert len(archived(db)) == 67
