"""The coordinator's fault paths on real Scrapyd daemons: SIGTERM cancels its jobs, a
dead coordinator's jobs are cancelled by the next run, and a node that dies mid-run
costs only the portals it had in flight (skipped without scrapyd or ``TINMOI_TEST_PG``;
failing under CI)."""

from __future__ import annotations

import fcntl
import io
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from crawler.archive.store import database_url
from tests.conftest import ALIAS_HOST, NOW, fresh_pg_database, tinmoi
from tests.test_scrapyd import require_scrapyd, scrapyd_node
from tinmoi.snapshot import SnapshotSite, serving

pytestmark = pytest.mark.e2e

#: A portal slowed to a 1 s delay, so a test can act while it is in flight.
SLOW = "hanam_tourism"


def write_config(tmp: Path, archive: str, sites: dict[str, SnapshotSite]) -> Path:
    """A config fetching each portal from its snapshot, :data:`SLOW` at a 1 s delay."""
    lines = [f'archive = "{archive}"', f'output = "{tmp / "public"}"', f'lock = "{tmp / "lock"}"']
    for portal, site in sites.items():
        lines += [f"[portal.{portal}]", f'base_url = "{site.base_url}"']
        if portal == SLOW:
            lines.append("delay = 1.0")
        lines.append(f"[portal.{portal}.url_map]")
        lines += [f'"{public}" = "{local}"' for public, local in site.url_map().items()]
    config = tmp / "tinmoi.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def serve(stack: ExitStack, placement: dict[str, str]) -> dict[str, SnapshotSite]:
    """Each portal's snapshot with its main host on the given address."""
    return {
        portal: stack.enter_context(serving(portal, {"main": host, "alias": ALIAS_HOST}))
        for portal, host in placement.items()
    }


@dataclass
class Field:
    """Nodes sharing a fresh PostgreSQL archive, with tinmoi deployed, and the portals'
    snapshots served."""

    archive: str
    nodes: list[str]
    sites: dict[str, SnapshotSite]
    config: Path


