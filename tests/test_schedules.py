"""Per-portal schedules: ``tinmoi run`` crawls only the portals that are due."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import NOW, map_args, tinmoi
from tinmoi.config import ConfigError, load_config
from tinmoi.durations import parse_duration
from tinmoi.snapshot import SnapshotSite, snapshot_dir


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90s", timedelta(seconds=90)),
        ("15m", timedelta(minutes=15)),
        ("6h", timedelta(hours=6)),
        ("1d", timedelta(days=1)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("6 h", timedelta(hours=6)),
        ("2H", timedelta(hours=2)),
        ("", None),
        ("soon", None),
    ],
)
def test_a_duration_reads_as_days_hours_minutes_seconds(text, expected):
    assert parse_duration(text) == expected


def test_a_portals_every_overrides_the_configs(tmp_path):
    config = tmp_path / "tinmoi.toml"
    config.write_text('every = "30m"\n[portal.hanam_tourism]\nevery = "6h"\n', encoding="utf-8")
    loaded = load_config(str(config))
    assert loaded.every_of("hanam_tourism") == timedelta(hours=6)
    assert loaded.every_of("sxd_dongnai") == timedelta(minutes=30)


def test_a_schedule_that_is_not_a_duration_is_refused(tmp_path):
    config = tmp_path / "tinmoi.toml"
    config.write_text('[portal.hanam_tourism]\nevery = "often"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(str(config))
    assert str(caught.value) == (
        f"{config}: field portal.hanam_tourism.every: 'often' is not a duration like 30m, 6h or 1d"
    )


@pytest.mark.e2e
def test_run_skips_a_portal_until_it_is_due_and_crawl_never_does(tmp_path):
    config = tmp_path / "tinmoi.toml"
    config.write_text(
        f'archive = "{tmp_path / "archive.sqlite3"}"\noutput = "{tmp_path / "public"}"\n'
        '[portal.hanam_tourism]\nevery = "6h"\n',
        encoding="utf-8",
    )
    site = SnapshotSite(snapshot_dir("hanam_tourism")).start()
    start = datetime.fromisoformat(NOW)

    def run(command: str, hours: float) -> int:
        before = len(site.servers["main"].requests)
        at = (start + timedelta(hours=hours)).isoformat()
        proc = tinmoi(
            command, "hanam_tourism", "--config", str(config), *map_args(site),
            "--profile", "loopback", "--now", at,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        return len(site.servers["main"].requests) - before

    try:
        assert run("run", 0) > 20  # the first crawl
        assert run("run", 1) == 0  # not due for 6 hours: not even robots.txt
        assert run("run", 5.9) == 0
        assert run("crawl", 5.9) == 4  # an explicit crawl always runs: robots.txt + 3 x 304
        assert run("run", 6.5) == 0  # due 6 h after the last crawl, the explicit one
        assert run("run", 12) == 4
    finally:
        site.stop()
    assert Path(tmp_path / "public" / "hanam_tourism" / "rss.xml").exists()
