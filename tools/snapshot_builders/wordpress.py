"""WordPress snapshots: a classic theme (Twenty Twenty-One markup) or a block theme
(Twenty Twenty-Four markup), with the plugins provincial sites run (Yoast SEO, Jetpack
sharing and related posts, AddToAny, YARPP, lazy-loading).

The content JSON's ``site`` says which: ``theme`` (``classic``/``block``), ``permalink``
(``/{slug}/`` or ``/{section}/{slug}``), ``per_page``, ``seo`` (``yoast`` adds the
``article:published_time`` meta, in UTC as Yoast writes it), ``related`` (``jetpack`` or
``yarpp``) and ``share`` (``sharedaddy`` or ``addtoany``). Article flags: ``sticky``
(shown first on every page of its category), ``hide_date`` (no date on the page, only the
meta), ``no_date`` (a block template without the post-meta part and no meta either),
``lazy`` (``data-src``, ``srcset`` or ``native``) for the in-content image.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

from . import common
from .common import Host, fresh_dir, png, write_expected, write_site

TZ = timezone(timedelta(hours=7))
MONTHS = (
    "Một", "Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Mười Một", "Mười Hai",
)  # fmt: skip
GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
SVG = "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20viewBox='0%200%201200%20800'%3E%3C/svg%3E"
MODIFIED_LATER = timedelta(days=2, hours=3)  # when Yoast says the post was last modified
ROBOTS = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\nSitemap: {base}/wp-sitemap.xml\n"


class Site:
    """One portal's configuration and articles, with the URL shapes of its permalinks."""

    def __init__(self, content: dict) -> None:
        self.portal = content["portal"]
        self.conf = content["site"]
        self.base = self.conf["base"]
        self.block = self.conf["theme"] == "block"
        self.slash = self.conf["permalink"].endswith("/")
        self.sections = content["sections"]
        self.section_title = {s["slug"]: s["title"] for s in self.sections}
        self.arts = sorted(content["articles"], key=self.when, reverse=True)
        self.by_id = {a["id"]: a for a in self.arts}

    @staticmethod
    def when(art: dict) -> datetime:
        return datetime.fromisoformat(f"{art['date']}T{art['time']}:00+07:00")

    def iso(self, art: dict) -> str:
        return self.when(art).isoformat()

    def utc(self, art: dict, later: timedelta = timedelta(0)) -> str:
        return (self.when(art) + later).astimezone(UTC).isoformat()

    def shown_date(self, art: dict) -> str:
        day = self.when(art)
        if self.block:
            return day.strftime("%d/%m/%Y")
        return f"{day.day} Tháng {MONTHS[day.month - 1]}, {day.year}"

    def path(self, art: dict) -> str:
        return self.conf["permalink"].format(slug=art["slug"], section=art["section"])

    def url(self, art: dict) -> str:
        return self.base + self.path(art)

    def listing(self, section: dict, page: int) -> str:
        path = section["path"]
        if page == 1:
            return path
        return f"{path.rstrip('/')}/page/{page}" + ("/" if self.slash else "")

    def image(self, art: dict, size: str = "") -> str:
        day = self.when(art)
        name = art["image"].removesuffix(".png") + (f"-{size}" if size else "") + ".png"
        return f"{self.conf['uploads']}/{day.year}/{day.month:02d}/{name}"

    def srcset(self, art: dict) -> str:
        return (
            f"{self.base}{self.image(art)} 1200w, {self.base}{self.image(art, '300x200')} 300w, "
            f"{self.base}{self.image(art, '768x512')} 768w"
        )


def render(site: Site, template: str, title: str, body_class: str, **context) -> str:
    """Render ``tools/snapshots/wordpress/<theme>/<template>`` for ``site``."""
    theme = "block" if site.block else "classic"
    return common.render(
        f"wordpress/{theme}/{template}",
        site=site,
        title=title,
        body_class=body_class,
        gif=GIF,
        svg=SVG,
        modified_later=MODIFIED_LATER,
        quote=lambda text: quote(text, safe=""),
        **context,
    )


