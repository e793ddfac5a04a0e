"""A portal's crawl logs rotate: the next crawl does not overwrite the last one's log."""

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
