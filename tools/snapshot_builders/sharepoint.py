"""Render a SharePoint 2010/2013 portal snapshot (see tinmoi/snapshots/<portal>/README.md).

Two themes, as the real sites differ: ``provincial`` (a provincial portal: listings
``/portal/Pages/<Section>.aspx?Page=N`` with relative pager links, dated entries, a sapo
above the rich field, date ``25/06/2024 14:30``, "Các tin khác" inside the article panel)
and ``department`` (a Sở site: listings ``/portal/pages/NewsGroups.aspx?cid=<GUID>&Page=N``
with absolute links and no dates, date ``Ngày đăng: 25/06/2024``, relative image paths,
a web part embedded in one body, "Tin khác" as a separate web part).
"""

from __future__ import annotations

import hashlib
from datetime import date
from html import escape
from pathlib import Path

from .common import Host, fresh_dir, png, write_expected, write_site

VIEWSTATE = (
    "/wEPDwUBMA9kFgJmD2QWAgIBD2QWBAIBD2QWAgIGD2QWAmYPZBYCZg9kFgICAQ8WAh4HVmlzaWJsZWhkGAEFHl9f"
    "Q29udHJvbHNSZXF1aXJlUG9zdEJhY2tLZXlfXxYBBTpjdGwwMCRQbGFjZUhvbGRlclRvcE5hdkJhcg=="
)


def guid(seed: str) -> str:
    """A stable GUID-shaped id for a web part (SharePoint renders them with underscores)."""
    h = hashlib.md5(seed.encode()).hexdigest()
    return f"{h[:8]}_{h[8:12]}_{h[12:16]}_{h[16:20]}_{h[20:32]}"


