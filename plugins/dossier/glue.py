"""Thin signal handlers between Pelican and the dossier pipeline."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.utils import order_content

from .changes import write_history_feed, write_history_page
from .document import publish_document
from .feeds import write_feeds
from .filters import FILTERS
from .pipeline import DossierResult, build_dossier
from .publish import (
    dossier_json,
    hub_context,
    make_articles,
    write_empty_theme_pages,
    write_json,
)
from .report import BuildSummary, render_closing, render_report
from .search import build_search
from .settings import read_settings

logger = logging.getLogger(__name__)

# Where inject_articles leaves the closing summary for finish: Pelican gives the
# finalized signal only the Pelican object, whose settings dict the generators share.
SUMMARY_KEY = "_dossier_summary"


def configure(pelican: object) -> None:
    """Stop the build early on a bad DOSSIER_* value; give the theme its filters and an
    escaping template engine."""
    settings = pelican.settings  # type: ignore[attr-defined]
    read_settings(settings)
    settings["JINJA_FILTERS"] = {**FILTERS, **settings.get("JINJA_FILTERS", {})}
    settings["JINJA_ENVIRONMENT"] = jinja_environment(settings.get("JINJA_ENVIRONMENT"))


def jinja_environment(given: dict[str, Any] | None) -> dict[str, Any]:
    """Pelican's Jinja options with autoescape forced on: every value a template writes
    is escaped unless it is Markup (the re-sanitised article body, our own SVG)."""
    return {**(given or {}), "autoescape": True}


def inject_articles(generator: object) -> None:
    """Fetch, clean and tag the dossier, then add it to the article generator."""
    gen_settings = generator.settings  # type: ignore[attr-defined]
    settings = read_settings(gen_settings)
    result = build_dossier(settings)
    articles = make_articles(result, gen_settings, generator.context)  # type: ignore[attr-defined]
    render_report(result.outcomes, articles={e.source_url for e in result.entries})
    for problem in result.problems:
        logger.warning("dossier: %s", problem)
    generator.articles = order_content(  # type: ignore[attr-defined]
        [*generator.articles, *articles],  # type: ignore[attr-defined]
        gen_settings["ARTICLE_ORDER_BY"],
    )
    generator.context["dossier"] = hub_context(result, articles)  # type: ignore[attr-defined]
    generator.context["dossier_json"] = dossier_json(result, articles)  # type: ignore[attr-defined]
    generator.context["dossier_document"] = result.document  # type: ignore[attr-defined]
    gen_settings[SUMMARY_KEY] = _summary(result, len(articles), gen_settings)


def _summary(result: DossierResult, published: int, settings: dict) -> BuildSummary:
    """What the closing summary will say about this build."""
    local = f"http://{settings.get('BIND') or '127.0.0.1'}:{settings.get('PORT') or 8000}/"
    return BuildSummary(
        published=published,
        announced=result.info.announced,
        themes=len(result.taxonomy.themes),
        outcomes=tuple(result.outcomes),
        offline=read_settings(settings).offline,
        serve_url=local,
        siteurl="" if settings.get("RELATIVE_URLS") else str(settings.get("SITEURL") or ""),
    )


def write_outputs(generator: object, writer: object) -> None:
    """Write dossier.json and the feeds next to the site once the articles are written."""
    data = generator.context.get("dossier_json")  # type: ignore[attr-defined]
    output = Path(generator.settings["OUTPUT_PATH"])  # type: ignore[attr-defined]
    if data is not None:
        write_json(output / "dossier.json", data)
        cache = read_settings(generator.settings).cache_path  # type: ignore[attr-defined]
        publish_document(generator.context.get("dossier_document"), cache, output)  # type: ignore[attr-defined]
    write_empty_theme_pages(generator, writer)
    write_history_page(generator, writer)
    write_feeds(generator.context, generator.settings, output)  # type: ignore[attr-defined]
    write_history_feed(generator.context, generator.settings, output)  # type: ignore[attr-defined]


def finish(pelican: object) -> None:
    """Index the written site for search, then print the closing summary."""
    settings = pelican.settings  # type: ignore[attr-defined]
    output = Path(settings["OUTPUT_PATH"])
    build_search(output, read_settings(settings).search)
    summary = settings.pop(SUMMARY_KEY, None)
    if summary is not None:
        render_closing(summary, output)


def register() -> None:
    """Connect the dossier handlers to Pelican's signals."""
    signals.initialized.connect(configure)
    signals.article_generator_pretaxonomy.connect(inject_articles)
    signals.article_writer_finalized.connect(write_outputs)
    signals.finalized.connect(finish)
