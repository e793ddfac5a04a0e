"""``scrapy crawl``, which Scrapyd runs for every job: the batch spider runs a host's
portals one after another (:mod:`tinmoi.scrapyd.batch`); any other spider crawls as ever."""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawl

from tinmoi.scrapyd import BATCH_SPIDER


class Command(ScrapyCrawl):
    """Scrapy's ``crawl``, plus the batch spider."""

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Crawl a batch of portals, or one spider."""
        if args and args[0] == BATCH_SPIDER:
            from tinmoi.scrapyd.batch import run_batch

            assert self.settings is not None
            self.exitcode = run_batch(self.settings, opts.spargs)
            return
        super().run(args, opts)
