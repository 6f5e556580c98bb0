"""Generic extraction cases seen on unseen pages, each with a small page of our own.

Each test names the cause it guards against (issue #15); none names a real site.
"""

from __future__ import annotations

from pelican.plugins.dossier.clean.cleaner import clean, extract_text

URL = "https://exemple.test/actualites/2021/03/18/une-page"
PARAS = (
    "La commune a réuni ses habitants pour parler des pistes cyclables, du stationnement "
    "et de la place laissée aux piétons devant les écoles du quartier.",
    "Les services techniques ont présenté trois scénarios, chacun chiffré, avec un calendrier "
    "de travaux étalé sur deux ans et une consultation ouverte jusqu’à l’été.",
    "Les associations de parents ont demandé des mesures de vitesse, des comptages réguliers "
    "et un bilan public après la première rentrée scolaire.",
)


def _prose(tag: str = "p") -> str:
    return "".join(f"<{tag}>{text}</{tag}>" for text in PARAS)


def _page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def _keeps_all(text: str) -> bool:
    return all(para in text for para in PARAS)


def test_prose_block_with_a_chrome_name_is_kept() -> None:
    # the content scorer finds the block, and the clean-up must not drop it for its name
    body = (
        '<div class="entry"><div class="layout-widget-wrap sidebar-wrapper">'
        f"{_prose()}</div></div>"
        '<div class="menu"><a href="/a">Accueil</a> <a href="/b">Contact</a></div>'
    )
    assert _keeps_all(extract_text(_page(body), URL))
    assert _keeps_all(clean(_page(body), URL).text)


def test_article_inside_an_unclosed_nav_is_found() -> None:
    body = f'<nav><a href="/">Accueil</a> <a href="/plan">Plan du site</a><div>{_prose()}'
    assert _keeps_all(extract_text(_page(body), URL))


def test_article_inside_noscript_is_found() -> None:
    body = f"<div id='app'></div><noscript><div class='page'>{_prose()}</div></noscript>"
    assert _keeps_all(extract_text(_page(body), URL))


def test_wrapper_named_like_an_ad_network_keeps_its_article() -> None:
    body = f'<div class="theme-taboola"><main><div class="entry">{_prose()}</div></main></div>'
    assert _keeps_all(extract_text(_page(body), URL))


def test_short_article_does_not_fall_back_to_its_comments() -> None:
    comments = "".join(
        f"<li><p>Commentaire {i} : je trouve que la mairie aurait dû consulter les habitants "
        "bien plus tôt, avant de voter le budget des travaux.</p></li>"
        for i in range(8)
    )
    body = (
        f'<article><div class="entry"><p>{PARAS[0]}</p></div></article>'
        f'<div class="comments-area"><ol class="comment-list">{comments}</ol></div>'
    )
    text = extract_text(_page(body), URL)
    assert PARAS[0] in text
    assert "Commentaire" not in text


def test_title_prefers_the_h1_that_the_page_title_repeats() -> None:
    head = "<title>Pistes cyclables : la concertation s’ouvre - Journal de la commune</title>"
    body = f"<h1>Le journal</h1><h1>Pistes cyclables : la concertation s’ouvre</h1>{_prose()}"
    assert clean(_page(body, head), URL).title == "Pistes cyclables : la concertation s’ouvre"


def test_title_without_h1_drops_a_short_site_suffix() -> None:
    head = "<title>Pistes cyclables : la concertation s’ouvre | Ma Ville</title>"
    body = f"<h1>Ma Ville, le site officiel</h1>{_prose()}"
    assert clean(_page(body, head), URL).title == "Pistes cyclables : la concertation s’ouvre"


def test_title_metadata_order_and_site_name_prefix() -> None:
    head = (
        '<meta property="og:site_name" content="Ma Ville - le site des habitants">'
        '<meta property="og:title" content="Titre de partage | Ma Ville">'
        '<meta name="twitter:title" content="Titre court">'
    )
    assert clean(_page(_prose(), head), URL).title == "Titre de partage"
    both = '<meta property="dc:title og:title" content="Titre déclaré deux fois">'
    assert clean(_page(_prose(), both + head), URL).title == "Titre déclaré deux fois"


def test_visible_bylines_are_read() -> None:
    bylines = {
        '<p class="byline">Par <a href="/a/jm">Jeanne Martin</a></p>': "Jeanne Martin",
        '<a rel="author" href="/auteurs/pd">Paul Durand</a>': "Paul Durand",
        '<div itemprop="author" itemscope><span itemprop="name">Léa Petit</span> '
        '<span itemprop="jobTitle">rédactrice</span></div>': "Léa Petit",
    }
    for markup, name in bylines.items():
        assert clean(_page(f"<h1>Titre</h1>{markup}{_prose()}"), URL).author == name


