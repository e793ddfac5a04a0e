"""Snapshots of NukeViet portals (news module), default theme or a custom "tms" theme.

The HTML is written for tinmoi, modelled on NukeViet's public source (github.com/nukeviet/
nukeviet at acd4de4fde1da863d63a83b6bdf7668c370ee700): ``themes/default/layout/
{header_only,header_extended,layout.main-right,footer_extended}.tpl``,
``themes/default/modules/news/{viewcat_page,detail,block_news}.tpl``, the pager of
``includes/functions.php:nv_alias_page`` and the meta tags of ``modules/news/funcs/detail.php``.
The content (titles, dates, text) comes from ``tools/snapshot_content/<portal>.json``.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

from . import common

REPO = "github.com/nukeviet/nukeviet"
COMMIT = "acd4de4fde1da863d63a83b6bdf7668c370ee700"
WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")
ROBOTS = (
    "User-agent: *\nDisallow: /admin/\nDisallow: /cache/\nDisallow: /data/\n"
    "Disallow: /includes/\nDisallow: /install/\nDisallow: /modules/\nDisallow: /tmp/\n"
)


def when(art: dict) -> datetime:
    return datetime.strptime(f"{art['date']} {art['time']}", "%d/%m/%Y %H:%M")


def iso(art: dict) -> str:
    return when(art).strftime("%Y-%m-%dT%H:%M:00+07:00")


class Site:
    def __init__(self, content: dict) -> None:
        self.c = content
        self.base = content["base"]
        self.lang = content["lang"]
        self.theme = content["theme"]
        self.sections = {s["slug"]: s for s in content["sections"]}
        self.arts = sorted(content["articles"], key=when, reverse=True)
        self.by_id = {(a["section"], a["id"]): a for a in self.arts}

    # URLs ---------------------------------------------------------------------------------
    def cat_path(self, section: str) -> str:
        s = self.sections[section]
        return f"{self.lang}/{s['module']}/{s['cat']}"

    def list_path(self, section: str, page: int) -> str:
        return self.cat_path(section) + ("" if page == 1 else f"/page-{page}")

    def art_path(self, art: dict, section: str | None = None) -> str:
        return f"{self.cat_path(section or art['section'])}/{art['slug']}-{art['id']}.html"

    def upload(self, art: dict, name: str, kind: str = "uploads") -> str:
        d = when(art)
        module = self.sections[art["section"]]["module"]
        return f"/{kind}/{module}/{d:%Y_%m}/{name}"

    def in_section(self, section: str) -> list[dict]:
        return [a for a in self.arts if a["section"] == section or section in a.get("also_in", [])]

    # Dates --------------------------------------------------------------------------------
    def meta_time(self, value: datetime) -> str:
        return value.strftime(f"%Y-%m-%d{self.c['meta_zone']}%H:%M:%S")

    @staticmethod
    def detail_date(art: dict) -> str:
        d = when(art)
        return f"{WEEKDAYS[d.weekday()]} - {d:%d/%m/%Y %H:%M}"


def pager(base_url: str, title: str, pages: int, on: int) -> str:
    """Modelled on nv_alias_page() for up to 7 pages (its stray ``<li>`` included)."""
    if pages < 2:
        return ""
    t = escape(f"{title} - Trang")
    li, act, dis = ' class="page-item"', ' class="page-item active"', ' class="page-item disabled"'
    a = ' class="page-link"'
    out = (
        f'<li{act}><a{a} href="javascript:void(0)">1</a></li>'
        if on == 1
        else f'<li{li}><a{a} rel="prev" title="{t} 1" href="{base_url}">1</a></li>'
    )
    for i in range(2, pages + 1):
        if i == on:
            out += f'<li{act}><a{a} href="javascript:void(0)">{i}</a><li>'
        else:
            rel = "next" if i > on else "prev"
            out += (
                f'<li{li}><a{a} rel="{rel}" title="{t} {i}" href="{base_url}/page-{i}">{i}</a></li>'
            )
    if on > 1:
        href = f"{base_url}/page-{on - 1}" if on > 2 else base_url
        out = f'<li{li}><a{a} rel="prev" title="{t} {on - 1}" href="{href}">&laquo;</a></li>' + out
    else:
        out = f'<li{dis}><a{a} href="javascript:void(0)">&laquo;</a></li>' + out
    if on < pages:
        out += f'<li{li}><a{a} rel="next" title="{t} {on + 1}" href="{base_url}/page-{on + 1}">&raquo;</a></li>'
    else:
        out += f'<li{dis}><a{a} href="javascript:void(0)">&raquo;</a></li>'
    return f'<ul class="pagination">{out}</ul>'


def body_html(site: Site, art: dict) -> str:
    parts = []
    if art.get("image"):
        src = site.upload(art, art["image"])
        parts.append(
            f'<p style="text-align:center"><img alt="{escape(art["title"])}" height="400" src="{src}" width="600" /></p>'
        )
    if art.get("lazy_image"):
        src = site.upload(art, art["lazy_image"])
        parts.append(
            f'<p style="text-align:center"><img class="lazy" src="/themes/tms/images/loading.gif" data-src="{src}" alt="" /></p>'
        )
    parts += [f'<p style="text-align:justify">{escape(p)}</p>' for p in art["paragraphs"]]
    return "\n".join(parts)


def author_html(art: dict) -> str:
    if not art.get("author"):
        return ""
    return (
        '<div class="margin-bottom-lg">\n<p class="h5 text-right">\n'
        f"<strong>Tác giả: </strong>{escape(art['author'])}\n</p>\n</div>"
    )


def head(site: Site, title: str, extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="vi" xmlns="http://www.w3.org/1999/xhtml" prefix="og: http://ogp.me/ns#">
<head>
<title>{escape(title)} - {escape(site.c["site_name"])}</title>
<meta name="generator" content="NukeViet v4.5">
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:site_name" content="{escape(site.c["site_name"])}">
{extra}<link rel="shortcut icon" href="/favicon.ico">
<link rel="StyleSheet" href="/themes/{"default" if site.theme == "default" else "tms"}/css/style.css">
<script src="/assets/js/jquery/jquery.min.js"></script>
<script>var nv_base_siteurl="/",nv_lang_data="vi",nv_name_variable="nv",nv_fc_variable="op";</script>
</head>
"""


