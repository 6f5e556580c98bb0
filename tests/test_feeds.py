"""Feeds on hand-made articles: formats, ids, dates, links, hostile text, lasting ``updated``."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import feedparser
import pytest
from feedcheck import ATOM_DATE, NEWSBOAT, RSS_DATE, newsboat_unread
from lxml import etree
from pelican.contents import Article
from pelican.plugins.dossier.model import Attachment
from pelican.plugins.dossier.publish.articles import ThemeCount
from pelican.plugins.dossier.publish.bodytypo import typo_body
from pelican.plugins.dossier.publish.feeds import (
    STATE_FILE,
    content_hash,
    entry_id,
    fallback_date,
    feed_html,
    load_state,
    next_updated,
    scoped_id,
    write_feeds,
)
from pelican.plugins.dossier.publish.feedxml import feed_text, rfc822, xml_text
from pelican.plugins.dossier.settings import read_settings as dossier_settings
from pelican.plugins.dossier.themes.taxonomy import load_taxonomy
from pelican.settings import read_settings
from pelican.urlwrappers import Category, Tag
from support import serve_folder

ROOT = Path(__file__).resolve().parent.parent
SITEURL = "http://127.0.0.1:9"
TAXONOMY = load_taxonomy(ROOT / "content" / "themes.toml")
LABELS = {t.slug: t.label for t in TAXONOMY.themes}
A = "{http://www.w3.org/2005/Atom}"
PDF = Attachment(
    "https://www.cerema.fr/system/files/documents/villes intelligentes.pdf",
    "La plaquette",
    "application/pdf",
    2_345_678,
)
FETCHED = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
HOSTILE = "Ti\x00tre\x1b \ufffe\uffff\ud800 ]]> <b>gras</b> & « fin »\x85\u2028"


def settings_for(cache: Path, **extra: object) -> dict:
    """The site's settings, pointed at a temporary cache."""
    override = {"SITEURL": SITEURL, "DOSSIER_CACHE_PATH": str(cache), **extra}
    return read_settings(str(ROOT / "pelicanconf.py"), override=override)


def article(settings: dict, slug: str, **meta: object) -> Article:
    """A published dossier article as publish.make_article shapes it."""
    content = meta.pop("content", f"<p>Texte de l’article {slug}.</p>")
    metadata = {
        "title": f"Article {slug}",
        "slug": slug,
        "date": datetime(2024, 3, 1, 9, 0, tzinfo=UTC),
        "category": Category("dossier", settings),
        "tags": [Tag("donnees", settings)],
        "summary": f"Résumé de {slug}.",
        "lang": "fr",
        "status": "published",
        "source_url": f"https://www.cerema.fr/fr/actualites/{slug}",
        "canonical_url": f"https://www.cerema.fr/fr/actualites/{slug}",
        "published": datetime(2024, 3, 1, 9, 0, tzinfo=UTC),
        "updated": None,
        "fetched_at": FETCHED,
        "plaquette": False,
        "attachments": [],
        "source_author": None,
        **meta,
    }
    return Article(content, metadata=metadata, settings=settings, context={})


def hub() -> SimpleNamespace:
    """What feeds read of the hub context: the taxonomy's themes (counts unused)."""
    return SimpleNamespace(themes=tuple(ThemeCount(t, 0) for t in TAXONOMY.themes))


def sample(settings: dict, fetched_at: datetime = FETCHED, capteurs: str = "") -> list[Article]:
    """A plaquette with its PDF, an article with two themes, a hostile one."""
    text = {"content": capteurs} if capteurs else {}
    return [
        article(
            settings,
            "plaquette",
            title="Villes intelligentes : tous concernés",
            plaquette=True,
            attachments=[PDF],
            tags=[Tag("territoires", settings), Tag("methode", settings)],
            source_author="Cerema",
            content='<p>Voir <a href="/fr/dossier">le dossier</a> <img src="img/a.png"></p>',
            canonical_url="http://cerema.fr/fr/node/4279/",
            fetched_at=fetched_at,
        ),
        article(
            settings,
            "capteurs",
            tags=[Tag("donnees", settings), Tag("libertes", settings)],
            published=datetime(2024, 5, 2, 10, 30, tzinfo=UTC),
            updated=datetime(2024, 6, 3, 11, 0, tzinfo=UTC),
            fetched_at=fetched_at,
            **text,
        ),
        article(
            settings,
            "hostile",
            title=HOSTILE,
            summary=HOSTILE,
            published=datetime(2024, 4, 1, 12, 0, tzinfo=UTC),
            source_author="Anne\x0b Auteur",
            content=f'<p onclick="x()">{HOSTILE}</p><script>alert(1)</script>'
            '<a href="javascript:alert(2)">lien</a>',
            fetched_at=fetched_at,
        ),
    ]


