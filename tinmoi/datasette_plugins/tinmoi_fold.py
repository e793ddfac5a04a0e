"""Datasette plugin: tinmoi's search folding as SQL functions, for ``tinmoi browse``."""

from datasette import hookimpl

from crawler.archive.search import fold, fts_query


@hookimpl
def prepare_connection(conn):  # datasette's hook signature
    """``tinmoi_fold(text)`` and ``tinmoi_fts(query)`` in every connection."""
    conn.create_function("tinmoi_fold", 1, fold, deterministic=True)
    conn.create_function("tinmoi_fts", 1, fts_query, deterministic=True)
