"""The documents an article links to, as feeds show them."""

from __future__ import annotations

import posixpath
from html import escape
from urllib.parse import unquote, urlsplit

from crawler.attachments import LABELS
from crawler.text import xml_safe

HEADING = "Tệp đính kèm"


def file_name(url: str) -> str:
    """The last part of a document URL's path, decoded (``ke-hoach-125.pdf``)."""
    return xml_safe(unquote(posixpath.basename(urlsplit(url).path))) or url


def human_size(size: int) -> str:
    """``812 B``, ``12 KB``, ``3.4 MB``."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def attachments_html(documents: tuple[dict, ...]) -> str:
    """``<h3>Tệp đính kèm</h3><ul>…</ul>`` listing ``documents`` (empty for none)."""
    if not documents:
        return ""
    items = "".join(
        f'<li><a href="{escape(d["url"])}">{escape(file_name(d["url"]))}</a> '
        f"({escape(LABELS.get(d['content_type'], d['content_type']))}, "
        f"{human_size(d['size'])})</li>"
        for d in documents
    )
    return f"<h3>{HEADING}</h3><ul>{items}</ul>"
