"""French typography inside a published article body: its text, never its markup.

``typo_fr`` (``typo``) is applied to each text node of the body, once, when the cleaned
body becomes a Pelican article (``articles.make_article``): the article page and every
feed read that same content, so they agree. Text inside ``pre``, ``code``, ``kbd``,
``samp`` and ``var`` is left as written, attribute values are never read, and no element
is added, removed or moved: only characters of text nodes change.

A rule may need a character on the other side of an inline element (« <em>Dossier</em>
- Villes », « <strong>30</strong> % »): each text node is retouched between the words
that touch it in the same line of inline elements, read only. A change that would reach
into those words is not made; the text node is then retouched on its own.

The body is parsed with lxml, like ``document.images`` does, and written back only when
a text changed. A body the parser could not read whole and as written (crossed tags,
nesting past libxml2's limit) is refused (``UnreadableBody``) rather than altered.
lxml writes ``href``/``src`` with non-ASCII and spaces percent-escaped: a no-op for our
http(s) addresses, which ``urls.public_url`` has already written that way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree, html

from .typo import typo_fr

FRENCH = "fr"
# Text written as is: code and its kin (script and style never survive the sanitiser).
VERBATIM = frozenset(("pre", "code", "kbd", "samp", "var", "script", "style", "textarea"))
# Elements that sit inside a line of text: a rule may read across them.
INLINE = frozenset(
    (
        "a", "abbr", "b", "cite", "del", "dfn", "em", "i", "ins", "mark", "q", "s",
        "small", "span", "strong", "sub", "sup", "time", "u",
    )
)  # fmt: skip
# What a rule may need to read on the other side of an element: the word there (a month
# name, a year, a number's group), never more than CONTEXT characters of it.
CONTEXT = 24
_LAST_WORD = re.compile(r"\S*\Z")
_FIRST_WORD = re.compile(r"\S*")

# An element libxml2's HTML 4 table does not know (figure, picture, time with older
# versions): reported, but read as written.
UNKNOWN_TAG = "HTML_UNKNOWN_TAG"

Slot = tuple[etree._Element, str]  # an element and "text" or "tail"


class UnreadableBody(ValueError):
    """The parser could not read a body whole and as written: it is not retouched."""


def language_tag(lang: str | None) -> str:
    """A language tag as we compare them: « fr_CA » → « fr-ca »; empty for None."""
    return (lang or "").strip().replace("_", "-").lower()


def primary_language(lang: str | None) -> str:
    """The language of a tag without its region: « fr-CA » → « fr »."""
    return language_tag(lang).split("-", 1)[0]


def is_french(lang: str | None, default: str | None = FRENCH) -> bool:
    """True when ``lang`` (« fr », « fr-FR », « fr_CA »), or ``default`` when the
    article gives none, is French."""
    return primary_language(language_tag(lang) or default) == FRENCH


def typo_body(markup: str) -> str:
    """``markup`` with French typography in its text nodes; unchanged (the same string)
    when no text needs it."""
    body = markup.lstrip()
    if not body:
        return markup
    root = parse(body)
    if not sum(_retouch(run) for run in runs(root)):
        return markup
    inner = etree.tostring(root, encoding="unicode", method="html")
    # The parser drops the whitespace a fragment starts with: put it back.
    return markup[: len(markup) - len(body)] + inner[len("<div>") : -len("</div>")]


def parse(body: str) -> etree._Element:
    """``body`` under a ``div``, or UnreadableBody when the parser had to drop or move
    something (a mismatched tag, nesting deeper than libxml2's limit)."""
    # huge_tree: past 256 levels of nesting, libxml2 would silently drop the rest
    parser = html.HTMLParser(huge_tree=True)
    root = html.fragment_fromstring(body, create_parent="div", parser=parser)
    for error in parser.error_log:
        if error.level >= etree.ErrorLevels.ERROR and error.type_name != UNKNOWN_TAG:
            raise UnreadableBody(f"line {error.line}: {error.message}")
    return root


def runs(root: etree._Element) -> list[list[Slot]]:
    """The text slots of ``root`` in reading order, cut into runs of inline text: a block,
    a line break, an image or verbatim text ends a run; verbatim text is in none."""
    found: list[list[Slot]] = [[]]
    for slot in _walk(root):
        if slot is None:
            if found[-1]:
                found.append([])
        else:
            found[-1].append(slot)
    return [run for run in found if run]


def _walk(root: etree._Element) -> Iterator[Slot | None]:
    """Slots in document order, ``None`` where a run ends; without recursion, however
    deep the body nests."""
    stack: list[etree._Element | Slot | None] = [root]
    while stack:
        item = stack.pop()
        if item is None or isinstance(item, tuple):
            yield item
            continue
        inline = item.tag in INLINE
        if not inline:
            yield None
        later: list[etree._Element | Slot | None] = []
        if isinstance(item.tag, str) and item.tag not in VERBATIM:
            yield item, "text"
            for child in item:
                later += [child, (child, "tail")]
        if not inline:
            later.append(None)
        stack.extend(reversed(later))


def _retouch(run: list[Slot]) -> int:
    """Retouch each slot of a run between the words that touch it; the number changed."""
    texts = [getattr(element, kind) or "" for element, kind in run]
    changed = 0
    for n, (element, kind) in enumerate(run):
        if not texts[n]:
            continue
        text = in_context(texts[n], _word_before(texts, n), _word_after(texts, n))
        if text != texts[n]:
            texts[n] = text
            setattr(element, kind, text)
            changed += 1
    return changed


def _word_before(texts: list[str], n: int) -> str:
    """The end of the word that runs up to slot ``n`` (at most CONTEXT characters)."""
    word = ""
    for k in range(n - 1, -1, -1):
        piece = _LAST_WORD.search(texts[k][-CONTEXT:]).group()  # type: ignore[union-attr]
        word = piece + word
        if len(word) >= CONTEXT or len(piece) < len(texts[k]):  # met a space
            break
    return word[-CONTEXT:]


def _word_after(texts: list[str], n: int) -> str:
    """The start of the word that runs on from slot ``n`` (at most CONTEXT characters)."""
    word = ""
    for k in range(n + 1, len(texts)):
        piece = _FIRST_WORD.match(texts[k][:CONTEXT]).group()  # type: ignore[union-attr]
        word += piece
        if len(word) >= CONTEXT or len(piece) < len(texts[k]):
            break
    return word[:CONTEXT]


def in_context(text: str, before: str, after: str) -> str:
    """``text`` retouched as it reads between ``before`` and ``after``, which must come
    out unchanged; else ``text`` retouched alone."""
    whole = typo_fr(before + text + after)
    end = len(whole) - len(after)
    if end >= len(before) and whole.startswith(before) and whole.endswith(after):
        return whole[len(before) : end]
    return typo_fr(text)
