"""Each page in fixtures/pages/ is cleaned and checked against its .expected.toml."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import pytest
from pelican.plugins.dossier.clean.cleaner import clean
from pelican.plugins.dossier.model import Attachment, Cleaned

PAGES = Path(__file__).parent / "fixtures" / "pages"
CASES = sorted(PAGES.glob("*.expected.toml"))
EXACT = (
    "title",
    "author",
    "lang",
    "canonical_url",
    "lead_image",
    "dossier_title",
    "dossier_url",
    "announced",
    "listing_url",
)


def _load(expected_path: Path) -> tuple[dict, Cleaned]:
    expected = tomllib.loads(expected_path.read_text(encoding="utf-8"))
    page = expected_path.with_name(expected_path.name.replace(".expected.toml", ".html"))
    return expected, clean(page.read_text(encoding="utf-8"), expected["url"])


@pytest.fixture(params=CASES, ids=[p.name.split(".")[0] for p in CASES])
def case(request: pytest.FixtureRequest) -> tuple[dict, Cleaned]:
    return _load(request.param)


def test_there_are_cases() -> None:
    assert len(CASES) >= 6


def test_exact_fields(case: tuple[dict, Cleaned]) -> None:
    expected, cleaned = case
    for name in EXACT:
        if name in expected:
            assert getattr(cleaned, name) == expected[name], name
    for name in expected.get("none", []):
        assert getattr(cleaned, name) is None, name


def test_dates(case: tuple[dict, Cleaned]) -> None:
    expected, cleaned = case
    for name in ("published", "updated"):
        if name in expected:
            value = getattr(cleaned, name)
            assert isinstance(value, datetime) and value.tzinfo is not None, name
            assert value == expected[name], name


def test_summary(case: tuple[dict, Cleaned]) -> None:
    expected, cleaned = case
    assert cleaned.summary.startswith(expected["summary_prefix"])
    assert len(cleaned.summary) <= 300


def test_kept_and_dropped_phrases(case: tuple[dict, Cleaned]) -> None:
    expected, cleaned = case
    for phrase in expected.get("keep", []):
        assert phrase in cleaned.text, phrase
    for phrase in expected.get("drop", []):
        assert phrase not in cleaned.text, phrase
        assert phrase not in cleaned.html, phrase
    if "first_line" in expected:
        assert cleaned.text.split("\n")[0] == expected["first_line"]


def test_html_structure(case: tuple[dict, Cleaned]) -> None:
    expected, cleaned = case
    for fragment in expected.get("html_contains", []):
        assert fragment in cleaned.html, fragment
    for fragment in expected.get("html_absent", []):
        assert fragment not in cleaned.html, fragment
    assert "<h1" not in cleaned.html
    assert cleaned.title and cleaned.title not in cleaned.text.split("\n")


def test_attachments(case: tuple[dict, Cleaned]) -> None:
    expected, cleaned = case
    wanted = tuple(Attachment(**item) for item in expected.get("attachments", []))
    assert cleaned.attachments == wanted