def article_meta(site: Site, art: dict, url: str) -> str:
    out = (
        f'<meta name="description" content="{escape(art["hometext"][:160])}">\n'
        '<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{escape(art["title"])}">\n'
        f'<meta property="og:url" content="{url}">\n'
    )
    if not art.get("no_meta"):
        edited = datetime.fromisoformat(art["edited"]) if art.get("edited") else when(art)
        published, modified = site.meta_time(when(art)), site.meta_time(edited)
        if art.get("meta_as"):  # a server whose PHP zone is not the site's: another clock
            zone, hours = art["meta_as"]
            shifted = when(art) + timedelta(hours=hours - 7)
            published = modified = shifted.strftime(f"%Y-%m-%d{zone}%H:%M:%S")
        out += (
            f'<meta property="article:published_time" content="{published}">\n'
            f'<meta property="article:modified_time" content="{modified}">\n'
            f'<meta property="article:section" content="{escape(site.sections[art["section"]]["title"])}">\n'
        )
    return out + f'<link rel="canonical" href="{url}">\n'


# Default theme --------------------------------------------------------------------------


def default_page(site: Site, title: str, main: str, extra_head: str = "", crumb: str = "") -> str:
    menu = "".join(
        f'<li><a title="{escape(s["title"])}" href="{site.cat_path(slug)}/">{escape(s["title"])}</a></li>'
        for slug, s in site.sections.items()
    )
    newest = "".join(
        f'<li class="clearfix"><a class="show" href="{site.art_path(a)}" data-content="" data-rel="block_news_tooltip">{escape(a["title"])}</a></li>'
        for a in site.arts[:4]
    )
    return (
        head(site, title, extra_head)
        + f"""<body>
<noscript><div class="alert alert-danger">Trình duyệt của bạn đã tắt chức năng hỗ trợ JavaScript.</div></noscript>
<header>
<div class="section-header"><div class="wraper"><div id="header"><div class="logo">
<a title="{escape(site.c["site_name"])}" href="{site.lang}/"><img src="/uploads/logo.png" alt="{escape(site.c["site_name"])}"></a>
<span class="site_name">{escape(site.c["site_name"])}</span><span class="site_description">{escape(site.c["site_description"])}</span>
</div></div></div></div>
</header>
<div class="section-nav"><div class="wraper"><nav class="second-nav" id="menusite"><div class="container"><div class="row"><div class="bg box-shadow">
<ul class="site-menu"><li><a title="Trang nhất" href="{site.lang}/">Trang nhất</a></li>{menu}</ul>
</div></div></div></nav></div></div>
<div class="section-body"><div class="wraper"><section><div class="container" id="body">
<nav class="third-nav"><div class="row"><div class="bg"><div class="clearfix">
<div class="col-xs-24 col-sm-18 col-md-18">
<div class="breadcrumbs-wrap"><ul class="temp-breadcrumbs hidden"><li><a href="{site.lang}/" title="Trang nhất"><span>Trang nhất</span></a></li>{crumb}</ul></div>
<span class="current-time">{escape(site.c["today"])}</span>
</div>
<div class="headerSearch col-xs-24 col-sm-6 col-md-6"><div class="input-group"><input type="text" class="form-control" maxlength="60" placeholder="Tìm kiếm..."></div></div>
</div></div></div></nav>
<div class="row">
<div class="col-sm-16 col-md-18">
{main}
</div>
<div class="col-sm-8 col-md-6">
<div class="panel panel-primary"><div class="panel-heading">Tin mới</div><div class="panel-body">
<ul class="block_news list-none list-items">{newest}</ul>
</div></div>
<div class="panel panel-default"><div class="panel-heading">Thông báo</div><div class="panel-body">
<ul class="block_news list-none list-items">
<li class="clearfix"><a class="show" href="{site.lang}/thong-bao/thong-bao/lich-tiep-cong-dan-cua-giam-doc-so-thang-8-12.html">Lịch tiếp công dân của Giám đốc Sở tháng 8</a></li>
<li class="clearfix"><a class="show" href="{site.lang}/thong-bao/thong-bao/thong-bao-tuyen-dung-vien-chuc-trung-tam-kiem-dinh-11.html">Thông báo tuyển dụng viên chức Trung tâm Kiểm định</a></li>
</ul></div></div>
</div>
</div>
</div></section></div></div>
<footer class="section-footer-top" id="footer"><div class="wraper"><div class="container"><div class="row">
<div class="col-xs-24 col-md-16"><p><strong>{escape(site.c["site_name"])}</strong><br>Bản quyền thuộc về {escape(site.c["site_name"])}. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p></div>
</div></div></div></footer>
<nav class="section-footer-bottom footerNav2"><div class="wraper"><div class="container"><div class="bttop"><a class="pointer"><i class="fa fa-eject fa-lg"></i></a></div></div></div></nav>
<script src="/themes/default/js/main.js"></script>
</body>
</html>
"""
    )


