"""The plausibility window: which datetimes may be an article's publication date.

Every date the package returns is aware, in Asia/Ho_Chi_Minh, and lies between
:data:`EARLIEST` and :func:`latest` ("now" plus :data:`FUTURE_TOLERANCE`); the date pipeline
refuses an article's date after :func:`latest` of the crawl's "now".  The scan, the chooser
(through the scan) and the pipeline all read the window from here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
"""Time zone of every returned datetime."""

EARLIEST = datetime(1995, 1, 1, tzinfo=TZ)
"""Earliest plausible publication date; older dates in a text are citations/anniversaries."""

FUTURE_TOLERANCE = timedelta(days=1)
"""How far after "now" a date may lie and still be a publication date."""

FAR_FUTURE = timedelta(days=50 * 366)
"""How far after "now" an absolute date is still reported as a future one (to be refused
openly); a date further ahead is a typo, read as no date at all."""


def anchor(now: datetime | None) -> datetime:
    """*now* in TZ (naive is read as TZ); the current time when None."""
    if now is None:
        return datetime.now(TZ)
    if now.tzinfo is TZ:
        return now
    if now.tzinfo is None:
        return now.replace(tzinfo=TZ)
    return now.astimezone(TZ)


def latest(now: datetime) -> datetime:
    """The latest plausible date when it is *now*."""
    return now + FUTURE_TOLERANCE
