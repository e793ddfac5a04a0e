"""The operator feed: an entry each time a portal starts failing, becomes unreachable or
recovers (one per change, never one per run).

It lives at ``_health/atom.xml``, apart from every subscriber's feed.
"""

from __future__ import annotations

from typing import Any

from feedgen.feed import FeedGenerator

from feeds.model import EPOCH, GENERATOR, GENERATOR_URI, ID_AUTHORITY

PATH = "_health"
#: An entry's title, after the portal's name, by the status the portal went to.
VERBS = {"ok": "recovered", "failing": "is failing", "unreachable": "is unreachable"}


def render_health(events: list[dict[str, Any]], site_url: str) -> bytes:
    """Atom feed of health changes, newest first."""
    fg = FeedGenerator()
    fg.id(f"{ID_AUTHORITY}feed/{PATH}")
    fg.title("tinmoi: tình trạng các cổng thông tin")
    fg.subtitle("Portals that started failing or recovered")
    fg.author(name="tinmoi")
    fg.language("en")
    fg.generator(GENERATOR, uri=GENERATOR_URI)
    fg.link(href=f"{site_url}/{PATH}/atom.xml", rel="self")
    fg.link(href=f"{site_url}/", rel="alternate")
    fg.updated(events[0]["at"] if events else EPOCH)
    for event in events:
        fe = fg.add_entry(order="append")
        fe.id(f"{ID_AUTHORITY}health/{event['id']}")
        verb = VERBS.get(event["status"], "is failing")
        fe.title(f"{event['portal']} {verb}")
        fe.content(event["reason"], type="text")
        fe.updated(event["at"])
        fe.link(href=f"{site_url}/", rel="alternate")
    return fg.atom_str(pretty=True)
