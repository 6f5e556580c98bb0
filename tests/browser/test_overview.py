"""The hub's overview as readers use it, on a phone and a laptop, light and dark:
bars that filter like the chips, a timeline whose marks lead to their articles,
pictures with a title, a description and a text equivalent."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from served import Site, chip

pytestmark = pytest.mark.browser

VIEWS = [(w, s) for w in (375, 1280) for s in ("light", "dark")]


def open_hub(browser: Browser, site: Site, width: int, scheme: str) -> tuple[BrowserContext, Page]:
    """The hub with its overview in view: on a phone, unfolded as a reader would."""
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site.url + "/")
    if width < 992:
        page.locator("#apercu > details > summary").click()
    expect(page.locator("svg.barres")).to_be_visible()
    return context, page


def test_on_a_phone_the_overview_is_one_line_above_the_list(browser: Browser, site: Site) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(site.url + "/")
    summary = page.locator("#apercu > details > summary")
    search = page.locator("#recherche")
    expect(search).to_be_visible()  # the script has run
    expect(page.locator("svg.barres")).to_be_hidden()
    assert summary.bounding_box()["y"] + 60 < search.bounding_box()["y"]
    assert summary.bounding_box()["height"] < 60
    summary.click()
    expect(page.locator("svg.barres")).to_be_visible()
    # the header's link unfolds it too
    page.reload()
    expect(page.locator("svg.barres")).to_be_hidden()
    page.locator('header.intro a[href="#apercu"]').click()
    expect(page.locator("svg.barres")).to_be_visible()
    context.close()
    # without JavaScript it stays open, above the list
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + "/")
    barres = page.locator("svg.barres")
    expect(barres).to_be_visible()
    assert barres.bounding_box()["y"] < page.locator("#articles-titre").bounding_box()["y"]
    context.close()


def test_on_a_laptop_the_overview_is_open_above_the_list_pictures_side_by_side(
    browser: Browser, site: Site
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(site.url + "/")
    boxes = {}
    for name in ("barres", "frise"):
        expect(page.locator(f"svg.{name}")).to_be_visible()
        boxes[name] = page.locator(f"svg.{name}").bounding_box()
    pairs = page.locator("ul.pairs").bounding_box()
    assert boxes["barres"]["x"] < boxes["frise"]["x"] < pairs["x"]
    cards = page.locator(".cards").bounding_box()
    assert max(b["y"] + b["height"] for b in boxes.values()) < cards["y"]
    context.close()


def titles(page: Page) -> set[str]:
    texts = page.locator("main article[data-themes]:visible :is(h2, h3) > a").all_inner_texts()
    return {text.replace("\u00a0", " ") for text in texts}


def bar(page: Page, slug: str) -> Locator:
    return page.locator(f'svg.barres a[data-theme="{slug}"]')


@pytest.mark.parametrize(("width", "scheme"), VIEWS)
def test_a_bar_filters_like_its_chip_and_shows_it(
    browser: Browser, site: Site, screenshots: Path, width: int, scheme: str
) -> None:
    context, page = open_hub(browser, site, width, scheme)
    top = max(site.data["themes"], key=lambda t: t["count"])["slug"]
    other = next(t["slug"] for t in site.data["themes"] if t["count"] and t["slug"] != top)
    expect(bar(page, top)).to_have_attribute("role", "button")
    expect(bar(page, top)).to_have_attribute("aria-pressed", "false")
    bar(page, top).click()
    assert page.url == f"{site.url}/?theme={top}"
    expect(chip(page, top)).to_have_attribute("aria-pressed", "true")
    expect(bar(page, top)).to_have_attribute("aria-pressed", "true")
    assert titles(page) == site.articles_with(top)
    # the chip drives the bar too, and the keyboard works the bar like a button
    chip(page, top).click()
    expect(bar(page, top)).to_have_attribute("aria-pressed", "false")
    bar(page, other).focus()
    page.keyboard.press("Space")
    assert page.url == f"{site.url}/?theme={other}"
    assert titles(page) == site.articles_with(other)
    page.keyboard.press("Enter")
    assert page.url == f"{site.url}/"
    bar(page, top).click()
    page.locator("#apercu").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"overview-{width}-{scheme}.png"), full_page=True)
    # the marks of the articles the filter hides are set apart
    off = page.locator("svg.frise a.off").count()
    assert off == len(site.titles - site.articles_with(top)) > 0
    context.close()


def test_without_javascript_a_bar_leads_to_its_theme_page(browser: Browser, site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + "/")
    slug = max(site.data["themes"], key=lambda t: t["count"])["slug"]
    bar(page, slug).click()
    assert page.url == f"{site.url}/themes/{slug}/"
    expect(page.locator("h1")).to_have_text(site.label(slug))
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_timeline_marks_link_to_their_articles(browser: Browser, site: Site, width: int) -> None:
    context, page = open_hub(browser, site, width, "light")
    marks = page.locator("svg.frise a")
    published = {a["path"]: a for a in site.data["articles"] if a["path"]}
    hrefs = marks.evaluate_all(
        "els => els.map(e => new URL(e.getAttribute('href'), location).href)"
    )
    assert sorted(hrefs) == sorted(f"{site.url}/{path}" for path in published)
    first = marks.first
    name = first.locator("title").text_content()
    first.click()
    page.wait_for_url(f"{site.url}/articles/**")
    article = published[page.url.removeprefix(site.url + "/")]
    assert name.replace("\u00a0", " ").startswith(article["title"].replace("\u00a0", " ")[:20])
    expect(page.locator("h1")).to_be_visible()
    context.close()


BAR_FILLS = """() => [...document.querySelectorAll('svg.barres a[data-theme]')].map(
  a => [a.dataset.theme, getComputedStyle(a.querySelector('rect:not(.hit)')).fill])"""
# What the reader sees in each stripe of each mark: the fill of the topmost path there.
MARK_FILLS = """(stripes) => [...document.querySelectorAll('svg.frise a')].map(a => {
  const path = new URL(a.getAttribute('href'), location).pathname.slice(1);
  const box = a.querySelector('rect.m').getBoundingClientRect();
  const k = stripes[path];
  return [path, Array.from({length: k}, (_, n) => {
    const x = box.left + box.width / 2, y = box.top + box.height * (n + 0.5) / k;
    const under = document.elementsFromPoint(x, y).find(e => e.tagName === 'path');
    return under ? getComputedStyle(under).fill : null;
  })];
})"""
FRAME_FILLS = """() => [...document.querySelectorAll('svg.frise a')].map(
  a => [a.classList.contains('off'), getComputedStyle(a.querySelector('rect.m')).fill])"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_timeline_marks_wear_the_colours_of_their_themes_bars(
    browser: Browser, site: Site, scheme: str
) -> None:
    context, page = open_hub(browser, site, 1280, scheme)
    bars = dict(page.evaluate(BAR_FILLS))
    order = list(bars)
    assert len(set(bars.values())) == len(bars)  # one colour per theme shown
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background not in bars.values()
    themes_of = {
        a["path"]: sorted(a["themes"], key=order.index) for a in site.data["articles"] if a["path"]
    }
    assert all(themes_of.values())  # every sample article has a theme
    page.locator("svg.frise").scroll_into_view_if_needed()
    marks = page.evaluate(MARK_FILLS, {path: len(t) for path, t in themes_of.items()})
    assert len(marks) == len(themes_of)
    for path, fills in marks:
        assert fills == [bars[slug] for slug in themes_of[path]], path
    # filtered out, a mark is a hollow square: its frame covers its stripes
    top = order[0]
    bar(page, top).click()
    frames = page.evaluate(FRAME_FILLS)
    assert {fill for off, fill in frames if off} == {background}
    assert {fill for off, fill in frames if not off} == {"rgba(0, 0, 0, 0)"}
    assert sum(off for off, _ in frames) == len(site.titles - site.articles_with(top)) > 0
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_picture_has_title_description_and_an_equivalent(
    browser: Browser, site: Site, scheme: str
) -> None:
    context, page = open_hub(browser, site, 375, scheme)
    for name in ("barres", "frise"):
        svg = page.locator(f"svg.{name}")
        assert svg.locator(":scope > title").text_content().strip()
        assert len(svg.locator(":scope > desc").text_content()) > 40
        described = svg.get_attribute("aria-describedby")
        assert page.locator(f"#{described}").count() == 1
        equiv = svg.locator("xpath=following-sibling::details[1]")
        items = equiv.locator("li")
        expect(items.first).to_be_hidden()  # short on a phone: closed until asked
        equiv.locator("summary").click()
        expect(items.first).to_be_visible()
        expected = sum(1 for t in site.data["themes"] if t["count"]) if name == "barres" else None
        if expected is not None:
            assert items.count() == expected
    years = page.locator("svg.frise ~ details li").all_inner_texts()
    assert sum(int(y.split(":")[1].split()[0]) for y in years) == len(site.titles)
    context.close()


def test_a_pair_of_themes_opens_both_together(page: Page, site: Site) -> None:
    page.goto(site.url + "/")
    pair = page.locator("ul.pairs a").first
    a, b = pair.get_attribute("data-pair").split()
    pair.click()
    assert "mode=tous" in page.url
    expect(page.get_by_role("switch")).to_be_checked()
    assert titles(page) == site.articles_with(a, b, every=True)
    expect(page.locator("#filtre-etat")).to_be_focused()


@pytest.mark.parametrize(("width", "height"), [(375, 667), (1280, 800)])
def test_the_plaquette_download_is_on_its_page_first_screen(
    browser: Browser, site: Site, screenshots: Path, width: int, height: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    lead = next(a for a in site.data["articles"] if a["plaquette"])
    page.goto(f"{site.url}/{lead['path']}")
    button = page.locator("main a.button").first
    box = button.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height
    page.screenshot(path=str(screenshots / f"plaquette-first-screen-{width}.png"))
    page.close()
