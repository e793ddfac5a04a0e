"""Snapshots of portals read through RSS feeds: NukeViet's news RSS, SharePoint list feeds.

``content["style"]`` picks the CMS: ``nukeviet`` (pages modelled on
``themes/default/modules/news/detail.tpl``, feeds on ``assets/tpl/rss.tpl`` as filled by
``nv_rss_generate`` in ``includes/core/theme_functions.php``, github.com/nukeviet/nukeviet)
or ``sharepoint`` (publishing pages under ``/portal/Pages/<y-m-d>/``, list feeds at
``/_layouts/15/listfeed.aspx?List=%7B<GUID>%7D``). The NukeViet helpers are shared with
the sitemap builder.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any

from .common import Host, fresh_dir, png, write_expected, write_site

TZ7 = timezone(timedelta(hours=7))
WEEKDAYS = ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"]
TODAY = "Thứ sáu, 01/08/2025"  # the crawl's pinned day, in page headers: never a date


def local(art: dict[str, Any]) -> datetime:
    """An article's publication time (local)."""
    hour, minute = (int(x) for x in art.get("time", "00:00").split(":"))
    y, m, d = (int(x) for x in art["date"].split("-"))
    return datetime(y, m, d, hour, minute, tzinfo=TZ7)


def dmy(value: datetime) -> str:
    return value.strftime("%d/%m/%Y")


def nv_pubdate(value: datetime) -> str:
    """NukeViet's ``gmdate('D, j M Y H:m:s') . ' GMT'``: the month stands in the minutes."""
    utc = value.astimezone(UTC)
    return f"{utc.strftime('%a')}, {utc.day} {utc.strftime('%b %Y %H')}:{utc.month:02d}:00 GMT"


# NukeViet ---------------------------------------------------------------------------------


def nv_article_path(art: dict[str, Any]) -> str:
    return f"/vi/news/{art['section']}/{art['slug']}-{art['id']}.html"


def nv_page(content: dict, title: str, main: str, head: str = "") -> str:
    base, site = content["base"], content["site"]
    menu = "".join(
        f'<li><a href="/vi/news/{s["slug"]}/" title="{escape(s["title"])}">{escape(s["title"])}</a></li>'
        for s in content["sections"]
    )
    return f"""<!DOCTYPE html>
<html lang="vi" xmlns="http://www.w3.org/1999/xhtml" prefix="og: http://ogp.me/ns#">
<head>
<title>{escape(title)}</title>
<meta name="description" content="{escape(site)}">
<meta name="generator" content="NukeViet v4.5">
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
{head}<link rel="alternate" href="/vi/news/rss/" title="Tin Tức" type="application/rss+xml" />
<link rel="StyleSheet" href="/themes/{content["theme"]}/css/news.css">
<script src="/assets/js/jquery/jquery.min.js"></script>
</head>
<body>
<noscript><div class="alert alert-danger">Trình duyệt của bạn đã tắt chức năng hỗ trợ JavaScript.</div></noscript>
<div class="body-bg"><div class="wraper">
<header><div class="container"><div id="header" class="row">
<div class="logo col-xs-24 col-sm-24 col-md-8"><a title="{escape(site)}" href="{base}/vi/"><img src="/uploads/logo.png" alt="{escape(site)}"></a></div>
<div class="current-time col-md-16 text-right"><span class="headerDate">{TODAY}</span></div>
</div></div></header>
<nav class="second-nav" id="menusite"><ul class="nav navbar-nav"><li><a href="/vi/">Trang chủ</a></li>{menu}</ul></nav>
<section><div class="container" id="body"><div class="row">
<div class="col-sm-16 col-md-18">
{main}
</div>
<div class="col-sm-8 col-md-6">
<div class="panel panel-primary"><div class="panel-heading">Liên kết website</div><div class="panel-body"><ul><li><a href="https://dongnai.gov.vn">Cổng TTĐT tỉnh Đồng Nai</a></li></ul></div></div>
</div>
</div></div></section>
<footer id="footer"><div class="container"><p>{escape(site)} · Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p><p>Powered by NukeViet CMS</p></div></footer>
</div></div>
<div id="run_cronjobs" style="visibility:hidden;display:none;"><img alt="" src="/index.php?second=cronjobs&amp;p=x1y2z3w4"></div>
</body>
</html>
"""


