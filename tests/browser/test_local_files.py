"""A local build (pelicanconf.py: relative URLs) opened straight from disk in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from mirror import MirrorServer
from pelican import Pelican
from pelican.settings import read_settings
from playwright.sync_api import Page, expect
from support import EXPECTED, ROOT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def local_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample mirror built with pelicanconf.py as is; the mirror is stopped after."""
    base = tmp_path_factory.mktemp("local-site")
    with MirrorServer() as mirror:
        override = {
            "OUTPUT_PATH": str(base / "out"),
            "DOSSIER_START_URL": mirror.url(EXPECTED["start_path"]),
            "DOSSIER_ALLOWED_HOSTS": ["127.0.0.1"],
            "DOSSIER_CACHE_PATH": str(base / "cache"),
            "DOSSIER_PROGRESS": False,
        }
        Pelican(read_settings(str(ROOT / "pelicanconf.py"), override=override)).run()
    return base / "out"


@pytest.mark.parametrize("path", ["index.html", "themes/donnees/index.html", "article"])
def test_pages_open_from_disk_styled_and_scripted(page: Page, local_site: Path, path: str) -> None:
    if path == "article":
        path = next(local_site.glob("articles/*/index.html")).relative_to(local_site).as_posix()
    failed, refused = [], []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto((local_site / path).as_uri())
    accent = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--accent')"
    )
    assert accent.strip() in ("#0b4f8c", "#8cc4ff")  # site.css applied (light or dark)
    # the one request a browser refuses from disk: filtres.js probing the search index
    probe = "/pagefind/pagefind-entry.json"
    own = [u for u in failed if u.startswith("file:") and not u.endswith(probe)]
    assert own == [] and refused == []
    if path == "index.html":  # filtres.js ran: the filter tools it drives are shown,
        expect(page.locator("#filtres .tools")).to_be_visible()
        expect(page.locator("#recherche")).to_be_hidden()  # no search without a server


def test_our_images_load_from_disk(page: Page, local_site: Path) -> None:
    """Relative image URLs (SITEURL relative in each page) reach our copies from file://."""
    article = local_site / "articles" / "reseaux-eau-potable-capteurs-fuites" / "index.html"
    for path in (local_site / "index.html", article):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(path.as_uri())
        page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
        page.wait_for_load_state("load")
        page.wait_for_function("Array.from(document.images).every(i => i.complete)")
        images = page.evaluate(
            "Array.from(document.images).map(i => [i.currentSrc, i.naturalWidth])"
        )
        assert images and all(src.startswith("file:") and width for src, width in images), images
        assert any("/images/" in src for src, _w in images)
