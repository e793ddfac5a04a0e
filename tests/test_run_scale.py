"""Many portals in one run: 20 writing one SQLite archive at once, 50 against a PostgreSQL
server allowed 20 connections, and SIGTERM with several crawls in flight. Every portal is
the Hà Nam snapshot cut to one section, served on a loopback address of its own."""

from __future__ import annotations

import fcntl
import glob
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest

from tests.conftest import NOW, free_port, tinmoi
from tinmoi.snapshot import SnapshotSite, snapshot_dir

pytestmark = pytest.mark.e2e

HANAM = (Path(__file__).parent / "fixtures" / "portals" / "hanam_tourism.toml").read_text(
    encoding="utf-8"
)
ONE_SECTION = HANAM[: HANAM.index('[[sections]]\nslug = "diem-den"')]
#: Articles the first listing page of that section links to.
LISTED = 9
#: Articles on the second listing page, read when the next run resumes the cut walk.
PAGE_2 = 8
#: The first article of that page, edited in some portals' copies for their second run.
EDITED = "articles/news_10466.html"


def start_sites(root: Path, addresses: list[str]) -> list:
    """One private copy of the snapshot per address, every host of it on that address."""
    sites = []
    for number, address in enumerate(addresses):
        copy = root / f"snapshot{number}"
        shutil.copytree(snapshot_dir("hanam_tourism"), copy)
        roles = {"main": address, "cdn": address, "alias": address}
        sites.append(SnapshotSite(copy, roles).start())
    return sites


def write_config(tmp: Path, sites: list, archive: str, concurrency: int, sections: str) -> Path:
    """Portals ``p00``… (one per site) and a config fetching each from its site."""
    portals = tmp / "portals"
    portals.mkdir()
    lines = [f'archive = "{archive}"', f'output = "{tmp / "public"}"', f'lock = "{tmp / "lock"}"']
    lines += ["[limits]", f"concurrency = {concurrency}", "workers = 2"]
    for number, site in enumerate(sites):
        name = f"p{number:02d}"
        (portals / f"{name}.toml").write_text(sections, encoding="utf-8")
        urls = site.url_map()
        lines += [f"[portal.{name}]", f'base_url = "{urls["https://hanamtourism.vn"]}"']
        lines += [f"[portal.{name}.url_map]"]
        lines += [f'"{public}" = "{fetch}"' for public, fetch in urls.items()]
    config = tmp / "tinmoi.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def run_args(tmp: Path, config: Path, *extra: str) -> list[str]:
    names = sorted(path.stem for path in (tmp / "portals").glob("*.toml"))
    return [
        "run", *names, "--config", str(config), "--portals", str(tmp / "portals"),
        "--profile", "loopback", "--max-pages", "1", "--now", NOW, *extra,
    ]  # fmt: skip


@pytest.fixture
def stop_sites() -> Iterator[list]:
    started: list = []
    yield started
    for site in started:
        site.stop()