def nv_detail(content: dict, art: dict, others: dict[str, list[dict]]) -> str:
    base = content["base"]
    when = local(art)
    fallback = {"slug": art["section"], "title": art["section"].replace("-", " ").capitalize()}
    section = next((s for s in content["sections"] if s["slug"] == art["section"]), fallback)
    date_line = (
        ""
        if art.get("no_date")
        else f'<div class="row margin-bottom-lg"><div class="col-md-12"><span class="h5">{WEEKDAYS[when.weekday()]} - {dmy(when)} {when.strftime("%H:%M")}</span></div>'
        '<div class="col-md-12"><ul class="list-inline text-right"><li><a class="dimgray" rel="nofollow" title="In ra" href="javascript: void(0)"><em class="fa fa-print fa-lg">&nbsp;</em></a></li></ul></div></div>'
    )
    image = ""
    if art.get("image"):
        image = (
            f'<figure class="article center"><img alt="{escape(art["title"])}" src="/uploads/news/{art["date"][:7].replace("-", "_")}/{art["slug"]}.png" width="460" class="img-thumbnail"/>'
            f"<figcaption>{escape(art.get('caption', ''))}</figcaption></figure>"
        )
    body = "\n".join(f"<p>{escape(p)}</p>" for p in art["paragraphs"])
    author = (
        f'<div class="margin-bottom-lg"><p class="h5 text-right"><strong>{escape(art["author"])}</strong></p></div>'
        if art.get("author")
        else ""
    )
    blocks = ""
    for heading, items in (
        ("Những tin mới hơn", others["newer"]),
        ("Những tin cũ hơn", others["older"]),
    ):
        if items:
            lis = "".join(
                f'<li><em class="fa fa-angle-right">&nbsp;</em><a href="{base}{nv_article_path(o)}" title="{escape(o["title"])}">{escape(o["title"])}</a> <em>({dmy(local(o))})</em></li>'
                for o in items
            )
            blocks += f'<div class="news_column panel panel-default"><div class="panel-body other-news"><p class="h3"><strong>{heading}</strong></p><div class="clearfix"><ul class="related list-items">{lis}</ul></div></div></div>\n'
    main = f"""<div class="news_column panel panel-default" itemtype="http://schema.org/NewsArticle" itemscope>
<div class="panel-body">
<h1 class="title margin-bottom-lg" itemprop="headline">{escape(art["title"])}</h1>
{date_line}
<div class="clearfix">
<div class="hometext m-bottom" itemprop="description">{escape(art["lead"])}</div>
{image}
</div>
<div id="news-bodyhtml" class="bodytext margin-bottom-lg">
{body}
</div>
{author}
<div class="news-keywords"><em class="fa fa-tags">&nbsp;</em> <strong>Từ khóa: </strong><span class="keyword"><a title="{escape(section["title"])}" href="/vi/news/tag/{section["slug"]}/">{escape(section["title"].lower())}</a></span></div>
</div>
</div>
{blocks}"""
    url = base + nv_article_path(art)
    head = (
        f'<meta property="og:title" content="{escape(art["title"])}">\n'
        '<meta property="og:type" content="article">\n'
        f'<meta property="og:url" content="{url}">\n'
        f'<link rel="canonical" href="{url}">\n'
    )
    if not art.get("no_date"):
        # NukeViet's own broken form: date, "+07", then the time.
        head += f'<meta property="article:published_time" content="{when.strftime("%Y-%m-%d")}+07{when.strftime("%H:%M:%S")}">\n'
    return nv_page(content, f"{art['title']} - {section['title']} - {content['site']}", main, head)


