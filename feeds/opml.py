"""OPML 2.0 subscription lists: every feed grouped by province and portal, and one list
per province."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from lxml import etree

from crawler.text import slugify
from feeds.model import FeedCard

TITLE = "tinmoi – tin mới các cổng thông tin tỉnh"


def province_opml(province: str) -> str:
    """Where a province's own list goes, beside ``feeds.opml``: ``feeds-ha-nam.opml``."""
    return f"feeds-{slugify(province)}.opml"


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


def _document(title: str, updated: datetime) -> tuple[etree._Element, etree._Element]:
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateModified").text = updated.strftime("%a, %d %b %Y %H:%M:%S %z")
    return root, etree.SubElement(root, "body")


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def render_opml(infos: list[FeedCard], site_url: str, updated: datetime) -> bytes:
    """Every feed as an OPML 2.0 outline: all, then each province with its portals."""
    root, body = _document(TITLE, updated)
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
        _province(body, province, members, site_url)
    return _bytes(root)


def render_province_opml(
    province: str, members: list[FeedCard], site_url: str, updated: datetime
) -> bytes:
    """One province's feeds as an OPML 2.0 outline: the province's, then each portal's
    with its sections (``members``: that province's feeds)."""
    root, body = _document(f"tinmoi – tin mới tỉnh {province}", updated)
    _province(body, province, members, site_url)
    return _bytes(root)


def _province(body: etree._Element, province: str, members: list[FeedCard], site_url: str) -> None:
    """The outline of a province: its own feed, then each portal with its sections."""
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
