"""Snapshots of custom ASP.NET portals (skin ``cms``) and DotNetNuke portals (skin ``dnn``).

``cms``: the ministries' custom news CMS (mt.gov.vn): ``/vn/chuyen-muc/<id>/<slug>.aspx``
listings paged by relative ``?page=N`` links, ``/vn/tin-tuc/<id>/<slug>.aspx`` articles,
``Cập nhật lúc: HH:MM:SS - dd/mm/yyyy``, every page served as windows-1258 bytes with
tone marks as combining characters (``tinmoi.snapshot_pages.to_cp1258``).

``dnn``: a DotNetNuke news module: sections ``/Default.aspx?tabid=N``, a GridView listing
paged by postback (``__doPostBack('dnn$ctr512$TinTuc$grvTinTuc','Page$2')``; the POST
routes name the view state of the page posting back), friendly article URLs
``/tabid/N/ArticleID/M/<slug>.aspx`` with a canonical link, ``Lượt xem: N | Gửi lúc: …``.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from tinmoi.snapshot_pages import to_cp1258

from . import common
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

    def template(self, template: str, **context) -> str:
        """Render ``tools/snapshots/aspnet/<skin>/<template>``."""
        return common.render(
            f"aspnet/{self.c['skin']}/{template}", skin=self, c=self.c, token=token, **context
        )


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

    def render(self, host: Host) -> None:
        host.add(
            "/robots.txt", "robots.txt", "User-agent: *\nDisallow: /Admin/\nDisallow: /Login.aspx\n"
        )
        for slug, section in self.sections.items():
            pages = self.pages(slug)
            for number, chunk in enumerate(pages, start=1):
                target = section["path"] + (f"?page={number}" if number > 1 else "")
                html = self.template(
                    "listing.html.j2",
                    title=section["title"],
                    action="./" + target.rsplit("/", 1)[1],
                    section=section,
                    chunk=chunk,
                    number=number,
                    count=len(pages),
                )
                data = to_cp1258(html)
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
        action = "./" + self.article_url(art).rsplit("/", 1)[1]
        return to_cp1258(
            self.template("article.html.j2", title=art["title"], action=action, art=art)
        )

    def readme(self) -> str:
        return self.template(
            "README.md.j2",
            undated=next(a for a in self.arts if a.get("no_page_date")),
            also=next(a for a in self.arts if a.get("also_in")),
        )


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

    def render(self, host: Host) -> None:
        host.add(
            "/robots.txt",
            "robots.txt",
            "User-agent: *\nDisallow: /admin/\nDisallow: /App_Data/\nDisallow: /bin/\n"
            "Disallow: /DesktopModules/\nDisallow: /Install/\nDisallow: /Providers/\n",
        )
        for slug, section in self.sections.items():
            tab = section["tabid"]
            pages = self.pages(slug)
            for number, chunk in enumerate(pages, start=1):
                rows = []
                for art in chunk:
                    href = self.article_url(art)
                    if art.get("also_in") == slug or art.get("query_link"):
                        href = self.query_url(art, slug)
                    rows.append({"art": art, "href": href})
                if number == len(pages) and slug == self.c["dead"]["section"]:
                    dead = self.c["dead"]
                    rows.append(
                        {
                            "art": dead | {"lead": "Kế hoạch tuyển sinh."},
                            "href": self.article_url(dead),
                        }
                    )
                html = self.template(
                    "listing.html.j2",
                    title=f"{section['title']} - {self.c['site']}",
                    action=section["path"],
                    state=token(self.portal, tab, number),
                    section=section,
                    rows=rows,
                    number=number,
                    count=len(pages),
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
        return self.template(
            "article.html.j2",
            title=f"{art['title']} - {self.c['site']}",
            action=f"/Default.aspx?tabid={self.tab(art['section'])}&ArticleID={art['id']}",
            state=token(self.portal, art["id"]),
            art=art,
        )

    def readme(self) -> str:
        return self.template(
            "README.md.j2",
            also=next(a for a in self.arts if a.get("also_in")),
            query=next(a for a in self.arts if a.get("query_link")),
            us=next(a for a in self.arts if a.get("us_culture")),
            inside=next(a for a in self.arts if a.get("related_inside")),
        )


SKINS = {"cms": CmsSkin, "dnn": DnnSkin}
