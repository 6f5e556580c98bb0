"""French typography inside published article bodies: text nodes only, French only."""

from __future__ import annotations

import logging
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree, html
from pelican.plugins.dossier.clean.sanitize import sanitize
from pelican.plugins.dossier.model import Cleaned
from pelican.plugins.dossier.publish.articles import other_language, published_body
from pelican.plugins.dossier.publish.bodytypo import UnreadableBody, is_french, typo_body
from pelican.plugins.dossier.publish.feeds import feed_html
from pelican.plugins.dossier.publish.typo import typo_fr

NBSP, NNBSP = "\u00a0", "\u202f"

# A body of our own with every rule, and everything the rules must not reach.
BODY = (
    "<h2>Pourquoi agir ?</h2>"
    "<p>Trois raisons : le coût, la sobriété ; la confiance ! Le guide « Villes » le dit.</p>"
    "<p>Une commune de 10 000 habitants, le 24 septembre 2019, 30 % de moins et 5 € par an.</p>"
    "<p>Le dossier - Villes et territoires, un rond-point et le Covid-19.</p>"
    '<p>Voir <a href="http://exemple.fr:8080/page?a=1&amp;b=2" title="Une question ?">'
    "la page</a> : http://exemple.fr:8080/guide, ouverte de 9:30 à 14:05, ratio 3:1.</p>"
    "<pre>port : 8080 ; 10 000 - 20 000</pre>"
    "<p>Réglez <code>mode : strict</code>, tapez <kbd>Ctrl - C</kbd>, lisez "
    "<samp>erreur : 404</samp> et <var>x ?</var></p>"
)


def texts(markup: str) -> list[str]:
    """The text of each element and tail, in order, as a parser reads it."""
    root = html.fragment_fromstring(markup, create_parent="div")
    return [t for e in root.iter() for t in (e.text, e.tail) if t]


def markup_of(markup: str) -> list[tuple[str, dict[str, str]]]:
    """Every element with its attributes, in order: what typography must never change."""
    root = html.fragment_fromstring(markup, create_parent="div")
    return [(str(e.tag), dict(e.attrib)) for e in root.iter()]


def element_text(markup: str, tag: str) -> str:
    root = html.fragment_fromstring(markup, create_parent="div")
    return "".join(root.find(f".//{tag}").itertext())


def test_each_rule_reaches_the_body_text() -> None:
    done = typo_body(BODY)
    assert f"Pourquoi agir{NBSP}?" in done
    assert f"raisons{NBSP}: le coût, la sobriété{NBSP}; la confiance{NBSP}!" in done
    assert f"«{NBSP}Villes{NBSP}»" in done
    assert f"10{NNBSP}000 habitants" in done
    assert f"24{NBSP}septembre{NBSP}2019" in done
    assert f"30{NBSP}% de moins et 5{NBSP}€" in done
    assert f"dossier{NBSP}– Villes" in done
    assert "rond-point et le Covid-19" in done  # hyphens inside words stay


