"""Every kind of page in a real browser: accessibility, privacy, layout, focus and print."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from served import Site

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)


def pages(site: Site) -> dict[str, str]:
    """One page of each kind: the hub, a theme page, the plaquette, an article with images
    and the history page."""
    articles = site.data["articles"]
    lead = next(a for a in articles if a["plaquette"])
    theme = max(site.data["themes"], key=lambda t: t["count"])
    pictured = next(a for a in articles if a["path"] and "eclairage" in a["path"])
    return {
        "hub": "/",
        "theme": f"/themes/{theme['slug']}/",
        "plaquette": "/" + lead["path"],
        "article": "/" + pictured["path"],
        "history": "/historique/",
    }


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.mark.parametrize(
    ("kind", "scheme", "width"),
    [
        (kind, scheme, 1280)
        for scheme in ("light", "dark")
        for kind in ("hub", "theme", "article", "plaquette", "history")
    ]
    + [("hub", "light", 375), ("hub", "dark", 375)],  # the overview folded on a phone
)
def test_axe_finds_no_violation(
    browser: Browser, site: Site, axe_path: Path, kind: str, scheme: str, width: int
) -> None:
    # bypass_csp: axe is injected as an inline script, which our policy forbids.
    viewport = {"width": width, "height": 800}
    context = browser.new_context(bypass_csp=True, color_scheme=scheme, viewport=viewport)
    page = context.new_page()
    page.goto(site.url + pages(site)[kind])
    page.add_script_tag(path=str(axe_path))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    found = [(v["id"], v["impact"], len(v["nodes"])) for v in result["violations"]]
    print(f"axe {kind} ({scheme}, {width}): {len(result['violations'])} violation(s) {found}")
    # The issue asks for no serious or critical violation; the pages have none at all,
    # so any new one, even minor, fails here.
    assert found == []
    context.close()


def test_screenshots_and_no_sideways_scrolling(page: Page, site: Site, screenshots: Path) -> None:
    for kind, path in pages(site).items():
        for width in (320, *WIDTHS):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(site.url + path)
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width, (kind, width, overflow)
            if width in WIDTHS:
                target = screenshots / f"{kind}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                assert target.stat().st_size > 10_000
    print(f"screenshots in {screenshots}")


def test_only_the_site_is_contacted(page: Page, site: Site) -> None:
    contacted: dict[str, set[str]] = {}
    kind = ""
    page.on("request", lambda request: contacted[kind].add(origin(request.url)))
    for kind, path in pages(site).items():
        contacted[kind] = set()
        page.goto(site.url + path, wait_until="networkidle")
    # The article's pictures are our own copies (document.images): the source is stopped.
    assert contacted["hub"] == contacted["theme"] == contacted["article"] == {site.url}


def test_keyboard_focus_is_visible(page: Page, site: Site) -> None:
    page.goto(site.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0
    for _ in range(80):  # past the plaquette's card and the overview's links to the filters
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#filtres button.chip')"):
            break
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert style == ["solid", "3px"]
    page.keyboard.press("Enter")
    expect(page.locator("#filtres button.chip").first).to_have_attribute("aria-pressed", "true")


def test_print_keeps_the_text_and_drops_the_controls(
    page: Page, site: Site, screenshots: Path
) -> None:
    page.goto(site.url + "/")
    page.emulate_media(media="print")
    expect(page.locator("#filtres")).to_be_hidden()
    expect(page.locator(".cards article").first).to_be_visible()
    expect(page.locator(".overview svg.barres")).to_be_visible()
    page.pdf(path=str(screenshots / "hub-print.pdf"))
    page.goto(site.url + pages(site)["article"])
    expect(page.locator(".pager")).to_be_hidden()
    expect(page.locator(".source")).to_be_visible()
    page.pdf(path=str(screenshots / "article-print.pdf"))
    assert (screenshots / "article-print.pdf").stat().st_size > 5_000
