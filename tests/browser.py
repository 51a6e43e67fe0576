"""Debian's Chromium for the tests, driven by Playwright for Python (never a browser download), and axe-core.

One place for where they are and how Chromium starts. ``browser`` is a pytest fixture (module scope, offered
to every test module by conftest.py) that skips the test when Playwright or Chromium is missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # npm ci (make test) installs it from package-lock.json
# As root, with no network: no sandbox, no GPU, and none of Chromium's own connections (refused here)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).is_file():
        pytest.skip("Chromium is not installed")
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()
