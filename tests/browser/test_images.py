"""Images in a real browser, with the source server stopped: only our own origin is asked,
every image in view loads, and the pages stay within their byte budgets.

Budgets (issue 14): the hub's HTML + CSS + JS at most 60 KB (images apart, they are
lazy), an article page's images at most 400 KB at 1280 px wide. Figures are printed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, Route
from served import Site

pytestmark = pytest.mark.browser

HUB_BUDGET = 60_000  # bytes of HTML, CSS and JavaScript
IMAGE_BUDGET = 400_000  # bytes of images on an article page at 1280 px
TEXT_TYPES = ("document", "stylesheet", "script")


def kinds(site: Site) -> dict[str, str]:
    """The hub, the theme with most articles, and the article with a figure and a lead."""
    theme = max(site.data["themes"], key=lambda t: t["count"])
    pictured = next(
        a for a in site.data["articles"] if a["path"] and len(a.get("images") or ()) >= 2
    )
    return {"hub": "/", "theme": f"/themes/{theme['slug']}/", "article": "/" + pictured["path"]}


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def scroll_through(page: Page) -> None:
    """Scroll to the bottom step by step, so every lazy image comes into view."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + 800, 600):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")


def broken_images(page: Page) -> list[str]:
    return page.evaluate(
        "Array.from(document.images)"
        ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.currentSrc || i.src)"
    )


def test_no_other_origin_and_every_image_loads_with_the_source_stopped(
    page: Page, site: Site
) -> None:
    elsewhere: list[str] = []

    def guard(route: Route, request: Request) -> None:
        if origin(request.url) == site.url:
            route.continue_()
        else:  # recorded and refused: nothing may leave for another site
            elsewhere.append(request.url)
            route.abort()

    page.route("**/*", guard)
    page.set_viewport_size({"width": 1280, "height": 900})
    counts = {}
    for kind, path in kinds(site).items():
        page.goto(site.url + path, wait_until="networkidle")
        scroll_through(page)
        assert broken_images(page) == [], kind
        counts[kind] = page.evaluate("document.images.length")
    print(f"images per page: {counts}")
    assert elsewhere == []
    assert counts["hub"] >= 2 and counts["article"] >= 1


def test_budgets_hub_text_and_article_images(page: Page, site: Site) -> None:
    sizes: list[tuple[str, str, int]] = []

    def record(response: object) -> None:
        request = response.request  # type: ignore[attr-defined]
        body = response.body() if response.status == 200 else b""  # type: ignore[attr-defined]
        sizes.append((request.resource_type, request.url, len(body)))

    page.on("response", record)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site.url + "/", wait_until="networkidle")
    hub_text = sum(n for kind, _u, n in sizes if kind in TEXT_TYPES)
    hub_images = sum(n for kind, _u, n in sizes if kind == "image")
    print(f"hub: {hub_text} bytes of HTML+CSS+JS (+{hub_images} bytes of images in view)")
    assert 0 < hub_text <= HUB_BUDGET
    pictured = [a for a in site.data["articles"] if a["path"] and a.get("images")]
    assert len(pictured) >= 3
    for article in pictured:  # every article with images, the heaviest photograph included
        sizes.clear()
        page.goto(f"{site.url}/{article['path']}", wait_until="networkidle")
        scroll_through(page)
        shown = [(u.rsplit("/", 1)[-1], n) for kind, u, n in sizes if kind == "image"]
        total = sum(n for _u, n in shown)
        print(f"{article['path']} at 1280 px: {total} bytes of images {shown}")
        assert shown and all(name.endswith(".webp") for name, _n in shown)
        assert total <= IMAGE_BUDGET
