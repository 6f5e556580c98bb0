"""Clean stage: a fetched page → the article alone, sanitised, with its metadata.

Pages are parsed with ``lxml`` directly (not BeautifulSoup): tree building is about
ten times faster, which the extraction benchmark needs (docs/benchmarks.md). The
order matters: metadata and marker lines are read from the untouched page, then
the chrome is pruned, the body found (site rule, else the generic scorer),
rewritten (images, URLs, headings) and finally sanitised by an allowlist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from lxml import etree

from ..fetch.acceptance import MIN_ARTICLE_CHARS
from ..model import Cleaned
from . import extract, labels, rewrite
from .dom import HtmlElement, drop_scripts, parse, plain_text, prune, text_of
from .markers import Markers, take_markers
from .metadata import page_meta
from .rules import Rule, RuleSet
from .rules import load_rules as _load_rules
from .sanitize import sanitize
from .standfirst import find_standfirst, put_back

SUMMARY_MAX = 300
MIN_SUMMARY_PARAGRAPH = 60
FALLBACK_CHARS = 500

__all__ = ["clean", "extract_text", "load_rules", "summarize"]


def load_rules(extra_dir: Path | None = None) -> RuleSet:
    """Shipped rules (clean/rules/) plus those of ``extra_dir``."""
    return _load_rules(extra_dir)


@cache
def _shipped_rules() -> RuleSet:
    return _load_rules()


def clean(html: str, url: str, rules: RuleSet | None = None) -> Cleaned:
    """Extract, rewrite and sanitise the article of ``html`` fetched from ``url``."""
    rule = (_shipped_rules() if rules is None else rules).for_url(url)
    root = parse(html)
    base = rewrite.base_url(root, url)
    meta = page_meta(root, base, rule, url)
    body, markers = _prepare(root, rule, base, images=True)
    content = _content(root, body, rule, lambda: _prepare(parse(html), rule, base, True)[0])
    _rewrite(content, rule, base, meta.title)
    safe = sanitize(_inner_html(content))
    text = plain_text(_fragment_root(safe))
    return Cleaned(
        title=meta.title,
        html=safe,
        text=text,
        summary=summarize(meta.description or _first_paragraph(content)),
        published=meta.published,
        updated=meta.updated,
        author=meta.author,
        lead_image=meta.image or _first_image(safe),
        lang=meta.lang,
        canonical_url=meta.canonical,
        dossier_title=markers.dossier_title,
        dossier_url=markers.dossier_url,
        announced=markers.announced,
        listing_url=markers.listing_url,
        attachments=markers.attachments,
    )


def extract_text(html: str, url: str) -> str:
    """Plain main text of the page (no title, captions or chrome), for the benchmark."""
    rule = _shipped_rules().for_url(url)
    root = parse(html)
    body, _ = _prepare(root, rule, url, images=False)
    content = _content(root, body, rule, lambda: _prepare(parse(html), rule, url, False)[0])
    rewrite.drop_matching(content, (), rule.boilerplate)
    labels.drop_related(content, rule.related)
    extract.strip_for_text(content)
    return plain_text(content)


def _body(root: HtmlElement) -> HtmlElement:
    body = root.find("body")
    return root if body is None else body


def _prepare(root: HtmlElement, rule: Rule, base: str, images: bool) -> tuple[HtmlElement, Markers]:
    """Scripts out, lazy images resolved (``images``), marker lines taken: the body and them."""
    if images:
        rewrite.resolve_noscript_images(root)
    drop_scripts(root)
    body = _body(root)
    return body, _markers(body, rule, base)


def _markers(body: HtmlElement, rule: Rule, base: str) -> Markers:
    # one cheap pass over the text spares the per-node search on pages without markers
    if not rule.markers:
        return Markers()
    text = "".join(body.itertext())
    if not any(p.search(text) for p in rule.markers.values()):
        return Markers()
    return take_markers(body, rule.markers, base)


def _content(
    root: HtmlElement, body: HtmlElement, rule: Rule, again: Callable[[], HtmlElement]
) -> HtmlElement:
    """The article's nodes in a new ``<div>``: the rule's body selector, else the scorer.

    When the scorer finds little text on the pruned page, ``again()`` (the page parsed
    anew) is pruned leniently and scored: the article may sit in a ``<nav>``, an
    ``<aside>``, a ``<noscript>`` or a wrapper with a chrome name.
    """
    rewrite.drop_matching(body, rule.strip, ())
    title = _page_title(root)
    lead = find_standfirst(root)
    prune(root)
    for selector in rule.body:
        found = selector(body)
        if found:
            content = etree.Element("div")
            for el in found:
                el.tail = None
                content.append(el)
            return content
    content = _generic_content(body, title, rule.related)
    found = len(text_of(content))
    if found < FALLBACK_CHARS:
        spare = again()
        rewrite.drop_matching(spare, rule.strip, ())
        prune(spare, lenient=True)
        second = _generic_content(spare, title, rule.related)
        if len(text_of(second)) > max(2 * found, MIN_ARTICLE_CHARS):
            return second
    put_back(content, lead)
    return content


def _page_title(root: HtmlElement) -> str:
    """The ``<title>`` and ``og:title`` text, read before pruning drops ``<head>``."""
    og = root.find(".//meta[@property='og:title']")
    return " ".join(
        [root.findtext(".//title") or "", og.get("content", "") if og is not None else ""]
    )


def _generic_content(body: HtmlElement, title: str = "", related: tuple = ()) -> HtmlElement:
    scores = extract.score_nodes(body)
    content = extract.find_content(body, scores, title)
    # before headings named « related » go: they say what follows them is
    labels.drop_related(content, related)
    extract.strip_headline(content)
    extract.clean_conditionally(content, scores)
    return content


def _rewrite(content: HtmlElement, rule: Rule, base: str, title: str) -> None:
    rewrite.drop_matching(content, (), rule.boilerplate)
    labels.drop_related(content, rule.related)
    rewrite.fix_images(content, base)
    rewrite.absolute_links(content, base)
    rewrite.drop_title_heading(content, title)
    rewrite.shift_headings(content)
    rewrite.drop_empty(content)


def _inner_html(content: HtmlElement) -> str:
    parts = [content.text or ""]
    parts.extend(etree.tostring(child, encoding="unicode", method="html") for child in content)
    return "".join(parts)


def _fragment_root(fragment: str) -> HtmlElement:
    return _body(parse(f"<html><body>{fragment}</body></html>"))


def _first_paragraph(content: HtmlElement) -> str:
    """The first paragraph long enough to sum up; else the first such line of text
    (prose set with ``<br>`` or in bare ``<div>``s has no ``<p>``)."""
    for p in content.iter("p"):
        text = text_of(p)
        if len(text) >= MIN_SUMMARY_PARAGRAPH:
            return text
    lines = plain_text(content).split("\n")
    return next((line for line in lines if len(line) >= MIN_SUMMARY_PARAGRAPH), "")


def _first_image(fragment: str) -> str | None:
    img = _fragment_root(fragment).find(".//img[@src]")
    return img.get("src") if img is not None else None


def summarize(text: str, limit: int = SUMMARY_MAX) -> str:
    """``text`` cut to at most ``limit`` characters on a word boundary (with « … »)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-–—") + "…"
