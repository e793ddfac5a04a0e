"""Documents linked from articles: which links are documents, their type, their text.

PDF text comes from pypdf; DOCX and XLSX are zip files of XML read directly. Legacy
binary DOC and XLS are kept without text.

A document is hostile input: its text is extracted in a child process
(``python -m crawler.attachments``) limited to :data:`CPU_SECONDS` of CPU time and
:data:`MEMORY_MAX` of address space, and no zip member or PDF stream is unpacked past
:data:`UNPACKED_MAX` (20 MiB), read streaming. A document over a limit, or unreadable,
is kept (its bytes are what the portal published) without text; the reason ("text too
large", "text took too long", "unreadable") is a stat and a warning.
"""

from __future__ import annotations

import io
import json
import logging
import resource
import signal
import subprocess
import sys
import zipfile
from typing import IO
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


#: The most one zip member (DOCX, XLSX) or one PDF stream may unpack to.
UNPACKED_MAX = 20 * 1024 * 1024
#: CPU seconds and address space the extracting child process may use.
CPU_SECONDS = 10
MEMORY_MAX = 1024 * 1024 * 1024
_CHUNK = 1024 * 1024


class TextTooLarge(ValueError):
    """A part of a document unpacks to more than :data:`UNPACKED_MAX`."""


def _pdf_text(body: bytes) -> str:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError

    limits = {
        name: UNPACKED_MAX
        for name in (
            "maximum_declared_stream_length",
            "array_based_stream_maximum_output_length",
            "jbig2_maximum_output_length",
            "lzw_maximum_output_length",
            "run_length_maximum_output_length",
            "zlib_maximum_output_length",
            "brotli_maximum_output_length",
            "image_maximum_buffer_size",
        )
    }
    try:
        with apply_configuration(None, **limits):
            reader = PdfReader(io.BytesIO(body))
            return "\n".join(page.extract_text() or "" for page in reader.pages)
    except LimitReachedError as exc:
        raise TextTooLarge("a PDF stream unpacks to more than 20 MiB") from exc


def _member(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    """A zip member, read streaming: :class:`TextTooLarge` once past :data:`UNPACKED_MAX`."""
    with archive.open(name) as member:
        data = bytearray()
        while chunk := member.read(_CHUNK):
            data += chunk
            if len(data) > UNPACKED_MAX:
                raise TextTooLarge(f"{name} unpacks to more than 20 MiB")
    return io.BytesIO(bytes(data))


def _docx_text(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        root = ElementTree.parse(_member(archive, "word/document.xml")).getroot()
    paragraphs = []
    for paragraph in root.iter(f"{_W_NS}p"):
        paragraphs.append("".join(t.text or "" for t in paragraph.iter(f"{_W_NS}t")))
    return "\n".join(paragraphs)


def _xlsx_text(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        if "xl/sharedStrings.xml" not in archive.namelist():
            return ""
        root = ElementTree.parse(_member(archive, "xl/sharedStrings.xml")).getroot()
    return "\n".join(
        "".join(t.text or "" for t in item.iter(f"{_S_NS}t")) for item in root.iter(f"{_S_NS}si")
    )


_EXTRACTORS = {
    "application/pdf": _pdf_text,
    TYPES[".docx"]: _docx_text,
    TYPES[".xlsx"]: _xlsx_text,
}


def read_text(body: bytes, kind: str) -> tuple[str, str, str]:
    """In this process: the text of a document of MIME type ``kind``, the reason there
    is none ("" when there is), and the detail of that reason."""
    extractor = _EXTRACTORS.get(kind)
    if extractor is None or not body:
        return "", "", ""
    try:
        return clean_text(extractor(body)), "", ""
    except (TextTooLarge, MemoryError) as exc:
        return "", "text too large", str(exc) or "out of memory"
    except Exception as exc:  # a broken document is kept, without text
        return "", "unreadable", f"{type(exc).__name__}: {exc}"


def _limit_child(cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_MAX, MEMORY_MAX))


def document_text(
    body: bytes, content_type: str, url: str, cpu_seconds: int = CPU_SECONDS
) -> tuple[str, str]:
    """The text of a document (clean NFC) and "", or "" and why there is no text (logged
    as a warning). Extracted in a child process with CPU-time and memory limits."""
    kind = document_type(content_type, url)
    if kind not in _EXTRACTORS or not body:
        return "", ""
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "crawler.attachments", kind, str(cpu_seconds)],
            input=body,
            capture_output=True,
            timeout=cpu_seconds * 6 + 30,
            check=False,
        )
    except subprocess.TimeoutExpired:
        text, reason, detail = "", "text took too long", f"no answer in {cpu_seconds * 6 + 30} s"
    else:
        if proc.returncode == 0:
            text, reason, detail = json.loads(proc.stdout)
        elif proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):  # the CPU limit
            text, reason, detail = "", "text took too long", f"over {cpu_seconds} s of CPU"
        else:
            last = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
            text, reason, detail = "", "unreadable", f"exit {proc.returncode}: {''.join(last)}"
    if reason:
        log.warning("no text from %s: %s (%s)", url, reason, detail)
    return text, reason


def extract_text(body: bytes, content_type: str, url: str) -> str:
    """The text of a document (clean NFC), or "" when its type has no extractor, it
    cannot be read or it is over a limit (see :func:`document_text`)."""
    return document_text(body, content_type, url)[0]


def _child(argv: list[str]) -> None:
    """``python -m crawler.attachments KIND CPU_SECONDS`` < document: its text as JSON."""
    kind, cpu_seconds = argv[0], int(argv[1])
    _limit_child(cpu_seconds)
    body = sys.stdin.buffer.read()
    sys.stdout.write(json.dumps(read_text(body, kind)))


if __name__ == "__main__":
    _child(sys.argv[1:])