def test_twenty_portals_write_one_sqlite_archive_at_once_and_every_count_stays_exact(
    tmp_path, stop_sites
):
    addresses = [f"127.0.0.{30 + n}" for n in range(20)]
    edited = set(range(0, 20, 2))
    stop_sites += start_sites(tmp_path, addresses)
    db = tmp_path / "archive.sqlite3"
    config = write_config(tmp_path, stop_sites, str(db), 8, ONE_SECTION)
    first = tinmoi(*run_args(tmp_path, config))
    assert (first.returncode, first.stderr) == (0, "")
    # Again, every article fetched anew (--refresh), interleaving the portals' writes: the
    # edited copies give one new revision each, the others none.
    for number in edited:
        page = stop_sites[number].root / "main" / EDITED
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("<p>", "<p>Cập nhật: thêm một đoạn mới.</p><p>", 1))
    second = tinmoi(*run_args(tmp_path, config, "--refresh"))
    assert (second.returncode, second.stderr) == (0, "")
    names = [f"p{n:02d}" for n in range(20)]
    with sqlite3.connect(db) as conn:
        runs = conn.execute(
            "select r.id, p.portal, p.status, p.new, p.updated from run_portals p"
            " join runs r on r.id = p.run_id order by 1, 2"
        ).fetchall()
        articles = dict(conn.execute("select portal, count(*) from articles group by 1"))
        revisions = dict(
            conn.execute(
                "select a.portal, count(*) from revisions v join articles a"
                " on a.id = v.article_id group by 1"
            )
        )
        stops = conn.execute("select portal, section from section_state order by 1").fetchall()
        health = set(conn.execute("select status from portal_health"))
    # The second run also goes on where each cut walk stopped: page 2's articles are new.
    assert runs == [(1, name, "ok", LISTED, 0) for name in names] + [
        (2, name, "ok", PAGE_2, 1 if number in edited else 0) for number, name in enumerate(names)
    ]
    assert articles == dict.fromkeys(names, LISTED + PAGE_2)
    assert revisions == {
        name: LISTED + PAGE_2 + (1 if number in edited else 0) for number, name in enumerate(names)
    }
    assert stops == []  # a walk cut by --max-pages saves no stop point, in no portal
    assert health == {("ok",)}
    logs = tmp_path / "logs"
    for number, name in enumerate(names):
        first_log = (logs / f"{name}.log.1").read_text(encoding="utf-8")
        second_log = (logs / f"{name}.log").read_text(encoding="utf-8")
        assert "database is locked" not in first_log + second_log
        # Each portal's log holds its own crawl only: its own counts.
        assert f"'tinmoi/articles/new': {LISTED}," in first_log
        assert f"'tinmoi/articles/new': {PAGE_2}," in second_log
        assert ("'tinmoi/articles/updated': 1," in second_log) == (number in edited)


def _postgres_bin() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if not found:
        reason = "no PostgreSQL programs in /usr/lib/postgresql/*/bin (Debian package postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found[-1]


