"""The tagger against hand-labelled texts: micro precision, recall and F1, printed."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from pelican.plugins.dossier.themes import Taxonomy, load_taxonomy, tag

ROOT = Path(__file__).resolve().parent.parent
LABELLED = Path(__file__).resolve().parent / "fixtures" / "labelled"
MIN_F1 = 0.85
MIN_HOLDOUT_F1 = 0.80
# held-out sets: written and labelled after tuning, never used to tune
HOLDOUTS = ("holdout", "holdout2")
# the second held-out set has longer texts, like real dossier articles
WORDS = {"holdout2": (100, 400)}


@dataclass(frozen=True)
class Score:
    """Micro-averaged counts over a set of texts."""

    true_pos: int
    false_pos: int
    false_neg: int

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 0.0

    @property
    def recall(self) -> float:
        expected = self.true_pos + self.false_neg
        return self.true_pos / expected if expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_case(path: Path) -> dict:
    """Read one labelled text."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


def predict(taxonomy: Taxonomy, case: dict) -> set[str]:
    """Slugs the tagger gives to one labelled text."""
    matches = tag(taxonomy, case["title"], case.get("summary", ""), case["text"])
    return {match.slug for match in matches}


def evaluate(taxonomy: Taxonomy, folder: Path) -> tuple[Score, list[str]]:
    """Score every *.toml of a folder; also return one line per imperfect text."""
    tp = fp = fn = 0
    misses = []
    for path in sorted(folder.glob("*.toml")):
        case = load_case(path)
        expected, got = set(case["themes"]), predict(taxonomy, case)
        tp += len(expected & got)
        fp += len(got - expected)
        fn += len(expected - got)
        if expected != got:
            misses.append(f"  {path.name}: +{sorted(got - expected)} -{sorted(expected - got)}")
    return Score(tp, fp, fn), misses


def report(name: str, score: Score, count: int) -> str:
    """One line of figures, as the benchmark notes quote them."""
    return (
        f"{name}: {count} texts, P={score.precision:.3f} R={score.recall:.3f} "
        f"F1={score.f1:.3f} (tp={score.true_pos} fp={score.false_pos} fn={score.false_neg})"
    )


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy(ROOT / "content" / "themes.toml")


def test_labelled_set_is_well_formed(taxonomy: Taxonomy) -> None:
    assert len(sorted(LABELLED.glob("*.toml"))) >= 40
    assert len(sorted((LABELLED / "holdout2").glob("*.toml"))) >= 30
    for folder in ("", *HOLDOUTS):
        low, high = WORDS.get(folder, (60, 200))
        for path in sorted((LABELLED / folder).glob("*.toml")):
            case = load_case(path)
            assert set(case) <= {"title", "summary", "themes", "note", "text"}, path.name
            assert 1 <= len(case["themes"]) <= 4, path.name
            assert set(case["themes"]) <= set(taxonomy.slugs), path.name
            assert low <= len(case["text"].split()) <= high, path.name


def test_tagger_f1_on_labelled_set(taxonomy: Taxonomy) -> None:
    tuned, tuned_misses = evaluate(taxonomy, LABELLED)
    print()
    print(report("labelled", tuned, len(list(LABELLED.glob("*.toml")))))
    print("\n".join(tuned_misses))
    assert tuned.f1 >= MIN_F1


@pytest.mark.parametrize("folder", HOLDOUTS)
def test_tagger_f1_on_each_held_out_set(taxonomy: Taxonomy, folder: str) -> None:
    held, held_misses = evaluate(taxonomy, LABELLED / folder)
    print()
    print(report(folder, held, len(list((LABELLED / folder).glob("*.toml")))))
    print("\n".join(held_misses))
    assert held.f1 >= MIN_HOLDOUT_F1
