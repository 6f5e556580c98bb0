"""Generate a dossier of N French articles for ``scripts/bench.py``, in two forms.

1. A site in ``tests/mirror.py``'s file layout (``/a/b`` → ``a/b.html``, ``?page=k`` →
   ``a/b@page=k.html``, ``_routes.toml`` for the start redirect): article pages with
   full site chrome (cookie banner, header and menus, breadcrumb, sidebar, share links,
   footer), a paginated listing, the dossier page and robots.txt.
2. The same articles as Markdown files (same title, date, summary, headings and
   paragraphs) for plain Pelican.

Text comes from a seeded vocabulary: French filler words mixed with the taxonomy's
own terms (mostly two "main" themes per article), so cleaning, tagging and
cross-linking do real work. The same seed gives byte-identical output.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from pelican.plugins.dossier.themes.taxonomy import Taxonomy  # noqa: E402

START_PATH = "/fr/node/4279"
LISTING_PATH = "/fr/actualites/dossier/territoires-en-reseau"
DOSSIER_PATH = "/fr/dossiers/territoires-en-reseau"
DOSSIER_TITLE = "Dossier - Territoires en réseau"
PER_PAGE = 20
FIRST_DATE = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)

FILLER = """
la le les des une un du de et à en pour par avec sur dans au aux qui que ne pas plus
commune ville village projet équipe année mois semaine rue quartier école centre
nouveau grand petit premier dernier public privé local national travail question réponse
d'abord aujourd'hui c'est n'est d'autres l'ensemble jusqu'à lorsqu'on
permet doit peut faire prendre mettre donner aller venir voir savoir vouloir rester
été hiver printemps automne matin soir jour heure temps moment fois début fin
conseil séance délibération dossier rapport étude plan programme action mairie
agents techniciens directeur secrétaire associations commerçants riverains familles
premier bilan retour expérience chantier travaux calendrier étape phase suite
départ arrivée accueil bureau salle bâtiment parc place marché gare route chemin
simple difficile rapide lent utile nécessaire possible commun ancien récent régulier
toujours souvent parfois jamais encore déjà ensuite enfin surtout notamment ainsi
""".split()  # noqa: SIM905 (a word list reads better as text)

HEADINGS = [
    "Le contexte",
    "Ce qui a été fait",
    "Les premiers résultats",
    "Les difficultés rencontrées",
    "Ce qu’en disent les acteurs",
    "Et maintenant ?",
    "Pour aller plus loin",
]


@dataclass(frozen=True)
class Article:
    """One generated article: everything both forms need."""

    slug: str
    title: str
    date: datetime
    summary: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, paragraphs)
    themes: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"/fr/actualites/{self.slug}"


def _sentence(rng: random.Random, words: list[str], main: list[str], every: int) -> str:
    count = rng.randint(12, 22)
    picked = []
    for _ in range(count):
        if rng.random() < 1 / every:
            picked.append(rng.choice(main) if rng.random() < 0.75 else rng.choice(words))
        else:
            picked.append(rng.choice(FILLER))
    text = " ".join(picked)
    return text[0].upper() + text[1:] + ("?" if rng.random() < 0.08 else ".")


def make_articles(
    count: int, taxonomy: Taxonomy, seed: int = 7, words: int = 1000
) -> list[Article]:
    """``count`` seeded articles of about ``words`` words each."""
    rng = random.Random(seed)
    slugs = [t.slug for t in taxonomy.themes]
    terms = {t.slug: [term.text for term in t.terms] for t in taxonomy.themes}
    every_term = [w for ws in terms.values() for w in ws]
    articles = []
    for i in range(count):
        themes = tuple(sorted(rng.sample(slugs, 2)))
        main = terms[themes[0]] + terms[themes[1]]
        title_words = [rng.choice(main), rng.choice(FILLER), rng.choice(main), rng.choice(FILLER)]
        title = f"{title_words[0].capitalize()} et {title_words[2]} : {' '.join(title_words[1::2])}"
        title = f"{title} ({i + 1})"
        summary = " ".join(_sentence(rng, every_term, main, 6) for _ in range(2))
        sections, total = [], 0
        while total < words:
            heading = HEADINGS[len(sections) % len(HEADINGS)]
            paragraphs = []
            for _ in range(rng.randint(2, 4)):
                text = " ".join(_sentence(rng, every_term, main, 10) for _ in range(4))
                paragraphs.append(text)
                total += len(text.split())
            sections.append((heading, tuple(paragraphs)))
        slug = f"article-{i:05d}-{_slugify(title_words[0])}"
        date = FIRST_DATE - timedelta(hours=13 * i)
        articles.append(Article(slug, title, date, summary, tuple(sections), themes))
    return articles


def _slugify(text: str) -> str:
    plain = text.lower().translate(str.maketrans("àâäçéèêëîïôöùûüœ’' ", "aaaceeeeiioouuuo---"))
    return "".join(c for c in plain if c.isalnum() or c == "-").strip("-")[:40] or "sujet"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _chrome_top(title: str, crumbs: str) -> str:
    menu = "".join(
        f'<li class="menu-item"><a href="/fr/domaines/{s}">{_e(label)}</a></li>'
        for s, label in (
            ("amenagement", "Aménagement"),
            ("mobilites", "Mobilités"),
            ("batiment", "Bâtiment"),
            ("risques", "Risques et environnement"),
            ("numerique", "Numérique et territoires"),
            ("eau", "Eau et biodiversité"),
        )
    )
    return f"""<body class="page-node">
