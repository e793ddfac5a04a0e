"""The few polite requests ``tinmoi add`` makes: tinmoi's User-Agent, robots.txt obeyed,
a pause between requests, a ceiling on how many, and the same ``--base-url`` /
``--url-map`` machinery as ``tinmoi check`` (pages fetched elsewhere keep their public
URLs)."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse, XmlResponse

from crawler import settings
from crawler.urls import OriginMap, origin

#: Requests one ``tinmoi add`` makes at most (home, robots.txt, sections, their page 2,
#: feeds, sitemaps, a few articles).
MAX_REQUESTS = 60
#: Seconds between two requests (``--profile loopback``: none).
POLITE_DELAY = 1.0


@dataclass
class Fetched:
    """One answer: its public URL, status, headers (lower-case names) and bytes."""

    url: str
    fetch_url: str
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def ok(self) -> bool:
        """A 200 with a body."""
        return self.status == 200 and bool(self.body)

    @property
    def content_type(self) -> str:
        """The Content-Type header, lower case."""
        return self.headers.get("content-type", "").lower()

    def response(self) -> TextResponse:
        """The answer as a Scrapy response at its fetch URL (what a spider reads)."""
        kind = XmlResponse if "xml" in self.content_type else HtmlResponse
        headers = {"Content-Type": self.headers.get("content-type", "text/html")}
        request = Request(self.fetch_url)
        return kind(url=self.fetch_url, body=self.body, headers=headers, request=request)

    def text(self) -> str:
        """The body decoded as a browser would."""
        return self.response().text


@dataclass
class Fetcher:
    """GET public URLs through an origin map, politely; every request is counted."""

    url_map: OriginMap
    delay: float = POLITE_DELAY
    limit: int = MAX_REQUESTS
    requests: int = 0
    refused: list[str] = field(default_factory=list)
    _robots: dict[str, tuple[RobotFileParser, str]] = field(default_factory=dict)
    _last: float = 0.0
    _cache: dict[str, Fetched | None] = field(default_factory=dict)

    def robots(self, url: str) -> tuple[RobotFileParser, str]:
        """The robots.txt of ``url``'s origin (parsed, and its text), read once."""
        public = origin(url)
        if public not in self._robots:
            parser = RobotFileParser()
            answer = self._get(public + "/robots.txt")
            text = answer.body.decode("utf-8", "replace") if answer and answer.ok else ""
            parser.parse(text.splitlines())
            self._robots[public] = (parser, text)
        return self._robots[public]

    def sitemaps(self, url: str) -> list[str]:
        """The ``Sitemap:`` lines of ``url``'s robots.txt."""
        _, text = self.robots(url)
        found = []
        for line in text.splitlines():
            name, _, value = line.partition(":")
            if name.strip().lower() == "sitemap" and value.strip():
                found.append(value.strip())
        return found

    def get(self, url: str) -> Fetched | None:
        """``url`` (public) once, robots.txt permitting; None when refused, over the
        request ceiling or unreachable. Answers are remembered."""
        if url in self._cache:
            return self._cache[url]
        parser, _ = self.robots(url)
        if not parser.can_fetch(settings.USER_AGENT, url):
            self.refused.append(url)
            self._cache[url] = None
            return None
        self._cache[url] = self._get(url)
        return self._cache[url]

    def _get(self, url: str) -> Fetched | None:
        if self.requests >= self.limit:
            return None
        wait = self._last + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.requests += 1
        target = self.url_map.to_fetch(url)
        request = urllib.request.Request(target, headers={"User-Agent": settings.USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                final = answer.geturl()
                found = Fetched(
                    self.url_map.to_public(final), final, answer.status,
                    _headers(answer.headers), answer.read(),
                )  # fmt: skip
        except urllib.error.HTTPError as exc:
            found = Fetched(url, target, exc.code, _headers(exc.headers), exc.read())
        except (OSError, ValueError):
            found = None
        self._last = time.monotonic()
        return found


def _headers(message: object) -> dict[str, str]:
    """Response headers with lower-case names (repeated ones joined by newlines)."""
    found: dict[str, str] = {}
    for name, value in getattr(message, "items", lambda: [])():
        key = name.lower()
        found[key] = f"{found[key]}\n{value}" if key in found else value
    return found


def same_site(url: str, hosts: set[str]) -> bool:
    """An http(s) URL on one of ``hosts``."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and (parts.hostname or "").lower() in hosts
