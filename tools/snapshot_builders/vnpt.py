"""VNPT smart-tourism snapshots (Hà Nam, Quảng Nam, Vĩnh Long): the content JSON's ``site``
gives the portal's hosts, section ids and date style; Hà Nam adds the special cases its
snapshot README lists (a date only in the lead, decomposed Unicode, a page without a title
element, a duplicate under two slugs and on the new host, a dead link, two attachments).
"""

from __future__ import annotations

import io
import json
import shutil
import unicodedata
import zipfile
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path

from . import common
from .common import Host, png, write_expected

VIETNAM = timezone(timedelta(hours=7))
PER_PAGE = 8
CDN = "https://dltm-cdn.vnptit3.vn"

# Hà Nam's special cases (see the snapshot README).
SEED_ID = 10466  # date only in its lead sentence
NFD_ID = 10450  # page in decomposed Unicode
NO_H1_ID = 10440  # page without a title element: title from the listing
DUP_ID = 10460  # linked under two slugs, with utm_ parameters and on the new host
ALIAS_ONLY_ID = 10467  # only on the new (post-merger) host
NO_TITLE_ID = 10399  # no title anywhere: dropped with its reason
DEAD_LINK_ID = 10398  # listed, but its page answers 404: recorded as dropped
TLQ_INSIDE = 2  # every 2nd article has "Tin liên quan" inside the body container
FILES = "/resources/portal/files"
# Documents attached to Hà Nam articles: id -> (file name, link text).
ATTACHMENTS = {
    10407: ("ke-hoach-125-kh-ubnd.pdf", "Kế hoạch số 125/KH-UBND (PDF)"),
    10445: ("quyet-dinh-742-qd-ubnd.docx", "Quyết định số 742/QĐ-UBND (DOCX)"),
}
PDF_TEXT = "KE HOACH 125/KH-UBND phuc vu du khach Tet Giap Thin"
DOCX_TEXT = (
    "Quyết định số 742/QĐ-UBND về việc tôn vinh nghệ nhân, thợ giỏi, người có công đưa "
    "nghề về địa phương năm 2024"
)


def pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (ASCII) in Helvetica."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def docx(text: str) -> bytes:
    """A minimal Word document holding one paragraph of ``text`` (fixed zip timestamps)."""
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 5, 13, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data.encode("utf-8"))
    return buffer.getvalue()


def article_path(art: dict, slug: str | None = None) -> str:
    return f"/vi/detailnews/?id=news_{art['id']}&t={slug or art['slug']}"


def listing_path(cat: int, section: str, page: int) -> str:
    path = f"/vi/news/?id=cat_{cat}&t={section}"
    return path if page == 1 else f"{path}&page={page}"


def image_url(conf: dict, name: str) -> str:
    return f"{CDN}/resources/portal/Images/{conf['code']}/admin.dulich/2024/{name}"


def date_text(conf: dict, art: dict) -> str:
    style = conf["date_style"]
    if style == "time" and art.get("time"):
        return f"{art['date']} {art['time']}"
    if style == "label":
        return f"Ngày đăng: {art['date']}"
    return art["date"]


def render(template: str, conf: dict, **context) -> str:
    """Render ``tools/snapshots/vnpt/<template>`` for the portal ``conf``."""
    return common.render(
        f"vnpt/{template}",
        conf=conf,
        article_path=article_path,
        listing_path=listing_path,
        image_url=image_url,
        files=FILES,
        **context,
    )


def render_article(conf, art, index, newest, related, *, no_h1=False, no_date=False, nfd=False):
    html = render(
        "article.html.j2",
        conf,
        art=art,
        index=index,
        newest=newest,
        related=related,
        related_inside=index % TLQ_INSIDE == 0,
        date_text=date_text(conf, art),
        no_h1=no_h1,
        no_date=no_date,
    )
    return unicodedata.normalize("NFD", html) if nfd else html


def listing_entry(art: dict, href: str, *, with_title=True, with_date=True) -> dict:
    """One entry of a listing page (rendered by parts.entry)."""
    return {"art": art, "href": href, "with_title": with_title, "with_date": with_date}


