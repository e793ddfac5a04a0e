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
from pathlib import Path

from . import common
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

    # Pages ------------------------------------------------------------------------------

    def render(self, template: str, title: str, action: str, **context) -> str:
        """Render ``tools/snapshots/sharepoint/<template>`` (one master page, two themes)."""
        return common.render(
            f"sharepoint/{template}",
            theme=self,
            content=self.c,
            title=title,
            action=action,
            viewstate=VIEWSTATE,
            guid=guid,
            external_class=external_class,
            **context,
        )

    def article(self, art: dict, others: list[dict]) -> str:
        action = "./" + self.article_path(art).rsplit("/", 1)[1]
        return self.render("article.html.j2", art["title"], action, art=art, others=others)

    def listing(self, slug: str, page: int, pages: int, entries: list[dict], external) -> str:
        action = "./" + self.listing_path(slug, page).rsplit("/", 1)[1]
        return self.render(
            "listing.html.j2",
            self.sections[slug]["title"],
            action,
            slug=slug,
            page=page,
            pages=pages,
            entries=entries,
            external=external,
        )


def external_class(art: dict) -> str:
    """The ``ExternalClass…`` wrapper SharePoint gives a department page's rich text."""
    return "ExternalClass" + hashlib.md5(art["slug"].encode()).hexdigest()[:32].upper()


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
            external = [
                ext
                for ext in content.get("external_entries", [])
                if ext["section"] == slug and ext["page"] == number
            ]
            html = theme.listing(slug, number, len(pages), chunk, external)
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
        theme.render("index.html.j2", content["site"], "./default.aspx"),
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
    name = "provincial" if theme.provincial else "department"
    text = common.render(
        f"sharepoint/README-{name}.md.j2", site=content["site"], base=content["base"]
    )
    (out / "README.md").write_text(text, encoding="utf-8")
