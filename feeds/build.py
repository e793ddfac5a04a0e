"""Build every feed from the archive: per portal, section, province, and all portals.

Each feed folder gets ``rss.xml``, ``atom.xml``, ``feed.json`` and an ``index.html``
preview; the output root gets ``feeds.opml`` and ``index.html``. Every file is written
atomically and left untouched when its bytes have not changed; a feed whose inputs have
not changed since it was published is not even rendered (:mod:`feeds.inputs`). A build
never replaces feeds by emptier ones unless forced (see :mod:`feeds.write`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crawler.archive import Archive
from feeds.health import PATH as HEALTH_PATH
from feeds.health import render_health
from feeds.inputs import entry_inputs, fingerprint
from feeds.jsonfeed import render_json
from feeds.opml import render_opml
from feeds.pages import render_index, render_preview
from feeds.render import render_atom, render_rss
from feeds.select import feed_infos
from feeds.write import Publication

DEFAULT_LIMIT = 50
DEFAULT_SITE_URL = "http://127.0.0.1:8080"
FEED_FILES = ("rss.xml", "atom.xml", "feed.json", "index.html")
#: The operator feed's length: the newest health changes.
HEALTH_ITEMS = 50


def feed_limit(name: str, limit: int) -> int | None:
    """The item limit a file of a feed folder is checked against (None: not a feed)."""
    return None if name == "index.html" else limit


@dataclass(frozen=True)
class BuiltFeed:
    """One written feed folder: its files, item count and whether anything changed."""

    path: str
    files: tuple[Path, ...]
    items: int
    changed: bool


def build_feeds(
    archive: Archive,
    out: Path,
    *,
    limit: int = DEFAULT_LIMIT,
    site_url: str = DEFAULT_SITE_URL,
    searches: tuple[str, ...] = (),
    force: bool = False,
) -> list[BuiltFeed]:
    """Write every feed, the OPML list and the index pages under ``out``.

    Each saved search in ``searches`` gets a feed of its newest matches in ``tim/<slug>/``.
    Nothing is written (OutputError) when a feed would hold fewer items than the file it
    replaces (unless it holds ``limit``: a lowered limit) or a published feed would no
    longer be built, unless ``force`` is given: then the feeds no longer built are removed.
    """
    base = site_url.rstrip("/")
    infos = feed_infos(archive, limit, base, searches)
    built = []
    with Publication(out) as publication:
        for info in infos:
            inputs = fingerprint(info, map(entry_inputs, info.entries), base, limit)
            files = tuple(out / info.path / name for name in FEED_FILES)
            if all(publication.current(f"{info.path}/{name}", inputs) for name in FEED_FILES):
                built.append(BuiltFeed(info.path, files, len(info.entries), False))
                continue
            url = f"{base}/{info.path}"
            contents = {
                "rss.xml": render_rss(info, f"{url}/rss.xml"),
                "atom.xml": render_atom(info, f"{url}/atom.xml"),
                "feed.json": render_json(info, f"{url}/feed.json"),
            }
            contents["index.html"] = render_preview(info, base)
            changed = [
                publication.add(f"{info.path}/{name}", data, feed_limit(name, limit), inputs)
                for name, data in contents.items()
            ]
            built.append(BuiltFeed(info.path, files, len(info.entries), any(changed)))
        newest = max(info.updated for info in infos)
        publication.add("feeds.opml", render_opml(infos, base, newest))
        publication.add("index.html", render_index(infos, base))
        events = archive.health_events(HEALTH_ITEMS)
        publication.add(f"{HEALTH_PATH}/atom.xml", render_health(events, base), HEALTH_ITEMS)
        kept = {info.path for info in infos} | {HEALTH_PATH}
        publication.publish(kept, FEED_FILES, force=force)
    return built
