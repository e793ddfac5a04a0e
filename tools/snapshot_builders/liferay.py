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

    def render(self, template: str, title: str, **context) -> str:
        """Render ``tools/snapshots/liferay/<template>`` (6.2 and 7.x share the templates)."""
        return common.render(
            f"liferay/{template}", site=self, c=self.c, title=title, today=TODAY, ap7=AP7, **context
        )

    def ap_id(self, instance: str) -> str:
        return f"101_INSTANCE_{instance}" if self.v62 else f"{AP7}{instance}"

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

    def listing_entry(self, kind: str, art: dict, listing: str) -> dict:
        """A list entry: its kind, article, link as the list prints it and section style."""
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
        section = (
            self.sections[art["section"]]
            if kind != "cross"
            else self.sections[self._home_style(listing)]
        )
        return {"kind": kind, "art": art, "href": href, "style": section.get("style")}

    def _home_style(self, listing: str) -> str:
        for slug, section in self.sections.items():
            if listing.startswith(section["page"]):
                return slug
        raise ValueError(listing)

    def article_page(self, art: dict, canonical: str) -> str:
        related = [a for a in self.arts if a["section"] == art["section"] and a["id"] != art["id"]]
        return self.render(
            "article.html.j2",
            art["title"],
            art=art,
            canonical=canonical,
            section=self.sections[art["section"]],
            related=related[:3],
            no_date="no_page_date" in art.get("flags", ()),
            with_featured=False,
        )

    # Build --------------------------------------------------------------------------------

    def build(self, out_root: Path, expected_root: Path) -> dict:
        out = common.fresh_dir(out_root / self.portal)
        main = common.Host(out / "main")
        main.add(
            "/robots.txt",
            "robots.txt",
            "User-agent: *\nDisallow: /c/\nDisallow: /group/\nDisallow: /user/\nDisallow: /api/\n",
        )
        main.add("/", "index.html", self.render("index.html.j2", "Trang chủ", with_featured=True))
        requested = []
        for slug, section in self.sections.items():
            entries = self.entries(slug)
            delta = self.delta(section)
            chunks = [entries[i : i + delta] for i in range(0, len(entries), delta)]
            for number, chunk in enumerate(chunks, start=1):
                target = section["page"] if number == 1 else self.page_url(section, number)
                listing = section["page"] if self.v62 else target
                html = self.render(
                    "listing.html.j2",
                    section["title"],
                    section=section,
                    entries=[self.listing_entry(k, a, listing) for k, a in chunk],
                    number=number,
                    pages=len(chunks),
                    total=len(entries),
                    with_featured=True,
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
        readme = common.render(f"liferay/README-{self.c['variant']}.md.j2", c=self.c)
        (out / "README.md").write_text(readme, encoding="utf-8")
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