def default_listing(
    site: Site, section: str, chunk: list[dict], rest: list[dict], page: int, pages: int
) -> str:
    s = site.sections[section]
    panels = []
    for n, a in enumerate(chunk):
        tag = "h2" if n == 0 and page == 1 else "h3"
        cls = "panel-body featured" if tag == "h2" else "panel-body"
        href = site.art_path(a, section)
        img = ""
        if a.get("image"):
            img = f'<a href="{href}" title="{escape(a["title"])}"><img alt="{escape(a["title"])}" src="{site.upload(a, a["image"], "assets")}" width="100" class="img-thumbnail pull-left imghome" /></a>\n'
        views = 100 + a["id"] % 900
        panels.append(
            f"""<div class="panel panel-default">
<div class="{cls}">
{img}<{tag}><a href="{href}" title="{escape(a["title"])}">{escape(a["title"])}</a></{tag}>
<div class="text-muted"><ul class="list-unstyled list-inline">
<li><em class="fa fa-clock-o">&nbsp;</em> {when(a):%d/%m/%Y %H:%M:%S}</li>
<li><em class="fa fa-eye">&nbsp;</em> Đã xem: {views}</li>
</ul></div>
{escape(a["hometext"])}
</div>
</div>"""
        )
    desc = ""
    if page == 1:
        desc = f'<div class="news_column"><div class="alert alert-info clearfix"><h1>{escape(s["title"])}</h1><p>Thông tin {escape(s["title"].lower())} của {escape(site.c["site_name"])}.</p></div></div>\n'
    related = ""
    if rest:
        items = "".join(
            f'<li><em class="fa fa-angle-right">&nbsp;</em><a href="{site.art_path(a, section)}" title="{escape(a["title"])}">{escape(a["title"])} <em>({when(a):%d/%m/%Y}) </em></a></li>'
            for a in rest[:3]
        )
        related = f'<hr/>\n<h4>Các tin khác</h4>\n<ul class="related list-items">{items}</ul>\n'
    base_url = site.cat_path(section)
    main = (
        desc
        + '<div class="news_column">\n'
        + "\n".join(panels)
        + "\n</div>\n"
        + related
        + f'<div class="clearfix"></div>\n<div class="text-center">\n{pager(base_url, s["title"], pages, page)}\n</div>'
    )
    crumb = f'<li><a href="{base_url}/" title="{escape(s["title"])}"><span class="txt">{escape(s["title"])}</span></a></li>'
    title = s["title"] + ("" if page == 1 else f" - Trang {page}")
    return default_page(site, title, main, crumb=crumb)


