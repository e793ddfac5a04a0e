"""How the coordinator packs a run's host groups into Scrapyd jobs."""

from __future__ import annotations

from tinmoi.scrapyd.coordinator import GROUPS_PER_JOB, pack


def test_groups_are_dealt_longest_first_to_the_job_with_the_fewest_portals():
    groups = [["a1"], ["b1", "b2", "b3"], ["c1", "c2"], ["d1"], ["e1", "e2"]]
    assert pack(groups, 2) == [
        [["b1", "b2", "b3"], ["a1"], ["d1"]],
        [["c1", "c2"], ["e1", "e2"]],
    ]


def test_there_are_never_more_jobs_than_groups():
    assert pack([["a1", "a2"], ["b1"]], 4) == [[["a1", "a2"]], [["b1"]]]
    assert pack([], 4) == []


def test_a_job_holds_at_most_groups_per_job_groups():
    assert GROUPS_PER_JOB == 32
    groups = [[f"p{n}"] for n in range(3 * GROUPS_PER_JOB + 1)]
    jobs = pack(groups, 2)
    assert len(jobs) == 4  # 97 groups need four jobs of at most 32
    assert [len(job) for job in jobs] == [25, 24, 24, 24]
    assert sorted(p for job in jobs for group in job for p in group) == sorted(
        p for group in groups for p in group
    )
