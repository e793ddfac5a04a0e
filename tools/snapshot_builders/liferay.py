"""Liferay snapshots (6.2 and 7.x Asset Publisher portals) from tools/snapshot_content/*.json.

The markup follows Liferay's own Asset Publisher views: ``display/abstracts.jsp`` and
``display/full_content.jsp`` of 6.2 (``html/portlet/asset_publisher/``; ``asset-abstract``,
``h3.asset-title``, ``asset-summary``, ``asset-metadata`` > ``metadata-publish-date``;
``liferay-ui:header`` > ``h3.header-title``, ``asset-full-content`` > ``asset-content`` >
``journal-content-article``), the 6.2 ``liferay-ui:search-paginator`` (``lfr-pagination``,
``_101_INSTANCE_<id>_cur``) and the 7.x Clay paginator (``pagination-bar``,
``_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_<id>_cur``), and
the custom ``news-item`` list template of hochiminhcity.gov.vn (desktop and mobile cards).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from urllib.parse import quote

from . import common

AP7 = "com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_"
TODAY = "Thứ Sáu, ngày 01/08/2025"  # the theme header's date: never an article's


def build(content: dict, out_root: Path, expected_root: Path) -> dict:
    """Render the portal's snapshot and what a backfill of it must give."""
    return _Site(content).build(out_root, expected_root)