def test_author_box_biography_and_initials_are_not_bylines() -> None:
    markup = (
        '<div class="author-bio">Jeanne Martin écrit sur les mobilités depuis 2010.</div>'
        '<span class="author-avatar">J M</span>'
    )
    assert clean(_page(f"{_prose()}{markup}"), URL).author is None


def test_author_metadata_order_and_cdata_json_ld() -> None:
    head = '<meta name="author" content="Nom du site"><meta name="dc:creator" content="Ana Roy">'
    assert clean(_page(_prose(), head), URL).author == "Ana Roy"
    ld = (
        '<script type="application/ld+json">//<![CDATA[\n{"@type": "NewsArticle", '
        '"headline": "Un titre", "author": [{"@type": "Person", "name": "Marc Lenoir"}]}\n//]]>'
        "</script>"
    )
    cleaned = clean(_page(_prose(), ld + head), URL)
    assert (cleaned.author, cleaned.title) == ("Marc Lenoir", "Un titre")


def test_summary_sources_in_order_and_without_paragraphs() -> None:
    head = (
        '<meta name="description" content="Description générale du site.">'
        '<meta property="og:description" content="Résumé de partage de l’article.">'
    )
    assert clean(_page(_prose(), head), URL).summary == "Résumé de partage de l’article."
    lines = "<br>".join(PARAS)
    assert clean(_page(f'<div class="entry">{lines}</div>'), URL).summary.startswith(PARAS[0][:50])


def test_utf8_with_a_few_invalid_bytes_stays_utf8() -> None:
    from pelican.plugins.dossier.fetch.encoding import decode_html

    text = "Aménagement des rues, été comme hiver : les élus décident. " * 20
    body = b'<meta charset="utf-8"><p>' + text.encode() + b"\x92 et \xe9t\xe9</p>"
    decoded = decode_html(body, "text/html; charset=utf-8")
    assert text in decoded and "\ufffd" in decoded
    latin = ("Aménagement des rues, été comme hiver. " * 5).encode("cp1252")
    assert "été comme hiver" in decode_html(latin, "text/html")


def test_soft_hyphens_do_not_split_words() -> None:
    body = "<article><p>La con&shy;cer&shy;ta&shy;tion s’ouvre.</p>" + _prose() + "</article>"
    text = extract_text(_page(body), URL)
    assert "La concertation s’ouvre." in text
    assert "\u00ad" not in clean(_page(body), URL).text


def test_article_around_a_long_table_keeps_its_paragraphs() -> None:
    # a table of names with commas outscores each paragraph: its row must not be the article
    names = "<br>".join(f"Nom {i}, adjointe, commune {i}, canton" for i in range(30))
    rows = f"<tr><th>Nom, fonction, commune</th></tr><tr><td>{names}</td></tr>"
    body = (
        f'<div class="col"><div class="texte">{_prose()}<p>Les signataires :</p>'
        f"<table><tbody>{rows}</tbody></table></div></div>"
        '<div class="menu"><a href="/a">Accueil</a></div>'
    )
    text = extract_text(_page(body), URL)
    assert _keeps_all(text)
    assert "Nom 29, adjoint" in text


def test_page_of_several_articles_keeps_the_one_its_title_names() -> None:
    # an endless scroll: the page's own article first, then longer ones loaded below it
    def article(heading: str, paras: tuple[str, ...]) -> str:
        inner = "".join(f"<p>{text}</p>" for text in paras)
        head = f"<header><h1>{heading}</h1></header>"
        return f'<article>{head}<div class="texte">{inner}</div></article>'

    other = tuple(
        f"Autre sujet, numéro {i}, sans rapport avec la voirie, ni le quartier." for i in range(9)
    )
    more = ("Un registre reste ouvert en mairie, aux heures d’accueil, jusqu’à la fin du mois.",)
    own = article("Pistes cyclables : la concertation s’ouvre", PARAS + more)
    body = own + article("Le marché", other)
    head = "<title>Pistes cyclables : la concertation s’ouvre | Journal</title>"
    text = extract_text(_page(body, head), URL)
    assert _keeps_all(text)
    assert "Autre sujet" not in text


def test_lead_paragraph_in_the_article_header_is_kept() -> None:
    lead = "Après deux réunions publiques, la commune ouvre un registre pour recueillir les avis."
    body = (
        '<div class="page"><header class="entete"><h1>Pistes cyclables</h1>'
        f'<p class="chapo">{lead}</p></header>'
        f'<div class="corps"><div class="texte">{_prose()}</div></div></div>'
        '<div class="menu"><a href="/a">Accueil</a></div>'
    )
    text = extract_text(_page(body), URL)
    assert text.startswith(lead)
    assert _keeps_all(text)


