"""``tinmoi.toml``: relative paths, defaults, and errors that name the file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinmoi.config import Config, ConfigError, load_config

PORTALS = ["hanam_tourism", "quangnam_tourism"]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "etc" / "tinmoi.toml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


def test_relative_paths_resolve_against_the_config_file(tmp_path, monkeypatch):
    path = write(
        tmp_path,
        """
archive = "data/tinmoi.sqlite3"
output = "../www"
site_url = "https://tin.example.vn"
contact = "ops@example.vn"
portals = ["hanam_tourism"]
[limits]
portal_seconds = 600
run_seconds = 1200
[portal.hanam_tourism]
base_url = "https://dulichninhbinh.vn"
aliases = ["https://hanamtourism.vn"]
delay = 5
""",
    )
    monkeypatch.chdir(tmp_path)  # cron runs from $HOME: the working directory must not matter
    config = load_config(str(path), PORTALS)
    assert config.archive == str(tmp_path / "etc" / "data" / "tinmoi.sqlite3")
    assert config.output == tmp_path / "etc" / ".." / "www"
    assert config.lock_path == tmp_path / "etc" / "data" / "tinmoi.lock"
    assert (config.site_url, config.contact, config.portals) == (
        "https://tin.example.vn", "ops@example.vn", ("hanam_tourism",),
    )  # fmt: skip
    assert (config.portal_seconds, config.run_seconds) == (600, 1200)
    override = config.overrides["hanam_tourism"]
    assert (override.base_url, override.aliases, override.delay) == (
        "https://dulichninhbinh.vn", ("https://hanamtourism.vn",), 5,
    )  # fmt: skip


def test_without_a_config_file_the_defaults_apply(monkeypatch):
    monkeypatch.delenv("TINMOI_CONFIG", raising=False)
    assert load_config(None, PORTALS) == Config()


def test_the_environment_names_the_config_file(tmp_path, monkeypatch):
    path = write(tmp_path, 'archive = "postgresql://tinmoi@db/tinmoi"\n')
    monkeypatch.setenv("TINMOI_CONFIG", str(path))
    assert load_config(None, PORTALS).archive == "postgresql://tinmoi@db/tinmoi"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("archive = 3\n", "field archive must be a str"),
        ("archve = 'x'\n", "unknown field archve"),
        ("[limits]\nrun_secs = 3\n", "unknown field limits.run_secs"),
        ("[portal.nowhere]\nbase_url = 'x'\n", "[portal.nowhere]: no such portal"),
        ("[portal.hanam_tourism]\ndelay = 'slow'\n", "field portal.hanam_tourism.delay must be"),
        (
            "portals = ['hanam_tourism', 'atlantis']\n",
            "field portals names unknown portal atlantis",
        ),
        ("archive = \n", "not valid TOML: Invalid value (at line 1, column 11)"),
    ],
)
def test_errors_name_the_file_and_the_field(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(str(path), PORTALS)
    assert str(error.value).startswith(f"{path.resolve()}: ")
    assert message in str(error.value)


def test_a_missing_config_file_is_one_clear_error(tmp_path):
    with pytest.raises(ConfigError, match=r"tinmoi\.toml: no such config file"):
        load_config(str(tmp_path / "tinmoi.toml"), PORTALS)


def test_build_takes_its_output_and_site_url_from_the_config(tmp_path):
    from datetime import UTC, datetime

    from crawler.archive import Archive
    from tests.conftest import tinmoi

    path = write(tmp_path, 'archive = "a.sqlite3"\noutput = "www"\nsite_url = "https://x.vn"\n')
    Archive.open(path.parent / "a.sqlite3", now=datetime(2025, 8, 1, tzinfo=UTC)).close()
    proc = tinmoi("build", "--config", str(path), check=True)
    www = tmp_path / "etc" / "www"
    assert proc.stdout == f"1 feeds in {www}/ (1 changed)\n"  # an empty archive: all/
    assert 'href="https://x.vn/all/rss.xml"' in (www / "all" / "rss.xml").read_text()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("limit = 0\n", "field limit must be a whole number of at least 1, not 0"),
        ("limit = -3\n", "field limit must be a whole number of at least 1, not -3"),
        (
            "[limits]\nrun_seconds = 0\n",
            "field limits.run_seconds must be a whole number of at least 1, not 0",
        ),
        (
            "[limits]\nportal_seconds = -1\n",
            "field limits.portal_seconds must be a whole number of at least 1, not -1",
        ),
        (
            "[portal.hanam_tourism]\nbase_url = 'ftp://hanamtourism.vn'\n",
            "field portal.hanam_tourism.base_url: 'ftp://hanamtourism.vn' is not an http(s) URL",
        ),
        (
            "[portal.hanam_tourism.url_map]\n'https://hanamtourism.vn' = 'file:///srv'\n",
            "field portal.hanam_tourism.url_map: 'file:///srv' is not an http(s) URL",
        ),
        (
            "[portal.hanam_tourism]\ndelay = -2\n",
            "field portal.hanam_tourism.delay must be 0 or more seconds, not -2",
        ),
        ('archive = ""\n', "field archive is empty"),
        (
            '[limits]\npoliteness = "dns"\n',
            'field limits.politeness must be "host" or "ip", not \'dns\'',
        ),
        ('site_url = "feeds.example"\n', "field site_url: 'feeds.example' is not an http(s) URL"),
    ],
)
def test_bad_values_in_the_config_are_one_line_naming_file_and_field(
    tmp_path, capsys, text, message
):
    from tinmoi.cli import main

    path = write(tmp_path, text)
    assert main(["build", "--config", str(path), "--out", str(tmp_path / "www")]) == 1
    assert capsys.readouterr().err == f"tinmoi: {path}: {message}\n"
    assert not (tmp_path / "www").exists()


def test_a_config_file_that_is_not_utf8_is_one_line(tmp_path, capsys):
    from tinmoi.cli import main

    path = tmp_path / "tinmoi.toml"
    path.write_bytes(b'contact = "ops@example.vn"\nsite_url = "https://tin.example.vn/\xe9"\n')
    assert main(["status", "--config", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"tinmoi: {path}: not UTF-8 text (byte 0xe9 on line 2, column 36)\n"
    )
