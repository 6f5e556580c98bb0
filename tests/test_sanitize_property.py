"""Property tests: random and hostile HTML never yields script-capable output."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pelican.plugins.dossier.clean.cleaner import clean
from pelican.plugins.dossier.clean.sanitize import sanitize
from support import problems

# ----------------------------------------------------------------- strategies

TAGS = [
    "p",
    "div",
    "a",
    "img",
    "script",
    "style",
    "iframe",
    "svg",
    "math",
    "object",
    "embed",
    "form",
    "input",
    "button",
    "meta",
    "base",
    "link",
    "table",
    "td",
    "template",
    "noscript",
    "textarea",
    "title",
    "xmp",
    "h1",
    "h2",
    "figure",
    "figcaption",
    "ul",
    "li",
    "span",
    "SCRIPT",
    "foreignObject",
    "select",
    "option",
    "video",
    "source",
    "details",
    "frameset",
    "body",
]
ATTRS = [
    "href",
    "src",
    "srcset",
    "data-src",
    "style",
    "onclick",
    "onerror",
    "onload",
    "formaction",
    "srcdoc",
    "xlink:href",
    "action",
    "data",
    "class",
    "id",
    "title",
    "lang",
    "http-equiv",
    "content",
    "background",
    "poster",
    "rel",
    "target",
    "width",
]
URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:x",
    "&#106;avascript:x",
    "&#x6A;avascript&colon;x",
    "vbscript:x",
    "data:text/html,<script>x</script>",
    "data:image/png;base64,AAAA",
    "https://ok.test/a.jpg",
    "http://ok.test/",
    "//cdn.test/x",
    "/relatif",
    "image.png 2x, javascript:x 1x",
    "mailto:a@b.test",
    "expression(alert(1))",
]
TEXTS = ["texte", "&lt;script&gt;", "&amp;", "&#60;script&#62;", "é", "<", ">", '"', "'", "]]>"]

attr = st.tuples(st.sampled_from(ATTRS), st.sampled_from(URLS + TEXTS)).map(
    lambda p: f' {p[0]}="{p[1]}"' if '"' not in p[1] else f" {p[0]}='{p[1]}'"
)
open_tag = st.tuples(st.sampled_from(TAGS), st.lists(attr, max_size=3)).map(
    lambda p: f"<{p[0]}{''.join(p[1])}>"
)
close_tag = st.sampled_from(TAGS).map(lambda t: f"</{t}>")
piece = st.one_of(
    open_tag,
    close_tag,
    st.sampled_from(TEXTS),
    st.sampled_from(["<!--", "-->", "<!-->", "<![CDATA[", "<?xml x?>", "<", "</"]),
    st.text(max_size=12),
)
hostile_html = st.lists(piece, max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_html)
def test_sanitize_output_is_always_safe(markup: str) -> None:
    assert problems(sanitize(markup)) == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_html, st.sampled_from(["https://exemple.test/a/b", "http://127.0.0.1:8000/x"]))
def test_clean_never_raises_and_is_safe(markup: str, url: str) -> None:
    prose = "Du texte, encore du texte. " * 8
    page = f"<html><body><article><p>{prose}</p>{markup}</article></body></html>"
    cleaned = clean(page, url)
    assert problems(cleaned.html) == []
    assert len(cleaned.summary) <= 300


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_clean_accepts_any_text(markup: str) -> None:
    cleaned = clean(markup, "https://exemple.test/")
    assert problems(cleaned.html) == []
