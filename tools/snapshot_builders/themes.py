"""Theme variants: small portals on every platform whose themes differ from the defaults.

A variant (one entry of ``tools/theme_variants/<platform>.json``) is data: its public
origin, sections, URL templates, class names, listing markup (``ul``, ``cards``,
``table``), where and how dates are printed, its pager and its head evidence. Its
articles are texts of the bundled snapshots (``tools/snapshot_content/``), dated from the
variant's ``start``. It renders through ``tools/snapshots/themes/`` (one skin per
platform plus shared parts) into ``tests/fixtures/themes/<variant>/``: the snapshot
server's format (``site.json``, one folder per host with ``routes.json``), the
``expected.json``; beside them, the ``portal.toml`` an operator wrote by hand. ``expected.json`` is ``expected.json``, the archive a
backfill of it must give (see ``tests/test_theme_variants.py``).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tinmoi.snapshot_pages import to_cp1258

from . import common
from .theme_dates import expected_date, printed
from .theme_listings import listings
from .vnpt import pdf

CONTENT = Path(__file__).resolve().parent.parent / "snapshot_content"
PER_PAGE = 3
PER_SECTION = 7
#: Class names and markup choices a variant does not set.
DEFAULT_CLASSES = {
    "list": "news-list", "item": "news-item", "etitle": "news-title", "edate": "news-date",
    "thumb": "news-thumb", "sapo": "news-sapo", "art": "article", "head": "article-title",
    "date": "article-date", "lead": "article-lead", "body": "article-body", "body_id": "",
    "author": "article-author", "pager": "pagination", "cur": "active", "next": "next",
    "related": "other-news", "alt": "",
}  # fmt: skip


class Data(dict[str, Any]):
    """A variant's data as templates read it: a key it does not set is None."""

    def __missing__(self, key: str) -> None:
        return None


def lenient(value: Any) -> Any:
    """``value`` with every dict in it a :class:`Data`."""
    if isinstance(value, dict):
        return Data({k: lenient(item) for k, item in value.items()})
    if isinstance(value, list):
        return [lenient(item) for item in value]
    return value


def slugify(text: str) -> str:
    """A URL alias of a Vietnamese title (``Đón hơn 1 triệu lượt`` → ``don-hon-1-trieu-luot``)."""
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    ascii_only = "".join(ch for ch in folded if ch.isascii())
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in ascii_only).split()
    return "-".join(words[:9])


def article_pool() -> list[dict[str, Any]]:
    """Every text of the bundled snapshots (title, lead, paragraphs, author), once each."""
    pool, seen = [], set()
    for path in sorted(CONTENT.glob("*.json")):
        for art in json.loads(path.read_text(encoding="utf-8")).get("articles", []):
            lead = art.get("lead") or art.get("hometext")
            paragraphs = art.get("paragraphs")
            if not isinstance(lead, str) or not isinstance(paragraphs, list) or not paragraphs:
                continue
            title = unicodedata.normalize("NFC", art["title"])
            if title in seen or not all(isinstance(p, str) for p in paragraphs):
                continue
            seen.add(title)
            author = art.get("author") if isinstance(art.get("author"), str) else None
            pool.append({
                "title": title, "lead": " ".join(lead.split()),
                "paragraphs": [" ".join(p.split()) for p in paragraphs], "author": author,
            })  # fmt: skip
    return pool