def build(tmp: Path, articles: list[Article] | None = None, **extra: object) -> dict[str, bytes]:
    """Write the feeds of the sample (or given) articles; return every file's bytes."""
    settings = settings_for(tmp / "cache", **extra)
    context = {"articles": articles or sample(settings), "dossier": hub()}
    written = write_feeds(context, settings, tmp / "out", dossier_settings(settings))
    return {str(p.relative_to(tmp / "out")): p.read_bytes() for p in written}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, bytes]:
    return build(tmp_path)


def test_every_feed_of_the_contract_is_written(files: dict[str, bytes]) -> None:
    expected = {"feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/dossier.opml"}
    for slug in LABELS:
        expected |= {f"feeds/themes/{slug}.atom.xml", f"feeds/themes/{slug}.rss.xml"}
    assert set(files) == expected and len(files) == 27


def test_every_feed_parses_cleanly_with_unique_ids(files: dict[str, bytes]) -> None:
    counts = {}
    for name, data in files.items():
        if name.endswith(".xml"):
            feed = feedparser.parse(data)
            assert feed.bozo == 0, (name, feed.get("bozo_exception"))
            ids = [e.id for e in feed.entries]
            assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
            counts[name] = len(ids)
    assert counts["feeds/all.atom.xml"] == counts["feeds/all.rss.xml"] == 3
    assert counts["feeds/themes/donnees.atom.xml"] == 2  # capteurs and hostile
    assert counts["feeds/themes/methode.rss.xml"] == 1
    assert counts["feeds/themes/mobilite.atom.xml"] == 0  # empty but valid


def test_dates_have_the_format_each_spec_requires(files: dict[str, bytes]) -> None:
    for name, data in files.items():
        root = etree.fromstring(data)
        if name.endswith(".atom.xml"):
            dates = [e.text for e in root.iter(f"{A}updated", f"{A}published")]
            assert dates and all(ATOM_DATE.match(d) for d in dates), (name, dates)
        elif name.endswith(".rss.xml"):
            dates = [e.text for e in root.iter("pubDate", "lastBuildDate")]
            assert dates and all(RSS_DATE.match(d) for d in dates), (name, dates)


def test_every_link_is_absolute(files: dict[str, bytes]) -> None:
    for name, data in files.items():
        root = etree.fromstring(data)
        urls = [e.text for e in root.iter("link", "{*}link") if e.text and e.text.strip()]
        for attr in ("href", "url", "xmlUrl", "htmlUrl"):
            urls += [e.get(attr) for e in root.iter() if e.get(attr) is not None]
        assert urls and all(re.match(r"^https?://[^/\s]+/", u) for u in urls), (name, urls)
        assert not any(" " in u for u in urls)