def test_code_urls_times_and_attributes_are_left_as_written() -> None:
    done = typo_body(BODY)
    assert markup_of(done) == markup_of(BODY)  # same elements, same attribute values
    for tag, text in [
        ("pre", "port : 8080 ; 10 000 - 20 000"),
        ("code", "mode : strict"),
        ("kbd", "Ctrl - C"),
        ("samp", "erreur : 404"),
        ("var", "x ?"),
    ]:
        assert element_text(done, tag) == text
    assert f"la page</a>{NBSP}: http://exemple.fr:8080/guide," in done
    assert "de 9:30 à 14:05, ratio 3:1." in done
    assert 'title="Une question ?"' in done and "a=1&amp;b=2" in done


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ("<p><em>Dossier</em> - Villes</p>", f"<p><em>Dossier</em>{NBSP}– Villes</p>"),
        (
            "<p><strong>30</strong> % des communes</p>",
            f"<p><strong>30</strong>{NBSP}% des communes</p>",
        ),
        (
            "<p>le <b>24</b> septembre <i>2019</i></p>",
            f"<p>le <b>24</b>{NBSP}septembre{NBSP}<i>2019</i></p>",
        ),
        ("<p>le 1<sup>er</sup> mai</p>", f"<p>le 1<sup>er</sup>{NBSP}mai</p>"),
        ("<p><b>10</b> <b>000</b> habitants</p>", f"<p><b>10</b>{NNBSP}<b>000</b> habitants</p>"),
        ("<p>voir <a>ce guide</a> : il</p>", f"<p>voir <a>ce guide</a>{NBSP}: il</p>"),
        ("<p>«<em> Villes </em>»</p>", f"<p>«<em>{NBSP}Villes{NBSP}</em>»</p>"),
    ],
)
def test_rules_read_across_inline_elements_without_moving_them(body: str, shown: str) -> None:
    assert typo_body(body) == shown


@pytest.mark.parametrize(
    "body",
    [
        "<ul><li>Dossier</li><li>- Villes</li></ul>",  # a block ends the line
        "<p>Dossier<br>- Villes</p>",
        "<p><code>30</code> %</p>",  # verbatim text is no context either
        "<p>Texte sans rien à reprendre, à 14:05.</p>",
    ],
)
def test_nothing_to_do_gives_the_same_string(body: str) -> None:
    assert typo_body(body) is body


def test_leading_whitespace_and_empty_bodies_are_kept() -> None:
    assert typo_body("\n  <p>Quoi ?</p>") == f"\n  <p>Quoi{NBSP}?</p>"
    assert typo_body("") == "" and typo_body(" \n") == " \n"


def test_applying_twice_equals_applying_once() -> None:
    once = typo_body(BODY)
    assert once != BODY and typo_body(once) == once


def test_no_break_spaces_survive_the_render_sanitiser_and_the_feed() -> None:
    done = typo_body(BODY)
    for published in (sanitize(done, site="http://127.0.0.1:9"), feed_html(done, "http://x/")):
        assert texts(published) == texts(done)
        assert published.count("&nbsp;") == done.count(NBSP) > 5
        assert published.count(NNBSP) == done.count(NNBSP) == 1
    atom = etree.Element("content", type="html")
    atom.text = feed_html(done, "http://x/")  # as feedxml writes it: escaped HTML
    assert etree.fromstring(etree.tostring(atom)).text == atom.text


@pytest.mark.parametrize(
    ("lang", "default", "french"),
    [
        ("fr", "en", True),
        ("fr-FR", None, True),
        ("FR_ca", None, True),
        (None, "fr", True),
        ("", "fr", True),
        ("en", "fr", False),
        ("en-GB", "fr", False),
        (None, "en", False),
        ("français", "fr", False),  # not a language tag
    ],
)
def test_is_french(lang: str | None, default: str | None, french: bool) -> None:
    assert is_french(lang, default) is french


def _cleaned(body: str, lang: str | None) -> Cleaned:
    return Cleaned(title="Titre", html=body, text="", lang=lang)


def test_published_body_follows_the_article_language() -> None:
    site = {"DEFAULT_LANG": "fr"}
    assert published_body(_cleaned(BODY, "fr-FR"), "http://a/", site) == typo_body(BODY)
    assert published_body(_cleaned(BODY, None), "http://a/", site) == typo_body(BODY)
    assert published_body(_cleaned(BODY, "en"), "http://a/", site) == BODY  # left alone
    assert published_body(_cleaned(BODY, None), "http://a/", {"DEFAULT_LANG": "en"}) == BODY


