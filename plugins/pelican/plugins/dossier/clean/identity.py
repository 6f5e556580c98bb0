"""Canonical identity: the URL each article is known by, and which entries are one article.

A page's ``<link rel=canonical>`` is a claim made by a source we do not control. It is
honoured only on the page's own site (its host or an allowed host, over http or https)
and when no other article holds that URL: another listed article's address is that
article's, and a page naming it takes its place only when both pages hold the same
article (the same text at two addresses, a node path beside its alias). Any other claim
is ignored with a warning naming both URLs, and the claimant keeps its own address.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from urllib.parse import urlsplit

from ..fetch.acceptance import kinship
from ..fetch.netsafety import is_allowed
from ..model import Entry
from ..urls import host_of, url_key

logger = logging.getLogger(__name__)

SAME_ARTICLE = 0.9  # share of each text found in the other for two pages to be one article


def settle(entries: list[Entry], allowed_hosts: tuple[str, ...]) -> list[Entry]:
    """One entry per article, each with a canonical URL it may claim (in input order)."""
    owners: dict[str, int] = {}
    for index, entry in enumerate(entries):
        for key in own_keys(entry):
            owners.setdefault(key, index)
    kept: list[Entry] = []
    held: dict[str, Entry] = {}  # url key -> the kept entry known by it
    for index, entry in enumerate(entries):
        keys = own_keys(entry)
        if any(owners[key] < index or key in held for key in keys):
            logger.info("%s duplicates an article already collected", entry.source_url)
            continue
        entry = _checked_claim(entry, index, entries, owners, held, allowed_hosts)
        if entry is None:
            continue
        for key in (*own_keys(entry), *_claim_keys(entry)):
            held.setdefault(key, entry)
        kept.append(entry)
    return kept


def own_keys(entry: Entry) -> set[str]:
    """The keys of the addresses an entry was listed at and fetched from."""
    return {url_key(entry.source_url), url_key(entry.fetched.final_url)}


def _claim_keys(entry: Entry) -> set[str]:
    claim = entry.cleaned.canonical_url if entry.cleaned else None
    return {url_key(claim)} if claim else set()


def _checked_claim(
    entry: Entry,
    index: int,
    entries: list[Entry],
    owners: dict[str, int],
    held: dict[str, Entry],
    allowed_hosts: tuple[str, ...],
) -> Entry | None:
    """The entry with its claim honoured or dropped; None when it is a duplicate."""
    claim = entry.cleaned.canonical_url if entry.cleaned else None
    try:
        key = url_key(claim) if claim else ""
        same_site = bool(claim) and _same_site(claim, entry, allowed_hosts)  # type: ignore[arg-type]
    except ValueError:  # a port out of range, a broken IPv6 literal
        return _ignored(entry, claim or "", "is not a valid URL")
    if not claim or key in own_keys(entry):
        return entry
    if not same_site:
        return _ignored(entry, claim, "names another site")
    other = entries[owners[key]] if owners.get(key, index) != index else held.get(key)
    if other is None:
        return entry
    if same_article(entry, other):
        logger.info("%s duplicates %s (its canonical URL)", entry.source_url, other.source_url)
        return entry if entry.plaquette else None  # the lead stays; the other goes
    return _ignored(entry, claim, f"is the address of another article ({other.source_url})")


def _same_site(claim: str, entry: Entry, allowed_hosts: tuple[str, ...]) -> bool:
    if urlsplit(claim).scheme not in ("http", "https"):
        return False
    return host_of(claim) == host_of(entry.fetched.final_url) or is_allowed(claim, allowed_hosts)


def same_article(one: Entry, other: Entry) -> bool:
    """Do two entries hold the same article (nearly the same text both ways)?"""
    if one.cleaned is None or other.cleaned is None:
        return False
    a, b = one.cleaned.text, other.cleaned.text
    return a == b or min(kinship(a, b), kinship(b, a)) >= SAME_ARTICLE


def _ignored(entry: Entry, claim: str, why: str) -> Entry:
    logger.warning(
        "%s claims the canonical URL %s, which %s: claim ignored, published under its own URL",
        entry.source_url,
        claim,
        why,
    )
    cleaned = replace(entry.cleaned, canonical_url=None)  # type: ignore[arg-type]
    return replace(entry, cleaned=cleaned)
