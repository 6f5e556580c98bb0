"""Per-host extraction rules, kept as TOML data files (one per host, like Wallabag's).

``rules/default.toml`` applies to every page; a host's own file adds to it. Keys:
``hosts`` (list), ``sample`` (a page in tests/fixtures/pages/), ``body`` (CSS selectors
tried in order: the first that matches gives the article), ``strip`` / ``date`` /
``author`` (CSS selectors), ``boilerplate`` (regexes matched against a whole
block's text), ``related`` (regexes matched at the start of a short label: « Read also »,
« Lesen Sie auch »; the label goes with the links it introduces) and ``[markers]``
(``dossier``, ``listing`` with a ``count`` group, ``attachment``: phrases removed from
the text but kept as metadata).
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cssselect import SelectorError
from lxml.cssselect import CSSSelector

logger = logging.getLogger(__name__)

SHIPPED = Path(__file__).with_name("rules")
DEFAULT_NAME = "default"
SELECTOR_KEYS = ("body", "strip", "date", "author")
MARKER_KEYS = ("dossier", "listing", "attachment")
KNOWN_KEYS = frozenset(("hosts", "sample", "boilerplate", "related", "markers", *SELECTOR_KEYS))


class RuleError(ValueError):
    """A rule file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Rule:
    """Extraction hints for some hosts (or every host, for the default rule)."""

    name: str
    hosts: tuple[str, ...] = ()
    sample: str | None = None
    body: tuple[CSSSelector, ...] = ()
    strip: tuple[CSSSelector, ...] = ()
    date: tuple[CSSSelector, ...] = ()
    author: tuple[CSSSelector, ...] = ()
    boilerplate: tuple[re.Pattern[str], ...] = ()
    related: tuple[re.Pattern[str], ...] = ()
    markers: dict[str, re.Pattern[str]] = field(default_factory=dict)

    def merged(self, other: Rule) -> Rule:
        """This rule extended by ``other`` (lists appended, markers overridden)."""
        return Rule(
            name=f"{self.name}+{other.name}",
            hosts=other.hosts,
            sample=other.sample,
            body=other.body or self.body,
            strip=self.strip + other.strip,
            date=other.date + self.date,
            author=other.author + self.author,
            boilerplate=self.boilerplate + other.boilerplate,
            related=self.related + other.related,
            markers={**self.markers, **other.markers},
        )


@dataclass(frozen=True)
class RuleSet:
    """The default rule plus host rules, looked up by URL."""

    default: Rule
    by_host: dict[str, Rule]

    def for_url(self, url: str) -> Rule:
        """The rule that applies to ``url``: default, extended by the host's own."""
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
        rule = self.by_host.get(host)
        return self.default if rule is None else self.default.merged(rule)


def load_rules(extra_dir: Path | None = None) -> RuleSet:
    """Read shipped rules, then ``extra_dir``'s (which win for the same host)."""
    default = Rule(DEFAULT_NAME)
    by_host: dict[str, Rule] = {}
    for folder in (SHIPPED, extra_dir):
        if folder is None:
            continue
        claimed: dict[str, Path] = {}
        for path in sorted(Path(folder).glob("*.toml")):
            rule = read_rule(path)
            if rule.name == DEFAULT_NAME:
                default = default.merged(rule) if folder != SHIPPED else rule
                continue
            for host in rule.hosts:
                if host in claimed:
                    raise RuleError(
                        f"{path}: hosts: {host!r} is already claimed by {claimed[host]}"
                    )
                claimed[host] = path
                by_host[host] = rule
    logger.debug("loaded %d host rules", len(by_host))
    return RuleSet(default, by_host)


def read_rule(path: Path) -> Rule:
    """Parse and validate one rule file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc}") from exc
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise RuleError(
            f"{path}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KNOWN_KEYS))})"
        )
    hosts = tuple(h.lower() for h in _strings(path, data, "hosts"))
    if path.stem != DEFAULT_NAME and not hosts:
        raise RuleError(f"{path}: hosts: a host rule needs at least one host")
    sample = data.get("sample")
    if sample is not None and not isinstance(sample, str):
        raise RuleError(f"{path}: sample: expected a file name, got {type(sample).__name__}")
    selectors = {key: _compile(path, key, _strings(path, data, key), _css) for key in SELECTOR_KEYS}
    patterns = {
        key: _compile(path, key, _strings(path, data, key), _regex)
        for key in ("boilerplate", "related")
    }
    return Rule(path.stem, hosts, sample, markers=_markers(path, data), **patterns, **selectors)


def _strings(path: Path, data: dict, key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{path}: {key}: expected a list of strings")
    return value


def _css(text: str) -> CSSSelector:
    return CSSSelector(text)


def _regex(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


def _compile(path: Path, key: str, values: list[str], build: Callable) -> tuple:
    compiled = []
    for value in values:
        try:
            compiled.append(build(value))
        except (SelectorError, re.error) as exc:
            raise RuleError(f"{path}: {key}: invalid {value!r}: {exc}") from exc
    return tuple(compiled)


def _markers(path: Path, data: dict) -> dict[str, re.Pattern[str]]:
    table = data.get("markers", {})
    if not isinstance(table, dict):
        raise RuleError(f"{path}: markers: expected a table")
    unknown = sorted(set(table) - set(MARKER_KEYS))
    if unknown:
        raise RuleError(
            f"{path}: markers.{unknown[0]}: unknown marker (known: {', '.join(MARKER_KEYS)})"
        )
    markers = {}
    for key, value in table.items():
        if not isinstance(value, str):
            raise RuleError(f"{path}: markers.{key}: expected a string")
        markers[key] = _compile(path, f"markers.{key}", [value], _regex)[0]
    listing = markers.get("listing")
    if listing is not None and "count" not in listing.groupindex:
        raise RuleError(f"{path}: markers.listing: the pattern needs a (?P<count>...) group")
    return markers
