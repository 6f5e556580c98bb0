"""The theme taxonomy: read content/themes.toml, validate it, compile its phrase index."""

from __future__ import annotations

import hashlib
import logging
import math
import tomllib
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..textnorm import Stemmer

logger = logging.getLogger(__name__)

SLUGS = (
    "participation",
    "services",
    "reseaux",
    "mobilite",
    "donnees",
    "libertes",
    "inclusion",
    "economie",
    "souverainete",
    "frugalite",
    "territoires",
    "methode",
)
GROUPS = ("levier", "enjeu", "approche", "echelle")
_TOP_KEYS = {"version", "fallback", "tagger", "theme"}
_THEME_KEYS = {"slug", "label", "description", "group", "terms", "exclude"}
_TERM_KEYS = {"term", "weight"}
# Beyond these a weight or tagger parameter is a typo: inf or nan would make every score
# the same (or none comparable), and silently change the tags.
MAX_WEIGHT = 100.0
MAX_PARAM = 1000.0


# (stems of the phrase, theme position, term position or -1 for an exclusion)
IndexEntry = tuple[tuple[str, ...], int, int]


class TaxonomyError(ValueError):
    """The taxonomy file is unusable; the message names the file, theme and problem."""


@dataclass(frozen=True)
class Term:
    """A word or phrase that signals a theme, as written and as a stem sequence."""

    text: str
    weight: float
    stems: tuple[str, ...]


@dataclass(frozen=True)
class Theme:
    """One theme of the dossier: what readers see and what the tagger looks for."""

    slug: str
    label: str
    description: str
    group: str
    terms: tuple[Term, ...] = ()
    exclude: tuple[Term, ...] = ()


@dataclass(frozen=True)
class TaggerParams:
    """Field weights, thresholds and the cap on themes per article."""

    title: float = 3.0
    summary: float = 2.0
    body: float = 1.0
    threshold: float = 1.0  # minimum length-normalised score
    relative: float = 0.3  # minimum fraction of the best theme's score
    max_themes: int = 4


@dataclass(frozen=True)
class Taxonomy:
    """The themes in display order, with a version that changes with the file's bytes."""

    themes: tuple[Theme, ...]
    version: str
    fallback: str = "territoires"
    params: TaggerParams = field(default_factory=TaggerParams)
    label: str = ""  # the file's own ``version`` string, for humans
    # The stems of its terms, and of every text tagged with it since.
    stemmer: Stemmer = field(default_factory=Stemmer, compare=False, repr=False)

    def get(self, slug: str) -> Theme:
        """Return the theme with this slug, or raise KeyError."""
        for theme in self.themes:
            if theme.slug == slug:
                return theme
        raise KeyError(slug)

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(theme.slug for theme in self.themes)

    @cached_property
    def index(self) -> dict[str, tuple[IndexEntry, ...]]:
        """Phrases keyed by first stem, longest first, exclusions before terms."""
        entries: dict[str, list[IndexEntry]] = {}
        for t, theme in enumerate(self.themes):
            for n, term in enumerate(theme.terms):
                entries.setdefault(term.stems[0], []).append((term.stems, t, n))
            for term in theme.exclude:
                entries.setdefault(term.stems[0], []).append((term.stems, t, -1))
        return {
            first: tuple(sorted(found, key=lambda e: (-len(e[0]), e[2] >= 0, e[1], e[2])))
            for first, found in entries.items()
        }


def load_taxonomy(path: Path, stemmer: Stemmer | None = None) -> Taxonomy:
    """Read and validate a taxonomy TOML file; raise TaxonomyError on any problem.

    ``stemmer`` (a new one by default) stems its terms, then every text tagged with it.
    """
    stemmer = stemmer or Stemmer()
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TaxonomyError(f"{path}: cannot read the taxonomy: {exc}") from exc
    where = str(path)
    _check_keys(where, "the file", data, _TOP_KEYS)
    themes = tuple(
        _theme(where, index, item, stemmer) for index, item in enumerate(_themes(where, data))
    )
    _check_slugs(where, themes)
    fallback = data.get("fallback", SLUGS[-2])
    if fallback not in SLUGS:
        raise TaxonomyError(f"{where}: fallback {fallback!r} is not one of the theme slugs")
    taxonomy = Taxonomy(
        themes=themes,
        version=hashlib.sha256(raw).hexdigest(),
        fallback=fallback,
        params=_params(where, data.get("tagger", {})),
        label=_text(where, "the file", "version", data.get("version", ""), allow_empty=True),
        stemmer=stemmer,
    )
    logger.debug("taxonomy %s loaded, %d themes", path, len(themes))
    return taxonomy


def _themes(where: str, data: dict[str, Any]) -> list[Any]:
    items = data.get("theme")
    if not isinstance(items, list) or not items:
        raise TaxonomyError(f"{where}: no [[theme]] tables; expected the {len(SLUGS)} themes")
    return items


