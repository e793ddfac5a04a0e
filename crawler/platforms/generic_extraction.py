"""The generic platform's reading of a page: what is chrome, trafilatura's extraction,
and the cleaning of the body it returns (title, date line and tool lines removed)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

import trafilatura
from lxml import etree
from trafilatura.htmlprocessing import convert_to_html

from crawler.cleanhtml import element_text as _text
from crawler.dates import parse_date
from crawler.text import clean_line, clean_text

#: Containers whose links are never listing entries.
LISTING_CHROME_CSS = (
    "header",
    "nav",
    "footer",
    "aside",
    "[class*=menu]",
    "[id*=menu]",
    "[class*=sidebar]",
    "[id*=sidebar]",
    "[class*=breadcrumb]",
    "[class*=footer]",
    "[id*=footer]",
    "[class*=header]",
    "[id*=header]",
)
#: Chrome pruned from an article page before trafilatura reads it (its output has no
#: classes left, so the sanitiser's class selectors must act before it).
PAGE_CHROME_CSS = (
    *LISTING_CHROME_CSS,
    "script",
    "style",
    "noscript",
    "button",
    "select",
    "iframe:not([src*=youtube]):not([src*=vimeo])",
    "[class*=share]",
    "[class*=social]",
    "[class*=chia-se]",
    "[class*=chiase]",
    "[class*=print]",
    "[class*=luot-xem]",
    "[class*=view-count]",
    "[class*=related]",
    "[class*=lien-quan]",
    "[class*=tin-khac]",
    "[class*=other-news]",
    "[class*=comment]",
    "[id*=top-bar]",
    "[class*=top-bar]",
    "[class*=topbar]",
)
#: Containers after the title where the article's own texts have ended.
END_CSS = (
    "footer", "aside", "[class*=sidebar]", "[id*=sidebar]", "[class*=footer]", "[id*=footer]",
    "[class*=related]", "[class*=lien-quan]", "[class*=tin-khac]", "[class*=other-news]",
)  # fmt: skip


#: Short lines of a body that are page tools, not text.
_TOOL_LINE_RE = re.compile(
    r"^(chia sẻ|share|lượt xem|lượt đọc|in bài|bản in|gửi bài|gửi email|quay lại|về đầu trang|"
    r"từ khóa|từ khoá|tags?)\b",
    re.I,
)
_DIGIT_RE = re.compile(r"\d")
#: Tags that stand as blocks in a body; anything else at its top level gets a paragraph.
_BLOCK_TAGS = frozenset(
    ("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre",
     "figure", "div", "hr")
)  # fmt: skip
#: How long a text may be and still be a date line ("Cập nhật lúc: 09:30 - 14/03/2025").
DATE_LINE_MAX = 80
#: How many text nodes after the title are read for the date line.
DATE_LINE_WINDOW = 12


@dataclass(frozen=True)
class Extracted:
    """What trafilatura found in an article page."""

    title: str
    author: str
    date: str
    image: str
    body: str


def extract(tree: Any, url: str, now: datetime, mode: str) -> Any:
    """trafilatura's reading of a (pruned) page tree in preset ``mode`` (``recall``,
    ``balanced`` or ``precision``), with htmldate's markup-only date search capped at
    ``now``; None when it finds no text."""
    return trafilatura.bare_extraction(
        tree,
        url=url,
        output_format="python",
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=True,
        include_links=True,
        include_formatting=True,
        favor_precision=mode == "precision",
        favor_recall=mode == "recall",
        deduplicate=False,
        date_extraction_params={
            "extensive_search": False,
            "original_date": True,
            "max_date": now.strftime("%Y-%m-%d"),
        },
    )


def body_html(document: Any, title: str) -> tuple[str, str]:
    """The cleaned body HTML of a trafilatura document and the byline it ended with."""
    if document.body is None or not len(document.body):
        return "", ""
    return clean_body(convert_to_html(document.body)[0], title)


def clean_body(body: Any, title: str) -> tuple[str, str]:
    """Body HTML without the title, date line and tool lines trafilatura kept; and
    the byline, when the body ends with a short bold paragraph of a name."""
    while (inner := wrapped(body)) is not None:
        body = inner
    blocks = list(body)
    for index, block in enumerate(blocks[:6]):
        if title and _text(block) == title:
            for dropped in blocks[: index + 1]:
                body.remove(dropped)
            blocks = blocks[index + 1 :]
            break
    for block in blocks[:3]:
        text = _text(block)
        if block.find(".//img") is None and len(text) <= DATE_LINE_MAX and parse_date(text):
            body.remove(block)
    for block in list(body):
        text = _text(block)
        if len(text) <= 120 and _TOOL_LINE_RE.match(text):
            body.remove(block)
    author = ""
    paragraphs = list(body.iter("p"))
    if paragraphs:
        last = paragraphs[-1]
        text = _text(last)
        bold = " ".join(_text(b) for b in last.iter("b", "strong"))
        if text and text == clean_line(bold) and len(text) <= 50 and not _DIGIT_RE.search(text):
            author = text
    parts = []
    for child in body:
        markup = etree.tostring(child, encoding="unicode", method="html")
        parts.append(markup if child.tag in _BLOCK_TAGS else f"<p>{markup}</p>")
    if body.text and body.text.strip():
        parts.insert(0, f"<p>{escape(body.text)}</p>")
    return "".join(parts), author


def texts_after(element: Any) -> list[str]:
    """Texts that follow ``element`` in document order (not its own), one per node."""
    found = []
    if element.tail and element.tail.strip():
        found.append(clean_text(element.tail))
    node = element
    while node is not None and len(found) < 2 * DATE_LINE_WINDOW:
        for sibling in node.itersiblings():
            if not isinstance(sibling.tag, str) or sibling.tag in ("script", "style"):
                continue
            for text in sibling.itertext():
                if text.strip():
                    found.append(clean_line(text))
            if len(found) >= 2 * DATE_LINE_WINDOW:
                break
        node = node.getparent()
    return found


def wrapped(element: Any) -> Any:
    """The one element ``element`` only wraps (a ``<div>``, or the one cell of a layout
    table that holds anything), else None."""
    if len(element) != 1 or (element.text and element.text.strip()):
        return None
    child = element[0]
    if child.tail and child.tail.strip():
        return None
    if child.tag in ("div", "section", "article", "main"):
        return child
    if child.tag == "table":
        cells = [c for c in child.iter("td", "th") if _text(c) or c.find(".//img") is not None]
        if len(cells) == 1:
            return cells[0]
    return None
