"""Tests for crawler.dates: one table test over tests/date_cases.json, an accuracy budget,
a few opening-phrase checks and a hypothesis property test."""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.dates import EARLIEST, TZ, parse_date, parse_date_at_start

CASES_FILE = Path(__file__).with_name("date_cases.json")
DEFAULT_NOW = "2024-11-20T10:00:00+07:00"
NOW = datetime.fromisoformat(DEFAULT_NOW)


def load_cases() -> list[tuple[str, str, str, str]]:
    """Rows of the case table: (shape, text, expected ISO or "", now ISO or "")."""
    rows = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    return [(shape, text, expected, now or DEFAULT_NOW) for shape, text, expected, now in rows]


CASES = load_cases()


def _answer(text: str, now: str) -> str:
    result = parse_date(text, now=datetime.fromisoformat(now))
    return "" if result is None else result.isoformat()


def test_case_table_is_big_and_varied() -> None:
    shapes: dict[str, int] = {}
    for shape, _text, _expected, _now in CASES:
        shapes[shape] = shapes.get(shape, 0) + 1
    assert len(CASES) >= 220
    assert sum(1 for case in CASES if not case[2]) >= 30
    assert min(shapes.values()) >= 3, {k: v for k, v in shapes.items() if v < 3}


@pytest.mark.parametrize(
    ("shape", "text", "expected", "now"),
    CASES,
    ids=[f"{i:03d}-{case[0]}" for i, case in enumerate(CASES)],
)
def test_parse_date_table(shape: str, text: str, expected: str, now: str) -> None:
    result = parse_date(text, now=datetime.fromisoformat(now))
    if not expected:
        assert result is None, f"{text!r} is not a date, got {result}"
        return
    assert result is not None, f"{text!r}: expected {expected}, got None"
    assert result.isoformat() == expected, text
    assert result.tzinfo is TZ


def test_accuracy_budget() -> None:
    """No wrong answer at all; None on at most 1% of the texts that hold a date."""
    wrong, missed, dated = [], [], 0
    for _shape, text, expected, now in CASES:
        got = _answer(text, now)
        if expected:
            dated += 1
        if got == expected:
            continue
        if got and got != expected:
            wrong.append((text, expected, got))
        else:
            missed.append((text, expected))
    assert not wrong, wrong
    assert len(missed) <= dated // 100, missed


# ---------------------------------------------------------------------------- opening phrase

AT_START = [
    (
        "Chiều 25/6/2024, tại phòng họp Trung tâm Văn hóa Nghệ thuật tỉnh",
        "2024-06-25T00:00:00+07:00",
    ),
    ("Sáng 12/1, đoàn công tác của tỉnh", "2024-01-12T00:00:00+07:00"),
    ("(Hà Nam) - Sáng 12/1, đoàn công tác", "2024-01-12T00:00:00+07:00"),
    ("Hà Nam, ngày 25/6/2024", "2024-06-25T00:00:00+07:00"),
    ("Hà Nam, ngày 25 tháng 6 năm 2024", "2024-06-25T00:00:00+07:00"),
    ("HÀ NAM - Chiều ngày 14/11, Sở Du lịch", "2024-11-14T00:00:00+07:00"),
    ("Ngày 14/11, UBND tỉnh tổ chức", "2024-11-14T00:00:00+07:00"),
    ("14 giờ 30 phút, ngày 25/6/2024, tại Phủ Lý", "2024-06-25T14:30:00+07:00"),
    ("Thứ ba - 25/06/2024 14:30", "2024-06-25T14:30:00+07:00"),
    ("Sáng nay (20/11), Sở Du lịch tổ chức hội nghị", "2024-11-20T00:00:00+07:00"),
    ("Hôm qua, Sở Du lịch tổ chức hội nghị", "2024-11-19T00:00:00+07:00"),
    ("Tại hội nghị, Quyết định 25/2024/QĐ-UBND ngày 12/3/2024 được công bố", ""),
    ("Kỷ niệm 134 năm thành lập tỉnh (20/10/1890), ngày 18/10/2024", ""),
    ("Trong 6 tháng đầu năm 2024, lượng khách tăng", ""),
    ("Mùng 10 tháng 3 âm lịch, lễ hội khai mạc", ""),
    ("Sáng 25/12/2030, lễ hội khai mạc", ""),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), AT_START)
def test_parse_date_at_start(text: str, expected: str) -> None:
    result = parse_date_at_start(text, now=NOW)
    assert ("" if result is None else result.isoformat()) == expected


# ---------------------------------------------------------------------------- properties

FRAGMENTS = [
    "25", "6", "06", "2024", "1890", "24", "12", "1", "31", "02", "14:30", "9:31:16", "14h30",
    "14g30", "/", "-", ".", " - ", ", ", " ", ":", "+07:00", "+0714:30:00", "Z", "T", "GMT+7",
    "(GMT+07:00)", "SA", "CH", "AM", "PM", "Sáng", "Chiều", "Tối", "Trưa", "Đêm", "ngày",
    "tháng", "thg", "năm", "Thứ ba", "Thứ 3", "T3", "CN", "Chủ nhật", "Tháng Sáu",
    "Tháng Mười Hai", "tháng Giêng", "giờ", "phút", "trước", "hôm nay", "hôm qua", "hôm kia",
    "vừa xong", "âm lịch", "mùng", "QĐ-UBND", "đồng", "Ngày đăng:", "Cập nhật lúc:", "Tue",
    "Jun", "lúc", "99999999", "0226.3852.701", "\u00a0", "\u200b", "\u0301", "(", ")",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(),
        st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join),
        st.lists(st.sampled_from(FRAGMENTS), max_size=8).map(" ".join),
    ),
    st.sampled_from(
        [NOW, datetime(2000, 1, 1, tzinfo=TZ), datetime(2025, 3, 1, 23, 59, tzinfo=TZ)]
    ),
)
def test_property_plausible_or_none(text: str, now: datetime) -> None:
    for func in (parse_date, parse_date_at_start):
        result = func(text, now=now)
        if result is not None:
            assert result.tzinfo is not None
            assert EARLIEST <= result <= now + timedelta(days=1), (text, result)
    decomposed = unicodedata.normalize("NFD", text)
    assert parse_date(decomposed, now=now) == parse_date(
        unicodedata.normalize("NFC", text), now=now
    )


# ---------------------------------------------------------------------------- last resort

FALLBACK = [
    ("2024-Jun-25", "2024-06-25T00:00:00+07:00"),
    ("25-Jun-24", "2024-06-25T00:00:00+07:00"),
    ("2030-Jun-25", ""),  # dateparser's answer is outside the window
]


@pytest.mark.parametrize(("text", "expected"), FALLBACK)
def test_dateparser_fallback(text: str, expected: str) -> None:
    """Shapes the fast path leaves alone go to dateparser, whose answer is window-checked."""
    result = parse_date(text, now=NOW)
    assert ("" if result is None else result.isoformat()) == expected