class Variant:
    """One variant's data with its URLs, articles and dates worked out."""

    def __init__(self, data: dict[str, Any], platform: str, offset: int) -> None:
        self.v = lenient({**data, "platform": platform})
        self.name: str = data["name"]
        self.base: str = data["base"]
        self.cls = Data({**DEFAULT_CLASSES, **data.get("cls", {})})
        self.urls: dict[str, str] = data["urls"]
        self.sections: list[dict[str, Any]] = data["sections"]
        pool = article_pool()
        start = datetime.fromisoformat(data["start"])
        self.arts: list[dict[str, Any]] = []
        for index in range(PER_SECTION * len(self.sections)):
            text = pool[(offset + index * 5) % len(pool)]
            section = self.sections[index % len(self.sections)]
            when = start - timedelta(hours=29 * index + 3 * (index % 4), minutes=7 * index)
            art = {**text, "n": index, "section": section, "when": when, "sec": (index * 13) % 60}
            art["id"] = data.get("first_id", 1000) + 7 * index
            art["alias"] = slugify(text["title"])
            art["author"] = text["author"] if data.get("author") else None
            art["image"] = self.fill("image", art) if index % 3 != 2 else None
            art["pdf"] = self.fill("pdf", art) if index == 1 else None
            self.arts.append(art)

    def fill(self, template: str, art: dict[str, Any] | None = None, **extra: Any) -> str:
        """URL template ``template`` of the variant filled for ``art`` (and ``extra``)."""
        values: dict[str, Any] = {**self.v.get("values", {}), **extra}
        if art is not None:
            when = art["when"]
            values |= {
                "id": art["id"], "alias": art["alias"], "cat": art["section"]["cat"],
                "y": when.year, "m": when.month, "d": when.day, "mm": f"{when:%m}",
                "dd": f"{when:%d}",
                "tag": hashlib.sha1(art["alias"].encode()).hexdigest()[:6],
            }  # fmt: skip
        return self.urls[template].format(**values)

    def in_section(self, section: dict[str, Any]) -> list[dict[str, Any]]:
        return [a for a in self.arts if a["section"] is section]

    def list_url(self, section: dict[str, Any], page: int) -> str:
        first = self.urls["list"].format(**self.v.get("values", {}), cat=section["cat"])
        if page == 1:
            return first
        return self.urls["page"].format(
            **self.v.get("values", {}), list=first, n=page, cat=section["cat"]
        )

    def entry(self, art: dict[str, Any]) -> dict[str, Any]:
        """What a listing shows of an article."""
        fmt = self.v.get("listing_date")
        return {
            "href": self.fill("link" if "link" in self.urls else "article", art),
            "title": art["title"],
            "lead": art["lead"],
            "image": art["image"],
            "date": printed(fmt, art) if fmt else "",
            "iso": art["when"].strftime("%Y-%m-%dT%H:%M:00+07:00"),
        }

    def pager(self, section: dict[str, Any], page: int, pages: int) -> list[dict[str, Any]]:
        """The pager's links on ``page`` of ``pages`` (none on a one-page listing)."""
        if pages == 1:
            return []
        style = self.v["pager"]
        links = []
        for number in range(1, pages + 1) if not style.get("only_next") else ():
            links.append({"label": str(number), "href": self.page_href(section, number),
                          "current": number == page, "next": False})  # fmt: skip
        if style.get("next") and page < pages:
            href = self.page_href(section, page + 1)
            links.append({"label": style["next"], "href": href, "current": False, "next": True})
        return links

    def page_href(self, section: dict[str, Any], number: int) -> str:
        if self.v["pager"].get("postback"):
            return f"javascript:__doPostBack('{self.v['pager']['postback']}','Page${number}')"
        url = self.list_url(section, number)
        if self.v["pager"].get("relative") and "?" in url and number > 1:
            return "?" + url.split("?", 1)[1]
        return url


def render(variant: Variant, kind: str, title: str, **context: Any) -> str:
    """A page of ``variant`` (``listing``, ``article``, ``page``) through its skin."""
    return common.render(
        f"themes/{kind}.html.j2", v=variant.v, cls=variant.cls, title=title,
        menu=menu(variant), **context,
    )  # fmt: skip


def menu(variant: Variant) -> list[dict[str, str]]:
    """The main menu: home, every section, then the variant's other items."""
    items = [{"title": "Trang chủ", "href": variant.fill("home")}]
    if variant.v.get("latest"):
        items.append({"title": "Tin mới nhất", "href": variant.v["latest"]})
    page = variant.urls.get("section_page")
    items += [
        {"title": s["title"], "href": page.format(cat=s["cat"]) if page else variant.list_url(s, 1)}
        for s in variant.sections
    ]
    return items + [{"title": p["title"], "href": p["path"]} for p in variant.v.get("pages", [])]