def listing_page(site: Site, section: dict, page: int, pages: int, chunk, sticky) -> str:
    if site.block:
        body_class = f"archive category category-{section['slug']}" + (
            f" paged paged-{page} category-paged-{page}" if page > 1 else ""
        )
    else:
        body_class = f"archive paged category category-{section['slug']} paged-{page}"
    title = f"{section['title']} – {site.conf['name']}"
    return render(
        site,
        "listing.html.j2",
        title,
        body_class,
        section=section,
        page=page,
        pages=pages,
        chunk=chunk,
        sticky=sticky,
    )


def article_page(site: Site, art: dict, related: list[dict], others, older) -> str:
    if site.block:
        template = "single-no-meta" if art.get("no_date") else "default"
        body_class = (
            f"post-template-{template} single single-post postid-{art['id']} single-format-standard"
        )
    else:
        body_class = f"post-template-default single single-post postid-{art['id']} single-format-standard singular"
    title = f"{art['title']} – {site.conf['name']}"
    return render(
        site,
        "article.html.j2",
        title,
        body_class,
        art=art,
        related=related,
        others=others,
        older=older,
    )


# The snapshot --------------------------------------------------------------------------------


def build(content: dict, out_root: Path, expected_root: Path) -> dict:
    site = Site(content)
    out = fresh_dir(out_root / site.portal)
    main = Host(out / "main")
    main.add("/robots.txt", "robots.txt", ROBOTS.format(base=site.base))
    per_page = site.conf["per_page"]
    requested = []
    for section in site.sections:
        in_section = [a for a in site.arts if a["section"] == section["slug"]]
        sticky = next((a for a in in_section if a.get("sticky")), None)
        chunks = [in_section[i : i + per_page] for i in range(0, len(in_section), per_page)]
        for page, chunk in enumerate(chunks, start=1):
            html = listing_page(site, section, page, len(chunks), chunk, sticky)
            target = site.listing(section, page)
            main.add(target, f"listing/{section['slug']}-{page}.html", html)
        requested.append(site.listing(section, len(chunks)))
    for index, art in enumerate(site.arts):
        same = [a for a in site.arts if a["section"] == art["section"] and a is not art]
        related = same[:3]
        others = [a for a in site.arts if a is not art][:3] if site.block else []
        older = site.arts[index + 1] if index + 1 < len(site.arts) else None
        html = article_page(site, art, related, others, None if site.block else older)
        main.add(site.path(art), f"articles/{art['id']}.html", html)
        if art.get("image"):
            for n, size in enumerate(("", "300x200", "768x512")):
                name = site.image(art, size).rsplit("/", 1)[1]
                main.add(
                    site.image(art, size),
                    f"images/{name}",
                    png(12, 8, (60 + index * 9 % 180, 110 + n * 20, 90)),
                )
    main.add("/", "index.html", render(site, "index.html.j2", site.conf["name"], "home blog"))
    main.close()
    (out / "README.md").write_text(readme(site, requested), encoding="utf-8")
    write_expected(expected_root, site.portal, expected(site, requested))
    return write_site(out, site.portal, {"main": site.base}, len(site.arts))


def expected(site: Site, requested: list[str]) -> dict:
    """What a backfill must archive, from the content (not from what the spider finds)."""
    articles = [
        {
            "key": f"{site.portal}:{art['slug']}",
            "url": site.url(art),
            "section": art["section"],
            "title": art["title"],
            "published": site.iso(art),
            "body_contains": [art["paragraphs"][0], art["paragraphs"][-1]],
        }
        for art in site.arts
    ]
    newest = [a["title"] for a in site.arts[:4]]
    if site.block:
        absent = [
            "Chia sẻ bài viết",
            "Bài viết liên quan",
            "Tin khác",
            "Trang sau",
            "YARPP",
            "addtoany",
        ]
    else:
        absent = [
            "Chia sẻ:", "Thích điều này", "Có liên quan", "Bài viết mới", "Bài viết nổi bật",
            "Đăng ngày", "Chuyên mục", "Bài viết trước", site.conf["today"], "relatedposts",
        ]  # fmt: skip
    return {
        "articles": articles,
        "dropped": [],
        "absent": absent + newest,
        "requested": requested,
    }


def readme(site: Site, requested: list[str]) -> str:
    return common.render("wordpress/README.md.j2", site=site, conf=site.conf, requested=requested)
