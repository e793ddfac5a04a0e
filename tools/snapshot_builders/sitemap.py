"""Snapshots of portals discovered through sitemaps, or through the home page's feed link.

``content["style"]``: ``sitemap-index`` (robots.txt names ``/sitemap.xml``, a
``<sitemapindex>`` whose children are yearly ``<urlset>`` files and a Google News sitemap,
per the sitemaps.org protocol 0.9 and Google's news sitemap extension) or ``alternate``
(a NukeViet site with no sitemap: ``/sitemap.xml`` answers 404, the home page links its
news feed with ``<link rel="alternate" type="application/rss+xml">``, as NukeViet's
``nv_html_site_rss`` in ``includes/core/user_functions.php`` prints it).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from . import feed as nv
from .common import Host, fresh_dir, png, write_expected, write_site

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def dk_path(art: dict) -> str:
    return f"/{art['section']}/{art['slug']}-{art['id']}.html"


def dk_page(content: dict, title: str, main: str, aside: str, head: str = "") -> str:
    site, base = content["site"], content["base"]
    menu = "".join(
        f'<li class="nav-item"><a href="/{s["slug"]}">{escape(s["title"])}</a></li>'
        for s in content["sections"]
    )
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
{head}<link href="/Content/site.min.css" rel="stylesheet">
</head>
<body>
<div class="top-bar"><div class="container"><span class="today">{nv.TODAY}</span> <a href="/en">English</a></div></div>
<header class="site-header"><div class="container"><a href="{base}/"><img src="/Content/images/logo-daklak.png" alt="{escape(site)}"></a></div>
<nav><ul class="nav">{menu}</ul></nav></header>
<main class="container"><div class="row">
<div class="col-lg-8">{main}</div>
<aside class="col-lg-4">{aside}</aside>
</div></main>
<footer class="site-footer"><div class="container"><p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh Đắk Lắk</p><p>Ghi rõ nguồn tin "http://daklak.gov.vn" khi phát hành lại các thông tin từ Cổng TTĐT này.</p></div></footer>
<script src="/Scripts/app.min.js"></script>
</body>
</html>
"""


def dk_detail(content: dict, art: dict, newest: list[dict]) -> str:
    base = content["base"]
    when = nv.local(art)
    date = (
        ""
        if art.get("no_date")
        else f'<div class="article-meta"><span class="article-date"><i class="far fa-clock"></i> {nv.dmy(when)}, {when.strftime("%H:%M")}</span> <span class="article-views">Lượt xem: {300 + art["id"] % 97}</span></div>'
    )
    image = ""
    if art.get("image"):
        image = f'<figure class="image"><img src="/Uploads/images/{art["date"][:4]}/{art["slug"]}.png" alt="{escape(art["title"])}"><figcaption>{escape(art.get("caption", ""))}</figcaption></figure>'
    body = "".join(f"<p>{escape(p)}</p>" for p in art["paragraphs"])
    author = (
        f'<p class="author"><strong>{escape(art["author"])}</strong></p>'
        if art.get("author")
        else ""
    )
    related = [a for a in newest if a is not art][:3]
    rel = "".join(
        f'<li><a href="{dk_path(a)}">{escape(a["title"])}</a> <span>({nv.dmy(nv.local(a))})</span></li>'
        for a in related
    )
    main = f"""<article class="article-detail">
<h1 class="article-title">{escape(art["title"])}</h1>
{date}
<div class="article-sapo"><strong>{escape(art["lead"])}</strong></div>
<div class="article-content">{image}{body}{author}
<div class="box-related"><h3>Tin liên quan</h3><ul>{rel}</ul></div>
</div>
</article>"""
    aside = f'<div class="box-news-hot"><h3 class="box-title">Tin mới</h3><ul>{rel}</ul></div>'
    url = base + dk_path(art)
    head = f'<link rel="canonical" href="{url}">\n<meta property="og:title" content="{escape(art["title"])}">\n'
    return dk_page(content, art["title"], main, aside, head)


def urlset(entries: list[str], news: bool = False) -> str:
    ns = f"{NS} {NEWS_NS}" if news else NS
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {ns}>\n'
        + "".join(entries)
        + "</urlset>\n"
    )


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
        entries = [
            f"<url><loc>{base}/{s['slug']}</loc><lastmod>{year}-12-31T08:00:00+07:00</lastmod><changefreq>daily</changefreq></url>\n"
            for s in content["sections"]
        ]
        entries.append(
            f"<url><loc>{base}/gioi-thieu</loc><lastmod>2024-01-02T08:00:00+07:00</lastmod></url>\n"
        )
        entries += [
            f"<url><loc>{base}{dk_path(a)}</loc><lastmod>{a['lastmod']}</lastmod><changefreq>monthly</changefreq><priority>0.8</priority></url>\n"
            for a in in_year
        ]
        path = f"/sitemap-{year}.xml"
        main.add(
            path, f"sitemaps/sitemap-{year}.xml", urlset(entries), "application/xml; charset=utf-8"
        )
        children.append((path, max(a["lastmod"] for a in in_year)))
    news = [a for a in arts if a.get("news") or a.get("news_only")]
    news_entries = [
        f"<url><loc>{base}{dk_path(a)}</loc><lastmod>{a['lastmod']}</lastmod><news:news><news:publication><news:name>Cổng TTĐT tỉnh Đắk Lắk</news:name><news:language>vi</news:language></news:publication>"
        f"<news:publication_date>{nv.local(a).isoformat()}</news:publication_date><news:title>{escape(a['title'])}</news:title></news:news></url>\n"
        for a in news
    ]
    main.add(
        "/sitemap-news.xml",
        "sitemaps/sitemap-news.xml",
        urlset(news_entries, news=True),
        "application/xml; charset=utf-8",
    )
    children.append(("/sitemap-news.xml", max(a["lastmod"] for a in news)))
    index_xml = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex {NS}>\n'
        + "".join(
            f"<sitemap><loc>{base}{path}</loc><lastmod>{lastmod}</lastmod></sitemap>\n"
            for path, lastmod in children
        )
        + "</sitemapindex>\n"
    )
    main.add("/sitemap.xml", "sitemaps/sitemap.xml", index_xml, "application/xml; charset=utf-8")
    main.add("/", "index.html", dk_page(content, content["site"], "<h2>Tin nổi bật</h2>", ""))
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
