"""Scrapyd on one core against two: ``tinmoi run --scrapyd`` over K generated portals.

Usage: ``python bench/nodes.py --db postgresql://USER@HOST:PORT/DB [--portals K]
[--delay SECONDS] [--max-proc N]``

The portals are those of ``bench/scale.py`` (2 % refusing connections, 2 % slow). First one
Scrapyd node pinned to core 0 (``taskset``), then two nodes pinned to cores 0 and 1, each
time sharing a fresh database on the server ``--db`` names: ``tinmoi deploy``, then a
first run (every article new) through ``tinmoi run --scrapyd``. It prints the figures of
``bench/scale.py`` for both, the speed-up of two nodes over one, and whether both
archives hold the same articles; it exits 1 when a healthy portal fell short or they differ.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.scale import HEADER, NOW, generate, measure  # noqa: E402
from tinmoi.scrapyd.client import Node, NodeError  # noqa: E402


@contextmanager
def fresh_database(server: str, name: str) -> Iterator[str]:
    """Database ``name`` on ``server``, created empty (and dropped afterwards)."""
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def pinned_node(work: Path, core: int, archive: str, max_proc: int) -> Iterator[str]:
    """A Scrapyd daemon on 127.0.0.1 pinned to ``core`` (its jobs too), writing to
    ``archive``; yields its URL."""
    work.mkdir(parents=True)
    port = free_port()
    (work / "scrapyd.conf").write_text(
        "[scrapyd]\nbind_address = 127.0.0.1\n"
        f"http_port = {port}\neggs_dir = eggs\nlogs_dir = logs\ndbs_dir = dbs\n"
        f"max_proc = {max_proc}\npoll_interval = 0.5\n",
        encoding="utf-8",
    )
    env = {
        k: v for k, v in os.environ.items() if k not in ("TINMOI_CONFIG", "SCRAPY_SETTINGS_MODULE")
    }
    with (work / "scrapyd.out").open("w") as out:
        proc = subprocess.Popen(
            ["taskset", "-c", str(core), sys.executable, "-m", "scrapyd"],
            cwd=work, env=env | {"TINMOI_DB": archive}, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                Node(url).status()
                break
            except NodeError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"scrapyd did not start: see {work / 'scrapyd.out'}") from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def articles_of(db: str) -> list[tuple[object, ...]]:
    """Every article's key, URL, title, date and content hash."""
    engine = create_engine(db)
    with engine.connect() as conn:
        query = "select key, url, title, published, content_hash from articles order by key"
        rows = [tuple(row) for row in conn.execute(text(query)).all()]
    engine.dispose()
    return rows


def main() -> int:
    """Run one pinned node, then two; print the figures; 1 when something fell short."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a PostgreSQL server (any database on it)")
    parser.add_argument("--portals", type=int, default=100)
    parser.add_argument("--delay", type=float, default=2.0, help="seconds between requests")
    parser.add_argument("--max-proc", type=int, default=2, help="Scrapyd jobs at once per node")
    opts = parser.parse_args()
    field = generate(opts.portals, Path(tempfile.mkdtemp(prefix="tinmoi-nodes-")))
    tinmoi = str(Path(sys.executable).parent / "tinmoi")
    portals = ["--portals", str(field.work / "portals")]
    print(f"K = {opts.portals} portals, delay {opts.delay}s, work in {field.work}")
    print(HEADER)
    walls, archives, short = [], [], False
    for count in (1, 2):
        with ExitStack() as stack:
            db = stack.enter_context(fresh_database(opts.db, f"tinmoi_bench_nodes_{count}"))
            urls = [
                stack.enter_context(
                    pinned_node(field.work / f"n{count}-{core}", core, db, opts.max_proc)
                )
                for core in range(count)
            ]
            deployed = subprocess.run(
                [tinmoi, "deploy", *urls, *portals], capture_output=True, text=True, check=False
            )
            if deployed.returncode != 0:
                raise SystemExit(f"tinmoi deploy failed:\n{deployed.stderr}")
            cmd = [
                tinmoi, "run", "--scrapyd", ",".join(urls), "--config", str(field.config),
                *portals, "--db", db, "--out", str(field.work / f"public-{count}"),
                "--now", NOW, "--set", f"DOWNLOAD_DELAY={opts.delay}",
                "--set", "RANDOMIZE_DOWNLOAD_DELAY=False", *field.kinds,
            ]  # fmt: skip
            started = time.monotonic()
            label = "first, one node (one core)" if count == 1 else "first, two nodes (two cores)"
            row, fell_short = measure(field, cmd, label, opts.delay, db)
            walls.append(time.monotonic() - started)
            print(row, flush=True)
            short = short or fell_short
            archives.append(articles_of(db))
    field.stop()
    same = archives[0] == archives[1]
    print(f"\ntwo nodes against one: {walls[0] / walls[1]:.2f}x faster; same archive: {same}")
    return 1 if short or not same else 0


if __name__ == "__main__":
    sys.exit(main())