def test_ruby_annotations_do_not_repeat_inside_the_words() -> None:
    # a reading aid (<rt>) is shown above a word: the plain text must not splice it in
    ruby = "<ruby>漢<rp>(</rp><rt>かん</rt><rp>)</rp>字<rt>じ</rt></ruby>"
    body = (
        f"<article>{_prose()}<p>Le mot {ruby} figure dans le glossaire de la commune.</p></article>"
    )
    text = extract_text(_page(body), URL)
    assert "Le mot 漢字 figure" in text
    assert "かん" not in text and "(" not in text
    assert "かん" not in clean(_page(body), URL).text


def test_caption_outside_a_table_is_text() -> None:
    # a slide show sets each slide's text in a <caption> with no table: that is the article
    slides = "".join(
        f"<section><h2>Étape {i}</h2><caption>{p}</caption></section>" for i, p in enumerate(PARAS)
    )
    table = "<table><caption>Tableau des coûts</caption><tr><td>1</td><td>2</td></tr></table>"
    body = f"<main><h1>Le projet en trois étapes</h1>{slides}{table}</main>"
    text = extract_text(_page(body), URL)
    assert _keeps_all(text)
    assert "Tableau des coûts" not in text


def test_short_box_with_a_content_name_gives_way_to_the_article() -> None:
    # a one-line box named « text-block » scores on its name more than on its text
    boxes = "".join(
        f'<div class="card"><div class="text-block-{i}">Taux de réponse au questionnaire : {i} %'
        "</div></div>"
        for i in range(4)
    )
    more = "<p>Le conseil votera en juin, après une dernière réunion, sur le scénario retenu.</p>"
    body = f"<div class='grid'>{boxes}</div><div class='row'><div>{_prose()}{more}</div></div>"
    text = extract_text(_page(body), URL)
    assert _keeps_all(text) and "Le conseil votera en juin" in text
    assert "Taux de réponse" not in text


def test_label_of_a_dropped_link_list_goes_with_it() -> None:
    # « À lire aussi : » introduced a list of links to other pages; both are chrome
    links = "".join(
        f'<li><a href="/autre-{i}">Un autre sujet numéro {i}</a></li>' for i in range(4)
    )
    body = (
        f"<article>{_prose()}<h2>Les étapes suivantes</h2><p>{PARAS[0]}</p>"
        f"<p><strong>À lire aussi :</strong></p><ul>{links}</ul></article>"
    )
    text = extract_text(_page(body), URL)
    assert _keeps_all(text) and "Les étapes suivantes" in text
    assert "À lire aussi" not in text and "Un autre sujet" not in text


def test_picture_legend_and_copyright_lines_are_not_text() -> None:
    # a picture's legend and its copyright line are captions under other names
    picture = (
        '<div class="image"><img src="/photo.jpg" alt="">'
        '<div class="legend">Le carrefour vu depuis la place du marché, un matin.</div>'
        '<p class="image-copyright">© Service photo de la ville</p></div>'
    )
    body = f"<article>{picture}{_prose()}</article>"
    text = extract_text(_page(body), URL)
    assert _keeps_all(text)
    assert "Le carrefour vu" not in text and "Service photo" not in text


def test_related_label_goes_with_the_links_it_introduces() -> None:
    # a heading that says « related » and the teasers after it are not the article
    teasers = "".join(
        f'<div class="card"><a href="/autre-{i}">Un autre sujet numéro {i}</a><p>Court.</p></div>'
        for i in range(3)
    )
    inline = '<p>À lire aussi : <a href="/ailleurs">la réunion du mois dernier</a></p>'
    body = (
        f"<article>{_prose()}{inline}<p>{PARAS[0]}</p>"
        f"<div><div><h3>Sur le même sujet</h3></div>{teasers}</div></article>"
    )
    text = extract_text(_page(body), URL)
    assert _keeps_all(text)
    assert "Sur le même sujet" not in text and "Un autre sujet" not in text
    assert "la réunion du mois dernier" not in text
    assert "Sur le même sujet" not in clean(_page(body), URL).text


def test_short_code_sample_in_a_box_is_kept() -> None:
    # a one-line command in a copy-to-clipboard box is short, has no paragraph, no image
    sample = '<div class="snippet-box"><pre><code>make html</code></pre></div>'
    body = f"<article>{_prose()}<p>Pour construire le site :</p>{sample}<p>{PARAS[0]}</p></article>"
    assert "make html" in extract_text(_page(body), URL)


