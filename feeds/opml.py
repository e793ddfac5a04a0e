"""OPML 2.0 subscription list of every feed, grouped by province and portal."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from lxml import etree

from feeds.model import FeedCard

TITLE = "tinmoi – tin mới các cổng thông tin tỉnh"


def _outline(parent: etree._Element, info: FeedCard, site_url: str) -> None:
    etree.SubElement(
        parent,
        "outline",
        type="rss",
        text=info.title,
        title=info.title,
        xmlUrl=f"{site_url}/{info.path}/rss.xml",
        htmlUrl=info.link,
        description=info.description,
        language="vi",
    )


def render_opml(infos: list[FeedCard], site_url: str, updated: datetime) -> bytes:
    """Every feed as an OPML 2.0 outline: all, then each province with its portals."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = TITLE
    etree.SubElement(head, "dateModified").text = updated.strftime("%a, %d %b %Y %H:%M:%S %z")
    body = etree.SubElement(root, "body")
    by_province: dict[str, list[FeedCard]] = defaultdict(list)
    for info in infos:
        if info.kind == "all":
            _outline(body, info, site_url)
        elif info.province:
            by_province[info.province].append(info)
    searches = [info for info in infos if info.kind == "search"]
    if searches:
        group = etree.SubElement(body, "outline", text="Tìm kiếm đã lưu")
        for info in searches:
            _outline(group, info, site_url)
    for province, members in sorted(by_province.items()):
        group = etree.SubElement(body, "outline", text=f"Tỉnh {province}")
        for info in members:
            if info.kind == "province":
                _outline(group, info, site_url)
        for info in members:
            if info.kind == "portal":
                portal = etree.SubElement(group, "outline", text=info.author)
                _outline(portal, info, site_url)
                for section in members:
                    if section.kind == "section" and section.portal == info.portal:
                        _outline(portal, section, site_url)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