<a href="#contenu" class="skip-link">Aller au contenu</a>
<div id="bandeau-cookies" class="cookie-banner" role="dialog" aria-label="Cookies">
<p>Nous utilisons des traceurs de mesure d’audience. Vous pouvez les accepter, les refuser
ou choisir au cas par cas ; votre choix est gardé six mois.</p>
<button type="button">Tout accepter</button> <button type="button">Tout refuser</button>
<a href="/fr/cookies">Choisir</a></div>
<header role="banner" class="site-header">
<a href="/fr" rel="home" class="logo">
<img src="/logo.svg" alt="Accueil" width="120" height="40"></a>
<nav class="menu--main" aria-label="Menu principal"><ul class="menu">{menu}
<li class="menu-item"><a href="/fr/actualites">Actualités</a></li>
<li class="menu-item"><a href="/fr/dossiers">Dossiers</a></li></ul></nav>
<form class="search" role="search" action="/fr/recherche"><input type="search" name="q">
<button type="submit">Chercher</button></form>
</header>
<nav class="breadcrumb" aria-label="Fil d’Ariane"><ol><li><a href="/fr">Accueil</a></li>
<li><a href="/fr/actualites">Actualités</a></li><li>{crumbs}</li></ol></nav>
<main role="main" id="contenu"><div class="region-content">
"""


CHROME_BOTTOM = """</div>
<aside class="sidebar" role="complementary">
<div class="block"><h2>À l’agenda</h2><ul>
<li><a href="/fr/evenements/rencontre-elus">Rencontre des élus ruraux – Clermont-Ferrand</a></li>
<li><a href="/fr/evenements/webinaire-eclairage">Webinaire : l’éclairage public en question</a></li>
</ul></div>
<div class="block newsletter"><h2>Lettre mensuelle</h2>
<p>Chaque mois, nos publications, nos événements et des retours de terrain.</p>
<form action="/fr/lettre" method="post"><input type="email" name="courriel">
<button type="submit">S’inscrire</button></form></div>
</aside>
</main>
<footer role="contentinfo" class="site-footer">
<ul class="social"><li><a href="https://social.example/cerema">Nous suivre</a></li></ul>
<nav aria-label="Pied de page"><ul>
<li><a href="/fr/mentions-legales">Mentions légales</a></li>
<li><a href="/fr/accessibilite">Accessibilité</a></li>
<li><a href="/fr/plan-du-site">Plan du site</a></li>
<li><a href="/fr/contact">Contact</a></li></ul></nav>
<p class="copyright">© 2025 – établissement public</p>
</footer>
</body>
</html>
"""


def _head(title: str, description: str, canonical: str, published: str | None) -> str:
    date = f'<meta property="article:published_time" content="{published}">' if published else ""
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{_e(title)} | Cerema</title>
<meta name="description" content="{_e(description)}">
<link rel="canonical" href="{canonical}">
<meta property="og:title" content="{_e(title)}">
{date}
<link rel="stylesheet" href="/css/site.css">
<script>window.mesure = window.mesure || [];</script>
</head>
"""


