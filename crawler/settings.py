"""Scrapy settings for tinmoi: only what differs from Scrapy's defaults.

The defaults are polite to small government servers. ``LOOPBACK_PROFILE`` is the
explicit profile for offline snapshots on 127.0.0.1 (demo and tests).
"""

from typing import Any

BOT_NAME = "tinmoi"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
# Python portals from SPIDER_MODULES, plus portals defined in TOML files.
SPIDER_LOADER_CLASS = "crawler.spiderloader.PortalSpiderLoader"

USER_AGENT = "tinmoi/0.1 (+https://github.com/tinmoi/tinmoi; news feed aggregator)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 2.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19 would open a code-executing HTTP server (and write a job file) per crawl:
# a thousand of them in a worker holding a thousand portals.
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
# Our archive pipeline logs one line per dropped item; Scrapy would log the whole item.
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

SPIDER_MIDDLEWARES = {
    "crawler.middlewares.incremental.IncrementalMiddleware": 950,
    # Closest to the spider, in crawl workers only: whose code runs, what memory it took.
    "crawler.middlewares.watch.WatchMiddleware": 1000,
}
DOWNLOADER_MIDDLEWARES = {
    # First: a request waits for its host's earlier crawls (the run's host ledger).
    "crawler.middlewares.politeness.PolitenessMiddleware": 50,
    # Scrapy's own lets requests through unchecked while robots.txt downloads (see module).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.RobotsTxtMiddleware": 100,
    # Scrapy's retries go out at once; ours back off exponentially.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.backoff.BackoffRetryMiddleware": 550,
    # Response order runs from the highest number down: redirects are checked before
    # Scrapy's RedirectMiddleware (600), Retry-After before its RetryMiddleware (550).
    "crawler.middlewares.redirects.PortalRedirectMiddleware": 650,
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 560,
    # Exceptions run from the highest number down: an unreachable host is marked before
    # the retry middleware (550) schedules a retry, which it then refuses.
    "crawler.middlewares.unreachable.UnreachableHostMiddleware": 610,
    "crawler.middlewares.conditional.ConditionalGetMiddleware": 580,
    # After HttpCompressionMiddleware (590) has decompressed the body.
    "crawler.middlewares.charset.CharsetMiddleware": 570,
    # Next to the downloader: raw bodies, before decompression.
    "crawler.middlewares.warc.WarcMiddleware": 990,
}

EXTENSIONS = {
    "crawler.extensions.progress.ProgressFile": 500,
    "crawler.extensions.received.ReceivedBytes": 500,
}

ITEM_PIPELINES = {
    "crawler.pipelines.normalize.NormalizePipeline": 100,
    "crawler.pipelines.sanitize.SanitizePipeline": 200,
    "crawler.pipelines.dates.DatePipeline": 300,
    "crawler.pipelines.validate.ValidatePipeline": 400,
    "crawler.pipelines.archive.ArchivePipeline": 900,
}

# tinmoi's own settings.
#: Archive URL (SQLAlchemy URL or a path to a SQLite file).
TINMOI_DB = "var/tinmoi.sqlite3"
#: The crawl's "now" as an ISO 8601 string; empty means the real current time.
TINMOI_NOW = ""
#: "incremental" stops a section at the first page with nothing new; "backfill" walks all.
TINMOI_MODE = "incremental"
#: Fetch every listed article again, archived or not.
TINMOI_REFRESH = False
#: Articles younger than this are revisited (edits, takedowns)…
TINMOI_REVISIT_AGE_HOURS = 72
#: …at most this often.
TINMOI_REVISIT_EVERY_HOURS = 6
#: Where the crawl writes its running counts for the CLI's progress display (off if empty).
TINMOI_PROGRESS_FILE = ""
#: Retry n waits TINMOI_RETRY_BACKOFF * 2**(n-1) seconds, at most TINMOI_RETRY_BACKOFF_MAX.
TINMOI_RETRY_BACKOFF = 2.0
TINMOI_RETRY_BACKOFF_MAX = 60.0
#: Write every raw response as WARC 1.1 records into this folder (off if empty).
TINMOI_WARC_DIR = ""
#: The run's host ledger (a folder): when each download slot may next be asked, kept
#: across the run's crawls (off if empty; see crawler/middlewares/politeness.py).
TINMOI_HOST_LEDGER = ""
#: Host names put in one download slot, ``host=key,…`` (``[limits] politeness = "ip"``).
TINMOI_SLOTS = ""
#: The longest ``Retry-After`` honoured, in seconds (longer ones wait this long).
TINMOI_RETRY_AFTER_MAX = 120

#: Settings for snapshots served on loopback: no delay, short timeouts.
LOOPBACK_PROFILE: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_TIMEOUT": 5,
    "RETRY_TIMES": 1,
    "TINMOI_RETRY_BACKOFF": 0.05,
}

PROFILES: dict[str, dict[str, Any]] = {"polite": {}, "loopback": LOOPBACK_PROFILE}
#: Documents linked from articles (PDF, DOC/DOCX, XLS/XLSX) larger than this are not kept.
TINMOI_ATTACHMENT_MAXSIZE = 20 * 1024 * 1024
#: Sitemaps nest at most this many levels (a root index, an index it lists, its sitemaps)…
TINMOI_SITEMAP_DEPTH = 3
#: …and a portal reads at most this many sitemaps in one crawl.
TINMOI_SITEMAP_MAX = 500
