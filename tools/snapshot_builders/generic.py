"""Snapshots of portals on no known CMS (the ``generic`` platform).

Two hand-made PHP-style themes, one per portal, each with heavy chrome: a top bar
showing today's date, menus, a "Tin mới" sidebar with dated entries, announcement and
link blocks, a visitor counter, share bars, a footer with address and phone numbers,
and related-news blocks with their own dates ("Tin liên quan", "Các tin khác").

- ``cds_binhphuoc``: ``/Tin-tuc/<slug>-<id>.html`` articles, listings
  ``/Danh-muc/<Slug>-<cat>.html?page=N`` with a "Sau »" button, date line
  ``Ngày đăng: 18/06/2025 16:20`` under an ``<h1>``.
- ``dongthap_gov``: ``/tin-tuc/chi-tiet?id=<N>`` articles, listings
  ``/tin-tuc/danh-sach?chuyenmuc=<cat>&page=N`` with numbered page links only, the site
  name in the ``<h1>`` logo and the title in an ``<h2>``, date line
  ``Lượt xem: 1234 | Cập nhật lúc: 17:05 - 19/06/2025``.
"""

from __future__ import annotations

import unicodedata
from html import escape
from pathlib import Path

from tinmoi.snapshot import to_cp1258

from .common import Host, fresh_dir, png, write_expected, write_site

ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /tim-kiem\n"


def build(content: dict, out_root: Path, expected_root: Path) -> dict:
    """Render one generic portal's snapshot and its expectations."""
    portal = content["portal"]
    theme = THEMES[portal]
    out = fresh_dir(out_root / portal)
    main = Host(out / "main")
    main.add("/robots.txt", "robots.txt", ROBOTS)
    sections = {s["slug"]: s for s in content["sections"]}
    arts = sorted(content["articles"], key=lambda a: a["id"], reverse=True)
    for art in arts:
        art["section_title"] = sections[art["section"]]["title"]
        art["path"] = theme.article_path(art)
    newest = arts[:4]
    for index, art in enumerate(arts):
        related = [a for a in arts if a["section"] == art["section"] and a["id"] != art["id"]][:3]
        page = theme.article_page(content, art, newest, related, index)
        name = f"articles/{art['id']}.html"
        if art.get("nfd"):
            page = unicodedata.normalize("NFD", page)
        if art.get("legacy"):
            page = page.replace('<meta charset="utf-8">', "")
            main.add(art["path"], name, to_cp1258(page), "text/html; charset=windows-1258")
        else:
            main.add(art["path"], name, page)
        if art.get("image"):
            main.add(
                theme.image_path(art),
                f"images/{art['image']}",
                png(16, 9, (30, 90 + index * 7, 140)),
            )
    requested = []
    dead = content.get("dead_link")
    for slug, section in sections.items():
        listed = [a for a in arts if a["section"] == slug]
        if dead and dead["section"] == slug:
            listed.append({**dead, "path": theme.article_path(dead), "dead": True})
        per = content["per_page"]
        pages = [listed[i : i + per] for i in range(0, len(listed), per)]
        for number, chunk in enumerate(pages, start=1):
            target = theme.listing_path(section, number)
            page = theme.listing_page(content, section, chunk, number, len(pages), newest)
            main.add(target, f"listing/{slug}-{number}.html", page)
        requested.append(theme.listing_path(section, len(pages)))
    main.add("/", "index.html", theme.home(content, newest))
    main.close()
    (out / "README.md").write_text(theme.readme, encoding="utf-8")
    base = content["base"]
    expected = {
        "articles": [
            {
                "key": f"{portal}:{art['id']}",
                "url": base + art["path"],
                "section": art["section"],
                "title": art["title"],
                "published": published(art),
                "body_contains": [art["lead"], art["paragraphs"][-1]],
            }
            for art in arts
        ],
        "dropped": [{"url": base + theme.article_path(dead), "reason": "http 404"}] if dead else [],
        "absent": [*theme.absent, content["header_date"]],
        "requested": requested,
    }
    write_expected(expected_root, portal, expected)
    return write_site(out, portal, {"main": base}, len(arts))


