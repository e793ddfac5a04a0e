"""Snapshots of portals read through RSS feeds: NukeViet's news RSS, SharePoint list feeds.

``content["style"]`` picks the CMS: ``nukeviet`` (pages modelled on
``themes/default/modules/news/detail.tpl``, feeds on ``assets/tpl/rss.tpl`` as filled by
``nv_rss_generate`` in ``includes/core/theme_functions.php``, github.com/nukeviet/nukeviet)
or ``sharepoint`` (publishing pages under ``/portal/Pages/<y-m-d>/``, list feeds at
``/_layouts/15/listfeed.aspx?List=%7B<GUID>%7D``). The NukeViet helpers are shared with
the sitemap builder.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from . import common
from .common import Host, fresh_dir, png, write_expected, write_site

TZ7 = timezone(timedelta(hours=7))
WEEKDAYS = ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"]
TODAY = "Thứ sáu, 01/08/2025"  # the crawl's pinned day, in page headers: never a date


def local(art: dict[str, Any]) -> datetime:
    """An article's publication time (local)."""
    hour, minute = (int(x) for x in art.get("time", "00:00").split(":"))
    y, m, d = (int(x) for x in art["date"].split("-"))
    return datetime(y, m, d, hour, minute, tzinfo=TZ7)


def dmy(value: datetime) -> str:
    return value.strftime("%d/%m/%Y")


def nv_pubdate(value: datetime) -> str:
    """NukeViet's ``gmdate('D, j M Y H:m:s') . ' GMT'``: the month stands in the minutes."""
    utc = value.astimezone(UTC)
    return f"{utc.strftime('%a')}, {utc.day} {utc.strftime('%b %Y %H')}:{utc.month:02d}:00 GMT"


# NukeViet ---------------------------------------------------------------------------------


def nv_article_path(art: dict[str, Any]) -> str:
    return f"/vi/news/{art['section']}/{art['slug']}-{art['id']}.html"


def render(template: str, content: dict, **context: Any) -> str:
    """Render ``tools/snapshots/feed/<template>`` for the portal ``content``."""
    return common.render(
        f"feed/{template}",
        content=content,
        today=TODAY,
        weekdays=WEEKDAYS,
        local=local,
        dmy=dmy,
        nv_pubdate=nv_pubdate,
        nv_article_path=nv_article_path,
        sp_article_path=sp_article_path,
        sp_pubdate=sp_pubdate,
        **context,
    )


def nv_detail(content: dict, art: dict, others: dict[str, list[dict]]) -> str:
    fallback = {"slug": art["section"], "title": art["section"].replace("-", " ").capitalize()}
    section = next((s for s in content["sections"] if s["slug"] == art["section"]), fallback)
    return render(
        "nv_detail.html.j2",
        content,
        title=f"{art['title']} - {section['title']} - {content['site']}",
        art=art,
        section=section,
        when=local(art),
        url=content["base"] + nv_article_path(art),
        others=[("Những tin mới hơn", others["newer"]), ("Những tin cũ hơn", others["older"])],
    )


def nv_rss(content: dict, title: str, link: str, atom: str, items: list[dict]) -> str:
    """A feed as ``nv_rss_generate`` fills ``assets/tpl/rss.tpl``."""
    newest = max((local(i) for i in items if "external" not in i), default=None)
    return render(
        "nv_rss.xml.j2", content, title=title, link=link, atom=atom, items=items, newest=newest
    )


def nv_others(arts: list[dict], art: dict) -> dict[str, list[dict]]:
    same = sorted((a for a in arts if a["section"] == art["section"] and a is not art), key=local)
    return {
        "newer": [a for a in same if local(a) > local(art)][:3],
        "older": [a for a in reversed(same) if local(a) < local(art)][:3],
    }


def nv_images(host: Host, arts: list[dict]) -> None:
    for index, art in enumerate(arts):
        if art.get("image"):
            folder = art["date"][:7].replace("-", "_")
            data = png(16, 10, (60 + 11 * index % 180, 110, 70))
            host.add(
                f"/uploads/news/{folder}/{art['slug']}.png", f"uploads/{art['slug']}.png", data
            )
            host.add(f"/assets/news/{folder}/{art['slug']}.png", f"uploads/{art['slug']}.png", data)


def nv_published(art: dict) -> str:
    """What the crawl must give: the page's date and time; from the feed (to the hour:
    NukeViet's minutes are the month) when the page has none."""
    when = local(art)
    if art.get("no_date"):
        when = when.replace(minute=0)
    return when.isoformat()


def build_nukeviet(content: dict, out: Path, expected_root: Path) -> dict:
    portal, base = content["portal"], content["base"]
    arts = [a for a in content["articles"] if not a.get("external")]
    main = Host(out / "main")
    main.add(
        "/robots.txt",
        "robots.txt",
        "User-agent: *\nDisallow: /admin/\nDisallow: /includes/\nDisallow: /install/\n",
    )
    for art in arts:
        main.add(
            nv_article_path(art),
            f"news/{art['id']}.html",
            nv_detail(content, art, nv_others(arts, art)),
        )
    nv_images(main, arts)
    requested = []
    for section in content["sections"]:
        slug = section["slug"]
        items = sorted(
            (a for a in content["articles"] if a["section"] == slug or slug in a.get("also", [])),
            key=local,
            reverse=True,
        )
        path = f"/vi/news/rss/{slug}/"
        xml = nv_rss(
            content, f"Tin Tức - {section['title']}", f"{base}/vi/news/{slug}/", base + path, items
        )
        if section.get("broken"):
            # PHP printed a warning before the XML declaration: not well-formed.
            xml = (
                '<br />\n<b>Warning</b>:  Undefined array key "alias" in <b>/home/xuanloc/public_html/modules/news/funcs/rss.php</b> on line <b>53</b><br />\n'
                + xml
            )
        main.add(path, f"rss/{slug}.xml", xml, "application/rss+xml; charset=utf-8")
        requested.append(path)
    main.add("/vi/", "index.html", render("nv_index.html.j2", content, title=content["site"]))
    main.close()
    broken = {s["slug"] for s in content["sections"] if s.get("broken")}
    expected = [
        {
            "key": f"{portal}:{a['id']}",
            "url": base + nv_article_path(a),
            "section": a["section"],
            "title": a["title"],
            "published": nv_published(a),
            "body_contains": [a["lead"], a["paragraphs"][-1]],
        }
        for a in arts
        if a["section"] not in broken
    ]
    absent = [
        "Những tin mới hơn",
        "Những tin cũ hơn",
        "Từ khóa",
        "Liên kết website",
        TODAY,
        "Powered by NukeViet",
    ]
    write_expected(
        expected_root,
        portal,
        {"articles": expected, "dropped": [], "absent": absent, "requested": requested},
    )
    return write_site(out, portal, {"main": base}, len(arts))


