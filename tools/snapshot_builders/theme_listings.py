"""The listings of a theme variant: HTML listing pages (paged by links or by ASP.NET
postback), RSS/Atom feeds, or sitemaps with ``robots.txt``; and its home page."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from . import common
from .theme_dates import printed

FEED_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}


def state(name: str, section: str, page: int) -> str:
    """The ``__VIEWSTATE`` a postback-paged listing page is served with."""
    return "/wE" + hashlib.sha256(f"{name}/{section}/{page}".encode()).hexdigest()[:40]


def listings(variant: Any, out: Any, render: Callable[..., str]) -> list[str]:
    """Write the variant's listings and home page; the request targets a backfill must
    make (every section's last page, or its feed or sitemaps)."""
    v = variant.v
    latest = [variant.entry(a) for a in sorted(variant.arts, key=lambda a: a["when"], reverse=True)]
    home = render(variant, "listing", v["site"], section=None, entries=latest[:5], pager=[],
                  page=1, state=state(variant.name, "home", 1), action=variant.fill("home"))  # fmt: skip
    out.page(variant.fill("home"), "index.html", home)
    if v.get("latest"):  # an aggregate "Tin mới nhất" menu item: every section, one page
        html = render(variant, "listing", "Tin mới nhất", section=None, entries=latest, pager=[],
                      page=1, state=state(variant.name, "latest", 1), action=v["latest"])  # fmt: skip
        out.page(v["latest"], "listing/latest.html", html)
    if "section_page" in variant.urls:  # a site listed by feeds or sitemaps has HTML sections too
        for section in variant.sections:
            target = variant.urls["section_page"].format(cat=section["cat"])
            html = render(variant, "listing", section["title"], section=section, pager=[], page=1,
                          entries=[variant.entry(a) for a in variant.in_section(section)],
                          state=state(variant.name, section["slug"], 1), action=target)  # fmt: skip
            out.page(target, f"listing/{section['slug']}.html", html)
    if v["platform"] == "feed":
        return feeds(variant, out)
    if v["platform"] == "sitemap":
        return sitemaps(variant, out)
    requested = []
    for section in variant.sections:
        arts = variant.in_section(section)
        chunks = [arts[i : i + common_per_page(v)] for i in range(0, len(arts), common_per_page(v))]
        for page, chunk in enumerate(chunks, start=1):
            title = section["title"] + ("" if page == 1 else f" - Trang {page}")
            action = variant.list_url(section, 1)
            html = render(variant, "listing", title, section=section,
                          entries=[variant.entry(a) for a in chunk],
                          pager=variant.pager(section, page, len(chunks)), page=page,
                          state=state(variant.name, section["slug"], page), action=action)  # fmt: skip
            name = f"listing/{section['slug']}-{page}.html"
            if v["pager"].get("postback") and page > 1:
                previous = state(variant.name, section["slug"], page - 1)
                target = f"POST {action} Page${page}"
                out.page("/_postback" + name, name, html)  # written like a page, routed by POST
                route = out.hosts["main"].routes.pop("/_postback" + name)
                out.hosts["main"].route(target, {**route, "viewstate": previous})
            else:
                target = variant.list_url(section, page)
                out.page(target, name, html)
        requested.append(target)
    return requested


def common_per_page(v: dict[str, Any]) -> int:
    return int(v.get("per_page", 3))


def feeds(variant: Any, out: Any) -> list[str]:
    """One feed per section (RSS 2.0 or Atom, as the variant says)."""
    kind = variant.v.get("feed", "rss")
    requested = []
    for section in variant.sections:
        items = [
            variant.entry(a) | {"url": variant.base + variant.fill("article", a),
                                "date": printed(variant.v.get("listing_date"), a)}
            for a in variant.in_section(section)
        ]  # fmt: skip
        xml = common.render(f"themes/{kind}.xml.j2", v=variant.v, section=section, items=items,
                            self_url=variant.base + variant.list_url(section, 1))  # fmt: skip
        target = variant.list_url(section, 1)
        out.hosts["main"].add(target, f"feeds/{section['slug']}.xml", xml, FEED_TYPES[kind])
        requested.append(target)
    return requested


def sitemaps(variant: Any, out: Any) -> list[str]:
    """``robots.txt`` and the sitemaps it names (an index of one sitemap per section), or
    the default ``/sitemap.xml``, or none: then the home page's feed (``v["rss"]``)."""
    v, main = variant.v, out.hosts["main"]
    robots = "User-agent: *\nDisallow: /admin/\n"
    sitemap = v.get("sitemap")
    if sitemap is None:
        main.add("/robots.txt", "robots.txt", robots)
        return feeds_for_home(variant, out)
    if v.get("robots_sitemap", True):
        robots += f"Sitemap: {variant.base}{sitemap}\n"
    main.add("/robots.txt", "robots.txt", robots)
    children = []
    for section in variant.sections:
        urls = [
            {"loc": variant.base + variant.fill("article", a), "title": a["title"],
             "date": printed(v.get("listing_date") or "iso", a),
             "lastmod": a["when"].strftime("%Y-%m-%dT%H:%M:00+07:00")}
            for a in variant.in_section(section)
        ]  # fmt: skip
        path = variant.list_url(section, 1)
        xml = common.render(
            "themes/sitemap.xml.j2", v=v, urls=urls, news=bool(v.get("listing_date"))
        )
        main.add(path, f"sitemaps/{section['slug']}.xml", xml, "application/xml; charset=utf-8")
        children.append(path)
    index = common.render("themes/sitemap-index.xml.j2", base=variant.base, children=children)
    main.add(sitemap, "sitemaps/index.xml", index, "application/xml; charset=utf-8")
    return [sitemap, *children]


def feeds_for_home(variant: Any, out: Any) -> list[str]:
    """The one feed the home page links to, listing every article (no sitemap)."""
    section = {"slug": "all", "title": variant.v["site"], "cat": ""}
    items = [
        variant.entry(a) | {"url": variant.base + variant.fill("article", a),
                            "date": printed(variant.v.get("listing_date"), a)}
        for a in sorted(variant.arts, key=lambda a: a["when"], reverse=True)
    ]  # fmt: skip
    xml = common.render("themes/rss.xml.j2", v=variant.v, section=section, items=items,
                        self_url=variant.base + variant.v["rss"])  # fmt: skip
    out.hosts["main"].add(variant.v["rss"], "feeds/all.xml", xml, FEED_TYPES["rss"])
    return [variant.v["rss"]]
