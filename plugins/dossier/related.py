"""Cross-links between articles (« À lire aussi ») and the theme co-occurrence table."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from .textnorm import stems

Vector = dict[str, float]


def related(
    docs: Sequence[tuple[str, frozenset[str], str]], k: int = 3
) -> dict[str, tuple[str, ...]]:
    """For each key, the k closest other keys: Jaccard of themes, then TF-IDF cosine, then key."""
    keys = [key for key, _, _ in docs]
    duplicates = sorted(key for key, count in Counter(keys).items() if count > 1)
    if duplicates:
        raise ValueError(f"related(): duplicate key {duplicates[0]!r}")
    if k < 0:
        raise ValueError(f"related(): k must be >= 0, got {k}")
    vectors = tfidf([text for _, _, text in docs])
    result: dict[str, tuple[str, ...]] = {}
    for i, (key, themes, _) in enumerate(docs):
        ranked = sorted(
            (
                (-jaccard(themes, other_themes), -round(cosine(vectors[i], vectors[j]), 12), other)
                for j, (other, other_themes, _) in enumerate(docs)
                if j != i
            )
        )
        result[key] = tuple(other for _, _, other in ranked[:k])
    return result


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared themes over all themes of the pair; 0 when both are empty."""
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def tfidf(texts: Sequence[str]) -> list[Vector]:
    """Unit-length TF-IDF vectors of stemmed words; a word in every text weighs nothing."""
    counts = [Counter(stems(text)) for text in texts]
    frequency = Counter(word for count in counts for word in count)
    total = len(texts)
    vectors = []
    for count in counts:
        vector = {
            word: (1 + math.log(n)) * math.log(total / frequency[word])
            for word, n in sorted(count.items())
        }
        norm = math.sqrt(sum(value * value for value in vector.values()))
        vectors.append({w: v / norm for w, v in vector.items() if v} if norm else {})
    return vectors


def cosine(a: Vector, b: Vector) -> float:
    """Dot product of two unit vectors."""
    if len(b) < len(a):
        a, b = b, a
    return sum(value * b[word] for word, value in a.items() if word in b)


def cooccurrence(theme_sets: Sequence[Iterable[str]], slugs: Sequence[str]) -> list[list[int]]:
    """Square matrix in slugs order: [i][j] articles carrying both; diagonal = carrying i."""
    position = {slug: i for i, slug in enumerate(slugs)}
    matrix = [[0] * len(slugs) for _ in slugs]
    for themes in theme_sets:
        present = set(themes)
        unknown = sorted(present - position.keys())
        if unknown:
            raise ValueError(f"cooccurrence(): unknown theme {unknown[0]!r}")
        rows = sorted(position[slug] for slug in present)
        for i in rows:
            for j in rows:
                matrix[i][j] += 1
    return matrix
