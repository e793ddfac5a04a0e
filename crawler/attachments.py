"""Documents linked from articles: which links are documents, their type, their text.

PDF text comes from pypdf; DOCX and XLSX are zip files of XML read directly. Legacy
binary DOC and XLS are kept without text.
"""

from __future__ import annotations

import io
import logging
import zipfile
from urllib.parse import urlsplit
from xml.etree import ElementTree

from crawler.text import clean_text

log = logging.getLogger(__name__)

#: Document types by extension.
TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Short labels for readers ("PDF", "DOCX").
LABELS = {mime: ext[1:].upper() for ext, mime in TYPES.items()}

_W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_S_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def extension(url: str) -> str:
    """The document extension of ``url``'s path (``.pdf``…), or "" when it is none."""
    path = urlsplit(url).path.lower()
    for ext in TYPES:
        if path.endswith(ext):
            return ext
    return ""


def is_document(url: str) -> bool:
    """Whether ``url``'s path names a document tinmoi keeps."""
    return bool(extension(url))


def document_type(content_type: str | None, url: str) -> str:
    """The MIME type of a document: its ``Content-Type`` when that is a document type,
    else the one its extension says."""
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    if declared in LABELS:
        return declared
    return TYPES.get(extension(url), declared or "application/octet-stream")


def _pdf_text(body: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _docx_text(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    paragraphs = []
    for paragraph in root.iter(f"{_W_NS}p"):
        paragraphs.append("".join(t.text or "" for t in paragraph.iter(f"{_W_NS}t")))
    return "\n".join(paragraphs)


def _xlsx_text(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        if "xl/sharedStrings.xml" not in archive.namelist():
            return ""
        root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
    return "\n".join(
        "".join(t.text or "" for t in item.iter(f"{_S_NS}t")) for item in root.iter(f"{_S_NS}si")
    )


_EXTRACTORS = {
    "application/pdf": _pdf_text,
    TYPES[".docx"]: _docx_text,
    TYPES[".xlsx"]: _xlsx_text,
}


def extract_text(body: bytes, content_type: str, url: str) -> str:
    """The text of a document (clean NFC), or "" when its type has no extractor or it
    cannot be read."""
    extractor = _EXTRACTORS.get(document_type(content_type, url))
    if extractor is None or not body:
        return ""
    try:
        return clean_text(extractor(body))
    except Exception as exc:  # a broken document is kept, without text
        log.warning("no text from %s: %s", url, exc)
        return ""