# SharePoint -------------------------------------------------------------------------------


def sp_article_path(art: dict) -> str:
    y, m, d = (int(x) for x in art["date"].split("-"))
    return f"/portal/Pages/{y}-{m}-{d}/{art['slug']}.aspx"


def sp_feed_path(section: dict) -> str:
    return f"/_layouts/15/listfeed.aspx?List=%7B{section['list']}%7D&View=%7B{section['view']}%7D"


def sp_detail(content: dict, art: dict, others: list[dict]) -> str:
    return render("sp_detail.html.j2", content, title=art["title"], art=art, others=others)


def sp_pubdate(art: dict) -> str:
    """The feed's ``pubDate``: the item's feed time (else its date and time) in GMT."""
    stamp = art.get("feed_time") or art["date"] + "T" + art.get("time", "00:00")
    when = datetime.fromisoformat(stamp).replace(tzinfo=TZ7)
    return format_datetime(when.astimezone(UTC), usegmt=True)


def sp_rss(content: dict, section: dict, items: list[dict]) -> str:
    """A SharePoint list feed (listfeed.aspx): RSS 2.0, ``pubDate`` in GMT, the selected
    columns as ``<div><b>Column:</b> value</div>`` in the description."""
    return render("sp_rss.xml.j2", content, section=section, items=items)


def sp_published(art: dict) -> str:
    """The page prints only the day: the feed's time completes it on the same day; a
    feed date on another day (the item was modified later) loses to the page's day."""
    when = local(art)
    if art.get("feed_time"):
        feed = datetime.fromisoformat(art["feed_time"]).replace(tzinfo=TZ7)
        if feed.date() != when.date():
            return when.replace(hour=0, minute=0).isoformat()
        return feed.isoformat()
    return when.isoformat()


def build_sharepoint(content: dict, out: Path, expected_root: Path) -> dict:
    portal, base = content["portal"], content["base"]
    titles = {s["slug"]: s["title"] for s in content["sections"]}
    arts = content["articles"]
    main = Host(out / "main")
    main.add(
        "/robots.txt",
        "robots.txt",
        "User-agent: *\nDisallow: /_layouts/15/Authenticate.aspx\nDisallow: /_vti_bin/\n",
    )
    for index, art in enumerate(arts):
        art["section_title"] = titles[art["section"]]
        if art.get("missing"):
            continue
        others = [
            a
            for a in arts
            if a["section"] == art["section"] and a is not art and not a.get("missing")
        ][:3]
        main.add(sp_article_path(art), f"pages/{art['slug']}.html", sp_detail(content, art, others))
        if art.get("image"):
            main.add(
                f"/PublishingImages/{art['date'][:7]}/{art['slug'].lower()}.png",
                f"images/{art['slug'].lower()}.png",
                png(16, 10, (90, 40 + 13 * index % 180, 120)),
            )
    requested = []
    for section in content["sections"]:
        items = sorted(
            (a for a in arts if a["section"] == section["slug"]), key=local, reverse=True
        )
        path = sp_feed_path(section)
        main.add(
            path,
            f"feeds/{section['slug']}.xml",
            sp_rss(content, section, items),
            "text/xml; charset=utf-8",
        )
        requested.append(path)
    main.close()
    expected, dropped = [], []
    for art in arts:
        url = base + sp_article_path(art)
        if art.get("missing"):
            dropped.append({"url": url, "reason": "http 404"})
            continue
        y, m, d = (int(x) for x in art["date"].split("-"))
        expected.append(
            {
                "key": f"{portal}:{y}-{m}-{d}/{art['slug'].lower()}",
                "url": url,
                "section": art["section"],
                "title": art["title"],
                "published": sp_published(art),
                "body_contains": [art["paragraphs"][0], art["paragraphs"][-1]],
            }
        )
    absent = ["Tin khác", "Chia sẻ", "In trang", "Liên kết", TODAY, "Trang chủ"]
    absent += [a["title"] for a in arts[:2]]  # "Tin khác" entries, outside every body
    write_expected(
        expected_root,
        portal,
        {"articles": expected, "dropped": dropped, "absent": absent, "requested": requested},
    )
    return write_site(out, portal, {"main": base}, len(expected))


def build(content: dict, out_root: Path, expected_root: Path) -> dict:
    """Render one feed portal's snapshot and its expectations."""
    out = fresh_dir(out_root / content["portal"])
    if content["style"] == "nukeviet":
        site = build_nukeviet(content, out, expected_root)
    else:
        site = build_sharepoint(content, out, expected_root)
    readme = out / "README.md"
    readme.write_text(content["readme"].strip() + "\n", encoding="utf-8")
    return site
