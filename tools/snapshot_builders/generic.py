"""Snapshots of portals on no known CMS (the ``generic`` platform).

Two hand-made PHP-style themes, one per portal (templates and the snapshot README in
``tools/snapshots/generic/<theme>/``), each with heavy chrome: a top bar
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
from pathlib import Path

from tinmoi.snapshot_pages import to_cp1258

from . import common
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
        page = article_page(theme, content, art, newest, related, index)
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
            page = render(
                theme,
                "listing.html.j2",
                content,
                title=f"{section['title']} - {content['title']}",
                section=section,
                chunk=chunk,
                number=number,
                pages=len(pages),
                newest=newest,
            )
            main.add(target, f"listing/{slug}-{number}.html", page)
        requested.append(theme.listing_path(section, len(pages)))
    main.add(
        "/",
        "index.html",
        render(theme, "index.html.j2", content, title=content["title"], newest=newest),
    )
    main.close()
    readme = common.TEMPLATES / "generic" / theme.folder / "README.md"
    (out / "README.md").write_bytes(readme.read_bytes())
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


def render(theme, template: str, content: dict, **context) -> str:
    """Render ``tools/snapshots/generic/<theme folder>/<template>`` for ``content``."""
    return common.render(
        f"generic/{theme.folder}/{template}",
        content=content,
        image_path=theme.image_path,
        listing_path=theme.listing_path,
        **context,
    )


def article_page(theme, content: dict, art: dict, newest, related, index: int) -> str:
    """An article's page; ``other`` is the article a relative link points to."""
    other = None
    if art.get("relative_link"):
        other = next(a for a in newest + related if a["id"] != art["id"])
    return render(
        theme,
        "article.html.j2",
        content,
        title=f"{art['title']} - {content['title']}",
        art=art,
        newest=newest,
        related=related,
        index=index,
        other=other,
    )


def published(art: dict) -> str:
    """The ISO date a crawl must find: the listing's bare date where the page has none."""
    day, month, year = art["date"].split("/")
    if art.get("no_date_line"):
        return f"{year}-{month}-{day}T00:00:00+07:00"
    return f"{year}-{month}-{day}T{art['time']}:00+07:00"


class BinhPhuoc:
    """Theme of cds.binhphuoc.gov.vn: fixed-width table-era layout, three columns."""

    folder = "binhphuoc"

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


class DongThap:
    """Theme of dongthap.gov.vn: a Bootstrap layout, title in an ``<h2>`` under the logo ``<h1>``."""

    folder = "dongthap"

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


THEMES = {"cds_binhphuoc": BinhPhuoc(), "dongthap_gov": DongThap()}
