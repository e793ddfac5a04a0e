"""Scheduled runs against a fault-injecting copy of the Hà Nam snapshot on loopback."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest

from tests.conftest import ALIAS_HOST, NOW, map_args, tinmoi
from tinmoi.snapshot import SnapshotSite, snapshot_dir

pytestmark = pytest.mark.e2e

HANAM = "https://hanamtourism.vn/vi/detailnews/?id="
LISTING_1 = "/vi/news/?id=cat_1&t=tin-tuc-su-kien"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[SnapshotSite]:
    """A private copy of the snapshot (tests change it), served on loopback."""
    root = tmp_path / "snapshot"
    shutil.copytree(snapshot_dir("hanam_tourism"), root)
    site = SnapshotSite(root, {"alias": ALIAS_HOST}).start()
    yield site
    site.stop()


def run_args(site: SnapshotSite, tmp: Path, *extra: str) -> list[str]:
    return [
        "run", "hanam_tourism", *map_args(site), "--profile", "loopback",
        "--db", str(tmp / "tinmoi.sqlite3"), "--out", str(tmp / "public"),
        "--site-url", "https://feeds.example", "--now", NOW, *extra,
    ]  # fmt: skip


def archived(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "select key, url, title, published, content_hash from articles order by key"
        ).fetchall()


def requests_of(site: SnapshotSite, since: int = 0) -> list[str]:
    main = site.servers["main"].requests[since:]
    return main + site.servers["alias"].requests


def feed_items(out: Path) -> dict[str, list[tuple]]:
    found = {}
    for path in sorted(out.rglob("*.xml")):
        entries = feedparser.parse(path).entries
        found[str(path.relative_to(out))] = [(e.id, e.title, e.link) for e in entries]
    return found


def test_a_second_run_asks_one_request_per_section_then_fetches_only_new_articles(site, tmp_path):
    first = tinmoi(*run_args(site, tmp_path))
    assert (first.returncode, first.stdout, first.stderr) == (0, "", "")  # cron: silent
    seen = len(site.servers["main"].requests)
    site.servers["alias"].requests.clear()
    second = tinmoi(*run_args(site, tmp_path), check=True)
    assert second.stdout == ""
    assert sorted(requests_of(site, seen)) == [
        "/robots.txt",
        "/vi/news/?id=cat_1&t=tin-tuc-su-kien",
        "/vi/news/?id=cat_2&t=diem-den",
        "/vi/news/?id=cat_3&t=le-hoi-van-hoa",
    ]
    assert [status for _, status in site.servers["main"].statuses[seen:]] == [200, 304, 304, 304]
    new = add_articles(site.root, [10468, 10469])
    seen = len(site.servers["main"].requests)
    tinmoi(*run_args(site, tmp_path), check=True)
    articles = [r for r in requests_of(site, seen) if "detailnews" in r]
    assert sorted(articles) == sorted(new)
    feed = feedparser.parse(tmp_path / "public" / "hanam_tourism" / "rss.xml")
    assert [e.title for e in feed.entries[:2]] == [
        "Bài mới số 10469 về du lịch Hà Nam",
        "Bài mới số 10468 về du lịch Hà Nam",
    ]


def add_articles(root: Path, ids: list[int]) -> list[str]:
    """Publish articles at the top of the first listing page of tin-tuc-su-kien."""
    main = root / "main"
    routes = json.loads((main / "routes.json").read_text())
    template = (main / routes[next(t for t in routes if "news_10462&" in t)]).read_text()
    listing_file = main / routes[LISTING_1]
    listing = listing_file.read_text()
    targets = []
    for news_id in ids:
        title = f"Bài mới số {news_id} về du lịch Hà Nam"
        target = f"/vi/detailnews/?id=news_{news_id}&t=bai-moi-{news_id}"
        page = re.sub(
            r'<h1 class="title-detail">.*?</h1>', f'<h1 class="title-detail">{title}</h1>', template
        )
        page = re.sub(
            r'<p class="date-detail">.*?</p>',
            f'<p class="date-detail">{news_id - 10440}/07/2025</p>',
            page,
        )
        page = page.replace("id=news_10462&", f"id=news_{news_id}&")
        (main / f"articles/news_{news_id}.html").write_text(page)
        routes[target] = f"articles/news_{news_id}.html"
        entry = (
            f'<div class="item-news row"><h3 class="title-news"><a href="{target}">'
            f"{title}</a></h3></div>"
        ).replace("&", "&amp;")
        listing = listing.replace(
            '<div class="box-news-list">', f'<div class="box-news-list">{entry}', 1
        )
        targets.append(target)
    listing_file.write_text(listing)
    (main / "routes.json").write_text(json.dumps(routes))
    return targets


def target(site: SnapshotSite, news_id: int) -> str:
    routes = json.loads((site.root / "main" / "routes.json").read_text())
    return next(t for t in routes if f"news_{news_id}&" in t)  # sorted: the canonical slug


def test_faults_are_retried_dropped_or_reported_and_nothing_else_is_lost(site, tmp_path):
    robots = site.root / "main" / "robots.txt"
    robots.write_text(robots.read_text() + "Disallow: /vi/news/?id=cat_3\n")
    faults = {
        LISTING_1: ["500"],
        target(site, 10462): ["sleep:2.5"],
        target(site, 10459): ["429:1"],
        target(site, 10456): ["truncate"],
        target(site, 10453): ["big:9000000"] * 3,
        target(site, 10465): ["mislabel"],
        target(site, 10463): ["legacy"],
        target(site, 10458): ["gzip-mislabel"],
        target(site, 10461): ["redirect:http://127.0.0.3:9/elsewhere"] * 3,
    }
    site.servers["main"].faults = {k: list(v) for k, v in faults.items()}
    proc = tinmoi(*run_args(site, tmp_path, "--set", "DOWNLOAD_TIMEOUT=1"))
    assert (proc.returncode, proc.stderr) == (
        0, "hanam_tourism: robots.txt forbids the listing of le-hoi-van-hoa\n"
    )  # fmt: skip
    hits = site.servers["main"].requests
    retried = [LISTING_1, target(site, 10462), target(site, 10459), target(site, 10456)]
    assert [hits.count(t) for t in retried] == [2, 2, 2, 2]
    assert [t for t in hits if "cat_3" in t] == []  # robots.txt disallows that section
    db = tmp_path / "tinmoi.sqlite3"
    with sqlite3.connect(db) as conn:
        titles = dict(conn.execute("select key, title from articles"))
        dropped = conn.execute("select url, reason from dropped order by url").fetchall()
        sections = dict(conn.execute("select section, count(*) from articles group by 1"))
    assert (
        titles["hanam_tourism:news_10465"] == "Homestay ven hồ Tam Chúc hút khách nghỉ dưỡng dịp hè"
    )
    assert (
        titles["hanam_tourism:news_10463"]
        == "Trải nghiệm mùa gặt trên những cánh đồng quê Bình Lục"
    )
    for news_id in (10462, 10459, 10456):
        assert f"hanam_tourism:news_{news_id}" in titles
    assert [(url.split("?id=")[1].split("&")[0], reason) for url, reason in dropped] == [
        ("news_10398", "http 404"),
        ("news_10399", "no_title"),
        ("news_10453", "too large"),
        ("news_10461", "moved off-site"),
    ]
    # The two allowed sections: tin-tuc-su-kien with the post-merger article, less
    # news_10453 (too large); diem-den less news_10461 (moved), plus news_10460 reached
    # from diem-den (its own section is disallowed).
    assert sections == {"tin-tuc-su-kien": 22 + 1 - 1, "diem-den": 22 - 1 + 1}
    log = (tmp_path / "logs" / "hanam_tourism.log").read_text()
    assert "'tinmoi/retry_after/waits': 1" in log
    assert "portal moved? http://127.0.0.1:" in log and "redirects to http://127.0.0.3:9/" in log
    assert "'tinmoi/charset/utf8_mislabelled': 2" in log
    assert titles["hanam_tourism:news_10458"] == (
        "Đền Trần Thương – kho lương của quân đội nhà Trần trên đất Lý Nhân"
    )
    assert "'tinmoi/charset/legacy': 1" in log
    assert "'robotstxt/forbidden': 1" in log
    # Retries of the 500, the timeout and the truncated body waited: 3 x 0.05 s.
    assert "'tinmoi/retry/backoff_seconds': 0.15" in log


def start_run(site: SnapshotSite, tmp: Path, *extra: str) -> subprocess.Popen[str]:
    """``tinmoi run`` in a process group of its own (as cron or systemd would start it)."""
    script = Path(sys.executable).parent / "tinmoi"
    return subprocess.Popen(
        [str(script), *run_args(site, tmp, *extra)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for_articles(db: Path, count: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the run ended before it could be interrupted"
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:
                    if conn.execute("select count(*) from articles").fetchone()[0] >= count:
                        return
            except sqlite3.OperationalError:
                pass
        time.sleep(0.05)
    raise AssertionError("no progress")


def group_is_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def reference(site: SnapshotSite, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    """Archive rows and feed items of an uninterrupted run."""
    tmp = tmp_path_factory.mktemp("reference")
    tinmoi(*run_args(site, tmp), check=True)
    return archived(tmp / "tinmoi.sqlite3"), feed_items(tmp / "public")


SLOW = ("--set", "DOWNLOAD_DELAY=0.04")


def test_two_runs_at_once_one_waits_out_with_75(site, tmp_path):
    first = start_run(site, tmp_path, *SLOW)
    wait_for_articles(tmp_path / "tinmoi.sqlite3", 1, first)
    second = tinmoi(*run_args(site, tmp_path))
    assert second.returncode == 75
    [line] = second.stderr.splitlines()
    assert re.fullmatch(
        rf"tinmoi: another run holds the lock {tmp_path}/tinmoi\.lock "
        rf"\(pid {first.pid} on \S+ since 2025-08-01 09:00:00\+07:00\)",
        line,
    ), line
    assert first.wait(timeout=120) == 0


def test_a_run_killed_mid_crawl_is_finished_by_the_next_one(site, tmp_path, reference):
    db = tmp_path / "tinmoi.sqlite3"
    run = start_run(site, tmp_path, *SLOW)
    wait_for_articles(db, 20, run)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=10)
    deadline = time.monotonic() + 10
    while not group_is_gone(run.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert group_is_gone(run.pid)
    partial = len(archived(db))
    assert 20 <= partial < 67
    again = tinmoi(*run_args(site, tmp_path))  # takes over the dead run's lock
    assert (again.returncode, again.stderr) == (0, "")
    assert (archived(db), feed_items(tmp_path / "public")) == reference


def test_sigterm_stops_cleanly_and_the_next_run_finishes(site, tmp_path, reference):
    db = tmp_path / "tinmoi.sqlite3"
    run = start_run(site, tmp_path, *SLOW)
    wait_for_articles(db, 20, run)
    os.killpg(run.pid, signal.SIGTERM)  # what systemd does to the unit's processes
    out, err = run.communicate(timeout=60)
    assert run.returncode == 0
    assert (out, err) == ("", "tinmoi: stopped by SIGTERM; feeds rebuilt from the archive\n")
    assert group_is_gone(run.pid)
    partial = archived(db)
    assert 20 <= len(partial) < 67
    feed = feedparser.parse(tmp_path / "public" / "hanam_tourism" / "atom.xml")
    assert len(feed.entries) == min(50, len(partial))  # rebuilt from what was archived
    with sqlite3.connect(db) as conn:
        runs = conn.execute("select status, exit_code from runs").fetchall()
    assert runs == [("stopped", 0)]
    again = tinmoi(*run_args(site, tmp_path))
    assert (again.returncode, again.stderr) == (0, "")
    assert (archived(db), feed_items(tmp_path / "public")) == reference


def test_status_shows_runs_and_health_and_watches_their_age(site, tmp_path):
    tinmoi(*run_args(site, tmp_path), check=True)
    db = ("--db", str(tmp_path / "tinmoi.sqlite3"))
    status = json.loads(tinmoi("status", "--json", *db, "--now", NOW, check=True).stdout)
    assert status["last_good_run"] == "2025-08-01T09:00:00+07:00"
    assert status["portals"]["hanam_tourism"]["status"] == "ok"
    [run] = status["runs"]
    assert (run["status"], run["exit_code"]) == ("ok", 0)
    [portal] = run["portals"]
    assert (portal["portal"], portal["new"], portal["requests"], portal["dropped"]) == (
        "hanam_tourism", 67, 82, {"http_404": 1, "no_title": 1},
    )  # fmt: skip
    table = tinmoi("status", *db, "--now", NOW, check=True).stdout
    assert "ok       3 portals" not in table and "ok       1 portals, 67 new" in table
    fresh = tinmoi("status", *db, "--max-age", "2h", "--now", "2025-08-01T10:30:00+07:00")
    assert fresh.returncode == 0
    stale = tinmoi("status", *db, "--max-age", "2h", "--now", "2025-08-01T11:30:00+07:00")
    assert stale.returncode == 1
    assert stale.stderr == (
        "tinmoi: no run succeeded in the last 2:00:00 (last: 2025-08-01T09:00:00+07:00)\n"
    )


def test_a_layout_change_is_loud_then_recovery_is_reported(site, tmp_path):
    tinmoi(*run_args(site, tmp_path), check=True)
    listing = site.root / "main" / "listing" / "tin-tuc-su-kien-1.html"
    original = listing.read_text()
    listing.write_text(original.replace('class="box-news-list"', 'class="news-grid-v2"'))
    broken = tinmoi(*run_args(site, tmp_path))
    assert broken.returncode == 3
    assert broken.stderr == (
        "hanam_tourism: the listing of tin-tuc-su-kien holds no articles: has the layout changed?\n"
    )
    health = feedparser.parse(tmp_path / "public" / "_health" / "atom.xml")
    assert [e.title for e in health.entries] == ["hanam_tourism is failing"]
    for path in (tmp_path / "public").rglob("*.xml"):
        if "_health" not in str(path):
            assert "failing" not in path.read_text()  # subscribers never get error items
    listing.write_text(original)
    recovered = tinmoi(*run_args(site, tmp_path))
    assert (recovered.returncode, recovered.stderr) == (0, "")
    health = feedparser.parse(tmp_path / "public" / "_health" / "atom.xml")
    assert [e.title for e in health.entries] == [
        "hanam_tourism recovered",
        "hanam_tourism is failing",
    ]


def test_young_articles_are_revisited_every_six_hours_and_edits_caught(site, tmp_path):
    merged = site.root / "alias" / "articles" / "news_10467.html"
    first = tinmoi(*run_args(site, tmp_path, "--now", "2025-07-03T09:00:00+07:00"))
    assert first.returncode == 0
    seen = len(site.servers["main"].requests)
    site.servers["alias"].requests.clear()
    early = tinmoi(*run_args(site, tmp_path, "--now", "2025-07-03T10:00:00+07:00"))
    assert early.returncode == 0
    assert len(requests_of(site, seen)) == 4  # nothing due an hour later
    merged.write_text(merged.read_text().replace("sau hợp nhất tỉnh", "sau khi hợp nhất tỉnh"))
    seen = len(site.servers["main"].requests)
    later = tinmoi(*run_args(site, tmp_path, "--now", "2025-07-03T16:00:00+07:00"))
    assert later.returncode == 0
    # The one article younger than 3 days (2 July 2025) is fetched again, and only it.
    assert sorted(requests_of(site, seen)) == sorted(
        [
            "/robots.txt", "/robots.txt", LISTING_1,
            "/vi/news/?id=cat_2&t=diem-den", "/vi/news/?id=cat_3&t=le-hoi-van-hoa",
            "/vi/detailnews/?id=news_10467"
            "&t=ninh-binh-moi-gioi-thieu-san-pham-du-lich-tam-chuc-sau-hop-nhat-tinh",
        ]
    )  # fmt: skip
    status = json.loads(tinmoi("status", "--json", "--db", str(tmp_path / "tinmoi.sqlite3"),
                               check=True).stdout)  # fmt: skip
    last = status["runs"][0]["portals"][0]
    assert (last["revisited"], last["updated"], last["new"]) == (1, 1, 0)
    entry = feedparser.parse(tmp_path / "public" / "hanam_tourism" / "atom.xml").entries[0]
    assert (entry.id, entry.title, entry.updated) == (
        "tag:tinmoi.github.io,2024:hanam_tourism/news_10467",
        "Ninh Bình mới giới thiệu sản phẩm du lịch Tam Chúc sau khi hợp nhất tỉnh",
        "2025-07-03T16:00:00+07:00",
    )


def test_a_portal_over_its_time_limit_is_stopped_and_finished_next_time(site, tmp_path):
    config = tmp_path / "tinmoi.toml"
    config.write_text(
        'archive = "data/tinmoi.sqlite3"\noutput = "www"\n[limits]\nportal_seconds = 1\n'
    )
    args = ["crawl", "hanam_tourism", *map_args(site), "--profile", "loopback",
            "--config", str(config), "--now", NOW]  # fmt: skip
    slow = tinmoi(*args, *SLOW)
    assert slow.returncode == 0
    assert re.fullmatch(
        r"hanam_tourism: \d+ new, 0 updated, 0 unchanged, \d+ dropped \(\d+ requests\), "
        r"stopped at its time limit\n",
        slow.stdout,
    ), slow.stdout
    db = tmp_path / "data" / "tinmoi.sqlite3"
    assert 0 < len(archived(db)) < 67
    config.write_text('archive = "data/tinmoi.sqlite3"\noutput = "www"\n')
    done = tinmoi(*args)
    assert done.returncode == 0
    assert len(archived(db)) == 67


def test_an_edit_is_a_new_revision_and_a_takedown_is_marked_never_deleted(site, tmp_path):
    db = tmp_path / "tinmoi.sqlite3"
    tinmoi(*run_args(site, tmp_path), check=True)
    page = site.root / "main" / "articles" / "news_10462.html"
    page.write_text(page.read_text().replace("ước đón 2,9 triệu", "ước đón 3 triệu"))
    routes_file = site.root / "main" / "routes.json"
    routes = json.loads(routes_file.read_text())
    gone = target(site, 10459)
    del routes[gone]  # the portal took this article down: 404 from now on
    routes_file.write_text(json.dumps(routes))
    later = ("--now", "2025-08-02T09:00:00+07:00")
    proc = tinmoi(*run_args(site, tmp_path, "--refresh", *later))
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(db) as conn:
        removed = conn.execute(
            "select removed from articles where key = 'hanam_tourism:news_10459'"
        ).fetchone()
        total = conn.execute("select count(*) from articles").fetchone()[0]
    assert (removed, total) == (("2025-08-02T09:00:00+07:00",), 67)
    out = tinmoi("history", "hanam_tourism:news_10462", "--db", str(db), check=True).stdout
    lines = out.splitlines()
    assert lines[0] == (
        "hanam_tourism:news_10462  "
        + HANAM
        + "news_10462&t=sau-thang-dau-nam-2024-du-lich-ha-nam-uoc-don-2"
    )
    revisions = [
        line.split("  ")[0] + " " + line.split("  ")[1] for line in lines if line.startswith("r")
    ]
    assert revisions == ["r1 2025-08-01 09:00 +0700", "r2 2025-08-02 09:00 +0700"]
    assert "-Sáu tháng đầu năm 2024, du lịch Hà Nam ước đón 2,9 triệu lượt khách" in lines
    assert "+Sáu tháng đầu năm 2024, du lịch Hà Nam ước đón 3 triệu lượt khách" in lines
    feed = feedparser.parse(tmp_path / "public" / "hanam_tourism" / "atom.xml")
    [entry] = [e for e in feed.entries if e.id.endswith("/news_10462")]
    assert (entry.title, entry.updated) == (
        "Sáu tháng đầu năm 2024, du lịch Hà Nam ước đón 3 triệu lượt khách",
        "2025-08-02T09:00:00+07:00",
    )
    gone_history = tinmoi("history", HANAM + gone.split("?id=")[1], "--db", str(db), check=True)
    assert (
        "  removed: the portal answered 404/410 from 2025-08-02 09:00 +0700" in gone_history.stdout
    )
    missing = tinmoi("history", "hanam_tourism:news_1", "--db", str(db))
    assert (missing.returncode, missing.stderr) == (
        1,
        f"tinmoi: no article 'hanam_tourism:news_1' in {db}\n",
    )


def health_titles(tmp: Path) -> list[str]:
    return [e.title for e in feedparser.parse(tmp / "public" / "_health" / "atom.xml").entries]


def test_a_section_whose_listing_fails_two_runs_running_makes_the_portal_failing(site, tmp_path):
    db = ("--db", str(tmp_path / "tinmoi.sqlite3"))
    failed = "hanam_tourism: the listing of diem-den (HTTP 404) could not be fetched\n"

    def run(hour: int) -> tuple[int, str]:
        proc = tinmoi(*run_args(site, tmp_path, "--now", f"2025-08-01T{hour:02}:00:00+07:00"))
        return proc.returncode, proc.stderr

    def health() -> tuple[str, str]:
        portal = json.loads(tinmoi("status", "--json", *db, check=True).stdout)["portals"]
        return portal["hanam_tourism"]["status"], portal["hanam_tourism"]["since"]

    broken = {"/vi/news/?id=cat_2&t=diem-den": ["404"] * 20}
    site.servers["main"].faults = broken
    assert run(9) == (0, failed)  # said, not marked: one failed run may be a passing fault
    assert (health(), health_titles(tmp_path)) == (("ok", "2025-08-01T09:00:00+07:00"), [])
    assert run(10) == (3, failed)  # the second in a row: failing
    assert (health(), health_titles(tmp_path)) == (
        ("failing", "2025-08-01T10:00:00+07:00"), ["hanam_tourism is failing"],
    )  # fmt: skip
    assert run(11) == (3, failed)  # still failing: no second entry
    assert health_titles(tmp_path) == ["hanam_tourism is failing"]
    site.servers["main"].faults = {}
    assert run(12) == (0, "")  # the first good run: recovered
    assert (health(), health_titles(tmp_path)) == (
        ("ok", "2025-08-01T12:00:00+07:00"),
        ["hanam_tourism recovered", "hanam_tourism is failing"],
    )
    site.servers["main"].faults = broken
    assert run(13) == (0, failed)  # one failed run after a good one: no entry
    site.servers["main"].faults = {}
    assert run(14) == (0, "")
    assert health_titles(tmp_path) == ["hanam_tourism recovered", "hanam_tourism is failing"]


def test_a_run_that_cannot_write_its_feeds_is_an_error_and_recorded_as_one(site, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    args = run_args(site, tmp_path)
    args[args.index("--out") + 1] = str(blocker / "public")
    proc = tinmoi(*args)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"tinmoi: cannot write {blocker / 'public'}/")
    assert len(proc.stderr.splitlines()) == 1
    with sqlite3.connect(tmp_path / "tinmoi.sqlite3") as conn:
        assert conn.execute("select status, exit_code from runs").fetchall() == [("error", 1)]
    assert len(archived(tmp_path / "tinmoi.sqlite3")) == 67  # the crawl itself was kept


def test_an_interrupted_backfill_resumes_and_archives_every_article_once(site, tmp_path):
    db = tmp_path / "tinmoi.sqlite3"
    run = start_run(site, tmp_path, "--backfill", *SLOW)
    wait_for_articles(db, 25, run)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=10)
    seen = len(site.servers["main"].requests)
    again = tinmoi(*run_args(site, tmp_path, "--backfill"))
    assert again.returncode == 0
    resumed = [t for t in site.servers["main"].requests[seen:] if "detailnews" in t]
    with sqlite3.connect(db) as conn:
        keys = [k for (k,) in conn.execute("select key from articles")]
    assert len(keys) == len(set(keys)) == 67
    assert len(resumed) < 66  # what the first attempt archived was not fetched again
    every_page = [t for t in site.servers["main"].requests[seen:] if "/vi/news/" in t]
    assert len(every_page) == 9  # a backfill walks every listing page of every section


def titles_of(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("select key, title from articles"))


def test_an_article_lost_to_a_passing_error_is_fetched_again_from_the_archive(site, tmp_path):
    flaky = target(site, 10462)
    site.servers["main"].faults = {flaky: ["500", "500"]}  # the first try and its retry
    db = tmp_path / "tinmoi.sqlite3"
    tinmoi(*run_args(site, tmp_path), check=True)
    assert len(archived(db)) == 66
    seen = len(site.servers["main"].requests)
    tinmoi(*run_args(site, tmp_path, "--now", "2025-08-01T11:30:00+07:00"), check=True)
    # Every listing answers 304: the article comes from the archive's dropped URLs.
    assert [s for t, s in site.servers["main"].statuses[seen:] if "/vi/news/" in t] == [304] * 3
    titles = titles_of(db)
    assert len(titles) == 67
    assert titles["hanam_tourism:news_10462"] == (
        "Sáu tháng đầu năm 2024, du lịch Hà Nam ước đón 2,9 triệu lượt khách"
    )
    tinmoi(*run_args(site, tmp_path, "--now", "2025-08-02T09:00:00+07:00"), check=True)
    assert len(archived(db)) == 67
    assert site.servers["main"].requests.count(flaky) == 3  # not asked again once archived


def test_a_lasting_drop_is_never_asked_again(site, tmp_path):
    tinmoi(*run_args(site, tmp_path), check=True)
    seen = len(site.servers["main"].requests)
    tinmoi(*run_args(site, tmp_path, "--now", "2025-08-02T09:00:00+07:00"), check=True)
    later = site.servers["main"].requests[seen:]
    assert [t for t in later if "news_10398" in t or "news_10399" in t] == []  # 404, no_title


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM])
def test_a_run_stopped_on_page_3_leaves_nothing_out_of_the_next(site, tmp_path, stop):
    on_page_3 = target(site, 10418)  # first on the third listing page of tin-tuc-su-kien
    site.servers["main"].faults = {on_page_3: ["sleep:3"]}
    db = tmp_path / "tinmoi.sqlite3"
    # Breadth first, one request at a time: every first and second page's articles are
    # archived by then, and the rest of page 3 is still queued.
    fifo = "SCHEDULER_MEMORY_QUEUE=scrapy.squeues.FifoMemoryQueue"
    run = start_run(site, tmp_path, "--set", fifo, "--set", "CONCURRENT_REQUESTS=1")
    deadline = time.monotonic() + 60
    while on_page_3 not in site.servers["main"].requests:
        assert time.monotonic() < deadline and run.poll() is None
        time.sleep(0.01)
    os.killpg(run.pid, stop)
    run.communicate(timeout=60)
    assert len(archived(db)) < 66
    again = tinmoi(*run_args(site, tmp_path))
    assert (again.returncode, again.stderr) == (0, "")
    titles = titles_of(db)
    assert len(titles) == 67
    assert titles["hanam_tourism:news_10418"] == (
        "Hà Nam đón gần 600.000 lượt khách dịp Tết Nguyên đán Giáp Thìn"
    )


def test_a_crawl_limited_to_one_page_leaves_nothing_out_of_the_next(site, tmp_path):
    first = tinmoi(*run_args(site, tmp_path, "--max-pages", "1"))
    assert first.returncode == 0, first.stderr
    db = tmp_path / "tinmoi.sqlite3"
    assert len(archived(db)) < 67
    tinmoi(*run_args(site, tmp_path), check=True)
    titles = titles_of(db)
    assert len(titles) == 67
    assert titles["hanam_tourism:news_10404"] == (
        "Trung tâm Thông tin Xúc tiến Du lịch tổng kết công tác năm 2023"
    )


def test_a_failed_second_listing_page_leaves_nothing_out_of_the_next(site, tmp_path):
    site.servers["main"].faults = {LISTING_1 + "&page=2": ["500", "500"]}
    first = tinmoi(*run_args(site, tmp_path))
    assert first.returncode == 0, first.stderr
    db = tmp_path / "tinmoi.sqlite3"
    assert "hanam_tourism:news_10404" not in titles_of(db)
    tinmoi(*run_args(site, tmp_path), check=True)
    titles = titles_of(db)
    assert len(titles) == 67
    assert titles["hanam_tourism:news_10404"] == (
        "Trung tâm Thông tin Xúc tiến Du lịch tổng kết công tác năm 2023"
    )


def test_a_killed_run_is_shown_as_killed_once_the_lock_is_free(site, tmp_path):
    db = tmp_path / "tinmoi.sqlite3"
    args = ("--db", str(db), "--now", NOW)
    run = start_run(site, tmp_path, *SLOW)
    wait_for_articles(db, 5, run)
    live = json.loads(tinmoi("status", "--json", *args, check=True).stdout)
    assert [(r["status"], r["finished"]) for r in live["runs"]] == [("running", None)]
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=10)
    deadline = time.monotonic() + 10
    while not group_is_gone(run.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    killed = json.loads(tinmoi("status", "--json", *args, check=True).stdout)
    assert [(r["id"], r["status"], r["finished"], r["exit_code"]) for r in killed["runs"]] == [
        (1, "killed", None, None)
    ]
    table = tinmoi("status", *args, check=True).stdout.splitlines()
    assert (
        table[1] == "  #1    2025-08-01 09:00 → —  killed   0 portals, 0 new, 0 updated, 0 requests"
    )
    tinmoi(*run_args(site, tmp_path), check=True)  # the next run records it as killed
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select id, status, finished, exit_code from runs order by id")
        assert rows.fetchall() == [(1, "killed", None, None), (2, "ok", NOW, 0)]


def test_a_truncated_listing_page_gives_its_real_reason(site, tmp_path):
    listing = "/vi/news/?id=cat_2&t=diem-den"
    routes = json.loads((site.root / "main" / "routes.json").read_text())
    size = (site.root / "main" / routes[listing]).stat().st_size
    site.servers["main"].faults = {listing: ["truncate"] * 5}
    proc = tinmoi(*run_args(site, tmp_path))
    assert (proc.returncode, proc.stderr) == (
        0,  # a first failed run: said, not yet marked failing
        f"hanam_tourism: the listing of diem-den (connection closed after {size // 2} of {size}"
        " bytes) could not be fetched\n",
    )


def test_a_portal_whose_listings_are_all_cut_off_is_dead_with_that_reason():
    from crawler.run import judge

    stats = {"downloader/exception_type_count/scrapy.exceptions.ResponseDataLossError": 6}
    report = judge("hanam_tourism", "http://127.0.0.1:9", stats)
    assert (report.status, report.message) == (
        "dead",
        "hanam_tourism: no listing page could be fetched from http://127.0.0.1:9 "
        "(connection closed mid-body x6)",
    )


def test_a_section_robots_txt_forbids_is_warned_of_then_failing_on_the_second_run(site, tmp_path):
    db = ("--db", str(tmp_path / "tinmoi.sqlite3"), "--now", NOW)
    tinmoi(*run_args(site, tmp_path), check=True)  # every section archived
    robots = site.root / "main" / "robots.txt"
    allowed = robots.read_text()
    robots.write_text(allowed + "Disallow: /vi/news/?id=cat_3\n")
    warning = "hanam_tourism: robots.txt forbids the listing of le-hoi-van-hoa\n"
    first = tinmoi(*run_args(site, tmp_path))
    assert (first.returncode, first.stdout, first.stderr) == (0, "", warning)
    table = tinmoi("status", *db, check=True).stdout.splitlines()
    assert table[-1] == (
        "  hanam_tourism  ok       since 2025-08-01 09:00  last: 0 new, 0 updated, 0 unchanged,"
        " 0 dropped (3 requests); robots.txt forbids the listing of le-hoi-van-hoa"
    )
    second = tinmoi(*run_args(site, tmp_path))
    failing = (
        "hanam_tourism: robots.txt forbids the listing of le-hoi-van-hoa for the second run"
        " running (22 articles archived from it)"
    )
    assert (second.returncode, second.stdout, second.stderr) == (3, "", failing + "\n")
    health = feedparser.parse(tmp_path / "public" / "_health" / "atom.xml")
    assert [(e.title, e.content[0].value) for e in health.entries] == [
        ("hanam_tourism is failing", failing)
    ]
    status = json.loads(tinmoi("status", "--json", *db, check=True).stdout)
    assert status["portals"]["hanam_tourism"]["status"] == "failing"
    assert status["runs"][0]["portals"][0]["message"] == failing
    robots.write_text(allowed)
    recovered = tinmoi(*run_args(site, tmp_path))
    assert (recovered.returncode, recovered.stderr) == (0, "")
    health = feedparser.parse(tmp_path / "public" / "_health" / "atom.xml")
    assert [e.title for e in health.entries] == [
        "hanam_tourism recovered",
        "hanam_tourism is failing",
    ]


def test_a_portal_whose_every_listing_robots_txt_forbids_is_dead_with_that_reason():
    from crawler.run import judge

    stats = {"robotstxt/forbidden": 3, "tinmoi/listing/forbidden/diem-den": 1}
    report = judge("hanam_tourism", "https://hanamtourism.vn", stats)
    assert (report.status, report.message, report.forbidden) == (
        "dead",
        "hanam_tourism: no listing page could be fetched from https://hanamtourism.vn "
        "(forbidden by robots.txt x3)",
        ["diem-den"],
    )
