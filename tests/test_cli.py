"""The command line's own contract: help, sites, settings profiles, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from scrapy.utils.project import get_project_settings

from crawler.archive import Archive
from crawler.settings import LOOPBACK_PROFILE
from tests.conftest import tinmoi
from tinmoi.cli import main


@pytest.mark.parametrize(
    "command",
    [
        "crawl",
        "run",
        "build",
        "status",
        "serve",
        "search",
        "export",
        "history",
        "backup",
        "sites",
        "demo",
    ],
)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: tinmoi {command}")


#: The commands that load portal definitions (the README names them): they take --portals.
LOADS_PORTALS = {"sites", "check", "crawl", "run", "new", "add", "record", "deploy"}


def test_the_commands_that_load_portal_definitions_and_only_they_take_portals():
    from tinmoi.cli.parser import parser

    commands = next(action.choices for action in parser()._actions if action.dest == "command")
    takes = {
        name
        for name, command in commands.items()
        if any("--portals" in action.option_strings for action in command._actions)
    }
    assert set(commands) >= LOADS_PORTALS
    assert takes == LOADS_PORTALS & set(commands)


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["crawl", "--no-such-option"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err
    assert main(["crawl", "hanam_tourism", "quangnam_tourism", "--base-url", "http://x"]) == 2
    assert capsys.readouterr().err == (
        "tinmoi: --base-url 'http://x': with several portals, write PORTAL=URL\n"
    )


def test_sites_lists_portals_with_platform_and_sections():
    proc = tinmoi("sites", "--json", check=True)
    sites = {site["name"]: site for site in json.loads(proc.stdout)}
    assert sorted(sites) == [
        "bacgiang_sldtbxh", "budang_dongnai", "cds_binhphuoc", "daklak_gov",
        "danang_fantasticity", "dienbien_svhttdl", "dienbien_svhttdl_rss", "dongthap_gov",
        "gdnn_gov", "hanam_tourism", "hochiminhcity", "ksbt_danang", "mt_gov",
        "ninhthuan_portal", "quangnam_tourism", "sovhtt_hanoi", "sxd_dongnai",
        "vinhlong_tourist", "xuanloc_dongnai",
    ]  # fmt: skip
    assert sites["cds_binhphuoc"]["defined_in"].endswith("crawler/portals/cds_binhphuoc.toml")
    assert sites["hanam_tourism"]["defined_in"] == "crawler.spiders.hanam_tourism"
    hanam = sites["hanam_tourism"]
    assert (hanam["platform"], hanam["province"], hanam["base_url"]) == (
        "vnpt-smart-tourism",
        "Hà Nam",
        "https://hanamtourism.vn",
    )
    assert hanam["sections"] == {
        "tin-tuc-su-kien": "Tin tức - Sự kiện",
        "diem-den": "Điểm đến",
        "le-hoi-van-hoa": "Lễ hội - Văn hóa",
    }
    text = tinmoi("sites", check=True).stdout
    assert "hanam_tourism  [vnpt-smart-tourism]  Hà Nam  https://hanamtourism.vn" in text


def test_default_profile_is_polite_and_loopback_only_changes_pacing():
    settings = get_project_settings()
    assert settings.getbool("ROBOTSTXT_OBEY") is True
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert settings.getfloat("DOWNLOAD_DELAY") == 2.0
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is True
    assert settings.getint("DOWNLOAD_MAXSIZE") == 8 * 1024 * 1024
    assert settings.getint("RETRY_TIMES") == 3
    assert settings.getfloat("TINMOI_RETRY_BACKOFF") == 2.0
    assert settings.get("USER_AGENT").startswith("tinmoi/")
    assert "+https://" in settings.get("USER_AGENT")
    assert set(LOOPBACK_PROFILE) == {
        "DOWNLOAD_DELAY",
        "AUTOTHROTTLE_ENABLED",
        "DOWNLOAD_TIMEOUT",
        "RETRY_TIMES",
        "TINMOI_RETRY_BACKOFF",
    }


#: A crawl that fails at once if it starts at all.
OFFLINE = ["hanam_tourism", "--base-url", "http://127.0.0.1:9", "--profile", "loopback"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--db", ""], "--db is empty: give an archive path or a database URL"),
        (["status", "--db", ""], "--db is empty: give an archive path or a database URL"),
        (["build", "--limit", "0"], "--limit must be a whole number of at least 1, not 0"),
        (["build", "--limit", "-3"], "--limit must be a whole number of at least 1, not -3"),
        (
            ["crawl", *OFFLINE, "--max-pages", "-1"],
            "--max-pages must be 0 (no limit) or more, not -1",
        ),
        (["sites", "--portals", "nowhere/"], "--portals nowhere/: no such file or folder"),
        (["crawl", *OFFLINE, "--portals", "x.toml"], "--portals x.toml: no such file or folder"),
    ],
)
def test_bad_values_on_the_command_line_are_usage_errors(
    args, message, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TINMOI_CONFIG", raising=False)
    monkeypatch.delenv("TINMOI_PORTALS", raising=False)
    assert main(args) == 2
    assert capsys.readouterr().err == f"tinmoi: {message}\n"
    assert list(tmp_path.iterdir()) == []  # no archive, feed or lock was created


#: Runs one tinmoi command in a fresh interpreter, then prints the exit code and the Scrapy
#: and Twisted modules it loaded.
_LOADED = """
import json, sys
from tinmoi.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("scrapy", "twisted"))
print(json.dumps([code, heavy]))
"""


@pytest.mark.parametrize(
    "command",
    [
        ["search", "tam chúc"],
        ["export", "--format", "jsonl", "-o", "out.jsonl"],
        ["status"],
        ["build", "--out", "public"],
        ["history", "hanam:news_1"],
        ["backup", "copy.sqlite3"],
    ],
    ids=lambda command: command[0],
)
def test_commands_that_do_not_crawl_load_no_scrapy_or_twisted(tmp_path, command):
    from tests.test_feeds import CRAWL, HANAM, article

    db = tmp_path / "a.sqlite3"
    with Archive.open(db, now=CRAWL) as archive:
        archive.upsert_portal(HANAM, CRAWL)
        archive.upsert_article(article("hanam", 1, 20, title="Chùa Tam Chúc mùa hè"), CRAWL)
    proc = subprocess.run(
        [sys.executable, "-c", _LOADED, *command, "--db", str(db)],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    code, heavy = json.loads(proc.stdout.splitlines()[-1])
    assert (code, heavy) == (0, [])


@pytest.mark.parametrize(
    ("error", "code"),
    [
        ("crawler.archive.store.ArchiveError", 1),
        ("feeds.write.OutputError", 1),
        ("tinmoi.config.ConfigError", 1),
        ("tinmoi.serve.ServeError", 1),
        ("tinmoi.export.ExportError", 1),
        ("tinmoi.backup.BackupError", 1),
        ("tinmoi.browse.BrowseError", 1),
        ("tinmoi.checking.CheckError", 1),
        ("tinmoi.recording.RecordError", 1),
        ("tinmoi.scaffold.ScaffoldError", 1),
        ("crawler.middlewares.warc.WarcError", 1),
        ("tinmoi.cli.common.UsageError", 2),
        ("tinmoi.lock.LockHeld", 75),
    ],
    ids=lambda value: str(value).rpartition(".")[2],
)
def test_every_error_the_command_reports_is_one_line_with_its_exit_code(
    monkeypatch, capsys, error, code
):
    import importlib

    module, _, name = error.rpartition(".")
    cls = getattr(importlib.import_module(module), name)

    def fail(args):
        raise cls("it cannot be done")

    monkeypatch.setattr("tinmoi.cli.parser.cmd_sites", fail)
    assert main(["sites"]) == code
    assert capsys.readouterr().err == "tinmoi: it cannot be done\n"
