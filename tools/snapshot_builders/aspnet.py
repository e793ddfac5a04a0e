"""Snapshots of custom ASP.NET portals (skin ``cms``) and DotNetNuke portals (skin ``dnn``).

``cms``: the ministries' custom news CMS (mt.gov.vn): ``/vn/chuyen-muc/<id>/<slug>.aspx``
listings paged by relative ``?page=N`` links, ``/vn/tin-tuc/<id>/<slug>.aspx`` articles,
``Cập nhật lúc: HH:MM:SS - dd/mm/yyyy``, every page served as windows-1258 bytes with
tone marks as combining characters (``tinmoi.snapshot.to_cp1258``).

``dnn``: a DotNetNuke news module: sections ``/Default.aspx?tabid=N``, a GridView listing
paged by postback (``__doPostBack('dnn$ctr512$TinTuc$grvTinTuc','Page$2')``; the POST
routes name the view state of the page posting back), friendly article URLs
``/tabid/N/ArticleID/M/<slug>.aspx`` with a canonical link, ``Lượt xem: N | Gửi lúc: …``.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from pathlib import Path

from tinmoi.snapshot import to_cp1258

from .common import Host, fresh_dir, png, write_expected, write_site

CP1258 = "text/html; charset=windows-1258"


def build(content: dict, out_root: Path, expected_root: Path) -> dict:
    """Render the snapshot of one portal and write what a backfill must give."""
    skin = SKINS[content["skin"]](content)
    out = fresh_dir(out_root / content["portal"])
    main = Host(out / "main")
    skin.render(main)
    main.close()
    (out / "README.md").write_text(skin.readme(), encoding="utf-8")
    write_expected(expected_root, content["portal"], skin.expected())
    return write_site(out, content["portal"], {"main": content["base"]}, len(skin.arts))


def token(*parts: object) -> str:
    """A deterministic base64 token shaped like a view state (with ``+``, ``/``, ``=``)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return "/wEPDwUK" + base64.b64encode(digest + digest[:13]).decode()


class Skin:
    """What both skins share: articles by section, pages of entries, expectations."""

    def __init__(self, content: dict) -> None:
        self.c = content
        self.base = content["base"]
        self.portal = content["portal"]
        self.per_page = content["per_page"]
        self.sections = {s["slug"]: s for s in content["sections"]}
        self.arts = sorted(content["articles"], key=lambda a: a["id"], reverse=True)
        self.by_id = {a["id"]: a for a in self.arts}

    def pages(self, slug: str) -> list[list[dict]]:
        """The listing pages of a section (entries: the articles, newest first)."""
        found = [a for a in self.arts if a["section"] == slug]
        chunks = [found[i : i + self.per_page] for i in range(0, len(found), self.per_page)]
        chunks[-1] = chunks[-1] + [a for a in self.arts if a.get("also_in") == slug]
        return chunks

    def others(self, art: dict) -> list[dict]:
        same = [a for a in self.arts if a["section"] == art["section"] and a is not art]
        return same[:4]

    def article_url(self, art: dict) -> str:
        raise NotImplementedError

    def published(self, art: dict) -> str:
        raise NotImplementedError

    def expected(self) -> dict:
        articles = [
            {
                "key": f"{self.portal}:{art['id']}",
                "url": self.base + self.article_url(art),
                "section": art["section"],
                "title": art["title"],
                "published": self.published(art),
                "body_contains": [art["lead"], art["paragraphs"][-1]],
            }
            for art in self.arts
        ]
        return {
            "articles": articles,
            "dropped": self.dropped(),
            "absent": self.absent(),
            "requested": self.requested(),
        }

    def dropped(self) -> list[dict]:
        return []