def others(site: Site, art: dict) -> tuple[list[dict], list[dict]]:
    same = [a for a in site.arts if a["section"] == art["section"]]
    i = same.index(art)
    return same[max(0, i - 3) : i], same[i + 1 : i + 4]


def default_article(site: Site, art: dict) -> str:
    url = site.base + site.art_path(art)
    newer, older = others(site, art)
    edited = art.get("edited") or iso(art)

    def block(title: str, items: list[dict]) -> str:
        if not items:
            return ""
        lis = "".join(
            f'<li><em class="fa fa-angle-right">&nbsp;</em><h4><a href="{site.art_path(a)}" title="{escape(a["title"])}">{escape(a["title"])}</a></h4><em>({when(a):%d/%m/%Y})</em></li>'
            for a in items
        )
        return f'<p class="h3"><strong>{title}</strong></p>\n<div class="clearfix"><ul class="detail-related related list-none list-items">{lis}</ul></div>\n'

    fig = ""
    if art.get("image"):
        fig = f'<figure class="article left noncaption pointer" style="width:140px;"><p class="text-center"><img alt="{escape(art["title"])}" src="{site.upload(art, art["image"], "assets")}" class="img-thumbnail"/></p></figure>\n'
    s = site.sections[art["section"]]
    main = f"""<div class="news_column panel panel-default" itemtype="http://schema.org/NewsArticle" itemscope>
<div class="panel-body">
<h1 class="title margin-bottom-lg" itemprop="headline">{escape(art["title"])}</h1>
<div class="hidden hide d-none" itemprop="author" itemtype="http://schema.org/Person" itemscope><span itemprop="name">{escape(art.get("author") or site.c["site_name"])}</span></div>
<span class="hidden hide d-none" itemprop="datePublished">{edited}</span>
<span class="hidden hide d-none" itemprop="dateModified">{edited}</span>
<span class="hidden hide d-none" itemprop="mainEntityOfPage">{url}</span>
<div class="hidden hide d-none" itemprop="publisher" itemtype="http://schema.org/Organization" itemscope><span itemprop="name">{escape(site.c["site_name"])}</span></div>
<div class="row margin-bottom-lg">
<div class="col-md-12"><span class="h5">{site.detail_date(art)}</span></div>
<div class="col-md-12"><ul class="list-inline text-right">
<li><a class="dimgray" rel="nofollow" title="In ra" href="javascript: void(0)"><em class="fa fa-print fa-lg">&nbsp;</em></a></li>
<li><a class="dimgray" rel="nofollow" title="Lưu bài viết này" href="{site.lang}/{s["module"]}/savefile/{s["cat"]}/{art["slug"]}-{art["id"]}.html"><em class="fa fa-save fa-lg">&nbsp;</em></a></li>
</ul></div>
</div>
<div class="clearfix">
{fig}<div class="hometext m-bottom" itemprop="description">{escape(art["hometext"])}</div>
</div>
<div id="news-bodyhtml" class="bodytext margin-bottom-lg">
{body_html(site, art)}
</div>
{author_html(art)}
</div>
</div>
<div class="news_column panel panel-default"><div class="panel-body"><div class="h5"><em class="fa fa-tags">&nbsp;</em><strong>Tags: </strong><a title="xây dựng" href="{site.lang}/{s["module"]}/tag/xay-dung"><em>xây dựng</em></a></div></div></div>
<div class="news_column panel panel-default"><div class="panel-body" style="margin-bottom:0"><div style="display:flex;align-items:flex-start;"><div class="margin-right"><div class="fb-like" data-href="{url}" data-layout="button_count" data-action="like" data-share="true"></div></div><div><div class="zalo-share-button" data-href="" data-oaid="" data-layout="1"></div></div></div></div></div>
<div class="news_column panel panel-default">
<div class="panel-body other-news">
{block("Những tin mới hơn", newer)}{block("Những tin cũ hơn", older)}</div>
</div>"""
    crumb = f'<li><a href="{site.cat_path(art["section"])}/" title="{escape(s["title"])}"><span class="txt">{escape(s["title"])}</span></a></li>'
    html = default_page(site, art["title"], main, article_meta(site, art, url), crumb)
    return unicodedata.normalize("NFD", html) if art.get("nfd") else html