def _theme(where: str, index: int, item: Any, stemmer: Stemmer) -> Theme:
    if not isinstance(item, dict):
        raise TaxonomyError(f"{where}: theme #{index + 1}: expected a table")
    slug = item.get("slug")
    if not isinstance(slug, str) or not slug:
        raise TaxonomyError(f"{where}: theme #{index + 1}: missing slug")
    name = f"theme {slug!r}"
    _check_keys(where, name, item, _THEME_KEYS)
    group = _text(where, name, "group", item.get("group", ""), allow_empty=True)
    if group and group not in GROUPS:
        raise TaxonomyError(f"{where}: {name}: group {group!r} is not one of {', '.join(GROUPS)}")
    terms = _terms(where, name, "terms", item.get("terms"), stemmer)
    if not terms:
        raise TaxonomyError(f"{where}: {name}: terms is empty; give at least one word")
    return Theme(
        slug=slug,
        label=_text(where, name, "label", item.get("label")),
        description=_text(where, name, "description", item.get("description")),
        group=group,
        terms=terms,
        exclude=_terms(where, name, "exclude", item.get("exclude", []), stemmer),
    )


def _terms(where: str, name: str, key: str, items: Any, stemmer: Stemmer) -> tuple[Term, ...]:
    if not isinstance(items, list):
        raise TaxonomyError(f"{where}: {name}: {key} must be a list of strings or tables")
    terms = [_term(where, name, key, item, stemmer) for item in items]
    seen: set[tuple[str, ...]] = set()
    for term in terms:
        if term.stems in seen:
            raise TaxonomyError(f"{where}: {name}: {key} repeats {term.text!r} (same stems)")
        seen.add(term.stems)
    return tuple(terms)


def _term(where: str, name: str, key: str, item: Any, stemmer: Stemmer) -> Term:
    if isinstance(item, dict):
        _check_keys(where, f"{name}, {key} entry", item, _TERM_KEYS)
        text, weight = item.get("term"), item.get("weight", 1.0)
    else:
        text, weight = item, 1.0
    if not isinstance(text, str) or not text.strip():
        raise TaxonomyError(f"{where}: {name}: {key} entry {item!r} is not a non-empty string")
    if not _finite(weight, above=0, at_most=MAX_WEIGHT):
        raise TaxonomyError(
            f"{where}: {name}: weight of {text!r} must be a positive number "
            f"(at most {MAX_WEIGHT:g}), not {weight!r}"
        )
    term_stems = tuple(stemmer(text))
    if not term_stems:
        raise TaxonomyError(f"{where}: {name}: {key} entry {text!r} has only stopwords")
    return Term(text=text.strip(), weight=float(weight), stems=term_stems)


def _finite(
    value: Any, *, above: float = -math.inf, at_least: float = -math.inf, at_most: float
) -> bool:
    """A real number (not a bool), finite, > above, >= at_least and <= at_most."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and above < value and at_least <= value <= at_most


def _text(where: str, name: str, key: str, value: Any, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or not (value.strip() or allow_empty):
        raise TaxonomyError(f"{where}: {name}: {key} must be a non-empty string")
    return value.strip()


def _check_keys(where: str, name: str, table: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        known = ", ".join(sorted(allowed))
        raise TaxonomyError(f"{where}: {name}: unknown key {unknown[0]!r} (known: {known})")


def _check_slugs(where: str, themes: tuple[Theme, ...]) -> None:
    slugs = [theme.slug for theme in themes]
    for slug in slugs:
        if slugs.count(slug) > 1:
            raise TaxonomyError(f"{where}: theme {slug!r}: duplicate slug")
        if slug not in SLUGS:
            raise TaxonomyError(f"{where}: theme {slug!r}: unknown slug (expected {SLUGS})")
    missing = [slug for slug in SLUGS if slug not in slugs]
    if missing:
        raise TaxonomyError(f"{where}: theme {missing[0]!r}: missing from the taxonomy")


def _params(where: str, table: Any) -> TaggerParams:
    if not isinstance(table, dict):
        raise TaxonomyError(f"{where}: [tagger]: expected a table")
    defaults = asdict(TaggerParams())
    _check_keys(where, "[tagger]", table, set(defaults))
    values = {**defaults, **table}
    for key, value in values.items():
        if not _finite(value, at_least=0, at_most=MAX_PARAM):
            raise TaxonomyError(
                f"{where}: [tagger]: {key} must be a number >= 0 "
                f"(at most {MAX_PARAM:g}), not {value!r}"
            )
    if values["relative"] > 1:
        raise TaxonomyError(f"{where}: [tagger]: relative is a share of the best score: 0 to 1")
    max_themes = values["max_themes"]
    if not isinstance(max_themes, int) or not 1 <= max_themes <= len(SLUGS):
        raise TaxonomyError(f"{where}: [tagger]: max_themes must be an integer from 1 to 12")
    return TaggerParams(**values)