def test_atom_entry_carries_everything(files: dict[str, bytes]) -> None:
    feed = feedparser.parse(files["feeds/all.atom.xml"])
    assert feed.feed.language == "fr" and feed.feed.updated == "2024-06-03T11:00:00Z"
    assert [e.link.rsplit("/", 2)[1] for e in feed.entries] == ["capteurs", "hostile", "plaquette"]
    plaquette = feed.entries[2]
    assert plaquette.id == entry_id("https://www.cerema.fr/fr/node/4279")
    assert plaquette.author == "Cerema"
    assert [(t.term, t.label) for t in plaquette.tags] == [
        ("territoires", LABELS["territoires"]),
        ("methode", LABELS["methode"]),
    ]
    links = {link.rel: link.href for link in plaquette.links}
    assert links["alternate"] == f"{SITEURL}/articles/plaquette/"
    assert links["related"] == "http://cerema.fr/fr/node/4279/"
    enclosure = plaquette.enclosures[0]
    assert enclosure.href.endswith("/villes%20intelligentes.pdf")
    assert (enclosure.type, enclosure.length) == ("application/pdf", "2345678")
    assert plaquette.summary == "Résumé de plaquette."
    # French typography, as on the pages: no line break before « : »
    assert plaquette.title == "Villes intelligentes\u00a0: tous concernés"
    assert 'href="http://cerema.fr/fr/dossier"' in plaquette.content[0].value
    # The body's image was not made ours (no document.images here): never hot-linked.
    assert (
        "img/a.png" not in plaquette.content[0].value and "<img" not in plaquette.content[0].value
    )


def test_rss_item_carries_everything(files: dict[str, bytes]) -> None:
    feed = feedparser.parse(files["feeds/all.rss.xml"])
    capteurs, plaquette = feed.entries[0], feed.entries[2]
    assert capteurs.published == "Thu, 02 May 2024 10:30:00 GMT"
    assert [t.term for t in capteurs.tags] == [LABELS["donnees"], LABELS["libertes"]]
    assert capteurs.content[0].value == "<p>Texte de l’article capteurs.</p>"
    assert plaquette.author == "Cerema"
    assert plaquette.enclosures[0].length == "2345678"
    assert plaquette.link == f"{SITEURL}/articles/plaquette/"
    assert plaquette.title == "Villes intelligentes\u00a0: tous concernés"
    related = [link.href for link in plaquette.links if link.rel == "related"]
    assert related == ["http://cerema.fr/fr/node/4279/"]


def test_hostile_text_never_breaks_a_feed(files: dict[str, bytes]) -> None:
    # Illegal characters dropped; a tag in a plain-text field neutralised (‹b›), because
    # some readers render RSS titles as HTML.
    clean = feed_text(HOSTILE).strip()
    assert xml_text(HOSTILE).strip() == "Titre  ]]> <b>gras</b> & « fin »\u2028".strip()
    assert clean == "Titre  ]]> \u2039b\u203agras\u2039/b\u203a & « fin »"
    clean = clean.replace("« fin »", "«\u00a0fin\u00a0»")  # French spacing, as on the pages
    for name in ("feeds/all.atom.xml", "feeds/all.rss.xml"):
        etree.fromstring(files[name])  # strict XML parser: raises on any illegal character
        hostile = feedparser.parse(files[name]).entries[1]
        assert hostile.title == clean
        assert "<script" not in files[name].decode() and "javascript:" not in files[name].decode()
        assert "onclick" not in hostile.content[0].value
        assert hostile.author == "Anne Auteur"


