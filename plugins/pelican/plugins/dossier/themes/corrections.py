"""Hand corrections of the tagger, read from the dossier's data file (content/dossier.toml)."""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from ..model import ThemeMatch
from ..urls import url_key
from .taxonomy import Taxonomy

logger = logging.getLogger(__name__)

_ENTRY_KEYS = {"url", "add", "remove", "note"}


class CorrectionsError(ValueError):
    """The corrections are unusable; the message names the file and the entry."""


@dataclass(frozen=True)
class Correction:
    """Themes to add to and remove from one article, identified by its URL."""

    url: str
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Corrections:
    """All corrections, keyed by normalised URL."""

    by_url: Mapping[str, Correction] = field(default_factory=lambda: MappingProxyType({}))

    def find(self, url: str) -> Correction | None:
        """Return the correction for this URL (compared normalised), if any."""
        return self.by_url.get(url_key(url))

    def __len__(self) -> int:
        return len(self.by_url)


def load_corrections(path: Path, taxonomy: Taxonomy | None = None) -> Corrections:
    """Read ``[[correction]]`` entries; a missing file means no corrections."""
    if not path.exists():
        logger.debug("no corrections file at %s", path)
        return Corrections()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CorrectionsError(f"{path}: cannot read the corrections: {exc}") from exc
    items = data.get("correction", [])
    if not isinstance(items, list):
        raise CorrectionsError(f"{path}: correction must be an array of tables [[correction]]")
    slugs = taxonomy.slugs if taxonomy else None
    by_url: dict[str, Correction] = {}
    for number, item in enumerate(items, start=1):
        correction = _entry(f"{path}: correction #{number}", item, slugs)
        key = url_key(correction.url)
        if key in by_url:
            raise CorrectionsError(f"{path}: correction #{number}: {correction.url} appears twice")
        by_url[key] = correction
    return Corrections(MappingProxyType(by_url))


def _entry(where: str, item: Any, slugs: tuple[str, ...] | None) -> Correction:
    if not isinstance(item, dict):
        raise CorrectionsError(f"{where}: expected a table")
    unknown = sorted(set(item) - _ENTRY_KEYS)
    if unknown:
        raise CorrectionsError(
            f"{where}: unknown key {unknown[0]!r} (known: add, note, remove, url)"
        )
    url = item.get("url")
    if not isinstance(url, str) or not urlsplit(url).hostname:
        raise CorrectionsError(f"{where}: url must be an absolute URL, got {url!r}")
    add = _slugs(where, "add", item.get("add", []), slugs)
    remove = _slugs(where, "remove", item.get("remove", []), slugs)
    both = sorted(set(add) & set(remove))
    if both:
        raise CorrectionsError(f"{where} ({url}): {both[0]!r} is both added and removed")
    if not add and not remove:
        raise CorrectionsError(f"{where} ({url}): nothing to add or remove")
    note = item.get("note", "")
    if not isinstance(note, str):
        raise CorrectionsError(f"{where} ({url}): note must be a string")
    return Correction(url=url, add=add, remove=remove, note=note)


def _slugs(where: str, key: str, value: Any, slugs: tuple[str, ...] | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(slug, str) for slug in value):
        raise CorrectionsError(f"{where}: {key} must be a list of theme slugs")
    for slug in value:
        if slugs is not None and slug not in slugs:
            raise CorrectionsError(f"{where}: {key}: unknown theme {slug!r}")
    return tuple(dict.fromkeys(value))


def apply_corrections(
    url: str, matches: tuple[ThemeMatch, ...], corrections: Corrections, taxonomy: Taxonomy
) -> tuple[ThemeMatch, ...]:
    """Apply the correction for this URL: removals first, then additions after the rest."""
    correction = corrections.find(url)
    if correction is None:
        return matches
    for slug in (*correction.add, *correction.remove):
        if slug not in taxonomy.slugs:
            raise CorrectionsError(f"correction for {correction.url}: unknown theme {slug!r}")
    kept = tuple(match for match in matches if match.slug not in correction.remove)
    present = {match.slug for match in kept}
    added = tuple(
        ThemeMatch(slug=slug, score=0.0, terms=(), corrected=True)
        for slug in taxonomy.slugs
        if slug in correction.add and slug not in present
    )
    if not kept and not added:
        logger.warning("correction for %s removes every theme of the article", url)
    return kept + added
