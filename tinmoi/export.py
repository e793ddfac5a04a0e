"""``tinmoi export``: the archive as CSV, JSON Lines or Parquet, streamed in constant memory."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from crawler.archive import ArchivedArticle
from crawler.errors import TinmoiError

#: Exported columns, in order (the README documents them).
COLUMNS = (
    "key", "portal", "section", "url", "title", "title_source", "published", "date_source",
    "author", "summary", "content_text", "content_html", "images", "content_hash",
    "first_seen", "last_seen", "updated", "removed", "attachments",
)  # fmt: skip
_TIMES = ("published", "first_seen", "last_seen", "updated", "removed")
BATCH = 500


class ExportError(TinmoiError):
    """An export that cannot be written (missing pyarrow, unwritable file)."""


#: The documents an article links to, by its key (``Archive.attachments_of``).
Attachments = Callable[[str], list[dict[str, Any]]]


def _none(_key: str) -> list[dict[str, Any]]:
    return []


def _row(article: ArchivedArticle, attachments: Attachments) -> dict[str, Any]:
    row = {name: getattr(article, name) for name in COLUMNS if name != "attachments"}
    return row | {"attachments": attachments(article.key)}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@contextmanager
def _atomic(path: Path, mode: str, **kwargs: Any) -> Iterator[IO[Any]]:
    """A file written beside ``path`` and renamed over it only when complete."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with open(fd, mode, **kwargs) as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv(
    articles: Iterable[ArchivedArticle], path: Path, attachments: Attachments = _none
) -> int:
    """CSV in UTF-8 with a BOM (spreadsheets then show Vietnamese right); images and
    attachment URLs space-separated."""
    count = 0
    with _atomic(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for article in articles:
            row = _row(article, attachments)
            row["images"] = " ".join(row["images"])
            row["attachments"] = " ".join(a["url"] for a in row["attachments"])
            for name in _TIMES:
                row[name] = _iso(row[name]) or ""
            writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
            count += 1
    return count


def write_jsonl(
    articles: Iterable[ArchivedArticle], path: Path, attachments: Attachments = _none
) -> int:
    """One JSON object a line, real characters (no ``\\u`` escapes), ISO 8601 times."""
    count = 0
    with _atomic(path, "w", encoding="utf-8") as handle:
        for article in articles:
            row = _row(article, attachments)
            for name in _TIMES:
                row[name] = _iso(row[name])
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def write_parquet(
    articles: Iterable[ArchivedArticle], path: Path, attachments: Attachments = _none
) -> int:
    """Parquet with timestamp types (UTC instants, +07:00 as the zone), written in batches."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ExportError("Parquet needs pyarrow: pip install 'tinmoi[parquet]'") from None
    timestamp = pa.timestamp("ms", tz="Asia/Ho_Chi_Minh")  # Parquet has no seconds unit
    document = pa.struct(
        [
            ("url", pa.string()),
            ("sha256", pa.string()),
            ("content_type", pa.string()),
            ("size", pa.int64()),
        ]
    )
    types: dict[str, pa.DataType] = {name: timestamp for name in _TIMES} | {
        "images": pa.list_(pa.string()),
        "attachments": pa.list_(document),
    }
    schema = pa.schema([(name, types.get(name, pa.string())) for name in COLUMNS])
    count = 0
    with _atomic(path, "wb") as handle, pq.ParquetWriter(handle, schema) as writer:
        batch: list[dict[str, Any]] = []
        for article in articles:
            batch.append(_row(article, attachments))
            if len(batch) == BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or not count:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


WRITERS: dict[str, Callable[[Iterable[ArchivedArticle], Path, Attachments], int]] = {
    "csv": write_csv,
    "jsonl": write_jsonl,
    "parquet": write_parquet,
}


def export(
    articles: Iterable[ArchivedArticle], fmt: str, path: Path, attachments: Attachments = _none
) -> int:
    """Write ``articles`` to ``path`` in ``fmt`` (``attachments`` gives the documents each
    links to); return how many were written."""
    try:
        return WRITERS[fmt](articles, path, attachments)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