class Theme:
    """What differs between the two portals' master pages and web parts."""

    def __init__(self, content: dict) -> None:
        self.c = content
        self.provincial = content["theme"] == "provincial"
        self.base = content["base"]
        self.lib = "/portal/Pages" if self.provincial else "/portal/pages"
        # The web-part id prefix differs per site (and per master page).
        self.prefix = "ctl00_ctl37_g_" if self.provincial else "ctl00_SPWebPartManager1_g_"
        self.sections = {s["slug"]: s for s in content["sections"]}

    # URLs ---------------------------------------------------------------------------------

    def article_path(self, art: dict) -> str:
        if art.get("date"):
            return f"{self.lib}/{art['date']}/{art['slug']}.aspx"
        return f"{self.lib}/{art['slug']}.aspx"

    def listing_path(self, slug: str, page: int) -> str:
        sec = self.sections[slug]
        if self.provincial:
            return sec["path"] if page == 1 else f"{sec['path']}?Page={page}"
        path = f"{self.lib}/NewsGroups.aspx?cid={sec['cid']}"
        return path if page == 1 else f"{path}&Page={page}"

    def image_src(self, art: dict) -> tuple[str, str]:
        """(src as written in the page, server path)."""
        year = (art.get("date") or "2024").split("-")[0]
        server = f"/portal/PublishingImages/{year}/{art['image']}"
        if self.provincial:
            return server, server
        # Sở pages write image paths relative to the page (two folders up: the date folder).
        return f"../../PublishingImages/{year}/{art['image']}", server

    # Page skeleton ------------------------------------------------------------------------

    def page(self, title: str, main: str, action: str) -> str:
        c = self.c
        menu = "".join(
            f'<li class="static"><a class="static menu-item ms-core-listMenu-item ms-displayInline ms-navedit-linkNode" href="{escape(self.listing_path(s, 1))}"><span class="additional-background ms-navedit-flyoutArrow"><span class="menu-item-text">{escape(sec["title"])}</span></span></a></li>'
            for s, sec in self.sections.items()
        )
        if self.provincial:
            header = f"""<div class="header-top ms-dialogHidden">
 <span id="ctl00_lblNgayThang" class="date-today">{escape(c["header_date"])}</span>
 <span class="lang"><a href="/portal/Pages/default.aspx">Tiếng Việt</a> | <a href="/en/Pages/default.aspx">English</a></span>
</div>
<div class="banner"><a href="/portal/Pages/default.aspx"><img src="/portal/Style%20Library/NinhThuan/images/banner.png" alt="{escape(c["site"])}"></a></div>
<div class="top-menu"><ul><li><a href="/portal/Pages/default.aspx">Trang chủ</a></li>{"".join(f'<li><a href="{escape(self.listing_path(s, 1))}">{escape(sec["title"])}</a></li>' for s, sec in self.sections.items())}</ul></div>"""
            left = f"""<div id="sideNavBox" class="ms-dialogHidden ms-forceWrap ms-noList col-left">
 <div class="ms-core-navigation" id="DeltaPlaceHolderLeftNavBar"><div id="ctl00_PlaceHolderLeftNavBar_QuickLaunchNavigationManager"><div class=" noindex ms-core-listMenu-verticalBox"><ul class="root ms-core-listMenu-root static">{menu}<li class="static"><a class="static menu-item" href="/portal/Pages/Van-ban-chi-dao-dieu-hanh.aspx"><span class="menu-item-text">Văn bản chỉ đạo điều hành</span></a></li></ul></div></div></div>
 <div class="ms-webpart-chrome ms-webpart-chrome-vertical"><div class="ms-webpart-chrome-title"><h2 class="ms-webpart-titleText"><span>Đường dây nóng</span></h2></div>
 <div id="WebPart{self.prefix}{guid("hotline")}" class="ms-WPBody noindex"><div class="ms-rtestate-field"><p>Đường dây nóng UBND tỉnh: 0259.3822.045</p><p>Cập nhật ngày 14/07/2025</p></div></div></div>
</div>"""
            right = ""
            footer = f"""<div class="footer ms-dialogHidden"><div class="ms-rtestate-field"><p><strong>{escape(c["site"])}</strong></p><p>Cơ quan chủ quản: Văn phòng UBND tỉnh Ninh Thuận. Địa chỉ: 450 đường 16 tháng 4, Phan Rang – Tháp Chàm. Điện thoại: 0259.3822.045.</p><p>Ghi rõ nguồn “Cổng thông tin điện tử tỉnh Ninh Thuận” khi phát hành lại thông tin từ cổng này.</p></div></div>"""
        else:
            header = f"""<div id="header" class="ms-dialogHidden">
 <div class="logo"><a href="/portal/Pages/default.aspx"><img src="/portal/SiteAssets/logo-svhttdl.png" alt="{escape(c["site"])}"></a><span class="site-name">{escape(c["site"])}</span></div>
 <div class="today">Hôm nay: <span id="ctl00_ctl30_lblToday">{escape(c["header_date"])}</span></div>
</div>
<div id="navbar" class="ms-dialogHidden"><ul class="root"><li><a href="/portal/Pages/default.aspx">Trang chủ</a></li>{"".join(f'<li><a href="{escape(self.listing_path(s, 1))}">{escape(sec["title"])}</a></li>' for s, sec in self.sections.items())}<li><a href="/portal/Pages/Thu-tuc-hanh-chinh.aspx">Thủ tục hành chính</a></li></ul></div>"""
            left = ""
            right = """<div class="col-right ms-dialogHidden">
 <div class="box-lich"><div class="box-title">Lịch công tác</div><ul><li><a href="/portal/Pages/Lich-cong-tac.aspx">Lịch công tác tuần 29 (14/07/2025 - 20/07/2025)</a></li></ul></div>
 <div class="ms-webpart-chrome"><div class="box-title">Liên kết website</div><div class="ms-rtestate-field"><p><a href="https://dienbien.gov.vn">Cổng TTĐT tỉnh Điện Biên</a></p><p><a href="https://bvhttdl.gov.vn">Bộ Văn hóa, Thể thao và Du lịch</a></p></div></div>
</div>"""
            footer = f"""<div id="footer" class="ms-dialogHidden"><p>© {escape(c["site"])}. Địa chỉ: Tổ dân phố 5, phường Mường Thanh, TP. Điện Biên Phủ. Điện thoại: 0215.3825.116.</p><p>Trưởng Ban biên tập: Giám đốc Sở.</p></div>"""
        return f"""<!DOCTYPE html>
<html dir="ltr" lang="vi-VN">
<head>
<meta http-equiv="X-UA-Compatible" content="IE=10">
<meta name="GENERATOR" content="Microsoft SharePoint">
<meta http-equiv="Content-type" content="text/html; charset=utf-8">
<meta http-equiv="Expires" content="0">
<title>
	{escape(title)}
</title>
<link rel="stylesheet" type="text/css" href="/_layouts/15/1066/styles/Themable/corev15.css?rev=2bpHeX9U8DH09TP5FMyIBg%3D%3D"/>
<link rel="stylesheet" type="text/css" href="/portal/Style%20Library/{"NinhThuan" if self.provincial else "SVHTTDL"}/css/style.css"/>
<script type="text/javascript" src="/_layouts/15/init.js?rev=rLbvBBcbEmOVVWZH3QOlMQ%3D%3D"></script>
<script type="text/javascript" src="/ScriptResource.axd?d=example&amp;t=3f4a792d"></script>
</head>
<body>
<div id="imgPrefetch" style="display:none"><img src="/_layouts/15/images/spcommon.png?rev=23" /></div>
<form method="post" action="{escape(action)}" onsubmit="javascript:return WebForm_OnSubmit();" id="aspnetForm">
<div class="aspNetHidden">
<input type="hidden" name="_wpcmWpid" id="_wpcmWpid" value="" />
<input type="hidden" name="__REQUESTDIGEST" id="__REQUESTDIGEST" value="0x3A1F0D5C,14 Jul 2025 01:12:44 -0000" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{VIEWSTATE}" />
</div>
<script type="text/javascript">
//<![CDATA[
var _spPageContextInfo = {{webServerRelativeUrl: "\\u002fportal", webAbsoluteUrl: "{self.base}/portal", siteClientTag: "0$$15.0.4569.1000", currentLanguage: 1066, webUIVersion: 15, pageListId: "{{8d0c2f4e-3b1a-4f7e-9a52-6c1d0e7b2a91}}", userId: 0}};
//]]>
</script>
<div id="ms-designer-ribbon">
 <div id="s4-ribbonrow" style="display:none"><div id="globalNavBox" class="noindex"><div id="ribbonBox"><div id="s4-ribboncont"><div id="Ribbon" class="ms-cui ms-cui-needIEFilter" role="toolbar"><span class="ms-cui-hidden">Đang tải...</span></div></div></div></div></div>
</div>
<div id="s4-workspace" class="ms-core-overlay">
<div id="s4-bodyContainer">
{header}
<div id="s4-titlerow" class="ms-dialogHidden s4-titlerowhidetitle" style="display:none"><div id="titleAreaBox"><h1 id="pageTitle" class="ms-core-pageTitle"><span id="DeltaPlaceHolderPageTitleInTitleArea">{escape(c["site"])}</span></h1></div></div>
<div id="contentRow" class="row">
{left}
<div id="contentBox" aria-live="polite" aria-relevant="all">
<div id="DeltaPlaceHolderMain">
<a id="mainContent" name="mainContent" tabindex="-1"></a>
{main}
</div>
</div>
{right}
</div>
{footer}
</div>
</div>
<script type="text/javascript">
//<![CDATA[
var _spFormDigestRefreshInterval = 1440000;WebForm_InitCallback();
//]]>
</script>
</form>
</body>
</html>
"""

    def breadcrumb(self, slug: str) -> str:
        sec = self.sections[slug]
        return (
            '<div class="breadcrumb ms-dialogHidden"><span id="ctl00_PlaceHolderMain_siteMapPath">'
            '<span><a href="/portal/Pages/default.aspx">Trang chủ</a></span><span> &gt; </span>'
            f'<span><a href="{escape(self.listing_path(slug, 1))}">{escape(sec["title"])}</a></span></span></div>'
        )

    # Articles -----------------------------------------------------------------------------

    def body_html(self, art: dict, others: list[dict]) -> str:
        parts = []
        if not self.provincial:
            parts.append(f"<p><strong>{escape(art['lead'])}</strong></p>")
        if art.get("image"):
            src, _ = self.image_src(art)
            parts.append(
                f'<p style="text-align:center"><img alt="" src="{escape(src)}" style="margin:5px;width:500px" /></p>'
            )
        for index, para in enumerate(art["paragraphs"]):
            parts.append(
                f'<p style="text-align:justify"><span style="font-size:13pt">{escape(para)}</span></p>'
            )
            if index == 0 and art.get("special") == "embedded_webpart":
                wp = guid(art["slug"] + "wp").replace("_", "-")
                items = "".join(
                    f'<li><a href="{escape(self.base + self.article_path(o))}">{escape(o["title"])}</a> ({o["display"]})</li>'
                    for o in others[:2]
                )
                parts.append(
                    f'<div class="ms-rtestate-read ms-rte-wpbox" contenteditable="false"><div class="ms-rtestate-notify ms-rtestate-read {wp}" id="div_{wp}" unselectable="on">'
                    f'<div class="ms-webpart-chrome"><h2 class="ms-webpart-titleText">Tin liên quan</h2><ul>{items}</ul></div></div>'
                    f'<div id="vid_{wp}" unselectable="on" style="display:none"></div></div>'
                )
        if self.provincial and art.get("author"):
            parts.append(
                f'<p style="text-align:right"><strong>{escape(art["author"])}</strong></p>'
            )
        inner = "\n".join(parts)
        if self.provincial:
            return f'<div id="ctl00_PlaceHolderMain_ctl02__ControlWrapper_RichHtmlField" class="ms-rtestate-field" style="display:inline" aria-labelledby="ctl00_PlaceHolderMain_ctl02_label">{inner}</div>'
        external = "ExternalClass" + hashlib.md5(art["slug"].encode()).hexdigest()[:32].upper()
        return f'<div class="ms-rtestate-field"><div class="{external}">{inner}</div></div>'

    def article(self, art: dict, others: list[dict]) -> str:
        slug = art["sections"][0]
        panel = f"{self.prefix}{guid('detail')}_ctl00_pnHide"
        show_date = art.get("special") != "no_page_date"
        other_items = "".join(
            f'<li><a href="{escape(self.article_path(o))}">{escape(o["title"])}</a> <span class="date">({o["display"]})</span></li>'
            for o in others
        )
        if self.provincial:
            date_html = (
                f'<span class="date-news"><i class="fa fa-clock-o"></i> {art["display"]} {art["time"]}</span>'
                if show_date
                else ""
            )
            main = f"""{self.breadcrumb(slug)}
<div class="ms-webpart-zone ms-fullWidth"><div id="MSOZoneCell_WebPart{self.prefix}{guid("detail")}" class="s4-wpcell-plain ms-webpartzone-cell ms-webpart-cell-vertical ms-fullWidth">
<div class="ms-webpart-chrome ms-webpart-chrome-vertical ms-webpart-chrome-fullWidth"><div webpartid="{guid("detail").replace("_", "-")}" haspers="false" id="WebPart{self.prefix}{guid("detail")}" class="ms-WPBody noindex">
<div id="{panel}" class="news-content">
<h1 class="title-news">{escape(art["title"])}</h1>
{date_html}
<div class="sapo"><strong>{escape(art["lead"])}</strong></div>
{self.body_html(art, others)}
<div class="tools s4-notdlg"><a href="javascript:window.print();">In trang</a> | <a href="mailto:?subject={escape(art["title"])}">Gửi email</a> | <a href="#mainContent">Về đầu trang</a></div>
<div class="other-news"><h3 class="title-other">Các tin khác</h3><ul>{other_items}</ul></div>
</div>
</div></div></div></div>"""
        else:
            date_html = (
                f'<span class="ngay-dang">Ngày đăng: {art["display"]}</span> | '
                if show_date
                else ""
            )
            views = 150 + len(art["title"]) * 7
            author = (
                f'<div id="{self.prefix}{guid("detail")}_ctl00_pnNguontin" class="nguon-tin"><p><font color="#333333">{escape(art["author"])}</font></p></div>'
                if art.get("author")
                else ""
            )
            main = f"""{self.breadcrumb(slug)}
<div class="ms-webpart-zone ms-fullWidth"><div id="MSOZoneCell_WebPart{self.prefix}{guid("detail")}" class="s4-wpcell-plain">
<div id="{panel}" class="chitiet-tin">
<div class="news-title"><h2>{escape(art["title"])}</h2></div>
<div class="news-info">{date_html}<span class="luot-xem">Lượt xem: {views}</span></div>
{self.body_html(art, others)}
{author}
<div class="tools s4-notdlg"><a href="javascript:window.print();">In trang</a> | <a href="mailto:?subject={escape(art["title"])}">Gửi email</a> | <a href="#mainContent">Lên đầu trang</a></div>
</div>
</div></div>
<div class="ms-webpart-zone"><div id="{self.prefix}{guid("other")}_ctl00_pnOtherNews" class="tin-khac">
<div class="box-title">Tin khác</div><ul>{other_items}</ul></div></div>"""
        return self.page(art["title"], main, "./" + self.article_path(art).rsplit("/", 1)[1])

    # Listings -----------------------------------------------------------------------------

    def entry(self, art: dict) -> str:
        href = self.article_path(art)
        img = ""
        if art.get("image"):
            _, server = self.image_src(art)
            img = f'<img src="{escape(server)}" alt="" />'
        lead = escape(art["lead"][:140]) + ("…" if len(art["lead"]) > 140 else "")
        if self.provincial:
            date_html = (
                f'<span class="date">({art["display"]})</span>' if art.get("display") else ""
            )
            return f'<div class="news-item"><a class="img" href="{escape(href)}">{img}</a><h3><a href="{escape(href)}">{escape(art["title"])}</a></h3>{date_html}<p class="sapo">{lead}</p></div>'
        url = self.base + href
        return f'<li class="news-item"><div class="thumb"><a href="{escape(url)}">{img}</a></div><div class="info"><a class="title" href="{escape(url)}">{escape(art["title"])}</a><p class="summary">{lead}</p></div></li>'

    def pager(self, slug: str, page: int, pages: int) -> str:
        if self.provincial:
            items = [
                f'<span class="current">{n}</span>' if n == page else f'<a href="?Page={n}">{n}</a>'
                for n in range(1, pages + 1)
            ]
            if page < pages:
                items.append(f'<a href="?Page={page + 1}" title="Trang sau">»</a>')
            return f'<div class="paging">{" ".join(items)}</div>'
        items = [f'<a href="{escape(self.listing_path(slug, 1) + "&Page=1")}">Đầu</a>']
        for n in range(1, pages + 1):
            cls = ' class="selected"' if n == page else ""
            items.append(
                f'<a{cls} href="{escape(self.listing_path(slug, 1) + f"&Page={n}")}">{n}</a>'
            )
        if page < pages:
            items.append(
                f'<a href="{escape(self.listing_path(slug, 1) + f"&Page={page + 1}")}">Sau</a>'
            )
        items.append(f'<a href="{escape(self.listing_path(slug, 1) + f"&Page={pages}")}">Cuối</a>')
        return f'<div class="pager">Trang: {" ".join(items)}</div>'

    def listing(self, slug: str, page: int, pages: int, entries: list[str]) -> str:
        sec = self.sections[slug]
        part = f"{self.prefix}{guid('list')}_ctl00_"
        if self.provincial:
            main = f"""{self.breadcrumb(slug)}
<div class="ms-webpart-zone ms-fullWidth"><div class="ms-webpart-chrome"><div class="ms-WPBody">
<h2 class="title-cat">{escape(sec["title"])}</h2>
<div id="{part}pnListNews" class="list-news">
{"".join(entries)}
</div>
{self.pager(slug, page, pages)}
</div></div></div>"""
        else:
            main = f"""{self.breadcrumb(slug)}
<div id="{part}pnGroupNews" class="group-news">
<div class="group-title"><h2>{escape(sec["title"])}</h2></div>
<ul class="news-list">
{"".join(entries)}
</ul>
{self.pager(slug, page, pages)}
</div>"""
        path = self.listing_path(slug, page)
        return self.page(sec["title"], main, "./" + path.rsplit("/", 1)[1])


