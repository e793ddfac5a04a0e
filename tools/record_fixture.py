"""Record a page as an extraction fixture: ``python tools/record_fixture.py SPIDER URL FILE``.

Copies FILE (the page as fetched from public URL) into tests/fixtures/pages/SPIDER/ with
a JSON of its current extraction, marked unreviewed until a person checks it.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

from crawler.extract import extract_page, observed

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pages"
DEFAULT_ABSENT = ["Tin mới", "Tin liên quan", "Chào mừng", "Lượt xem", "Chia sẻ:"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spider")
    parser.add_argument("url")
    parser.add_argument("file", type=Path)
    parser.add_argument("--name", required=True, help="fixture name")
    parser.add_argument("--now", default="2024-11-20T10:00:00+07:00")
    parser.add_argument("--listing", default="{}", help="listing entry as JSON")
    args = parser.parse_args()
    spidercls = get_spider_loader(get_project_settings()).load(args.spider)
    listing = json.loads(args.listing)
    body = args.file.read_bytes()
    found = observed(extract_page(spidercls, args.url, body, listing, args.now))
    folder = FIXTURES / args.spider
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(args.file, folder / f"{args.name}.html")
    spec = {
        "spider": args.spider,
        "url": args.url,
        "now": args.now,
        "listing": listing,
        "reviewed": False,
        "expected": found,
        "absent": DEFAULT_ABSENT,
    }
    text = json.dumps(spec, ensure_ascii=False, indent=1) + "\n"
    (folder / f"{args.name}.json").write_text(text, encoding="utf-8")
    print(json.dumps(found, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
