"""Run one portal's crawl in this process and report its outcome.

``python -m crawler.run PORTAL [-a NAME=VALUE]… [-s NAME=VALUE]… [--profile loopback]
[--report FILE]``. A Twisted reactor cannot restart, so the ``tinmoi`` CLI starts one such
process per portal. The report is JSON; the exit code follows the README's table.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawler import shutdown
from crawler.settings import PROFILES

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_FAILING = 0, 1, 2, 3
_PREFIX = "downloader/exception_type_count/"


@dataclass
class CrawlReport:
    """What one crawl did: counts for the operator, and its verdict."""

    portal: str
    status: str
    message: str
    requests: int = 0
    listing_pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    held: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    #: Sections whose listing robots.txt forbids.
    forbidden: list[str] = field(default_factory=list)
    #: A failure that marks the portal failing at once (a listing with no articles at all),
    #: not only from its second failed crawl in a row.
    at_once: bool = False

    @property
    def exit_code(self) -> int:
        """0 ok, 1 nothing could be done, 3 finished but the portal looks broken."""
        codes = {"ok": EXIT_OK, "dead": EXIT_ERROR, "failing": EXIT_FAILING, "stopped": EXIT_OK}
        return codes[self.status]


#: A crawl is failing when more than this share of its articles lack a title, date or body.
BROKEN_SHARE = 0.5
#: …counted only from this many fetched articles on.
BROKEN_MIN = 3


def fetched_articles(stats: dict[str, Any]) -> int:
    """How many article pages a crawl fetched and extracted (stored, held or dropped for
    a missing title or body)."""
    names = ("new", "updated", "unchanged", "held")
    found = sum(int(stats.get(f"tinmoi/articles/{name}", 0)) for name in names)
    return found + sum(int(stats.get(f"tinmoi/dropped/{r}", 0)) for r in ("no_title", "no_body"))


def layout_changed(stats: dict[str, Any]) -> bool:
    """Most of a crawl's articles came back with most of their body gone (held): the
    portal's layout changed, not its editors' minds."""
    fetched = fetched_articles(stats)
    held = int(stats.get("tinmoi/articles/held", 0))
    return fetched >= BROKEN_MIN and held > BROKEN_SHARE * fetched


def judge(portal: str, target: str, stats: dict[str, Any]) -> CrawlReport:
    """Turn a crawl's stats into a :class:`CrawlReport`.

    Dead: no listing page could be fetched. Failing (the layout changed?): a section's
    first listing page came back with no entries, or with entries none of which links to
    an article, or a walk ended on a page linking to the next one without following it
    (not for ``--max-pages``, a time limit or a stop point), or most fetched articles lost their
    title, date or body, or most came back with a body drastically shorter than the
    archived one (held, not applied). A 304 is a listing that did not change, never a failure.
    Only a listing with no entries marks the portal failing at once (``at_once``); the
    archive's health (:meth:`~crawler.archive.Archive.record_health`) waits for a second
    failed crawl in a row for the rest.
    """
    pages = int(stats.get("tinmoi/listing/pages", 0))
    dropped = {
        key.removeprefix("tinmoi/dropped/"): int(value)
        for key, value in sorted(stats.items())
        if key.startswith("tinmoi/dropped/")
    }
    report = CrawlReport(
        portal=portal,
        status="ok",
        message="",
        requests=int(stats.get("downloader/request_count", 0)),
        listing_pages=pages,
        new=int(stats.get("tinmoi/articles/new", 0)),
        updated=int(stats.get("tinmoi/articles/updated", 0)),
        unchanged=int(stats.get("tinmoi/articles/unchanged", 0)),
        held=int(stats.get("tinmoi/articles/held", 0)),
        dropped=dropped,
        stats={k: v for k, v in stats.items() if isinstance(v, int | float | str)},
        forbidden=list(_per_section(stats, "forbidden")),
    )
    empty = list(_per_section(stats, "empty_section"))
    fetched = fetched_articles(stats)
    broken = int(stats.get("tinmoi/quality/broken", 0))
    reason = stats.get("finish_reason")
    if reason == "shutdown":
        report.status = "stopped"
        report.message = f"{portal}: stopped before it finished ({report.new} new)"
    elif pages == 0:
        report.status = "dead"
        report.message = f"{portal}: no listing page could be fetched from {target} ({_why(stats)})"
    elif failed := _per_section(stats, "failed_section"):
        report.status = "failing"
        listed = ", ".join(f"{slug} ({why})" for slug, why in failed.items())
        report.message = f"{portal}: the listing of {listed} could not be fetched"
    elif unlinked := _per_section(stats, "no_article_links"):
        report.status = "failing"
        listed = ", ".join(f"{slug} ({count} entries)" for slug, count in unlinked.items())
        report.message = (
            f"{portal}: the listing of {listed} links to no article the platform recognises "
            "(every link failed its article-URL test): is the article pattern right?"
        )
    elif unfollowed := _per_section(stats, "pager_not_followed"):
        report.status = "failing"
        listed = "; ".join(f"{slug}: {why}" for slug, why in unfollowed.items())
        report.message = (
            f"{portal}: a walk stopped before the listing's last page ({listed}, not followed): "
            "is next_page_selector right?"
        )
    elif empty:
        report.status = "failing"
        report.at_once = True
        report.message = (
            f"{portal}: the listing of {', '.join(empty)} holds no articles: "
            "has the layout changed?"
        )
    elif fetched >= BROKEN_MIN and broken > BROKEN_SHARE * fetched:
        report.status = "failing"
        report.message = (
            f"{portal}: {broken} of {fetched} articles lack a title, date or body: "
            "has the layout changed?"
        )
    elif layout_changed(stats):
        report.status = "failing"
        report.message = (
            f"{portal}: {report.held} of {fetched} articles came back with most of their "
            "body gone (held, not applied): has the layout changed?"
        )
    else:
        report.message = (
            f"{portal}: {report.new} new, {report.updated} updated, "
            f"{report.unchanged} unchanged, {sum(dropped.values())} dropped "
            f"({report.requests} requests)"
        )
        if report.held:
            report.message += f", {report.held} held (body much shorter than archived)"
        if reason == "closespider_timeout":
            report.message += ", stopped at its time limit"
    return report


def _per_section(stats: dict[str, Any], name: str) -> dict[str, Any]:
    """The values of a per-section listing stat (``tinmoi/listing/NAME/SLUG``), by slug,
    in slug order."""
    prefix = f"tinmoi/listing/{name}/"
    return {key.removeprefix(prefix): value for key, value in sorted(stats.items())
            if key.startswith(prefix)}  # fmt: skip


#: How download exceptions read in an operator's error line (by class-name fragment).
_ERROR_WORDS = (
    ("HostUnreachable", "not asked: host given up"),
    ("ConnectionRefused", "connection refused"),
    ("DNSLookup", "DNS lookup failed"),
    ("TimeoutError", "timed out"),
    ("TimedOut", "timed out"),
    ("ConnectionLost", "connection lost"),
    ("ResponseDataLoss", "connection closed mid-body"),
    ("ResponseFailed", "connection closed mid-body"),
    ("ResponseNeverReceived", "no response"),
    ("SSL", "TLS error"),
)


def _error_words(class_path: str) -> str:
    name = class_path.rsplit(".", 1)[-1]
    return next((words for part, words in _ERROR_WORDS if part in name), name)


def _why(stats: dict[str, Any]) -> str:
    errors: dict[str, int] = {}
    for key, count in stats.items():
        if key.startswith(_PREFIX):
            words = _error_words(key.removeprefix(_PREFIX))
            errors[words] = errors.get(words, 0) + int(count)
    statuses = {
        key.rsplit("/", 1)[-1]: count
        for key, count in stats.items()
        if key.startswith("downloader/response_status_count/") and not key.endswith("/200")
    }
    parts = [f"{words} x{count}" for words, count in sorted(errors.items())]
    parts += [f"HTTP {code} x{count}" for code, count in sorted(statuses.items())]
    if forbidden := int(stats.get("robotstxt/forbidden", 0)):
        parts.append(f"forbidden by robots.txt x{forbidden}")
    return ", ".join(parts) or "no response"


class GracefulProcess(CrawlerProcess):
    """A crawl process whose graceful stop survives repeated SIGTERMs.

    Under systemd both ``tinmoi run`` and its crawl get SIGTERM, and ``tinmoi run``
    passes it on too: Scrapy would take the second one as "force an unclean stop".
    Further SIGTERMs are ignored; a second Ctrl-C (SIGINT) still forces the stop.
    """

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        shutdown.request()  # waits before retries give up rather than hold the stop
        super()._signal_shutdown(signum, frame)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


def parse_pairs(values: list[str], flag: str) -> dict[str, str]:
    """``NAME=VALUE`` options as a dict (exits with a usage line on a malformed one)."""
    pairs = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name:
            raise SystemExit(f"{flag} takes NAME=VALUE, not {value!r}")
        pairs[name] = rest
    return pairs


def main(argv: list[str] | None = None) -> int:
    """Crawl one portal; print or write its report; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m crawler.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument("portal")
    parser.add_argument("-a", dest="args", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="polite")
    parser.add_argument("--report", type=Path, help="write the JSON report here")
    opts = parser.parse_args(argv)
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.setdict(PROFILES[opts.profile], priority="cmdline")
    settings.setdict(parse_pairs(opts.settings, "-s"), priority="cmdline")
    spider_args = parse_pairs(opts.args, "-a")
    process = GracefulProcess(settings)
    crawler = process.create_crawler(opts.portal)
    process.crawl(crawler, **spider_args)
    process.start()
    target = spider_args.get("base_url", "") or getattr(crawler.spidercls, "base_url", "")
    report = judge(opts.portal, target, crawler.stats.get_stats())
    text = json.dumps(asdict(report), ensure_ascii=False, default=str)
    if opts.report:
        opts.report.write_text(text, encoding="utf-8")
    else:
        print(text)
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