def published(art: dict) -> str:
    """The ISO date a crawl must find: the listing's bare date where the page has none."""
    day, month, year = art["date"].split("/")
    if art.get("no_date_line"):
        return f"{year}-{month}-{day}T00:00:00+07:00"
    return f"{year}-{month}-{day}T{art['time']}:00+07:00"


def body_html(art: dict, image_src: str, *, lazy: bool = False) -> str:
    """An article's text as the portals' editors write it."""
    parts = []
    if art.get("image"):
        caption = escape(art.get("image_caption") or "")
        if lazy:
            img = f'<img class="lazyload" src="/images/blank.gif" data-src="{image_src}" alt="{caption}">'
        else:
            img = f'<img src="{image_src}" alt="{caption}" width="600">'
        parts.append(f'<p style="text-align: center;">{img}</p>')
        if caption:
            parts.append(f'<p style="text-align: center;"><em>{caption}</em></p>')
    parts += [f'<p style="text-align: justify;">{escape(p)}</p>' for p in art["paragraphs"]]
    if art.get("author"):
        parts.append(f'<p style="text-align: right;"><strong>{escape(art["author"])}</strong></p>')
    return "\n".join(parts)


class BinhPhuoc:
    """Theme of cds.binhphuoc.gov.vn: fixed-width table-era layout, three columns."""

    readme = """# cds_binhphuoc — Trung tâm Chuyển đổi số tỉnh Bình Phước (generic platform)

Modelled on the public page shape of `cds.binhphuoc.gov.vn`, a hand-made portal (no known
CMS): articles at `/Tin-tuc/<slug>-<id>.html` (e.g.
`https://cds.binhphuoc.gov.vn/Tin-tuc/bo-y-te-yeu-cau-lien-thong-du-lieu-giay-kham-suc-khoe-lai-xe-241.html`,
cited in public material). Listing URLs (`/Danh-muc/<Slug>-<cat>.html?page=N`), the theme
and all text are ours (written for this snapshot), not copied.

Chrome: a top bar with today's date (`Thứ Năm, ngày 31/07/2025`), banner, main menu, a
left "Danh mục" menu, a right column with "Tin mới" (dated entries that are articles of
the snapshot), "Thông báo" (announcements, not articles), "Liên kết website" and a
visitor counter, a share/print bar with a view counter, a footer with address and phone
numbers.

Special cases:
- every page's top bar shows a date one day before the pinned crawl "now": never taken;
- article 241 has no date line: the date comes from its listing entry `(05/06/2025)`; its
  image is lazy (`data-src`, a blank `src`);
- article 240 has "Tin liên quan" (dated entries) inside the content container, the
  others after it; its lead cites a decree date (`ngày 06/01/2022`);
- article 235 links another article with a relative URL (`../Tin-tuc/...`);
- listings page with a "Sau »" button (`.pagination a.next`), three pages in
  "Tin chuyển đổi số"; listing entries have an image link and a title link to the same
  article, and a bare `(dd/mm/yyyy)` date.
"""
    absent = (
        "Tin mới",
        "Tin liên quan",
        "Thông báo",
        "Liên kết website",
        "Thống kê truy cập",
        "Đang trực tuyến",
        "Chia sẻ",
        "Lượt xem",
        "Ngày đăng",
        "In bài",
        "Điện thoại: 0271",
        "Lý Thái Tổ",
        "Ghi rõ nguồn",
        "Trang chủ",
        "Lịch tiếp công dân của Giám đốc Trung tâm tháng 8/2025",
        "Thông báo tuyển dụng viên chức năm 2025",
    )

    @staticmethod
    def article_path(art: dict) -> str:
        return f"/Tin-tuc/{art['slug']}-{art['id']}.html"

    @staticmethod
    def image_path(art: dict) -> str:
        return f"/Uploads/images/2025/{art['image']}"

    @staticmethod
    def listing_path(section: dict, number: int) -> str:
        return section["path"] if number == 1 else f"{section['path']}?page={number}"

    def page(self, content: dict, title: str, main: str, newest: list[dict], head: str = "") -> str:
        menu = "".join(
            f'<li><a href="{s["path"]}">{escape(s["title"])}</a></li>' for s in content["sections"]
        )
        latest = "".join(
            f'<li><a href="{a["path"]}">{escape(a["title"])}</a> <span class="date">({a["date"]})</span></li>'
            for a in newest
        )
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="vi">
<head>
<meta charset="utf-8">
<title>{escape(title)}</title>
{head}<link href="/css/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/js/jquery-1.8.3.min.js"></script>
</head>
<body>
<div id="wrapper">
<div id="top-bar"><span class="today">{escape(content["header_date"])}</span> <span class="hotline">Đường dây nóng: 0271.3879.838</span></div>
<div id="banner"><a href="/"><img src="/images/banner.jpg" alt="{escape(content["title"])}" /></a></div>
<div id="main-menu"><ul><li><a href="/">Trang chủ</a></li>{menu}<li><a href="/Lien-he.html">Liên hệ</a></li></ul></div>
<table id="layout" width="100%" cellpadding="0" cellspacing="0"><tr>
<td id="col-left" valign="top"><div class="box-left"><div class="box-title">Danh mục</div><ul>{menu}</ul></div></td>
<td id="col-main" valign="top">
{main}
</td>
<td id="col-right" valign="top">
<div class="block"><div class="block-title">Tin mới</div><ul class="list-new">{latest}</ul></div>
<div class="block"><div class="block-title">Thông báo</div><ul>
<li><a href="/Thong-bao/lich-tiep-cong-dan-thang-8-2025-18.html">Lịch tiếp công dân của Giám đốc Trung tâm tháng 8/2025</a> (30/07/2025)</li>
<li><a href="/Thong-bao/thong-bao-tuyen-dung-vien-chuc-nam-2025-17.html">Thông báo tuyển dụng viên chức năm 2025</a> (02/07/2025)</li>
</ul></div>
<div class="block"><div class="block-title">Liên kết website</div><select onchange="window.open(this.value)"><option>-- Chọn liên kết --</option><option value="https://binhphuoc.gov.vn">Cổng TTĐT tỉnh Bình Phước</option></select></div>
<div class="block counter"><div class="block-title">Thống kê truy cập</div><p>Đang trực tuyến: 27</p><p>Tổng lượt truy cập: 1.204.557</p></div>
</td>
</tr></table>
<div id="footer">
<p><strong>TRUNG TÂM CHUYỂN ĐỔI SỐ TỈNH BÌNH PHƯỚC</strong></p>
<p>Địa chỉ: Số 727, đường Quốc lộ 14, phường Tân Phú, TP. Đồng Xoài (gần Trung tâm Hành chính tỉnh, đường Lý Thái Tổ)</p>
<p>Điện thoại: 0271.3879.838 - Fax: 0271.3879.839 - Email: ttcds@binhphuoc.gov.vn</p>
<p>Ghi rõ nguồn "Trung tâm Chuyển đổi số tỉnh Bình Phước" khi phát hành lại thông tin từ website này.</p>
</div>
</div>
<script type="text/javascript">$(function(){{ $("img.lazyload").each(function(){{ this.src = $(this).data("src"); }}); }});</script>
</body>
</html>
"""

    def article_page(self, content, art, newest, related, index) -> str:
        src = self.image_path(art) if art.get("image") else ""
        body = body_html(art, src, lazy=bool(art.get("lazy_image")))
        if art.get("relative_link"):
            other = next(a for a in newest + related if a["id"] != art["id"])
            body += (
                f'\n<p style="text-align: justify;">Xem thêm hướng dẫn tại bài <a href="..{other["path"]}">'
                f"{escape(other['title'])}</a> trên trang của Trung tâm.</p>"
            )
        date_line = (
            ""
            if art.get("no_date_line")
            else f'<div class="news-date">Ngày đăng: {art["date"]} {art["time"]}</div>'
        )
        items = "".join(
            f'<li><a href="{a["path"]}">{escape(a["title"])}</a> <span>({a["date"]})</span></li>'
            for a in related
        )
        related_html = f'<div class="news-related"><h3>Tin liên quan</h3><ul>{items}</ul></div>'
        inside = related_html if art.get("related_inside") else ""
        outside = "" if inside else related_html
        main = f"""<div class="breadcrumb"><a href="/">Trang chủ</a> &raquo; <a href="{content["sections"][0]["path"] if art["section"] == content["sections"][0]["slug"] else content["sections"][1]["path"]}">{escape(art["section_title"])}</a></div>
