"""Tag articles with the dossier's themes, and explain why.

The tagger is a weighted phrase matcher: title, summary and body are normalised
and stemmed (``textnorm``), every taxonomy phrase is looked up by its first stem,
hits are weighted by field and by term, the sum is divided by the square root of
the text's length, and the themes above both an absolute and a relative threshold
are kept (one at least, four at most).
"""

from __future__ import annotations

import math

from ..model import ThemeMatch
from .taxonomy import IndexEntry, Taxonomy, Theme

# Length (in content words) at which the normalisation divisor is 1; texts
# shorter than the floor are treated as that long, so a title alone is not inflated.
_REFERENCE_LENGTH = 100
_LENGTH_FLOOR = 40


def tag(taxonomy: Taxonomy, title: str, summary: str, text: str) -> tuple[ThemeMatch, ...]:
    """Return 1 to max_themes ThemeMatch, best first, ties in taxonomy order."""
    params = taxonomy.params
    found = _scored(taxonomy, title, summary, text)
    ranked = sorted(range(len(found)), key=lambda t: (-found[t][0], t))
    best = found[ranked[0]][0] if ranked else 0.0
    kept = [
        t
        for t in ranked
        if found[t][0] > 0
        and (found[t][0] >= params.threshold or found[t][2] >= params.threshold)
        and found[t][0] >= params.relative * best
    ][: params.max_themes]
    if not kept and best > 0:
        kept = ranked[:1]
    if not kept:
        return (ThemeMatch(slug=taxonomy.fallback, score=0.0),)
    return tuple(
        ThemeMatch(slug=taxonomy.themes[t].slug, score=round(found[t][0], 3), terms=found[t][1])
        for t in kept
    )


def scores(
    taxonomy: Taxonomy, title: str, summary: str, text: str
) -> list[tuple[float, tuple[str, ...]]]:
    """Per theme in taxonomy order: (normalised score, matched terms by contribution)."""
    return [(score, terms) for score, terms, _ in _scored(taxonomy, title, summary, text)]


def _scored(
    taxonomy: Taxonomy, title: str, summary: str, text: str
) -> list[tuple[float, tuple[str, ...], float]]:
    """scores(), plus each theme's strongest single term before length normalisation:
    one distinctive phrase (« données ouvertes ») names a theme even in a long text."""
    params = taxonomy.params
    index = taxonomy.index
    counts: dict[tuple[int, int], float] = {}
    length = 0
    for content, weight in ((title, params.title), (summary, params.summary), (text, params.body)):
        tokens = taxonomy.stemmer(content) if content else []
        length += len(tokens)
        if weight:
            for key in _scan(tokens, index, len(taxonomy.themes)):
                counts[key] = counts.get(key, 0.0) + weight
    divisor = math.sqrt(max(length, _LENGTH_FLOOR) / _REFERENCE_LENGTH)
    return [_theme_score(theme, t, counts, divisor) for t, theme in enumerate(taxonomy.themes)]


def _theme_score(
    theme: Theme, t: int, counts: dict[tuple[int, int], float], divisor: float
) -> tuple[float, tuple[str, ...], float]:
    """Sum the contributions of one theme's terms; terms sorted by contribution; the
    strongest term's own contribution, not normalised."""
    parts = [
        (term.weight * math.sqrt(counts[t, n]), n, term.text)
        for n, term in enumerate(theme.terms)
        if (t, n) in counts
    ]
    parts.sort(key=lambda part: (-part[0], part[1]))
    strongest = parts[0][0] if parts else 0.0
    return sum(part[0] for part in parts) / divisor, tuple(part[2] for part in parts), strongest


def _scan(
    tokens: list[str], index: dict[str, tuple[IndexEntry, ...]], n_themes: int
) -> list[tuple[int, int]]:
    """Find (theme, term) hits: longest phrase wins per theme; exclusions swallow hits."""
    covered = [0] * n_themes  # per theme, first position not yet consumed by a match
    hits: list[tuple[int, int]] = []
    get = index.get
    for i, token in enumerate(tokens):
        entries = get(token)
        if entries is None:
            continue
        for phrase, t, n in entries:
            if i < covered[t]:
                continue
            size = len(phrase)
            if size > 1 and tuple(tokens[i : i + size]) != phrase:
                continue
            covered[t] = i + size
            if n >= 0:
                hits.append((t, n))
    return hits
