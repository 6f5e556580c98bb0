"""Full-text search on the hub, as a reader uses it: type a word, narrow by theme, find nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from served import Site, chip, chip_counts

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")


def containing(site: Site, word: str) -> set[str]:
    """Titles of the articles whose cleaned text contains ``word`` (the oracle)."""
    found = set()
    for article in site.data["articles"]:
        if not article["path"]:
            continue
        html = (site.output / article["path"] / "index.html").read_text(encoding="utf-8")
        prose = html.split('<div class="prose">', 1)[1].split('<section class="source"', 1)[0]
        if word in prose.lower():
            found.add(article["title"])
    return found


def search(page: Page, words: str) -> None:
    box = page.locator("#recherche-q")
    box.fill(words)
    box.press("Enter")


def hit_titles(page: Page) -> set[str]:
    texts = page.locator("#resultats .hit h3 a").all_inner_texts()
    return {text.replace("\u00a0", " ") for text in texts}


def said(count: int, word: str, where: str = "") -> str:
    verb = "articles contiennent" if count > 1 else "article contient"
    return f"{count} {verb} « {word} »{where}."


def test_a_word_finds_its_articles_with_the_match_highlighted(page: Page, site: Site) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    expected = containing(site, "cantine")
    assert len(expected) == 2  # the sample dossier: the RGPD and the online services articles
    page.goto(site.url + "/")
    expect(page.locator("#recherche")).to_be_visible()
    search(page, "cantine")
    expect(page.locator("#recherche-etat")).to_have_text(said(2, "cantine"))
    assert hit_titles(page) == expected
    assert page.url == f"{site.url}/?q=cantine"
    expect(page.locator(".cards")).to_be_hidden()
    for hit in page.locator("#resultats .hit").all():
        marks = hit.locator(".extrait mark").all_inner_texts()
        assert marks and all(m.lower() == "cantine" for m in marks), marks
    first = page.locator("#resultats .hit h3 a").first
    title = first.inner_text().replace("\u00a0", " ")
    first.click()
    path = next(a["path"] for a in site.data["articles"] if a["title"] == title)
    expect(page).to_have_url(f"{site.url}/{path}")
    assert errors == []


def test_french_stemming_finds_other_forms_of_a_word(page: Page, site: Site) -> None:
    expected = containing(site, "éclairage")
    # one article is about it; the plaquette says « d’éclairage public » (an elision)
    assert len(expected) == 2
    page.goto(site.url + "/")
    for words in ("éclairage", "éclairages", "eclairage"):
        search(page, words)
        expect(page.locator("#recherche-etat")).to_have_text(said(2, words))
        assert hit_titles(page) == expected
    marks = page.locator("#resultats .extrait mark").all_inner_texts()
    assert "d’éclairage" in marks  # shown with the typographic apostrophe


def test_theme_chips_narrow_the_results_and_count_them(page: Page, site: Site) -> None:
    page.goto(site.url + "/")
    search(page, "données")
    status = page.locator("#recherche-etat")
    everything = containing(site, "donnée")
    expect(status).to_have_text(said(len(everything), "données"))
    assert hit_titles(page) == everything
    per_theme = {
        t["slug"]: len(everything & site.articles_with(t["slug"]))
        for t in site.data["themes"]
        if t["count"]
    }
    assert chip_counts(page) == per_theme

    slug = "libertes"
    narrowed = everything & site.articles_with(slug)
    assert 0 < len(narrowed) < len(everything)
    chip(page, slug).click()
    expect(status).to_have_text(said(len(narrowed), "données", f" sur « {site.label(slug)} »"))
    assert hit_titles(page) == narrowed
    assert page.url == f"{site.url}/?q=donn%C3%A9es&theme={slug}"
    # « au moins un »: a chip counts the results its theme would add to those shown
    adding = {
        t: len(everything & site.articles_with(slug, t)) if t != slug else len(narrowed)
        for t in per_theme
    }
    assert adding != per_theme  # the case tells the two meanings apart
    assert chip_counts(page) == adding

    other = "reseaux"
    page.locator("#filtre-tous").check()
    chip(page, other).click()
    both = everything & site.articles_with(slug, other, every=True)
    pair = sorted((slug, other), key=list(per_theme).index)
    names = " et ".join(f"« {site.label(s)} »" for s in pair)
    where = f", parmi les articles qui portent à la fois {names}"
    expect(status).to_have_text(said(len(both), "données", where) if both else re.compile("^Aucun"))
    assert hit_titles(page) == both
    # « tous ces thèmes »: a chip counts the results that would keep it too
    keeping = {t: len(both & site.articles_with(t)) for t in per_theme}
    assert chip_counts(page) == keeping

    page.go_back()
    expect(status).to_have_text(said(len(narrowed), "données", f" sur « {site.label(slug)} »"))
    assert hit_titles(page) == narrowed


def test_a_shared_search_link_opens_filtered(page: Page, site: Site) -> None:
    slug = "libertes"
    page.goto(f"{site.url}/?theme={slug}&q=donn%C3%A9es")
    expected = containing(site, "donnée") & site.articles_with(slug)
    where = f" sur « {site.label(slug)} »"
    expect(page.locator("#recherche-etat")).to_have_text(said(len(expected), "données", where))
    expect(page.locator("#recherche-q")).to_have_value("données")
    expect(chip(page, slug)).to_have_attribute("aria-pressed", "true")
    assert hit_titles(page) == expected


def test_nonsense_says_aucun_resultat(page: Page, site: Site) -> None:
    page.goto(site.url + "/")
    search(page, "zzxqwv")
    expect(page.locator("#recherche-etat")).to_have_text("Aucun résultat pour « zzxqwv ».")
    notice = page.locator("#recherche-vide")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Aucun article ne contient « zzxqwv ».")
    expect(page.locator("#resultats .hit")).to_have_count(0)
    expect(page.locator(".cards")).to_be_hidden()


def test_a_word_outside_the_chosen_themes_offers_to_show_all(page: Page, site: Site) -> None:
    found = containing(site, "cantine")
    slug = next(
        t["slug"]
        for t in site.data["themes"]
        if t["count"] and not found & site.articles_with(t["slug"])
    )
    page.goto(f"{site.url}/?theme={slug}")
    search(page, "cantine")
    where = f" sur « {site.label(slug)} »"
    expect(page.locator("#recherche-etat")).to_have_text(f"Aucun résultat pour « cantine »{where}.")
    notice = page.locator("#recherche-vide")
    expect(notice).to_contain_text("2 articles le contiennent hors de ces thèmes : tout afficher.")
    notice.get_by_role("button", name="tout afficher").click()
    expect(page.locator("#recherche-etat")).to_have_text(said(2, "cantine"))
    assert hit_titles(page) == found


def test_clearing_the_search_brings_the_cards_back(page: Page, site: Site) -> None:
    page.goto(site.url + "/?q=cantine")
    expect(page.locator("#recherche-etat")).to_have_text(said(2, "cantine"))
    page.get_by_role("button", name="Effacer la recherche").click()
    expect(page.locator("#resultats")).to_be_hidden()
    expect(page.locator(".cards")).to_be_visible()
    expect(page.locator("#filtre-etat")).to_have_text(
        f"{len(site.titles)} articles, tous affichés."
    )
    expect(page.locator("#recherche-q")).to_be_focused()
    assert page.url == f"{site.url}/"
    cards = {
        t["slug"]: len(site.articles_with(t["slug"])) for t in site.data["themes"] if t["count"]
    }
    assert chip_counts(page) == cards


@pytest.mark.parametrize(("words", "scheme"), [("données", "light"), ("zzxqwv", "dark")])
def test_axe_is_clean_on_the_search_ui(
    browser: Browser, site: Site, axe_path: Path, words: str, scheme: str
) -> None:
    # bypass_csp: axe is injected as an inline script, which our policy forbids.
    context = browser.new_context(bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    page.goto(site.url + "/")
    search(page, words)
    expect(page.locator("#resultats")).to_be_visible()
    expect(page.locator("#recherche-etat")).not_to_have_text("")
    page.add_script_tag(path=str(axe_path))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    found = [(v["id"], v["impact"], len(v["nodes"])) for v in result["violations"]]
    print(f"axe search {words!r} ({scheme}): {found}")
    assert [v for v in found if v[1] in BLOCKING] == []
    context.close()


def test_without_javascript_the_search_box_stays_hidden(browser: Browser, site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + "/?q=cantine")
    expect(page.locator("#recherche")).to_be_hidden()
    expect(page.locator("#resultats")).to_be_hidden()
    expect(page.locator(".cards article")).to_have_count(len(site.titles) - 1)  # and the lead
    expect(page.locator(".cards")).to_be_visible()
    context.close()


def test_search_loads_only_from_the_site_and_only_when_used(page: Page, site: Site) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site.url + "/", wait_until="networkidle")
    assert [u for u in requested if "/pagefind/" in u or "recherche" in u] == [
        f"{site.url}/pagefind/pagefind-entry.json"
    ]
    search(page, "cantine")
    expect(page.locator("#recherche-etat")).to_have_text(said(2, "cantine"))
    assert {re.match(r"https?://[^/]+", u).group(0) for u in requested} == {site.url}  # type: ignore[union-attr]
    assert f"{site.url}/theme/js/recherche.js" in requested
    assert f"{site.url}/pagefind/pagefind.js" in requested


def test_excerpts_cut_at_words_with_ellipses_and_marks_without_punctuation(
    page: Page, site: Site
) -> None:
    page.goto(site.url + "/")
    expect(page.locator("#recherche")).to_be_visible()
    checked = 0
    for word in ("cantine", "données", "numérique"):
        search(page, word)
        expect(page.locator("#resultats .hit").first).to_be_visible()
        for text in page.locator("#resultats .extrait").all_inner_texts():
            # a cut sentence says so with « … »; a sentence start needs none
            assert text.startswith("…\u00a0") or text[0].isupper() or text[0] in "«(", text
            assert re.search(r"[.!?…»]$", text), text
            assert not re.search(r"\w…", text), text  # never glued to a word
            checked += 1
        marks = page.locator("#resultats .extrait mark").all_inner_texts()
        assert marks and not [m for m in marks if re.search(r"[.,;:!?»)]$", m)], marks
    assert checked >= 3