<div class="news-detail">
<h1 class="news-title">{escape(art["title"])}</h1>
{date_line}
<div class="news-summary"><strong>{escape(art["lead"])}</strong></div>
<div class="news-content">
{body}
{inside}
</div>
<div class="news-tools"><span>Chia sẻ:</span> <a href="https://www.facebook.com/sharer.php?u={content["base"]}{art["path"]}" target="_blank">Facebook</a> <a href="#" class="zalo">Zalo</a> | <a href="javascript:window.print()">In bài</a> | <span>Lượt xem: {1200 + 31 * index}</span></div>
{outside}
</div>"""
        head = f'<meta name="description" content="{escape(art["lead"][:150])}" />\n'
        return self.page(content, f"{art['title']} - {content['title']}", main, newest, head)

    def listing_page(self, content, section, chunk, number, pages, newest) -> str:
        items = []
        for art in chunk:
            thumb = (
                f'<a class="thumb" href="{art["path"]}"><img src="{self.image_path(art)}" alt="" /></a>'
                if art.get("image")
                else ""
            )
            items.append(
                f'<div class="item">{thumb}<h3><a href="{art["path"]}">{escape(art["title"])}</a></h3>'
                f'<span class="date">({art["date"]})</span><p>{escape(art["lead"][:140])}...</p></div>'
            )
        links = []
        for n in range(1, pages + 1):
            if n == number:
                links.append(f'<span class="current">{n}</span>')
            else:
                links.append(f'<a href="{self.listing_path(section, n)}">{n}</a>')
        if number < pages:
            links.append(
                f'<a class="next" href="{self.listing_path(section, number + 1)}">Sau &raquo;</a>'
            )
        main = (
            f'<div class="breadcrumb"><a href="/">Trang chủ</a> &raquo; {escape(section["title"])}</div>'
            f'<h2 class="cat-title">{escape(section["title"])}</h2>'
            f'<div class="list-news">{"".join(items)}</div>'
            f'<div class="pagination">{"".join(links)}</div>'
        )
        return self.page(content, f"{section['title']} - {content['title']}", main, newest)

    def home(self, content, newest) -> str:
        return self.page(content, content["title"], "<h2>Tin nổi bật</h2>", newest)


class DongThap:
    """Theme of dongthap.gov.vn: a Bootstrap layout, title in an ``<h2>`` under the logo ``<h1>``."""

    readme = """# dongthap_gov — Cổng thông tin điện tử tỉnh Đồng Tháp (generic platform)

