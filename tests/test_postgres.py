"""A PostgreSQL archive end to end: crawl a snapshot, build, search, export, and the run
lock as a PostgreSQL advisory lock (skipped without ``TINMOI_TEST_PG``; failing under CI)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.archive.store import database_url
from tests.conftest import NOW, map_args, tinmoi
from tinmoi.lock import PG_LOCK_KEY
from tinmoi.snapshot import serving

pytestmark = pytest.mark.e2e

QNAM = "https://quangnamtourism.com.vn/vi/detailnews/?id="


def test_database_urls_use_psycopg_3():
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg2://u@h/db") == "postgresql+psycopg2://u@h/db"


def crawl_and_export(db: str, tmp: Path, base_url: str) -> tuple[list, str]:
    crawl = tinmoi("crawl", "quangnam_tourism", "--base-url", base_url, "--profile", "loopback",
                   "--db", db, "--now", NOW)  # fmt: skip
    out = tmp / "out.jsonl"
    export = tinmoi("export", "--format", "jsonl", "-o", str(out), "--db", db)
    return [crawl.returncode, crawl.stdout, crawl.stderr, export.returncode, export.stderr], (
        out.read_text(encoding="utf-8")
    )


def test_crawl_build_search_and_export_a_postgresql_archive(pg_url, tmp_path):
    (tmp_path / "pg").mkdir()
    (tmp_path / "lite").mkdir()
    with serving("quangnam_tourism") as site:
        done, exported = crawl_and_export(pg_url, tmp_path / "pg", site.base_url)
        _, from_sqlite = crawl_and_export(
            str(tmp_path / "lite" / "a.sqlite3"), tmp_path / "lite", site.base_url
        )
    assert done == [
        0, "quangnam_tourism: 8 new, 0 updated, 0 unchanged, 0 dropped (11 requests)\n", "",
        0, f"8 articles written to {tmp_path / 'pg' / 'out.jsonl'}\n",
    ]  # fmt: skip
    rows = [json.loads(line) for line in exported.splitlines()]
    assert [row["key"].removeprefix("quangnam_tourism:") for row in rows] == [
        f"news_{n}" for n in range(2301, 2309)
    ]
    [row] = [row for row in rows if row["key"] == "quangnam_tourism:news_2306"]
    assert (row["url"], row["published"], row["first_seen"], row["section"]) == (
        f"{QNAM}news_2306&t=hon-40-doanh-nghiep-lu-hanh-phia-bac-tim-hieu-san-pham",
        "2024-06-20T10:30:00+07:00",
        "2025-08-01T09:00:00+07:00",
        "su-kien",
    )
    assert exported == from_sqlite  # the same archive, whichever the backend

    out = tmp_path / "public"
    built = tinmoi("build", "--out", str(out), "--db", pg_url, check=True)
    assert built.stdout == f"5 feeds in {out}/ (5 changed)\n"
    assert sorted(str(p.relative_to(out)) for p in out.rglob("rss.xml")) == [
        "all/rss.xml",
        "quangnam_tourism/rss.xml",
        "quangnam_tourism/su-kien/rss.xml",
        "quangnam_tourism/tin-du-lich/rss.xml",
        "tinh/quang-nam/rss.xml",
    ]

    found = tinmoi("search", "doanh nghiep lu hanh", "--db", pg_url, check=True)
    assert found.stdout.splitlines() == [
        "2024-06-20  quangnam_tourism  Hơn 40 doanh nghiệp lữ hành phía Bắc tìm hiểu sản phẩm"
        " du lịch hè Quảng Nam",
        f"    {QNAM}news_2306&t=hon-40-doanh-nghiep-lu-hanh-phia-bac-tim-hieu-san-pham",
        "    …ức chương trình đón đoàn famtrip gồm hơn 40 đại diện [doanh] [nghiệp] [lữ] [hành]"
        " đến từ Hà Nội, Hải Phòng, Quảng Ninh khảo sát các sản phẩm du lịch mới của tỉnh."
        " Đoàn …",
    ]
    dated = tinmoi("search", "HỘI AN", "--since", "2024-05-10", "--until", "2024-06-01",
                   "--db", pg_url, "--json", check=True)  # fmt: skip
    assert [hit["key"] for hit in json.loads(dated.stdout)] == [
        "quangnam_tourism:news_2303",  # "Hội An" in the title and the body
        "quangnam_tourism:news_2302",  # "hội" and "ăn" in the body
    ]
    lite = str(tmp_path / "lite" / "a.sqlite3")
    for query in ("hoi an", "du lịch biển", "đèn lồng", "mi quang"):
        hits = [
            sorted(hit["key"] for hit in json.loads(tinmoi("search", query, "--db", db,
                                                            "--json", check=True).stdout))
            for db in (pg_url, lite)
        ]  # fmt: skip
        assert hits[0] == hits[1] != [], query


def test_a_run_while_another_machine_holds_the_advisory_lock_exits_75(pg_url, tmp_path):
    import psycopg

    out = tmp_path / "public"
    args = ("run", "--db", pg_url, "--out", str(out), "--now", NOW)
    with psycopg.connect(pg_url, autocommit=True, application_name="other machine") as other:
        assert other.execute("SELECT pg_try_advisory_lock(%s)", (PG_LOCK_KEY,)).fetchone()[0]
        proc = tinmoi(*args)
        assert (proc.returncode, proc.stdout) == (75, "")
        assert re.fullmatch(
            r"tinmoi: another run holds the PostgreSQL advisory lock on "
            r"postgresql\+psycopg://postgres\S*@\S+/tinmoi_test_\w+ "
            r"\(other machine from \S+ since [-\d :+]+\)\n",
            proc.stderr,
        ), proc.stderr
        assert not out.exists()
    # Released with its connection: the next run takes the lock, and it alone is recorded.
    free = tinmoi("run", "--db", pg_url, "--out", str(out), "--now", NOW, "quangnam_tourism",
                  "--base-url", "http://127.0.0.1:9", "--profile", "loopback")  # fmt: skip
    assert (free.returncode, free.stderr) == (
        1, "quangnam_tourism: no listing page could be fetched from http://127.0.0.1:9 "
        "(connection refused x1, not asked: host given up x3)\n",
    )  # fmt: skip
    status = json.loads(tinmoi("status", "--db", pg_url, "--json").stdout)
    [run] = status["runs"]
    assert (run["status"], run["exit_code"], run["started"]) == ("error", 1, NOW)
    assert [(p["portal"], p["status"]) for p in run["portals"]] == [("quangnam_tourism", "dead")]


def _articles_in(url: str) -> int:
    import psycopg

    try:
        with psycopg.connect(url, autocommit=True) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except psycopg.Error:
        return 0  # no tables yet


def _group_is_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def test_the_advisory_lock_is_held_until_the_crawls_of_a_killed_run_are_gone(
    pg_url, tmp_path, hanam_site
):
    out = tmp_path / "public"
    args = ["run", "hanam_tourism", *map_args(hanam_site), "--profile", "loopback",
            "--db", pg_url, "--out", str(out), "--now", NOW]  # fmt: skip
    script = Path(sys.executable).parent / "tinmoi"
    run = subprocess.Popen(
        [str(script), *args, "--set", "DOWNLOAD_DELAY=0.2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while _articles_in(pg_url) < 3:
        assert run.poll() is None and time.monotonic() < deadline, "no progress"
        time.sleep(0.1)
    os.kill(run.pid, signal.SIGKILL)  # the parent only: its crawl process goes on
    run.wait(timeout=10)
    assert not _group_is_gone(run.pid)
    second = tinmoi(*args)
    assert (second.returncode, second.stdout) == (75, ""), second.stderr
    status = json.loads(tinmoi("status", "--db", pg_url, "--json", check=True).stdout)
    assert [(r["status"], r["exit_code"]) for r in status["runs"]] == [("running", None)]
    assert re.fullmatch(
        r"tinmoi: another run holds the PostgreSQL advisory lock on \S+ "
        rf"\(tinmoi pid {run.pid} on \S+ from \S+ since [-\d :+]+\)\n",
        second.stderr,
    ), second.stderr
    deadline = time.monotonic() + 120
    while not _group_is_gone(run.pid):
        assert time.monotonic() < deadline, "the crawl did not finish"
        time.sleep(0.1)
    status = json.loads(tinmoi("status", "--db", pg_url, "--json", check=True).stdout)
    assert [(r["status"], r["exit_code"]) for r in status["runs"]] == [("killed", None)]
    third = tinmoi(*args)  # free as soon as the killed run's processes are gone
    assert (third.returncode, third.stderr) == (0, "")
    status = json.loads(tinmoi("status", "--db", pg_url, "--json", check=True).stdout)
    assert [(r["status"], r["exit_code"]) for r in status["runs"]] == [("ok", 0), ("killed", None)]