@pytest.fixture
def small_postgres() -> Iterator[tuple[str, str]]:
    """A throwaway PostgreSQL cluster on loopback with ``max_connections = 20``; yields the
    archive URL (a role that is no superuser, so the 3 reserved slots stay reserved) and
    the superuser's URL."""
    pg = _postgres_bin()
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = Path(tempfile.mkdtemp(prefix="tinmoi-pg20-"))
    if as_pg:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    initdb = [f"{pg}/initdb", "-D", str(data), "-U", "postgres", "-E", "UTF8"]
    initdb += ["--locale=C.UTF-8", "--auth-local=trust", "--auth-host=trust"]
    subprocess.run([*as_pg, *initdb], check=True, capture_output=True)
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c max_connections=20"
    start = [f"{pg}/pg_ctl", "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60"]
    subprocess.run([*as_pg, *start, "-o", options, "start"], check=True, capture_output=True)
    admin = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    try:
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("CREATE ROLE tinmoi LOGIN")
            conn.execute("CREATE DATABASE tinmoi OWNER tinmoi ENCODING 'UTF8' TEMPLATE template0")
        with psycopg.connect(admin.replace("/postgres", "/tinmoi"), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION unaccent")  # a role that is no superuser may not
        yield f"postgresql://tinmoi@127.0.0.1:{port}/tinmoi", admin
    finally:
        stop = [f"{pg}/pg_ctl", "-D", str(data), "-m", "fast", "stop"]
        subprocess.run([*as_pg, *stop], check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def test_fifty_portals_share_a_postgres_server_allowed_twenty_connections(
    tmp_path, stop_sites, small_postgres
):
    import psycopg

    url, admin = small_postgres
    addresses = [f"127.0.1.{1 + n}" for n in range(50)]
    stop_sites += start_sites(tmp_path, addresses)
    config = write_config(tmp_path, stop_sites, url, 8, ONE_SECTION)
    peak, done = [0], threading.Event()

    def watch() -> None:  # on a superuser connection: the reserved slots
        with psycopg.connect(admin, autocommit=True) as conn:
            while not done.is_set():
                sql = "select count(*) from pg_stat_activity where usename = 'tinmoi'"
                peak[0] = max(peak[0], conn.execute(sql).fetchone()[0])
                time.sleep(0.1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        script = Path(sys.executable).parent / "tinmoi"
        proc = subprocess.run(
            [str(script), *run_args(tmp_path, config)],
            capture_output=True, text=True, timeout=900, check=False,
        )  # fmt: skip
    finally:
        done.set()
        watcher.join()
    assert (proc.returncode, proc.stderr) == (0, "")
    with psycopg.connect(url) as conn:
        runs = conn.execute(
            "select portal, status, new from run_portals order by portal"
        ).fetchall()
        articles = conn.execute("select count(*), count(distinct key) from articles").fetchone()
    assert runs == [(f"p{n:02d}", "ok", LISTED) for n in range(50)]
    assert articles == (50 * LISTED, 50 * LISTED)
    # The run (its archive and its lock) and two workers holding 8 crawls: one archive per
    # worker, of at most 2 connections, whatever the crawls in flight.
    assert 3 <= peak[0] <= 6, peak[0]
    for log in (tmp_path / "logs").glob("p*.log"):
        assert "too many clients" not in log.read_text(encoding="utf-8")


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{pid}$", text, re.M):
            found.append(int(status.parent.name))
    return found


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid``: its workers and anything they started."""
    found = _children(pid)
    for child in list(found):
        found += _descendants(child)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[-1][0] != "Z"


def test_sigterm_with_several_portals_in_flight_stops_cleanly(tmp_path, stop_sites):
    addresses = [f"127.0.0.{60 + n}" for n in range(4)]
    stop_sites += start_sites(tmp_path, addresses)
    db = tmp_path / "archive.sqlite3"
    config = write_config(tmp_path, stop_sites, str(db), 4, HANAM)
    script = Path(sys.executable).parent / "tinmoi"
    run = subprocess.Popen(
        [str(script), *run_args(tmp_path, config, "--set", "DOWNLOAD_DELAY=0.3")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    workers: list[int] = []
    while time.monotonic() < deadline:
        assert run.poll() is None, run.communicate()
        if all(s.servers["main"].requests[3:] for s in stop_sites):
            workers = _descendants(run.pid)
            break  # every portal past its robots.txt and listings, fetching articles
        time.sleep(0.05)
    assert len(workers) == 2  # the four crawls share the two worker processes
    signalled = time.monotonic()
    os.killpg(run.pid, signal.SIGTERM)  # what systemd does to the unit's processes
    out, err = run.communicate(timeout=60)
    took = time.monotonic() - signalled
    assert (run.returncode, out, err) == (
        0, "", "tinmoi: stopped by SIGTERM; feeds rebuilt from the archive\n"
    )  # fmt: skip
    assert took < 60
    assert [pid for pid in workers if _alive(pid)] == []
    with open(tmp_path / "lock", "a") as lock:  # free: this would raise BlockingIOError
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(lock, fcntl.LOCK_UN)
    with sqlite3.connect(db) as conn:
        runs = conn.execute("select status, exit_code from runs").fetchall()
        portals = conn.execute("select portal, status from run_portals order by 1").fetchall()
        archived = dict(conn.execute("select portal, count(*) from articles group by 1"))
    assert runs == [("stopped", 0)]
    # A crawl that finished just before the signal is "ok"; the others stopped.
    assert [name for name, _ in portals] == [f"p{n:02d}" for n in range(4)]
    assert {status for _, status in portals} <= {"ok", "stopped"}
    assert "stopped" in {status for _, status in portals}
    assert sorted(archived) == [f"p{n:02d}" for n in range(4)]
    for portal, count in archived.items():  # the feeds rebuilt from what was archived
        feed = feedparser.parse(tmp_path / "public" / portal / "atom.xml")
        assert len(feed.entries) == min(50, count)
