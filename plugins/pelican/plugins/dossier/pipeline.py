"""The dossier pipeline: discover → fetch → clean → tag → relate, as plain data.

This module wires the stages together; it holds no HTTP, parsing or Pelican
code itself. ``build_dossier`` is what the Pelican glue calls, and what tests
call directly.
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import chain

from .clean import PageCleaner, RuleSet, clean, load_rules, settle, worker_count
from .derived import (
    DerivedCache,
    cleaned_from_json,
    cleaned_to_json,
    digest,
    fingerprint,
    source_version,
    themes_from_json,
    themes_to_json,
)
from .discover import CachedReader, Discovery, Sources, belongs, discover, gather
from .document import Document, article_images, plaquette_document, resolve_attachment
from .fetch import Fetcher
from .isolation import each, failed, with_failures
from .model import Cleaned, DossierInfo, Entry, Fetched, ThemeMatch
from .settings import Settings
from .textnorm import Stemmer, stemmer_version
from .themes import (
    Corrections,
    Taxonomy,
    apply_corrections,
    cooccurrence,
    load_corrections,
    load_taxonomy,
    related,
    tag,
)
from .track import Tracking, kept_pages, kept_urls, load_history, track
from .urls import url_key

logger = logging.getLogger(__name__)

# The code that shapes a cleaned article, a tagged one and « À lire aussi » (dotted
# names in this package; a sub-package stands for all its modules): a change in any
# of them invalidates the derived results that depend on it.
CLEAN_MODULES = ("clean", "urls", "sane")
TAG_MODULES = ("themes", "textnorm")
RELATED_MODULES = ("themes.related", "textnorm")

TRIM_EVERY = 250  # pages cleaned between two returns of freed memory to the system


@dataclass(frozen=True)
class CodeVersions:
    """Hashes of the code behind each kind of derived result, computed once per build."""

    clean: str
    tag: str
    related: str

    @classmethod
    def of_package(cls) -> CodeVersions:
        return cls(
            clean=source_version(*CLEAN_MODULES),
            tag=source_version(*TAG_MODULES),
            related=source_version(*RELATED_MODULES),
        )


def release_memory() -> None:
    """Return freed heap memory to the system (glibc only; elsewhere a no-op).

    Page texts are decoded in the fetch threads, so glibc allocates them in per-thread
    arenas that the main thread does not reuse: without a trim, freeing them as they are
    cleaned does not lower the peak RSS of a big build at all.
    """
    try:  # looked up when needed, never at import; the C library is already mapped
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc: musl, macOS, Windows
        return
    trim(0)


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
    tracking: Tracking | None = None  # what changed since the last build (tracking.py)
    document: Document | None = None  # the plaquette's PDF, our copy and its pages
    # Images dropped (or kept from an earlier copy): reported, never shown on the hub.
    image_problems: list[str] = field(default_factory=list)

    @property
    def last_fetched(self) -> datetime | None:
        """When the newest body we publish was received."""
        times = [e.fetched.fetched_at for e in self.entries if e.fetched.fetched_at]
        return max(times) if times else None


@dataclass(frozen=True)
class DossierConfig:
    """The validated settings and the data files they name, read once at start-up."""

    settings: Settings
    taxonomy: Taxonomy
    corrections: Corrections
    rules: RuleSet


def load_config(settings: Settings) -> DossierConfig:
    """Read and validate the taxonomy, the corrections and the rule files.

    Raises TaxonomyError, CorrectionsError or RuleError, whose messages name the file and
    the entry at fault.
    """
    taxonomy = load_taxonomy(settings.taxonomy, _kept_stemmer(settings))
    corrections = load_corrections(settings.data, taxonomy)
    return DossierConfig(settings, taxonomy, corrections, load_rules(settings.rules_path))


def _stems_key() -> str:
    return digest("stems", source_version(*TAG_MODULES), stemmer_version())


def _kept_stemmer(settings: Settings) -> Stemmer:
    """A stemmer that knows the words an earlier build stemmed: no stemmer call for them."""
    with DerivedCache(settings.cache_path) as derived:
        return Stemmer(derived.get(_stems_key()))


def build_dossier(config: DossierConfig) -> DossierResult:
    """Run the whole pipeline for one dossier."""
    settings = config.settings
    code = CodeVersions.of_package()
    with DerivedCache(settings.cache_path) as derived:
        result = _build(config, derived, code)
        derived.put(_stems_key(), config.taxonomy.stemmer.known())
    release_memory()
    _check_empty(result, settings)
    check_strict(result, settings)
    return result


def _build(config: DossierConfig, derived: DerivedCache, code: CodeVersions) -> DossierResult:
    settings, taxonomy, corrections, rules = (
        config.settings,
        config.taxonomy,
        config.corrections,
        config.rules,
    )
    with (
        PageCleaner(rules, settings.rules_path, worker_count(settings.workers)) as early,
        Fetcher(settings, validate=early, progress=settings.progress) as fetcher,
    ):
        found = discover(fetcher, settings, CachedReader(derived, settings))
        sources = gather(fetcher, settings, found)  # the listing, the feeds, the hand list
        found.article_urls = sources.urls
        info, problems = found.info, found.problems + sources.problems
        previous = load_history(settings.cache_path)
        kept = kept_pages(fetcher, kept_urls(previous, sources, settings))
        pages = chain(_fetch_articles(fetcher, found, early), kept)
        del found  # its pages' texts, like the fetcher's, are not needed any more
        fetcher.forget_texts()
        entries = _clean_all(pages, early, derived, code.clean)  # each page as it arrives
        entries, dropped = _belonging(entries, sources, info.url)
        entries = settle(entries, settings.allowed_hosts)
        entries = _with_attachments(fetcher, entries, derived)
        document, trouble = plaquette_document(fetcher, entries, derived)
        problems = [*problems, *trouble]
        entries, image_problems = article_images(fetcher, entries, derived)
        outcomes = [o for o in fetcher.outcomes if url_key(o.url) not in dropped]

    def tagged(entry: Entry) -> Entry:
        themes = _themes(entry, taxonomy, corrections, derived, code.tag) if entry.cleaned else ()
        return replace(entry, themes=themes)

    entries = each(entries, "tagging", tagged)
    entries = _relate(entries, derived, problems, code.related, taxonomy.stemmer)
    outcomes = with_failures(outcomes, entries)
    entries, tracking = track(settings, entries, sources, previous)
    # The plain text served tagging and « À lire aussi »; publishing needs only the HTML,
    # and at thousands of articles the texts weigh tens of megabytes.
    entries = [replace(e, cleaned=replace(e.cleaned, text="")) if e.cleaned else e for e in entries]
    matrix = cooccurrence([[m.slug for m in e.themes] for e in entries], _slugs(taxonomy))
    return DossierResult(
        info, entries, taxonomy, outcomes, problems, matrix, tracking, document, image_problems
    )


def _belonging(
    entries: list[Entry], sources: Sources, dossier_url: str | None
) -> tuple[list[Entry], set[str]]:
    """Drop feed entries whose page is not part of this dossier; the keys of those dropped."""
    kept = [e for e in entries if belongs(e, sources, dossier_url)]
    dropped = {url_key(e.source_url) for e in entries} - {url_key(e.source_url) for e in kept}
    return kept, dropped


def _slugs(taxonomy: Taxonomy) -> list[str]:
    return [t.slug for t in taxonomy.themes]


def _fetch_articles(
    fetcher: Fetcher, found: Discovery, cleaner: PageCleaner
) -> Iterator[tuple[Fetched, bool]]:
    """The start page (the dossier's lead) first, then every other listed article,
    each as soon as it is fetched."""
    start = found.start
    yield start, True
    if not start.ok:
        return
    start_keys = {url_key(start.url), url_key(start.final_url)}
    others = [u for u in found.article_urls if url_key(u) not in start_keys]
    if not fetcher.settings.offline:
        cleaner.expect(len(others))
    for page in fetcher.iter_pages(others):
        yield page, False


def _cleaned(
    fetched: Fetched,
    early: PageCleaner,
    derived: DerivedCache,
    code: str,
    versions: dict[str, str],
) -> Cleaned | None:
    """Clean a page, or reuse the result for the same bytes, rule and code."""
    if fetched.text is None:
        return None
    kept = early.take(fetched.text, fetched.final_url)
    rule = early.rules.for_url(fetched.final_url)
    if rule.name not in versions:  # one RuleSet per build: a rule's name is its identity
        versions[rule.name] = fingerprint(rule)
    key = digest("clean", code, versions[rule.name], fetched.final_url, fetched.text)
    stored = derived.get(key)
    if stored is not None:
        try:
            return cleaned_from_json(stored)
        except (KeyError, TypeError, ValueError) as exc:  # damaged: clean again
            logger.warning("derived cache: cleaned %s unreadable (%s)", fetched.url, exc)
    cleaned = kept if kept is not None else clean(fetched.text, fetched.final_url, early.rules)
    derived.put(key, cleaned_to_json(cleaned))
    return cleaned


def _clean_all(
    pages: Iterator[tuple[Fetched, bool]], early: PageCleaner, derived: DerivedCache, code: str
) -> list[Entry]:
    """Clean each page once (which entries are one article is ``identity``'s call).

    Each page's text is released once it is cleaned: the entries keep the fetch
    metadata without the text.
    """
    entries: list[Entry] = []
    versions: dict[str, str] = {}
    for count, (fetched, lead) in enumerate(pages, 1):
        if count % TRIM_EVERY == 0:
            release_memory()
        try:
            cleaned = _cleaned(fetched, early, derived, code, versions)
        except Exception as exc:  # the per-source boundary (see isolation)
            entry = Entry(fetched.url, replace(fetched, text=None), None, plaquette=lead)
            entries.append(failed(entry, "cleaning", exc))
            continue
        fetched = replace(fetched, text=None)
        entries.append(Entry(fetched.url, fetched, cleaned, plaquette=lead))
    return entries


def _with_attachments(fetcher: Fetcher, entries: list[Entry], derived: DerivedCache) -> list[Entry]:
    """Probe each attachment (type and size) without parsing it; one on a web page (a shop's)
    is replaced by the document that page offers."""
    result = []
    for entry in entries:
        if entry.cleaned and entry.cleaned.attachments:
            probed = tuple(
                resolve_attachment(fetcher, a, derived) if fetcher.allowed(a.url) else a
                for a in entry.cleaned.attachments
            )
            entry = replace(entry, cleaned=replace(entry.cleaned, attachments=probed))
        result.append(entry)
    return result


def _themes(
    entry: Entry,
    taxonomy: Taxonomy,
    corrections: Corrections,
    derived: DerivedCache,
    code: str,
) -> tuple[ThemeMatch, ...]:
    """Tag an article, or reuse the tags for the same text, taxonomy and code."""
    cleaned: Cleaned = entry.cleaned  # type: ignore[assignment]
    key = digest("tag", code, taxonomy.version, cleaned.title, cleaned.summary, cleaned.text)
    matches = _stored_themes(derived.get(key), entry.source_url)
    if matches is None:
        matches = tag(taxonomy, cleaned.title, cleaned.summary, cleaned.text)
        derived.put(key, themes_to_json(matches))
    return apply_corrections(entry.source_url, matches, corrections, taxonomy)


def _stored_themes(stored: object, url: str) -> tuple[ThemeMatch, ...] | None:
    """Tags kept by an earlier build, or None when there are none (or they are damaged)."""
    if stored is None:
        return None
    try:
        return themes_from_json(stored)  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError) as exc:
        logger.warning("derived cache: tags of %s unreadable (%s)", url, exc)
        return None


def _relate(
    entries: list[Entry], derived: DerivedCache, problems: list[str], code: str, stemmer: Stemmer
) -> list[Entry]:
    """« À lire aussi » for every article; the dossier is published without it (and the
    problem reported) if working it out fails, since no one page can be blamed."""
    try:
        return _related(entries, derived, code, stemmer)
    except Exception as exc:  # a whole-dossier step: reported, never a stopped build
        logger.debug("« À lire aussi » failed", exc_info=exc)
        problems.append(f"« À lire aussi » left out: {type(exc).__name__}: {exc}")
        return entries


def _related(
    entries: list[Entry], derived: DerivedCache, code: str, stemmer: Stemmer
) -> list[Entry]:
    """« À lire aussi » for every article, reused when no article or theme changed."""
    docs = [
        (e.source_url, frozenset(m.slug for m in e.themes), e.cleaned.text)
        for e in entries
        if e.cleaned
    ]
    key = digest("related", code, *(f"{k}\0{sorted(t)}\0{digest(text)}" for k, t, text in docs))
    stored = derived.get(key)
    if stored is not None:
        close = {k: tuple(v) for k, v in stored.items()}
    else:
        close = related(docs, k=3, stemmer=stemmer)
        derived.put(key, close)
    return [replace(e, related=close.get(e.source_url, ())) for e in entries]


def _check_empty(result: DossierResult, settings: Settings) -> None:
    """A dossier with no article to publish is a problem said loudly (fatal when strict)."""
    if any(e.cleaned for e in result.entries):
        return
    if settings.offline:
        hint = (
            f"DOSSIER_OFFLINE is on and the cache ({settings.cache_path}, DOSSIER_CACHE_PATH) "
            "holds none of the dossier's pages: build once with the network first"
        )
    else:
        hint = "no source of the dossier could be fetched or read (see the sources above)"
    result.problems.append(f"0 articles published: {hint}")


def check_strict(result: DossierResult, settings: Settings) -> None:
    """With DOSSIER_STRICT, any failed or stale source, or any problem, stops the build.
    Called once the dossier is read, and again once its articles are made (a source can
    still fail while it is published)."""
    failures = [o for o in result.outcomes if o.status in ("failed", "stale")]
    problems = [*result.problems, *result.image_problems]
    if settings.strict and (failures or problems):
        reasons = [f"{o.url}: {o.status} ({o.reason})" for o in failures] + problems
        raise DossierError(
            "DOSSIER_STRICT is on and the dossier is incomplete:\n" + "\n".join(reasons)
        )