Modelled on the public URL shape of `dongthap.gov.vn` news: articles at
`/tin-tuc/chi-tiet?id=<N>` (e.g. `https://dongthap.gov.vn/tin-tuc/chi-tiet?id=7742453`,
cited in public material); the portal is treated as running no known CMS. Listing URLs
(`/tin-tuc/danh-sach?chuyenmuc=<cat>&page=N`), the theme and all text are ours (written
for this snapshot), not copied.

Chrome: a top bar with today's date and hotline, the site name in an `<h1>` logo, a main
menu, breadcrumb, a share bar, "Các tin khác" (dated) after the article, a right column
with "Tin mới" (dated entries that are articles), "Thông báo" (not articles) and
"Liên kết", a footer with the managing body, address, phone numbers and licence.

Special cases:
- the article title is an `<h2>`; the page's only `<h1>` is the site logo;
- the date line glues a view counter to the date: `Lượt xem: 1234 | Cập nhật lúc: 17:05 - 19/06/2025`;
- article 7742410 has no date line, only `article:published_time` (ISO with offset);
- article 7742407 is served in windows-1258 (decomposed tone marks, no meta charset);
- article 7742408 is in decomposed Unicode (NFD);
- listing "Kinh tế - Xã hội" page 2 links article 7742399, which answers 404 (dropped);
- listings page with numbered links only (`&page=N`, no "next" button): three pages in
  "Tin hoạt động".
