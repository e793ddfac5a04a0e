"""Direct tests of crawler.dates.find_date: the date with its ``anchored`` and ``future``
flags, at a pinned "now"."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.dates import TZ, FoundDate, find_date, parse_date

NOW = datetime(2024, 11, 20, 10, 0, tzinfo=TZ)


def _found(text: str, *, at_start: bool = False) -> tuple[str, bool, bool] | None:
    found = find_date(text, now=NOW, at_start=at_start)
    if found is None:
        return None
    assert isinstance(found, FoundDate)
    assert found.value.tzinfo is TZ
    return found.value.isoformat(), found.anchored, found.future


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a full date: read as it is, nothing taken from "now"
        ("Ngày đăng: 25/06/2024 14:30", ("2024-06-25T14:30:00+07:00", False, False)),
        # a year-less date takes the year of "now", or the year before once past now's day
        ("25/6", ("2024-06-25T00:00:00+07:00", True, False)),
        ("25/12", ("2023-12-25T00:00:00+07:00", True, False)),
        # relative forms count back from "now"
        ("3 giờ trước", ("2024-11-20T07:00:00+07:00", True, False)),
        ("hôm qua lúc 21:00", ("2024-11-19T21:00:00+07:00", True, False)),
        # up to a day after "now" is still plausible
        ("21/11/2024", ("2024-11-21T00:00:00+07:00", False, False)),
        # more than a day after "now": reported as a future date
        ("22/11/2024", ("2024-11-22T00:00:00+07:00", False, True)),
        ("Quyết định ngày 25/06/2025", ("2025-06-25T00:00:00+07:00", False, True)),
        # so far ahead that it is a typo: no date at all
        ("25/06/2099", None),
        ("Tin mới", None),
        ("", None),
    ],
)
def test_find_date_value_and_flags(text: str, expected: tuple[str, bool, bool] | None) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text", ["22/11/2024", "Quyết định ngày 25/06/2025", "25/06/2099", "Tin mới"]
)
def test_parse_date_refuses_what_find_date_flags_future(text: str) -> None:
    assert parse_date(text, now=NOW) is None


def test_parse_date_returns_the_plausible_value_of_find_date() -> None:
    for text in ("Ngày đăng: 25/06/2024 14:30", "25/6", "3 giờ trước", "21/11/2024"):
        found = find_date(text, now=NOW)
        assert found is not None and not found.future
        assert parse_date(text, now=NOW) == found.value


def test_find_date_at_start_reads_the_opening_date_only() -> None:
    lead = "(Hà Nam) - Sáng 12/1, tỉnh tổng kết năm 2023 theo Quyết định ngày 25/06/2022"
    assert _found(lead, at_start=True) == ("2024-01-12T00:00:00+07:00", True, False)
    later = "Tỉnh tổng kết năm, theo Quyết định ngày 25/06/2022"
    assert _found(later, at_start=True) is None
    assert _found(later) == ("2022-06-25T00:00:00+07:00", False, False)