def test_lead_paragraph_in_a_deep_page_header_is_kept() -> None:
    # grid frameworks nest the header's lead and the body five levels apart
    lead = "Après deux réunions publiques, la commune ouvre un registre pour recueillir les avis."
    head = (
        f'<div class="row"><div class="col"><h1>Pistes</h1><p class="lead">{lead}</p></div></div>'
    )
    side = '<div class="col"><img src="/plan.png" alt=""></div>'
    prose = (
        f'<div class="row"><div class="col"><div class="texte">{_prose()}</div></div>{side}</div>'
    )
    section = f"<section><div>{prose}{side}</div>{side}</section>"
    body = f"<article><header>{head}</header>{section}</article>"
    text = extract_text(_page(body), URL)
    assert text.startswith(lead)
    assert _keeps_all(text)


def test_related_heading_over_teaser_cards_goes_with_them() -> None:
    # each card links to another page, but its summary line outweighs the link
    summary = "Un compte rendu détaillé de la séance, avec les questions posées par les habitants."
    cards = "".join(
        f'<div class="card"><a href="/autre-{i}">Séance {i}</a><p>{summary}</p></div>'
        for i in range(3)
    )
    body = f"<article>{_prose()}<div><h2>Articles similaires</h2><div>{cards}</div></div></article>"
    text = extract_text(_page(body), URL)
    assert _keeps_all(text)
    assert "Articles similaires" not in text and "compte rendu détaillé" not in text


def test_related_label_in_german_goes_with_its_links() -> None:
    link = '<a href="/b">der Bericht über den Radverkehr in der Stadt</a>'
    inline = f"<p>Weitere Informationen: {link}</p>"
    body = f"<article>{_prose()}{inline}<p>{PARAS[0]}</p></article>"
    text = extract_text(_page(body), URL)
    assert _keeps_all(text)
    assert "Weitere Informationen" not in text and "der Bericht" not in text


def test_advanced_is_not_an_advert() -> None:
    # « adv » in a class name once read as « advert »: « list--advanced » held the article's list
    items = "".join(f"<li>{n} g de farine de type {n}</li>" for n in (45, 55, 65))
    body = f'<article>{_prose()}<ul class="list list--advanced">{items}</ul></article>'
    text = extract_text(_page(body), URL)
    assert _keeps_all(text) and "55 g de farine" in text


def test_standfirst_repeating_the_page_description_is_kept() -> None:
    # the lead sits in the page header with the menu; the page's description says it is the lead
    lead = "La commune ouvre un registre pour recueillir les avis sur les nouvelles pistes."
    head = f'<meta name="description" content="{lead}">'
    header = f'<header class="site-header"><nav><a href="/">Accueil</a></nav><p>{lead}</p></header>'
    teaser = f'<div class="more"><a href="/autre"><p>{lead}</p></a></div>'
    body = f"{header}<main><article>{_prose()}</article></main>{teaser}"
    text = extract_text(_page(body, head), URL)
    assert text.startswith(lead) and text.count(lead) == 1
    assert _keeps_all(text)
    assert clean(_page(body, head), URL).text.startswith(lead)


def test_related_heading_named_related_still_takes_its_cards() -> None:
    # the heading's class says « related » (it would go first); its words still take the cards
    card = '<article class="post"><p>{}</p><a href="/partager">Partager</a></article>'
    cards = "".join(card.format(p) for p in reversed(PARAS))
    related = (
        f'<article class="post"><h3 class="related-title">Vous aimerez aussi</h3>{cards}</article>'
    )
    body = (
        f'<div class="col"><article class="post"><h1>Pistes</h1>{_prose()}</article>{related}</div>'
    )
    text = extract_text(_page(body), URL)
    assert _keeps_all(text) and text.count(PARAS[0]) == 1
    assert "Vous aimerez" not in text


def test_related_label_on_a_flat_page_stops_at_the_next_section() -> None:
    # « See also » among flat h2 sections: the sections after the next h2 are the article's
    links = "".join(f'<li><a href="/p{i}">Page {i}</a></li>' for i in range(3))
    body = (
        f"<div><h2>Contexte</h2>{_prose()}<h2>Voir aussi</h2><ul>{links}</ul>"
        f'<h2>Calendrier</h2><p>Le vote aura lieu en juin, après <a href="/c">la consultation</a>.'
        "</p></div>"
    )
    text = extract_text(_page(body), URL)
    assert _keeps_all(text) and "Le vote aura lieu en juin" in text
    assert "Voir aussi" not in text
