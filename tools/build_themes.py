"""Render the theme variants: ``python -m tools.build_themes [VARIANT ...]``.

Each ``tools/theme_variants/<platform>.json`` lists that platform's variants (data: URLs,
class names, listing markup, dates, pager); ``tools/snapshot_builders/themes.py`` renders
each into ``tests/fixtures/themes/<variant>/`` (pages, ``routes.json`` per host,
``site.json``, ``expected.json``) beside the ``portal.toml`` written for it by hand. The
output is committed; ``tests/test_theme_variants.py`` fails when the two differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tools.snapshot_builders import themes

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ROOT / "tools" / "theme_variants"
OUT = ROOT / "tests" / "fixtures" / "themes"


def variants(folder: Path = VARIANTS) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """Every variant as (platform, where its texts start in the article pool, its data);
    the start follows from its name alone, so adding a variant changes no other."""
    for path in sorted(folder.glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        for data in spec["variants"]:
            offset = int(hashlib.sha256(data["name"].encode()).hexdigest()[:8], 16)
            yield spec["platform"], offset, data


def main() -> None:
    """Render every variant (or those named)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="fixtures folder")
    parser.add_argument("names", nargs="*", help="only these variants (default: all)")
    args = parser.parse_args()
    for platform, offset, data in variants():
        if args.names and data["name"] not in args.names:
            continue
        site = themes.build(data, platform, offset, args.out)
        print(f"{data['name']} ({platform}): {site['articles']} articles")


if __name__ == "__main__":
    main()
