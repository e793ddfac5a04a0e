"""``tinmoi check``'s verdict on each section, from the listing pages it read
(:mod:`crawler.check_listings`): whether the first page has entries linking to articles,
and whether the walk goes on to a page 2 that lists articles page 1 did not; when not,
why, naming the selector or the option behind it."""

from __future__ import annotations

from typing import Any

from crawler.check_listings import DUPLICATE
from crawler.platforms.base import PortalSpider


def _value(value: Any) -> str:
    """An option's value as a portal file writes it."""
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(f'"{item}"' for item in value) + "]"
    return f'"{value}"'


def empty_problem(spider: PortalSpider) -> str:
    """Why a listing page has no entries, naming the selector that matched nothing."""
    if reason := spider.ignored_selectors.get("listing_entry_selector"):
        area = getattr(spider, "listing_area_selector", "")
        where = f" inside listing_area_selector {area!r}" if area else ""
        return f"0 entries: no link{where} is an article ({reason})"
    query = spider.listing_entry_selector
    if not query:
        return "0 entries: the portal sets no listing_entry_selector"
    return f"0 entries: listing_entry_selector {query!r} matched nothing"


def not_article_problem(spider: PortalSpider, rows: list[dict[str, Any]]) -> str:
    """Why none of a section's entries links to an article: the link selector matched
    nothing, or the links failed the platform's article-URL test (with an example and
    the options that govern that test)."""
    entries = sum(row["entries"] for row in rows)
    no_link = sum(row["no_link"] for row in rows)
    failed = sum(row["not_articles"] for row in rows)
    example = next((row["example"] for row in rows if row["example"]), None)
    parts = []
    if failed:
        why = f"e.g. {example}"
        if example and not spider.is_own_url(example):
            why += ", on a host the portal does not name in base_url or domain_aliases"
        options = ", ".join(
            f"{name} = {_value(getattr(spider, name))}" for name in spider.article_url_options
        )
        if options:
            verb = "decides" if len(spider.article_url_options) == 1 else "decide"
            why += f"; its option {options} {verb} which links are articles"
        parts.append(
            f"{failed} links failed the article-URL test of the {spider.platform} platform ({why})"
        )
    if no_link:
        parts.append(f"listing_link_selector {spider.listing_link_selector!r} matched nothing"
                     f" in {no_link} entries")  # fmt: skip
    return f"none of its {entries} entries links to an article: " + "; ".join(parts)


def _row(spider: PortalSpider, request: dict, page: dict | None, why: str | None) -> dict:
    """One line of a section's table: a listing request and what became of it."""
    row = dict(page or {}) | {
        "id": request["id"],
        "page": request["page"],
        "parent": request["parent"],
        "method": request["method"],
        "requested": spider.public_url(request["url"]),
    }
    row.setdefault("url", row["requested"])
    row.setdefault("entries", 0)
    row.setdefault("keys", [])
    status = row.get("status")
    if status == 200:
        row["reason"] = None
    elif why:
        row["reason"] = why
    elif status is not None:
        row["reason"] = f"HTTP {status}"
    else:
        row["reason"] = "not fetched"
    return row


def _how(row: dict[str, Any], following: dict[str, Any]) -> str:
    """How the pager found the page after ``row``."""
    pager = row.get("pager") or {}
    if following["method"] == "POST":
        return f"posted back by next_page_selector {pager.get('matched')!r}"
    if pager.get("href") and pager["href"] == following["requested"]:
        return f"found by next_page_selector {pager['matched']!r}"
    if pager.get("numbered") == following["requested"]:
        return "found by its number in a link"
    return "found by the platform's pager"


