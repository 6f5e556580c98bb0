"""French typography for text we show: dashes, and the spaces that must not break.

Applied at display (the ``typo_fr`` filter), so titles and summaries fetched from
the sources keep their own bytes in dossier.json and the cache. The result is plain
text: the templates still escape it. Article bodies get the same rules in their text
nodes when they become Pelican articles (``bodytypo``). Applying them twice gives what
applying them once gave: rebuilds from the cache change nothing.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"  # before : ; ! ? », after «, inside dates
NNBSP = "\u202f"  # narrow: between the digit groups of a number (« 10 000 »)

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
_BEFORE_PUNCT = re.compile(r"[ \u00a0\u202f]+([?!:;»])")
_AFTER_QUOTE = re.compile(r"«[ \u00a0\u202f]+")
# A hyphen or dash standing alone between words is a French dash: « Dossier – Villes ».
_DASH = re.compile(r"(?<=\S)[ \u00a0\u202f]+[-\u2010\u2011\u2012\u2013\u2014]+ +(?=\S)")
_GROUPS = re.compile(r"(?<![\d,.])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,])")
_GROUP_SPACE = re.compile(r"[ \u00a0]")
_UNIT = re.compile(r"(?<=\d) ([%€$])")
_DAY_MONTH = re.compile(rf"(?<!\d)(\d{{1,2}}|1er) ({MONTHS})\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b({MONTHS}) (\d{{4}})\b", re.IGNORECASE)


def typo_fr(text: str | None) -> str:
    """French spacing and dashes: « x », x ?, x : y, 10 000, 24 septembre 2019, A – B."""
    text = _DASH.sub(f"{NBSP}– ", text or "")
    text = _BEFORE_PUNCT.sub(f"{NBSP}\\1", text)
    text = _AFTER_QUOTE.sub(f"«{NBSP}", text)
    text = _GROUPS.sub(lambda m: _GROUP_SPACE.sub(NNBSP, m.group(0)), text)
    text = _UNIT.sub(f"{NBSP}\\1", text)
    return dates_fr(text)


def dates_fr(text: str) -> str:
    """Glue a written-out date together: « 24 septembre 2019 » never breaks."""
    text = _DAY_MONTH.sub(f"\\1{NBSP}\\2", text)
    return _MONTH_YEAR.sub(f"\\1{NBSP}\\2", text)