def display(value: str) -> str:
    year, month, day = (int(p) for p in value.split("-"))
    return f"{day:02d}/{month:02d}/{year}"


def build(content: dict, out_root: Path, expected_root: Path) -> dict:
    portal = content["portal"]
    theme = Theme(content)
    per_page = content["per_page"]
    out = fresh_dir(out_root / portal)
    main = Host(out / "main")
    main.add(
        "/robots.txt",
        "robots.txt",
        "User-agent: *\nDisallow: /_layouts/\nDisallow: /_vti_bin/\nDisallow: /portal/Lists/\n",
    )
    arts = content["articles"]
    for art in arts:
        if art.get("date"):
            art["display"] = display(art["date"])
            art["sort"] = art["date"]
        else:
            art["display"] = art["page_date"]
            d, m, y = (int(p) for p in art["page_date"].split("/"))
            art["sort"] = f"{y}-{m}-{d}"
    arts.sort(key=lambda a: date(*(int(p) for p in a["sort"].split("-"))), reverse=True)
    live = [a for a in arts if a.get("special") != "dead_link"]
    expected, dropped = [], []
    for index, art in enumerate(arts):
        path = theme.article_path(art)
        if art.get("special") == "dead_link":
            dropped.append({"url": theme.base + path, "reason": "http 404"})
            continue
        home = art["sections"][0]
        others = [o for o in live if home in o["sections"] and o is not art][:3]
        main.add(path, f"articles/{art['slug']}.html", theme.article(art, others))
        if art.get("image"):
            _, server = theme.image_src(art)
            main.add(
                server, "images/" + art["image"], png(16, 10, (30 + index * 17 % 200, 110, 140))
            )
        if art.get("date") is None:
            d, m, y = art["page_date"].split("/")
            published = f"{y}-{m}-{d}T00:00:00+07:00"
        else:
            y, m, d = (int(p) for p in art["date"].split("-"))
            hh, mm = (art.get("time") or "00:00").split(":")
            if art.get("special") == "no_page_date" or not theme.provincial:
                hh, mm = "00", "00"
            published = f"{y:04d}-{m:02d}-{d:02d}T{hh}:{mm}:00+07:00"
        key_id = path.split("/Pages/" if theme.provincial else "/pages/", 1)[1][: -len(".aspx")]
        expected.append(
            {
                "key": f"{portal}:{key_id.lower()}",
                "url": theme.base + path,
                "section": home,
                "title": art["title"],
                "published": published,
                "body_contains": [art["lead"], art["paragraphs"][-1]],
            }
        )
    requested = []
    for slug in theme.sections:
        listed = [a for a in arts if slug in a["sections"]]
        pages = [listed[i : i + per_page] for i in range(0, len(listed), per_page)]
        for number, chunk in enumerate(pages, start=1):
            entries = [theme.entry(a) for a in chunk]
            for ext in content.get("external_entries", []):
                if ext["section"] == slug and ext["page"] == number:
                    entries.append(
                        f'<div class="news-item"><h3><a href="{escape(ext["url"])}">{escape(ext["title"])}</a></h3><span class="date">({ext["date"]})</span></div>'
                    )
            html = theme.listing(slug, number, len(pages), entries)
            target = theme.listing_path(slug, number)
            main.add(target, f"listing/{slug}-{number}.html", html)
            if theme.provincial:
                main.route(f"{target.split('?')[0]}?Page={number}", f"listing/{slug}-{number}.html")
            else:
                main.route(
                    f"{theme.listing_path(slug, 1)}&Page={number}", f"listing/{slug}-{number}.html"
                )
        requested.append(theme.listing_path(slug, len(pages)))
    main.add(
        "/portal/Pages/default.aspx",
        "index.html",
        theme.page(content["site"], "<h2>Trang chủ</h2>", "./default.aspx"),
    )
    main.close()
    write_readme(out, content, theme)
    absent = [
        "In trang",
        "Gửi email",
        "Tin khác",
        content["header_date"],
        "ms-rte-wpbox",
    ]
    if theme.provincial:
        absent += ["Đường dây nóng", "0259.3822.045", "Văn bản chỉ đạo điều hành", "Về đầu trang"]
    else:
        absent += ["Lượt xem", "Ngày đăng", "Lịch công tác", "Liên kết website", "Lên đầu trang"]
    write_expected(
        expected_root,
        portal,
        {"articles": expected, "dropped": dropped, "absent": absent, "requested": requested},
    )
    return write_site(out, portal, {"main": content["base"]}, len(expected))


