"""Thin signal handlers between Pelican and the dossier pipeline."""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals
from pelican.utils import order_content

from .document import publish_document
from .feeds import write_feeds
from .filters import FILTERS
from .pipeline import build_dossier
from .publish import (
    dossier_json,
    hub_context,
    make_articles,
    write_empty_theme_pages,
    write_json,
)
from .report import render_report
from .search import build_search
from .settings import read_settings

logger = logging.getLogger(__name__)


def configure(pelican: object) -> None:
    """Stop the build early on a bad DOSSIER_* value; give the theme its filters."""
    settings = pelican.settings  # type: ignore[attr-defined]
    read_settings(settings)
    settings["JINJA_FILTERS"] = {**FILTERS, **settings.get("JINJA_FILTERS", {})}


def inject_articles(generator: object) -> None:
    """Fetch, clean and tag the dossier, then add it to the article generator."""
    gen_settings = generator.settings  # type: ignore[attr-defined]
    settings = read_settings(gen_settings)
    result = build_dossier(settings)
    render_report(result.outcomes)
    for problem in result.problems:
        logger.warning("dossier: %s", problem)
    articles = make_articles(result, gen_settings, generator.context)  # type: ignore[attr-defined]
    generator.articles = order_content(  # type: ignore[attr-defined]
        [*generator.articles, *articles],  # type: ignore[attr-defined]
        gen_settings["ARTICLE_ORDER_BY"],
    )
    generator.context["dossier"] = hub_context(result, articles)  # type: ignore[attr-defined]
    generator.context["dossier_json"] = dossier_json(result, articles)  # type: ignore[attr-defined]
    generator.context["dossier_document"] = result.document  # type: ignore[attr-defined]


def write_outputs(generator: object, writer: object) -> None:
    """Write dossier.json and the feeds next to the site once the articles are written."""
    data = generator.context.get("dossier_json")  # type: ignore[attr-defined]
    output = Path(generator.settings["OUTPUT_PATH"])  # type: ignore[attr-defined]
    if data is not None:
        write_json(output / "dossier.json", data)
        cache = read_settings(generator.settings).cache_path  # type: ignore[attr-defined]
        publish_document(generator.context.get("dossier_document"), cache, output)  # type: ignore[attr-defined]
    write_empty_theme_pages(generator, writer)
    write_feeds(generator.context, generator.settings, output)  # type: ignore[attr-defined]


def index_search(pelican: object) -> None:
    """Build the full-text search index over the site Pelican has just written."""
    settings = pelican.settings  # type: ignore[attr-defined]
    build_search(Path(settings["OUTPUT_PATH"]), read_settings(settings).search)


def register() -> None:
    """Connect the dossier handlers to Pelican's signals."""
    signals.initialized.connect(configure)
    signals.article_generator_pretaxonomy.connect(inject_articles)
    signals.article_writer_finalized.connect(write_outputs)
    signals.finalized.connect(index_search)
