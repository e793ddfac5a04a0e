"""Render the offline portal snapshots: ``python -m tools.build_snapshots [PORTAL ...]``.

Each content file ``tools/snapshot_content/<portal>.json`` names its ``platform``; the
builder ``tools/snapshot_builders/<platform>.py`` renders it through the platform's
templates (``tools/snapshots/<platform>/``) into ``tinmoi/snapshots/<portal>/`` (pages,
``routes.json`` per host, ``site.json``) and writes what a backfill crawl must give to
``tests/fixtures/expected/<portal>.json``. The output is committed; ``make snapshots``
runs this, and ``tests/test_snapshot_build.py`` fails when the two differ.
"""

from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "tools" / "snapshot_content"
OUT = ROOT / "tinmoi" / "snapshots"
EXPECTED = ROOT / "tests" / "fixtures" / "expected"


def build(path: Path, out: Path = OUT, expected: Path = EXPECTED) -> dict:
    """Render the snapshot of content file ``path``; its ``site.json`` as a dict."""
    content = json.loads(path.read_text(encoding="utf-8"))
    builder = importlib.import_module(f"tools.snapshot_builders.{content['platform']}")
    return builder.build(content, out, expected)


def main() -> None:
    """Render every snapshot (or those named) from the content folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=CONTENT, help="content JSON folder")
    parser.add_argument("--out", type=Path, default=OUT, help="snapshots folder")
    parser.add_argument("--expected", type=Path, default=EXPECTED, help="expectations folder")
    parser.add_argument("portals", nargs="*", help="only these portals (default: all)")
    args = parser.parse_args()
    for path in sorted(args.content.glob("*.json")):
        if args.portals and path.stem not in args.portals:
            continue
        site = build(path, args.out, args.expected)
        print(f"{path.stem}: {site['articles']} articles -> {args.out / path.stem}")


if __name__ == "__main__":
    main()
