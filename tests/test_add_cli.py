"""``tinmoi add`` as an operator meets it: hosts already defined are refused, a portal
whose check fails is written disabled (and no run crawls it), ``--from`` ends with a
table, and the province of a former province is written as the one it is part of now."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.conftest import NOW, ROOT, free_port, map_args, tinmoi
from tinmoi.snapshot import serving

pytestmark = pytest.mark.e2e
#: The Bình Phước snapshot served under a host no portal defines.
PUBLIC = "https://cds.example.vn"


def test_a_host_another_portal_defines_is_refused_naming_it(tmp_path: Path):
    proc = tinmoi("add", "https://sxd.dongnai.gov.vn/vi/", "--dir", "portals", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == (
        "tinmoi: sxd.dongnai.gov.vn is already defined by portal sxd_dongnai "
        "(--force adds it anyway)\n"
    )
    alias = tinmoi("add", "https://dulichninhbinh.vn/", cwd=tmp_path)
    assert alias.returncode == 1
    assert "dulichninhbinh.vn is already defined by portal hanam_tourism" in alias.stderr
    taken = tinmoi("add", "https://x.example.vn/", "--name", "sxd_dongnai", cwd=tmp_path)
    assert taken.returncode == 1
    assert taken.stderr == "tinmoi: portal sxd_dongnai exists already (give another --name)\n"
    assert not (tmp_path / "portals").exists()


def test_a_portal_from_a_former_province_and_a_from_file_summary(tmp_path: Path):
    urls = tmp_path / "urls.txt"
    urls.write_text(
        f"# portals to add\n{PUBLIC}/\nhttps://sxd.dongnai.gov.vn/vi/\nhttps://gone.example.vn/\n",
        encoding="utf-8",
    )
    dead = f"http://127.0.0.1:{free_port()}"
    with serving("cds_binhphuoc") as site:
        proc = tinmoi(
            "add", "--from", str(urls), "--url-map", f"{PUBLIC}={site.base_url}",
            "--url-map", f"https://gone.example.vn={dead}", "--profile", "loopback",
            "--now", NOW, cwd=tmp_path,
        )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "province: the page names Bình Phước, part of Đồng Nai since 2025-07-01" in proc.stdout
    assert "\nadded cds_example: generic: no known platform" in proc.stdout
    assert proc.stdout.endswith(
        "\nurl                             portal       platform  sections  verdict\n"
        "https://cds.example.vn/         cds_example  generic   2         ok\n"
        "https://sxd.dongnai.gov.vn/vi/  -            -         0         not added\n"
        "https://gone.example.vn/        -            -         0         not added\n"
    )
    assert proc.stderr == (
        "tinmoi: sxd.dongnai.gov.vn is already defined by portal sxd_dongnai "
        "(--force adds it anyway)\n"
        "tinmoi: cannot read https://gone.example.vn/ (no answer or robots.txt forbids)\n"
    )
    written = tomllib.loads((tmp_path / "portals" / "cds_example.toml").read_text("utf-8"))
    assert {k: written[k] for k in ("name", "portal_title", "province", "platform")} == {
        "name": "cds_example",
        "portal_title": "Trung tâm Chuyển đổi số tỉnh Bình Phước",
        "province": "Đồng Nai",
        "platform": "generic",
    }
    assert written["sections"] == [
        {"slug": "tin-chuyen-doi-so", "title": "Tin chuyển đổi số",
         "path": "/Danh-muc/Tin-chuyen-doi-so-5.html"},
        {"slug": "an-toan-thong-tin", "title": "An toàn thông tin",
         "path": "/Danh-muc/An-toan-thong-tin-7.html"},
    ]  # fmt: skip
    assert written["options"] == {"article_pattern": r"^/Tin-tuc/[\w-]+-(\d+)\.html$"}
    assert "enabled" not in written
    assert "domain_aliases" not in written


def test_a_failing_check_writes_the_portal_disabled_and_no_run_crawls_it(tmp_path: Path):
    with serving("cds_binhphuoc") as site:
        # Pinned before the articles were written: every date is in the future.
        proc = tinmoi(
            "add", f"{PUBLIC}/", "--url-map", f"{PUBLIC}={site.base_url}",
            "--profile", "loopback", "--now", "2020-01-01T09:00:00+07:00", cwd=tmp_path,
        )  # fmt: skip
        path = tmp_path / "portals" / "cds_example.toml"
        before = path.read_text("utf-8")
        check = tinmoi(
            "check", "cds_example", "--url-map", f"{PUBLIC}={site.base_url}",
            "--profile", "loopback", "--now", NOW, cwd=tmp_path,
        )  # fmt: skip
    assert check.returncode == 0, check.stdout
    assert check.stdout.endswith(
        f"(still disabled: remove 'enabled = false' from {path.resolve()} for runs to crawl it)\n"
    )
    assert path.read_text("utf-8") == before
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "\nadded cds_example DISABLED (enabled = false in portals/cds_example.toml): " in (
        proc.stdout
    )
    assert "verdict: BROKEN" in proc.stdout
    assert "\n  needs a hand: date_selector\n" in proc.stdout
    written = tomllib.loads(path.read_text("utf-8"))
    assert written["enabled"] is False
    assert "# Disabled: the check failed (" in path.read_text("utf-8")
    sites = tinmoi("sites", cwd=tmp_path)
    line = "cds_example  [generic]  Đồng Nai  https://cds.example.vn  (disabled: enabled = false)"
    assert line in sites.stdout.splitlines()
    run = tinmoi("run", "cds_example", "--db", str(tmp_path / "a.sqlite3"), cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr == (
        "tinmoi: cds_example is disabled (enabled = false): not crawled\n"
        "tinmoi: nothing to crawl: every portal asked for is disabled\n"
    )


def test_a_disabled_portal_is_crawled_only_when_named(tmp_path: Path, hanam_site):
    folder = tmp_path / "portals"
    folder.mkdir()
    text = (ROOT / "tests" / "fixtures" / "portals" / "hanam_tourism.toml").read_text("utf-8")
    (folder / "hanam_off.toml").write_text(
        'name = "hanam_off"\nenabled = false\n' + text, encoding="utf-8"
    )
    proc = tinmoi(
        "crawl", "hanam_off", "--max-pages", "1", *map_args(hanam_site), "--profile",
        "loopback", "--db", str(tmp_path / "a.sqlite3"), "--now", NOW, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("hanam_off: ")
    config = tmp_path / "tinmoi.toml"
    config.write_text('portals = ["hanam_off", "hanam_tourism"]\n', encoding="utf-8")
    listed = tinmoi(
        "crawl", "--max-pages", "1", *map_args(hanam_site), "--profile", "loopback",
        "--db", str(tmp_path / "b.sqlite3"), "--now", NOW, "--config", str(config),
        cwd=tmp_path,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr == "tinmoi: hanam_off is disabled (enabled = false): not crawled\n"
    assert listed.stdout.startswith("hanam_tourism: ")
