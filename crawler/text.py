"""Vietnamese text normalisation: NFC, whitespace, control characters, summaries."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and other invisible format characters portals leave in text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Unicode's noncharacters: U+FDD0-U+FDEF and the last two code points of every plane.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane | 0xFFFE) + chr(plane | 0xFFFF) for plane in range(0, 0x110000, 0x10000)
)
# What XML 1.0 cannot carry (C0 controls but tab, newline and carriage return; lone
# surrogates; U+FFFE/U+FFFF), the C1 controls, and the noncharacters.
_CONTROL_RE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
# A superset of the above in two ranges, three times as quick to rule out: text without
# any of these (nearly all Vietnamese text) holds nothing to remove.
_SUSPECT_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\U0010ffff]")
_SPACES_RE = re.compile(r"[^\S\n]+")
_BLANK_LINES_RE = re.compile(r"\s*\n\s*")
_MOJIBAKE_HINTS = ("Ã", "áº", "á»", "Ä‘", "Æ°")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (cheap when it already is)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 bytes that were decoded as cp1252 (``HÃ  Nam`` → ``Hà Nam``)."""
    if not any(hint in text for hint in _MOJIBAKE_HINTS):
        return text
    raw = bytearray()
    for char in text:
        try:
            raw += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                return text
            raw.append(ord(char))  # bytes cp1252 leaves undefined pass through as C1
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return text


def clean_text(text: str | None) -> str:
    """NFC, no control or invisible characters, runs of spaces folded, trimmed.

    Line breaks are kept as single newlines so paragraphs stay apart.
    """
    if not text:
        return ""
    text = fix_mojibake(nfc(text))
    text = _drop_controls(text.translate(_INVISIBLE)).replace("\r", "")
    text = _SPACES_RE.sub(" ", text)
    return _BLANK_LINES_RE.sub("\n", text).strip()


def xml_safe(text: str | None) -> str:
    """``text`` without what XML 1.0 cannot carry (control characters, lone surrogates,
    U+FFFE/U+FFFF) nor Unicode's noncharacters: feeds and the archive hold neither."""
    if not text:
        return ""
    return _drop_controls(text)


def _drop_controls(text: str) -> str:
    return _CONTROL_RE.sub("", text) if _SUSPECT_RE.search(text) else text


def clean_line(text: str | None) -> str:
    """Like :func:`clean_text` but on one line (titles, authors, names)."""
    return " ".join(clean_text(text).split())


def summarize(text: str, limit: int = 300) -> str:
    """The first ``limit`` characters of ``text`` on one line, cut at a word, with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + "…"


def slugify(text: str) -> str:
    """An ASCII slug: lower case, diacritics removed, ``đ`` → ``d``, words joined by ``-``."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


#: Labels portals print before a byline ("Nguồn: Báo Điện Biên", "Tác giả: Thu Trang").
_BYLINE_LABEL_RE = re.compile(
    r"^\s*(?:tác giả|nguồn tin|nguồn|tin(?: và ảnh)?|bài(?: và ảnh)?|theo)\s*[:：-]\s*",
    re.IGNORECASE,
)


def byline(text: str | None) -> str:
    """A byline without the label printed before it (``Nguồn:``, ``Tác giả:``, ``Tin và
    ảnh:``), on one line."""
    return clean_line(_BYLINE_LABEL_RE.sub("", clean_line(text)))
