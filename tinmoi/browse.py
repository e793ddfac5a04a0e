"""``tinmoi browse``: the SQLite archive in Datasette, with facets and Vietnamese search."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from crawler.archive.store import database_url
from crawler.errors import TinmoiError

PLUGINS = Path(__file__).resolve().parent / "datasette_plugins"
SEARCH_SQL = """
select a.key, a.title, a.portal, a.section, a.published, a.url,
       snippet(articles_fts, 1, '[', ']', '…', 24) as folded_snippet
from articles_fts join articles a on a.id = articles_fts.rowid
where articles_fts match tinmoi_fts(:q)
order by bm25(articles_fts, 5.0, 1.0), a.sort_time desc
limit 100
"""
MONTHS_SQL = """
select substr(sort_time, 1, 7) as month, portal, count(*) as articles
from articles group by month, portal order by month desc, portal
"""


class BrowseError(TinmoiError):
    """The archive cannot be browsed (not SQLite, or Datasette missing)."""


def metadata(name: str) -> dict:
    """Datasette metadata: titles, facets, hidden internals, canned queries."""
    return {
        "title": "tinmoi archive",
        "databases": {
            name: {
                "tables": {
                    "articles": {
                        "facets": ["portal", "section", "date_source"],
                        "sort_desc": "sort_time",
                        "label_column": "title",
                    },
                    "article_months": {
                        "facets": ["portal", "section", "month"],
                        "sort_desc": "published",
                        "label_column": "title",
                    },
                    "articles_fts": {"hidden": True},
                },
                "queries": {
                    "search": {
                        "title": "Tìm kiếm (không cần dấu)",
                        "sql": SEARCH_SQL.strip(),
                    },
                    "months": {"title": "Số tin theo tháng", "sql": MONTHS_SQL.strip()},
                },
            }
        },
    }


def command(db: str, host: str, port: int, folder: Path) -> list[str]:
    """The Datasette command line for ``db``."""
    url = database_url(db)
    if not url.startswith("sqlite:///"):
        raise BrowseError("browse opens SQLite archives; use a PostgreSQL client for PostgreSQL")
    path = Path(url.removeprefix("sqlite:///"))
    if not path.is_file():
        raise BrowseError(f"no archive at {path}")
    datasette = shutil.which("datasette", path=str(Path(sys.executable).parent)) or shutil.which(
        "datasette"
    )
    if datasette is None:
        raise BrowseError("browse needs Datasette: pip install 'tinmoi[browse]'")
    meta = folder / "metadata.json"
    meta.write_text(json.dumps(metadata(path.stem), ensure_ascii=False), encoding="utf-8")
    return [
        datasette, "serve", str(path), "--host", host, "--port", str(port),
        "--metadata", str(meta), "--plugins-dir", str(PLUGINS), "--setting", "sql_time_limit_ms",
        "3000",
    ]  # fmt: skip


def browse(db: str, host: str, port: int) -> int:
    """Run Datasette on the archive until interrupted (Ctrl-C) or told to stop (SIGTERM);
    either way Datasette stops too."""
    with tempfile.TemporaryDirectory(prefix="tinmoi-browse-") as tmp:
        cmd = command(db, host, port, Path(tmp))
        print(f"Browsing {cmd[2]} at http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
        proc = subprocess.Popen(cmd)
        previous = signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            proc.wait()
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
