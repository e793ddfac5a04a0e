"""Archive benchmark: a generated 100,000-article archive; export and search.

``python bench/archive.py [--articles N]``. Prints each export's time and the peak memory
of the process that ran it (each export runs in a fresh process, so peaks don't mix),
and the median latency of 100 searches, common words included. Targets: export memory
under 200 MB whatever the archive size; search median under 50 ms.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.archive import Archive  # noqa: E402
from crawler.archive.schema import articles  # noqa: E402
from crawler.archive.search import fold  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
VOCABULARY = (
    "du lịch Hà Nam chùa Tam Chúc lễ hội đền Trần Thương làng nghề gốm Quyết Thành trống "
    "Đọi Tam hội nghị tập huấn khách tham quan văn hóa di sản Kẽm Trống Ngũ Động Sơn sông "
    "Đáy ẩm thực cá kho Nhân Hậu chuối ngự Đại Hoàng homestay mùa xuân năm 2024 tỉnh"
)
WORDS = VOCABULARY.split()
QUERIES = ["du lich", "tam chuc", "le hoi", "ha nam", "den tran thuong", "gom quyet thanh",
           "trong doi tam", "van hoa", "khach", "nam"]  # fmt: skip


def generate(path: Path, count: int) -> None:
    """``count`` articles of Vietnamese-looking text, written in large transactions."""
    rng = random.Random(2024)
    now = datetime(2025, 1, 1, tzinfo=TZ)
    with Archive.open(path, now=now) as archive, archive.engine.begin() as conn:
        from crawler.archive.search import index_article

        for start in range(0, count, 2000):
            rows = []
            for n in range(start, min(count, start + 2000)):
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(80, 250)))
                title = " ".join(rng.choice(WORDS) for _ in range(10))
                when = now - timedelta(hours=n)
                rows.append({
                    "key": f"bench:news_{n}", "portal": f"bench{n % 5}", "section": "tin",
                    "url": f"https://bench.vn/vi/detailnews/?id=news_{n}", "title": title,
                    "title_source": "page", "summary": text[:300], "content_html": f"<p>{text}</p>",
                    "content_text": text, "published": when, "date_source": "page", "images": [],
                    "author": None, "content_hash": f"{n:064x}", "list_position": n,
                    "first_seen": now, "last_seen": now, "updated": now, "sort_time": when,
                })  # fmt: skip
            conn.execute(articles.insert(), rows)
            ids = conn.execute(
                articles.select().with_only_columns(articles.c.id, articles.c.key)
                .where(articles.c.key.in_([r["key"] for r in rows]))
            ).all()  # fmt: skip
            by_key = {r["key"]: r for r in rows}
            for article_id, key in ids:
                index_article(conn, article_id, by_key[key]["title"], by_key[key]["content_text"])


def export_in_child(db: Path, fmt: str, out: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of ``tinmoi export`` in a fresh process."""
    code = (
        "import resource, sys, time; from tinmoi.cli import main; t = time.perf_counter(); "
        f"rc = main(['export', '--format', '{fmt}', '-o', '{out}', '--db', '{db}']); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); "
        "sys.exit(rc)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=ROOT)  # fmt: skip
    seconds, peak_kb = proc.stdout.split()
    return float(seconds), int(peak_kb) / 1024


def main() -> None:
    """Generate, then measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        started = time.perf_counter()
        generate(db, args.articles)
        size = db.stat().st_size / 1e6
        print(f"archive: {args.articles} articles, {size:.0f} MB, "
              f"generated in {time.perf_counter() - started:.0f}s")  # fmt: skip
        for fmt in ("csv", "jsonl", "parquet"):
            seconds, peak = export_in_child(db, fmt, Path(tmp) / f"out.{fmt}")
            written = (Path(tmp) / f"out.{fmt}").stat().st_size / 1e6
            verdict = "ok" if peak < 200 else "OVER 200 MB"
            print(f"export {fmt:<8} {seconds:6.1f}s  {written:6.0f} MB written  "
                  f"peak memory {peak:5.0f} MB  ({verdict})")  # fmt: skip
        with Archive.open(db, now=datetime.now(TZ)) as archive:
            for query in QUERIES:  # warm-up
                archive.search(query)
            timings = []
            for i in range(100):
                query = QUERIES[i % len(QUERIES)]
                start = time.perf_counter()
                archive.search(query, limit=20)
                timings.append((time.perf_counter() - start) * 1000)
        median = statistics.median(timings)
        print(f"search   median {median:.1f} ms, p90 "
              f"{statistics.quantiles(timings, n=10)[-1]:.1f} ms over 100 queries "
              f"({'ok' if median < 50 else 'OVER 50 ms'}; e.g. {fold(QUERIES[0])!r})")  # fmt: skip
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"(bench process peak memory {peak} MB)")


if __name__ == "__main__":
    main()
