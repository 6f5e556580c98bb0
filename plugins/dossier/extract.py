"""Generic main-content finder: a readability-style scorer on lxml trees.

Works on any page with no site rule: paragraphs earn points (length, commas) that
flow up to their ancestors, link-heavy blocks lose them, class/id names hint
either way, and the best container plus its worthy siblings is the article.
"""

from __future__ import annotations

import logging
import re

from lxml import html

from .dom import HEADINGS, HtmlElement, class_weight, link_density, text_of

logger = logging.getLogger(__name__)

BLOCK_CHILDREN = frozenset(
    "a blockquote dl div img ol p pre table ul section article figure h1 h2 h3 h4 h5 h6".split()
)
TAG_BASE = {
    "div": 5,
    "section": 5,
    "article": 8,
    "main": 5,
    "pre": 3,
    "td": 3,
    "blockquote": 3,
    "address": -3,
    "ol": -3,
    "ul": -3,
    "dl": -3,
    "dd": -3,
    "dt": -3,
    "li": -3,
    "form": -3,
    "th": -5,
}
COMMAS = re.compile(r"[,，、،;]")
MIN_PARA = 25
MAX_DEPTH = 5


def _para_length(el: HtmlElement) -> int:
    """Text length of a paragraph-like element, or 0 when it is not one."""
    tag = el.tag
    if tag in ("p", "pre", "td"):
        return len(text_of(el))
    if tag in ("div", "section", "article", "blockquote"):
        if any(child.tag in BLOCK_CHILDREN for child in el):
            own = (el.text or "") + "".join(child.tail or "" for child in el)
            return len(" ".join(own.split()))
        return len(text_of(el))
    return 0


def score_nodes(root: HtmlElement) -> dict[HtmlElement, float]:
    """Readability scores: each paragraph feeds its ancestors, less the further up."""
    scores: dict[HtmlElement, float] = {}
    for el in root.iter("p", "pre", "td", "div", "section", "article", "blockquote"):
        length = _para_length(el)
        if length < MIN_PARA:
            continue
        text = text_of(el) if el.tag != "div" else el.text_content()
        points = 1 + len(COMMAS.findall(text)) + min(length // 100, 3)
        # loose text in a div scores the div itself
        node = el if el.tag in ("div", "section", "article", "blockquote") else el.getparent()
        level = 0
        while node is not None and level < MAX_DEPTH and isinstance(node.tag, str):
            if node not in scores:
                scores[node] = TAG_BASE.get(node.tag, 0) + class_weight(node)
            scores[node] += points / (1 if level == 0 else 2 if level == 1 else level * 3)
            node = node.getparent()
            level += 1
    return scores


def _final(scores: dict[HtmlElement, float]) -> list[tuple[float, HtmlElement]]:
    """Scores discounted by link density, best first, ties in document order."""
    ranked = [(s * (1 - link_density(el)), i, el) for i, (el, s) in enumerate(scores.items())]
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return [(s, el) for s, _, el in ranked[:10]]


def _promote(top: HtmlElement, ranked: list[tuple[float, HtmlElement]]) -> HtmlElement:
    """Move up when several strong candidates share an ancestor, or top is an only child."""
    best = ranked[0][0]
    peers = [el for s, el in ranked[1:6] if s >= best * 0.75]
    if len(peers) >= 2:
        node = top.getparent()
        while node is not None and node.tag not in ("body", "html"):
            if sum(1 for p in peers if _contains(node, p)) >= 2:
                top = node
                break
            node = node.getparent()
    while True:
        parent = top.getparent()
        if parent is None or parent.tag in ("body", "html") or len(parent) != 1:
            return top
        top = parent


def _contains(ancestor: HtmlElement, el: HtmlElement) -> bool:
    node = el.getparent()
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _worthy_sibling(
    sib: HtmlElement, top: HtmlElement, scores: dict[HtmlElement, float], threshold: float
) -> bool:
    """Readability's sibling test: strong score, same class, or a real paragraph."""
    bonus = scores.get(top, 0) * 0.2 if sib.get("class") and sib.get("class") == top.get("class") else 0
    if sib in scores and scores[sib] + bonus >= threshold:
        return True
    if sib.tag != "p":
        return False
    text = text_of(sib)
    density = link_density(sib, len(text))
    if len(text) > 80:
        return density < 0.25
    return 0 < len(text) and density == 0 and (text.endswith(".") or ". " in text)


def find_content(root: HtmlElement) -> HtmlElement:
    """Return a new ``<div>`` holding the article's nodes (moved out of ``root``)."""
    body = root.find("body")
    body = root if body is None else body
    scores = score_nodes(body)
    ranked = _final(scores)
    out = html.Element("div")
    if not ranked:
        out.extend(list(body))
        return out
    top = _promote(ranked[0][1], ranked)
    parent = top.getparent()
    if parent is None:
        out.append(top)
        return out
    threshold = max(10.0, scores.get(top, 0) * 0.2)
    for sib in list(parent):
        if sib is top or _worthy_sibling(sib, top, scores, threshold):
            sib.tail = None if sib is not top else sib.tail
            out.append(sib)
    return out


def strip_headline(content: HtmlElement) -> None:
    """Drop link-heavy or negatively named headings inside the content."""
    for el in list(content.iter(*HEADINGS)):
        if class_weight(el) < 0 or link_density(el) > 0.33:
            el.drop_tree()