class CmsSkin(Skin):
    """mt.gov.vn's custom CMS, in windows-1258."""

    def article_url(self, art: dict) -> str:
        return f"/vn/tin-tuc/{art['id']}/{art['slug']}.aspx"

    def image_url(self, art: dict) -> str:
        return f"/Uploads/images/{art['date'][-4:]}/{art['image']}"

    def published(self, art: dict) -> str:
        day, month, year = art["date"].split("/")
        time = art["time"][:5] + ":00" if art.get("no_page_date") else art["time"]
        return f"{year}-{month}-{day}T{time}+07:00"

    def absent(self) -> list[str]:
        newest = [a["title"] for a in self.arts[:5]]
        return [
            "Tin mới nhất", "Thông báo", "Cập nhật lúc", "In bài viết", "Gửi email",
            "Về đầu trang", self.c["today"], *self.c["notices"], *newest,
        ]  # fmt: skip

    def requested(self) -> list[str]:
        return [f"{s['path']}?page={len(self.pages(slug))}" for slug, s in self.sections.items()]

    def page(self, title: str, action: str, main: str) -> bytes:
        menu = "".join(
            f'<li><a href="{s["path"]}">{escape(s["title"])}</a></li>'
            for s in self.sections.values()
        )
        newest = "".join(
            f"<li><a href='{self.article_url(a)}'>{escape(a['title'])}</a>"
            f" <span class='news_datetime'>({a['date']})</span></li>"
            for a in self.arts[:5]
        )
        notices = "".join(
            f'<li><a href="/vn/thong-bao/{7100 + i}/thong-bao.aspx">{escape(n)}</a></li>'
            for i, n in enumerate(self.c["notices"])
        )
        html = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head id="ctl00_Head1"><meta http-equiv="Content-Type" content="text/html; charset=windows-1258" /><title>
	{escape(title)}
</title><link href="/Styles/portal.css" rel="stylesheet" type="text/css" /></head>
<body>
<form name="aspnetForm" method="post" action="{escape(action)}" id="aspnetForm">
<div class="aspNetHidden">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{token(self.portal, action)}" />
</div>
<div class="aspNetHidden">
	<input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="CA0B0334" />
</div>
<div id="wrapper">
<div id="header">
 <div class="header_top"><span class="header_date">{self.c["today"]}</span> <a href="/vn/">Trang chủ</a> | <a href="/en/">English</a></div>
 <div class="banner"><a href="/vn/"><img src="/Images/banner.png" alt="{escape(self.c["site"])}" /></a></div>
 <ul class="menu_top"><li><a href="/vn/">Trang chủ</a></li>{menu}</ul>
</div>
<div id="content">
<div class="col_left">
{main}
</div>
<div class="col_right">
 <div class="box_right"><div class="box_right_title">Tin mới nhất</div><ul class="list_new">{newest}</ul></div>
 <div class="box_right"><div class="box_right_title">Thông báo</div><ul class="list_notice">{notices}</ul></div>
</div>
</div>
<div id="footer"><p>Bản quyền thuộc {escape(self.c["site"])}</p><p>Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p></div>
</div>
</form>
</body>
</html>
"""
        return to_cp1258(html)

    def entry(self, art: dict) -> str:
        href = self.article_url(art)
        img = f"<img src='{self.image_url(art)}' alt='' />" if art.get("image") else ""
        return f"""<div class="listnews_item">
 <div class="listnews_item_img"><a href='{href}'>{img}</a></div>
 <div class="listnews_item_title"><a href='{href}'>{escape(art["title"])}</a></div>
 <div class="listnews_item_date"><span>{art["date"]} {art["time"][:5]}</span>&nbsp;&nbsp;</div>
 <div class="listnews_item_des">{escape(art["lead"][:150])}…</div>
</div>"""

    def paging(self, number: int, count: int) -> str:
        links = [
            f"<span class='current'>{n}</span>" if n == number else f"<a href='?page={n}'>{n}</a>"
            for n in range(1, count + 1)
        ]
        if number < count:
            links.append(f"<a href='?page={number + 1}' class='next'>Trang sau »</a>")
        return f'<div class="paging">Trang: {" ".join(links)}</div>'

    def render(self, host: Host) -> None:
        host.add(
            "/robots.txt", "robots.txt", "User-agent: *\nDisallow: /Admin/\nDisallow: /Login.aspx\n"
        )
        for slug, section in self.sections.items():
            pages = self.pages(slug)
            for number, chunk in enumerate(pages, start=1):
                entries = "\n".join(self.entry(a) for a in chunk)
                main = f"""<div id="ctl00_ContentPlaceHolder1_ctl00_pnListNews" class="listnews">
