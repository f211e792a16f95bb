"""Scans of the seed reports, made at test time: rendered pages, degraded as scanners do.

The seed PDFs (``format_fixtures.seed_pdf``, reportlab) are rendered by pdfium to grey
images at a given dpi; ``degrade`` turns a page by a small angle, adds gaussian noise and
saves it through JPEG at a low quality, as a cheap office scanner does. The pages are then
wrapped as an image-only PDF (Pillow writes one page per image, no text layer) or as
PNG / JPEG / multi-page TIFF files.

Rendering needs a CJK font on the machine (the seed PDFs name STSong-Light without
embedding it): ``cjk_renders`` says whether pdfium found one; the tests skip otherwise.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

from . import format_fixtures as ff


@dataclass(frozen=True)
class Condition:
    """How a scan is made: its resolution and what happens to it after."""

    name: str
    dpi: int
    skew: float = 0.0  # degrees, anticlockwise
    noise: float = 0.0  # standard deviation of gaussian noise, in grey levels
    jpeg: int | None = None  # JPEG quality the page passes through

    @property
    def degraded(self) -> bool:
        return bool(self.skew or self.noise or self.jpeg)


CLEAN_300 = Condition("300 dpi, clean", 300)
NOISY_150 = Condition("150 dpi, skew 0.7°, noise, JPEG q50", 150, skew=0.7, noise=12.0, jpeg=50)
CONDITIONS = (CLEAN_300, NOISY_150)


def render(pdf: bytes, dpi: int, pages: list[int] | None = None) -> list:
    """The pages of ``pdf`` (all, or those numbered, from 0) as grey PIL images."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        numbers = range(len(doc)) if pages is None else pages
        return [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
                for i in numbers]
    finally:
        doc.close()


def degrade(image, condition: Condition, seed: int = 0):
    """``image`` turned, noised and passed through JPEG as ``condition`` says."""
    import numpy as np
    from PIL import Image

    out = image
    if condition.skew:
        out = out.rotate(condition.skew, resample=Image.Resampling.BILINEAR, expand=False,
                         fillcolor=255)
    if condition.noise:
        rng = np.random.default_rng(seed)
        pixels = np.asarray(out, dtype=np.float32)
        pixels = pixels + rng.normal(0, condition.noise, pixels.shape)
        out = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if condition.jpeg:
        buf = io.BytesIO()
        out.save(buf, format="JPEG", quality=condition.jpeg)
        out = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    return out


def scan_pages(seed: ff.Seed, condition: Condition, pages: list[int] | None = None) -> list:
    """The seed's pages scanned under ``condition``."""
    images = render(ff.seed_pdf(seed), condition.dpi, pages)
    numbers = range(len(images)) if pages is None else pages
    # the noise of a page depends on its number only: a page scanned alone comes out the
    # same as in the whole document
    return [degrade(im, condition, seed=k) for k, im in zip(numbers, images, strict=True)]


def image_pdf(images: list, dpi: int) -> bytes:
    """An image-only PDF: one page per image, no text layer."""
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buf.getvalue()


def image_file(images: list, fmt: str) -> bytes:
    """The images as one file: PNG or JPEG (the first page), or TIFF (every page)."""
    buf = io.BytesIO()
    if fmt == "TIFF":
        images[0].save(buf, format="TIFF", save_all=True, append_images=images[1:],
                       compression="tiff_deflate")
    elif fmt == "JPEG":
        images[0].save(buf, format="JPEG", quality=90)
    else:
        images[0].save(buf, format=fmt)
    return buf.getvalue()


# labels printed only in the tables of sections 二, 三 and 四
_TABLE_WORDS = ("本年新收", "行政许可", "行政复议", "本年收费", "维持")


def table_pages(seed: ff.Seed) -> list[int]:
    """The pages of the seed's PDF that print part of its tables."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(ff.seed_pdf(seed))
    try:
        out = []
        for i in range(len(doc)):
            text = doc[i].get_textpage().get_text_range()
            if any(w in text for w in _TABLE_WORDS):
                out.append(i)
        return out
    finally:
        doc.close()


@functools.cache
def cjk_renders() -> bool:
    """pdfium draws Chinese text here: two different characters come out different."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    shots = []
    for ch in ("一", "龍"):
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=(60, 60))
        c.setFont("STSong-Light", 40)
        c.drawString(10, 10, ch)
        c.showPage()
        c.save()
        shots.append(render(buf.getvalue(), 72)[0].tobytes())
    return shots[0] != shots[1] and any(b < 128 for b in shots[1])


# --- scoring ----------------------------------------------------------------------------

@dataclass
class Score:
    """A scan's cells against its text version's: the truth is every cell the text
    version reads (parsed or inferred)."""

    exact: int
    wrong: int
    missing: int
    wrong_cells: list[tuple]  # (table, row, column, true value, OCR'd value, status)

    @property
    def truth(self) -> int:
        return self.exact + self.wrong + self.missing


def compare(scanned, truth) -> Score:
    """``scanned`` and ``truth`` are Reports; cells are matched by (table, row, column)."""
    known = truth.cells[truth.cells["status"] != "missing"]
    got = {(r.table, r.row, r.column): r for r in scanned.cells.itertuples()}
    exact = missing = 0
    wrong = []
    for r in known.itertuples():
        o = got.get((r.table, r.row, r.column))
        if o is None or o.status == "missing":
            missing += 1
        elif o.value == r.value:
            exact += 1
        else:
            wrong.append((r.table, r.row, r.column, r.value, o.value, o.status))
    return Score(exact, len(wrong), missing, wrong)
