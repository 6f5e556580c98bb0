"""Thin signal handlers between Pelican and the dossier pipeline."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pelican import signals
from pelican.utils import order_content

from .clean.rules import RuleError
from .fetch import render_report
from .pipeline import DossierConfig, build_dossier, load_config
from .publish import (
    FILTERS,
    add_theme_tags,
    build_search,
    dossier_json,
    hub_context,
    make_articles,
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
    hosts = config.settings.allowed_hosts
    articles = make_articles(result, settings, generator.context, hosts)
    render_report(result.outcomes)
    for problem in result.problems:
        logger.warning("dossier: %s", problem)
    generator.articles = order_content(
        [*generator.articles, *articles], settings["ARTICLE_ORDER_BY"]
    )
    add_theme_tags(generator, result.taxonomy)
    generator.context["dossier"] = hub_context(result, articles)
    generator.context["dossier_json"] = dossier_json(result, articles)


def write_outputs(generator: ArticlesGenerator, writer: Writer) -> None:
    """Write dossier.json and the feeds next to the site once the articles are written."""
    data = generator.context.get("dossier_json")
    output = Path(generator.settings["OUTPUT_PATH"])
    if data is not None:
        write_json(output / "dossier.json", data)
    write_history_page(generator, writer)
    dossier = config_of(generator.settings).settings
    write_feeds(generator.context, generator.settings, output, dossier)
    write_history_feed(generator.context, generator.settings, output, dossier)


def index_search(pelican: Pelican) -> None:
    """Build the full-text search index over the site Pelican has just written."""
    settings = pelican.settings
    build_search(Path(settings["OUTPUT_PATH"]), config_of(settings).settings.search)


def register() -> None:
    """Connect the dossier handlers to Pelican's signals."""
    signals.initialized.connect(configure)
    signals.article_generator_pretaxonomy.connect(inject_articles)
    signals.article_writer_finalized.connect(write_outputs)
    signals.finalized.connect(index_search)
