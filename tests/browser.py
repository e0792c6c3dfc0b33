"""Headless Chromium for the browser tests (review report, war-room dashboard).

Drives Debian's `chromium` package through Playwright with `executable_path`, so no browser download is
needed. Skips on a laptop without Chromium; fails in CI (DACHU_REQUIRE_ALL=1), where `.ci/run` installs it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.conftest import need

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Flags for this closed network: without the background-networking ones Chromium keeps dialling out."""

ARTIFACTS = Path(__file__).resolve().parent.parent / "out" / "test-artifacts"
"""Where browser tests keep their screenshots (git-ignored `out/`)."""


def chromium_path() -> str | None:
    """The Chromium binary on PATH, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class BrowserPage:
    """A Playwright page plus everything the page logged as an error (console errors, uncaught exceptions)."""

    page: Any
    errors: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> Path:
        """Save a full-page screenshot as out/test-artifacts/<name>.png and return its path."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@contextmanager
def chromium_page(width: int = 1280, height: int = 900) -> Iterator[BrowserPage]:
    """Open a fresh headless Chromium page; collect console errors and page errors while it lives."""
    path = chromium_path()
    need(path is not None, "Debian's chromium package is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev extra missing
        need(False, "playwright is not installed (pip install -e '.[dev]')")
        raise
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            result = BrowserPage(page)
            page.on("console", lambda m: result.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: result.errors.append(str(e)))
            yield result
        finally:
            browser.close()