<div class="listnews_title"><h1>{escape(section["title"])}</h1></div>
{entries}
{self.paging(number, len(pages))}
</div>"""
                target = section["path"] + (f"?page={number}" if number > 1 else "")
                action = "./" + target.rsplit("/", 1)[1]
                data = self.page(section["title"], action, main)
                host.add(target, f"listing/{slug}-{number}.html", data, CP1258)
        for index, art in enumerate(self.arts):
            host.add(self.article_url(art), f"articles/{art['id']}.html", self.article(art), CP1258)
            if art.get("image"):
                host.add(
                    self.image_url(art),
                    f"images/{art['image']}",
                    png(12, 8, (30 + 9 * index, 90, 140)),
                )

    def article(self, art: dict) -> bytes:
        section = self.sections[art["section"]]
        date = (
            ""
            if art.get("no_page_date")
            else f'<div class="detail_date">Cập nhật lúc: {art["time"]} - {art["date"]}</div>'
        )
        img = ""
        if art.get("image"):
            img = f'<p style="text-align:center"><img src="{self.image_url(art)}" alt="" /></p>'
        paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in art["paragraphs"])
        author = (
            f'<div class="detail_author">{escape(art["author"])}</div>' if art.get("author") else ""
        )
        others = "".join(
            f"<li><a href='{self.article_url(a)}'>{escape(a['title'])}</a> <span class='news_datetime'>({a['date']})</span></li>"
            for a in self.others(art)
        )
        main = f"""<div class="breadcrumb"><a href="/vn/">Trang chủ</a> » <a href="{section["path"]}">{escape(section["title"])}</a></div>
<div class="detail_news">
 <h1 class="detail_title">{escape(art["title"])}</h1>
 {date}
 <div class="news_detail_body">
  <div class="detail_sapo"><strong>{escape(art["lead"])}</strong></div>
  <div class="detail_content" id="ctl00_ContentPlaceHolder1_ctl00_divContent">
{img}
{paragraphs}
  </div>
  {author}
  <div class="detail_tools"><a href="javascript:window.print()">In bài viết</a> | <a href="mailto:?subject={art["id"]}">Gửi email</a> | <a href="#wrapper">Về đầu trang</a></div>
 </div>
</div>
<div class="other_news"><div class="other_news_title">Các tin khác</div><ul>{others}</ul></div>"""
        return self.page(art["title"], "./" + self.article_url(art).rsplit("/", 1)[1], main)

    def readme(self) -> str:
        return f"""# {self.c["site"]} ({self.portal}): custom ASP.NET CMS snapshot

Modelled on the public page shapes of mt.gov.vn and its sister ministry sites on the same
CMS (moc.gov.vn, most.gov.vn, xaydung.gov.vn): sections `/vn/chuyen-muc/<id>/<slug>.aspx`
(the real `/vn/chuyen-muc/856/hoat-dong-lanh-dao-.aspx` keeps its trailing dash), articles
`/vn/tin-tuc/<id>/<slug>.aspx`, a `div.listnews_item` list with `listnews_item_title`,
`listnews_item_date` and `listnews_item_des` (as scrapers of most.gov.vn read it), a Web
Forms master page (`aspnetForm`, `__VIEWSTATE`, `ctl00_ContentPlaceHolder1_…` ids), and the
date line `Cập nhật lúc: 10:41:31 - 27/09/2017`. The text is ours, not the portal's.
The windows-1258 encoding is the platform's legacy case played here, not a claim about
today's mt.gov.vn.

Special cases:

- Every page is served as windows-1258 bytes (`Content-Type: text/html; charset=windows-1258`)
  with tone marks as separate combining characters, as legacy pages are: titles and bodies
  must come out as exact NFC.
- The header shows today's date (`{self.c["today"]}`), which must never be taken.
- The pager links are relative (`href='?page=2'`); the first section has three pages.
- Article {next(a["id"] for a in self.arts if a.get("no_page_date"))} has no `Cập nhật lúc` line: its date (with the time) comes from the listing.
- Article {next(a["id"] for a in self.arts if a.get("also_in"))} is also listed on the last page of another section: one item, first section.
- "Tin mới nhất" and "Thông báo" sidebars and "Các tin khác" under the article carry other
  dates; print/email tools and the author line sit inside the body container.