# Custom "tms" theme ---------------------------------------------------------------------


def tms_page(site: Site, title: str, main: str, extra_head: str = "") -> str:
    menu = "".join(
        f'<li><a href="{site.base}{site.cat_path(slug)}/">{escape(s["title"])}</a></li>'
        for slug, s in site.sections.items()
    )
    newest = "".join(
        f'<li><a href="{site.base}{site.art_path(a)}">{escape(a["title"])}</a><span class="tms_date_block">{when(a):%d/%m/%Y}</span></li>'
        for a in site.arts[:4]
    )
    return (
        head(site, title, extra_head)
        + f"""<body>
<div class="tms_header">
<div class="tms_topbar"><div class="container"><div class="tms_date_now"><i class="fa fa-calendar"></i> {escape(site.c["today"])}</div><div class="tms_hotline">Đường dây nóng: 0236.3821.016</div></div></div>
<div class="container"><a class="tms_logo" href="/"><img src="/uploads/logo-cdc.png" alt="{escape(site.c["site_name"])}"></a></div>
<div class="tms_menu"><div class="container"><ul class="tms_menu_ul"><li><a href="/">Trang chủ</a></li>{menu}<li><a href="/services/bang-gia-va-tinh-trang-vac-xin.html">Bảng giá vắc xin</a></li></ul></div></div>
</div>
<div class="tms_body"><div class="container"><div class="row">
<div class="col-md-17 tms_main">
{main}
</div>
<div class="col-md-7 tms_right">
<div class="tms_block"><div class="tms_title"><span>Tin mới nhất</span></div><ul class="tms_block_news">{newest}</ul></div>
<div class="tms_block"><div class="tms_title"><span>Lịch tiêm chủng</span></div><p>Tiêm dịch vụ: Thứ Hai – Thứ Bảy, sáng 7h00 – 11h00, chiều 13h30 – 16h30.</p></div>
</div>
</div></div></div>
<div class="tms_footer"><div class="container"><p><strong>{escape(site.c["site_name"])}</strong><br>Địa chỉ: 118 Lê Đình Lý, Đà Nẵng · Điện thoại: 0236.3821.016</p></div></div>
<script src="/themes/tms/js/tms.js"></script>
</body>
</html>
"""
    )


