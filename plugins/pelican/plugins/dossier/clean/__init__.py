"""Clean: the article without the site around it, with its metadata, sanitised.

``cleaner`` is the entry point; ``extract`` (generic scorer), ``dom``, ``metadata``,
``dates``, ``markers``, ``rewrite`` and ``sanitize`` do the work; ``rules`` reads the
per-host rule files (``rules/*.toml``); ``workers`` cleans pages as they arrive;
``identity`` settles which cleaned entries are one article (canonical URLs).
"""

from .cleaner import clean, extract_text, load_rules, summarize
from .identity import settle
from .rules import Rule, RuleSet
from .workers import PageCleaner, worker_count

__all__ = [
    "PageCleaner",
    "Rule",
    "RuleSet",
    "clean",
    "extract_text",
    "load_rules",
    "settle",
    "summarize",
    "worker_count",
]
