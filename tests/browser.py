"""Debian's Chromium driven by Playwright, for the page tests (see RECIPES.md).

Never `playwright install`: the browser is /usr/bin/chromium from scripts/system-deps.sh.
Under CI=true a missing browser fails the tests instead of skipping them.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1500, "height": 900}


def _unavailable(why: str):
    message = f"{why} (install it with scripts/system-deps.sh and the [test] extra)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def launch():
    """Yield a running headless Chromium (a generator, for a fixture to wrap)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing")
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} is missing")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A page of ours opened from disk, with what it logged and requested."""

    def __init__(self, browser, path: Path, timeout_ms: int = 30000) -> None:
        self.url = path.resolve().as_uri()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport=VIEWPORT)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        start = time.perf_counter()
        self.page.goto(self.url)
        self.page.wait_for_function("window.kgStable === true", timeout=timeout_ms)
        self.seconds_to_stable = time.perf_counter() - start

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def text(self, selector: str) -> str:
        return self.page.locator(selector).inner_text()

    def node_id(self, label: str) -> int:
        return self.js("l => JSON.parse(document.getElementById('kg-data').textContent)"
                       ".nodes.find(n => n.label === l).id", label)

    def hidden(self, node_id: int) -> bool:
        return bool(self.js("id => kgNetwork.body.data.nodes.get(id).hidden", node_id))

    def click_node(self, node_id: int) -> None:
        """A real mouse click on the node's place on the canvas, after zooming to it.

        A jump started earlier (search results animate the view) may still be moving the
        view, so the view is moved again until it stays where it was put.
        """
        view = None
        for _ in range(50):
            self.js("id => kgNetwork.moveTo({position: kgNetwork.getPosition(id), scale: 2.5})",
                    node_id)
            self.page.wait_for_timeout(100)
            now = self.js("() => [kgNetwork.getViewPosition(), kgNetwork.getScale()]")
            if now == view:
                break
            view = now
        point = self.js("id => kgNetwork.canvasToDOM(kgNetwork.getPosition(id))", node_id)
        assert self.js("p => kgNetwork.getNodeAt(p)", point) == node_id
        box = self.page.locator("#kg-graph").bounding_box()
        self.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])

    def close(self) -> None:
        self.page.close()
