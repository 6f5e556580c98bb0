"""Hand corrections, « À lire aussi » links and the theme co-occurrence table."""

from __future__ import annotations

from pathlib import Path

import pytest
from pelican.plugins.dossier.model import ThemeMatch
from pelican.plugins.dossier.themes import (
    CorrectionsError,
    Taxonomy,
    apply_corrections,
    cooccurrence,
    load_corrections,
    load_taxonomy,
    related,
)
from pelican.plugins.dossier.urls import url_key

ROOT = Path(__file__).resolve().parent.parent
URL = "https://www.cerema.fr/fr/actualites/article-un"
TAGGED = (
    ThemeMatch("reseaux", 4.2, ("réseau",)),
    ThemeMatch("donnees", 3.1, ("donnée",)),
)


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy(ROOT / "content" / "themes.toml")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "dossier.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- corrections -------------------------------------------------------------------


def test_shipped_dossier_file_has_no_active_correction(taxonomy: Taxonomy) -> None:
    assert len(load_corrections(ROOT / "content" / "dossier.toml", taxonomy)) == 0


def test_missing_file_means_no_corrections(tmp_path: Path, taxonomy: Taxonomy) -> None:
    corrections = load_corrections(tmp_path / "absent.toml")
    assert apply_corrections(URL, TAGGED, corrections, taxonomy) == TAGGED


@pytest.mark.parametrize(
    "variant",
    [
        URL,
        "http://cerema.fr/fr/actualites/article-un/",
        "https://WWW.Cerema.fr/fr/actualites/article-un",
    ],
)
def test_urls_compare_normalised(variant: str) -> None:
    assert url_key(variant) == "cerema.fr/fr/actualites/article-un"


def test_correction_removes_then_adds_and_wins(tmp_path: Path, taxonomy: Taxonomy) -> None:
    path = write(
        tmp_path,
        '[[correction]]\nurl = "http://cerema.fr/fr/actualites/article-un/"\n'
        'add = ["methode", "frugalite", "donnees"]\nremove = ["reseaux"]\nnote = "test"\n',
    )
    corrections = load_corrections(path, taxonomy)
    assert apply_corrections(URL, TAGGED, corrections, taxonomy) == (
        ThemeMatch("donnees", 3.1, ("donnée",)),
        ThemeMatch("frugalite", 0.0, (), corrected=True),
        ThemeMatch("methode", 0.0, (), corrected=True),
    )
    other = "https://www.cerema.fr/fr/actualites/article-deux"
    assert apply_corrections(other, TAGGED, corrections, taxonomy) == TAGGED


def test_correction_may_remove_every_theme(tmp_path: Path, taxonomy: Taxonomy) -> None:
    path = write(tmp_path, f'[[correction]]\nurl = "{URL}"\nremove = ["reseaux", "donnees"]\n')
    assert apply_corrections(URL, TAGGED, load_corrections(path), taxonomy) == ()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            f'[[correction]]\nurl = "{URL}"\nadd = ["voirie"]\n',
            "correction #1: add: unknown theme 'voirie'",
        ),
        (
            f'[[correction]]\nurl = "{URL}"\nadd = ["methode"]\ncolour = 1\n',
            "correction #1: unknown key 'colour'",
        ),
        (
            '[[correction]]\nurl = "article-un"\nadd = ["methode"]\n',
            "correction #1: url must be an absolute URL",
        ),
        (f'[[correction]]\nurl = "{URL}"\n', f"correction #1 ({URL}): nothing to add or remove"),
        (
            f'[[correction]]\nurl = "{URL}"\nadd = ["methode"]\nremove = ["methode"]\n',
            "'methode' is both added and removed",
        ),
        (
            f'[[correction]]\nurl = "{URL}"\nadd = "methode"\n',
            "correction #1: add must be a list of theme slugs",
        ),
        (
            f'[[correction]]\nurl = "{URL}"\nadd = ["methode"]\n'
            f'[[correction]]\nurl = "{URL}/"\nremove = ["donnees"]\n',
            f"correction #2: {URL}/ appears twice",
        ),
        ("[[correction]\n", "cannot read the corrections"),
    ],
)
def test_bad_corrections_name_file_and_entry(
    tmp_path: Path, taxonomy: Taxonomy, body: str, message: str
) -> None:
    path = write(tmp_path, body)
    with pytest.raises(CorrectionsError) as caught:
        load_corrections(path, taxonomy)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_unknown_slug_is_caught_when_applied(tmp_path: Path, taxonomy: Taxonomy) -> None:
    corrections = load_corrections(
        write(tmp_path, f'[[correction]]\nurl = "{URL}"\nadd = ["voirie"]\n')
    )
    with pytest.raises(CorrectionsError, match="unknown theme 'voirie'"):
        apply_corrections(URL, TAGGED, corrections, taxonomy)


# --- related -----------------------------------------------------------------------

DOCS = [
    ("a", frozenset({"reseaux", "donnees"}), "capteurs sur le réseau d'eau potable"),
    ("b", frozenset({"reseaux", "donnees"}), "budget participatif du village"),
    ("c", frozenset({"reseaux"}), "fuites du réseau d'eau et capteurs acoustiques"),
    ("d", frozenset({"libertes"}), "caméras et vie privée"),
    ("e", frozenset({"reseaux", "donnees"}), "réseau d'eau et données ouvertes"),
]


def test_related_by_shared_themes_then_text_then_key() -> None:
    links = related(DOCS, k=3)
    # b and e share both themes with a; e's text is closer to a's. c shares one of two.
    assert links["a"] == ("e", "b", "c")
    # a and e tie with b on themes and on text (no shared word): key order.
    assert links["b"] == ("a", "e", "c")
    assert links["d"] == ("a", "b", "c")
    assert all(key not in links[key] for key in links)


def test_related_k_bounds_the_list() -> None:
    assert related(DOCS, k=1) == {"a": ("e",), "b": ("a",), "c": ("a",), "d": ("a",), "e": ("a",)}
    assert related(DOCS[:2], k=3) == {"a": ("b",), "b": ("a",)}
    assert related([], k=3) == {}


def test_related_rejects_duplicate_keys() -> None:
    with pytest.raises(ValueError, match="duplicate key 'a'"):
        related([*DOCS, DOCS[0]])


# --- co-occurrence -----------------------------------------------------------------


def test_cooccurrence_counts_pairs_and_diagonal() -> None:
    slugs = ["reseaux", "donnees", "libertes"]
    sets = [{"reseaux", "donnees"}, {"reseaux"}, ["donnees", "libertes", "donnees"], set()]
    assert cooccurrence(sets, slugs) == [[2, 1, 0], [1, 2, 1], [0, 1, 1]]


def test_cooccurrence_rejects_unknown_theme() -> None:
    with pytest.raises(ValueError, match="unknown theme 'voirie'"):
        cooccurrence([{"voirie"}], ["reseaux"])