def build(content: dict, out_root: Path, expected_root: Path) -> dict:
    """Render one VNPT portal into ``out_root`` and its expectations into ``expected_root``."""
    portal = content["portal"]
    conf = content["site"] | {"name": portal}
    sections = {s["slug"]: s["title"] for s in content["sections"]}
    conf["menu"] = [(slug, conf["cats"][slug], title) for slug, title in sections.items()]
    arts = sorted(content["articles"], key=lambda a: a["id"], reverse=True)
    for art in arts:
        art["section_title"] = sections[art["section"]]
        art["public_base"] = conf["base"]
        if portal == "hanam_tourism" and art["id"] in ATTACHMENTS:
            art["attachment"] = ATTACHMENTS[art["id"]]
    is_hanam = portal == "hanam_tourism"
    extra = []
    if is_hanam:
        extra = special_articles(arts)
    out = out_root / portal
    shutil.rmtree(out, ignore_errors=True)
    main, cdn = Host(out / "main"), Host(out / "cdn")
    alias = Host(out / "alias") if is_hanam else None
    main.add("/robots.txt", "robots.txt", "User-agent: *\nDisallow: /admin/\nDisallow: /search/\n")
    main.add("/vi/", "index.html", render("index.html.j2", conf))
    newest = arts[:5]
    by_id = {a["id"]: a for a in arts}
    for index, art in enumerate(arts):
        same = [a for a in arts if a["section"] == art["section"] and a["id"] != art["id"]][:4]
        flags = {
            "no_date": art["id"] == SEED_ID and is_hanam,
            "nfd": art["id"] == NFD_ID and is_hanam,
            "no_h1": art["id"] == NO_H1_ID and is_hanam,
        }
        html = render_article(conf, art, index, newest, same, **flags)
        main.add(article_path(art), f"articles/news_{art['id']}.html", html)
        if art.get("image"):
            name = art["image"].replace(".jpg", ".png")
            cdn.add(
                f"/resources/portal/Images/{conf['code']}/admin.dulich/2024/{name}",
                f"images/{name}",
                png(12, 8, (40 + index * 3 % 200, 120, 90)),
            )
    for slug, cat, _title in conf["menu"]:
        in_section = [a for a in arts if a["section"] == slug]
        pages = [in_section[i : i + PER_PAGE] for i in range(0, len(in_section), PER_PAGE)]
        for number, chunk in enumerate(pages, start=1):
            entries = [
                listing_entry(a, article_path(a), with_date=not (is_hanam and a["id"] == SEED_ID))
                for a in chunk
            ]
            if is_hanam:
                entries += special_entries(conf, by_id, extra, slug, number)
            html = render(
                "listing.html.j2",
                conf,
                title=sections[slug],
                entries=entries,
                cat=cat,
                slug=slug,
                page_no=number,
                pages=len(pages),
                newest=newest,
            )
            main.add(listing_path(cat, slug, number), f"listing/{slug}-{number}.html", html)
    if is_hanam:
        add_specials(conf, main, alias, by_id, extra, newest)
        main.add(
            f"{FILES}/{ATTACHMENTS[10407][0]}", f"files/{ATTACHMENTS[10407][0]}", pdf(PDF_TEXT)
        )
        main.add(
            f"{FILES}/{ATTACHMENTS[10445][0]}", f"files/{ATTACHMENTS[10445][0]}", docx(DOCX_TEXT)
        )
    for host in (main, cdn, alias):
        if host:
            host.close()
    hosts = {"main": conf["base"], "cdn": CDN}
    if alias:
        hosts["alias"] = conf["alias"]
    site = {"portal": portal, "hosts": hosts, "articles": len(arts) + len(extra)}
    (out / "site.json").write_text(json.dumps(site, indent=1) + "\n", encoding="utf-8")
    if not is_hanam:  # Hà Nam's special cases have tests of their own (tests/test_e2e.py)
        write_expected(expected_root, portal, expected(conf, arts))
    return site