def write_readme(out: Path, content: dict, theme: Theme) -> None:
    text = PROVINCIAL_README if theme.provincial else DEPARTMENT_README
    (out / "README.md").write_text(
        text.format(site=content["site"], base=content["base"]), encoding="utf-8"
    )


COMMON_README = """
## Modelled on

- The SharePoint 2013 master page (`seattle.master` shape as custom portal masters keep it):
  `#ms-designer-ribbon` / `#s4-ribbonrow`, `#s4-workspace` > `#s4-bodyContainer`, a hidden
  `#s4-titlerow` with `h1#pageTitle` (the site name, not the article), the quick launch
  `#sideNavBox` > `.ms-core-listMenu-verticalBox`, `ms-webpart-chrome` web parts, Content
  Editor web parts rendering `.ms-rtestate-field`, embedded web parts in rich text
  (`.ms-rtestate-read.ms-rte-wpbox` with `div_<guid>` / `vid_<guid>`), `__VIEWSTATE` form.
- The news web part of Vietnamese government SharePoint portals, as public scrapers record
  it: an article panel `ctl00_SPWebPartManager1_g_<guid>_ctl00_pnHide` with the date in a
  `span` directly inside it (or inside one of its `div`s), `_pnNguontin` for the source /
  author, listing panels `…_ctl00_pnListNews` / `…_ctl00_pnGroupNews` (e.g. the XPath
  configuration in public GitHub crawlers of ministry portals: mt.gov.vn, most.gov.vn,
  moc.gov.vn use exactly these ids with different prefixes).
- Article URL shape from public links: `https://ninhthuan.gov.vn/portal/Pages/2024-4-25/<Slug><random>.aspx`,
  `https://svhttdl.dienbien.gov.vn/portal/pages/2019-6-4/<Slug><random>.aspx`
  (date folder without zero padding).

Text is ours (written for this snapshot), not copied from the sites.
"""

