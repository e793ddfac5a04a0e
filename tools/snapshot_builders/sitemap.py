"""Snapshots of portals discovered through sitemaps, or through the home page's feed link.

``content["style"]``: ``sitemap-index`` (robots.txt names ``/sitemap.xml``, a
``<sitemapindex>`` whose children are yearly ``<urlset>`` files and a Google News sitemap,
per the sitemaps.org protocol 0.9 and Google's news sitemap extension) or ``alternate``
(a NukeViet site with no sitemap: ``/sitemap.xml`` answers 404, the home page links its
news feed with ``<link rel="alternate" type="application/rss+xml">``, as NukeViet's
``nv_html_site_rss`` in ``includes/core/user_functions.php`` prints it).
"""

from __future__ import annotations

from pathlib import Path

from . import common
from . import feed as nv
from .common import Host, fresh_dir, png, write_expected, write_site


def dk_path(art: dict) -> str:
    return f"/{art['section']}/{art['slug']}-{art['id']}.html"


def render(template: str, content: dict, **context) -> str:
    """Render ``tools/snapshots/sitemap/<template>`` for the portal ``content``."""
    return common.render(
        f"sitemap/{template}",
        content=content,
        today=nv.TODAY,
        local=nv.local,
        dmy=nv.dmy,
        dk_path=dk_path,
        **context,
    )


def dk_detail(content: dict, art: dict, newest: list[dict]) -> str:
    related = [a for a in newest if a is not art][:3]
    return render("detail.html.j2", content, title=art["title"], art=art, related=related)


def build_index(content: dict, out: Path, expected_root: Path) -> dict:
    portal, base = content["portal"], content["base"]
    arts = content["articles"]
    titles = {s["slug"]: s["title"] for s in content["sections"]}
    main = Host(out / "main")
    main.add(
        "/robots.txt", "robots.txt", f"User-Agent: *\nDisallow:\nSitemap: {base}/sitemap.xml\n"
    )
    newest = sorted(arts, key=nv.local, reverse=True)
    for index, art in enumerate(arts):
        if art["section"] in titles:
            main.add(dk_path(art), f"articles/{art['id']}.html", dk_detail(content, art, newest))
        if art.get("image"):
            main.add(
                f"/Uploads/images/{art['date'][:4]}/{art['slug']}.png",
                f"images/{art['slug']}.png",
                png(16, 10, (30 + 9 * index % 200, 90, 140)),
            )
    children = []
    for year in ("2024", "2025"):
        in_year = [a for a in arts if a["date"].startswith(year) and not a.get("news_only")]
        path = f"/sitemap-{year}.xml"
        main.add(
            path,
            f"sitemaps/sitemap-{year}.xml",
            render("sitemap-year.xml.j2", content, year=year, articles=in_year),
            "application/xml; charset=utf-8",
        )
        children.append((path, max(a["lastmod"] for a in in_year)))
    news = [a for a in arts if a.get("news") or a.get("news_only")]
    main.add(
        "/sitemap-news.xml",
        "sitemaps/sitemap-news.xml",
        render("sitemap-news.xml.j2", content, articles=news),
        "application/xml; charset=utf-8",
    )
    children.append(("/sitemap-news.xml", max(a["lastmod"] for a in news)))
    index_xml = render("sitemap-index.xml.j2", content, children=children)
    main.add("/sitemap.xml", "sitemaps/sitemap.xml", index_xml, "application/xml; charset=utf-8")
    main.add("/", "index.html", render("index.html.j2", content, title=content["site"]))
    main.close()
    expected = [
        {
            "key": f"{portal}:{a['id']}",
            "url": base + dk_path(a),
            "section": a["section"],
            "title": a["title"],
            "published": nv.local(a).isoformat(),
            "body_contains": [a["paragraphs"][0], a["paragraphs"][-1]],
        }
        for a in arts
        if a["section"] in titles
    ]
    absent = ["Tin liên quan", "Tin mới", "Lượt xem", nv.TODAY, "Cơ quan chủ quản"]
    requested = [
        "/robots.txt",
        "/sitemap.xml",
        "/sitemap-2024.xml",
        "/sitemap-2025.xml",
        "/sitemap-news.xml",
    ]
    write_expected(
        expected_root,
        portal,
        {"articles": expected, "dropped": [], "absent": absent, "requested": requested},
    )
    return write_site(out, portal, {"main": base}, len(expected))


def build_alternate(content: dict, out: Path, expected_root: Path) -> dict:
    portal, base = content["portal"], content["base"]
    arts = [a for a in content["articles"] if not a.get("external")]
    titles = {s["slug"] for s in content["sections"]}
    main = Host(out / "main")
    main.add(
        "/robots.txt",
        "robots.txt",
        "User-agent: *\nDisallow: /admin/\nDisallow: /includes/\nDisallow: /install/\n",
    )
    for art in arts:
        main.add(
            nv.nv_article_path(art),
            f"news/{art['id']}.html",
            nv.nv_detail(content, art, nv.nv_others(arts, art)),
        )
    nv.nv_images(main, arts)
    items = sorted(content["articles"], key=nv.local, reverse=True)
    main.add(
        "/vi/news/rss/",
        "rss/news.xml",
        nv.nv_rss(content, "Tin Tức", f"{base}/vi/news/", f"{base}/vi/news/rss/", items),
        "application/rss+xml; charset=utf-8",
    )
    main.add("/", "index.html", nv.render("nv_index.html.j2", content, title=content["site"]))
    main.close()
    expected = [
        {
            "key": f"{portal}:{a['id']}",
            "url": base + nv.nv_article_path(a),
            "section": a["section"],
            "title": a["title"],
            "published": nv.nv_published(a),
            "body_contains": [a["lead"], a["paragraphs"][-1]],
        }
        for a in arts
        if a["section"] in titles
    ]
    absent = ["Những tin mới hơn", "Những tin cũ hơn", "Từ khóa", "Liên kết website", nv.TODAY]
    requested = ["/robots.txt", "/sitemap.xml", "/", "/vi/news/rss/"]
    write_expected(
        expected_root,
        portal,
        {"articles": expected, "dropped": [], "absent": absent, "requested": requested},
    )
    return write_site(out, portal, {"main": base}, len(expected))


def build(content: dict, out_root: Path, expected_root: Path) -> dict:
    """Render one sitemap portal's snapshot and its expectations."""
    out = fresh_dir(out_root / content["portal"])
    if content["style"] == "sitemap-index":
        site = build_index(content, out, expected_root)
    else:
        site = build_alternate(content, out, expected_root)
    (out / "README.md").write_text(content["readme"].strip() + "\n", encoding="utf-8")
    return site
