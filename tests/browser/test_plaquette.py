"""The plaquette in a real browser: its cover on the hub's first screen, its pages to read."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from served import Site

pytestmark = pytest.mark.browser

# (width, height) of the first screen: a small phone and a laptop.
SCREENS = ((375, 667), (1280, 800))


def plaquette_path(site: Site) -> str:
    return "/" + next(a for a in site.data["articles"] if a["plaquette"])["path"]


def in_first_screen(page: Page, selector: str) -> bool:
    """True when the element is laid out entirely inside the viewport, unscrolled."""
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None, selector
    return (
        box["width"] > 0
        and box["height"] > 0
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_first_screen_shows_cover_title_pitch_and_download(
    browser: Browser, site: Site, screenshots: Path, width: int, height: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(site.url + "/")
    cover = page.locator(".lead .cover img")
    cover.wait_for()
    page.wait_for_function("() => document.querySelector('.lead .cover img').complete")
    source = cover.evaluate("img => img.currentSrc")
    pixels = page.evaluate(
        "async url => (await createImageBitmap(await (await fetch(url)).blob())).width", source
    )
    shown = cover.bounding_box()
    assert shown is not None
    page.screenshot(path=str(screenshots / f"hub-first-screen-{width}.png"))
    print(f"hub {width}px: cover shown {shown['width']:.0f} px wide from {pixels} px, {source}")
    assert source.endswith(".webp")  # the browser chose WebP from the srcset
    assert pixels >= shown["width"]  # never blown up beyond its pixels
    for part in (".lead .cover img", "#plaquette-titre", ".lead .pitch", ".lead a.button"):
        assert in_first_screen(page, part), (width, part)
    download = page.locator(".lead a.button")
    assert "/documents/" in download.get_attribute("href")
    assert "(PDF, " in download.inner_text()
    context.close()


def test_every_page_is_an_image_followed_by_its_text(browser: Browser, site: Site) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(site.url + plaquette_path(site))
    items = page.locator(".document .pages > li")
    count = items.count()
    assert count == 4
    for number in range(1, count + 1):
        item = page.locator(f"#page-{number}")
        assert item.locator("figcaption").inner_text() == f"Page {number} sur {count}"
        image = item.locator("img")
        assert image.get_attribute("loading") == "lazy"
        assert int(image.get_attribute("width")) > 0 and int(image.get_attribute("height")) > 0
        assert item.locator(".page-text p").count() >= 2
    last = page.locator("#page-4")
    last.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('#page-4 img').complete")
    assert last.locator("img").evaluate("img => img.naturalWidth") > 0
    assert "vélobus" in last.locator(".page-text").inner_text()
    page.close()


def test_axe_finds_no_violation_on_the_plaquette_page(
    browser: Browser, site: Site, axe_path: Path
) -> None:
    context = browser.new_context(bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    page.goto(site.url + plaquette_path(site))
    page.add_script_tag(path=str(axe_path))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    found = [(v["id"], v["impact"], len(v["nodes"])) for v in result["violations"]]
    assert found == []
    context.close()
