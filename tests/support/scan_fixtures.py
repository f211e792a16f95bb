"""Scans of the seed reports, made at test time: rendered pages, degraded as scanners do.

The seed PDFs (``format_fixtures.seed_pdf``, reportlab) rendered by pdfium to grey images
at 300 dpi are committed as ``tests/data/scans/seed-NNN-pK.png`` (page K from 0, in 16
grey levels): every page of seed 000, and the pages holding the tables of the others.
``seed_pages`` gives them at a given dpi, and ``degrade`` turns a page by a small angle, adds gaussian noise and
saves it through JPEG at a low quality, as a cheap office scanner does. The pages are then
wrapped as an image-only PDF (Pillow writes one page per image, no text layer) or as
PNG / JPEG / multi-page TIFF files.

The pages are committed rather than rendered at test time because rendering needs a CJK
font on the machine (the seed PDFs name STSong-Light without embedding it, and pdfium draws
nothing without one): ``python -m tests.support.scan_fixtures`` writes them again, on a
machine with such a font (e.g. Debian's fonts-noto-cjk), and refuses where there is none.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from . import REPO
from . import format_fixtures as ff

SCANS = REPO / "tests" / "data" / "scans"
SCAN_DPI = 300  # the committed pages' resolution


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


def seed_pages(seed: ff.Seed, dpi: int, pages: list[int] | None = None) -> list:
    """The committed 300 dpi pages of the seed (all, or those numbered), at ``dpi``."""
    from PIL import Image

    files = {int(p.stem.split("-p")[1]): p for p in SCANS.glob(f"seed-{seed.name[:3]}-p*.png")}
    if not files:
        raise FileNotFoundError(f"no committed scan of seed {seed.name} in {SCANS}")
    chosen = [files[k] for k in (sorted(files) if pages is None else pages)]
    out = []
    for path in chosen:
        with Image.open(path) as im:
            page = im.convert("L")
        if dpi != SCAN_DPI:
            w, h = page.size
            page = page.resize((round(w * dpi / SCAN_DPI), round(h * dpi / SCAN_DPI)),
                               Image.Resampling.LANCZOS)
        out.append(page)
    return out


def committed_pages(seed: ff.Seed) -> list[int]:
    """The numbers of the seed's pages committed as scans."""
    return sorted(int(p.stem.split("-p")[1]) for p in SCANS.glob(f"seed-{seed.name[:3]}-p*.png"))


def scan_pages(seed: ff.Seed, condition: Condition, pages: list[int] | None = None) -> list:
    """The seed's pages scanned under ``condition``."""
    images = seed_pages(seed, condition.dpi, pages)
    numbers = committed_pages(seed) if pages is None else pages
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


def write_seed_pages() -> list:
    """Render the seed PDFs' pages at 300 dpi into ``SCANS``, in 16 grey levels (needs a
    CJK font): every page of seed 000, the table pages of the others."""
    if not cjk_renders():
        raise SystemExit("no CJK font for pdfium here: install one (e.g. fonts-noto-cjk) first")
    SCANS.mkdir(parents=True, exist_ok=True)
    written = []
    for path in ff.SEEDS:
        seed = ff.load_seed(path)
        keep = None if seed.name.startswith("000") else set(table_pages(seed))
        for k, page in enumerate(render(ff.seed_pdf(seed), SCAN_DPI)):
            if keep is not None and k not in keep:
                continue
            out = SCANS / f"seed-{seed.name[:3]}-p{k}.png"
            page.point(lambda v: min(255, v // 16 * 17)).save(out, format="PNG", optimize=True)
            written.append(out)
    return written


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


if __name__ == "__main__":
    for written in write_seed_pages():
        print(written.relative_to(REPO))
