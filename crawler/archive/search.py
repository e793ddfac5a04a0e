"""Vietnamese full-text search over a folded copy of each article's text: SQLite FTS5, or
PostgreSQL full-text search (a ``tsvector`` per article, ``simple`` configuration,
``unaccent`` on top of the folding, a GIN index).

Folding maps every character to exactly one character (diacritics dropped, ``đ`` → ``d``,
lower case), so ``hòa`` and ``hoà`` are one word, ``du lich tam chuc`` finds
``Du lịch Tam Chúc``, and a match's offsets in the folded text are its offsets in the
original: snippets show the original words with their diacritics.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, select, text

from crawler.archive.schema import article_attachments, attachments
from crawler.archive.types import LOCAL_TZ

FTS_TABLE = "articles_fts"
_WORD_RE = re.compile(r"\w+")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def fold(value: str | None) -> str:
    """``value`` folded for search: same length, no diacritics, ``đ`` → ``d``, lower case."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value)
    if value.isascii():
        return value.lower()
    return "".join(_fold_char(c) for c in value)


def fts_query(query: str) -> str:
    """An FTS5 query matching every word of ``query`` (folded, quoted: no FTS syntax)."""
    return " ".join(f'"{word}"' for word in _WORD_RE.findall(fold(query)))


def create_index(conn: Connection) -> None:
    """The full-text index, filled from the archive."""
    if conn.dialect.name == "postgresql":
        # Folding is done in Python (``unaccent`` does not turn đ into d everywhere);
        # unaccent catches whatever folding leaves.
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
        conn.execute(
            text(
                f"CREATE TABLE {FTS_TABLE} (article_id INTEGER PRIMARY KEY, "
                "document TSVECTOR NOT NULL)"
            )
        )
        conn.execute(text(f"CREATE INDEX ix_{FTS_TABLE} ON {FTS_TABLE} USING GIN (document)"))
    else:
        conn.execute(
            text(
                f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
                "title, body, tokenize = 'unicode61 remove_diacritics 0')"
            )
        )
    rows = conn.execute(text("SELECT id, title, content_text FROM articles")).all()
    for article_id, title, body in rows:
        index_article(conn, article_id, title, body)


#: The title weighs more (A) than the body (B) in PostgreSQL's ranking.
_PG_DOCUMENT = (
    "setweight(to_tsvector('simple', unaccent(:title)), 'A') || "
    "setweight(to_tsvector('simple', unaccent(:body)), 'B')"
)


