"""More than one machine: two Scrapyd daemons on 127.0.0.1 crawl the bundled snapshots
into one PostgreSQL archive, which then holds what a single-machine run archives (skipped
without scrapyd or ``TINMOI_TEST_PG``; failing under CI)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select

from crawler.archive.schema import articles, revisions
from crawler.archive.store import database_url
from tests.conftest import ALIAS_HOST, NOW, free_port, fresh_pg_database, tinmoi
from tinmoi.snapshot import SnapshotSite, bundled_portals, serving

pytestmark = pytest.mark.e2e

#: The snapshots' main hosts: three loopback addresses, so a run has three host groups.
HOSTS = ("127.0.0.11", "127.0.0.12", "127.0.0.13")


def require_scrapyd() -> None:
    """Skip (fail under ``CI=true``) when Scrapyd cannot run here."""
    from importlib.util import find_spec

    # Scrapyd's job runner imports pkg_resources, which setuptools 82 removed.
    for module, package in (("scrapyd", "scrapyd"), ("pkg_resources", "setuptools<82")):
        if find_spec(module) is None:
            reason = f"{module} is not installed ({package}; make install installs the test extra)"
            if os.environ.get("CI") == "true":
                pytest.fail(reason)
            pytest.skip(reason)


@contextmanager
def scrapyd_node(work: Path, archive: str) -> Iterator[str]:
    """A Scrapyd daemon on 127.0.0.1 with its own work directory, whose jobs write to
    ``archive`` (from its environment); yields its URL. Its process group's id is in
    ``scrapyd.pid`` there (the daemon and its jobs' processes)."""
    work.mkdir()
    port = free_port()
    (work / "scrapyd.conf").write_text(
        "[scrapyd]\nbind_address = 127.0.0.1\n"
        f"http_port = {port}\neggs_dir = eggs\nlogs_dir = logs\ndbs_dir = dbs\n"
        "max_proc = 2\npoll_interval = 0.5\n",
        encoding="utf-8",
    )
    env = os.environ | {"TINMOI_DB": archive}
    for name in ("TINMOI_CONFIG", "SCRAPY_SETTINGS_MODULE"):  # the egg names its settings
        env.pop(name, None)
    with (work / "scrapyd.out").open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "scrapyd"], cwd=work, env=env, stdout=out,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    (work / "scrapyd.pid").write_text(str(proc.pid), encoding="utf-8")
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, proc, work)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait_for(url: str, proc: subprocess.Popen[Any], work: Path) -> None:
    from tinmoi.scrapyd.client import Node, NodeError

    deadline = time.monotonic() + 60
    while True:
        try:
            Node(url).status()
            return
        except NodeError:
            if proc.poll() is not None or time.monotonic() > deadline:
                log = (work / "scrapyd.out").read_text(encoding="utf-8")
                raise AssertionError(f"scrapyd did not start:\n{log}") from None
            time.sleep(0.3)


@contextmanager
def every_snapshot() -> Iterator[list[SnapshotSite]]:
    """Every bundled snapshot served, each portal's main host on one of :data:`HOSTS`."""
    with ExitStack() as stack:
        yield [
            stack.enter_context(serving(portal, {"main": HOSTS[n % 3], "alias": ALIAS_HOST}))
            for n, portal in enumerate(bundled_portals())
        ]


def portal_tables(sites: list[SnapshotSite]) -> str:
    """A config fetching each portal from its snapshot (portals sharing a public origin,
    as the two Điện Biên ones do, each get their own server)."""
    tables = []
    for site in sites:
        pairs = ", ".join(f'"{public}" = "{local}"' for public, local in site.url_map().items())
        tables.append(f'[portal.{site.portal}]\nbase_url = "{site.base_url}"\n'
                      f"url_map = {{ {pairs} }}\n")  # fmt: skip
    return "\n".join(tables)