PROVINCIAL_README = (
    """# Snapshot: {site} ({base})

A provincial portal on SharePoint 2013 (the provincial theme of this platform).

## What we assume

- Articles at `/portal/Pages/<Y-M-D>/<Slug><random>.aspx` (real shape); section listings at
  `/portal/Pages/<Section>.aspx` paged with `?Page=N` (the listing page names are assumed);
  the pager writes *relative* links (`?Page=2`).
- The article web part shows title (`h1`), date `25/06/2024 14:30` in a `span` directly in
  the `pnHide` panel, a sapo (`.sapo`) above the rich field `.ms-rtestate-field`, then
  "In trang | Gửi email" tools and "Các tin khác" with dated entries, all inside the panel.
- The header prints today's date ("Thứ Hai, 14/07/2025"; fixed, after most articles).
"""
    + COMMON_README
    + """
## Special cases

- Header date "Thứ Hai, 14/07/2025" on every page: never an article's date.
- "Triển khai cấp nước sinh hoạt mùa khô cho xã Phước Hà" has no date span in its panel:
  the date comes from its listing entry (the same day as its URL folder).
- "Hội nghị xúc tiến đầu tư năng lượng tái tạo năm 2024" is listed in both sections (page 1
  of Tin tức - Sự kiện, page 2 of Kinh tế - Xã hội): one item, section tin-tuc-su-kien.
- A left-column Content Editor web part ("Đường dây nóng", with its own `.ms-rtestate-field`
  and a date) comes before the article in document order, and the footer is a rich field too.
- Kinh tế - Xã hội page 2 lists an article of another site (sct.ninhthuan.gov.vn): skipped.
- Tin tức - Sự kiện page 3 lists "Thông báo lịch tiếp công dân tháng 1/2024", whose page
  answers 404: dropped with `http 404`.
- Hidden `h1#pageTitle` with the site name in the master page.
"""
)

