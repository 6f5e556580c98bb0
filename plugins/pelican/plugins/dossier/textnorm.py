"""French text normalisation for the theme tagger: fold, split, drop stopwords, stem.

The pipeline is tuned for speed: the text is case-folded and split by one regex, and
everything else (accents, ligatures, elisions, stopwords, stemming) is computed once
per distinct word and memoised: a corpus has far fewer words than tokens.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version

import snowballstemmer

# Words are runs of letters and digits (``\w``, so accented letters too); apostrophes
# and hyphens split. What is left of an elision (the « l » of « l'eau ») is dropped.
_WORD_RE = re.compile(r"\w+")
ELISIONS = frozenset(
    ["c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"]
)

# Function words carry no theme; dropping them lets « gestion des réseaux » match
# « gestion du réseau ». Written unaccented, as they are after folding.
STOPWORDS = frozenset(
    """
    a au aux avec ce ces cet cette dans de des du elle elles en est et etre il ils
    je la le les leur leurs lui ma mais me meme mes moi mon ne ni nos notre nous on
    ont ou par pas pour qu que qui sa se ses si son sont sur ta te tes toi ton tu un
    une vos votre vous y ete sous vers chez comme dont ainsi aussi tres plus
    tout tous toute toutes cela ceci celle celles celui ceux donc car or
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def _fold_table() -> dict[int, str]:
    """Build the translate table: accents off, ligatures open, apostrophes unified."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base.isascii() and base.isalpha() and base != chr(code):
            table[code] = base.lower()
    table.update({ord("œ"): "oe", ord("æ"): "ae", ord("ß"): "ss"})
    for quote in "’ʼ‘′`´":
        table[ord(quote)] = "'"
    return table


_FOLD = _fold_table()


# Feminine forms of nouns of agents and roles share their masculine's stem:
# « médiatrice » → « médiateur », « conseillère » → « conseiller », « cheffe » → « chef ».
# Short words are left alone (« mère » is not « mer »). Bump NORM_REVISION when this changes:
# stems kept between builds depend on it.
_FEMININE = (("trices", "teurs"), ("trice", "teur"), ("eres", "ers"), ("ere", "er"))
_FEMININE_MIN = 6
# Feminine participles: the stemmer keeps an « e » (« éloignées » → « eloigne », « éloignés »
# → « eloign »). Only long words: short -ée nouns (« donnée », « entrée ») have no masculine.
_PARTICIPLES = (("ees", "es"), ("ee", "e"))
_PARTICIPLE_MIN = 8
_FEMININE_WORDS = {"cheffe": "chef", "cheffes": "chefs"}
# Words the stemmer cuts down to another word's stem (« pétition » → « petit »): kept whole.
_OVERSTEMMED = {"petition": "petition", "petitions": "petition"}
NORM_REVISION = "fem2"


def masculine(folded: str) -> str:
    """The masculine form of a folded feminine agent noun, else the word itself."""
    if folded in _FEMININE_WORDS:
        return _FEMININE_WORDS[folded]
    if len(folded) >= _PARTICIPLE_MIN:
        for ending, replacement in _PARTICIPLES:
            if folded.endswith(ending):
                return folded[: -len(ending)] + replacement
    if len(folded) >= _FEMININE_MIN:
        for ending, replacement in _FEMININE:
            if folded.endswith(ending):
                return folded[: -len(ending)] + replacement
    return folded


class _StemMemo(dict[str, str]):
    """Case-folded word -> folded stem, computed once per distinct word; '' to drop it."""

    def __init__(self) -> None:
        super().__init__()
        self._stemmer = snowballstemmer.stemmer("french")

    def __missing__(self, word: str) -> str:
        folded = word.translate(_FOLD)
        dropped = folded in STOPWORDS or folded in ELISIONS
        stem = self[word] = "" if dropped else _stem(self._stemmer, folded)
        return stem


def _stem(stemmer: snowballstemmer.stemmer, folded: str) -> str:
    return _OVERSTEMMED.get(folded) or stemmer.stemWord(masculine(folded))


class Stemmer:
    """Stems of texts, each distinct word worked out once and remembered.

    One per build: the taxonomy holds it, the tagger and « À lire aussi » use it, and
    the pipeline carries what it learnt to the next build (``known``, ``Stemmer(known)``).
    """

    def __init__(self, known: Mapping[str, str] | None = None) -> None:
        self._memo = _StemMemo()
        self._memo.update(known or {})

    def __call__(self, text: str) -> list[str]:
        """Normalised, stemmed words of text, without stopwords, in order."""
        # Folding happens per distinct word inside the memo, not per character of the
        # text: str.translate over a whole article costs more than everything else.
        lookup = self._memo.__getitem__
        return [stem for stem in map(lookup, _WORD_RE.findall(text.casefold())) if stem]

    def known(self) -> dict[str, str]:
        """Every word stemmed so far, to keep for the next build."""
        return dict(self._memo)


def stemmer_version() -> str:
    """The installed stemmer's version and our folding's: stems kept between builds depend on it."""
    try:
        return f"{version('snowballstemmer')}+{NORM_REVISION}"
    except PackageNotFoundError:
        return f"unknown+{NORM_REVISION}"


def normalise(text: str) -> str:
    """Case-fold and strip accents; œ/æ opened; typographic apostrophes made plain."""
    return text.casefold().translate(_FOLD)


def words(text: str) -> list[str]:
    """Split text into normalised words: elisions removed, hyphens and punctuation split."""
    return [word for word in _WORD_RE.findall(normalise(text)) if word not in ELISIONS]


def stems(text: str) -> list[str]:
    """Normalised, stemmed words of text, without stopwords, in order (one-off Stemmer)."""
    return Stemmer()(text)