def test_opml_lists_every_atom_feed(files: dict[str, bytes]) -> None:
    root = etree.fromstring(files["feeds/dossier.opml"])
    assert root.get("version") == "2.0"
    assert root.findtext("head/dateModified") == "Mon, 03 Jun 2024 11:00:00 GMT"
    assert root.find("head/dateCreated") is None
    urls = [o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")]
    assert urls == [f"{SITEURL}/feeds/all.atom.xml"] + [
        f"{SITEURL}/feeds/themes/{slug}.atom.xml" for slug in LABELS
    ]
    assert {o.get("type") for o in root.iter("outline") if o.get("xmlUrl")} == {"rss"}
    texts = [(o.get("text"), (o.text or "").strip()) for o in root.iter("outline")]
    assert texts[:3] == [
        ("Villes et territoires intelligents", ""),
        ("Thèmes du dossier", ""),
        (f"Villes et territoires intelligents — {LABELS['participation']}", ""),
    ]
    assert len(texts) == 14


def test_two_builds_give_the_same_bytes(tmp_path: Path, files: dict[str, bytes]) -> None:
    assert build(tmp_path / "again") == files
    second = build(tmp_path / "again")
    assert second == files
    # Every date in the feed is an article's own (2024): neither the fetch time (FETCHED,
    # 2025) nor the build's clock (this year) leaks into it.
    atom = files["feeds/all.atom.xml"]
    years = set(re.findall(rb"<(?:updated|published)>(\d{4})-", atom))
    assert years == {b"2024"}
    assert str(datetime.now(UTC).year).encode() not in atom


def test_updated_moves_only_when_the_content_changes(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "cache")
    build(tmp_path, sample(settings))
    later = datetime(2025, 7, 14, 6, 0, tzinfo=UTC)
    files = build(tmp_path, sample(settings, later, capteurs="<p>Texte révisé.</p>"))
    feed = feedparser.parse(files["feeds/all.atom.xml"])
    assert {e.title: e.updated for e in feed.entries if "hostile" not in e.link} == {
        "Article capteurs": "2025-07-14T06:00:00Z",
        "Villes intelligentes\u00a0: tous concernés": "2024-03-01T09:00:00Z",
    }
    assert feed.feed.updated == "2025-07-14T06:00:00Z"
    state = load_state(tmp_path / "cache" / STATE_FILE)
    assert state[entry_id("https://www.cerema.fr/fr/actualites/capteurs")] == {
        "hash": content_hash("Article capteurs", "<p>Texte révisé.</p>"),
        "updated": "2025-07-14T06:00:00Z",
    }
    again = datetime(2025, 8, 1, tzinfo=UTC)  # same content, fetched later: nothing moves
    assert build(tmp_path, sample(settings, again, capteurs="<p>Texte révisé.</p>")) == files


def typographed(settings: dict, fetched_at: datetime, capteurs: str) -> list[Article]:
    """The sample as make_article now gives it: bodies with our typography (bodytypo),
    each with the body as cleaned beside it."""
    articles = sample(settings, fetched_at, capteurs=typo_body(capteurs))
    for item in articles:
        item.cleaned_body = capteurs if item.slug == "capteurs" else item.content
    return articles


def test_our_typography_alone_does_not_move_updated(tmp_path: Path) -> None:
    # The state was written from bodies without typography; the same bodies come back
    # typographed: no change of the article, so ``updated`` stays.
    settings = settings_for(tmp_path / "cache")
    plain = "<p>Capteurs : 30 % de fuites en moins.</p>"
    first = build(tmp_path, sample(settings, capteurs=plain))["feeds/all.atom.xml"]
    later = datetime(2025, 7, 14, 6, 0, tzinfo=UTC)
    again = build(tmp_path, typographed(settings, later, plain))["feeds/all.atom.xml"]
    before, after = feedparser.parse(first), feedparser.parse(again)
    assert [e.updated for e in after.entries] == [e.updated for e in before.entries]
    capteurs = next(e for e in after.entries if e.title == "Article capteurs")
    assert "Capteurs&nbsp;: 30&nbsp;% de fuites" in capteurs.content[0].value
    revised = build(tmp_path, typographed(settings, later, "<p>Texte révisé.</p>"))
    moved = feedparser.parse(revised["feeds/all.atom.xml"])
    capteurs = next(e for e in moved.entries if e.title == "Article capteurs")
    assert capteurs.updated == "2025-07-14T06:00:00Z"  # a real change still moves it


def test_summary_mode_leaves_the_full_text_out(tmp_path: Path) -> None:
    files = build(tmp_path, DOSSIER_FEED_CONTENT="summary")
    atom = etree.fromstring(files["feeds/all.atom.xml"])
    assert list(atom.iter(f"{A}content")) == []
    assert next(s.text for s in atom.iter(f"{A}summary")) == "Résumé de capteurs."
    rss = files["feeds/all.rss.xml"].decode()
    assert "content:encoded" not in rss and "Texte de l’article" not in rss


def test_feed_max_items_keeps_the_newest_entries(tmp_path: Path) -> None:
    every = build(tmp_path / "all")
    files = build(tmp_path / "two", FEED_MAX_ITEMS=2)
    for name in ("feeds/all.atom.xml", "feeds/all.rss.xml"):
        feed, whole = feedparser.parse(files[name]), feedparser.parse(every[name])
        assert feed.bozo == 0 and len(whole.entries) == 3
        assert [e.id for e in feed.entries] == [e.id for e in whole.entries[:2]]
        assert whole.entries[0].published_parsed >= whole.entries[2].published_parsed


def test_without_an_absolute_siteurl_nothing_is_written(tmp_path: Path, caplog) -> None:
    # a site built for absolute URLs (RELATIVE_URLS off) but without an address
    settings = settings_for(tmp_path / "cache", SITEURL="", RELATIVE_URLS=False)
    context = {"articles": [], "dossier": hub()}
    assert write_feeds(context, settings, tmp_path / "out", dossier_settings(settings)) == []
    assert "must be an absolute URL" in caplog.text


def test_a_local_build_points_its_feeds_where_make_serve_serves_it(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "cache", SITEURL="", PORT=8123)
    assert settings["RELATIVE_URLS"] is True and settings["FEED_DOMAIN"] == ""
    context = {"articles": sample(settings), "dossier": hub()}
    written = write_feeds(context, settings, tmp_path, dossier_settings(settings))
    feed = feedparser.parse((tmp_path / "feeds/all.atom.xml").read_bytes())
    assert len(written) == 27 and feed.bozo == 0
    assert feed.feed.links[0].href == "http://127.0.0.1:8123/feeds/all.atom.xml"
    assert feed.entries[0].link == "http://127.0.0.1:8123/articles/capteurs/"


def test_each_feed_gives_an_article_its_own_stable_id(tmp_path: Path) -> None:
    files = build(tmp_path)
    ids = {}
    for name, data in files.items():
        if name.endswith(".atom.xml"):
            ids[name] = {e.link.rsplit("/", 2)[1]: e.id for e in feedparser.parse(data).entries}
    capteurs = entry_id("https://www.cerema.fr/fr/actualites/capteurs")
    assert ids["feeds/all.atom.xml"]["capteurs"] == capteurs
    assert ids["feeds/themes/donnees.atom.xml"]["capteurs"] == scoped_id(capteurs, "donnees")
    assert ids["feeds/themes/libertes.atom.xml"]["capteurs"] == scoped_id(capteurs, "libertes")
    every = [i for feed in ids.values() for i in feed.values()]
    assert len(every) == len(set(every)) == 3 + 5  # all: 3; donnees 2, libertes, methode, terr.
    rss = feedparser.parse(files["feeds/themes/donnees.rss.xml"])
    assert {e.id for e in rss.entries} == set(ids["feeds/themes/donnees.atom.xml"].values())
    assert build(tmp_path / "again") == files  # stable across builds


def test_authors_entry_is_the_source_feed_is_the_site(files: dict[str, bytes]) -> None:
    feed = feedparser.parse(files["feeds/all.atom.xml"])
    assert feed.feed.author == "Villes et territoires intelligents"
    # capteurs names no author: its source, named as the site names it
    assert [e.author for e in feed.entries] == ["Cerema", "Anne Auteur", "Cerema"]
    rss = feedparser.parse(files["feeds/themes/donnees.rss.xml"])
    assert [e.author for e in rss.entries] == ["Cerema", "Anne Auteur"]


def test_a_feed_without_entries_carries_a_real_date(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "cache")
    before = datetime.now(UTC).replace(microsecond=0)
    context = {"articles": [], "dossier": hub()}
    written = write_feeds(context, settings, tmp_path / "out", dossier_settings(settings))
    files = {str(p.relative_to(tmp_path / "out")): p.read_bytes() for p in written}
    for name in ("feeds/all.atom.xml", "feeds/themes/mobilite.atom.xml"):
        updated = etree.fromstring(files[name]).findtext(f"{A}updated")  # nothing known: now
        assert before <= datetime.fromisoformat(updated) <= datetime.now(UTC), (name, updated)
    fetched = datetime(2025, 6, 1, 8, 0, 12, 345, tzinfo=UTC)
    assert fallback_date([], fetched) == datetime(2025, 6, 1, 8, 0, 12, tzinfo=UTC)
    state = {"a": {"updated": "2024-02-01T00:00:00Z"}, "b": {"updated": "bad"}}
    assert fallback_date([], None, state) == datetime(2024, 2, 1, tzinfo=UTC)
    # empty theme feeds of a dossier with articles: the newest entry, byte-stable
    files = build(tmp_path / "sample")
    atom = etree.fromstring(files["feeds/themes/mobilite.atom.xml"])
    rss = etree.fromstring(files["feeds/themes/mobilite.rss.xml"])
    assert atom.findtext(f"{A}updated") == "2024-06-03T11:00:00Z"
    assert rss.findtext("channel/lastBuildDate") == "Mon, 03 Jun 2024 11:00:00 GMT"


def test_ids_ignore_scheme_host_prefix_slash_and_tracking() -> None:
    same = {
        entry_id(u)
        for u in (
            "https://www.cerema.fr/fr/actualites/x",
            "http://cerema.fr/fr/actualites/x/",
            "https://www.cerema.fr/fr/actualites/x#haut",
            "https://www.cerema.fr/fr/actualites/x?utm_source=lettre",
        )
    }
    assert same == {f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'cerema.fr/fr/actualites/x')}"}
    assert entry_id("https://www.cerema.fr/fr/actualites/y") not in same


