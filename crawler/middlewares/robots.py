"""robots.txt, obeyed for every request, including those that wait for its download.

Scrapy 2.19's ``RobotsTxtMiddleware`` has all requests that arrive while robots.txt is
downloading await one Deferred through ``maybe_deferred_to_future``; the first waiter's
callback returns None, so every later waiter gets no parser and is let through
unchecked (scrapy/scrapy#6802 made the change). After the wait, the parser is in the
middleware's own table: read it from there.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares import robotstxt
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class RobotsTxtMiddleware(robotstxt.RobotsTxtMiddleware):
    """Scrapy's middleware, with every waiting request checked against the parser."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        """The parsed robots.txt of the request's host (None if it could not be fetched)."""
        parser = await super().robot_parser(request)
        if parser is None:
            stored = self._parsers.get(urlparse_cached(request).netloc)
            if not isinstance(stored, Deferred):
                return stored
        return parser
