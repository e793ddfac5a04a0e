"""Build benchmark: ``tinmoi build`` over 1,000 portals × 3 sections, 200,000 articles.

``python bench/build.py [--portals K]``: K portals of 200 articles each (median 6 KB of
HTML, 1 in 20 with an attachment, 1 in 50 sharing its time with another portal's). The
archive is generated once into ``var/bench/`` (bulk inserts through the archive's schema;
the search index is left empty, builds without saved searches never read it) and copied
for each run. Measured, each build in a fresh process: the first build, a rebuild after
50 portals got 3 new articles each (through ``Archive.upsert_article``), an unchanged
rebuild, and the peak memory (``ru_maxrss``) of the processes. Then every portal, section,
province and ``all`` feed is checked to have been written.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.archive import Archive, PortalInfo  # noqa: E402
from crawler.archive.schema import article_attachments, articles, attachments  # noqa: E402
from crawler.items import Article  # noqa: E402
from feeds.select import province_slug  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 1, 1, tzinfo=TZ)
PER_PORTAL = 200
SECTIONS = {"tin-tuc": "Tin tức", "su-kien": "Sự kiện", "thong-bao": "Thông báo"}
PROVINCES = [f"Tỉnh số {n}" for n in range(63)]
TARGETS = {"first": 90.0, "rebuild": 15.0, "unchanged": 10.0, "peak": 500.0}
VOCABULARY = (
    "du lịch Hà Nam chùa Tam Chúc lễ hội đền Trần Thương làng nghề gốm Quyết Thành trống "
    "Đọi Tam hội nghị tập huấn khách tham quan văn hóa di sản Kẽm Trống Ngũ Động Sơn sông "
    "Đáy ẩm thực cá kho Nhân Hậu chuối ngự Đại Hoàng homestay mùa xuân năm 2024 tỉnh"
)
WORDS = VOCABULARY.split()


def paragraphs(rng: random.Random) -> list[str]:
    """A pool of paragraphs (about 400 characters each) that bodies are made of."""
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 110))) for _ in range(400)]


def generate(path: Path, portals: int) -> None:
    """``portals`` portals of :data:`PER_PORTAL` articles, written in large transactions."""
    rng = random.Random(2025)
    pool = paragraphs(rng)
    with Archive.open(path, now=NOW) as archive:
        for p in range(portals):
            name = f"bench{p:04}"
            info = PortalInfo(name, f"Cổng {p}", PROVINCES[p % len(PROVINCES)], "vnpt",
                              f"https://{name}.vn", dict(SECTIONS))  # fmt: skip
            archive.upsert_portal(info, NOW)
        total = portals * PER_PORTAL
        with archive.engine.begin() as conn:
            for start in range(0, total, 2000):
                rows, links, documents = [], [], []
                for n in range(start, min(total, start + 2000)):
                    portal = f"bench{n % portals:04}"
                    # one in 50 shares its time with the article before it (another portal's)
                    when = NOW - timedelta(minutes=7 * (n - 1 if n % 50 == 1 else n))
                    # a long tail of sizes, median 6 KB
                    count = max(2, min(60, round(rng.lognormvariate(2.7, 0.5))))
                    body = [rng.choice(pool) for _ in range(count)]
                    html = "".join(f"<p>{text}</p>" for text in body)
                    title = " ".join(rng.choice(WORDS) for _ in range(10))
                    key = f"{portal}:news_{n}"
                    rows.append({
                        "key": key, "portal": portal, "section": list(SECTIONS)[n % 3],
                        "url": f"https://{portal}.vn/tin/{n}", "title": title,
                        "title_source": "page", "summary": body[0][:300], "content_html": html,
                        "content_text": "\n".join(body), "published": when, "date_source": "page",
                        "images": [f"https://{portal}.vn/anh/{n}.jpg"], "author": None,
                        "content_hash": f"{n:064x}", "list_position": n % 20, "first_seen": when,
                        "last_seen": when, "updated": when, "sort_time": when,
                    })  # fmt: skip
                    if n % 20 == 0:
                        digest = f"{n:064x}"
                        documents.append({"sha256": digest, "content_type": "application/pdf",
                                          "size": 4, "content": b"%PDF", "text": "",
                                          "first_seen": when})  # fmt: skip
                        links.append({"key": key, "url": f"https://{portal}.vn/files/{n}.pdf",
                                      "sha256": digest, "first_seen": when})  # fmt: skip
                conn.execute(articles.insert(), rows)
                if documents:
                    conn.execute(attachments.insert(), documents)
                    conn.execute(article_attachments.insert(), links)


def build_in_child(db: Path, out: Path) -> tuple[float, float, str]:
    """Seconds, peak RSS (MB) and summary line of ``tinmoi build`` in a fresh process."""
    code = (
        "import resource, sys, time; from tinmoi.cli import main; t = time.perf_counter(); "
        f"rc = main(['build', '--out', {str(out)!r}, '--db', {str(db)!r}]); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); "
        "sys.exit(rc)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT)  # fmt: skip
    *summary, figures = proc.stdout.strip().splitlines()
    seconds, peak_kb = figures.split()
    return float(seconds), int(peak_kb) / 1024, " ".join(summary)


def add_articles(db: Path, portals: int) -> None:
    """3 new articles in each of 50 portals, as a crawl writes them."""
    later = NOW + timedelta(hours=1)
    with Archive.open(db, now=later) as archive:
        for p in range(0, portals, max(1, portals // 50))[:50]:
            portal = f"bench{p:04}"
            for i in range(3):
                key = f"{portal}:new_{i}"
                archive.upsert_article(Article(
                    portal=portal, key=key, url=f"https://{portal}.vn/moi/{i}",
                    section=list(SECTIONS)[i], title=f"Tin mới {i} của {portal}",
                    title_source="page", published=later - timedelta(minutes=i),
                    date_source="page", content_html=f"<p>Tin mới {i}</p>",
                    content_text=f"Tin mới {i}", summary=f"Tin mới {i}", images=[], author=None,
                    content_hash=f"new{p}{i}", list_position=i,
                ), later)  # fmt: skip


def missing_feeds(out: Path, portals: int) -> list[str]:
    """Every portal, section, province and ``all`` feed not written in full."""
    paths = ["all"] + [f"tinh/{province_slug(p)}" for p in PROVINCES[:portals]]
    for p in range(portals):
        paths += [f"bench{p:04}"] + [f"bench{p:04}/{slug}" for slug in SECTIONS]
    names = ("rss.xml", "atom.xml", "feed.json", "index.html")
    return [path for path in paths if not all((out / path / name).is_file() for name in names)]


def main() -> None:
    """Generate (once), then measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=1000, help="how many portals (K)")
    args = parser.parse_args()
    cached = ROOT / "var" / "bench" / f"build-{args.portals}.sqlite3"
    if not cached.is_file():
        started = time.perf_counter()
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        for stale in partial.parent.glob(partial.name + "*"):
            stale.unlink()
        generate(partial, args.portals)
        partial.rename(cached)
        print(f"generated in {time.perf_counter() - started:.0f}s")
    size = cached.stat().st_size / 1e6
    print(f"archive: {args.portals} portals, {args.portals * PER_PORTAL} articles, {size:.0f} MB")
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        db, out = Path(tmp) / "bench.sqlite3", Path(tmp) / "public"
        shutil.copyfile(cached, db)
        figures["first"], peak_first, first = build_in_child(db, out)
        add_articles(db, args.portals)
        figures["rebuild"], peak_rebuild, rebuild = build_in_child(db, out)
        figures["unchanged"], peak_unchanged, unchanged = build_in_child(db, out)
        figures["peak"] = max(peak_first, peak_rebuild, peak_unchanged)
        missing = missing_feeds(out, args.portals)
    for name, summary in (("first", first), ("rebuild", rebuild), ("unchanged", unchanged)):
        print(f"{name:<10} {figures[name]:7.1f} s  (target ≤ {TARGETS[name]:.0f} s: "
              f"{'ok' if figures[name] <= TARGETS[name] else 'OVER'})  {summary}")  # fmt: skip
    print(f"peak       {figures['peak']:7.0f} MB (target ≤ {TARGETS['peak']:.0f} MB: "
          f"{'ok' if figures['peak'] <= TARGETS['peak'] else 'OVER'})")  # fmt: skip
    written = f"{len(missing)} missing: {missing[:5]}" if missing else "all written"
    print(f"feeds      {written}")
    print(json.dumps({"portals": args.portals} | {k: round(v, 1) for k, v in figures.items()}))
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
