"""Failure reasons for readers: the build's English reason → plain French, from a table.

The build records reasons in English (``FetchError.reason``, discovery's problems):
the terminal and dossier.json keep them as they are, for whoever debugs. The site
shows readers the French of ``reasons.toml`` instead (Jinja filter ``reason_fr``), and
the end-of-build summary asks ``is_network`` whether to suggest building offline.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

logger = logging.getLogger(__name__)

TABLE = Path(__file__).with_name("reasons.toml")
UNKNOWN = "erreur inattendue"
_FIELD = re.compile(r"\{(\w+)\}")


class ReasonTableError(ValueError):
    """reasons.toml is malformed; the message names the rule."""


@dataclass(frozen=True)
class ReasonRule:
    """One line of the table: an English pattern, its French, and whether it is the network."""

    pattern: re.Pattern[str]
    fr: str
    network: bool = False


@cache
def load_table(path: Path = TABLE) -> tuple[ReasonRule, ...]:
    """The rules of ``path``, in order; a bad rule stops the build with its number."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(_rule(path, n, raw) for n, raw in enumerate(data.get("reason", []), 1))


def _rule(path: Path, number: int, raw: dict) -> ReasonRule:
    where = f"{path.name}, rule {number}"
    try:
        pattern = re.compile(raw["pattern"])
        rule = ReasonRule(pattern, str(raw["fr"]), bool(raw.get("network", False)))
    except (KeyError, re.error) as exc:
        raise ReasonTableError(f"{where}: {exc}") from exc
    unknown = set(_FIELD.findall(rule.fr)) - set(pattern.groupindex)
    if unknown:
        raise ReasonTableError(f"{where}: {sorted(unknown)} not a group of the pattern")
    return rule


def find_rule(reason: str) -> tuple[ReasonRule, re.Match[str]] | None:
    """The first rule whose pattern is found in ``reason``, with its match."""
    for rule in load_table():
        match = rule.pattern.search(reason)
        if match:
            return rule, match
    return None


def reason_fr(reason: str | None) -> str:
    """What readers are told: the table's French for an English reason."""
    found = find_rule((reason or "").strip())
    if found is None:
        logger.debug("no French for the reason %r", reason)
        return UNKNOWN
    rule, match = found
    values = {k: v or "" for k, v in match.groupdict().items()}
    if "reason" in values:
        values["reason"] = reason_fr(values["reason"])
    return _FIELD.sub(lambda m: values[m.group(1)], rule.fr)


def is_network(reason: str | None) -> bool:
    """True when the reason means the network or the site could not be reached."""
    found = find_rule((reason or "").strip())
    if found is None:
        return False
    rule, match = found
    inner = match.groupdict().get("reason")
    return rule.network or (inner is not None and is_network(inner))