def nv_rss(content: dict, title: str, link: str, atom: str, items: list[dict]) -> str:
    """A feed as ``nv_rss_generate`` fills ``assets/tpl/rss.tpl``."""
    base = content["base"]
    newest = max((local(i) for i in items if "external" not in i), default=None)
    parts = []
    for art in items:
        href = art.get("external") or base + nv_article_path(art)
        guid = f"news_{art['id']}"
        img = (
            f'<img src="{base}/assets/news/{art["date"][:7].replace("-", "_")}/{art["slug"]}.png" width="100" align="left" border="0">'
            if art.get("image")
            else ""
        )
        parts.append(f"""        <item>
            <title>{escape(art["title"])}</title>
            <link>{escape(href)}</link>
            <guid isPermaLink="false">
                <![CDATA[{guid}]]>
            </guid>
            <pubDate>{nv_pubdate(local(art))}</pubDate>
            <description>
                <![CDATA[{img}{escape(art["lead"])}]]>
            </description>
        </item>
""")
    pub = (
        f"        <pubDate>{nv_pubdate(newest)}</pubDate>\n        <lastBuildDate>{nv_pubdate(newest)}</lastBuildDate>\n"
        if newest
        else ""
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<?xml-stylesheet type="text/xsl" href="/assets/css/rss.xsl" media="screen"?>
<rss version="2.0"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:atom="http://www.w3.org/2005/Atom"
>
    <channel>
        <title>{escape(title)}</title>
        <link>{escape(link)}</link>
        <atom:link href="{escape(atom)}" rel="self" />
        <description>
            <![CDATA[{content["site"]}]]>
        </description>
        <language>vi</language>
{pub}        <copyright>
            <![CDATA[{content["site"]}]]>
        </copyright>
        <docs>{base}/vi/rss/</docs>
        <generator>
            <![CDATA[NukeViet v4.0]]>
        </generator>
{"".join(parts)}    </channel>
</rss>
"""


def nv_others(arts: list[dict], art: dict) -> dict[str, list[dict]]:
    same = sorted((a for a in arts if a["section"] == art["section"] and a is not art), key=local)
    return {
        "newer": [a for a in same if local(a) > local(art)][:3],
        "older": [a for a in reversed(same) if local(a) < local(art)][:3],
    }


def nv_images(host: Host, arts: list[dict]) -> None:
    for index, art in enumerate(arts):
        if art.get("image"):
            folder = art["date"][:7].replace("-", "_")
            data = png(16, 10, (60 + 11 * index % 180, 110, 70))
            host.add(
                f"/uploads/news/{folder}/{art['slug']}.png", f"uploads/{art['slug']}.png", data
            )
            host.add(f"/assets/news/{folder}/{art['slug']}.png", f"uploads/{art['slug']}.png", data)


def nv_published(art: dict) -> str:
    """What the crawl must give: the page's date and time; from the feed (to the hour:
    NukeViet's minutes are the month) when the page has none."""
    when = local(art)
    if art.get("no_date"):
        when = when.replace(minute=0)
    return when.isoformat()


def build_nukeviet(content: dict, out: Path, expected_root: Path) -> dict:
    portal, base = content["portal"], content["base"]
    arts = [a for a in content["articles"] if not a.get("external")]
    main = Host(out / "main")
    main.add(
        "/robots.txt",
        "robots.txt",
        "User-agent: *\nDisallow: /admin/\nDisallow: /includes/\nDisallow: /install/\n",
    )
    for art in arts:
        main.add(
            nv_article_path(art),
            f"news/{art['id']}.html",
            nv_detail(content, art, nv_others(arts, art)),
        )
    nv_images(main, arts)
    requested = []
    for section in content["sections"]:
        slug = section["slug"]
        items = sorted(
            (a for a in content["articles"] if a["section"] == slug or slug in a.get("also", [])),
            key=local,
            reverse=True,
        )
        path = f"/vi/news/rss/{slug}/"
        xml = nv_rss(
            content, f"Tin Tức - {section['title']}", f"{base}/vi/news/{slug}/", base + path, items
        )
        if section.get("broken"):
            # PHP printed a warning before the XML declaration: not well-formed.
            xml = (
                '<br />\n<b>Warning</b>:  Undefined array key "alias" in <b>/home/xuanloc/public_html/modules/news/funcs/rss.php</b> on line <b>53</b><br />\n'
                + xml
            )
        main.add(path, f"rss/{slug}.xml", xml, "application/rss+xml; charset=utf-8")
        requested.append(path)
    main.add("/vi/", "index.html", nv_page(content, content["site"], "<h2>Tin mới</h2>"))
    main.close()
    broken = {s["slug"] for s in content["sections"] if s.get("broken")}
    expected = [
        {
            "key": f"{portal}:{a['id']}",
            "url": base + nv_article_path(a),
            "section": a["section"],
            "title": a["title"],
            "published": nv_published(a),
            "body_contains": [a["lead"], a["paragraphs"][-1]],
        }
        for a in arts
        if a["section"] not in broken
    ]
    absent = [
        "Những tin mới hơn",
        "Những tin cũ hơn",
        "Từ khóa",
        "Liên kết website",
        TODAY,
        "Powered by NukeViet",
    ]
    write_expected(
        expected_root,
        portal,
        {"articles": expected, "dropped": [], "absent": absent, "requested": requested},
    )
    return write_site(out, portal, {"main": base}, len(arts))


# SharePoint -------------------------------------------------------------------------------


def sp_article_path(art: dict) -> str:
    y, m, d = (int(x) for x in art["date"].split("-"))
    return f"/portal/Pages/{y}-{m}-{d}/{art['slug']}.aspx"


def sp_feed_path(section: dict) -> str:
    return f"/_layouts/15/listfeed.aspx?List=%7B{section['list']}%7D&View=%7B{section['view']}%7D"


def sp_page(content: dict, title: str, main: str, aside: str, head: str = "") -> str:
    site = content["site"]
    menu = "".join(
        f'<li><a href="/portal/Pages/{s["slug"]}.aspx">{escape(s["title"])}</a></li>'
        for s in content["sections"]
    )
    return f"""<!DOCTYPE html>
<html dir="ltr" lang="vi-VN">
<head><meta http-equiv="X-UA-Compatible" content="IE=10"><meta name="GENERATOR" content="Microsoft SharePoint">
<meta http-equiv="Content-type" content="text/html; charset=utf-8">
<title>{escape(title)}</title>
{head}<link rel="stylesheet" type="text/css" href="/_layouts/15/1066/styles/Themable/corev15.css?rev=2x1Yf%2B3H0Q%3D%3DTAG0"/>
<script type="text/javascript" src="/_layouts/15/init.js?rev=ZbQ%2B4w%3D%3DTAG0"></script>
</head>
<body>
<form method="post" action="./{escape(title[:20])}.aspx" id="aspnetForm">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUBMA9kFgJmD2QWAgIBD2QWBAIBD2QWAgIF"/></div>
<div id="s4-workspace"><div id="s4-bodyContainer">
<div class="header"><div class="banner"><img src="/PublishingImages/banner-svhttdl.png" alt="{escape(site)}"></div>
<div class="top-date">{TODAY}</div>
<ul class="menu-top"><li><a href="/portal/Pages/default.aspx">Trang chủ</a></li>{menu}</ul></div>
<div class="container"><div class="col-left">
{main}
</div>
<div class="col-right">{aside}</div>
</div>
<div class="footer"><p>{escape(site)}</p><p>Địa chỉ: Tổ dân phố 5, phường Mường Thanh, thành phố Điện Biên Phủ. Điện thoại: 0215.3825.140</p></div>
</div></div>
</form>
</body>
</html>
"""


def sp_detail(content: dict, art: dict, others: list[dict]) -> str:
    base = content["base"]
    day = dmy(local(art))
    image = ""
    if art.get("image"):
        image = f'<p style="text-align:center"><img alt="" src="/PublishingImages/{art["date"][:7]}/{art["slug"].lower()}.png" style="width:500px"/></p>'
    body = "".join(f"<p>{escape(p)}</p>" for p in art["paragraphs"])
    author = (
        f'<p style="text-align:right"><strong>{escape(art["author"])}</strong></p>'
        if art.get("author")
        else ""
    )
    other_items = "".join(
        f'<li><a href="{sp_article_path(o)}">{escape(o["title"])}</a> <span class="date">({dmy(local(o))})</span></li>'
        for o in others
    )
    guid = art["webpart"]
    main = f"""<div class="breadcrumb"><a href="/portal/Pages/default.aspx">Trang chủ</a> &gt; {escape(art["section_title"])}</div>
<div class="news-detail">
<h1 class="title-news">{escape(art["title"])}</h1>
<div id="ctl00_ctl40_g_{guid}_pnHide" class="ms-webpart-zone"><span class="date">{day}</span></div>
<div class="summary"><strong>{escape(art["lead"])}</strong></div>
<div id="ctl00_PlaceHolderMain_ctl02__ControlWrapper_RichHtmlField" class="ms-rtestate-field" style="display:inline" aria-labelledby="ctl00_PlaceHolderMain_ctl02_label">{image}<p>{escape(art["lead"])}</p>{body}{author}</div>
<div class="share"><a href="https://www.facebook.com/sharer/sharer.php?u={base}{sp_article_path(art)}">Chia sẻ</a> | <a href="javascript:window.print()">In trang</a></div>
</div>
<div class="other-news"><h3>Tin khác</h3><ul>{other_items}</ul></div>"""
    aside = '<div class="box-link"><h3>Liên kết</h3><ul><li><a href="https://dienbien.gov.vn">Cổng TTĐT tỉnh Điện Biên</a></li></ul></div>'
    head = f'<meta property="og:title" content="{escape(art["title"])}"/>\n'
    return sp_page(content, art["title"], main, aside, head)


def sp_rss(content: dict, section: dict, items: list[dict]) -> str:
    """A SharePoint list feed (listfeed.aspx): RSS 2.0, ``pubDate`` in GMT, the selected
    columns as ``<div><b>Column:</b> value</div>`` in the description."""
    base = content["base"]
    parts = []
    for art in items:
        stamp = art.get("feed_time") or art["date"] + "T" + art.get("time", "00:00")
        when = datetime.fromisoformat(stamp).replace(tzinfo=TZ7)
        parts.append(
            f"<item><title>{escape(art['title'])}</title>"
            f"<link>{escape(base + sp_article_path(art))}</link>"
            f"<description><![CDATA[<div><b>Tiêu đề:</b> {escape(art['title'])}</div>\n<div><b>Tóm tắt:</b> {escape(art['lead'])}</div>\n]]></description>"
            f"<author>{escape(art.get('editor', 'Quản trị Cổng'))}</author>"
            f"<pubDate>{format_datetime(when.astimezone(UTC), usegmt=True)}</pubDate>"
            f'<guid isPermaLink="true">{escape(base + sp_article_path(art))}</guid></item>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        "<!--RSS generated by Microsoft SharePoint Foundation RSS Generator on 8/1/2025 8:45:12 AM -->"
        '<?xml-stylesheet type="text/xsl" href="/_layouts/15/RssXslt.aspx?List=%7B'
        + section["list"]
        + '%7D" version="1.0"?>'
        '<rss version="2.0"><channel>'
        f"<title>{escape(content['site'])}: {escape(section['title'])}</title>"
        f"<link>{escape(base)}/portal/Pages/{section['slug']}.aspx</link>"
        f"<description>Nguồn cấp RSS cho danh sách {escape(section['title'])}.</description>"
        "<lastBuildDate>Fri, 01 Aug 2025 01:45:12 GMT</lastBuildDate>"
        "<generator>Microsoft SharePoint Foundation RSS Generator</generator><ttl>60</ttl><language>vi-VN</language>"
        + "".join(parts)
        + "</channel></rss>"
    )


def sp_published(art: dict) -> str:
    """The page prints only the day: the feed's time completes it on the same day; a
    feed date on another day (the item was modified later) loses to the page's day."""
    when = local(art)
    if art.get("feed_time"):
        feed = datetime.fromisoformat(art["feed_time"]).replace(tzinfo=TZ7)
        if feed.date() != when.date():
            return when.replace(hour=0, minute=0).isoformat()
        return feed.isoformat()
    return when.isoformat()


def build_sharepoint(content: dict, out: Path, expected_root: Path) -> dict:
    portal, base = content["portal"], content["base"]
    titles = {s["slug"]: s["title"] for s in content["sections"]}
    arts = content["articles"]
    main = Host(out / "main")
    main.add(
        "/robots.txt",
        "robots.txt",
        "User-agent: *\nDisallow: /_layouts/15/Authenticate.aspx\nDisallow: /_vti_bin/\n",
    )
    for index, art in enumerate(arts):
        art["section_title"] = titles[art["section"]]
        if art.get("missing"):
            continue
        others = [
            a
            for a in arts
            if a["section"] == art["section"] and a is not art and not a.get("missing")
        ][:3]
        main.add(sp_article_path(art), f"pages/{art['slug']}.html", sp_detail(content, art, others))
        if art.get("image"):
            main.add(
                f"/PublishingImages/{art['date'][:7]}/{art['slug'].lower()}.png",
                f"images/{art['slug'].lower()}.png",
                png(16, 10, (90, 40 + 13 * index % 180, 120)),
            )
    requested = []
    for section in content["sections"]:
        items = sorted(
            (a for a in arts if a["section"] == section["slug"]), key=local, reverse=True
        )
        path = sp_feed_path(section)
        main.add(
            path,
            f"feeds/{section['slug']}.xml",
            sp_rss(content, section, items),
            "text/xml; charset=utf-8",
        )
        requested.append(path)
    main.close()
    expected, dropped = [], []
    for art in arts:
        url = base + sp_article_path(art)
        if art.get("missing"):
            dropped.append({"url": url, "reason": "http 404"})
            continue
        y, m, d = (int(x) for x in art["date"].split("-"))
        expected.append(
            {
                "key": f"{portal}:{y}-{m}-{d}/{art['slug'].lower()}",
                "url": url,
                "section": art["section"],
                "title": art["title"],
                "published": sp_published(art),
                "body_contains": [art["paragraphs"][0], art["paragraphs"][-1]],
            }
        )
    absent = ["Tin khác", "Chia sẻ", "In trang", "Liên kết", TODAY, "Trang chủ"]
    absent += [a["title"] for a in arts[:2]]  # "Tin khác" entries, outside every body
    write_expected(
        expected_root,
        portal,
        {"articles": expected, "dropped": dropped, "absent": absent, "requested": requested},
    )
    return write_site(out, portal, {"main": base}, len(expected))


def build(content: dict, out_root: Path, expected_root: Path) -> dict:
    """Render one feed portal's snapshot and its expectations."""
    out = fresh_dir(out_root / content["portal"])
    if content["style"] == "nukeviet":
        site = build_nukeviet(content, out, expected_root)
    else:
        site = build_sharepoint(content, out, expected_root)
    readme = out / "README.md"
    readme.write_text(content["readme"].strip() + "\n", encoding="utf-8")
    return site
