"""Unit tests of the theme tagger: normalisation, matching, scoring, taxonomy errors."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pytest
from pelican.plugins.dossier.model import ThemeMatch
from pelican.plugins.dossier.textnorm import normalise, stems, words
from pelican.plugins.dossier.themes import Taxonomy, TaxonomyError, load_taxonomy, tag
from pelican.plugins.dossier.themes.taxonomy import GROUPS, SLUGS

ROOT = Path(__file__).resolve().parent.parent

BASE_TERMS = {
    "participation": '"concertation"',
    "services": '"guichet"',
    "reseaux": '"eau"',
    "mobilite": '"vélo"',
    "donnees": '"open data"',
    "libertes": '"vie privée"',
    "inclusion": '"illectronisme"',
    "economie": '"coût"',
    "souverainete": '"souveraineté"',
    "frugalite": '"sobriété"',
    "territoires": '"village"',
    "methode": '"diagnostic"',
}


def theme_toml(slug: str, terms: str, extra: str = "", group: str = "levier") -> str:
    """One [[theme]] table with the given TOML value for terms."""
    return (
        f'[[theme]]\nslug = "{slug}"\nlabel = "L {slug}"\ndescription = "D {slug}."\n'
        f'group = "{group}"\nterms = [{terms}]\n{extra}\n'
    )


def write_taxonomy(
    folder: Path, tagger: str = "threshold = 0\nrelative = 0\n", **themes: str
) -> Path:
    """Write a valid 12-theme taxonomy; keyword arguments replace a theme's table."""
    parts = [f"[tagger]\n{tagger}\n"]
    for slug in SLUGS:
        parts.append(themes.get(slug, theme_toml(slug, BASE_TERMS[slug])))
    path = folder / "themes.toml"
    path.write_text("".join(parts), encoding="utf-8")
    return path


@pytest.fixture
def small(tmp_path: Path) -> Taxonomy:
    """The 12 base themes, one term each, no thresholds."""
    return load_taxonomy(write_taxonomy(tmp_path))