def tms_listing(
    site: Site, section: str, chunk: list[dict], rest: list[dict], page: int, pages: int
) -> str:
    s = site.sections[section]
    items = []
    for a in chunk:
        href = site.base + site.art_path(a, section)
        img = ""
        if a.get("image"):
            img = f'<a class="tms_img" href="{href}"><img src="{site.upload(a, a["image"], "assets")}" alt="{escape(a["title"])}"></a>'
        items.append(
            f'<li class="clearfix">{img}<h4><a href="{href}" title="{escape(a["title"])}">{escape(a["title"])}</a></h4>'
            f'<div class="tms_date"><i class="fa fa-calendar"></i> {a["date"]}</div>'
            f'<p class="tms_mota">{escape(a["hometext"])}</p></li>'
        )
    main = (
        f'<div class="tms_cat_title"><h1>{escape(s["title"])}</h1></div>\n'
        f'<div class="tms_list_tin"><ul>\n' + "\n".join(items) + "\n</ul></div>\n"
        f'<div class="tms_phantrang text-center">{pager(site.cat_path(section), s["title"], pages, page)}</div>'
    )
    return tms_page(site, s["title"] + ("" if page == 1 else f" - Trang {page}"), main)


def tms_article(site: Site, art: dict) -> str:
    url = site.base + site.art_path(art)
    newer, older = others(site, art)
    views = 200 + art["id"] % 700

    def block(cls: str, title: str, items: list[dict]) -> str:
        if not items:
            return ""
        lis = "".join(
            f'<li><a href="{site.base}{site.art_path(a)}">{escape(a["title"])}</a> <span class="tms_date_small">({a["date"]})</span></li>'
            for a in items
        )
        return f'<div class="{cls}"><div class="tms_title"><span>{title}</span></div><ul>{lis}</ul></div>\n'

    date = ""
    if not art.get("no_page_date"):
        date = f'<div class="tms_tintuc_date"><i class="fa fa-clock-o"></i> {art["date"]} {art["time"]} | Lượt xem: {views}</div>\n'
    main = f"""<div class="tms_tintuc_detail">
<div class="tms_tintuc_titlle"><h1>{escape(art["title"])}</h1></div>
{date}<div class="tms_tintuc_sapo"><strong>{escape(art["hometext"])}</strong></div>
<div id="news-bodyhtml" class="bodytext tms_tintuc_content">
{body_html(site, art)}
</div>
{author_html(art)}
<div class="tms_share"><div class="fb-like" data-href="{url}" data-layout="button_count"></div> <div class="zalo-share-button" data-href="{url}"></div></div>
</div>
{block("tms_tinlienquan", "Tin liên quan", older)}{block("tms_tinkhac", "Các tin khác", newer)}"""
    return tms_page(site, art["title"], main, article_meta(site, art, url))


# Build ------------------------------------------------------------------------------------