def test_feed_html_sanitises_and_absolutises() -> None:
    html = '<p style="x">a<script>b()</script></p><a href="../doc.pdf">d</a><img src="//c/i.png">'
    # Another site's image is never hot-linked: it is dropped.
    assert feed_html(html, "https://www.cerema.fr/fr/actualites/x") == (
        '<p>a</p><a href="https://www.cerema.fr/fr/doc.pdf" rel="noopener noreferrer">d</a>'
    )


def test_feed_html_points_images_to_our_copies() -> None:
    own = "images/0123456789abcdef01234567"
    html = (
        f'<picture><source type="image/webp" srcset="{own}.webp 320w">'
        f'<img src="{own}.jpg" srcset="{own}.jpg 320w" width="320" height="200" alt="a"></picture>'
        '<img src="https://site.example/documents/0123456789abcdef01234567.jpg" alt="p">'
        '<img src="https://site.example.evil/x.jpg" alt="e">'
        '<img src="images/../../etc/passwd" alt="t">'
    )
    body = feed_html(html, "https://www.cerema.fr/fr/actualites/x", "https://site.example")
    assert body == (
        f'<img src="https://site.example/{own}.jpg" width="320" height="200" alt="a">'
        '<img src="https://site.example/documents/0123456789abcdef01234567.jpg" alt="p">'
    )


