"""Every fetched value reaches the pages escaped, and every published URL is http(s).

Pelican runs for real on a hand-made dossier whose every fetched field is hostile: a
title, summary, author, stale reason, theme term and dossier title with markup; a
``javascript:`` canonical link, attachment and dossier link; a body that skipped the
sanitiser (as an old cache could hold); a source address built to break the security
policy. The scan of tests/hostile.py must find nothing executable in any output file.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hostile import scan_output
from pelican import Pelican
from pelican.plugins.dossier import glue
from pelican.plugins.dossier.glue import jinja_environment
from pelican.plugins.dossier.model import (
    Attachment,
    Cleaned,
    DossierInfo,
    Entry,
    Fetched,
    ThemeMatch,
)
from pelican.plugins.dossier.pipeline import DossierResult
from pelican.plugins.dossier.themes import cooccurrence, load_taxonomy
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
SITEURL = "http://127.0.0.1:9"
SOURCE = "https://www.cerema.fr/fr/actualites/"
MARKUP = "\"'><script>alert(1)</script><img src=x onerror=alert(2)>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
SCRIPT_URL = "javascript:alert(document.domain)"
# Parsed by urllib.parse as host www.cerema.fr: the old template wrote it into img-src.
POLICY_BREAKER = "https://x; script-src 'unsafe-inline'@www.cerema.fr/fr/actualites/b"
UNSANITISED = (
    '<script>alert(3)</script><p onclick="alert(4)">Texte <a href="javascript:x">lien</a></p>'
)


def hostile_entry(slug: str, final_url: str, body: str, stale: bool) -> Entry:
    url = f"{SOURCE}{slug}"
    fetched = Fetched(
        url,
        final_url,
        "stale" if stale else "fetched",
        200,
        text="<html></html>",
        reason=MARKUP if stale else "",
        fetched_at=datetime(2025, 6, 2, 8, 0, tzinfo=UTC),
    )
    cleaned = Cleaned(
        title=f"Titre {slug} {MARKUP}",
        html=body,
        text=f"texte {slug}",
        summary=MARKUP,
        published=datetime(2024, 3, 5, 9, 0, tzinfo=UTC),
        author=MARKUP,
        canonical_url=SCRIPT_URL,
        attachments=(
            Attachment(SCRIPT_URL, MARKUP, "application/pdf", 1000),
            Attachment("data:application/pdf;base64,JVBERi0=", MARKUP, "application/pdf"),
            Attachment(SOURCE + "doc.pdf", MARKUP, "application/pdf", 2000),
        ),
    )
    themes = (ThemeMatch("donnees", 2.5, (MARKUP,)),)
    return Entry(url, fetched, cleaned, themes, plaquette=slug == "a")


def hostile_result() -> DossierResult:
    taxonomy = load_taxonomy(ROOT / "content" / "themes.toml")
    info = DossierInfo(MARKUP, SCRIPT_URL, None, 2)
    entries = [
        hostile_entry("a", SOURCE + "a", UNSANITISED, stale=False),
        hostile_entry("b", POLICY_BREAKER, "<p>Texte sain.</p>", stale=True),
    ]
    matrix = cooccurrence([[m.slug for m in e.themes] for e in entries], taxonomy.slugs)
    return DossierResult(info, entries, taxonomy, [], [MARKUP], matrix)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("escaping") / "out"
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(glue, "build_dossier", lambda settings: hostile_result())
        override = {
            "OUTPUT_PATH": str(output),
            "DOSSIER_PROGRESS": False,
            "DOSSIER_SEARCH": False,
            "DOSSIER_CACHE_PATH": str(output.parent / "cache"),
            "SITEURL": SITEURL,
            "FEED_DOMAIN": SITEURL,
            "RELATIVE_URLS": False,  # absolute links everywhere: the strictest to check
        }
        Pelican(read_settings(str(ROOT / "pelicanconf.py"), override=override)).run()
    return output


def test_autoescape_is_forced_on_whatever_the_configuration() -> None:
    assert jinja_environment({"autoescape": False, "trim_blocks": True}) == {
        "autoescape": True,
        "trim_blocks": True,
    }
    assert jinja_environment(None) == {"autoescape": True}


def test_nothing_executable_in_any_output_file(site: Path) -> None:
    assert sorted(p.name for p in site.glob("articles/*")) == ["a", "b"]
    assert scan_output(site, SITEURL) == []


def test_fetched_text_is_shown_escaped_once(site: Path) -> None:
    page = (site / "articles" / "b" / "index.html").read_text(encoding="utf-8")
    assert page.count(ESCAPED) >= 4  # title, author, stale reason, theme term…
    assert "&amp;lt;" not in page  # …and never escaped twice
    hub = (site / "index.html").read_text(encoding="utf-8")
    assert ESCAPED in hub and "&amp;lt;" not in hub


def test_a_body_that_skipped_the_sanitiser_is_sanitised_at_render(site: Path) -> None:
    page = (site / "articles" / "a" / "index.html").read_text(encoding="utf-8")
    assert '<p>Texte <a rel="noopener noreferrer">lien</a></p>' in page
    assert "alert(3)" not in page and "alert(4)" not in page


def test_only_http_links_and_no_source_origin_are_published(site: Path) -> None:
    page = (site / "articles" / "b" / "index.html").read_text(encoding="utf-8")
    # The canonical claim was javascript:, the address read is not a plain URL: neither
    # is published, and the security policy names no source origin at all.
    assert '<link rel="canonical" href="https://www.cerema.fr/fr/actualites/b">' not in page
    assert "unsafe-inline" not in page
    assert "img-src 'self' http://127.0.0.1:9 data:;" in page
    good = (site / "articles" / "a" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{SOURCE}a">' in good
    # Images are our own copies (document.images): no page lets the source's origin in.
    assert "img-src 'self' http://127.0.0.1:9 data:;" in good
    assert good.count(f'href="{SOURCE}doc.pdf"') == 1  # the one http(s) attachment