def index_article(conn: Connection, article_id: int, title: str, body: str) -> None:
    """(Re-)index one article, in the caller's transaction."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                f"INSERT INTO {FTS_TABLE} (article_id, document) VALUES (:id, {_PG_DOCUMENT}) "
                "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document"
            ),
            {"id": article_id, "title": fold(title), "body": fold(body)},
        )
        return
    conn.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": article_id})
    conn.execute(
        text(f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (:id, :title, :body)"),
        {"id": article_id, "title": fold(title), "body": fold(body)},
    )


@dataclass(frozen=True)
class Hit:
    """One search result: the article and a snippet of its original text."""

    key: str
    portal: str
    url: str
    title: str
    published: datetime | None
    snippet: str


def snippet(original: str, query: str, width: int = 160, mark: tuple[str, str] = ("[", "]")) -> str:
    """A window of ``original`` around the first match, the matched words marked."""
    folded = fold(original)
    words = _WORD_RE.findall(fold(query))
    spans = sorted(
        m.span() for word in words for m in re.finditer(rf"\b{re.escape(word)}\b", folded)
    )
    if not spans:
        return original[:width] + ("…" if len(original) > width else "")
    start = max(0, spans[0][0] - width // 3)
    end = min(len(original), start + width)
    pieces, cursor = [], start
    for begin, finish in spans:
        if begin < cursor or finish > end:
            continue
        pieces += [original[cursor:begin], mark[0], original[begin:finish], mark[1]]
        cursor = finish
    pieces.append(original[cursor:end])
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(original) else ""
    return prefix + "".join(pieces).replace("\n", " ") + suffix


#: Ranking scores every candidate: it is done over the most recently archived matches.
RANK_WINDOW = 5000


def _filters(
    portal: str | None, since: datetime | None, until: datetime | None, *, as_text: bool
) -> tuple[list[str], dict[str, Any]]:
    """SQL conditions (on ``articles a``) and parameters for a portal and a date range.

    SQLite keeps times as ISO 8601 text in +07:00 (``as_text``); PostgreSQL as timestamps.
    """
    where: list[str] = []
    params: dict[str, Any] = {}
    if portal:
        where.append("a.portal = :portal")
        params["portal"] = portal
    for name, value, operator in (("since", since, ">="), ("until", until, "<")):
        if value is not None:
            local = value.astimezone(LOCAL_TZ)
            where.append(f"a.sort_time {operator} :{name}")
            params[name] = local.isoformat(timespec="seconds") if as_text else local
    return where, params


def search_sqlite(
    conn: Connection,
    query: str,
    *,
    portal: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
) -> list[dict[str, Any]]:
    """Articles matching ``query``, best first (BM25, the title weighing more).

    Scoring every match of a common word ("du lịch") is slow on a large archive, so the
    ranking covers the :data:`RANK_WINDOW` most recently archived matches: FTS5 finds
    their lower rowid bound cheaply, then ranks only that range.
    """
    match = fts_query(query)
    if not match:
        return []
    where, params = _filters(portal, since, until, as_text=True)
    where.insert(0, f"{FTS_TABLE} MATCH :match")
    params |= {"match": match, "limit": limit, "window": RANK_WINDOW - 1}
    joined = f"FROM {FTS_TABLE} JOIN articles a ON a.id = {FTS_TABLE}.rowid"
    floor = conn.execute(
        text(
            f"SELECT {FTS_TABLE}.rowid {joined} WHERE {' AND '.join(where)} "
            f"ORDER BY {FTS_TABLE}.rowid DESC LIMIT 1 OFFSET :window"
        ),
        params,
    ).scalar()
    params["floor"] = floor or 0
    sql = (
        f"SELECT a.key, a.portal, a.url, a.title, a.published, a.content_text {joined} "
        f"WHERE {' AND '.join(where)} AND {FTS_TABLE}.rowid >= :floor "
        f"ORDER BY bm25({FTS_TABLE}, 5.0, 1.0), a.sort_time DESC LIMIT :limit"
    )
    return [dict(row) for row in conn.execute(text(sql), params).mappings()]


def search_postgres(
    conn: Connection,
    query: str,
    *,
    portal: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
) -> list[dict[str, Any]]:
    """Articles matching every word of ``query``, best first (``ts_rank_cd``, the title
    weighing more), ranked over the :data:`RANK_WINDOW` most recently archived matches."""
    words = " ".join(_WORD_RE.findall(fold(query)))
    if not words:
        return []
    where, params = _filters(portal, since, until, as_text=False)
    where.insert(0, "f.document @@ q.query")
    params |= {"words": words, "limit": limit, "window": RANK_WINDOW}
    sql = (
        "WITH q AS (SELECT plainto_tsquery('simple', unaccent(:words)) AS query), "
        f"m AS (SELECT f.article_id, ts_rank_cd(f.document, q.query) AS rank "
        f"FROM {FTS_TABLE} f JOIN articles a ON a.id = f.article_id, q "
        f"WHERE {' AND '.join(where)} ORDER BY f.article_id DESC LIMIT :window) "
        "SELECT a.key, a.portal, a.url, a.title, a.published, a.content_text "
        "FROM m JOIN articles a ON a.id = m.article_id "
        "ORDER BY m.rank DESC, a.sort_time DESC, a.id DESC LIMIT :limit"
    )
    return [dict(row) for row in conn.execute(text(sql), params).mappings()]


def reindex(conn: Any, article_id: int, key: str, title: str, body: str) -> None:
    """(Re-)index an article with the text of the documents it links to."""
    texts = conn.execute(
        select(attachments.c.text)
        .join(article_attachments, article_attachments.c.sha256 == attachments.c.sha256)
        .where(article_attachments.c.key == key, attachments.c.text != "")
        .order_by(article_attachments.c.url)
    ).scalars()
    index_article(conn, article_id, title, "\n".join([body, *texts]))
