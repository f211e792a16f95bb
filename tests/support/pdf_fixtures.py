"""Small PDFs of the kinds real reports break the PDF reader with, built with reportlab.

Each page carries a heading, a ruled two-row table and a closing heading in Adobe's
STSong-Light CID font (not embedded: pdfminer maps it to Unicode with its own CMaps), so
a test can check the text read back line for line. Nothing is written to the repository.
"""

from __future__ import annotations

import io
import re

PAGE = (595, 842)
ROWS = [["行政许可", "5", "6"], ["行政处罚", "7", "8"]]
TEXT = ["一、总体情况", "行政许可\t5\t6", "行政处罚\t7\t8", "二、其他需要报告的事项"]


def report_pdf(*, widths=(200, 100, 100), top=760, media=None, crop=None,
               off_page: str | None = None, page_number_at: float | None = None,
               compress: bool = True) -> bytes:
    """One page: ``TEXT`` drawn from ``top`` down with the table's columns ``widths``
    wide from x=60 (wide enough, and the table runs off an A4 page). ``media`` and
    ``crop`` replace the page's MediaBox and set its CropBox (x0, y0, x1, y1);
    ``off_page`` is a line drawn right of the page, where no viewer shows it;
    ``page_number_at`` puts a page number ``- 1 -`` at that height."""
    from reportlab.pdfbase import pdfdoc, pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=PAGE, pageCompression=int(compress))
    if crop:
        c.setCropBox(crop)
    c.setFont("STSong-Light", 10)
    c.drawString(60, top + 20, TEXT[0])
    y = top
    for row in ROWS:
        x = 60
        for w, cell in zip(widths, row, strict=True):
            c.rect(x, y - 18, w, 18)
            c.drawString(x + 3, y - 13, cell)
            x += w
        y -= 18
    c.drawString(60, y - 20, TEXT[-1])
    if off_page:
        c.drawString(PAGE[0] + 40, top, off_page)
    if page_number_at is not None:
        c.drawCentredString(PAGE[0] / 2, page_number_at, "- 1 -")
    c.showPage()
    if media:
        # reportlab always writes MediaBox [0 0 w h]; real files start elsewhere too
        c._doc.Pages.pages[-1].MediaBox = pdfdoc.PDFArray(list(media))
    c.save()
    return buf.getvalue()


def missing_fontbbox_pdf() -> bytes:
    """``report_pdf`` whose font descriptor has no FontBBox, which makes pdfminer warn
    (``Could not get FontBBox ...``) as it does on some real reports. The key is renamed
    in place, keeping every byte offset (and so the xref table) valid."""
    data = report_pdf(compress=False)
    patched, n = re.subn(rb"/FontBBox(?= *\[)", b"/FontBXox", data)
    assert n == 1, n
    return patched


def no_unicode_map_pdf(lines: int = 3) -> bytes:
    """Text in a Type3 font whose glyphs have made-up names and no ToUnicode map, as
    some converters write Chinese: the characters cannot be decoded (pdfminer gives
    ``(cid:NN)``), though a viewer shows them. Written by hand, with a valid xref."""
    glyph = b"0 0 0 0 1000 1000 d1 100 100 800 800 re f"
    content = b"".join(b"BT /T3 12 Tf 72 %d Td <01020301> Tj ET\n" % (720 - 20 * k)
                       for k in range(lines))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /T3 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix "
        b"[0.001 0 0 0.001 0 0] /CharProcs << /g1 6 0 R /g2 6 0 R /g3 6 0 R >> /Encoding "
        b"<< /Type /Encoding /Differences [1 /g1 /g2 /g3] >> /FirstChar 1 /LastChar 3 "
        b"/Widths [1000 1000 1000] >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(glyph), glyph),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