def build(content: dict, out_root: Path, expected_root: Path) -> dict:
    site = Site(content)
    portal = content["portal"]
    folder = common.fresh_dir(out_root / portal)
    main = common.Host(folder / "main")
    main.add("/robots.txt", "robots.txt", ROBOTS)
    render_article = default_article if site.theme == "default" else tms_article
    render_listing = default_listing if site.theme == "default" else tms_listing
    main.add(
        f"{site.lang}/",
        "index.html",
        (default_page if site.theme == "default" else tms_page)(
            site, "Trang nhất", "<h1>Trang nhất</h1>"
        ),
    )
    per = content["per_page"]
    requested = []
    for section in site.sections:
        listed = site.in_section(section)
        chunks = [listed[i : i + per] for i in range(0, len(listed), per)]
        for page, chunk in enumerate(chunks, start=1):
            rest = [a for c in chunks[page:] for a in c]
            html = render_listing(site, section, chunk, rest, page, len(chunks))
            name = f"listing/{section}-{page}.html"
            main.add(site.list_path(section, page), name, html)
            if page == 1:
                main.route(site.cat_path(section) + "/", name)
        requested.append(site.list_path(section, len(chunks)))
    shade = 0
    for art in site.arts:
        html = render_article(site, art)
        name = f"articles/{art['section']}-{art['id']}.html"
        main.add(site.art_path(art), name, html)
        for other in art.get("also_in", []):
            main.route(site.art_path(art, other), name)
        for key, kind in (("image", "uploads"), ("image", "assets"), ("lazy_image", "uploads")):
            if art.get(key):
                shade += 1
                main.add(
                    site.upload(art, art[key], kind),
                    f"{kind}/{art[key]}",
                    common.png(12, 8, (30 + shade * 7 % 200, 110, 140)),
                )
    main.close()
    write_readme(folder, content, site)
    common.write_expected(expected_root, portal, expected(site, portal, requested))
    return common.write_site(folder, portal, {"main": site.base}, len(site.arts))


def expected(site: Site, portal: str, requested: list[str]) -> dict:
    articles = []
    for art in site.arts:
        module = site.sections[art["section"]]["module"]
        article_id = str(art["id"]) if module == "news" else f"{module}-{art['id']}"
        published = iso(art)
        if art.get("no_meta") and art.get("no_page_date"):
            published = when(art).strftime("%Y-%m-%dT00:00:00+07:00")  # the listing's date
        articles.append(
            {
                "key": f"{portal}:{article_id}",
                "url": site.base + site.art_path(art),
                "section": art["section"],
                "title": unicodedata.normalize("NFC", art["title"]),
                "published": published,
                "body_contains": [art["hometext"], art["paragraphs"][-1]],
            }
        )
    if site.theme == "default":
        absent = [
            "Những tin mới hơn",
            "Những tin cũ hơn",
            "Tin mới",
            "Thông báo",
            "Tags:",
            "Đã xem",
            "Lịch tiếp công dân của Giám đốc Sở tháng 8",
            "Trang nhất",
            "Ghi rõ nguồn",
            site.c["today"],
            "Tác giả:",
        ]
    else:
        absent = [
            "Tin liên quan",
            "Các tin khác",
            "Tin mới nhất",
            "Lịch tiêm chủng",
            "Lượt xem",
            "Đường dây nóng",
            "Tiêm dịch vụ: Thứ Hai",
            "Bảng giá vắc xin",
            site.c["today"],
            "Tác giả:",
        ]
    return {"articles": articles, "dropped": [], "absent": absent, "requested": requested}