class Output:
    """The variant's hosts; pages carry the platform's headers and encoding."""

    def __init__(self, variant: Variant, folder: Path) -> None:
        self.variant = variant
        self.hosts = {role: common.Host(folder / role) for role in variant.v.get("hosts", {})}
        self.hosts["main"] = common.Host(folder / "main")

    def page(self, target: str, name: str, html: str, role: str = "main") -> None:
        v = self.variant.v
        data = to_cp1258(html) if v.get("charset") == "windows-1258" else html.encode("utf-8")
        route: dict[str, Any] = {
            "file": name,
            "type": f"text/html; charset={v.get('charset', 'utf-8')}",
        }
        if v.get("headers"):
            route["headers"] = v["headers"]
        self.hosts[role].add(target, name, data)
        self.hosts[role].route(target, route)

    def close(self) -> None:
        for host in self.hosts.values():
            host.close()


def build(data: dict[str, Any], platform: str, offset: int, out_root: Path) -> dict[str, Any]:
    """Render one variant into ``out_root/<name>/``; its ``site.json`` as a dict."""
    variant = Variant(data, platform, offset)
    folder = out_root / variant.name
    for role in ("main", *data.get("hosts", {})):  # the hand-written portal.toml stays
        common.fresh_dir(folder / role)
    out = Output(variant, folder)
    requested = listings(variant, out, render)
    for art in variant.arts:
        html = render(variant, "article", art["title"], art=art, related=related(variant, art),
                      date_text=printed(data.get("page_date"), art) if data.get("page_date") else "",
                      meta=art["when"].strftime(data.get("meta_format", "%Y-%m-%dT%H:%M:00+07:00")))  # fmt: skip
        out.page(variant.fill("article", art), f"articles/{art['id']}.html", html)
        if art["image"]:
            role = "cdn" if data.get("image_host") else "main"
            path = art["image"].split("://", 1)[-1].split("/", 1)[1]
            shade = (art["n"] * 37) % 200
            out.hosts[role].add(
                "/" + path, f"images/{art['id']}.png", common.png(12, 8, (shade, 90, 140))
            )
        if art["pdf"]:
            out.hosts["main"].add(
                art["pdf"], f"files/{art['id']}.pdf", pdf(f"Ke hoach {art['id']}")
            )
    for page in data.get("pages", []):
        html = render(variant, "page", page["title"], page=page)
        out.page(page["path"], f"pages/{slugify(page['title'])}.html", html)
    out.close()
    hosts = {"main": variant.base, **data.get("hosts", {})}
    write_expected(folder, variant, requested)
    return common.write_site(folder, variant.name, hosts, len(variant.arts))


def related(variant: Variant, art: dict[str, Any]) -> list[dict[str, Any]]:
    """The "Tin khác" block after an article: three others of its section, with dates."""
    same = [a for a in variant.in_section(art["section"]) if a is not art]
    return [variant.entry(a) | {"date": f"({a['when']:%d/%m/%Y})"} for a in same[:3]]


def write_expected(folder: Path, variant: Variant, requested: list[str]) -> None:
    """``expected.json``: every article as the archive must hold it after a backfill."""
    articles = []
    for art in variant.arts:
        lines = [art["lead"], *art["paragraphs"]]
        if art["pdf"]:
            lines.append(f"Tải văn bản: Kế hoạch số {art['id']}/KH-UBND")
        image = art["image"]
        articles.append({
            "key": f"{variant.name}:{variant.fill('key', art)}",
            "url": variant.base + variant.fill("article", art),
            "section": art["section"]["slug"],
            "title": art["title"],
            "published": expected_date(variant.v, art),
            "author": art["author"],
            "text": "\n".join(lines),
            "images": [image if "://" in image else variant.base + image] if image else [],
            "attachments": [variant.base + art["pdf"]] if art["pdf"] else [],
        })  # fmt: skip
    spec = {
        "portal": variant.name,
        "platform": variant.v["platform"],
        "home": variant.base + variant.fill("home"),
        "sections": {s["slug"]: s["title"] for s in variant.sections},
        "articles": sorted(articles, key=lambda a: a["key"]),
        "requested": requested,
    }
    if variant.v.get("gap"):
        spec["gap"] = variant.v["gap"]
    (folder / "expected.json").write_text(
        json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
