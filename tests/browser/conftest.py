"""Browser tests: Debian's Chromium driven by pytest-playwright, on the mirror-built site.

The site is built once per session from the sample mirror, with SITEURL set to
the local server that then serves it; the mirror is stopped once the site is built:
the site must show everything (its images are its own copies) with the source gone.
Never ``playwright install``: the tests skip when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mirror import MirrorServer
from served import Site
from support import START_PATH, build_site, serve_folder

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-results" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip every browser test, with the reason, when Chromium is not installed."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: apt-get install chromium (never `playwright install`)"
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium, headless, with no background traffic."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Build the mirror site once and serve it on 127.0.0.1 for the whole session."""
    base = tmp_path_factory.mktemp("browser-site")
    output = base / "out"
    output.mkdir()
    with serve_folder(output) as url:
        with MirrorServer() as mirror:
            build_site(output, base / "cache", mirror.url(START_PATH), SITEURL=url)
        data = json.loads((output / "dossier.json").read_text(encoding="utf-8"))
        yield Site(output, url, mirror.base_url, data)


@pytest.fixture(scope="session")
def axe_path() -> Path:
    """axe-core, installed by `make` from npm into .cache/npm; skip when absent."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run `make test` (npm install axe-core@4.10)")
    return AXE


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
