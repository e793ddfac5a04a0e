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
from pathlib import Path

from . import common

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


def render(site: Site, template: str, title: str, **context) -> str:
    """Render ``tools/snapshots/nukeviet/<theme>/<template>`` for ``site``."""
    return common.render(
        f"nukeviet/{site.theme}/{template}", site=site, c=site.c, title=title, when=when, **context
    )


def meta_times(site: Site, art: dict) -> tuple[str, str] | None:
    """The ``article:published_time`` and ``modified_time`` an article's head carries."""
    if art.get("no_meta"):
        return None
    edited = datetime.fromisoformat(art["edited"]) if art.get("edited") else when(art)
    published, modified = site.meta_time(when(art)), site.meta_time(edited)
    if art.get("meta_as"):  # a server whose PHP zone is not the site's: another clock
        zone, hours = art["meta_as"]
        shifted = when(art) + timedelta(hours=hours - 7)
        published = modified = shifted.strftime(f"%Y-%m-%d{zone}%H:%M:%S")
    return published, modified


def listing(
    site: Site, section: str, chunk: list[dict], rest: list[dict], page: int, pages: int
) -> str:
    title = site.sections[section]["title"] + ("" if page == 1 else f" - Trang {page}")
    return render(
        site,
        "listing.html.j2",
        title,
        section=section,
        chunk=chunk,
        rest=rest,
        page=page,
        pages=pages,
        crumb=section,
    )


def article(site: Site, art: dict) -> str:
    newer, older = others(site, art)
    html = render(
        site,
        "article.html.j2",
        art["title"],
        art=art,
        url=site.base + site.art_path(art),
        times=meta_times(site, art),
        edited=art.get("edited") or iso(art),
        newer=newer,
        older=older,
        crumb=art["section"],
    )
    return unicodedata.normalize("NFD", html) if art.get("nfd") else html


def others(site: Site, art: dict) -> tuple[list[dict], list[dict]]:
    same = [a for a in site.arts if a["section"] == art["section"]]
    i = same.index(art)
    return same[max(0, i - 3) : i], same[i + 1 : i + 4]


# Build ------------------------------------------------------------------------------------


def build(content: dict, out_root: Path, expected_root: Path) -> dict:
    site = Site(content)
    portal = content["portal"]
    folder = common.fresh_dir(out_root / portal)
    main = common.Host(folder / "main")
    main.add("/robots.txt", "robots.txt", ROBOTS)
    main.add(f"{site.lang}/", "index.html", render(site, "index.html.j2", "Trang nhất", crumb=""))
    per = content["per_page"]
    requested = []
    for section in site.sections:
        listed = site.in_section(section)
        chunks = [listed[i : i + per] for i in range(0, len(listed), per)]
        for page, chunk in enumerate(chunks, start=1):
            rest = [a for c in chunks[page:] for a in c]
            html = listing(site, section, chunk, rest, page, len(chunks))
            name = f"listing/{section}-{page}.html"
            main.add(site.list_path(section, page), name, html)
            if page == 1:
                main.route(site.cat_path(section) + "/", name)
        requested.append(site.list_path(section, len(chunks)))
    shade = 0
    for art in site.arts:
        html = article(site, art)
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
    text = common.render("nukeviet/README.md.j2", site=site, c=content)
    (folder / "README.md").write_text(text, encoding="utf-8")