DEPARTMENT_README = (
    """# Snapshot: {site} ({base})

A department (Sở) site on SharePoint 2010/2013 with its own master page (the department
theme of this platform).

## What we assume

- Articles at `/portal/pages/<Y-M-D>/<Slug><random>.aspx` (real shape, lower-case `pages`),
  one older page at `/portal/pages/<Slug>.aspx` (no date folder); listings at
  `/portal/pages/NewsGroups.aspx?cid=<GUID>` paged with `&Page=N` (absolute pager links with
  "Đầu", numbers, "Sau", "Cuối"); listing entries link with absolute URLs and show no date.
- The article panel (`ctl00_SPWebPartManager1_g_<guid>_ctl00_pnHide`) holds the title in
  `.news-title h2`, `Ngày đăng: 25/06/2024 | Lượt xem: N` in `.news-info` spans, the rich
  field (`.ms-rtestate-field` > `.ExternalClass…`), the author in `…_pnNguontin`, tools;
  "Tin khác" is a separate web part after the panel.
- The header prints "Hôm nay: Thứ hai, ngày 14/07/2025" (fixed).
"""
    + COMMON_README
    + """
## Special cases

- Header date "Thứ hai, ngày 14/07/2025": never an article's date.
- "Giải việt dã “Đường đua về Điện Biên Phủ” …" has no date in its panel and its listing has
  none: the date is the URL folder (2025-4-28), not the "Sáng 27/4" of its lead.
- "Giới thiệu Di tích lịch sử Đồi A1" lives at an undated path (`/portal/pages/Gioi-thieu-Di-tich-Doi-A1.aspx`);
  its key is `gioi-thieu-di-tich-doi-a1`, its date the panel's `Ngày đăng`.
- "Tôn vinh nghệ nhân múa xòe Thái tỉnh Điện Biên" embeds a "Tin liên quan" web part
  (`.ms-rte-wpbox`) between its paragraphs: removed, the text after it kept.
- Images use page-relative paths (`../../PublishingImages/…`).
- A right-column Content Editor web part ("Liên kết website") renders `.ms-rtestate-field`.
"""
)
