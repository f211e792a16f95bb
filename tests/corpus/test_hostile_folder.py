"""A folder of hostile and broken files through ``govopen parse``.

The folder holds what a crawl of government web servers brings back besides reports:
empty and binary files, a cut-off and a scanned PDF, a DOCX zip bomb, entity expansion and
an external entity pointing at a local file, a 50 MB page, a 404 page, a report in
traditional characters and Big5, tables with an extra column, a file name with spaces and
Chinese characters, a file that disappears between listing and parsing, a broken link, a
pipe and an unreadable file. Every file gets one row of ``reports`` with a clear status,
the batch completes, and nothing of the local file the external entity names reaches any
output.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import govopen.corpus.batch
from govopen.cli import main
from tests.support import format_fixtures as ff
from tests.support import seed_path
from tests.support.docx_fixtures import padded_docx, patch_docx, small_docx, with_doctype

pytestmark = pytest.mark.slow

SECRET = "TOPSECRET-4711"
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0

# simplified → traditional for the characters of the seeds' headings and labels
_TRADITIONAL = str.maketrans(
    "开报务级门请处关机决规议复诉讼计总数与为个项应体类况县区书办结转转续时费认协调会"
    "发经营际统资讯据见织动态录审记载问题单们长导检查",
    "開報務級門請處關機決規議復訴訟計總數與為個項應體類況縣區書辦結轉轉續時費認協調會"
    "發經營際統資訊據見織動態錄審記載問題單們長導檢查")

NOT_FOUND_PAGE = ("<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>"
                  "<h1>404 Not Found</h1><p>您访问的页面不存在或已被删除。</p><hr>"
                  "<center>nginx</center></body></html>")


def _seed(prefix: str) -> Path:
    return seed_path(prefix)


def _bomb_docx() -> bytes:
    return padded_docx(4 * 2**20)


def _entity_docx(doctype: str, ref: str) -> bytes:
    return patch_docx(small_docx(), "word/document.xml",
                       lambda x: with_doctype(x, doctype, ref))


def _entity_html(secret: Path) -> bytes:
    """A real report page declaring a billion laughs and an external entity, and using both."""
    page = ff.seed_html(ff.load_seed(_seed("003")))
    doctype = (f'<!DOCTYPE html [<!ENTITY lol0 "lol">{ff.billion_laughs()}'
               f'<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>')
    page = re.sub(r"^<!DOCTYPE[^>]*>", "", page.lstrip(), flags=re.I)
    body = page.index(">", page.index("<body")) + 1
    return (doctype + page[:body] + "<p>&xxe;&lol9;</p>" + page[body:]).encode("utf-8")


def _huge_html(size: int = 50 * 2**20) -> bytes:
    page = ff.seed_html(ff.load_seed(_seed("004")))
    pad = "<p>" + "政府信息公开工作 填充。" * 40 + "</p>\n"
    n = (size - len(page.encode())) // len(pad.encode())
    i = page.index("</body>")
    return (page[:i] + pad * n + page[i:]).encode("utf-8")


def _extra_column(text: str) -> str:
    """Every tab-separated table row of the report with one more cell at its end."""
    return "\n".join(line + "\t0" if "\t" in line else line for line in text.split("\n"))


def build_folder(folder: Path, secret: Path) -> dict[str, str]:
    """The hostile folder; returns {file name: what it is}."""
    folder.mkdir()
    rng = random.Random(7)
    files = {
        "empty.txt": (b"  \n\n", "empty file"),
        "zero.pdf": (b"", "zero bytes with a .pdf name"),
        "random.bin": (bytes(rng.randrange(256) for _ in range(5000)), "random binary"),
        "truncated.pdf": (None, "a PDF cut off halfway"),
        "scanned.pdf": (ff.scanned_pdf(), "a scanned PDF"),
        "bomb.docx": (_bomb_docx(), "a DOCX zip bomb"),
        "laughs.docx": (_entity_docx(f'<!DOCTYPE w:document [<!ENTITY lol0 "lol">'
                                     f'{ff.billion_laughs()}]>', "&lol9;"),
                        "a DOCX with a billion laughs"),
        "xxe.docx": (_entity_docx(f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM '
                                  f'"{secret.as_uri()}">]>', "&xxe;"),
                     "a DOCX with an external entity"),
        "entities.html": (_entity_html(secret), "a report page with both entities"),
        "huge.html": (_huge_html(), "a 50 MB report page"),
        "404.html": (NOT_FOUND_PAGE.encode("utf-8"), "an error page"),
        "big5.txt": (_seed("004").read_text(encoding="utf-8").translate(_TRADITIONAL)
                     .encode("big5", errors="replace"), "a report in traditional characters, Big5"),
        "extra_column.txt": (_extra_column(_seed("002").read_text(encoding="utf-8"))
                             .encode("utf-8"), "tables with an extra column"),
        "2020年度 报告 (副本).txt": (_seed("003").read_bytes(), "spaces and Chinese in the name"),
        "vanishing.txt": (_seed("000").read_bytes(), "removed between listing and parsing"),
        "unreadable.txt": (_seed("001").read_bytes(), "no read permission"),
    }
    files["truncated.pdf"] = (ff.seed_pdf(ff.load_seed(_seed("004"))), files["truncated.pdf"][1])
    data = files["truncated.pdf"][0]
    files["truncated.pdf"] = (data[:len(data) // 2], files["truncated.pdf"][1])
    what = {}
    for name, (data, about) in files.items():
        (folder / name).write_bytes(data)
        what[name] = about
    (folder / "unreadable.txt").chmod(0)
    (folder / "gone.txt").symlink_to(folder / "no-such-file.txt")
    what["gone.txt"] = "a broken link"
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.txt")
        what["pipe.txt"] = "a named pipe"
    return what


# name → (status, a pattern of the message); None: any status but error
EXPECTED = {
    "empty.txt": ("error", "empty"),
    "zero.pdf": ("error", "empty"),
    "random.bin": ("error", "binary|encoding|not an annual report"),
    "truncated.pdf": ("error", "damaged|cut off|truncated"),
    "scanned.pdf": ("error", "OCR"),
    "bomb.docx": ("error", "zip bomb"),
    "laughs.docx": ("error", "DTD"),
    "xxe.docx": ("error", "DTD"),
    "entities.html": (None, ""),
    "huge.html": (None, ""),
    "404.html": ("error", "not an annual report"),
    "big5.txt": (None, ""),
    "extra_column.txt": (None, ""),
    "2020年度 报告 (副本).txt": (None, ""),
    "vanishing.txt": ("error", "not found.*download it again"),
    "gone.txt": ("error", "not found.*download it again"),
    "pipe.txt": ("error", "not a regular file"),
    "unreadable.txt": (None if ROOT_USER else "error", "" if ROOT_USER else "permission"),
}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    secret = tmp / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    folder = tmp / "in folder 输入"
    what = build_folder(folder, secret)
    out = tmp / "out"
    # the file disappears after the batch listed and hashed it, before it is parsed
    real_hash = govopen.corpus.batch.hash_file

    def hash_then_vanish(path):
        result = real_hash(path)
        if Path(path).name == "vanishing.txt":
            os.remove(path)
        return result

    mp = pytest.MonkeyPatch()
    mp.setattr(govopen.corpus.batch, "hash_file", hash_then_vanish)
    try:
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(["parse", str(folder), "-o", str(out), "-j", "2", "--no-progress"])
    finally:
        mp.undo()
    reports = pd.read_parquet(out / "reports.parquet")
    return dict(folder=folder, out=out, what=what, code=code, reports=reports,
                stdout=stdout.getvalue(), stderr=stderr.getvalue())


def test_every_file_has_its_row_and_a_clear_status(hostile_run):
    reports = hostile_run["reports"]
    names = [Path(s).name for s in reports["source"]]
    assert sorted(names) == sorted(hostile_run["what"]) and len(names) == len(set(names))
    assert hostile_run["code"] == 0  # some files could be read
    got = dict(zip(names, zip(reports["status"], reports["message"].fillna(""),
                              strict=True), strict=True))
    for name, (status, message) in got.items():
        expected, pattern = EXPECTED[name]
        if expected is None:
            assert status in ("ok", "warning"), (name, status, message)
        else:
            assert status == expected, (name, status, message)
            assert re.search(pattern, message, re.I), (name, message)
        if status == "error":
            assert " — " in message, f"{name}: no advice in {message!r}"
    # the summary names every error file with its reason
    for name, (status, _) in got.items():
        if status == "error":
            assert name in hostile_run["stdout"], name


def test_no_local_file_content_or_expansion_leaks(hostile_run):
    out = hostile_run["out"]
    texts = [hostile_run["stdout"], hostile_run["stderr"]]
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".parquet":
            texts.append(pd.read_parquet(path).to_csv())
        else:
            texts.append(path.read_bytes().decode("utf-8", errors="replace"))
    for text in texts:
        assert SECRET not in text
        assert "lollollol" not in text


def test_the_report_pages_among_them_are_read_in_full(hostile_run):
    cells = pd.read_parquet(hostile_run["out"] / "cells.parquet")
    reports = hostile_run["reports"].assign(name=lambda d: d["source"].map(lambda s: Path(s).name))
    ids = dict(zip(reports["name"], reports["report_id"], strict=True))
    for name in ("entities.html", "huge.html", "2020年度 报告 (副本).txt"):
        mine = cells[cells["report_id"] == ids[name]]
        assert (mine["status"] == "parsed").sum() > 150, name


def test_an_extra_column_changes_no_value(hostile_run):
    """The column a table gained is not read into the template's cells."""
    cells = pd.read_parquet(hostile_run["out"] / "cells.parquet")
    reports = hostile_run["reports"].assign(name=lambda d: d["source"].map(lambda s: Path(s).name))
    rid = reports.loc[reports["name"] == "extra_column.txt", "report_id"].iloc[0]
    got = cells[cells["report_id"] == rid].set_index(["table", "row", "column"])
    plain = govopen.parse_report(_seed("002")).cells.set_index(["table", "row", "column"])
    parsed = got[got["status"] == "parsed"]
    assert len(parsed) > 150
    pd.testing.assert_series_equal(parsed["value"], plain.loc[parsed.index, "value"])


def test_strict_exits_non_zero_when_any_file_is_an_error(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(_seed("004"), folder / "a.txt")
    (folder / "b.txt").write_bytes(b"")
    assert main(["parse", str(folder), "-o", str(tmp_path / "o1"), "-j", "1",
                 "--no-progress"]) == 0
    assert main(["parse", str(folder), "-o", str(tmp_path / "o2"), "-j", "1",
                 "--no-progress", "--strict"]) == 1
    (folder / "b.txt").unlink()
    assert main(["parse", str(folder), "-o", str(tmp_path / "o3"), "-j", "1",
                 "--no-progress", "--strict"]) == 0
