"""Thin signal handlers between Pelican and the dossier pipeline."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pelican import signals
from pelican.utils import order_content

from .clean.rules import RuleError
from .document import publish_document, publish_images
from .fetch.report import BuildSummary, render_closing, render_report
from .pipeline import DossierConfig, DossierResult, build_dossier, check_strict, load_config
from .publish import (
    FILTERS,
    add_theme_tags,
    build_search,
    dossier_json,
    hub_context,
    make_articles,
    minify_theme,
    write_feeds,
    write_history_feed,
    write_history_page,
    write_json,
)
from .settings import SettingsError, read_settings
from .themes import CorrectionsError, TaxonomyError

if TYPE_CHECKING:
    from pelican import Pelican
    from pelican.generators import ArticlesGenerator
    from pelican.writers import Writer

logger = logging.getLogger(__name__)


# Where the start-up reading of the settings and data files is kept for the handlers.
CONFIG = "DOSSIER"
# Where inject_articles leaves the closing summary for finish: Pelican gives the
# finalized signal only the Pelican object, whose settings dict the generators share.
SUMMARY_KEY = "_dossier_summary"


def configure(pelican: Pelican) -> None:
    """Read and validate the DOSSIER_* settings and the data files they name, once.

    A bad value or file stops the build here, its message naming the setting, the file
    and the entry at fault; the theme gets its filters and an escaping template engine.
    """
    settings = pelican.settings
    dossier = read_settings(settings)
    try:
        settings[CONFIG] = load_config(dossier)
    except TaxonomyError as exc:
        raise SettingsError(f"DOSSIER_TAXONOMY: {exc}") from exc
    except CorrectionsError as exc:
        raise SettingsError(f"DOSSIER_DATA: {exc}") from exc
    except RuleError as exc:
        raise SettingsError(f"DOSSIER_RULES_PATH: {exc}") from exc
    settings["JINJA_FILTERS"] = {**FILTERS, **settings.get("JINJA_FILTERS", {})}
    settings["JINJA_ENVIRONMENT"] = jinja_environment(settings.get("JINJA_ENVIRONMENT"))


def jinja_environment(given: dict[str, Any] | None) -> dict[str, Any]:
    """Pelican's Jinja options with autoescape forced on: every value a template writes
    is escaped unless it is Markup (the re-sanitised article body, our own SVG)."""
    return {**(given or {}), "autoescape": True}


def config_of(settings: dict[str, Any]) -> DossierConfig:
    """The configuration read at start-up."""
    return settings[CONFIG]


def inject_articles(generator: ArticlesGenerator) -> None:
    """Fetch, clean and tag the dossier, then add it to the article generator."""
    settings = generator.settings
    config = config_of(settings)
    result = build_dossier(config)
    articles = make_articles(result, settings, generator.context)
    check_strict(result, config.settings)  # publishing may have failed a source too
    render_report(result.outcomes, articles={e.source_url for e in result.entries})
    for problem in result.problems:
        logger.warning("dossier: %s", problem)
    if result.image_problems:
        logger.warning("dossier: %d image(s) not published as fetched", len(result.image_problems))
    generator.articles = order_content(
        [*generator.articles, *articles], settings["ARTICLE_ORDER_BY"]
    )
    add_theme_tags(generator, result.taxonomy)
    generator.context["dossier"] = hub_context(result, articles)
    generator.context["dossier_json"] = dossier_json(result, articles)
    generator.context["dossier_document"] = result.document
    generator.context["dossier_entries"] = result.entries
    settings[SUMMARY_KEY] = _summary(result, len(articles), settings)


def _summary(result: DossierResult, published: int, settings: dict[str, Any]) -> BuildSummary:
    """What the closing summary will say about this build."""
    local = f"http://{settings.get('BIND') or '127.0.0.1'}:{settings.get('PORT') or 8000}/"
    return BuildSummary(
        published=published,
        announced=result.info.announced,
        themes=len(result.taxonomy.themes),
        outcomes=tuple(result.outcomes),
        offline=config_of(settings).settings.offline,
        serve_url=local,
        siteurl="" if settings.get("RELATIVE_URLS") else str(settings.get("SITEURL") or ""),
    )


def write_outputs(generator: ArticlesGenerator, writer: Writer) -> None:
    """Write dossier.json and the feeds next to the site once the articles are written."""
    data = generator.context.get("dossier_json")
    output = Path(generator.settings["OUTPUT_PATH"])
    if data is not None:
        write_json(output / "dossier.json", data)
        cache = config_of(generator.settings).settings.cache_path
        publish_document(generator.context.get("dossier_document"), cache, output)
        publish_images(generator.context.get("dossier_entries") or [], cache, output)
    write_history_page(generator, writer)
    dossier = config_of(generator.settings).settings
    write_feeds(generator.context, generator.settings, output, dossier)
    write_history_feed(generator.context, generator.settings, output, dossier)


def finish(pelican: Pelican) -> None:
    """Minify the theme's copies, index the written site for search, then print the
    closing summary."""
    settings = pelican.settings
    output = Path(settings["OUTPUT_PATH"])
    minify_theme(output / settings["THEME_STATIC_DIR"])
    build_search(output, config_of(settings).settings.search)
    summary = settings.pop(SUMMARY_KEY, None)
    if summary is not None:
        render_closing(summary, output)


def register() -> None:
    """Connect the dossier handlers to Pelican's signals."""
    signals.initialized.connect(configure)
    signals.article_generator_pretaxonomy.connect(inject_articles)
    signals.article_writer_finalized.connect(write_outputs)
    signals.finalized.connect(finish)
