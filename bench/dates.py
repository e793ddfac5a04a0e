"""Benchmark crawler.dates.parse_date against plain dateparser over tests/date_cases.json.

    python bench/dates.py [--rounds 7] [--min-seconds 0.3]

Both parsers run over the same corpus in this process, after one warm-up pass, with no
result caching across calls.  Each is timed as a plain loop that calls it directly on every
string (no wrapper function per string, whose cost would be counted as the parser's).  The
two are timed in alternating rounds, so that a change of machine load hits both alike; the
figures are medians over the rounds.  Prints strings/s for both, their ratio, and the
accuracy of both (exactly right / wrong / None).

dateparser is timed exactly as ``dateparser.parse(s, languages=["vi"])``; for its accuracy
it is called again (untimed) with ``RELATIVE_BASE`` pinned to each row's ``now``, so that
relative forms are judged fairly, and its naive answers are read as Asia/Ho_Chi_Minh time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import dateparser  # noqa: E402

from crawler.dates import TZ, parse_date  # noqa: E402

CASES_FILE = ROOT / "tests" / "date_cases.json"
DEFAULT_NOW = "2024-11-20T10:00:00+07:00"


def load_cases() -> list[tuple[str, str, str, datetime]]:
    """(shape, text, expected ISO or "", now) for every row of the case table; ``now`` is
    converted to TZ once, as a crawler holding the time of its run would."""
    rows = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    return [
        (shape, text, expected, datetime.fromisoformat(now or DEFAULT_NOW).astimezone(TZ))
        for shape, text, expected, now in rows
    ]


def rate(one_pass: Callable[[], object], size: int, min_seconds: float) -> float:
    """Strings per second of ``one_pass`` (one parse of each of *size* strings), repeated for
    at least min_seconds."""
    done = 0
    start = time.perf_counter()
    while True:
        one_pass()
        done += size
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return done / elapsed


def score(answers: list[str], cases: list) -> tuple[float, float, float]:
    """Shares of (exactly right, wrong, None) answers."""
    right = wrong = none = 0
    for got, (_shape, _text, expected, _now) in zip(answers, cases, strict=True):
        if got == expected:
            right += 1
        elif got:
            wrong += 1
        else:
            none += 1
    n = len(cases)
    return right / n, wrong / n, none / n


def iso(value: datetime | None) -> str:
    return "" if value is None else value.isoformat()


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--min-seconds", type=float, default=0.3, help="per parser and round")
    args = parser.parse_args()

    cases = load_cases()
    fast_corpus = [(text, now) for _shape, text, _expected, now in cases]
    texts = [text for _shape, text, _expected, _now in cases]

    def fast() -> None:
        for text, now in fast_corpus:
            parse_date(text, now=now)

    def plain() -> None:
        for text in texts:
            dateparser.parse(text, languages=["vi"])

    # Warm-up: imports, dateparser's language data, code paths.
    fast()
    plain()

    fast_rates, plain_rates, ratios = [], [], []
    for _ in range(args.rounds):
        fast_rates.append(rate(fast, len(fast_corpus), args.min_seconds))
        plain_rates.append(rate(plain, len(texts), args.min_seconds))
        ratios.append(fast_rates[-1] / plain_rates[-1])
    fast_rate = statistics.median(fast_rates)
    plain_rate = statistics.median(plain_rates)

    fast_answers = [iso(parse_date(text, now=now)) for _s, text, _e, now in cases]
    plain_answers = []
    for _shape, text, _expected, now in cases:
        base = now.astimezone(TZ).replace(tzinfo=None)
        value = dateparser.parse(text, languages=["vi"], settings={"RELATIVE_BASE": base})
        if value is not None:
            value = value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)
        plain_answers.append(iso(value))

    dated = sum(1 for case in cases if case[2])
    print(f"corpus: {len(cases)} strings ({dated} with a date, {len(cases) - dated} without)")
    print(f"parse_date:          {fast_rate:12,.0f} strings/s  ({1e6 / fast_rate:8.1f} us/string)")
    print(
        f"dateparser(['vi']):  {plain_rate:12,.0f} strings/s  ({1e6 / plain_rate:8.1f} us/string)"
    )
    print(
        f"ratio:               {statistics.median(ratios):12,.1f}x"
        f"  (median of {args.rounds} rounds; min {min(ratios):.1f}x, max {max(ratios):.1f}x)"
    )
    for name, answers in (("parse_date", fast_answers), ("dateparser", plain_answers)):
        right, wrong, none = score(answers, cases)
        print(f"accuracy {name:11} right {right:6.1%}   wrong {wrong:6.1%}   None {none:6.1%}")


if __name__ == "__main__":
    main()
