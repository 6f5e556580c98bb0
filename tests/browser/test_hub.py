"""The hub's topic filter, as a reader uses it: chips, counts, the URL and the back button."""

from __future__ import annotations

from itertools import combinations

import pytest
from playwright.sync_api import Browser, Page, expect
from served import Site, chip, chip_counts

pytestmark = pytest.mark.browser


def used_themes(site: Site) -> list[str]:
    """Slugs of the themes that carry at least one article, in taxonomy order."""
    return [t["slug"] for t in site.data["themes"] if t["count"]]


def pair(site: Site) -> tuple[str, str]:
    """Two themes that share articles yet each add their own: the best case for every mode."""
    candidates = [
        (len(site.articles_with(a, b, every=True)), a, b)
        for a, b in combinations(used_themes(site), 2)
        if site.articles_with(a) != site.articles_with(a, b) != site.articles_with(b)
    ]
    shared, a, b = max(candidates, key=lambda c: c[0])
    assert shared >= 1, "the sample dossier has no two themes sharing an article"
    return a, b


def visible_titles(page: Page) -> set[str]:
    texts = page.locator("main [data-themes]:visible :is(h2, h3) > a").all_inner_texts()
    return {text.replace("\u00a0", " ") for text in texts}


def quoted(site: Site, slugs: list[str], joiner: str) -> str:
    names = [f"«\u00a0{site.label(s)}\u00a0»" for s in slugs]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {joiner} {names[-1]}"


def in_order(site: Site, *slugs: str) -> list[str]:
    return [s for s in used_themes(site) if s in slugs]


def said(shown: int, total: int, topic: str) -> str:
    """The status line in plain French (issue 17): « 5 des 16 articles portent sur … »."""
    if shown == 1:
        return f"Un des {total} articles porte {topic}."
    return f"{shown} des {total} articles portent {topic}."


def test_chips_filter_count_and_keep_state_in_history(page: Page, site: Site) -> None:
    total = len(site.titles)
    a, b = pair(site)
    both = in_order(site, a, b)
    page.goto(site.url + "/")
    status = page.locator("#filtre-etat")
    expect(status).to_have_text(f"{total} articles, tous affichés.")
    assert visible_titles(page) == site.titles

    chip(page, a).click()
    expect(chip(page, a)).to_have_attribute("aria-pressed", "true")
    assert page.url == f"{site.url}/?theme={a}"
    assert visible_titles(page) == site.articles_with(a)
    shown = len(site.articles_with(a))
    expect(status).to_have_text(said(shown, total, f"sur « {site.label(a)} »"))

    chip(page, b).click()
    assert page.url == f"{site.url}/?theme={','.join(both)}"
    assert visible_titles(page) == site.articles_with(a, b)
    # a chip counts what the reader would get by adding its theme (issue 17); a
    # selected one, the articles shown that carry it
    assert chip_counts(page) == {
        t: len(site.articles_with(t) if t in (a, b) else site.articles_with(a, b, t))
        for t in used_themes(site)
    }

    page.get_by_role("switch", name="Seulement les articles qui ont tous ces thèmes").check()
    assert page.url == f"{site.url}/?theme={','.join(both)}&mode=tous"
    assert visible_titles(page) == site.articles_with(a, b, every=True)
    assert chip_counts(page) == {
        t: len(site.articles_with(a, b, t, every=True)) for t in used_themes(site)
    }
    expect(status).to_contain_text(f"à la fois sur {quoted(site, both, 'et')}.")

    page.go_back()
    assert visible_titles(page) == site.articles_with(a, b)
    expect(page.get_by_role("switch")).not_to_be_checked()
    page.go_back()
    assert visible_titles(page) == site.articles_with(a)
    expect(chip(page, b)).to_have_attribute("aria-pressed", "false")
    page.go_back()
    assert page.url == f"{site.url}/"
    assert visible_titles(page) == site.titles
    page.go_forward()
    assert visible_titles(page) == site.articles_with(a)

    page.get_by_role("button", name="Tout afficher").first.click()
    assert page.url == f"{site.url}/"
    expect(status).to_have_text(f"{total} articles, tous affichés.")
    assert visible_titles(page) == site.titles


def test_a_filtered_url_opens_filtered(page: Page, site: Site) -> None:
    a, b = pair(site)
    page.goto(f"{site.url}/?theme={b},{a},inconnu")
    assert visible_titles(page) == site.articles_with(a, b)
    for slug in (a, b):
        expect(chip(page, slug)).to_have_attribute("aria-pressed", "true")
    page.goto(f"{site.url}/?theme={a},{b}&mode=tous")
    assert visible_titles(page) == site.articles_with(a, b, every=True)
    expect(page.get_by_role("switch")).to_be_checked()
    page.reload()
    assert visible_titles(page) == site.articles_with(a, b, every=True)


