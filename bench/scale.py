"""``tinmoi run`` over K generated portals, each on its own loopback address.

Usage: ``python bench/scale.py --portals K [--delay SECONDS] [--jobs N]``

The portals are copies of two bundled snapshots (VNPT tourism and generic), portal ``i``
served on ``127.0.x.y`` (Linux routes all of 127.0.0.0/8 to loopback, so Scrapy sees K
hosts). 2 % of the hosts refuse connections and 2 % answer only after 20 s. The real
``tinmoi run --config …`` runs twice, as a subprocess: a first run (every article new) and
an unchanged one. For each it prints the wall time, the requests the servers counted, the
articles archived out of those the healthy portals hold, the failing portals, the peak of
the summed memory of the ``tinmoi run`` process tree (sampled every 0.3 s; the servers are
in this process, not in that tree) and the ratio of the wall time to the ideal: the most
requests any one host needs times its delay. It exits 1 when a healthy portal fails or
misses an article.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from tinmoi.snapshot import SnapshotSite, snapshot_dir  # noqa: E402

NOW = "2025-08-01T09:00:00+07:00"
#: The snapshots copied, with their definition and the articles a backfill archives.
SOURCES = {
    "hanam_tourism": (ROOT / "tests" / "fixtures" / "portals" / "hanam_tourism.toml", 67),
    "cds_binhphuoc": (ROOT / "crawler" / "portals" / "cds_binhphuoc.toml", 11),
}
SLOW_SECONDS = 20


def definition(source: str) -> str:
    """The TOML of a source snapshot's portal."""
    return SOURCES[source][0].read_text(encoding="utf-8")


def tree_rss(pid: int) -> int:
    """The summed resident memory (bytes) of ``pid`` and its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            rss[int(entry.name)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
            children.setdefault(int(stat[1]), []).append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total


def run(cmd: list[str]) -> tuple[float, int, int]:
    """Wall seconds, exit code and peak tree memory of one ``tinmoi run``."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.3)
    proc.communicate()
    return time.monotonic() - started, proc.returncode, peak


@dataclass
class Field:
    """K generated portals: their servers, kinds and the articles the healthy ones hold."""

    work: Path
    sites: dict[str, SnapshotSite]
    kinds: dict[str, str]
    config: Path
    expected: int

    def stop(self) -> None:
        """Stop every server."""
        for site in self.sites.values():
            site.stop()


def generate(portals: int, work: Path, extra: str = "") -> Field:
    """Serve ``portals`` generated portals and write their definitions and ``tinmoi.toml``
    (``extra`` goes at its top) under ``work``."""
    (work / "portals").mkdir(parents=True)
    sites: dict[str, SnapshotSite] = {}
    kinds: dict[str, str] = {}
    lines = [extra, f'archive = "{work / "archive.sqlite3"}"', f'output = "{work / "public"}"']
    for index in range(portals):
        source = list(SOURCES)[index % len(SOURCES)]
        name = f"p{index:04d}"
        host = f"127.0.{index // 250 + 1}.{index % 250 + 2}"
        kind = "refused" if index % 50 == 7 else "slow" if index % 50 == 23 else "healthy"
        kinds[name] = kind
        (work / "portals" / f"{name}.toml").write_text(definition(source), encoding="utf-8")
        lines.append(f"[portal.{name}]")
        if kind == "refused":
            lines.append(f'base_url = "http://{host}:9"')
            continue
        site = SnapshotSite(snapshot_dir(source), {"main": host}).start()
        sites[name] = site
        if kind == "slow":  # robots.txt answers after 20 s, on each of both runs
            for _ in range(2):
                site.servers["main"].add_fault("/robots.txt", f"sleep:{SLOW_SECONDS}")
        urls = site.url_map()
        main_public = next(iter(urls))
        lines.append(f'base_url = "{urls[main_public]}"')
        lines.append(f"[portal.{name}.url_map]")
        lines += [f'"{public}" = "{fetch}"' for public, fetch in urls.items()]
    config = work / "tinmoi.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = sum(SOURCES[list(SOURCES)[i % 2]][1] for i, k in enumerate(kinds.values())
                   if k == "healthy")  # fmt: skip
    return Field(work, sites, kinds, config, expected)


def measure(field: Field, cmd: list[str], label: str, delay: float, db: str) -> tuple[str, bool]:
    """Run ``cmd`` once; its table row, and whether a healthy portal fell short."""
    before = {n: len(s.servers["main"].requests) for n, s in field.sites.items()}
    wall, code, peak = run(cmd)
    counts = {n: len(s.servers["main"].requests) - before[n] for n, s in field.sites.items()}
    engine = create_engine(db)
    with engine.connect() as conn:
        by_portal = "select portal, count(*) from articles group by 1"
        archived = {str(p): int(n) for p, n in conn.execute(text(by_portal)).all()}
        states = "select portal, status from portal_health"
        health = {str(p): str(s) for p, s in conn.execute(text(states)).all()}
    engine.dispose()
    healthy = [n for n, k in field.kinds.items() if k == "healthy"]
    got = sum(archived.get(n, 0) for n in healthy)
    failing = sorted(n for n, status in health.items() if status != "ok")
    bad = [n for n in failing if field.kinds[n] == "healthy"]
    ideal = max(counts.values(), default=0) * delay
    row = (
        f"| {label} | {wall:.1f} | {sum(counts.values())} | {got} of {field.expected} | "
        f"{len(failing)} | {peak / 2**20:.0f} | {ideal:.1f} | "
        f"{wall / ideal if ideal else 0:.2f} |"
    )
    return row, got < field.expected or bool(bad) or code not in (0, 3)


HEADER = (
    "| run | wall s | requests | articles | failing | peak MB | ideal s | ratio |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- |"
)


def main() -> int:
    """Generate, run twice, print the figures; 1 when a healthy portal fell short."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=10)
    parser.add_argument("--delay", type=float, default=2.0, help="seconds between requests")
    parser.add_argument("--jobs", type=int, default=0, help="tinmoi run --jobs (0: its default)")
    opts = parser.parse_args()
    field = generate(opts.portals, Path(tempfile.mkdtemp(prefix="tinmoi-scale-")))
    tinmoi = str(Path(sys.executable).parent / "tinmoi")
    cmd = [
        tinmoi, "run", "--config", str(field.config), "--portals", str(field.work / "portals"),
        "--now", NOW, "--set", f"DOWNLOAD_DELAY={opts.delay}",
        "--set", "RANDOMIZE_DOWNLOAD_DELAY=False",
        *(["--jobs", str(opts.jobs)] if opts.jobs else []),
        *field.kinds,
    ]  # fmt: skip
    print(f"K = {opts.portals} portals, delay {opts.delay}s, work in {field.work}")
    print(HEADER)
    short = False
    db = f"sqlite:///{field.work / 'archive.sqlite3'}"
    for label in ("first", "unchanged"):
        row, fell_short = measure(field, cmd, label, opts.delay, db)
        print(row, flush=True)
        short = short or fell_short
    field.stop()
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main())