# --- normalisation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L’État et l'Œuvre", ["etat", "et", "oeuvre"]),
        ("jusqu'à lorsqu’il puisqu'on qu'elle", ["a", "il", "on", "elle"]),
        ("d'eau, s'ouvrir, c'est n'est j'ai", ["eau", "ouvrir", "est", "est", "ai"]),
        ("e-administration Saint-Étienne", ["e", "administration", "saint", "etienne"]),
        ("ex æquo, CŒUR, Mobilité", ["ex", "aequo", "coeur", "mobilite"]),
        ("Données : 5G (2030) !", ["donnees", "5g", "2030"]),
    ],
)
def test_words_fold_case_accents_elisions_hyphens(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_normalise_keeps_text_but_folds_it() -> None:
    assert normalise("Œuvre Réseaux’ ÉTÉ") == "oeuvre reseaux' ete"


def test_stems_ignore_inflection_accents_and_small_words() -> None:
    assert stems("Les réseaux d’eaux") == stems("le RESEAU d'eau") == ["reseau", "eau"]
    assert stems("données") == stems("donnée") == ["donne"]
    assert stems("de la et des") == []


# --- matching and scoring ------------------------------------------------------------


def test_phrase_needs_its_whole_sequence(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(
        write_taxonomy(tmp_path, reseaux=theme_toml("reseaux", '"réseau de chaleur"'))
    )
    hit = tag(taxonomy, "", "", "Les réseaux de chaleur du quartier")
    assert [(m.slug, m.terms) for m in hit] == [("reseaux", ("réseau de chaleur",))]
    assert tag(taxonomy, "", "", "Un réseau plein de chaleur")[0].slug == "territoires"


def test_longest_phrase_wins_within_a_theme(tmp_path: Path) -> None:
    terms = '"réseau", { term = "réseau de chaleur", weight = 2 }'
    taxonomy = load_taxonomy(write_taxonomy(tmp_path, reseaux=theme_toml("reseaux", terms)))
    (match,) = tag(taxonomy, "", "", "réseau de chaleur")
    assert match.terms == ("réseau de chaleur",)
    assert match.score == round(2 / math.sqrt(0.4), 3)


def test_excluded_phrase_cancels_the_occurrence(tmp_path: Path) -> None:
    reseaux = theme_toml("reseaux", '"réseau"', 'exclude = ["réseau social", "mise en réseau"]')
    taxonomy = load_taxonomy(write_taxonomy(tmp_path, reseaux=reseaux))
    assert tag(taxonomy, "", "", "un réseau social et la mise en réseau des acteurs") == (
        ThemeMatch(slug="territoires", score=0.0),
    )
    (match,) = tag(taxonomy, "", "", "les réseaux sociaux, puis le réseau enterré")
    assert (match.slug, match.terms, match.score) == ("reseaux", ("réseau",), 1.581)


def test_field_weights_title_over_summary_over_body(small: Taxonomy) -> None:
    # Two words in all: the length floor (40) applies, divisor sqrt(0.4).
    body = tag(small, "rien", "", "eau")[0].score
    summary = tag(small, "rien", "eau", "")[0].score
    title = tag(small, "eau", "", "rien")[0].score
    assert (title, summary, body) == (2.739, 2.236, 1.581)


def test_score_is_normalised_by_length(small: Taxonomy) -> None:
    short = tag(small, "", "", "eau " + "mot " * 99)[0].score
    long = tag(small, "", "", "eau " + "mot " * 399)[0].score
    assert (short, long) == (1.0, 0.5)


def test_repeated_term_saturates_and_terms_sorted_by_contribution(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(
        write_taxonomy(tmp_path, reseaux=theme_toml("reseaux", '"eau", "réseau"'))
    )
    (match,) = tag(taxonomy, "", "", "réseau eau eau eau eau")
    assert match.terms == ("eau", "réseau")
    assert match.score == round((2 + 1) / math.sqrt(0.4), 3)


def test_no_term_gives_the_fallback_theme(small: Taxonomy) -> None:
    assert tag(small, "Titre", "Résumé", "Rien de reconnaissable ici.") == (
        ThemeMatch(slug="territoires", score=0.0, terms=()),
    )


def test_at_most_four_themes_ties_in_taxonomy_order(small: Taxonomy) -> None:
    text = "diagnostic sobriété village coût illectronisme vélo eau guichet"
    matches = tag(small, "", "", text)
    assert [m.slug for m in matches] == ["services", "reseaux", "mobilite", "inclusion"]
    assert {m.score for m in matches} == {1.581}


def test_best_score_first(small: Taxonomy) -> None:
    matches = tag(small, "Le village", "", "eau, eau et vélo")
    assert [m.slug for m in matches] == ["territoires", "reseaux", "mobilite"]


def test_thresholds_drop_weak_themes_but_keep_one(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(write_taxonomy(tmp_path, tagger="threshold = 2\nrelative = 0.5\n"))
    assert [m.slug for m in tag(taxonomy, "village", "", "eau")] == ["territoires"]
    assert [m.slug for m in tag(taxonomy, "", "", "eau vélo")] == ["reseaux"]


def test_tagging_is_deterministic(small: Taxonomy) -> None:
    text = "village eau vélo coût " * 5
    first = tag(small, "Titre", "Résumé", text)
    assert all(tag(small, "Titre", "Résumé", text) == first for _ in range(3))


# --- the shipped taxonomy -----------------------------------------------------------


def test_shipped_taxonomy_has_the_twelve_slugs_in_order() -> None:
    path = ROOT / "content" / "themes.toml"
    taxonomy = load_taxonomy(path)
    assert taxonomy.slugs == SLUGS
    assert taxonomy.version == hashlib.sha256(path.read_bytes()).hexdigest()
    assert all(theme.group in GROUPS and theme.label and theme.terms for theme in taxonomy.themes)
    assert taxonomy.get("reseaux").label == "Gestion des réseaux"


def test_shipped_taxonomy_tells_a_social_network_from_pipes() -> None:
    taxonomy = load_taxonomy(ROOT / "content" / "themes.toml")
    text = "Les associations animent un réseau social et un réseau d'entraide."
    assert "reseaux" not in {m.slug for m in tag(taxonomy, "", "", text)}
    pipes = "Le réseau d'eau potable perd un quart de l'eau ; des capteurs traquent les fuites."
    assert tag(taxonomy, "", "", pipes)[0].slug == "reseaux"


# --- taxonomy errors ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("themes", "message"),
    [
        ({"reseaux": ""}, "theme 'reseaux': missing from the taxonomy"),
        ({"reseaux": theme_toml("reseaux", "")}, "theme 'reseaux': terms is empty"),
        (
            {"reseaux": theme_toml("reseaux", '"eau"', "colour = 1")},
            "theme 'reseaux': unknown key 'colour'",
        ),
        (
            {"reseaux": theme_toml("reseaux", "3")},
            "theme 'reseaux': terms entry 3 is not a non-empty string",
        ),
        (
            {"reseaux": theme_toml("reseaux", '{ term = "eau", weight = -1 }')},
            "theme 'reseaux': weight of 'eau' must be a positive number",
        ),
        (
            {"reseaux": theme_toml("reseaux", '"la des"')},
            "theme 'reseaux': terms entry 'la des' has only stopwords",
        ),
        (
            {"reseaux": theme_toml("reseaux", '"eaux", "eau"')},
            "theme 'reseaux': terms repeats 'eau'",
        ),
        ({"reseaux": theme_toml("mobilite", '"tram"')}, "theme 'mobilite': duplicate slug"),
        ({"reseaux": theme_toml("voirie", '"route"')}, "theme 'voirie': unknown slug"),
        ({"reseaux": theme_toml("reseaux", '"eau"', group="outil")}, "group 'outil' is not one of"),
    ],
)
def test_bad_taxonomy_names_file_theme_and_problem(
    tmp_path: Path, themes: dict[str, str], message: str
) -> None:
    path = write_taxonomy(tmp_path, **themes)
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_bad_terms_type_is_reported(tmp_path: Path) -> None:
    path = write_taxonomy(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('terms = ["eau"]', 'terms = "eau"'), encoding="utf-8")
    with pytest.raises(TaxonomyError, match="theme 'reseaux': terms must be a list"):
        load_taxonomy(path)


def test_bad_tagger_table_and_broken_toml(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match=r"\[tagger\]: max_themes must be an integer from 1"):
        load_taxonomy(write_taxonomy(tmp_path, tagger="max_themes = 0\n"))
    path = tmp_path / "broken.toml"
    path.write_text("[[theme]\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=f"^{path}: cannot read the taxonomy"):
        load_taxonomy(path)


# --- held-out misses (issue #15) --------------------------------------------------------


@pytest.mark.parametrize(
    ("feminine", "masculine"),
    [
        ("médiatrice", "médiateur"),
        ("médiatrices numériques", "médiateurs numériques"),
        ("conseillère", "conseiller"),
        ("usagères", "usagers"),
        ("cheffe de projet", "chef de projet"),
        ("personnes éloignées", "personnes éloignés"),
        ("tablette connectée", "téléphone connecté"),
    ],
)
def test_feminine_forms_share_the_masculine_stems(feminine: str, masculine: str) -> None:
    assert stems(feminine)[-1] == stems(masculine)[-1]


def test_short_feminine_nouns_keep_their_own_stems() -> None:
    # « données » (data) are not « donnés » (given); « pétition » is not « petite »
    assert stems("données") == stems("donnée") != stems("donnés")
    assert stems("pétition") != stems("petite")


def test_one_strong_term_names_a_theme_in_a_long_text(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(
        write_taxonomy(
            tmp_path,
            tagger="threshold = 3\nrelative = 0.2\n",
            donnees=theme_toml("donnees", '{ term = "données ouvertes", weight = 3 }, "fichier"'),
        )
    )
    long_text = "Le village rénove son école. " * 30
    text = long_text + "Les comptes sont publiés en données ouvertes."
    assert "donnees" in [m.slug for m in tag(taxonomy, "", "", text)]
    # a weak term met once in the same long text does not
    weak = long_text + "Un fichier est joint."
    assert "donnees" not in [m.slug for m in tag(taxonomy, "", "", weak)]
