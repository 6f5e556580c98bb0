"""Classic XSS vectors, each one through the sanitiser and through the whole cleaner."""

from __future__ import annotations

import pytest
from pelican.plugins.dossier.clean.cleaner import clean
from pelican.plugins.dossier.clean.sanitize import drop_empty_images, sanitize
from support import problems

URL = "https://exemple.test/dossier/article"

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.test/x.js></SCRIPT>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    '<a href="javascript:alert(1)">clic</a>',
    '<a href="JaVaScRiPt:alert(1)">clic</a>',
    '<a href="  javascript:alert(1)">clic</a>',
    '<a href="java\tscript:alert(1)">clic</a>',
    '<a href="java&#x0A;script:alert(1)">clic</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">clic</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">clic</a>',
    '<a href="vbscript:msgbox(1)">clic</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">clic</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<img srcset="javascript:alert(1) 1x, https://ok.test/a.jpg 2x" src="https://ok.test/a.jpg">',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="https://evil.test/"></iframe>',
    '<form action="https://evil.test/"><button formaction="javascript:alert(1)">ok</button></form>',
    '<input type="image" src="x" onerror="alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<div style="width: expression(alert(1))">texte</div>',
    '<p style="background:url(javascript:alert(1))">texte</p>',
    "<style>@import 'https://evil.test/x.css'; body{background:red}</style>",
    '<base href="javascript:alert(1)//">',
    '<object data="https://evil.test/x.swf"></object>',
    '<embed src="https://evil.test/x.swf">',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">clic</maction></math>',
    '<svg><a xlink:href="javascript:alert(1)"><text>clic</text></a></svg>',
    '<img src="x" onerror="alert(1)"',
    "<!--><script>alert(1)</script>-->",
    "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
    '<p title="</p><script>alert(1)</script>">texte</p>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<details open ontoggle=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "<body onload=alert(1)>",
    '<a href="https://ok.test/" onmouseover="alert(1)" target="_blank">lien</a>',
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<isindex type=image src=1 onerror=alert(1)>",
    "<xmp><script>alert(1)</script></xmp>",
]


def test_enough_vectors() -> None:
    assert len(VECTORS) >= 25


@pytest.mark.parametrize("vector", VECTORS)
def test_sanitize_blocks_vector(vector: str) -> None:
    assert problems(sanitize(f"<p>Avant</p>{vector}<p>Après</p>")) == []


@pytest.mark.parametrize("vector", VECTORS)
def test_clean_blocks_vector(vector: str) -> None:
    prose = (
        "Un paragraphe assez long pour être retenu comme le corps de l’article, avec des virgules, "
    )
    page = (
        "<html><head><title>Essai</title></head><body><article>"
        f"<p>{prose * 3}</p>{vector}<p>{prose * 2}</p></article></body></html>"
    )
    cleaned = clean(page, URL)
    assert problems(cleaned.html) == []
    assert "Un paragraphe assez long" in cleaned.text


def test_safe_markup_survives() -> None:
    out = sanitize('<p>Voir <a href="https://ok.test/a" title="A">la page</a> <em>ici</em>.</p>')
    assert out == (
        '<p>Voir <a href="https://ok.test/a" title="A" rel="noopener noreferrer">la page</a>'
        " <em>ici</em>.</p>"
    )


def test_mailto_kept_relative_dropped() -> None:
    out = sanitize('<a href="mailto:contact@ok.test">écrire</a><a href="/relatif">rel</a>')
    assert out == (
        '<a href="mailto:contact@ok.test" rel="noopener noreferrer">écrire</a>'
        '<a rel="noopener noreferrer">rel</a>'
    )


def test_data_image_dropped() -> None:
    assert sanitize('<img src="data:image/png;base64,iVBORw0KGgo=" alt="x">') == '<img alt="x">'


def test_published_images_without_an_address_are_dropped_whole() -> None:
    own = "images/0123456789abcdef01234567.jpg"
    html = (
        '<p>a<img src="https://elsewhere.example/x.png" alt="1 > 0 &quot;b&quot;">b</p>'
        f'<img src="{own}" alt="gardée"><img alt="vide"><img src="javascript:x()" alt="x">'
    )
    assert sanitize(html, site="https://site.example") == (
        f'<p>ab</p><img src="https://site.example/{own}" alt="gardée">'
    )
    # the cleaning pass keeps them: the images step still has to see the source's image
    assert 'alt="vide"' in sanitize(html)


def test_drop_empty_images_keeps_what_has_a_src_or_srcset() -> None:
    html = '<img alt="a > src=b"><img srcset="x 1w" alt="c"><img src="y" alt=""><img>'
    assert drop_empty_images(html) == '<img srcset="x 1w" alt="c"><img src="y" alt="">'
