"""Hostile and edited DOCX files, made from a small document python-docx writes."""

from __future__ import annotations

import io
import zipfile


def patch_docx(data: bytes, member: str, edit) -> bytes:
    """``data`` with the zip member ``member`` replaced by ``edit(its bytes)``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == member:
                content = edit(content)
            dst.writestr(info.filename, content)
    return out.getvalue()


def small_docx() -> bytes:
    """A DOCX of one heading and a 2 × 3 table, one cell of it PLACEHOLDER."""
    import docx

    d = docx.Document()
    d.add_paragraph("一、总体情况")
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).text, t.cell(0, 1).text = "规章", "PLACEHOLDER"
    t.cell(1, 0).text, t.cell(1, 1).text, t.cell(1, 2).text = "行政许可", "7", "8"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def with_doctype(xml: bytes, doctype: str, entity_ref: str) -> bytes:
    """``xml`` with a DOCTYPE declared and PLACEHOLDER replaced by ``entity_ref``."""
    xml = xml.replace(b"PLACEHOLDER", entity_ref.encode())
    head, rest = xml.split(b"?>", 1)
    return head + b"?>" + doctype.encode() + rest


def padded_docx(size: int) -> bytes:
    """A small DOCX with one more member of ``size`` zero bytes, which compress to nothing."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small_docx())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("word/media/pad.bin", b"\0" * size)
    return out.getvalue()