class _Site:
    def __init__(self, content: dict) -> None:
        self.c = content
        self.v62 = content["variant"] == "6.2"
        self.base = content["base"]
        self.portal = content["portal"]
        self.sections = {s["slug"]: s for s in content["sections"]}
        self.arts = sorted(content["articles"], key=lambda a: _sort_key(a), reverse=True)
        self.by_id = {a["id"]: a for a in self.arts}

    # URLs ---------------------------------------------------------------------------------

    def ns(self, instance: str) -> str:
        return f"_101_INSTANCE_{instance}_" if self.v62 else f"_{AP7}{instance}_"

    def page_url(self, section: dict, number: int) -> str:
        """A listing page as the paginator links it (page 1 of the menu is the bare page)."""
        inst, ns = section["instance"], self.ns(section["instance"])
        delta = self.delta(section)
        if self.v62:
            query = (
                f"p_p_id=101_INSTANCE_{inst}&p_p_lifecycle=0&p_p_state=normal&p_p_mode=view"
                f"&p_p_col_id=column-1&p_p_col_count=2&{ns}delta={delta}&{ns}keywords="
                f"&{ns}advancedSearch=false&{ns}andOperator=true&p_r_p_564233524_resetCur=false"
                f"&{ns}cur={number}"
            )
        else:
            query = (
                f"p_p_id={AP7}{inst}&p_p_lifecycle=0&p_p_state=normal&p_p_mode=view"
                f"&{ns}delta={delta}&p_r_p_resetCur=false&{ns}cur={number}"
            )
        return f"{section['page']}?{query}"

    def delta(self, section: dict) -> int:
        return int(section.get("delta") or self.c.get("delta") or 3)

    def clean_path(self, art: dict, *, full_site: bool = False) -> str:
        """The article's path without query: what the spider stores."""
        if self.v62:
            prefix = f"/web/{self.c['friendly_site']}" if full_site else ""
            return (
                f"{prefix}{self.c['detail_page']}/-/asset_publisher/{self.c['detail_instance']}"
                f"/content/{art['slug']}/{self.c['group_id']}"
            )
        if art["section"] == "tin-tuc-su-kien" or full_site:
            return f"/web/{self.c['friendly_site']}/-/{art['slug']}"
        section = self.sections[art["section"]]
        tail = f"id/{art['id']}" if "content_id" in art.get("flags", ()) else art["slug"]
        return f"{section['page']}/-/asset_publisher/{section['instance']}/content/{tail}"

    def linked_path(self, art: dict, listing: str) -> str:
        """The article's link as a list prints it, junk included."""
        path = self.clean_path(art)
        if self.v62:
            junk = f"?inheritRedirect=true&redirect={quote(listing, safe='')}"
            return path + (junk if "redirect_junk" in art.get("flags", ()) else "")
        if "/asset_publisher/" not in path:
            return path
        section = self.sections[art["section"]]
        ns = self.ns(section["instance"])
        return (
            f"{path}?{ns}assetEntryId={art['id']}"
            f"&{ns}redirect={quote(self.base + listing, safe='')}"
        )

    def cross_path(self, art: dict, listing: str) -> str:
        """A cross-listed article as another section's list links it: by the site path
        without junk (6.2), through that list's own portlet with junk (7.x)."""
        if self.v62:
            return self.clean_path(art, full_site=True)
        section = self.sections[self._home_style(listing)]
        return self.linked_path({**art, "section": section["slug"], "flags": []}, listing)

    def public(self, art: dict) -> str:
        return self.base + self.clean_path(art)

    # Pages --------------------------------------------------------------------------------

    def page(self, title: str, main: str, sidebar: str, head: str = "") -> str:
        menu = "".join(
            f'<li class="lfr-nav-item"><a href="{escape(s["page"])}"><span>{escape(s["title"])}</span></a></li>'
            for s in self.sections.values()
        )
        theme = "sldtbxh-theme" if self.v62 else "hcm-theme"
        body_class = "yui3-skin-sam controls-visible guest-site signed-out public-page site"
        scripts = (
            '<script src="/html/js/barebone.jsp?browserId=other&amp;themeId=sldtbxh_WAR_sldtbxhtheme&amp;colorSchemeId=01&amp;minifierType=js&amp;minifierBundleId=javascript.barebone.files&amp;t=1559803534000"></script>'
            if self.v62
            else '<script src="/o/frontend-js-web/liferay/global.bundle.js"></script><script>Liferay.authToken = "x7PqLm2N";</script>'
        )
        return f"""<!DOCTYPE html>
<html class="ltr" dir="ltr" lang="vi-VN">
<head>
<title>{escape(title)} - {escape(self.c["site_name"])}</title>
<meta content="initial-scale=1.0, width=device-width" name="viewport" />
<meta content="text/html; charset=UTF-8" http-equiv="content-type" />
{head}<link href="/o/{theme}/images/favicon.ico" rel="Shortcut Icon" />
<link class="lfr-css-file" href="/o/{theme}/css/main.css?browserId=other&amp;themeId={theme}" rel="stylesheet" type="text/css" />
{scripts}
</head>
<body class="{body_class}">
<div class="container-fluid" id="wrapper">
<header id="banner" role="banner">
 <div class="top-bar"><span class="current-date">{TODAY}</span> <a href="/web/{self.c["friendly_site"]}/lien-he">Liên hệ</a> | <a href="/web/{self.c["friendly_site"]}/so-do-site">Sơ đồ site</a></div>
 <div id="heading"><h1 class="site-title"><a class="logo default-logo" href="/" title="{escape(self.c["site_name"])}"><img alt="{escape(self.c["site_name"])}" src="/image/layout_set_logo?img_id=11526&amp;t=1719300000000" /></a></h1></div>
 <nav class="sort-pages modify-pages" id="navigation" role="navigation"><ul aria-label="Trang web" role="menubar"><li class="lfr-nav-item"><a href="/"><span>Trang chủ</span></a></li>{menu}</ul></nav>
</header>
<div id="content">
<div class="portlet-layout row-fluid">
<div class="portlet-column portlet-column-first span8" id="column-1">
{main}
</div>
<div class="portlet-column portlet-column-last span4" id="column-2">
{sidebar}
</div>
</div>
</div>
<footer id="footer" role="contentinfo"><p>{escape(self.c["site_name"])} · Điện thoại: 0204.3854.402 · Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p></footer>
</div>
<script>Liferay.Portlet.runtimePortletIds = ["56_INSTANCE_footer"];</script>
</body>
</html>
"""

    def portlet(self, portlet_id: str, title: str, inner: str, decorate: bool = True) -> str:
        topper = (
            f'<header class="portlet-topper"><h2 class="portlet-title"><span class="portlet-title-text">{escape(title)}</span></h2></header>'
            if decorate
            else ""
        )
        kind = (
            "portlet-asset-publisher"
            if "101_INSTANCE" in portlet_id or AP7 in portlet_id
            else "portlet-journal-content"
        )
        return f"""<div class="portlet-boundary portlet-boundary_{portlet_id.split("_INSTANCE_")[0]}_ portlet-static portlet-static-end portlet-borderless {kind}" id="p_p_id_{portlet_id}_">
<span id="p_{portlet_id}"></span>
<section class="portlet" id="portlet_{portlet_id}">
{topper}
<div class="portlet-content"><div class="portlet-content-container"><div class="portlet-body">
{inner}
</div></div></div>
</section>
</div>"""

    def ap_id(self, instance: str) -> str:
        return f"101_INSTANCE_{instance}" if self.v62 else f"{AP7}{instance}"

    def sidebar(self, with_featured: bool) -> str:
        newest = self.arts[:4]
        items = "".join(
            f'<li class="title-list"><a href="{escape(self.clean_path(a))}">{escape(a["title"])}</a> <span class="date">({a["date"]})</span></li>'
            for a in newest
        )
        out = self.portlet(
            self.ap_id("NewsSide0001"), "Tin mới", f'<ul class="title-list">{items}</ul>'
        )
        featured = self.c.get("featured")
        if with_featured and featured:
            path = f"/web/{self.c['friendly_site']}/-/{featured['slug']}"
            card = f"""<div class="news-items row"><div class="news-item col-lg-12"><div class="img-hover mb-3"><a href="{escape(path)}" class="d-flex w-100 text-decoration-none"><p class="asset-publisher-title">{escape(featured["title"])}</p><span class="text-date-sklh">{featured["time"]} | {featured["date"]}</span></a></div></div></div>"""
            out = self.portlet(self.ap_id("Feat7wQz1nPk"), "Tin nổi bật", card) + out
        links = '<ul><li><a href="https://chinhphu.vn">Cổng TTĐT Chính phủ</a></li><li><a href="https://dichvucong.gov.vn">Cổng Dịch vụ công quốc gia</a></li></ul>'
        return out + self.portlet(
            "56_INSTANCE_links",
            "Liên kết website",
            f'<div class="journal-content-article">{links}</div>',
        )

    # Listings -----------------------------------------------------------------------------

    def entries(self, slug: str) -> list[tuple[str, dict]]:
        """(kind, article) of a section's list in order: its own articles newest first,
        then cross-listed ones and dead links (listed last: older in the list's order)."""
        found = [("own", a) for a in self.arts if a["section"] == slug]
        found += [
            ("cross", a)
            for a in self.arts
            if a["section"] != slug and "also_in_other_section" in a.get("flags", ())
        ]
        dead = self.c.get("dead_link")
        if dead and dead["section"] == slug:
            found.append(("dead", {**dead, "id": 0, "lead": dead["title"], "section": slug}))
        return found

    def listing_entry(self, kind: str, art: dict, listing: str, index: int) -> str:
        if kind == "cross":
            href = self.cross_path(art, listing)
        elif kind == "dead":
            href = self.clean_path(art)
        else:
            href = self.linked_path(art, listing)
            if "relative_link" in art.get("flags", ()):
                href = href.lstrip("/")
            if "jsessionid" in art.get("flags", ()):
                path, _, query = href.partition("?")
                href = f"{path};jsessionid=8F3C2A9B1D7E4F60A5B2C3D4E5F60718" + (
                    f"?{query}" if query else ""
                )
        summary = escape(art["lead"][:150]) + "…"
        if self.v62:
            return f"""<div class="asset-abstract ">
<h3 class="asset-title"><a href="{escape(href)}"><img alt="" src="/o/sldtbxh-theme/images/file_system/small/article.png" /> {escape(art["title"])}</a></h3>
<div class="asset-content"><div class="asset-summary">{summary}</div>
<div class="asset-more"><a href="{escape(href)}">Xem tiếp <span class="hide-accessible">về {escape(art["title"])}</span> &raquo; </a></div></div>
<div class="asset-metadata"><span class="metadata-entry metadata-publish-date">{art["date"]}</span></div>
</div>"""
        section = (
            self.sections[art["section"]]
            if kind != "cross"
            else self.sections[self._home_style(listing)]
        )
        if section["style"] == "news-item":
            image = (
                f'<img class="img-fluid" src="/documents/{self.c["group_id"]}/0/{art["image"]}" alt="" />'
                if art.get("image")
                else ""
            )
            card = f"""<p class="asset-publisher-title" title="{escape(art["title"])}">{escape(art["title"])}</p><div class="limit-tin-descc-news"><p>{summary}</p></div>"""
            return f"""<div class="news-item col-lg-6">
 <div class="d-md-block d-none img-hover mb-3"><a href="{escape(href)}" class="d-flex w-100 same-height text-decoration-none">{image}{card}<span class="text-date-sklh">{art["time"]} | {art["date"]}</span></a></div>
 <div class="d-md-none d-block img-hover mb-3"><a href="{escape(href)}" class="row same-height text-decoration-none"><p class="asset-publisher-title">{escape(art["title"])}</p><span>{art["time"]} | {art["date"]}</span></a></div>
</div>"""
        return f"""<div class="asset-abstract">
<h4 class="asset-title"><a href="{escape(href)}">{escape(art["title"])}</a></h4>
<div class="asset-summary">{summary}</div>
<div class="asset-publish-date">{art["date"]}</div>
</div>"""

    def _home_style(self, listing: str) -> str:
        for slug, section in self.sections.items():
            if listing.startswith(section["page"]):
                return slug
        raise ValueError(listing)

    def paginator(self, section: dict, number: int, pages: int, total: int) -> str:
        delta = self.delta(section)
        first, last = (number - 1) * delta + 1, min(number * delta, total)
        ns = self.ns(section["instance"])

        def link(n: int, label: str, css: str = "") -> str:
            if n < 1 or n > pages or n == number:
                return f'<li class="disabled {css}"><a href="javascript:;">{label}</a></li>'
            return (
                f'<li class="{css}"><a href="{escape(self.page_url(section, n))}">{label}</a></li>'
            )

        if self.v62:
            options = "".join(
                f'<li><a href="{escape(self.page_url(section, n))}">{n}</a></li>'
                for n in range(1, pages + 1)
            )
            deltas = "".join(
                f'<li><a href="{escape(self.page_url(section, 1).replace(f"{ns}delta={delta}", f"{ns}delta={d}"))}">{d}</a></li>'
                for d in (5, 10, 20)
            )
            return f"""<div class="taglib-page-iterator" id="{ns}assetEntriesSearchContainerPageIterator">
<div class="clearfix lfr-pagination">
<div class="lfr-pagination-config">
<div class="lfr-pagination-page-selector"><div class="btn-group lfr-icon-menu current-page-menu"><a class="dropdown-toggle direction-down max-display-items-15 btn" href="javascript:;" title="Trang {number} trên {pages}"><span class="lfr-icon-menu-text">Trang {number} trên {pages}</span> <i class="caret"></i></a><ul class="dropdown-menu lfr-menu-list direction-down">{options}</ul></div></div>
<div class="lfr-pagination-delta-selector"><div class="btn-group lfr-icon-menu"><a class="dropdown-toggle direction-down btn" href="javascript:;"><span class="lfr-icon-menu-text">{delta} Mục mỗi Trang</span></a><ul class="dropdown-menu lfr-menu-list direction-down">{deltas}</ul></div></div>
</div>
<small class="search-results">Hiển thị {first} - {last} trong {total} kết quả.</small>
<ul class="lfr-pagination-buttons pager">{link(1, "&larr; Đầu", "first")}{link(number - 1, "Trước")}{link(number + 1, "Tiếp")}{link(pages, "Cuối &rarr;", "last")}</ul>
</div></div>"""
        items = []
        for n in range(1, pages + 1):
            if n == number:
                items.append(
                    f'<li class="page-item active"><a class="page-link" href="javascript:;">{n}</a></li>'
                )
            else:
                items.append(
                    f'<li class="page-item"><a class="page-link" href="{escape(self.page_url(section, n))}">{n}</a></li>'
                )
        prev = (
            f'<li class="page-item"><a class="page-link" href="{escape(self.page_url(section, number - 1))}"><span class="sr-only">Trước</span>&lsaquo;</a></li>'
            if number > 1
            else '<li class="page-item disabled"><a class="page-link" href="javascript:;"><span class="sr-only">Trước</span>&lsaquo;</a></li>'
        )
        nxt = (
            f'<li class="page-item"><a class="page-link" href="{escape(self.page_url(section, number + 1))}"><span class="sr-only">Tiếp</span>&rsaquo;</a></li>'
            if number < pages
            else '<li class="page-item disabled"><a class="page-link" href="javascript:;"><span class="sr-only">Tiếp</span>&rsaquo;</a></li>'
        )
        return f"""<div class="pagination-bar" data-qa-id="paginator" id="{ns}ocerSearchContainerPageIterator">
<div class="dropdown pagination-items-per-page"><a class="dropdown-toggle page-link" data-toggle="liferay-dropdown" href="javascript:;">{delta} Mục</a></div>
<div class="pagination-results">Hiển thị {first} đến {last} trong {total} mục.</div>
<ul class="pagination">{prev}{"".join(items)}{nxt}</ul>
</div>"""

    # Articles -----------------------------------------------------------------------------

    def body(self, art: dict, related: list[dict]) -> str:
        parts = []
        if self.v62:
            parts.append(f"<p><strong>{escape(art['lead'])}</strong></p>")
        else:
            parts.append(f'<p class="sapo"><strong>{escape(art["lead"])}</strong></p>')
        if art.get("image"):
            parts.append(
                f'<p style="text-align: center;"><img alt="" src="/documents/{self.c["group_id"]}/0/{art["image"]}/{art["id"]}-0000-4000-8000-000000000000?t=1719300000000" style="width: 600px; height: 400px;" /></p>'
            )
        parts += [f'<p style="text-align: justify;">{escape(p)}</p>' for p in art["paragraphs"]]
        if art.get("author"):
            parts.append(
                f'<p style="text-align: right;"><strong>{escape(art["author"])}</strong></p>'
            )
        if self.v62:  # the VNPT journal template prints tools and "Tin khác" inside the article
            others = "".join(
                f'<li><a href="{escape(self.clean_path(a))}">{escape(a["title"])}</a> <span class="date">({a["date"]})</span></li>'
                for a in related
            )
            parts.append(
                '<div class="article-print-tools"><a class="print-link" href="javascript:window.print();">Bản in</a> | '
                '<a class="email-link" href="javascript:;">Gửi email</a></div>'
            )
            parts.append(
                f'<div class="news-others"><div class="title-others"><span>Tin khác</span></div><ul>{others}</ul></div>'
            )
        return "\n".join(parts)

    def article_page(self, art: dict, canonical: str) -> str:
        section = self.sections[art["section"]]
        related = [a for a in self.arts if a["section"] == art["section"] and a["id"] != art["id"]][
            :3
        ]
        no_date = "no_page_date" in art.get("flags", ())
        if self.v62:
            header = f"""<div class="taglib-header "><span class="header-back-to"><a class="icon-circle-arrow-left previous-level" href="{escape(section["page"])}" title="Quay lại"><span class="helper-hidden-accessible">Quay lại</span></a></span><h3 class="header-title"><span>{escape(art["title"])}</span></h3></div>"""
            date = (
                ""
                if no_date
                else f'<div class="asset-metadata"><span class="metadata-entry metadata-publish-date">{art["date"]}</span></div>'
            )
            links = "".join(
                f'<li class="asset-links-list-item"><a class="asset-title" href="{escape(self.clean_path(a))}">{escape(a["title"])}</a></li>'
                for a in related[:2]
            )
            inner = f"""{header}
<div class="asset-full-content default-asset-publisher show-asset-title">
<div class="asset-user-actions"><div class="print-action"><a href="javascript:;" title="In"><i class="icon-print"></i> Bản in</a></div></div>
<div class="asset-content" id="_101_INSTANCE_{self.c["detail_instance"]}_{art["id"]}">
<div class="journal-content-article">
{self.body(art, related)}
</div>
<div class="taglib-social-bookmarks"><ul class="unstyled"><li class="taglib-social-bookmark-facebook"><a href="http://www.facebook.com/sharer.php?u={escape(canonical)}">Chia sẻ Facebook</a></li></ul></div>
<br />
<div class="taglib-asset-links"><h2 class="asset-links-title"><i class="icon-link"></i> Tin liên quan</h2><ul class="asset-links-list">{links}</ul></div>
</div>
{date}
</div>"""
            main = self.portlet(
                self.ap_id(self.c["detail_instance"]), "Chi tiết tin", inner, decorate=False
            )
            crumbs = f'<ul aria-label="Breadcrumb" class="breadcrumb breadcrumb-horizontal"><li class="first"><a href="/">Trang chủ</a><span class="divider">/</span></li><li><a href="{escape(section["page"])}">{escape(section["title"])}</a></li></ul>'
            main = self.portlet("73_INSTANCE_crumbs", "Điều hướng", crumbs, decorate=False) + main
            head = f'<link href="{escape(canonical)}" rel="canonical" />\n<meta content="{escape(art["lead"][:150])}" lang="vi-VN" name="description" />\n'
            return self.page(art["title"], main, self.sidebar(False), head)
        date = (
            ""
            if no_date
            else f'<div class="asset-publish-date"><i class="icon-time"></i> Cập nhật: {art["time"]} {art["date"]}</div>'
        )
        ns = self.ns(section["instance"])
        others = "".join(
            f'<li><a href="{escape(self.clean_path(a))}">{escape(a["title"])}</a> <span class="text-date-sklh">({a["date"]})</span></li>'
            for a in related
        )
        inner = f"""<div class="h2"><span class="header-back-to"><a class=" lfr-icon-item taglib-icon" href="javascript:;" id="{ns}rjus__column1__0"><span class="taglib-text hide-accessible">Quay lại</span></a></span><span class="header-title">{escape(art["title"])}</span></div>
<div class="asset-full-content clearfix default-asset-publisher show-asset-title">
{date}
<div class="asset-content" id="{ns}{art["id"]}">
<div class="journal-content-article" data-analytics-asset-id="{art["id"]}" data-analytics-asset-title="{escape(art["title"])}" data-analytics-asset-type="web-content">
{self.body(art, related)}
</div>
<div class="pull-right"><div class="taglib-social-bookmarks" id="ykmt_column1_0_socialBookmarks"><a class="social-bookmark" href="http://www.facebook.com/sharer.php?u={escape(canonical)}">Facebook</a> <a class="social-bookmark" href="https://twitter.com/intent/tweet?url={escape(canonical)}">Twitter</a></div></div>
</div>
</div>
<div class="tin-khac"><h3 class="title-tin-khac">Tin khác</h3><ul>{others}</ul></div>"""
        main = self.portlet(self.ap_id(section["instance"]), section["title"], inner)
        head = f'<link data-senna-track="temporary" href="{escape(canonical)}" rel="canonical" />\n<meta property="og:title" content="{escape(art["title"])}">\n'
        return self.page(art["title"], main, self.sidebar(False), head)

    # Build --------------------------------------------------------------------------------

    def build(self, out_root: Path, expected_root: Path) -> dict:
        out = common.fresh_dir(out_root / self.portal)
        main = common.Host(out / "main")
        main.add(
            "/robots.txt",
            "robots.txt",
            "User-agent: *\nDisallow: /c/\nDisallow: /group/\nDisallow: /user/\nDisallow: /api/\n",
        )
        main.add(
            "/", "index.html", self.page("Trang chủ", "<h2>Trang chủ</h2>", self.sidebar(True))
        )
        requested = []
        for slug, section in self.sections.items():
            entries = self.entries(slug)
            delta = self.delta(section)
            chunks = [entries[i : i + delta] for i in range(0, len(entries), delta)]
            for number, chunk in enumerate(chunks, start=1):
                target = section["page"] if number == 1 else self.page_url(section, number)
                listing = section["page"] if self.v62 else target
                items = "\n".join(
                    self.listing_entry(k, a, listing, i) for i, (k, a) in enumerate(chunk)
                )
                if not self.v62 and section["style"] == "news-item":
                    items = f'<div class="news-items row">{items}</div>'
                inner = f'<div class="subscribe-action"></div>\n{items}\n{self.paginator(section, number, len(chunks), len(entries))}'
                html = self.page(
                    section["title"],
                    self.portlet(self.ap_id(section["instance"]), section["title"], inner),
                    self.sidebar(True),
                )
                name = f"listing/{slug}-{number}.html"
                main.add(target, name, html)
                if number == 1:
                    main.route(self.page_url(section, 1), name)
                requested.append(target)
        articles = []
        for index, art in enumerate(self.arts):
            canonical = self.public(art)
            if not self.v62 and "/asset_publisher/" in self.clean_path(art):
                canonical = self.base + self.sections[art["section"]]["page"]  # the layout's own
            html = self.article_page(art, canonical)
            name = f"articles/{art['id']}.html"
            main.add(self.clean_path(art), name, html)
            # The forms real links take: with redirect junk, with the site path.
            main.route(self.clean_path(art, full_site=True), name)
            home = self.sections[art["section"]]["page"]
            main.route(self.linked_path(art, home).replace("&amp;", "&"), name)
            if "also_in_other_section" in art.get("flags", ()):
                for slug, section in self.sections.items():
                    if slug != art["section"]:
                        path = self.cross_path(art, section["page"]).partition("?")[0]
                        main.route(path, name)
            if art.get("image"):
                main.add(
                    f"/documents/{self.c['group_id']}/0/{art['image']}/{art['id']}-0000-4000-8000-000000000000?t=1719300000000",
                    f"images/{art['image']}",
                    common.png(12, 8, (60 + index * 7 % 150, 110, 80)),
                )
            articles.append(
                {
                    "key": f"{self.portal}:{art['slug'] if 'content_id' not in art.get('flags', ()) else 'id-' + str(art['id'])}",
                    "url": self.public(art),
                    "section": art["section"],
                    "title": art["title"],
                    "published": _published(art, self.v62),
                    "body_contains": [art["paragraphs"][0]],
                }
            )
        featured = self.c.get("featured")
        if featured:
            feat = {**featured, "section": next(iter(self.sections)), "flags": []}
            main.add(
                f"/web/{self.c['friendly_site']}/-/{featured['slug']}",
                "articles/featured.html",
                self.article_page(feat, self.base),
            )
        dropped = []
        dead = self.c.get("dead_link")
        if dead:
            dropped.append(
                {"url": self.base + self.clean_path({**dead, "id": 0}), "reason": "http 404"}
            )
        absent = [
            "Tin khác",
            "Tin liên quan",
            "Tin mới",
            "Bản in",
            "Gửi email",
            "Quay lại",
            "Chia sẻ",
            "Facebook",
            TODAY,
            "Liên kết website",
            "Trang chủ",
        ]
        absent += [a["title"] for a in self.arts]
        if featured:
            absent.append(featured["title"])
        common.write_expected(
            expected_root,
            self.portal,
            {"articles": articles, "dropped": dropped, "absent": absent, "requested": requested},
        )
        main.close()
        (out / "README.md").write_text(README[self.c["variant"]].format(**self.c), encoding="utf-8")
        return common.write_site(out, self.portal, {"main": self.base}, len(articles))


