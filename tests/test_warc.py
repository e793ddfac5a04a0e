"""WARC: every raw response is recorded, and its payload is the bytes the server sent."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import NOW, map_args, tinmoi
from tinmoi.snapshot import LAST_MODIFIED, serving

pytestmark = pytest.mark.e2e


def test_warc_records_replay_exactly_what_the_portal_sent(tmp_path: Path):
    warc = tmp_path / "warc"
    with serving("quangnam_tourism") as site:
        tinmoi(
            "crawl", "quangnam_tourism", *map_args(site), "--profile", "loopback",
            "--db", str(tmp_path / "t.sqlite3"), "--now", NOW, "--warc", str(warc), check=True,
        )  # fmt: skip
        served = list(site.servers["main"].statuses)
        root = site.servers["main"].root
    routes = json.loads((root / "routes.json").read_text())
    [path] = warc.glob("quangnam_tourism-*.warc.gz")
    responses, requests = [], 0
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            assert record.rec_headers.protocol == "WARC/1.1"
            if record.rec_type == "request":
                requests += 1
                continue
            assert record.rec_type == "response"
            parts = urlsplit(record.rec_headers.get_header("WARC-Target-URI"))
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            payload = record.content_stream().read()
            assert payload == (root / routes[target]).read_bytes(), target
            assert record.http_headers.get_header("Last-Modified") == LAST_MODIFIED
            responses.append((target, int(record.http_headers.get_statuscode())))
    assert sorted(responses) == sorted(served)  # every response, as the server answered it
    assert (len(responses), requests) == (11, 11)


def test_an_unwritable_warc_folder_fails_at_start_with_one_line(tmp_path: Path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder's parent should be\n")
    warc = blocker / "warc"
    with serving("quangnam_tourism") as site:
        proc = tinmoi(
            "crawl", "quangnam_tourism", *map_args(site), "--profile", "loopback",
            "--db", str(tmp_path / "t.sqlite3"), "--now", NOW, "--warc", str(warc),
        )  # fmt: skip
        served = list(site.servers["main"].requests)
    assert (proc.returncode, proc.stdout, proc.stderr) == (
        1, "", f"tinmoi: --warc {warc}: cannot write WARC files there: Not a directory\n",
    )  # fmt: skip
    assert served == []  # nothing was crawled
    assert not (tmp_path / "t.sqlite3").exists()
