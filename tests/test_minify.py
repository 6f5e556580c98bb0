"""The theme's CSS and JS are served minified: smaller, same behaviour, stable on rebuilds."""

from __future__ import annotations

from pathlib import Path

import pytest
from pelican.plugins.dossier.publish.minify import minify_text, minify_theme

ROOT = Path(__file__).resolve().parent.parent
THEME_STATIC = ROOT / "theme" / "static"

STYLE = """/* The cards: one column on phones. */
.cards {
  display: grid;   /* grid, not flex */
  gap: 1rem;
}
a[href^="http"]::after { content: " /* not a comment */ "; }
"""

SCRIPT = """// Counts the cards.
(function () {
  "use strict";
  /* a block comment */
  var text = "// not a comment";
  var pattern = /\\/\\*keep\\*\\//g;
  return text.replace(pattern, "");
})();
"""


def test_css_loses_comments_and_spaces_but_keeps_strings() -> None:
    minified = minify_text(STYLE, ".css")
    assert "The cards" not in minified and "grid, not flex" not in minified
    assert ".cards{display:grid;gap:1rem}" in minified
    assert '" /* not a comment */ "' in minified
    assert len(minified) < len(STYLE)


def test_js_loses_comments_but_keeps_strings_and_regular_expressions() -> None:
    minified = minify_text(SCRIPT, ".js")
    assert "Counts the cards" not in minified and "block comment" not in minified
    assert '"// not a comment"' in minified
    assert "/\\/\\*keep\\*\\//g" in minified
    assert '"use strict"' in minified


@pytest.mark.parametrize("source", sorted(THEME_STATIC.rglob("*.[cj]s*")), ids=lambda p: p.name)
def test_minifying_our_theme_is_idempotent(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    once = minify_text(text, source.suffix)
    assert len(once) < len(text)
    assert minify_text(once, source.suffix) == once


def test_minify_theme_rewrites_css_and_js_only_and_a_second_run_changes_nothing(
    tmp_path: Path,
) -> None:
    (tmp_path / "css").mkdir()
    (tmp_path / "js").mkdir()
    (tmp_path / "css" / "site.css").write_text(STYLE, encoding="utf-8")
    (tmp_path / "js" / "app.js").write_text(SCRIPT, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("/* left alone */\n", encoding="utf-8")
    saved = minify_theme(tmp_path)
    assert saved == len(STYLE) + len(SCRIPT) - sum(
        len(p.read_bytes()) for p in (tmp_path / "css" / "site.css", tmp_path / "js" / "app.js")
    )
    assert saved > 0
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "/* left alone */\n"
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert minify_theme(tmp_path) == 0
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_file_that_is_not_utf8_is_served_as_it_is(tmp_path: Path) -> None:
    odd = tmp_path / "odd.css"
    odd.write_bytes(b"/* \xff */ a { color: red; }")
    assert minify_theme(tmp_path) == 0
    assert odd.read_bytes() == b"/* \xff */ a { color: red; }"


def test_a_missing_static_folder_is_nothing_to_do(tmp_path: Path) -> None:
    assert minify_theme(tmp_path / "absent") == 0
