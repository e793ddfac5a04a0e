"""Publication dates as Vietnamese provincial portals print them.

Built like htmldate, one concern per module:

- :mod:`.vocabulary`: the words (weekdays, month names, time-of-day words, relative units,
  labels) as plain tables;
- :mod:`.patterns`: the regular expressions, compiled once from small named pieces;
- :mod:`.clock`: numbers, clock times, UTC offsets and the datetimes they make;
- :mod:`.builders`: one builder per shape, match -> datetime;
- :mod:`.parse`: the scan over a text's candidates, dateparser as the last resort;
- :mod:`.window`: the plausibility window (:data:`EARLIEST`, :func:`latest`);
- :mod:`.choice`: an article's date from its candidates (:func:`dated`, :func:`url_date`).

Every returned datetime is aware, in Asia/Ho_Chi_Minh (UTC+7).  A date without a time is
00:00 local time.

The modules call the patterns through their module (``P.RUN_RE.search(s)``), and the hot
lookups in imported tables index them (``INT[ys] if ys in INT``) rather than call ``.get``:
CPython 3.11 compiles a method call on a name bound by an import into an attribute load that
builds a bound method at each call, a few percent of a parse (``bench/dates.py``).
"""

from crawler.dates.choice import ChosenDate, dated, url_date
from crawler.dates.parse import FoundDate, find_date, parse_date, parse_date_at_start
from crawler.dates.window import EARLIEST, FUTURE_TOLERANCE, TZ, latest

__all__ = [
    "EARLIEST",
    "FUTURE_TOLERANCE",
    "TZ",
    "ChosenDate",
    "FoundDate",
    "dated",
    "find_date",
    "latest",
    "parse_date",
    "parse_date_at_start",
    "url_date",
]
