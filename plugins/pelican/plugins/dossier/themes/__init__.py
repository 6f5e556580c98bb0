"""Themes: tag each article with the dossier's themes, correct by hand, relate.

``tagger`` scores texts against the ``taxonomy`` (read from its TOML file) with the
package's French normalisation (``textnorm``); ``corrections`` applies the hand corrections;
``related`` finds « À lire aussi » and the theme co-occurrence table.
"""

from .corrections import Corrections, CorrectionsError, apply_corrections, load_corrections
from .related import cooccurrence, related
from .tagger import scores, tag
from .taxonomy import Taxonomy, TaxonomyError, Term, Theme, load_taxonomy

__all__ = [
    "Corrections",
    "CorrectionsError",
    "Taxonomy",
    "TaxonomyError",
    "Term",
    "Theme",
    "apply_corrections",
    "cooccurrence",
    "load_corrections",
    "load_taxonomy",
    "related",
    "scores",
    "tag",
]
