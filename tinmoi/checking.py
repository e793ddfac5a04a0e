"""``tinmoi check``: run a portal's selectors on its listings, section by section, and a few
articles."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, TextIO

from crawler.check import MIN_BODY, verdict
from crawler.errors import TinmoiError


class CheckError(TinmoiError):
    """The check could not run at all (its crawl died)."""


def run_check(
    portal: str,
    spider_args: dict[str, str],
    *,
    profile: str = "polite",
    articles: int = 3,
    now: str | None = None,
) -> dict[str, Any]:
    """Run ``python -m crawler.check`` for ``portal`` and return its findings."""
    with tempfile.TemporaryDirectory(prefix="tinmoi-check-") as tmp:
        out = Path(tmp) / "check.json"
        cmd = [sys.executable, "-m", "crawler.check", portal, "--profile", profile]
        cmd += ["--articles", str(articles), "--out", str(out)]
        cmd += ["--now", now] if now else []
        for name, value in spider_args.items():
            cmd += ["-a", f"{name}={value}"]
        env = os.environ | {"SCRAPY_SETTINGS_MODULE": "crawler.settings"}
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if not out.exists():
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise CheckError(f"{portal}: the check crawl failed: {last}")
        return json.loads(out.read_text(encoding="utf-8"))


def _mark(ok: bool) -> str:
    return "ok  " if ok else "MISS"


def _via(field: dict[str, str | None]) -> str:
    """``[the selector that matched]``, or what was tried in vain."""
    if field["matched"]:
        return f"[{field['matched']}]"
    return f"[nothing matched {field['query']}]" if field["query"] else "[no selector]"


def _field_line(label: str, field: dict[str, Any]) -> str:
    """One listing field: the selector alternatives that matched, or the one that did not."""
    if "ignored" in field:
        return f"    {label:<6} n/a  {field['ignored']}"
    if not field["query"]:
        return f"    {label:<6} --   no selector"
    if field["of"] == 0:
        return f"    {label:<6} --   {field['query']} (no entries to read)"
    if not field["matched"]:
        where = f" in {field['of']} entries" if field["of"] else ""
        return f"    {label:<6} MISS nothing matched {field['query']}{where}"
    hits = ", ".join(
        alternative if field["of"] is None else f"{alternative} ({count} of {field['of']})"
        for alternative, count in field["matched"]
    )
    return f"    {label:<6} ok   {hits}"


def _pager_line(section: dict[str, Any]) -> str:
    """How the walk goes on from page 1, or why it stops there."""
    pager = section["pager"]
    if section["indexed"]:
        return f"    pager  ok   {section['pages']} listings of an index"
    if section["pager_problem"]:
        return f"    pager  FAIL {section['problem']}"
    if not pager.get("query") or (section["how"] and "next_page_selector" in section["how"]):
        note = ""
    elif not pager.get("matched"):
        note = f"; next_page_selector {pager['query']} matched nothing"
    else:
        note = f"; next_page_selector {pager['matched']} matched {pager['href']}, not a page"
    if section["pages"] == 2:
        return f"    pager  ok   page 2 {section['how']}{note}"
    return f"    pager  ok   1 page (no link to page 2{note})"


def print_section(section: dict[str, Any], stream: TextIO) -> None:
    """A section's table: its pages (entries, article links, new ones), then the selector
    behind each listing field and how its pager reached page 2."""
    pages = section["pages"]
    state = f"{pages} page{'s' if pages > 1 else ''}" if pages else "FAILED"
    state = section.get("fallback") or state
    print(f"\n  section {section['slug']} ({section['title']}): {state}", file=stream)
    print("    page  entries  articles  new  url", file=stream)
    for row in section["rows"]:
        if row["reason"] is None:
            counts = f"{row['entries']:>7}  {row['articles']:>8}  {row['new']:>3}"
            print(f"    {row['page']:>4}  {counts}  {row['url']}", file=stream)
        else:
            counts = f"{'-':>7}  {'-':>8}  {'-':>3}"
            why = f"  ({row['reason']})"
            print(f"    {row['page']:>4}  {counts}  {row['url']}{why}", file=stream)
    for label, field in section["fields"].items():
        print(_field_line(label, field), file=stream)
    if section["pages"] or section["pager_problem"]:
        print(_pager_line(section), file=stream)
    elif section["problem"]:
        print(f"    FAIL   {section['problem']}", file=stream)


def print_check(found: dict[str, Any], stream: TextIO) -> bool:
    """Print the findings per field with the selector that matched; True when all is well."""
    print(f"{found['portal']} [{found['platform']}]  ({found['requests']} requests)", file=stream)
    if not found["sections"]:
        print("\n  no listing page could be fetched", file=stream)
    for section in found["sections"]:
        print_section(section, stream)
    for number, article in enumerate(found["articles"], start=1):
        fields = article["selectors"]
        print(f"\n  article {number}: {article['url']}", file=stream)
        if article["dropped"]:
            print(f"    DROPPED  {article['dropped']}", file=stream)
        title = article["title"] or ""
        source = article["title_source"]
        via = _via(fields["title"]) if source == "page" else f"from {source}"
        print(f"    title   {_mark(bool(title))} {title!r}  {via}", file=stream)
        source = article["date_source"] or "none"
        date_field = {"page": fields["date"], "meta": fields["meta date"]}.get(source)
        relative = " (relative)" if article["date_relative"] else ""
        when = article["published"] or "no date"
        if date_field is None and fields["date"]["query"] and not fields["date"]["matched"]:
            date_field = fields["date"]  # say the page's date selector found nothing
        print(
            f"    date    {_mark(bool(article['published']))} {when}{relative}"
            f"  from {source}" + (f" {_via(date_field)}" if date_field else ""),
            file=stream,
        )
        chars = article["body_chars"]
        print(
            f"    body    {_mark(chars >= MIN_BODY)} {chars} characters, "
            f"{article['images']} images  {_via(fields['body'])}",
            file=stream,
        )
        if article["author"]:
            print(f"    author  ok   {article['author']!r}  {_via(fields['author'])}", file=stream)
        chrome = ", ".join(article["chrome"])
        state = f"LEAK {chrome}" if chrome else "ok   none leaked"
        print(f"    chrome  {state}", file=stream)
    ok, problems = verdict(found)
    if ok:
        count = len(found["articles"])
        print(f"\nverdict: OK ({count} articles with title, date and body; no chrome)", file=stream)
    else:
        print("\nverdict: BROKEN", file=stream)
        for problem in problems:
            print(f"  - {problem}", file=stream)
    return ok
