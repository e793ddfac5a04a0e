"""How many theme variants ``tinmoi add`` gets right with no hand edits:
``python -m tools.add_report [VARIANT ...]``.

For every variant of ``tests/fixtures/themes/`` (portals on every platform whose themes
differ from the defaults), served on loopback: ``tinmoi add HOME --name VARIANT --toml``
writes a definition from the home page alone (fetched through ``--base-url`` and
``--url-map``, as ``tinmoi check`` fetches); that definition and the one written by hand
(``portal.toml``) are each backfilled with ``tinmoi crawl``, and their archives compared
field by field (key, link, section, title, date, author, text, images, attachments).
A variant is right when ``add`` guessed its platform and the two archives are identical,
with the portal healthy. Prints one line per variant and the count; exits 0 when every
variant is right, 1 otherwise (and when ``tinmoi add`` does not exist).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.portal_files import PortalFileError, load_portal_file
from tinmoi.snapshot import SnapshotSite
from tools.theme_archive import (
    archived,
    crawl_many,
    differences,
    expected,
    health,
    map_args,
    tinmoi,
    variant_dirs,
)


@dataclass
class Attempt:
    """What ``tinmoi add`` made of one variant."""

    folder: Path
    exit_code: int
    written: Path | None
    platform: str = ""
    sections: int = 0
    problem: str = ""
    verdict: str = ""
    fields: list[str] = field(default_factory=list)
    #: One example per differing field: (key, what add's definition gave, the hand's).
    examples: list[tuple[str, str, Any, Any]] = field(default_factory=list)


def add_exists() -> bool:
    """Whether this ``tinmoi`` has the ``add`` command."""
    return tinmoi("add", "--help", timeout=60).returncode == 0


def attempt(folder: Path, out: Path, address: str) -> Attempt:
    """Run ``tinmoi add`` on the variant served on ``address``; what it wrote."""
    spec = expected(folder)
    name = spec["portal"]
    out.mkdir(parents=True, exist_ok=True)
    site = SnapshotSite(folder, {"main": address, "cdn": address}).start()
    try:
        proc = tinmoi(
            "add", spec["home"], "--name", name, "--toml", "--dir", str(out),
            "--base-url", site.base_url, *map_args(site), "--profile", "loopback",
        )  # fmt: skip
    finally:
        site.stop()
    written = out / f"{name}.toml"
    if not written.exists():
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return Attempt(folder, proc.returncode, None, problem=f"wrote nothing: {last}")
    found = Attempt(folder, proc.returncode, written)
    try:
        data = tomllib.loads(written.read_text(encoding="utf-8"))
        load_portal_file(written)
    except (tomllib.TOMLDecodeError, PortalFileError) as exc:
        found.problem = f"unloadable: {exc}"
        return found
    found.platform = str(data.get("platform", ""))
    found.sections = len(data.get("sections", []))
    return found


def judge(attempts: list[Attempt], work: Path) -> None:
    """Backfill every loadable definition ``add`` wrote and every hand-written one of the
    same variants; set each attempt's verdict."""
    usable = {a.folder: a.written for a in attempts if a.written and not a.problem}
    added = crawl_many(usable, work / "added.sqlite3") if usable else None  # type: ignore[arg-type]
    hand = crawl_many({a.folder: a.folder / "portal.toml" for a in attempts}, work / "hand.sqlite3")
    added_health = health(added.db) if added else {}
    for item in attempts:
        spec = expected(item.folder)
        if item.problem:
            item.verdict = item.problem
            continue
        assert added is not None
        name = spec["portal"]
        mine, theirs = archived(added.db, name), archived(hand.db, name)
        fields = differences(renamed_sections(mine, theirs), theirs)
        if "section" not in fields and differences(mine, theirs) != fields:
            fields.append("section slugs")
        if item.platform != spec["platform"]:
            fields.insert(0, "platform")
        status = added_health.get(name, ("not crawled", ""))[0]
        if status != "ok":
            fields.append(f"health {status}")
        item.fields = fields
        item.examples = examples(mine, theirs)
        item.verdict = "identical" if not fields else "differs: " + ", ".join(fields)


def examples(
    got: list[dict[str, Any]], want: list[dict[str, Any]]
) -> list[tuple[str, str, Any, Any]]:
    """The first article differing in each field: (field, key, got, wanted)."""
    theirs = {a["key"]: a for a in want}
    found: dict[str, tuple[str, str, Any, Any]] = {}
    for article in got:
        other = theirs.get(article["key"])
        for name, value in article.items():
            if other is not None and other[name] != value and name not in found:
                found[name] = (name, article["key"], value, other[name])
    mine = {a["key"] for a in got}
    for kind, keys in (("missing", theirs.keys() - mine), ("extra", mine - theirs.keys())):
        if keys:
            found[kind] = (kind, sorted(keys)[0], f"{len(keys)} articles", "")
    return list(found.values())


def renamed_sections(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``got`` with its section slugs renamed to ``want``'s when they name the same
    sections under other slugs (one slug for one), else ``got`` unchanged."""
    theirs = {a["key"]: a["section"] for a in want}
    pairs = {(a["section"], theirs[a["key"]]) for a in got if a["key"] in theirs}
    rename = dict(pairs)
    if len(rename) != len(pairs) or len(set(rename.values())) != len(rename):
        return got
    return [a | {"section": rename.get(a["section"], a["section"])} for a in got]


def report(attempts: list[Attempt], show: bool = False) -> int:
    """Print the table and the count; the number of variants ``add`` got right."""
    rows = [("variant", "platform", "guessed", "sections", "add exit", "verdict")]
    right = 0
    for item in attempts:
        spec = expected(item.folder)
        want = len(spec["sections"])
        found = f"{item.sections}/{want}" if item.written and not item.problem else f"-/{want}"
        rows.append((spec["portal"], spec["platform"], item.platform or "-", found,
                     str(item.exit_code), item.verdict))  # fmt: skip
        right += item.verdict == "identical"
    by_name = {expected(item.folder)["portal"]: item for item in attempts}
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)),
            row[-1],
        )
        shown = by_name.get(row[0])
        for name, key, got, want in shown.examples if (show and shown) else []:
            if name in ("missing", "extra"):
                print(f"    {name}: {got}, {key} the first")
            else:
                print(
                    f"    {name} of {key}: add gave {str(got)[:90]!r}, by hand {str(want)[:90]!r}"
                )
    print(f"\n{right} of {len(attempts)} right with no hand edits")
    slugs = sum(item.verdict == "differs: section slugs" for item in attempts)
    if slugs:
        print(f"{slugs} more right but for the section slugs it chose")
    return right


def main(argv: list[str] | None = None) -> int:
    """Run ``tinmoi add`` on every variant (or those named) and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variants", nargs="*", help="only these variants (default: all)")
    parser.add_argument("--jobs", type=int, default=3, help="variants added at once")
    parser.add_argument("--show", action="store_true", help="an example of every difference")
    args = parser.parse_args(argv)
    if not add_exists():
        print("tinmoi add does not exist in this tinmoi (merge the add command first)",
              file=sys.stderr)  # fmt: skip
        return 1
    folders = [f for f in variant_dirs() if not args.variants or f.name in args.variants]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            attempts = list(pool.map(
                lambda pair: attempt(pair[1], work / "added" / pair[1].name, f"127.0.0.{pair[0]}"),
                enumerate(folders, start=10),
            ))  # fmt: skip
        judge(attempts, work)
    right = report(attempts, args.show)
    return 0 if right == len(attempts) else 1


if __name__ == "__main__":
    sys.exit(main())