def article_page(article: Article, count: int) -> str:
    """The full HTML page of one article, chrome included."""
    body = "".join(
        f"<h2>{_e(heading)}</h2>\n" + "".join(f"<p>{_e(p)}</p>\n" for p in paragraphs)
        for heading, paragraphs in article.sections
    )
    share = "".join(
        f'<a href="https://{site}.example/partager?url=https%3A%2F%2Fwww.cerema.fr{article.path}"'
        f' class="share-links__{site}">Partager sur {site}</a>\n'
        for site in ("reseau", "pro", "courriel")
    )
    return (
        _head(article.title, article.summary, article.path, article.date.isoformat())
        + _chrome_top(article.title, _e(article.title))
        + f"""<article class="node node--type-actualite">
<h1 class="page-title">{_e(article.title)}</h1>
<div class="node__meta"><span class="node__date">{article.date:%d/%m/%Y}</span></div>
<div class="node__content"><div class="field--name-body">
<p class="rattachement-dossier">Cet article fait partie du dossier :
<a href="{DOSSIER_PATH}">{_e(DOSSIER_TITLE)}</a></p>
<a class="lien-actus-dossier" href="{LISTING_PATH}">{_see_all(count)}</a>
{body}</div>
<div class="share-links"><span>Partager cette page :</span>
{share}</div>
</div>
</article>
"""
        + CHROME_BOTTOM
    )


def listing_page(articles: list[Article], page: int, pages: int) -> str:
    """One page of the dossier's listing, with a pager."""
    rows = "".join(
        f"""<div class="views-row"><article class="node--view-mode-teaser">
<h3><a href="{a.path}" rel="bookmark">{_e(a.title)}</a></h3>
<time datetime="{a.date.isoformat()}">{a.date:%d/%m/%Y}</time>
<p>{_e(a.summary[:160])}</p>
<a href="{a.path}" class="lire-la-suite">Lire la suite</a></article></div>
"""
        for a in articles
    )
    nxt = (
        f'<li><a href="?page={page + 1}" rel="next">Page suivante ›</a></li>'
        if page + 1 < pages
        else ""
    )
    prev = f'<li><a href="?page={page - 1}">‹ Page précédente</a></li>' if page else ""
    title = f"Actualités du dossier « Territoires en réseau » (page {page + 1})"
    return (
        _head(title, title, LISTING_PATH, None)
        + _chrome_top(title, "Dossier")
        + f"""<h1>{_e(title)}</h1>
<div class="view-content">
{rows}</div>
<nav class="pager" aria-label="Pagination"><ul>{prev}{nxt}</ul></nav>
"""
        + CHROME_BOTTOM
    )


def _see_all(count: int) -> str:
    return f"Voir les {count} actualités liées à ce dossier"


def _file_for(root: Path, path: str, page: int = 0) -> Path:
    suffix = f"@page={page}" if page else ""
    target = root / f"{path.strip('/')}{suffix}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def write_site(root: Path, articles: list[Article]) -> None:
    """The mirror layout of the whole dossier under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for article in articles:
        _file_for(root, article.path).write_text(article_page(article, len(articles)), "utf-8")
    pages = max(1, -(-len(articles) // PER_PAGE))
    for page in range(pages):
        chunk = articles[page * PER_PAGE : (page + 1) * PER_PAGE]
        _file_for(root, LISTING_PATH, page).write_text(listing_page(chunk, page, pages), "utf-8")
    title = DOSSIER_TITLE
    dossier = _head(title, title, DOSSIER_PATH, None) + _chrome_top(title, _e(title))
    dossier += (
        f'<h1>{_e(title)}</h1><p><a href="{LISTING_PATH}">{_see_all(len(articles))}</a></p>\n'
    )
    _file_for(root, DOSSIER_PATH).write_text(dossier + CHROME_BOTTOM, "utf-8")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n", "utf-8")
    (root / "_routes.toml").write_text(
        f'[routes."{START_PATH}"]\nredirect = "{articles[0].path}"\nstatus = 301\n', "utf-8"
    )


def write_markdown(folder: Path, articles: list[Article]) -> None:
    """The same articles as Pelican Markdown files (one per article)."""
    folder.mkdir(parents=True, exist_ok=True)
    for article in articles:
        body = "\n\n".join(
            f"## {heading}\n\n" + "\n\n".join(paragraphs)
            for heading, paragraphs in article.sections
        )
        meta = (
            f"Title: {article.title}\nDate: {article.date:%Y-%m-%d %H:%M}\nSlug: {article.slug}\n"
            f"Tags: {', '.join(article.themes)}\nSummary: {article.summary}\nLang: fr\n\n"
        )
        (folder / f"{article.slug}.md").write_text(meta + body + "\n", "utf-8")