"""


class DnnSkin(Skin):
    """A DotNetNuke news module with a GridView paged by postback."""

    def tab(self, slug: str) -> int:
        return self.sections[slug]["tabid"]

    def article_url(self, art: dict) -> str:
        return f"/tabid/{self.tab(art['section'])}/ArticleID/{art['id']}/{art['slug']}.aspx"

    def query_url(self, art: dict, slug: str | None = None) -> str:
        return f"/Default.aspx?tabid={self.tab(slug or art['section'])}&ArticleID={art['id']}"

    def image_url(self, art: dict) -> str:
        return f"/Portals/0/News/{art['date'][-4:]}/{art['image']}"

    def info_date(self, art: dict) -> str:
        day, month, year = (int(x) for x in art["date"].split("/"))
        if art.get("us_culture"):
            hour, minute = (int(x) for x in art["time"].split(":"))
            half = "PM" if hour >= 12 else "AM"
            return f"{month}/{day}/{year} {(hour - 1) % 12 + 1}:{minute:02d}:00 {half}"
        return f"{art['date']} {art['time']}"

    def published(self, art: dict) -> str:
        day, month, year = art["date"].split("/")
        return f"{year}-{month}-{day}T{art['time']}:00+07:00"

    def absent(self) -> list[str]:
        return [
            "Tin khác", "Tin liên quan", "Lượt xem", "Gửi lúc", "Liên kết website", "In trang",
            "Quay lại", *self.c["links"], self.c["dead"]["title"],
        ]  # fmt: skip

    def requested(self) -> list[str]:
        return [
            f"POST {s['path']} Page${len(self.pages(slug))}" for slug, s in self.sections.items()
        ]

    def dropped(self) -> list[dict]:
        dead = self.c["dead"]
        return [{"url": self.base + self.article_url(dead), "reason": "http 404"}]

    def page(self, title: str, action: str, state: str, main: str, head: str = "") -> str:
        menu = "".join(
            f'<li><a href="{escape(s["path"])}">{escape(s["title"])}</a></li>'
            for s in self.sections.values()
        )
        links = "".join(
            f'<li><a href="https://example.gov.vn/{i}">{escape(t)}</a></li>'
            for i, t in enumerate(self.c["links"])
        )
        return f"""<!DOCTYPE html>
<html  lang="vi-VN">
<head id="Head"><meta content="text/html; charset=UTF-8" http-equiv="Content-Type" />
<title>
	{escape(title)}
</title>{head}<link href="/Portals/_default/Skins/GDNN/skin.css?cdv=112" type="text/css" rel="stylesheet"/><script src="/Resources/libraries/jQuery/01_09_01/jquery.js?cdv=112" type="text/javascript"></script></head>
<body id="Body">
<form method="post" action="{escape(action)}" id="Form" enctype="multipart/form-data">
<div class="aspNetHidden">
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{state}" />
</div>
<script type="text/javascript">
//<![CDATA[
var theForm = document.forms['Form'];
if (!theForm) {{ theForm = document.Form; }}
function __doPostBack(eventTarget, eventArgument) {{
    if (!theForm.onsubmit || (theForm.onsubmit() != false)) {{
        theForm.__EVENTTARGET.value = eventTarget;
        theForm.__EVENTARGUMENT.value = eventArgument;
        theForm.submit();
    }}
}}
//]]>
</script>
<div class="aspNetHidden">
	<input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="CA0B0334" />
	<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="{token("ev", state)}" />
</div>
<div id="skin">
 <div class="skin-header"><a id="dnn_dnnLOGO_hypLogo" title="{escape(self.c["site"])}" href="/"><img id="dnn_dnnLOGO_imgLogo" src="/Portals/0/logo.png" alt="{escape(self.c["site"])}" /></a>
  <div class="skin-menu"><ul><li><a href="/">Trang chủ</a></li>{menu}</ul></div>
 </div>
 <div class="skin-body">
  <div id="dnn_ContentPane" class="ContentPane">
{main}
  </div>
  <div id="dnn_RightPane" class="RightPane">
   <div class="DnnModule DnnModule-DNN_HTML DnnModule-420"><a name="420"></a><div class="container-title"><h2><span id="dnn_ctr420_dnnTITLE_titleLabel" class="Head">Liên kết website</span></h2></div><div id="dnn_ctr420_ContentPane"><ul>{links}</ul></div></div>
  </div>
 </div>
 <div class="skin-footer"><span id="dnn_dnnCOPYRIGHT_lblCopyright" class="Footer">Copyright 2025 by {escape(self.c["site"])}</span></div>
</div>
<input name="ScrollTop" type="hidden" id="ScrollTop" />
<input name="__dnnVariable" type="hidden" id="__dnnVariable" autocomplete="off" value="`{{`__scdoff`:`1`}}" />
</form>
</body>
</html>
"""

    def entry(self, art: dict, href: str, alt: bool) -> str:
        img = (
            f'<a href="{escape(href)}"><img class="news-thumb" src="{self.image_url(art)}" alt="" /></a>'
            if art.get("image")
            else ""
        )
        return f"""<tr class="{"dnnGridAltItem" if alt else "dnnGridItem"}">
	<td><div class="news-item">{img}<a class="news-title" href="{escape(href)}">{escape(art["title"])}</a> <span class="news-date">({art["date"]})</span><div class="news-summary">{escape(art["lead"][:150])}…</div></div></td>