def deployed(stack: ExitStack, tmp: Path, nodes: int, placement: dict[str, str]) -> Field:
    """:class:`Field` of ``nodes`` Scrapyd daemons (``tmp/node1``…) and ``placement``'s
    portals (each main host on its address)."""
    archive = stack.enter_context(fresh_pg_database())
    urls = [
        stack.enter_context(scrapyd_node(tmp / f"node{n}", archive)) for n in range(1, nodes + 1)
    ]
    sites = serve(stack, placement)
    config = write_config(tmp, archive, sites)
    tinmoi("deploy", "--config", str(config), *urls, check=True)
    return Field(archive, urls, sites, config)


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 90) -> None:
    """Poll ``condition`` until it holds."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def in_flight(site: SnapshotSite) -> bool:
    """The slow portal is past its robots.txt and first listing, fetching articles."""
    return len(site.servers["main"].requests) >= 3


def rows(url: str, query: str) -> list[tuple[Any, ...]]:
    """The rows of ``query`` on the archive at ``url``."""
    engine = create_engine(database_url(url))
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(query))]
    finally:
        engine.dispose()


def lock_is_free(path: Path) -> bool:
    """Nothing holds the run lock at ``path``."""
    with path.open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(lock, fcntl.LOCK_UN)
    return True


def test_sigterm_cancels_the_runs_jobs_records_the_rest_skipped_and_frees_the_lock(tmp_path):
    require_scrapyd()
    from tinmoi.scrapyd.client import Node

    with ExitStack() as stack:
        # One host: one group, crawled in order, so the second portal waits for the first.
        field = deployed(stack, tmp_path, 1, {SLOW: "127.0.0.21", "quangnam_tourism": "127.0.0.21"})
        shared, (url,), sites, config = field.archive, field.nodes, field.sites, field.config
        script = Path(sys.executable).parent / "tinmoi"
        run = subprocess.Popen(
            [str(script), "run", SLOW, "quangnam_tourism", "--scrapyd", url,
             "--config", str(config), "--profile", "loopback", "--now", NOW],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        wait_for(lambda: in_flight(sites[SLOW]) or run.poll() is not None, "the slow crawl")
        assert run.poll() is None, run.communicate()
        signalled = time.monotonic()
        os.killpg(run.pid, signal.SIGTERM)
        out, err = run.communicate(timeout=90)
        took = time.monotonic() - signalled

        assert (run.returncode, out, err) == (
            0,
            "",
            "quangnam_tourism: not crawled: stopped by SIGINT\n"
            "tinmoi: stopped by SIGTERM; feeds rebuilt from the archive\n",
        )
        assert took < 60
        jobs = Node(url).jobs()
        assert (jobs.pending, jobs.running, list(jobs.finished)) == ({}, {}, ["tinmoi-r1-1"])
        assert lock_is_free(tmp_path / "lock")
        assert rows(shared, "select id, status, exit_code from runs") == [(1, "stopped", 0)]
        (slow, slow_status, slow_message), rest = rows(
            shared, "select portal, status, message from run_portals order by portal"
        )
        assert (slow, slow_status) == (SLOW, "stopped")
        assert re.fullmatch(rf"{SLOW}: stopped before it finished \(\d+ new\)", slow_message)
        assert rest == (
            "quangnam_tourism", "skipped", "quangnam_tourism: not crawled: stopped by SIGINT"
        )  # fmt: skip
        archived = rows(shared, "select portal, count(*) from articles group by portal")
        assert [portal for portal, _ in archived] == [SLOW]
        count = archived[0][1]
        feed = (tmp_path / "public" / SLOW / "atom.xml").read_text(encoding="utf-8")
        assert feed.count("<entry>") == min(50, count) > 0


def test_a_run_cancels_the_jobs_a_dead_coordinator_left(tmp_path):
    require_scrapyd()
    from crawler.archive import Archive
    from crawler.clock import crawl_now
    from tinmoi.crawling import PortalTask
    from tinmoi.scrapyd import BATCH_SPIDER
    from tinmoi.scrapyd.batch import Batch
    from tinmoi.scrapyd.client import Node
    from tinmoi.scrapyd.deploy import current_version

    with ExitStack() as stack:
        field = deployed(stack, tmp_path, 1, {SLOW: "127.0.0.22", "quangnam_tourism": "127.0.0.23"})
        shared, (url,), sites, config = field.archive, field.nodes, field.sites, field.config
        # A coordinator that scheduled its job, then died (kill -9) without cancelling it.
        gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
        with Archive.open(shared, now=crawl_now(NOW)) as archive:
            dead_run = archive.start_run(crawl_now(NOW), socket.gethostname(), int(gone.stdout))
        slow = sites[SLOW]
        task = PortalTask(SLOW, slow.base_url, slow.url_map(), settings={"DOWNLOAD_DELAY": "1"})
        batch = Batch(dead_run, [[task]], profile="loopback", now=NOW, deadline=time.time() + 600)
        node = Node(url)
        left = f"tinmoi-r{dead_run}-1"
        node.schedule(BATCH_SPIDER, left, current_version(), {"batch": batch.to_json()})
        wait_for(lambda: in_flight(slow), "the leftover job's crawl")

        started = time.monotonic()
        result = tinmoi("run", "quangnam_tourism", "--scrapyd", url, "--config", str(config),
                        "--profile", "loopback", "--now", NOW)  # fmt: skip
        assert (result.returncode, result.stdout, result.stderr) == (
            0, "", f"tinmoi: {url}: cancelled job {left}, left by an earlier run\n"
        )  # fmt: skip
        assert time.monotonic() - started < 60
        jobs = node.jobs()
        assert (jobs.pending, jobs.running) == ({}, {})
        assert sorted(jobs.finished) == [left, f"tinmoi-r{dead_run + 1}-1"]
        assert rows(shared, "select id, status, exit_code from runs order by id") == [
            (dead_run, "killed", None), (dead_run + 1, "ok", 0)
        ]  # fmt: skip
        recorded = rows(shared, "select run_id, portal, status from run_portals order by run_id")
        assert recorded == [
            (dead_run, SLOW, "stopped"), (dead_run + 1, "quangnam_tourism", "ok")
        ]  # fmt: skip


def test_a_dead_nodes_portal_in_flight_fails_and_its_unstarted_ones_crawl_elsewhere(tmp_path):
    require_scrapyd()
    from tinmoi.config import load_config
    from tinmoi.console import Console
    from tinmoi.plan import RunPlan
    from tinmoi.scrapyd.client import Node
    from tinmoi.scrapyd.coordinator import execute_on_nodes

    with ExitStack() as stack:
        # The longest group (two portals of one host) is the first job, on the first node.
        placement = {
            SLOW: "127.0.0.24",
            "quangnam_tourism": "127.0.0.24",
            "sxd_dongnai": "127.0.0.25",
        }
        field = deployed(stack, tmp_path, 2, placement)
        shared, (one, two), sites, config = field.archive, field.nodes, field.sites, field.config
        group = int((tmp_path / "node1" / "scrapyd.pid").read_text(encoding="utf-8"))

        def kill_node_one() -> None:
            wait_for(lambda: in_flight(sites[SLOW]), "the slow crawl on node 1")
            os.killpg(group, signal.SIGKILL)

        killer = threading.Thread(target=kill_node_one, daemon=True)
        killer.start()
        out, err = io.StringIO(), io.StringIO()
        plan = RunPlan(
            load_config(config), [SLOW, "quangnam_tourism", "sxd_dongnai"], build=True,
            profile="loopback", now=NOW,
        )  # fmt: skip
        code = execute_on_nodes(plan, [one, two], Console(False, out, err), poll=0.5, dead_after=3)
        killer.join(timeout=1)

        log = f"{one}/logs/tinmoi/tinmoi_batch/tinmoi-r1-1.log"
        # Failing, loudly, but not the portal's fault: its health holds (a first failure).
        assert code == 0
        assert out.getvalue() == ""
        dead, failing = err.getvalue().splitlines()
        assert dead.startswith(f"tinmoi: {one}") and dead.endswith(": the node is taken as dead")
        assert failing == f"{SLOW}: its node {one} stopped answering during its crawl (log: {log})"
        assert sorted(Node(two).jobs().finished) == ["tinmoi-r1-2", "tinmoi-r1-3"]
        recorded = rows(shared, "select portal, status, new from run_portals order by portal")
        archived = dict(rows(shared, "select portal, count(*) from articles group by portal"))
        assert [(portal, status) for portal, status, _ in recorded] == [
            (SLOW, "failing"), ("quangnam_tourism", "ok"), ("sxd_dongnai", "ok")
        ]  # fmt: skip
        for portal, _, new in recorded[1:]:
            assert new == archived[portal] > 0
        assert rows(shared, "select portal, status from portal_health order by portal") == [
            (SLOW, "ok"), ("quangnam_tourism", "ok"), ("sxd_dongnai", "ok")
        ]  # fmt: skip
        assert rows(shared, "select status, exit_code from runs") == [("ok", 0)]
