"""An article: its request, its page's fields, the one date chosen, and its failures."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.dates import parse_date
from crawler.dates import url_date as path_date
from crawler.items import Article, Dropped, Removed
from crawler.platforms.documents import DocumentsSpider, drop_reason
from crawler.platforms.fields import DateCandidate, PageFields, choose_date
from crawler.platforms.records import ListingEntry
from crawler.text import byline, clean_line, clean_text


class ArticlesSpider(DocumentsSpider):
    """Fetches articles, reads each page into :class:`PageFields` and yields the article."""

    def article_request(self, listed: ListingEntry, revisit: bool = False) -> scrapy.Request:
        """The request for an article a listing (or the archive, for a revisit) names.

        Articles of a section's first listing page are fetched before those of its second,
        and so on (the priority falls with the page): the newest come first, and a walk
        cut by the time limit has its first pages' articles archived, so it resumes deep.
        """
        listed_date = parse_date(listed.date_text, now=self.now) if listed.date_text else None
        if listed_date is not None:
            listed_date = listed_date.replace(microsecond=0)
        modified = parse_date(listed.modified_text, now=self.now) if listed.modified_text else None
        return scrapy.Request(
            self.urls.to_fetch(listed.url),
            callback=self.parse_article,
            errback=self.article_failed,
            cb_kwargs={"listed": listed},
            priority=-(listed.position // 1000),
            meta={
                "tinmoi_kind": "revisit" if revisit else "article",
                "tinmoi_key": listed.key,
                "tinmoi_listed_date": listed_date,
                "tinmoi_listed_modified": modified,
            },
        )

    def revisit_request(
        self, url: str, key: str, section: str, title: str, position: int | None
    ) -> scrapy.Request:
        """A request for an archived article, to catch edits and takedowns."""
        self._seen_keys.add(key)
        listed = ListingEntry(url, key, section, title, "", position or 0)
        return self.article_request(listed, revisit=True)

    def retry_request(self, listed: dict[str, Any]) -> scrapy.Request:
        """A request for an article an earlier crawl dropped for a passing reason, with
        the listing entry it was found under (kept in the archive)."""
        entry = ListingEntry(**listed)
        self._seen_keys.add(entry.key)
        return self.article_request(entry)

    def parse_article(self, response: Response, listed: ListingEntry) -> Iterator[Any]:
        """Extract one article; what the page lacks comes from its listing entry. A page
        that is not text (a file served at an article's address) is dropped, to be asked
        again later."""
        if not isinstance(response, TextResponse):
            kind = (response.headers.get("Content-Type") or b"").decode("latin-1")
            detail = f"answered {kind or 'no Content-Type'}"
            self.crawler.stats.inc_value("tinmoi/dropped/not_html")
            self.logger.warning("%s: not html: %s (%s)", self.name, listed.url, detail)
            yield Dropped(self.name, listed.url, "not html", detail, listed.key, asdict(listed))
            return
        url, key = self.canonical_url(response, listed), listed.key
        fields = self.post_process_fields(self.page_fields(response, listed), response)
        body = fields.content_html()
        candidates: list[DateCandidate] = [*fields.dates, (self.lead_text(body), "lead")]
        if url_date := self.url_date(url):
            candidates.append((url_date, "url"))
        date = choose_date(candidates, listed.date_text, self.now, feed=self.feed_dates)
        documents = self.attachment_urls(response, body, fields.attachments)
        yield Article(
            portal=self.name,
            key=key,
            url=url,
            section=listed.section,
            title=fields.title,
            title_source=fields.title_source,
            published=date.value,
            date_source=date.source,
            date_relative=date.relative,
            content_html=body,
            author=byline(fields.author) or None,
            list_position=listed.position,
            documents=documents,
        )
        for attachment in documents:
            if attachment not in self._seen_attachments:
                yield self.document_request(attachment, key)

    def page_fields(self, response: TextResponse, listed: ListingEntry) -> PageFields:
        """The article page's fields, read in one pass with the selector attributes.

        Platforms that read a page otherwise override this (calling it for what they keep).
        """
        title, title_source = self.page_title(response, listed)
        dates: list[DateCandidate] = [
            (text, "meta") for text in self.select(response, self.meta_date_selector).getall()
        ]
        dates.append((self.selected_text(response, self.date_selector), "page"))
        return PageFields(
            title=title,
            title_source=title_source,
            dates=dates,
            body=self.select(response, self.body_selector).get(""),
            author=self.selected_text(response, self.author_selector) or None,
        )

    def post_process_fields(self, fields: PageFields, response: TextResponse) -> PageFields:
        """The one hook a portal may override: adjust the page's fields (unchanged here)."""
        return fields

    def article_failed(self, failure: Failure) -> Iterator[Dropped | Removed]:
        """An article request that failed for good is recorded, never silently lost.

        An archived article that now answers 404 or 410 was taken down: it is marked
        removed, not dropped.
        """
        request = failure.request  # type: ignore[attr-defined]
        listed: ListingEntry = request.cb_kwargs["listed"]
        response = getattr(failure.value, "response", None)
        known = request.meta.get("tinmoi_kind") == "revisit" or request.meta.get("tinmoi_known")
        if response is not None and response.status in (404, 410) and known:
            self.crawler.stats.inc_value("tinmoi/articles/removed")
            self.logger.warning("%s: taken down (%s): %s", self.name, response.status, listed.url)
            yield Removed(self.name, listed.key, listed.url, response.status)
            return
        reason = drop_reason(failure)
        detail = failure.getErrorMessage()
        self.crawler.stats.inc_value(f"tinmoi/dropped/{reason.replace(' ', '_')}")
        self.logger.warning("%s: %s: %s (%s)", self.name, reason, listed.url, detail)
        yield Dropped(self.name, listed.url, reason, detail, listed.key, asdict(listed))

    def canonical_url(self, response: TextResponse, listed: ListingEntry) -> str:
        """The article's public URL: the page's own canonical link when it names the same
        article, else the URL it was fetched from (public form), else the listing's link."""
        for href in self.select(response, self.canonical_selector).getall():
            url = self.public_url(response.urljoin(href.strip()))
            if self.is_own_url(url) and self.article_key(url) == listed.key:
                return url
        url = self.public_url(response.url)
        return url if self.article_key(url) == listed.key else listed.url

    def page_title(self, response: TextResponse, listed: ListingEntry) -> tuple[str | None, str]:
        """The page's title, else its ``og:title``, else the listing entry's title."""
        title = self.selected_text(response, self.title_selector)
        if title:
            return title, "page"
        meta = clean_line(response.css('meta[property="og:title"]::attr(content)').get())
        if meta:
            return meta, "meta"
        if listed.title:
            return listed.title, "listing"
        return None, "none"

    @staticmethod
    def url_date(url: str) -> datetime | None:
        """A date in the URL path (``/2024-4-25/``, ``/2024/06/25/``), or None."""
        return path_date(url)

    @staticmethod
    def lead_text(body: str) -> str:
        """The first paragraph's text of an article body."""
        selector = scrapy.Selector(text=body or "<p></p>")
        for paragraph in selector.css("p, div"):
            text = clean_text(" ".join(paragraph.css("::text").getall()))
            if text:
                return text
        return ""