</tr>"""

    def pager(self, grid: str, number: int, count: int) -> str:
        cells = []
        for n in range(1, count + 1):
            if n == number:
                cells.append(f"<td><span>{n}</span></td>")
            else:
                cells.append(
                    f'<td><a href="javascript:__doPostBack(&#39;{grid}&#39;,&#39;Page${n}&#39;)">{n}</a></td>'
                )
        return f'<tr class="dnnGridPager">\n	<td><table>\n		<tr>\n			{"".join(cells)}\n		</tr>\n	</table></td>\n</tr>'

    def render(self, host: Host) -> None:
        host.add(
            "/robots.txt",
            "robots.txt",
            "User-agent: *\nDisallow: /admin/\nDisallow: /App_Data/\nDisallow: /bin/\n"
            "Disallow: /DesktopModules/\nDisallow: /Install/\nDisallow: /Providers/\n",
        )
        for slug, section in self.sections.items():
            tab, module = section["tabid"], section["module"]
            grid = f"dnn$ctr{module}$TinTuc$grvTinTuc"
            pages = self.pages(slug)
            for number, chunk in enumerate(pages, start=1):
                rows = []
                for i, art in enumerate(chunk):
                    href = self.article_url(art)
                    if art.get("also_in") == slug or art.get("query_link"):
                        href = self.query_url(art, slug)
                    rows.append(self.entry(art, href, i % 2 == 1))
                if number == len(pages) and slug == self.c["dead"]["section"]:
                    rows.append(
                        self.entry(
                            self.c["dead"] | {"lead": "Kế hoạch tuyển sinh."},
                            self.article_url(self.c["dead"]),
                            len(rows) % 2 == 1,
                        )
                    )
                main = f"""<div class="DnnModule DnnModule-GDNN_TinTuc DnnModule-{module}"><a name="{module}"></a>
<div class="container-title"><h2><span id="dnn_ctr{module}_dnnTITLE_titleLabel" class="Head">{escape(section["title"])}</span></h2></div>
<div id="dnn_ctr{module}_ContentPane"><div id="dnn_ctr{module}_ModuleContent" class="DNNModuleContent ModGDNNTinTucC">
<div>
<table class="dnnGrid news-grid" cellspacing="0" rules="all" border="1" id="dnn_ctr{module}_TinTuc_grvTinTuc" style="border-collapse:collapse;">
{chr(10).join(rows)}
{self.pager(grid, number, len(pages)) if len(pages) > 1 else ""}
</table>
</div>
</div></div></div>"""
                state = token(self.portal, tab, number)
                html = self.page(
                    f"{section['title']} - {self.c['site']}", section["path"], state, main
                )
                name = f"listing/{slug}-{number}.html"
                if number == 1:
                    host.add(section["path"], name, html)
                else:
                    key = f"POST {section['path']} Page${number}"
                    host.add(key, name, html)
                    host.route(
                        key, {"file": name, "viewstate": token(self.portal, tab, number - 1)}
                    )
        for index, art in enumerate(self.arts):
            html = self.article(art)
            name = f"articles/{art['id']}.html"
            host.add(self.article_url(art), name, html)
            if art.get("query_link"):
                host.route(self.query_url(art), name)
            if art.get("also_in"):
                host.route(self.query_url(art, art["also_in"]), name)
            if art.get("image"):
                host.add(
                    self.image_url(art),
                    f"images/{art['image']}",
                    png(12, 8, (150, 40 + 9 * index, 60)),
                )

    def article(self, art: dict) -> str:
        tab = self.tab(art["section"])
        module = self.sections[art["section"]]["module"] + 1
        img = ""
        if art.get("image"):
            img = f'<p style="text-align:center"><img src="{self.image_url(art)}" alt="" style="width:100%" /></p>'
        paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in art["paragraphs"])
        related = ""
        if art.get("related_inside"):
            items = "".join(
                f'<li><a href="{self.article_url(a)}">{escape(a["title"])}</a> ({a["date"]})</li>'
                for a in self.others(art)[:2]
            )
            related = f'<div class="news-related"><h4>Tin liên quan</h4><ul>{items}</ul></div>'
        author = (
            f'<div class="news-detail-author">{escape(art["author"])}</div>'
            if art.get("author")
            else ""
        )
        others = "".join(
            f'<li><a href="{self.article_url(a)}">{escape(a["title"])}</a> <span class="news-date">({a["date"]})</span></li>'
            for a in self.others(art)
        )
        view = f"dnn_ctr{module}_ViewTinTuc"
        main = f"""<div class="DnnModule DnnModule-GDNN_TinTuc DnnModule-{module}"><a name="{module}"></a>
