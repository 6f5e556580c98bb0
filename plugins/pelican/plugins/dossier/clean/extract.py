"""Generic main-content finder: a readability-style scorer on lxml trees.

Works on any page with no site rule: paragraphs earn points (length, commas) that
flow up to their ancestors, link-heavy blocks lose them, class/id names hint
either way, and the best container plus its worthy siblings is the article.
"""

from __future__ import annotations

import re

from lxml import etree

from .dom import HEADINGS, HtmlElement, class_weight, drop, hints, link_density, text_of
from .labels import drop_with_label

BLOCK_CHILDREN = frozenset(
    [
        "a",
        "blockquote",
        "dl",
        "div",
        "img",
        "ol",
        "p",
        "pre",
        "table",
        "ul",
        "section",
        "article",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    ]
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
SIBLING_MIN_CHARS = 100
BULK_SHARE = 0.5
LEAD = re.compile(
    r"lead|lede|intro|standfirst|chap[oô]|chapeau|vorspann|bajada|epigraph|excerpt|abstract|\bdeck\b|\bdek\b|"
    r"sub-?title|sub-?headline|summary",
    re.I,
)
LEAD_LEVELS = 5
LEAD_CHARS = 40
LEAD_MAX = 2
# a best block with less prose than SHORT_TOP gives way to a rival scoring at least
# RIVAL_SHARE of it that holds RIVAL_FACTOR times its prose
SHORT_TOP = 500
RIVAL_SHARE = 0.5
RIVAL_FACTOR = 5
MIN_TITLE = 15
TITLED_SHARE = 0.25
TITLED_CHARS = 500


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
        text = text_of(el) if el.tag != "div" else "".join(el.itertext())
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
    return _only_child(top)


def _only_child(top: HtmlElement) -> HtmlElement:
    while True:
        parent = top.getparent()
        if parent is None or parent.tag in ("body", "html") or len(parent) != 1:
            return top
        top = parent


def _titled_article(
    best: tuple[float, HtmlElement], scores: dict[HtmlElement, float], title: str
) -> HtmlElement | None:
    """Another strong block whose ``<h1>`` the page title repeats, when the best block
    has an ``<h1>`` of its own that the title does not repeat: several articles on a page."""
    key = _fold(title)
    home = _headed(best[1])
    if len(key) < MIN_TITLE or home is None:
        return None
    heads = home.findall(".//h1")
    # several h1s: section headings of one article, not the titles of several
    if len(heads) != 1 or _same_title(_fold(text_of(heads[0])), key):
        return None
    found = None
    for el, score in scores.items():
        if score < best[0] * TITLED_SHARE or _contains(el, home) or _contains(home, el):
            continue
        if _titled(el, home, key) and (found is None or score > scores[found]):
            found = el
    return found


def _titled(el: HtmlElement, home: HtmlElement, key: str) -> bool:
    """A long enough block, apart from ``home``, under an ``<h1>`` the title repeats."""
    other = _headed(el)
    if len(text_of(el)) < TITLED_CHARS or other is None or other is home:
        return False
    return not _contains(other, home) and any(
        _same_title(_fold(text_of(h)), key) for h in other.iter("h1")
    )


def _headed(el: HtmlElement) -> HtmlElement | None:
    """The block itself or its closest ancestor (3 levels up) that holds an ``<h1>``."""
    for _ in range(4):
        if el is None or el.tag in ("body", "html"):
            return None
        if el.find(".//h1") is not None:
            return el
        el = el.getparent()
    return None


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _same_title(heading: str, title: str) -> bool:
    return len(heading) >= MIN_TITLE and heading in title


def _prose_chars(el: HtmlElement) -> int:
    """Length of the text outside links."""
    text = text_of(el)
    return round(len(text) * (1 - link_density(el, len(text))))


def _substantial(ranked: list[tuple[float, HtmlElement]]) -> HtmlElement:
    """The best block, unless it is short and a close rival holds far more prose: a
    name hint (« text-block », « content ») weighs more than the text of a short box."""
    best_score, best = ranked[0]
    size = _prose_chars(best)
    if size >= SHORT_TOP:
        return best
    for score, el in ranked[1:]:
        if score < best_score * RIVAL_SHARE:
            break
        if _prose_chars(el) >= max(RIVAL_FACTOR * size, SHORT_TOP):
            return el
    return best


def _whole_table(top: HtmlElement) -> HtmlElement:
    """A row or row group is never the article: take its table (then its siblings)."""
    node = top
    while node is not None and node.tag in ("tr", "tbody", "thead", "tfoot"):
        node = node.getparent()
    return node if node is not None and node.tag == "table" else top


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
    bonus = (
        scores.get(top, 0) * 0.2 if sib.get("class") and sib.get("class") == top.get("class") else 0
    )
    text = text_of(sib)
    density = link_density(sib, len(text))
    if sib in scores and scores[sib] + bonus >= threshold:
        # a name hint alone (« pied-de-page ») does not make a footer line an article part
        return len(text) >= SIBLING_MIN_CHARS and density < 0.5
    if sib.tag != "p":
        return False
    if len(text) > 80:
        return density < 0.25
    return len(text) > 0 and density == 0 and (text.endswith(".") or ". " in text)


def find_content(
    body: HtmlElement, scores: dict[HtmlElement, float], title: str = ""
) -> HtmlElement:
    """Return a new ``<div>`` holding the article's nodes (moved out of ``body``).

    ``title`` is the page's ``<title>``: on a page holding several articles (an endless
    scroll), the one whose heading it repeats wins over a longer one.
    """
    ranked = _final(scores)
    out = etree.Element("div")
    if not ranked:
        out.extend(list(body))
        return out
    titled = _titled_article(ranked[0], scores, title)
    first = _substantial(ranked)
    top = _promote(_whole_table(first), ranked) if titled is None else _only_child(titled)
    parent = top.getparent()
    if parent is None:
        out.append(top)
        return out
    threshold = max(10.0, scores.get(top, 0) * 0.2)
    leads = _leads(top)
    for sib in list(parent):
        if sib is top or _worthy_sibling(sib, top, scores, threshold):
            sib.tail = None if sib is not top else sib.tail
            out.append(sib)
    for lead in reversed(leads):
        if not _contains(out, lead):
            lead.tail = None
            out.insert(0, lead)
    return out


def _leads(top: HtmlElement) -> list[HtmlElement]:
    """Lead paragraphs (« chapô », standfirst, intro) set in a header before the body,
    in document order: the closest ones, in earlier branches of the block's ancestors."""
    found: list[HtmlElement] = []
    node = top
    for _ in range(LEAD_LEVELS):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        level: list[HtmlElement] = []
        for sib in reversed(list(node.itersiblings(preceding=True))):
            level.extend(el for el in sib.iter("p", "div", "h2") if _is_lead(el, level))
        found = level + found
        node = parent
    return found[-LEAD_MAX:]


def _is_lead(el: HtmlElement, found: list[HtmlElement]) -> bool:
    if not LEAD.search(hints(el)) or any(_contains(f, el) or _contains(el, f) for f in found):
        return False
    text = text_of(el)
    return len(text) >= LEAD_CHARS and link_density(el, len(text)) < 0.3


def strip_headline(content: HtmlElement) -> None:
    """Drop link-heavy or negatively named headings inside the content."""
    for el in list(content.iter(*HEADINGS)):
        if class_weight(el) < 0 or link_density(el) > 0.33:
            drop(el)


def clean_conditionally(content: HtmlElement, scores: dict[HtmlElement, float]) -> None:
    """Readability's last pass: drop lists, tables and boxes that look like chrome."""
    # a block that holds most of the chosen text is the article, whatever its name
    bulk = len(text_of(content)) * BULK_SHARE
    for el in reversed(
        list(content.iter("form", "fieldset", "table", "ul", "ol", "div", "section", "aside"))
    ):
        if el.getparent() is None or not _looks_like_chrome(el, scores):
            continue
        if len(text_of(el)) > bulk:
            continue
        drop_with_label(el, content)


def _looks_like_chrome(el: HtmlElement, scores: dict[HtmlElement, float]) -> bool:
    weight = class_weight(el)
    text = text_of(el)
    density = link_density(el, len(text))
    # prose first, whatever its markup or its name (« widget-wrap », « media-box »…)
    if density < 0.1 and len(text) >= 300:
        return False
    if weight + scores.get(el, 0) < 0:
        return True
    # a code sample is short and has no paragraph, yet it is the article's
    if len(COMMAS.findall(text)) >= 10 or el.find(".//pre") is not None:
        return False
    # br-separated prose has no <p>: count long text as paragraphs too
    paras = max(len(el.findall(".//p")), len(text) // 250)
    imgs = len(el.findall(".//img"))
    items = len(el.findall(".//li")) - 100
    inputs = len(el.findall(".//input"))
    if el.tag in ("ul", "ol") and density < 0.5:
        return False
    return (
        (imgs > 1 and paras / imgs < 0.5 and not el.findall(".//figure"))
        or (el.tag not in ("ul", "ol") and items > paras)
        or inputs > paras / 3
        or (len(text) < 25 and (imgs == 0 or imgs > 2) and not el.findall(".//img"))
        or (weight < 25 and density > 0.2)
        or (weight >= 25 and density > 0.5)
    )


CAPTION = re.compile(
    r"caption|credit|wp-caption-text|image-?desc|photo-?desc|legend|copyright|disclaimer", re.I
)


def strip_for_text(content: HtmlElement) -> None:
    """Drop what a plain-text reader does not want: title, captions, link-only blocks."""
    doomed = []
    for el in content.iter():
        tag = el.tag
        if (
            tag in ("h1", "figcaption")
            # a <caption> is a table's title; outside a table it is misused as a text block
            or (tag == "caption" and _in_table(el))
            or (tag != "img" and CAPTION.search(hints(el)))
            or (tag in ("p", "li", "h2", "h3", "h4", "div") and _link_only(el))
        ):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is None or not _contains(content, el):
            continue
        if el.tag in ("h1", "figcaption", "caption") or CAPTION.search(hints(el)):
            drop(el)
        else:
            drop_with_label(el, content)


def _in_table(el: HtmlElement) -> bool:
    parent = el.getparent()
    return parent is not None and parent.tag == "table"


def _link_only(el: HtmlElement) -> bool:
    if el.find(".//a") is None:
        return False
    text = text_of(el)
    return bool(text) and len(text) < 200 and link_density(el, len(text)) > 0.8
