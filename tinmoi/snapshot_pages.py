"""What the snapshot server serves besides the files: pages altered by a fault (renamed
ids and classes, stray bytes), compression bombs, and windows-1258 encoding."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from functools import cache

_ID_OR_CLASS_RE = re.compile(rb"""(\s(?:id|class)\s*=\s*)(["'])(.*?)\2""", re.DOTALL)


def rename_attribute(html: bytes, old: str, new: str) -> bytes:
    """``html`` with every ``id`` equal to ``old`` and every ``class`` token ``old`` renamed
    to ``new`` (nothing else changes)."""
    before, after = old.encode(), new.encode()

    def rename(match: re.Match[bytes]) -> bytes:
        tokens = [after if token == before else token for token in match[3].split(b" ")]
        return match[1] + match[2] + b" ".join(tokens) + match[2]

    return _ID_OR_CLASS_RE.sub(rename, html)


@cache
def gzip_bomb(mib: int) -> bytes:
    """A gzip'd sitemap (a urlset padded with ``mib`` MiB of spaces), about 1000 times
    smaller than what it unpacks to (the ``gzip-bomb[:MIB]`` fault)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip container
    head = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    parts = [packer.compress(head)]
    block = b" " * (1 << 20)
    parts += [packer.compress(block) for _ in range(mib)]
    parts.append(packer.compress(b"</urlset>") + packer.flush())
    return b"".join(parts)


@cache
def zip_bomb(member: str, mib: int) -> bytes:
    """A zip (DOCX, XLSX) whose XML ``member`` is padded with ``mib`` MiB of spaces, about
    1000 times smaller than what it unpacks to (the ``zip-bomb[:MIB]`` fault)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(member, "w", force_zip64=True) as out,
    ):
        out.write(b'<?xml version="1.0"?><root>')
        block = b" " * (1 << 20)
        for _ in range(mib):
            out.write(block)
        out.write(b"</root>")
    return buffer.getvalue()


#: Never valid UTF-8: a UTF-16 surrogate (U+D800) encoded as UTF-8.
STRAY = b"\xed\xa0\x80"


def stray_bytes(data: bytes, after: str = "") -> bytes:
    """``data`` with :data:`STRAY` after the first ``after`` (UTF-8), else before
    ``</body>`` (the ``stray[:TEXT]`` fault)."""
    marker = after.encode("utf-8") if after else b"</body>"
    at = data.find(marker)
    if at < 0:
        return data + STRAY
    at += len(marker) if after else 0
    return data[:at] + STRAY + data[at:]


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def to_cp1258(text: str) -> bytes:
    """``text`` in windows-1258, the way legacy Vietnamese pages are: base letters with
    their vowel marks precomposed, tone marks as separate combining characters."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
        tones = "".join(c for c in parts if c in _TONE_MARKS)
        out += (base + tones).encode("cp1258", errors="xmlcharrefreplace")
    return bytes(out)