<div id="dnn_ctr{module}_ContentPane"><div id="dnn_ctr{module}_ModuleContent" class="DNNModuleContent ModGDNNTinTucC">
<div id="{view}_pnlArticle" class="news-detail">
 <h1 class="news-detail-title"><span id="{view}_lblTitle">{escape(art["title"])}</span></h1>
 <div class="news-detail-info"><span id="{view}_lblInfo">Lượt xem: {art["views"]} | Gửi lúc: {self.info_date(art)}</span></div>
 <div class="news-detail-content">
  <div class="news-detail-summary"><strong>{escape(art["lead"])}</strong></div>
  <div id="{view}_divBody" class="news-detail-body">
{img}
{paragraphs}
{related}
  </div>
  {author}
 </div>
 <div class="news-detail-tools"><a id="{view}_lnkPrint" href="javascript:window.print();">In trang</a> <a href="javascript:history.back();">Quay lại</a></div>
</div>
<div class="news-other"><h3 class="news-other-title">Tin khác</h3><ul>{others}</ul></div>
</div></div></div>"""
        head = f'\n<link rel="canonical" href="{self.base}{self.article_url(art)}" />\n'
        action = f"/Default.aspx?tabid={tab}&ArticleID={art['id']}"
        return self.page(
            f"{art['title']} - {self.c['site']}", action, token(self.portal, art["id"]), main, head
        )

    def readme(self) -> str:
        also = next(a for a in self.arts if a.get("also_in"))
        query = next(a for a in self.arts if a.get("query_link"))
        us = next(a for a in self.arts if a.get("us_culture"))
        inside = next(a for a in self.arts if a.get("related_inside"))
        return f"""# {self.c["site"]} ({self.portal}): DotNetNuke snapshot

Modelled on DotNetNuke government portals such as gdnn.gov.vn (public URLs like
`/Default.aspx?tabid=89&cateid=546`; its news module's markup is modelled on DNN's
conventions, not copied): pages are tabs (`/Default.aspx?tabid=89`), the skin wraps modules in `DnnModule-<id>` containers with
`dnn_ctr<id>_…` ids, the page is one Web Forms form `#Form` with `__EVENTTARGET`,
`__EVENTARGUMENT`, `__VIEWSTATE`, `__VIEWSTATEGENERATOR`, `__EVENTVALIDATION`,
`ScrollTop` and `__dnnVariable`, the default DNN `robots.txt`. The news module lists
articles in an ASP.NET GridView (`dnnGridItem` / `dnnGridAltItem` rows) whose pager row
(`dnnGridPager`) links `javascript:__doPostBack(&#39;dnn$ctr512$TinTuc$grvTinTuc&#39;,&#39;Page$2&#39;)`:
page 2 and 3 exist only as POSTs of the form. Articles have friendly URLs
`/tabid/N/ArticleID/M/<slug>.aspx` (DNN's friendly-URL provider) and a canonical link; the
info line reads `Lượt xem: 7370 | Gửi lúc: 18/06/2025 14:30`. The text is ours.

Special cases:

- Postback paging: routes `POST /Default.aspx?tabid=N Page$K` answer only when the
  form carries the view state of page K-1 (else 500, "The state information is invalid
  for this page"); the first section has three pages.
- Article {also["id"]} is also listed as `{self.query_url(also, also["also_in"])}` (another tab,
  query-string form) on the last page of another section: one item.
- Article {query["id"]} is listed only as `{self.query_url(query)}`; its canonical link gives
  the friendly public URL.
- Article {us["id"]}'s info line was printed in the en-US culture (`{self.info_date(us)}`):
  month first, safe only because the day is over 12.
- Article {inside["id"]} has a "Tin liên quan" block inside its body container.
- The last page of the first section lists article {self.c["dead"]["id"]}, whose page answers 404
  (recorded as dropped).
- "Tin khác" under every article and the "Liên kết website" pane carry other links and dates.
"""


SKINS = {"cms": CmsSkin, "dnn": DnnSkin}
