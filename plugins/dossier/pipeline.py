"""The dossier pipeline: discover → fetch → clean → tag → relate, as plain data.

This module wires the stages together; it holds no HTTP, parsing or Pelican
code itself. ``build_dossier`` is what the Pelican glue calls, and what tests
call directly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime

from .clean import clean, has_article, load_rules
from .discover import Discovery, discover
from .fetch import Fetcher
from .model import Cleaned, DossierInfo, Entry, Fetched
from .settings import Settings
from .themes import (
    Taxonomy,
    apply_corrections,
    cooccurrence,
    load_corrections,
    load_taxonomy,
    related,
    tag,
)
from .urls import url_key

logger = logging.getLogger(__name__)


class DossierError(RuntimeError):
    """The build cannot go on (strict mode, or nothing could be read at all)."""


@dataclass
class DossierResult:
    """Everything the publish stage needs, and the report of what happened."""

    info: DossierInfo
    entries: list[Entry]
    taxonomy: Taxonomy
    outcomes: list[Fetched] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    cooccurrence: list[list[int]] = field(default_factory=list)

    @property
    def last_fetched(self) -> datetime | None:
        """When the newest body we publish was received."""
        times = [e.fetched.fetched_at for e in self.entries if e.fetched.fetched_at]
        return max(times) if times else None


def build_dossier(settings: Settings) -> DossierResult:
    """Run the whole pipeline for one dossier."""
    taxonomy = load_taxonomy(settings.taxonomy)
    corrections = load_corrections(settings.data)
    rules = load_rules(settings.rules_path)
    with Fetcher(settings, validate=has_article, progress=settings.progress) as fetcher:
        found = discover(fetcher, settings)
        pages = _fetch_articles(fetcher, found)
        entries = _clean_all(pages, rules)
        entries = _with_attachments(fetcher, entries)
        outcomes = list(fetcher.outcomes)
    entries = [
        replace(e, themes=_themes(e, taxonomy, corrections)) if e.cleaned else e for e in entries
    ]
    entries = _relate(entries)
    matrix = cooccurrence([[m.slug for m in e.themes] for e in entries], _slugs(taxonomy))
    result = DossierResult(found.info, entries, taxonomy, outcomes, found.problems, matrix)
    _check_strict(result, settings)
    return result


def _slugs(taxonomy: Taxonomy) -> list[str]:
    return [t.slug for t in taxonomy.themes]


def _fetch_articles(fetcher: Fetcher, found: Discovery) -> list[tuple[Fetched, bool]]:
    """The start page (the dossier's lead) first, then every other listed article."""
    if not found.start.ok:
        return [(found.start, True)]
    start_keys = {url_key(found.start.url), url_key(found.start.final_url)}
    others = [u for u in found.article_urls if url_key(u) not in start_keys]
    return [(found.start, True)] + [(page, False) for page in fetcher.fetch_pages(others)]


def _clean_all(pages: list[tuple[Fetched, bool]], rules: object) -> list[Entry]:
    """Clean each page once and keep one entry per canonical URL."""
    entries: list[Entry] = []
    seen: set[str] = set()
    for fetched, lead in pages:
        cleaned = clean(fetched.text, fetched.final_url, rules) if fetched.ok else None
        keys = {url_key(fetched.url), url_key(fetched.final_url)}
        if cleaned and cleaned.canonical_url:
            keys.add(url_key(cleaned.canonical_url))
        if keys & seen:
            logger.info("%s duplicates an article already collected", fetched.url)
            continue
        seen |= keys
        entries.append(Entry(fetched.url, fetched, cleaned, plaquette=lead))
    return entries


def _with_attachments(fetcher: Fetcher, entries: list[Entry]) -> list[Entry]:
    """Probe each attachment (type and size) without parsing it."""
    result = []
    for entry in entries:
        if entry.cleaned and entry.cleaned.attachments:
            probed = tuple(
                fetcher.probe_attachment(a.url, a.title) if fetcher.allowed(a.url) else a
                for a in entry.cleaned.attachments
            )
            entry = replace(entry, cleaned=replace(entry.cleaned, attachments=probed))
        result.append(entry)
    return result


def _themes(entry: Entry, taxonomy: Taxonomy, corrections: object) -> tuple:
    cleaned: Cleaned = entry.cleaned  # type: ignore[assignment]
    matches = tag(taxonomy, cleaned.title, cleaned.summary, cleaned.text)
    return apply_corrections(entry.source_url, matches, corrections, taxonomy)


def _relate(entries: list[Entry]) -> list[Entry]:
    docs = [
        (e.source_url, frozenset(m.slug for m in e.themes), e.cleaned.text)
        for e in entries
        if e.cleaned
    ]
    close = related(docs, k=3)
    return [replace(e, related=close.get(e.source_url, ())) for e in entries]


def _check_strict(result: DossierResult, settings: Settings) -> None:
    failures = [o for o in result.outcomes if o.status in ("failed", "stale")]
    if settings.strict and (failures or result.problems):
        reasons = [f"{o.url}: {o.status} ({o.reason})" for o in failures] + result.problems
        raise DossierError(
            "DOSSIER_STRICT is on and the dossier is incomplete:\n" + "\n".join(reasons)
        )
