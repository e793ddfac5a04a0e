"""A host that refuses connections, or whose robots.txt never answers, costs one failure."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import crawl_report, free_port

pytestmark = pytest.mark.e2e
ERRORS = "downloader/exception_type_count/scrapy.exceptions."


def test_a_host_refusing_connections_is_tried_once_then_given_up(tmp_path):
    port = free_port()  # nothing listens there
    report = crawl_report(tmp_path, "hanam_tourism", f"base_url=http://127.0.0.1:{port}")
    stats = report["stats"]
    assert report["status"] == "dead"
    assert report["message"].startswith(
        f"hanam_tourism: no listing page could be fetched from http://127.0.0.1:{port} ("
    )
    assert report["message"].endswith("(connection refused x1, not asked: host given up x4)")
    # robots.txt once; its retry and the three sections' listings are refused unasked.
    assert stats[f"{ERRORS}DownloadConnectionRefusedError"] == 1
    assert (
        stats["downloader/exception_type_count/crawler.middlewares.unreachable.HostUnreachable"]
        == 4
    )
    assert stats["tinmoi/unreachable/hosts"] == 1
    assert stats["tinmoi/unreachable/refused"] == 4
    log = (tmp_path / "crawl.log").read_text(encoding="utf-8")
    assert f"127.0.0.1:{port}: connection refused, given up for this crawl" in log


def test_a_host_whose_robots_txt_never_answers_is_given_up_after_its_timeout(tmp_path):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)  # connections are accepted by the kernel, never answered
    try:
        report = crawl_report(
            tmp_path, "hanam_tourism", f"base_url=http://127.0.0.1:{silent.getsockname()[1]}"
        )
    finally:
        silent.close()
    stats = report["stats"]
    assert report["status"] == "dead"
    assert stats[f"{ERRORS}DownloadTimeoutError"] == 1
    assert stats["tinmoi/unreachable/refused"] == 4