def write_readme(folder: Path, content: dict, site: Site) -> None:
    if site.theme == "default":
        model = f"""Modelled on NukeViet's default theme ({REPO}, commit `{COMMIT}`):

- `themes/default/layout/layout.main-right.tpl`, `header_only.tpl`, `header_extended.tpl`
  (menu, breadcrumbs, `span.current-time` showing today's date), `footer_extended.tpl`,
  `block.primary.tpl` / `block.default.tpl` (sidebar panels), `modules/news/block_news.tpl`;
- `themes/default/modules/news/viewcat_page.tpl` (what `viewcat_page_new()` in
  `modules/news/theme.php` renders: featured `h2` + `h3` panels, `d/m/Y H:i:s` dates,
  "Các tin khác" list) and the pager of `includes/functions.php` `nv_alias_page()`
  (`/page-N`, `rel="next"`, its stray `<li>` after the active page);
- `themes/default/modules/news/detail.tpl` (`h1[itemprop=headline]`, `span.h5` with
  `nv_date('l - d/m/Y H:i')`, `.hometext`, `#news-bodyhtml`, `p.h5.text-right` author,
  tags, social and `.other-news` panel with "Những tin mới hơn" / "Những tin cũ hơn");
- the head tags of `modules/news/funcs/detail.php` (`article:published_time` from
  `date('Y-m-dTH:i:s')`) and `modules/news/theme.php` `detail_theme()` (schema.org
  `datePublished` overwritten with the edit time)."""
        cases = """- `article:published_time` is NukeViet's broken `2024-06-25+0714:30:00` on every article.
- Article 1574 was edited: `span[itemprop=datePublished]` and `article:modified_time` hold
  the edit time (2025-03-03 08:15); the published date must stay 2025-02-18 15:05.
- The header shows today's date (`span.current-time`: "Thứ sáu, 01/08/2025, 09:00"),
  never an article's date.
- Article 1495 is in two categories: listed first on "Quy hoạch - Kiến trúc" page 1 and
  again on the last page of "Tin tức - Sự kiện" under `/tin-tuc-su-kien/…-1495.html`; its
  canonical link names its primary category: one item, primary URL and section.
- Article 1561 is served in decomposed Unicode (NFD).
- Listings page to the end with `/page-2`, `/page-3`; page 1 also answers with a trailing
  slash (as the menu links it); the "Các tin khác" list under the entries and the sidebar
  "Tin mới"/"Thông báo" blocks are not listing entries."""
    else:
        model = f"""Modelled on a custom NukeViet theme of the kind ksbtdanang.vn runs (class names
`tms_list_tin`, `tms_tintuc_titlle`, per public scraper code of that site), keeping what
every NukeViet theme keeps from {REPO} (commit `{COMMIT}`): the news module's URLs and
`#news-bodyhtml` (`themes/default/modules/news/detail.tpl`), the pager of
`includes/functions.php` `nv_alias_page()` and the head tags of
`modules/news/funcs/detail.php`. Two news modules: `news` and the virtual module
`cam-nang-vac-xin` (its own id sequence, so its keys are prefixed)."""
        cases = """- `article:published_time` comes from a server with old time-zone data:
  `2024-06-25ICT14:30:00`; read naively it gives midnight, the right time is 14:30 +07:00.
- Dates on the page are `25/06/2024 14:30 | Lượt xem: N` (no weekday); listings show only
  `dd/mm/yyyy`; the header shows today's date ("Thứ Sáu, 01/08/2025").
- The `cam-nang-vac-xin` guide pages show no date at all (the meta gives it); article 16 has
  neither a date line nor the meta: its date is the listing's (2024-08-15, no time).
- Module path without `/news/`: `/cam-nang-vac-xin/<cat>/<alias>-<id>.html`, keys
  `cam-nang-vac-xin-<id>`; listing links are absolute URLs.
- "Tin liên quan" and "Các tin khác" blocks after the article with their own dates.
- Mixed tone-mark placement (`Hoà Vang` in a title, `Hòa Vang` in the lead, `hoà đồng`).
- A lazy image (`data-src`) in article 2219.
- Article 2172's meta comes from a server on US Eastern time: `2024-11-11EST22:00:00`
  (the previous day); an unknown zone abbreviation makes the meta unusable, so the date
  is the page's `12/11/2024 10:00`."""
    text = f"""# {content["portal"]}: offline snapshot of {content["base"]} (NukeViet)

Rendered by `tools/snapshot_builders/nukeviet.py` from `tools/snapshot_content/{content["portal"]}.json`
(text written for tinmoi). No template code was copied; the HTML is written to the shape
the CMS emits.

{model}

## Special cases

{cases}

What a backfill crawl must give: `tests/fixtures/expected/{content["portal"]}.json`.
"""
    (folder / "README.md").write_text(text, encoding="utf-8")
