"""Lead-in labels of link lists: « Read also: », « More on this topic », « Related ».

A list of links to other pages, once dropped from the article, leaves behind the short
line that introduced it. That line goes with its list: a heading, or a short paragraph
set in bold or ending with a colon, just before the dropped block. And a label whose
words say « related » (the rule's ``related`` patterns) goes with the links after it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .dom import BLOCK_TAGS, HEADINGS, HtmlElement, drop, link_density, text_of

LABEL_CHARS = 80
LIST_LINKS = 0.5
INLINE_CHARS = 200
SECTION_LINKS = 0.3
LABEL_TAGS = ("h2", "h3", "h4", "h5", "h6", "p", "li", "div", "strong", "b", "span")
BLOCKS = BLOCK_TAGS - {"br"}
EMPHASIS = ("b", "strong")


def drop_with_label(el: HtmlElement, root: HtmlElement) -> None:
    """Drop ``el`` with the wrappers it leaves empty and the label just before them."""
    node = el
    parent = node.getparent()
    text = text_of(el)
    while parent is not None and parent is not root and _only_text(node, parent):
        node, parent = parent, parent.getparent()
    label = _previous_text_block(node) if _link_list(node, text) else None
    if label is not None and is_label(label):
        drop(label)
    drop(node)


def _only_text(node: HtmlElement, parent: HtmlElement) -> bool:
    """``node`` holds all of ``parent``'s text (the rest of it is blank)."""
    if (parent.text or "").strip():
        return False
    return all(
        sib is node or not _has_text(sib) for sib in parent if isinstance(sib.tag, str)
    ) and all(not (sib.tail or "").strip() for sib in parent)


def _has_text(el: HtmlElement) -> bool:
    return any(piece.strip() for piece in el.itertext())


def _link_list(el: HtmlElement, text: str) -> bool:
    """Text that is mostly links (an empty box or a form introduces nothing)."""
    return bool(text) and link_density(el, len(text)) >= LIST_LINKS


def _previous_text_block(node: HtmlElement) -> HtmlElement | None:
    """The closest earlier sibling holding text (blank spacer paragraphs skipped)."""
    if (node.getparent() is not None) and (node.getprevious() is None):
        return None
    for sib in node.itersiblings(preceding=True):
        if not isinstance(sib.tag, str):
            continue
        if (sib.tail or "").strip():
            return None
        if text_of(sib):
            return sib
    return None


def is_label(el: HtmlElement) -> bool:
    """A short heading, or a short line all in bold or ending with a colon."""
    text = text_of(el)
    if not text or len(text) > LABEL_CHARS:
        return False
    if el.tag in HEADINGS:
        return True
    if el.tag not in ("p", "div", "span", "strong", "b"):
        return False
    if text.endswith(":"):
        return True
    bold = " ".join(text_of(b) for b in el.iter(*EMPHASIS))
    return el.tag in EMPHASIS or len(bold) >= len(text)


def drop_related(content: HtmlElement, patterns: tuple[re.Pattern[str], ...]) -> None:
    """Drop « Read also »-like labels (``patterns``) with the links they introduce."""
    if not patterns:
        return
    said = _joined(patterns)
    for el in list(content.iter(*LABEL_TAGS)):
        if el.getparent() is None or not _attached(el, content):
            continue
        text = _short_text(el, INLINE_CHARS)
        if not text or not said.search(text):
            continue
        if link_density(el, len(text)) >= LIST_LINKS:
            drop(el)  # « Read also: <a>another page</a> » on one line
        elif len(text) <= LABEL_CHARS and not any(child.tag in BLOCKS for child in el):
            _drop_section(el, text, content)


@lru_cache(maxsize=8)
def _joined(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """One pattern for all: a label is tested once, not once per phrase."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)


def _short_text(el: HtmlElement, limit: int) -> str:
    """The element's text, or "" when it is longer than ``limit`` (read no further)."""
    size = 0
    parts = []
    for piece in el.itertext():
        size += len(piece)
        if size > 2 * limit:
            return ""
        parts.append(piece)
    text = " ".join("".join(parts).split())
    return text if len(text) <= limit else ""


def _drop_section(label: HtmlElement, text: str, content: HtmlElement) -> None:
    """The label and what follows it in its box, when that is mostly links (or nothing)."""
    node = label
    parent = node.getparent()
    while parent is not None and parent is not content and _only_text(node, parent):
        node, parent = parent, parent.getparent()
    rest = _until_heading(node, label)
    chars = sum(len(text_of(sib)) for sib in rest)
    linked = sum(len(text_of(a)) for sib in rest for a in sib.iter("a"))
    if chars and linked < chars * SECTION_LINKS and not _teasers(label, rest):
        return
    for sib in rest:
        drop(sib)
    drop(node)


def _until_heading(node: HtmlElement, label: HtmlElement) -> list[HtmlElement]:
    """The siblings after ``node`` up to the next heading of the label's rank or above:
    on a flat page, the next section is not the label's."""
    rank = int(label.tag[1]) if label.tag in HEADINGS else 6
    rest = []
    for sib in node.itersiblings():
        if not isinstance(sib.tag, str):
            continue
        if sib.tag in HEADINGS and int(sib.tag[1]) <= rank:
            break
        rest.append(sib)
    return rest


def _teasers(label: HtmlElement, rest: list[HtmlElement]) -> bool:
    """Under a heading, boxes that each link somewhere: teaser cards (a title, a line)."""
    boxes = [el for el in rest if el.tag not in HEADINGS and text_of(el)]
    return label.tag in HEADINGS and bool(boxes) and all(_links(el) for el in boxes)


def _links(el: HtmlElement) -> bool:
    return any(text_of(a) for a in el.iter("a"))


def _attached(el: HtmlElement, root: HtmlElement) -> bool:
    node = el.getparent()
    while node is not None and node is not root:
        node = node.getparent()
    return node is root
