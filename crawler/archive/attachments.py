"""Documents linked from articles: stored once by SHA-256, linked per article and URL."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Engine, select

from crawler.archive.changes import touch
from crawler.archive.schema import article_attachments, articles, attachments
from crawler.archive.search import reindex
from crawler.archive.types import no_nul

AttachmentResult = Literal["new", "known", "orphan"]


class AttachmentsMixin:
    """Methods of :class:`~crawler.archive.Archive` for the documents articles link to."""

    engine: Engine

    def add_attachment(
        self, article_key: str, url: str, content_type: str, body: bytes, text: str, now: datetime
    ) -> AttachmentResult:
        """Keep a document ``article_key`` links to at ``url``: its content once (by
        SHA-256), the link once per article and URL, its text in the article's search entry.

        "known" when the article already linked this very content there; "orphan" (nothing
        stored) when the archive does not hold the article.
        """
        digest = hashlib.sha256(body).hexdigest()
        with self.engine.begin() as conn:
            article = conn.execute(
                select(
                    articles.c.id, articles.c.portal, articles.c.title, articles.c.content_text
                ).where(articles.c.key == article_key)
            ).first()
            if article is None:
                return "orphan"
            stored = conn.execute(
                select(attachments.c.sha256).where(attachments.c.sha256 == digest)
            ).first()
            if stored is None:
                conn.execute(
                    attachments.insert().values(
                        sha256=digest,
                        content_type=content_type,
                        size=len(body),
                        content=body,
                        text=no_nul(text),
                        first_seen=now,
                    )
                )
            link = article_attachments.c
            old = conn.execute(
                select(link.sha256).where(link.key == article_key, link.url == url)
            ).first()
            if old is not None and old[0] == digest:
                return "known"
            if old is None:
                conn.execute(
                    article_attachments.insert().values(
                        key=article_key, url=url, sha256=digest, first_seen=now
                    )
                )
            else:  # the portal replaced the document at the same URL
                conn.execute(
                    article_attachments.update()
                    .where(link.key == article_key, link.url == url)
                    .values(sha256=digest)
                )
            reindex(conn, article.id, article_key, article.title, article.content_text)
            touch(conn, article.portal)
            return "new"

    def attachments_of(self, key: str) -> list[dict[str, Any]]:
        """The documents an article links to, by URL: url, sha256, content_type, size."""
        query = (
            select(
                article_attachments.c.url,
                attachments.c.sha256,
                attachments.c.content_type,
                attachments.c.size,
            )
            .join(attachments, attachments.c.sha256 == article_attachments.c.sha256)
            .where(article_attachments.c.key == key)
            .order_by(article_attachments.c.url)
        )
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def attachment(self, sha256: str) -> dict[str, Any] | None:
        """A stored document by its SHA-256: content_type, size, content, text."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(attachments).where(attachments.c.sha256 == sha256))
                .mappings()
                .first()
            )
        return dict(row) if row else None