def test_a_body_that_cannot_be_retouched_is_published_as_cleaned(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = "<p>Un caractère \x0b interdit : le voici.</p>"  # XML refuses it in a text node
    with caplog.at_level(logging.WARNING):
        assert published_body(_cleaned(body, "fr"), "http://a/b", {}) == body
    assert "http://a/b" in caplog.text


def nested(depth: int) -> str:
    return f"<p>Avant : voici.</p>{'<div>' * depth}Au fond ?{'</div>' * depth}<p>Après ?</p>"


def test_a_deep_body_comes_back_whole() -> None:
    body = nested(600)  # libxml2 drops what lies past 256 levels unless told otherwise
    done = typo_body(body)
    assert done.count("<div>") == done.count("</div>") == 600
    assert f"Au fond{NBSP}?" in done and f"Après{NBSP}?" in done


@pytest.mark.parametrize(
    "body",
    [nested(3000), "<p>Un <b>gras : </p> mal fermé</b>"],  # past libxml2's limit; tags crossed
)
def test_a_body_the_parser_would_change_is_not_retouched(
    body: str, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(UnreadableBody):
        typo_body(body)
    with caplog.at_level(logging.WARNING):
        assert published_body(_cleaned(body, "fr"), "http://a/profond", {}) is body
    assert "http://a/profond" in caplog.text


# ------------------------------------------------------------------ properties

PIECES = [" ", NBSP, NNBSP, ":", ";", "?", "!", "«", "»", "-", "–", "—", "%", "€", ",", "1"]
PIECES += ["0", "24", "000", "2019", "1er", "septembre", "mot", "http://x:80", "14:05"]
INLINE_TAGS = ["em", "strong", "a", "sup", "code", "br", "span"]


@st.composite
def bodies(draw: st.DrawFn) -> str:
    """A paragraph of the rules' raw material, split by random inline elements."""
    words = draw(st.lists(st.sampled_from(PIECES), max_size=16))
    parts = ["<p>"]
    for word in words:
        tag = draw(st.sampled_from([None, None, *INLINE_TAGS]))
        if tag is None:
            parts.append(word)
        elif tag == "br":
            parts.append(f"<br>{word}")
        else:
            parts.append(f"<{tag}>{word}</{tag}>")
    return "".join(parts) + "</p>"


@settings(max_examples=300, deadline=None)
@given(bodies())
def test_typo_body_is_idempotent_and_keeps_the_markup(body: str) -> None:
    once = typo_body(body)
    assert typo_body(once) == once
    assert markup_of(once) == markup_of(body)
    root = html.fragment_fromstring(once, create_parent="div")
    before = html.fragment_fromstring(body, create_parent="div")
    assert [c.text for c in root.iter("code")] == [c.text for c in before.iter("code")]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, " ", " "]), max_size=12).map("".join))
def test_typo_fr_is_idempotent(text: str) -> None:
    once = typo_fr(text)
    assert typo_fr(once) == once


def test_typo_fr_dash_after_a_narrow_space_is_settled_at_once() -> None:
    # Found by the property above: the dash rule did not see a narrow no-break space.
    assert typo_fr(f"« {NNBSP}- 2") == f"«{NBSP}– 2" == typo_fr(typo_fr(f"« {NNBSP}- 2"))


def test_times_and_urls_get_no_space_before_their_colon() -> None:
    for text in ("http://exemple.fr:8080/a", "à 14:05", "3:1", "mailto:a@b.fr", "x::y"):
        assert typo_fr(text) == text
    assert re.search(" :", typo_fr("Note : voir http://exemple.fr:80")) is None


@pytest.mark.parametrize(
    ("lang", "default", "shown"),
    [
        ("en", "fr", "en"),
        ("en_GB", "fr", "en-gb"),
        ("fr-CA", "fr", None),
        ("FR", "fr", None),
        (None, "fr", None),
        ("", "fr", None),
        ('en" onload="x', "fr", None),
        ("english", "fr", None),
        ("de", "de-DE", None),
    ],
)
def test_other_language_names_a_well_formed_foreign_language_only(
    lang: str | None, default: str, shown: str | None
) -> None:
    assert other_language(lang, default) == shown