"""
    absent = (
        "Tin mới",
        "Các tin khác",
        "Thông báo",
        "Liên kết",
        "Chia sẻ",
        "Lượt xem",
        "Cập nhật lúc",
        "Đường dây nóng",
        "0277.3851",
        "Cơ quan chủ quản",
        "Giấy phép",
        "đường 30/4",
        "Trang chủ",
        "Lịch tiếp công dân của Chủ tịch UBND tỉnh tháng 8/2025",
        "Kết quả xét tuyển viên chức sự nghiệp giáo dục năm 2025",
    )

    @staticmethod
    def article_path(art: dict) -> str:
        return f"/tin-tuc/chi-tiet?id={art['id']}"

    @staticmethod
    def image_path(art: dict) -> str:
        return f"/Uploads/TinTuc/2025/{art['image']}"

    @staticmethod
    def listing_path(section: dict, number: int) -> str:
        return section["path"] if number == 1 else f"{section['path']}&page={number}"

    def page(self, content: dict, title: str, main: str, newest: list[dict], head: str = "") -> str:
        menu = "".join(
            f'<li class="nav-item"><a class="nav-link" href="{escape(s["path"])}">{escape(s["title"])}</a></li>'
            for s in content["sections"]
        )
        latest = "".join(
            f'<li><a href="{escape(a["path"])}">{escape(a["title"])}</a><br /><i>{a["date"]}</i></li>'
            for a in newest
        )
        return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
{head}<link rel="stylesheet" href="/assets/bootstrap.min.css">
</head>
<body>
<div class="topbar"><div class="container"><span>{escape(content["header_date"])}</span> | <span>Đường dây nóng: 0277.3851.100</span></div></div>
<div class="site-brand container"><h1 class="logo"><a href="/"><img src="/assets/quoc-huy.png" alt=""> {escape(content["title"])}</a></h1></div>
<div class="mainmenu"><div class="container"><ul class="nav"><li class="nav-item"><a class="nav-link" href="/">Trang chủ</a></li>{menu}</ul></div></div>
<div class="container page-body"><div class="row">
<div class="col-lg-8">
{main}
</div>
<div class="col-lg-4">
<div class="card mb-3"><h4 class="card-header">Tin mới</h4><ul class="list-unstyled card-body">{latest}</ul></div>
<div class="card mb-3"><h4 class="card-header">Thông báo</h4><ul class="list-unstyled card-body">
<li><a href="/thong-bao/chi-tiet?id=915">Lịch tiếp công dân của Chủ tịch UBND tỉnh tháng 8/2025</a><br /><i>29/07/2025</i></li>
<li><a href="/thong-bao/chi-tiet?id=911">Kết quả xét tuyển viên chức sự nghiệp giáo dục năm 2025</a><br /><i>15/07/2025</i></li>
</ul></div>
<div class="card mb-3"><h4 class="card-header">Liên kết</h4><ul class="card-body"><li><a href="https://chinhphu.vn">Cổng TTĐT Chính phủ</a></li><li><a href="https://dichvucong.gov.vn">Cổng Dịch vụ công quốc gia</a></li></ul></div>
</div>
</div></div>
<div class="site-footer"><div class="container">
<p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh Đồng Tháp</p>
<p>Địa chỉ: Số 12, đường 30/4, Phường 1, TP. Cao Lãnh, tỉnh Đồng Tháp. Điện thoại: 0277.3851.100 - 0277.3851.101</p>
<p>Giấy phép số 45/GP-TTĐT ngày 12/3/2019 của Cục Phát thanh, truyền hình và thông tin điện tử</p>
</div></div>
</body>
</html>
"""

    def article_page(self, content, art, newest, related, index) -> str:
        src = self.image_path(art) if art.get("image") else ""
        body = body_html(art, src)
        date_line = (
            ""
            if art.get("meta_only")
            else f'<div class="thong-tin">Lượt xem: {980 + 17 * index} | Cập nhật lúc: {art["time"]} - {art["date"]}</div>'
        )
        items = "".join(
            f'<li><a href="{escape(a["path"])}">{escape(a["title"])}</a> <i>({a["date"]})</i></li>'
            for a in related
        )
        day, month, year = art["date"].split("/")
        head = ""
        if art.get("meta_only"):
            head = f'<meta property="article:published_time" content="{year}-{month}-{day}T{art["time"]}:00+07:00">\n'
        main = f"""<ol class="breadcrumb"><li class="breadcrumb-item"><a href="/">Trang chủ</a></li><li class="breadcrumb-item">{escape(art["section_title"])}</li></ol>
<div class="chi-tiet">
<h2 class="tieu-de">{escape(art["title"])}</h2>
{date_line}
<div class="sapo"><b>{escape(art["lead"])}</b></div>
<div class="noi-dung">
{body}
</div>
<div class="chia-se">Chia sẻ: <a href="https://www.facebook.com/sharer/sharer.php?u={escape(content["base"] + art["path"])}">Facebook</a> <a href="https://zalo.me/share">Zalo</a> <a href="mailto:?subject={escape(art["title"])}">Email</a></div>
</div>
<div class="tin-khac"><h4>Các tin khác</h4><ul>{items}</ul></div>"""
        return self.page(content, f"{art['title']} - {content['title']}", main, newest, head)

    def listing_page(self, content, section, chunk, number, pages, newest) -> str:
        items = []
        for art in chunk:
            thumb = (
                f'<a href="{escape(art["path"])}"><img class="mr-3" src="{self.image_path(art)}" alt=""></a>'
                if art.get("image")
                else ""
            )
            items.append(
                f'<div class="media mb-3">{thumb}<div class="media-body"><h5><a href="{escape(art["path"])}">{escape(art["title"])}</a></h5>'
                f'<small class="text-muted">{art["date"]}</small><p>{escape(art.get("lead", "")[:140])}...</p></div></div>'
            )
        links = []
        for n in range(1, pages + 1):
            active = ' class="page-item active"' if n == number else ' class="page-item"'
            links.append(
                f'<li{active}><a class="page-link" href="{escape(self.listing_path(section, n))}">{n}</a></li>'
            )
        main = (
            f'<ol class="breadcrumb"><li class="breadcrumb-item"><a href="/">Trang chủ</a></li><li class="breadcrumb-item">{escape(section["title"])}</li></ol>'
            f'<div class="danh-sach-tin">{"".join(items)}</div>'
            f'<ul class="pagination">{"".join(links)}</ul>'
        )
        return self.page(content, f"{section['title']} - {content['title']}", main, newest)

    def home(self, content, newest) -> str:
        return self.page(content, content["title"], "<h3>Tin nổi bật</h3>", newest)


THEMES = {"cds_binhphuoc": BinhPhuoc(), "dongthap_gov": DongThap()}
