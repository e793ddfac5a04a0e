"""A portal's crawl logs rotate, and a run may hold as many files as the system allows."""

from __future__ import annotations

from tinmoi.crawling import rotate_log


def test_each_crawl_moves_the_earlier_logs_down_and_keeps_five(tmp_path):
    log = tmp_path / "hanam_tourism.log"
    for run in range(1, 8):
        rotate_log(log)
        log.write_text(f"run {run}\n", encoding="utf-8")
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == [f"hanam_tourism.log{suffix}" for suffix in ("", ".1", ".2", ".3", ".4", ".5")]
    assert [(tmp_path / name).read_text(encoding="utf-8") for name in kept] == [
        f"run {run}\n" for run in (7, 6, 5, 4, 3, 2)
    ]


def test_the_first_crawl_has_nothing_to_rotate(tmp_path):
    rotate_log(tmp_path / "new_portal.log")
    assert list(tmp_path.iterdir()) == []


def test_a_run_raises_its_open_file_limit_to_the_hard_one():
    import subprocess
    import sys

    script = (
        "import resource\n"
        "soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))\n"
        "from tinmoi.runner import raise_file_limit\n"
        "print(raise_file_limit() == hard, resource.getrlimit(resource.RLIMIT_NOFILE) == "
        "(hard, hard))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout == "True True\n"