def test_next_updated() -> None:
    initial = datetime(2024, 1, 1, tzinfo=UTC)
    fetched = datetime(2025, 1, 1, tzinfo=UTC)
    stored = {"hash": "h1", "updated": "2024-06-01T00:00:00Z"}
    assert next_updated("h1", initial, fetched, None) == initial
    assert next_updated("h1", initial, fetched, stored) == datetime(2024, 6, 1, tzinfo=UTC)
    assert next_updated("h2", initial, fetched, stored) == fetched
    old_fetch = datetime(2023, 1, 1, tzinfo=UTC)  # never goes back in time
    assert next_updated("h2", initial, old_fetch, stored) == datetime(2024, 6, 1, tzinfo=UTC)
    assert next_updated("h2", initial, fetched, {"updated": "garbage"}) == initial


def test_rfc822_ignores_the_locale() -> None:
    assert rfc822(datetime(2024, 12, 25, 23, 5, tzinfo=UTC)) == "Wed, 25 Dec 2024 23:05:00 GMT"


@pytest.mark.newsboat
@pytest.mark.skipif(NEWSBOAT is None, reason="newsboat is not installed (apt-get install newsboat)")
def test_newsboat_reads_the_hostile_sample(tmp_path: Path) -> None:
    build(tmp_path)
    expected = {"all.atom.xml": 3, "all.rss.xml": 3, "themes/donnees.rss.xml": 2}
    expected |= {"themes/methode.atom.xml": 1, "themes/mobilite.atom.xml": 0}
    with serve_folder(tmp_path / "out" / "feeds") as url:
        seen = {n: newsboat_unread(f"{url}/{n}", tmp_path / n.replace("/", "_")) for n in expected}
    assert seen == expected