def expected(conf: dict, arts: list[dict]) -> dict:
    """What a backfill crawl of a VNPT snapshot must archive (tests/test_platforms.py)."""
    articles = []
    for art in arts:
        day, month, year = (int(part) for part in art["date"].split("/"))
        hour, minute = 0, 0
        if conf["date_style"] == "time" and art.get("time"):
            hour, minute = (int(part) for part in art["time"].split(":"))
        published = datetime(year, month, day, hour, minute, tzinfo=VIETNAM)
        articles.append(
            {
                "key": f"{conf['name']}:news_{art['id']}",
                "url": conf["base"] + article_path(art),
                "section": art["section"],
                "title": art["title"],
                "published": published.isoformat(),
                "body_contains": [art["lead"]],
            }
        )
    requested = []
    for slug, cat, _title in conf["menu"]:
        count = sum(1 for a in arts if a["section"] == slug)
        requested.append(listing_path(cat, slug, (count + PER_PAGE - 1) // PER_PAGE))
    absent = [conf["welcome"], "Tin mới", "Lượt xem"]
    return {"articles": articles, "dropped": [], "absent": absent, "requested": requested}


def special_articles(arts: list[dict]) -> list[dict]:
    """Hà Nam's two extra articles: one only on the new host, one with no title anywhere."""
    template = next(a for a in arts if a["id"] == 10465)
    alias_only = {
        **template,
        "id": ALIAS_ONLY_ID,
        "title": "Ninh Bình mới giới thiệu sản phẩm du lịch Tam Chúc sau hợp nhất tỉnh",
        "slug": "ninh-binh-moi-gioi-thieu-san-pham-du-lich-tam-chuc-sau-hop-nhat-tinh",
        "date": "02/07/2025",
        "lead": "Sáng 2/7/2025, tại khu du lịch Tam Chúc, Sở Văn hóa, Thể thao và Du lịch tỉnh "
        "Ninh Bình giới thiệu các sản phẩm du lịch mới của vùng đất Hà Nam cũ sau khi hợp nhất tỉnh.",
        "paragraphs": [
            "Tại buổi giới thiệu, đại diện Sở cho biết sau khi hợp nhất, khu du lịch Tam Chúc, "
            "chùa Bà Đanh và Ngũ Động Sơn được kết nối với Tràng An, Tam Cốc – Bích Động thành "
            "tuyến du lịch tâm linh, sinh thái xuyên suốt, thuận tiện cho du khách lưu trú dài ngày.",
            "Các doanh nghiệp lữ hành đã xây dựng chương trình hai ngày một đêm với giá từ "
            "1.200.000 đồng/khách, kết hợp đi thuyền trên hồ Tam Chúc và thưởng thức đặc sản cá "
            "kho làng Nhân Hậu, bánh cuốn chả Phủ Lý.",
        ],
        "author": None,
        "public_base": "https://dulichninhbinh.vn",
        "image": None,
    }
    no_title = {
        **arts[-1],
        "id": NO_TITLE_ID,
        "title": "",
        "slug": "bai-viet-khong-tieu-de",
        "date": "02/01/2024",
        "lead": "Bài viết thử nghiệm không có tiêu đề ở cả trang danh sách lẫn trang chi tiết.",
        "image": None,
    }
    return [alias_only, no_title]


def special_entries(conf, by_id, extra, section: str, number: int) -> list[dict]:
    dup = by_id[DUP_ID]
    alias_only, no_title = extra
    found = []
    if section == "le-hoi-van-hoa" and number == 1:
        found.append(listing_entry(dup, article_path(dup, dup["slug"] + "-2")))
    if section == "diem-den" and number == 2:
        found.append(listing_entry(dup, article_path(dup) + "&utm_source=zalo&utm_medium=social"))
        found.append(listing_entry(no_title, article_path(no_title), with_title=False))
    if section == "le-hoi-van-hoa" and number == 3:
        found.append(listing_entry(dup, conf["alias"] + article_path(dup)))
    if section == "tin-tuc-su-kien" and number == 1:
        found.insert(0, listing_entry(alias_only, conf["alias"] + article_path(alias_only)))
    if section == "tin-tuc-su-kien" and number == 3:
        dead = {
            **no_title,
            "id": DEAD_LINK_ID,
            "slug": "thong-bao-tuyen-dung-vien-chuc-nam-2024",
            "title": "Thông báo tuyển dụng viên chức năm 2024",
            "date": "02/01/2024",
        }
        found.append(listing_entry(dead, article_path(dead)))
    return found


def add_specials(conf, main: Host, alias: Host, by_id, extra, newest) -> None:
    dup = by_id[DUP_ID]
    alias_only, no_title = extra
    alias_only["section_title"] = dup["section_title"]
    dup_html = (main.root / main.routes[article_path(dup)]).read_text(encoding="utf-8")
    main.add(article_path(dup, dup["slug"] + "-2"), f"articles/news_{DUP_ID}.html", dup_html)
    main.add(
        article_path(dup) + "&utm_source=zalo&utm_medium=social",
        f"articles/news_{DUP_ID}.html",
        dup_html,
    )
    alias.add(
        article_path(dup),
        f"articles/news_{DUP_ID}.html",
        dup_html.replace(conf["base"], conf["alias"]),
    )
    alias.add(
        article_path(alias_only),
        f"articles/news_{ALIAS_ONLY_ID}.html",
        render_article(conf, alias_only, 1, newest, []),
    )
    alias.add("/robots.txt", "robots.txt", "User-agent: *\nDisallow: /admin/\n")
    no_title["section_title"] = by_id[DUP_ID]["section_title"]
    main.add(
        article_path(no_title),
        f"articles/news_{NO_TITLE_ID}.html",
        render_article(conf, no_title, 3, newest, [], no_h1=True),
    )