def _sort_key(art: dict) -> tuple:
    day, month, year = (int(p) for p in art["date"].split("/"))
    return (year, month, day, art.get("time", ""))


def _published(art: dict, v62: bool) -> str:
    day, month, year = art["date"].split("/")
    no_page_date = "no_page_date" in art.get("flags", ())
    # 6.2 prints dates only; 7.x prints the time on the page and in the news-item list.
    time = "00:00" if v62 else art["time"]
    if not v62 and no_page_date and art["section"] != "tin-tuc-su-kien":
        time = "00:00"
    return f"{year}-{month}-{day}T{time}:00+07:00"


_TEMPLATES = """Markup modelled on Liferay's Asset Publisher JSPs as shipped with 6.2
(`html/portlet/asset_publisher/display/abstracts.jsp` and `display/full_content.jsp`, read in
the copy at github.com/fraunhoferfokus/particity,
`ah_oefit_theme/target/liferay-work/appServerPortalDir/html/portlet/asset_publisher/display/`),
the 7.x full-content header (`div.h2 > span.header-title`, `taglib-social-bookmarks`) as
public 7.x pages print it, and the 6.2 / 7.x search-container paginators."""

README = {
    "6.2": """# {site_name} ({base}) — Liferay 6.2 snapshot

Rendered by `tools/snapshot_builders/liferay.py` from `tools/snapshot_content/{portal}.json`
(text written for tinmoi). Real URL shapes of the Bắc Giang portal family (virtual hosts, no
`/web/<site>` prefix): lists at `/tin-tuc-su-kien`, articles at
`/chi-tiet-tin-tuc/-/asset_publisher/<instanceId>/content/<urlTitle>/<groupId>`, images at
`/documents/<groupId>/...`, paging `?p_p_id=101_INSTANCE_<id>&..._101_INSTANCE_<id>_delta=3&..._101_INSTANCE_<id>_cur=N`.

"""
    + _TEMPLATES
    + """

Special cases:
- list links carry `?inheritRedirect=true&redirect=...` junk (the key and stored URL drop it);
- one list link is relative (`chi-tiet-tin-tuc/-/...`), one carries `;jsessionid=...`;
- one article is also listed in the other section, by its `/web/sldtbxh/...` site path
  (same key; the section where it is first seen wins);
- one article page has no `.metadata-publish-date`: its date comes from the list;
- the VNPT journal template prints "Bản in | Gửi email" and a dated "Tin khác" list *inside*
  `.journal-content-article`; "Tin liên quan" (asset links) and "Tin mới" are outside;
- the theme header shows today's date; a listed article answers 404 (dropped).
""",
    "7.x": """# {site_name} ({base}) — Liferay 7.x snapshot

Rendered by `tools/snapshot_builders/liferay.py` from `tools/snapshot_content/{portal}.json`
(text written for tinmoi). Real URL shapes of hochiminhcity.gov.vn: the news list at the
percent-encoded friendly URL `/tin-t%E1%BB%A9c-s%E1%BB%B1-ki%E1%BB%87n-all-` with a custom
`news-item` template (a desktop and a mobile card per article, date `15:55 | 10/07/2024`),
articles as display pages `/web/hcm/-/<urlTitle>`; paging
`?_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_<id>_cur=N`.
The "Thông báo" list (`/web/hcm/thong-bao`) uses the default abstracts and links
`/-/asset_publisher/<id>/content/<urlTitle>?..._assetEntryId=N&..._redirect=...`.

"""
    + _TEMPLATES
    + """

Special cases:
- every news item links its article twice (desktop and mobile cards): one entry, one key;
- a sidebar Asset Publisher "Tin nổi bật" uses the same `news-item` markup and links an
  article in no crawled section: it must not be taken as a list entry;
- asset-publisher article pages carry the *layout's* canonical (`/web/hcm/thong-bao`), which
  names no article and is ignored; one article is linked as `/content/id/<N>` (key `id-<N>`);
- one article is linked from both lists: as a display page and through the other list's
  portlet with redirect junk (same key);
- one article page has no date: the list's `HH:MM | dd/mm/yyyy` gives it; article pages print
  `Cập nhật: HH:MM dd/mm/yyyy`; the theme header shows today's date.
""",
}
