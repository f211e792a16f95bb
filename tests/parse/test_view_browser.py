"""A report page in a real browser: headless Chromium, driven over the DevTools protocol
on a pipe (``--remote-debugging-pipe``: JSON messages ending in a NUL byte on file
descriptors 3 and 4), so no driver package is needed. A click on a cell scrolls to its
source and marks its line; a click on the source goes back to the cell. A screenshot is
saved under ``reports/screenshots/``. Skipped where Chromium is not installed.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from govopen.parse import view
from tests.support import REPO, parsed_seed

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             shutil.which("google-chrome")) if p), None)
SCREENSHOTS = REPO / "reports" / "screenshots"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed: "
                                 "install chromium to run the browser test of the view")]


class Browser:
    """One headless Chromium and its DevTools protocol over a pipe."""

    def __init__(self, profile: str):
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds():  # the protocol reads fd 3 and writes fd 4 of the browser
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child_r, from_child_w)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--remote-debugging-pipe", f"--user-data-dir={profile}",
             "--window-size=1400,1000", "about:blank"],
            # kept open past preexec_fn, which runs before the other descriptors are closed
            # (3 and 4 are open here: the two pipes took the lowest free numbers)
            preexec_fn=fds, pass_fds=(3, 4),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next = 0
        self.session: str | None = None

    def send(self, method: str, params: dict | None = None, session: bool = True) -> dict:
        self._next += 1
        message: dict = {"id": self._next, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url: str) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        self.session = self.send("Target.attachToTarget", {"targetId": target["targetId"],
                                                           "flatten": True},
                                 session=False)["sessionId"]
        self.send("Page.enable")
        self.send("Page.navigate", {"url": url})
        self.wait("document.readyState === 'complete'")

    def js(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True})
        return result["result"].get("value")

    def wait(self, condition: str, tries: int = 100) -> None:
        for _ in range(tries):
            if self.js(f"Boolean({condition})"):
                return
            self.js("new Promise(r => setTimeout(r, 50))")
        raise AssertionError(f"never true: {condition}")

    def click(self, element_id: str) -> None:
        """A real mouse click in the middle of the element (scrolled into view first)."""
        box = self.js(f"""(() => {{ const e = document.getElementById({json.dumps(element_id)});
            e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect();
            return [r.x + r.width / 2, r.y + r.height / 2]; }})()""")
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1],
                                                   "button": "left", "clickCount": 1})

    def screenshot(self, path: Path) -> None:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.send("Browser.close", session=False)
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - it is going away either way
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)


@pytest.fixture
def browser():
    with tempfile.TemporaryDirectory(prefix="govopen-chromium-") as profile:
        b = Browser(profile)
        try:
            yield b
        finally:
            b.close()


def in_view(element_id: str) -> str:
    return f"""(() => {{ const r = document.getElementById({json.dumps(element_id)})
        .getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }})()"""


def test_clicking_a_cell_shows_its_source_line_and_back(browser, tmp_path):
    report = parsed_seed("004")
    page = tmp_path / "004.html"
    page.write_text(view.report_page(report, "zh"), encoding="utf-8")
    ids = view._Ids(report.meta.report_id)
    cell = report.cells.set_index(["table", "row", "column"]).loc[("requests", "total", "total")]
    cell_id = ids.cell("requests", "total", "total")
    source_id = ids.source("requests", "total", "total")
    browser.open(page.as_uri())

    browser.click(cell_id)
    browser.wait(f"location.hash === '#{source_id}'")
    line = browser.js(f"document.getElementById('{source_id}').closest('.ln').id")
    assert line == ids.line(cell.line)
    browser.wait(f"document.getElementById('{line}').classList.contains('hit')")
    assert browser.js(f"document.getElementById('{source_id}').textContent") == cell.raw
    browser.wait(in_view(source_id))
    # the line is highlighted: its background is the marked one, not the page's
    assert browser.js(f"getComputedStyle(document.getElementById('{line}'))"
                      ".backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    browser.screenshot(SCREENSHOTS / "view-cell-to-source.png")

    browser.click(source_id)  # and back to the cell
    browser.wait(f"location.hash === '#{cell_id}'")
    browser.wait(f"document.getElementById('{cell_id}').classList.contains('hit')")
    browser.wait(in_view(cell_id))
    assert not browser.js(f"document.getElementById('{line}').classList.contains('hit')")


def test_the_page_loads_nothing_from_outside(browser, tmp_path):
    page = tmp_path / "000.html"
    page.write_text(view.report_page(parsed_seed("000")), encoding="utf-8")
    browser.open(page.as_uri())
    urls = browser.js("performance.getEntriesByType('resource').map(e => e.name)")
    assert urls == []
    assert browser.js("document.querySelectorAll('script').length") == 1
