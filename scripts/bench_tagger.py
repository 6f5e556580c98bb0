"""Benchmark the theme tagger: N generated French texts of ~1,000 words, one core.

Usage: .venv/bin/python scripts/bench_tagger.py [--texts 10000] [--words 1000] [--seed 7]

Texts are generated before timing from a seeded mix of filler French words and the
taxonomy's own terms (about one word in twelve), so matching does real work. Only
``tag()`` is timed. Prints the seconds, texts per second and a checksum of the
results, so two runs can be compared for determinism.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from pelican.plugins.dossier.themes import Taxonomy, load_taxonomy, tag  # noqa: E402

FILLER = """
la le les des une un du de et à en pour par avec sur dans au aux qui que ne pas plus
commune ville projet habitants élus maire équipe année mois semaine rue quartier école
nouveau grand petit premier dernier public privé local national travail question réponse
l'équipe d'abord qu'il jusqu'à lorsqu'on aujourd'hui c'est s'appuyer n'est d'autres
permet doit peut faire prendre mettre donner aller venir voir savoir vouloir rester
été hiver printemps automne matin soir jour nuit heure temps moment fois début fin
réunion conseil séance délibération budget dossier rapport étude plan programme action
Sainte-Marie Saint-Étienne vingt-deux œuvre cœur sœur Œil chef-lieu porte-parole
""".split()  # noqa: SIM905 (a word list reads better as text)


def vocabulary(taxonomy: Taxonomy) -> list[str]:
    """Every term and exclusion of the taxonomy, as written."""
    return [term.text for theme in taxonomy.themes for term in (*theme.terms, *theme.exclude)]


def generate(count: int, words: int, seed: int, terms: list[str]) -> list[tuple[str, str, str]]:
    """Seeded (title, summary, body) triples; bodies of about ``words`` words."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        body = [
            rng.choice(terms) if rng.random() < 1 / 12 else rng.choice(FILLER) for _ in range(words)
        ]
        title = " ".join(rng.choice(FILLER + terms) for _ in range(8))
        summary = " ".join(rng.choice(FILLER + terms) for _ in range(25))
        texts.append((title, summary, " ".join(body) + "."))
    return texts


def main() -> None:
    """Generate, time, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    taxonomy = load_taxonomy(ROOT / "content" / "themes.toml")
    texts = generate(args.texts, args.words, args.seed, vocabulary(taxonomy))
    tokens = sum(len(body.split()) for _, _, body in texts)
    start = time.perf_counter()
    results = [tag(taxonomy, title, summary, body) for title, summary, body in texts]
    elapsed = time.perf_counter() - start
    digest = hashlib.sha256(repr(results).encode()).hexdigest()[:16]
    print(f"texts={args.texts} words/text≈{tokens / max(args.texts, 1):.0f} seed={args.seed}")
    print(f"seconds={elapsed:.2f} texts/s={args.texts / elapsed:.0f} checksum={digest}")


if __name__ == "__main__":
    main()