def test_chips_on_cards_toggle_the_same_filter(page: Page, site: Site) -> None:
    page.goto(site.url + "/")
    card_chip = page.locator(".cards article button.chip").first
    slug = card_chip.get_attribute("data-theme")
    card_chip.click()
    expect(chip(page, slug)).to_have_attribute("aria-pressed", "true")
    assert visible_titles(page) == site.articles_with(slug)


def test_an_empty_intersection_says_so(page: Page, site: Site) -> None:
    disjoint = [
        (a, b)
        for a, b in combinations(used_themes(site), 2)
        if not site.articles_with(a, b, every=True)
    ]
    if not disjoint:
        pytest.skip("every pair of themes shares an article in this sample")
    a, b = disjoint[0]
    page.goto(f"{site.url}/?theme={a},{b}&mode=tous")
    assert visible_titles(page) == set()
    expect(page.locator("#filtre-vide")).to_be_visible()
    total = len(site.titles)
    both = in_order(site, a, b)
    expect(page.locator("#filtre-etat")).to_have_text(
        f"Aucun des {total} articles ne porte à la fois sur {quoted(site, both, 'et')}."
    )
    # said once (the status line), with the two ways out under it
    expect(page.locator("main").get_by_text("Aucun", exact=False)).to_have_count(1)
    page.locator("#filtre-vide [data-un-pas]").click()
    assert page.url == f"{site.url}/?theme={','.join(both)}"
    assert visible_titles(page) == site.articles_with(a, b)
    page.go_back()
    page.locator("#filtre-vide [data-reset]").click()
    assert visible_titles(page) == site.titles


def test_reset_goes_back_one_step_then_shows_everything(page: Page, site: Site) -> None:
    a, b = pair(site)
    both = ",".join(in_order(site, a, b))
    page.goto(f"{site.url}/?theme={both}&mode=tous")
    reset = page.locator("#filtre-reset")
    expect(reset).to_have_text("Revenir à « au moins un de ces thèmes »")
    reset.click()
    assert page.url == f"{site.url}/?theme={both}"
    expect(page.get_by_role("switch")).not_to_be_checked()
    assert visible_titles(page) == site.articles_with(a, b)
    expect(reset).to_have_text("Tout afficher")
    reset.click()
    assert page.url == f"{site.url}/"
    assert visible_titles(page) == site.titles
    expect(reset).to_be_hidden()


def test_without_javascript_chips_are_links_to_theme_pages(browser: Browser, site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    a, _ = pair(site)
    page.goto(site.url + "/")
    assert visible_titles(page) == site.titles
    expect(page.locator("#filtres .tools")).to_be_hidden()
    page.locator(f'#filtres a.chip[data-theme="{a}"]').click()
    assert page.url == f"{site.url}/themes/{a}/"
    expect(page.locator("h1")).to_have_text(site.label(a))
    assert visible_titles(page) == site.articles_with(a)
    for name in ("flux Atom", "flux RSS"):
        href = page.locator("main").get_by_role("link", name=name).get_attribute("href")
        response = context.request.get(href)
        assert response.status == 200
        assert response.body().lstrip().startswith(b"<?xml")
    context.close()


LIVE_WATCH = """
window.__statusWrites = [];
new MutationObserver(function (records) {
  var status = document.getElementById("filtre-etat");
  records.forEach(function (record) {
    if (status && status.contains(record.target)) {
      window.__statusWrites.push(status.getAttribute("aria-live"));
    }
  });
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def test_the_status_line_speaks_on_a_change_not_on_load(page: Page, site: Site) -> None:
    page.add_init_script(LIVE_WATCH)
    page.goto(site.url + "/")
    status = page.locator("#filtre-etat")
    expect(status).to_have_text(f"{len(site.titles)} articles, tous affichés.")
    expect(status).to_have_attribute("aria-live", "polite")
    # written as the page loaded, while the region was not live: nothing announced
    assert page.evaluate("window.__statusWrites") == [None]
    chip(page, used_themes(site)[0]).click()
    expect(status).not_to_have_text(f"{len(site.titles)} articles, tous affichés.")
    writes = page.evaluate("window.__statusWrites")
    assert writes[0] is None and writes[1:] and set(writes[1:]) == {"polite"}
