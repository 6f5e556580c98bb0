"""Cross-links between articles (« À lire aussi ») and the theme co-occurrence table."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from operator import mul

from ..textnorm import Stemmer

Vector = dict[str, float]


def related(
    docs: Sequence[tuple[str, frozenset[str], str]], k: int = 3, stemmer: Stemmer | None = None
) -> dict[str, tuple[str, ...]]:
    """For each key, the k closest other keys: Jaccard of themes, then TF-IDF cosine, then key.

    Documents are grouped by theme set, and for each group the others come in tiers of
    equal Jaccard, best first; cosines are computed only within the tiers needed to fill
    k places, so the cost follows the size of theme groups rather than N².
    """
    keys = [key for key, _, _ in docs]
    duplicates = sorted(key for key, count in Counter(keys).items() if count > 1)
    if duplicates:
        raise ValueError(f"related(): duplicate key {duplicates[0]!r}")
    if k < 0:
        raise ValueError(f"related(): k must be >= 0, got {k}")
    vectors = tfidf([text for _, _, text in docs], stemmer or Stemmer())
    groups: dict[frozenset[str], list[int]] = {}
    for i, (_, themes, _) in enumerate(docs):
        groups.setdefault(themes, []).append(i)
    result: dict[str, tuple[str, ...]] = {}
    for themes, members in groups.items():
        tiers = _tiers(themes, groups)
        for i in members:
            result[keys[i]] = _closest(i, tiers, keys, vectors, k)
    return result


def _tiers(themes: frozenset[str], groups: dict[frozenset[str], list[int]]) -> list[list[int]]:
    """Every document, in tiers of equal Jaccard with ``themes``, best first."""
    by_score: dict[float, list[int]] = {}
    for other, members in groups.items():
        by_score.setdefault(jaccard(themes, other), []).extend(members)
    return [by_score[score] for score in sorted(by_score, reverse=True)]


def _closest(
    i: int, tiers: list[list[int]], keys: list[str], vectors: list[Vector], k: int
) -> tuple[str, ...]:
    """The k best others of document i: whole tiers are ranked until k places are filled."""
    if k == 0:
        return ()
    ranked: list[tuple[float, str]] = []
    mine = vectors[i]
    for members in tiers:
        start = len(ranked)
        ranked.extend((-round(cosine(mine, vectors[j]), 12), keys[j]) for j in members if j != i)
        ranked[start:] = sorted(ranked[start:])
        if len(ranked) >= k:
            break
    return tuple(key for _, key in ranked[:k])


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared themes over all themes of the pair; 0 when both are empty."""
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def tfidf(texts: Sequence[str], stemmer: Stemmer | None = None) -> list[Vector]:
    """Unit-length TF-IDF vectors of stemmed words; a word in every text weighs nothing."""
    stem = stemmer or Stemmer()
    counts: list[Counter[str] | None] = [Counter(stem(text)) for text in texts]
    frequency = Counter(word for count in counts for word in count)  # type: ignore[union-attr]
    total = len(texts)
    vectors = []
    for i, count in enumerate(counts):
        counts[i] = None  # each count gives way to its vector: memory holds one of the two
        vector = {
            word: (1 + math.log(n)) * math.log(total / frequency[word])
            for word, n in sorted(count.items())  # type: ignore[union-attr]
        }
        norm = math.sqrt(sum(value * value for value in vector.values()))
        vectors.append({w: v / norm for w, v in vector.items() if v} if norm else {})
    return vectors


def cosine(a: Vector, b: Vector) -> float:
    """Dot product of two unit vectors."""
    if len(b) < len(a):
        a, b = b, a
    common = list(filter(b.__contains__, a))  # a's order: the same sum, bit for bit
    return sum(map(mul, map(a.__getitem__, common), map(b.__getitem__, common)))


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