def _judge(spider: PortalSpider, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A section's verdict from its rows: the pages read, the fields' page, the problem."""
    children: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        if row["parent"] is not None:
            children.setdefault(row["parent"], []).append(row)
    for row in rows:
        kids = children.get(row["id"], [])
        row["index"] = len(kids) > 1 or (bool(kids) and not row["entries"] and row.get("xml"))
    first = [row for row in rows if row["page"] == 1]
    fetched = [row for row in first if row["reason"] is None]
    indexes = [row for row in fetched if row["index"]]
    if fetched and len(indexes) == len(fetched):
        fetched = [kid for row in indexes for kid in children[row["id"]] if kid["reason"] is None]
    judged: dict[str, Any] = {"pages": 0, "problem": None, "how": None, "pager_problem": False}
    judged["indexed"] = bool(indexes)
    judged["fields_of"] = next((r["id"] for r in fetched if r["entries"]), None) or next(
        (r["id"] for r in fetched), None
    )
    if not fetched:
        why = first[0]["reason"] if first else "never requested"
        judged["problem"] = f"page 1 could not be fetched ({why})"
    elif not any(row["entries"] for row in fetched):
        judged["problem"] = empty_problem(spider)
    elif not any(row["keys"] for row in fetched):
        judged["problem"] = not_article_problem(spider, fetched)
    elif indexes:
        judged["pages"] = len(fetched)
    else:
        judged |= _judge_pager(fetched[0], children.get(fetched[0]["id"], []))
        judged["pager_problem"] = bool(judged["problem"])
    return judged


def _judge_pager(first: dict[str, Any], following: list[dict[str, Any]]) -> dict[str, Any]:
    """Whether the walk goes on from page 1: page 2 found, fetched, and bringing keys."""
    if not following:
        pager = first.get("pager") or {}
        if numbered := pager.get("numbered"):
            chosen = ""
            if pager.get("href") and pager["href"] != numbered:
                chosen = f" (next_page_selector {pager['matched']!r} matched {pager['href']})"
            return {"problem": f"page 1 links to page 2 ({numbered}), which the pager did not"
                               f" follow{chosen}: the walk stops after page 1"}  # fmt: skip
        return {"pages": 1}
    second = following[0]
    how = _how(first, second)
    where = f"page 2 ({second['url']}, {how})"
    if second["reason"] is not None:
        problem = f"{where} could not be fetched ({second['reason']})"
    elif not second["entries"]:
        problem = f"{where} has no entries: the walk stops after page 1"
    elif not set(second["keys"]) - set(first["keys"]):
        problem = f"{where} lists no article page 1 did not: the walk stops after page 1"
    else:
        return {"pages": 2, "how": how}
    return {"problem": problem, "how": how}


def _public(row: dict[str, Any]) -> dict[str, Any]:
    """What the findings keep of a row: its page, URL, status (or why it has none), its
    entries, article links and new ones, and the entry selector's alternative that
    matched."""
    kept = {key: row.get(key) for key in ("page", "url", "status", "reason", "entries", "new")}
    hits = ((row.get("fields") or {}).get("entry") or {}).get("matched") or []
    return kept | {
        "articles": len(row["keys"]),
        "index": bool(row["index"]),
        "selector": hits[0][0] if hits else None,
    }


def sections_report(
    spider: PortalSpider,
    requested: list[dict[str, Any]],
    pages: dict[int, dict[str, Any]],
    why: dict[int, str],
) -> list[dict[str, Any]]:
    """Per section (the definition's order, then pseudo-sections such as a sitemap):
    every listing page requested, in request order, and the section's verdict."""
    order = [section.slug for section in spider.sections]
    seen = list(dict.fromkeys(request["section"] for request in requested))
    slugs = [slug for slug in order if slug in seen] + [slug for slug in seen if slug not in order]
    urls = {request["id"]: request["url"] for request in requested}
    read = {urls[number]: page for number, page in pages.items() if number in urls}
    report = []
    for slug in slugs:
        asked = [request for request in requested if request["section"] == slug]
        rows = []
        for request in asked:
            page = pages.get(request["id"])
            if page is None and why.get(request["id"]) == DUPLICATE:
                page = read.get(request["url"])
            rows.append(_row(spider, request, page, why.get(request["id"])))
        judged = _judge(spider, rows)
        earlier: set[str] = set()
        for row in rows:
            row["new"] = len(set(row["keys"]) - earlier)
            earlier |= set(row["keys"])
        fields = next((r for r in rows if r["id"] == judged["fields_of"]), {})
        report.append(
            {
                "slug": slug,
                "title": asked[0]["title"],
                "rows": [_public(row) for row in rows],
                "fields": fields.get("fields", {}),
                "pager": fields.get("pager", {}),
                "pages": judged["pages"],
                "how": judged["how"],
                "indexed": judged["indexed"],
                "problem": judged["problem"],
                "pager_problem": judged["pager_problem"],
            }
        )
    used = [entry["slug"] for entry in report if entry["slug"] not in order and entry["pages"]]
    for entry in report:
        if entry["slug"] not in order and not entry["pages"] and used:
            entry["fallback"] = f"not used: the platform read {', '.join(used)} instead"
            entry["problem"] = None
    return report
