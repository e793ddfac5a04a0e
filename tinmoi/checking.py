"""``tinmoi check``: run a portal's selectors on one listing page and a few articles."""

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


def print_check(found: dict[str, Any], stream: TextIO) -> bool:
    """Print the findings per field with the selector that matched; True when all is well."""
    print(f"{found['portal']} [{found['platform']}]  ({found['requests']} requests)", file=stream)
    if not found["listings"]:
        print("  listing: no listing page could be fetched", file=stream)
    for listing in found["listings"]:
        via = f"  [{listing['selector']}]" if listing["selector"] else ""
        print(f"  listing {listing['url']}: {listing['entries']} entries{via}", file=stream)
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
