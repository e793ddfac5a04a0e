"""Record a saved page as an extraction fixture: ``python tools/record_fixture.py SPIDER URL FILE``.

Copies FILE (the page as fetched from public URL) into tests/fixtures/pages/SPIDER/ with
a JSON of its current extraction, marked unreviewed until a person checks it. ``tinmoi
record`` does the same and fetches the page itself.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tinmoi.portals import spider_class
from tinmoi.recording import DEFAULT_NOW, Page, save_fixture

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pages"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spider")
    parser.add_argument("url")
    parser.add_argument("file", type=Path)
    parser.add_argument("--name", required=True, help="fixture name")
    parser.add_argument("--now", default=DEFAULT_NOW)
    parser.add_argument("--listing", default="{}", help="listing entry as JSON")
    parser.add_argument("--encoding", help="the charset the server declared, if any")
    args = parser.parse_args()
    spidercls = spider_class(args.spider)
    page = Page(args.file.read_bytes(), args.encoding)
    _, found = save_fixture(
        FIXTURES / args.spider,
        spidercls,
        args.url,
        page,
        name=args.name,
        listing=json.loads(args.listing),
        now=args.now,
    )
    print(json.dumps(found, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