def archived(url: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every article (key, URL, title, dates, hash) and every revision of an archive."""
    engine = create_engine(database_url(url))
    try:
        with engine.connect() as conn:
            heads = conn.execute(
                select(
                    articles.c.key, articles.c.url, articles.c.title, articles.c.published,
                    articles.c.first_seen, articles.c.content_hash,
                ).order_by(articles.c.key)
            ).all()  # fmt: skip
            revs = conn.execute(
                select(
                    articles.c.key, revisions.c.revision, revisions.c.fetched,
                    revisions.c.content_hash, revisions.c.definition,
                )
                .join(articles, articles.c.id == revisions.c.article_id)
                .order_by(articles.c.key, revisions.c.revision)
            ).all()  # fmt: skip
    finally:
        engine.dispose()
    return [tuple(r) for r in heads], [tuple(r) for r in revs]


def files_under(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_two_scrapyd_nodes_archive_what_one_machine_does(tmp_path):
    require_scrapyd()
    from tinmoi.scrapyd.client import Node
    from tinmoi.scrapyd.deploy import current_version

    version = current_version()
    with ExitStack() as stack:
        alone = stack.enter_context(fresh_pg_database())
        shared = stack.enter_context(fresh_pg_database())
        one = stack.enter_context(scrapyd_node(tmp_path / "node1", shared))
        two = stack.enter_context(scrapyd_node(tmp_path / "node2", shared))
        sites = stack.enter_context(every_snapshot())
        config = tmp_path / "tinmoi.toml"
        config.write_text(portal_tables(sites), encoding="utf-8")
        common = ["--config", str(config), "--profile", "loopback", "--now", NOW]

        deployed = tinmoi("deploy", one, two)
        assert (deployed.returncode, deployed.stdout, deployed.stderr) == (
            0,
            f"{one}: deployed {version} (20 spiders)\n{two}: deployed {version} (20 spiders)\n",
            "",
        )
        single = tinmoi("run", "--db", alone, "--out", str(tmp_path / "alone"), *common)
        assert (single.returncode, single.stderr) == (0, "")
        nodes = tinmoi("run", "--scrapyd", f"{one},{two}", "--db", shared,
                       "--out", str(tmp_path / "nodes"), *common)  # fmt: skip
        assert (nodes.returncode, nodes.stdout, nodes.stderr) == (0, "", "")

        # One job per host group, on both nodes, each crawling its portals in turn.
        finished = {url: sorted(Node(url).jobs().finished) for url in (one, two)}
        assert sorted(finished[one] + finished[two]) == [
            "tinmoi-r1-1", "tinmoi-r1-2", "tinmoi-r1-3"
        ]  # fmt: skip
        assert finished[one] and finished[two]
        log = next((tmp_path / "node1" / "logs" / "tinmoi" / "tinmoi_batch").glob("*.log"))
        portals_logged = log.read_text(encoding="utf-8").count("[tinmoi.scrapyd.batch] INFO")
        assert portals_logged in (6, 7, 13)

        heads, revs = archived(shared)
        assert (heads, revs) == archived(alone)
        assert len(heads) == len(revs) > 150
    assert files_under(tmp_path / "nodes") == files_under(tmp_path / "alone")


def test_deploy_refuses_a_node_holding_another_schema_until_replace(tmp_path):
    require_scrapyd()
    from tinmoi.scrapyd.client import Node
    from tinmoi.scrapyd.deploy import build_egg, current_version, release

    version = current_version()
    old = "0_1_0-s10-000000000000"
    assert release() == "0_1_0-s12"
    with scrapyd_node(tmp_path / "node", f"sqlite:///{tmp_path / 'unused.sqlite'}") as url:
        Node(url).add_version(old, build_egg())

        refused = tinmoi("deploy", url)
        assert (refused.returncode, refused.stdout, refused.stderr) == (
            1,
            "",
            f"{url}: holds {old}, another tinmoi release or schema than 0_1_0-s12: "
            "refused (upgrade every node at once with --replace)\n",
        )
        assert Node(url).versions() == [old]

        replaced = tinmoi("deploy", "--replace", url)
        assert (replaced.returncode, replaced.stdout, replaced.stderr) == (
            0,
            f"{url}: deployed {version} (20 spiders)\n",
            "",
        )
        assert Node(url).versions() == [version]
