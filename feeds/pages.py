"""HTML pages for people: an index of every feed, and a preview in every feed folder."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from html import escape

from feeds.model import FeedCard, FeedInfo
from feeds.opml import province_opml

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%}td,th{padding:.35rem .5rem;text-align:left;
border-bottom:1px solid #eee;vertical-align:top}th{font-weight:600}
a{color:#0b57d0}.subscribe a{margin-right:.5rem}.muted{color:#666;font-size:.9rem}
button{font:inherit;font-size:.85rem;cursor:pointer}article{margin:1.5rem 0}
article h2{border:0;margin:0}code{background:#f4f4f4;padding:.1rem .3rem}
"""
SCRIPT = """
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-url]");
  if (!button) return;
  var url = button.getAttribute("data-url");
  function done() { button.textContent = "Đã chép"; }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(url).then(done, function () { window.prompt("URL:", url); });
  } else {
    window.prompt("URL:", url);
  }
});
"""


def _href(url: str) -> str:
    """An escaped link target, only for http(s) URLs (anything else links nowhere)."""
    return escape(url) if url.lower().startswith(("http://", "https://")) else "#"


def _date(value: datetime | None) -> str:
    """``dd/mm/yyyy``, with the time only when the portal gave one."""
    if value is None:
        return "—"
    if (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.strftime("%d/%m/%Y")
    return value.strftime("%d/%m/%Y %H:%M")


def _document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n"
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def _subscribe(info: FeedCard | FeedInfo, site_url: str, prefix: str) -> str:
    url = f"{site_url}/{info.path}/rss.xml"
    return (
        '<span class="subscribe">'
        f'<a href="{prefix}{escape(info.path)}/rss.xml">RSS</a>'
        f'<a href="{prefix}{escape(info.path)}/atom.xml">Atom</a>'
        f'<a href="{prefix}{escape(info.path)}/feed.json">JSON</a>'
        f'<button type="button" data-url="{escape(url)}">Chép URL</button></span>'
    )


def _row(info: FeedCard, site_url: str, label: str) -> str:
    return (
        f'<tr><td><a href="{escape(info.path)}/">{escape(label)}</a></td>'
        f"<td>{_subscribe(info, site_url, '')}</td><td>{info.items}</td>"
        f"<td>{_date(info.newest)}</td></tr>"
    )


def render_index(infos: list[FeedCard], site_url: str) -> bytes:
    """``index.html``: every province (with its OPML list), portal and section with
    subscribe links."""
    head = "<tr><th>Nguồn tin</th><th>Đăng ký</th><th>Số tin</th><th>Tin mới nhất</th></tr>"
    parts = [
        "<h1>tinmoi – tin mới các cổng thông tin tỉnh</h1>",
        '<p class="muted">Theo dõi tin tức của các cổng thông tin tỉnh bằng RSS, Atom hoặc '
        'JSON Feed. Danh sách đăng ký cho trình đọc tin: <a href="feeds.opml">feeds.opml</a>.</p>',
    ]
    by_province: dict[str, list[FeedCard]] = defaultdict(list)
    for info in infos:
        if info.kind == "all":
            parts.append(f"<table>{head}{_row(info, site_url, 'Tất cả các cổng')}</table>")
        elif info.province:
            by_province[info.province].append(info)
    for province, members in sorted(by_province.items()):
        rows = [
            _row(info, site_url, f"Cả tỉnh {province}")
            for info in members
            if info.kind == "province"
        ]
        for info in members:
            if info.kind == "portal":
                rows.append(_row(info, site_url, info.author))
                rows += [
                    _row(s, site_url, "— " + s.title.split(" – ")[0])
                    for s in members
                    if s.kind == "section" and s.portal == info.portal
                ]
        opml = escape(province_opml(province))
        parts.append(
            f"<h2>Tỉnh {escape(province)}</h2>"
            f'<p class="muted">Danh sách đăng ký của tỉnh: <a href="{opml}">{opml}</a></p>'
            f"<table>{head}{''.join(rows)}</table>"
        )
    searches = [_row(i, site_url, i.title) for i in infos if i.kind == "search"]
    if searches:
        parts.append(f"<h2>Tìm kiếm đã lưu</h2><table>{head}{''.join(searches)}</table>")
    return _document("tinmoi – tin mới các cổng thông tin tỉnh", "\n".join(parts)).encode()


def render_preview(info: FeedInfo, site_url: str) -> bytes:
    """A feed folder's ``index.html``: the feed's items, readable in a browser."""
    up = "../" * (info.path.count("/") + 1)
    parts = [
        f'<p class="muted"><a href="{up}">← Mọi nguồn tin</a></p>',
        f"<h1>{escape(info.title)}</h1>",
        f"<p>{escape(info.description)}</p>",
        f"<p>Đăng ký: {_subscribe(info, site_url, up)} "
        f"<code>{escape(site_url)}/{escape(info.path)}/rss.xml</code></p>",
    ]
    for entry in info.entries:
        article = entry.article
        when = article.published or article.first_seen
        parts.append(
            f'<article><h2><a href="{_href(article.url)}">{escape(article.title)}</a></h2>'
            f'<p class="muted">{_date(when)} · {escape(entry.source)}'
            + (f" · {escape(entry.section_title)}" if entry.section_title else "")
            + f"</p><p>{escape(article.summary)}</p></article>"
        )
    if not info.entries:
        parts.append("<p>Chưa có tin nào.</p>")
    return _document(info.title, "\n".join(parts)).encode()
