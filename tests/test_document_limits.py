"""Hostile documents: zip and PDF bombs and documents that take too long give up their
text with a reason, in bounded memory and CPU time; the document itself is kept."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zlib

import pytest

from crawler.attachments import TYPES, document_text, read_text
from tests.conftest import tinmoi
from tests.test_runs import run_args, site  # noqa: F401 (the fixture)
from tinmoi.snapshot_pages import zip_bomb

GIB = 1024  # MiB


def pdf(content: bytes, deflated: bool = False) -> bytes:
    """A one-page PDF whose content stream is ``content`` (already Flate-compressed when
    ``deflated``)."""
    filters = b"/Filter /FlateDecode " if deflated else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< %s/Length %d >>\nstream\n" % (filters, len(content)) + content + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
    return out + trailer % (len(objects) + 1, xref)


def pdf_bomb(mib: int) -> bytes:
    """A PDF whose content stream unpacks to ``mib`` MiB (of spaces)."""
    packer = zlib.compressobj(9)
    block = b" " * (1 << 20)
    stream = b"".join(packer.compress(block) for _ in range(mib)) + packer.flush()
    return pdf(stream, deflated=True)


BOMBS = {
    "docx": (lambda: zip_bomb("word/document.xml", GIB), TYPES[".docx"]),
    "xlsx": (lambda: zip_bomb("xl/sharedStrings.xml", GIB), TYPES[".xlsx"]),
    "pdf": (lambda: pdf_bomb(GIB), "application/pdf"),
}
#: Extracts a document's text in a fresh process; prints the text and the peak RSS (KiB)
#: of that process (its own high-water mark, ``VmHWM``: ``ru_maxrss`` of a process keeps
#: the size of the process it was forked from, here pytest's) and of its children.
PEAK = (
    "import json, re, resource, sys; from crawler.attachments import extract_text; "
    "text = extract_text(open(sys.argv[1], 'rb').read(), sys.argv[2], sys.argv[1]); "
    "own = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1]); "
    "peak = max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
    "print(json.dumps([text, peak]))"
)


@pytest.mark.parametrize("kind", BOMBS)
def test_a_bomb_gives_no_text_in_bounded_memory(kind, tmp_path):
    make, mime = BOMBS[kind]
    body = make()
    assert len(body) < 1_200_000  # about 1 MB packing 1 GiB
    path = tmp_path / f"bomb.{kind}"
    path.write_bytes(body)
    proc = subprocess.run(
        [sys.executable, "-c", PEAK, str(path), mime],
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    text, peak_kib = json.loads(proc.stdout)
    assert peak_kib // 1024 < 300, f"text extraction peaked at {peak_kib // 1024} MiB"
    assert text == ""
    member = {"docx": "word/document.xml", "xlsx": "xl/sharedStrings.xml"}.get(kind)
    detail = f"{member} unpacks" if member else "a PDF stream unpacks"
    assert read_text(body, mime) == ("", "text too large", f"{detail} to more than 20 MiB")
    assert document_text(body, mime, f"https://x.gov.vn/a.{kind}") == ("", "text too large")


def test_a_document_over_its_cpu_time_gives_no_text():
    heavy = pdf(b"BT /F1 12 Tf " + b"(x) Tj 1 0 Td " * 250_000 + b"ET")  # ~5 s of CPU
    assert document_text(heavy, "application/pdf", "a.pdf", cpu_seconds=1) == (
        "",
        "text took too long",
    )
    light = pdf(b"BT /F1 12 Tf 72 720 Td (Ke hoach 125) Tj ET")
    assert document_text(light, "application/pdf", "a.pdf", cpu_seconds=1) == ("Ke hoach 125", "")


def test_a_zip_bomb_document_is_kept_without_text(site, tmp_path):  # noqa: F811
    url = "/resources/portal/files/quyet-dinh-742-qd-ubnd.docx"
    bomb = zip_bomb("word/document.xml", GIB)  # made before the crawl: served at once
    site.servers["main"].faults = {url: ["zip-bomb:1024"]}
    tinmoi(*run_args(site, tmp_path), check=True)
    with sqlite3.connect(tmp_path / "tinmoi.sqlite3") as conn:
        stored = conn.execute("select size, text from attachments order by size").fetchall()
    assert (len(bomb), "") in stored
    log = (tmp_path / "logs" / "hanam_tourism.log").read_text()
    assert "'tinmoi/attachments/no_text/text_too_large': 1" in log
    assert "word/document.xml unpacks to more than 20 MiB" in log
