"""French typography in a whole site built from the sample mirror: article pages and the
dossier's feeds carry the same retouched bodies; an English article is left alone."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import feedparser
import lxml.html
import pytest
from mirror import SITE_ROOT, MirrorServer
from support import EXPECTED, SITEURL, build_site

NBSP, NNBSP = "\u00a0", "\u202f"
ENGLISH = "rgpd-collectivites-projets-numeriques"  # made English in our copy of the mirror
WITH_CODE = "souverainete-numerique-logiciels-libres-collectivites"
# Our own paragraph, added to WITH_CODE's body: what typography must and must not touch.
ADDED = (
    "<p>Pour l’essayer : <code>port : 8080</code>, à 14:05, "
    "sur http://exemple.fr:8080/essai ou « ailleurs ».</p>"
)
VERBATIM = ("pre", "code", "kbd", "samp", "var")
LOOSE = re.compile(r"[ ][:;!?»]|«[ ]")  # a plain space where French wants a no-break one


@pytest.fixture(scope="module")
def mirror_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample mirror: one article in English, one with code in its text."""
    root = tmp_path_factory.mktemp("mirror") / "site"
    shutil.copytree(SITE_ROOT, root)
    english = root / "fr" / "actualites" / f"{ENGLISH}.html"
    text = english.read_text(encoding="utf-8")
    english.write_text(text.replace('<html lang="fr"', '<html lang="en"', 1), encoding="utf-8")
    page = root / "fr" / "actualites" / f"{WITH_CODE}.html"
    text = page.read_text(encoding="utf-8")
    first = text.index("</p>", text.index('<div class="content">')) + len("</p>")
    page.write_text(text[:first] + ADDED + text[first:], encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(mirror_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("typo-build")
    with MirrorServer(mirror_root) as server:
        yield build_site(base / "site", base / "cache", server.url(EXPECTED["start_path"]))


@pytest.fixture(scope="module")
def paths(site: Path) -> dict[str, str]:
    """Article slug → its path in the site."""
    data = json.loads((site / "dossier.json").read_text(encoding="utf-8"))
    found = [a["path"] for a in data["articles"] if a["path"]]
    return {path.rstrip("/").rsplit("/", 1)[-1]: path for path in found}


def body_of(site: Path, path: str) -> lxml.html.HtmlElement:
    """The article's body as its page shows it (the plaquette's pages left out)."""
    page = lxml.html.parse(str(site / path / "index.html")).getroot()
    prose = page.find_class("prose")[0]
    for section in prose.find_class("document"):
        section.drop_tree()
    return prose


def prose_text(element: lxml.html.HtmlElement) -> str:
    """The text of ``element`` without its verbatim parts."""
    copy = lxml.html.fromstring(lxml.html.tostring(element, encoding="unicode"))
    for tag in VERBATIM:
        for verbatim in copy.iter(tag):
            verbatim.drop_tree()
    return copy.text_content()


def flat(text: str) -> str:
    """ASCII whitespace runs as one space: how two serialisations of one body compare."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def test_french_bodies_get_their_no_break_spaces(site: Path, paths: dict[str, str]) -> None:
    assert len(paths) == 16 and ENGLISH in paths and WITH_CODE in paths
    counts = {}
    for slug, path in paths.items():
        text = prose_text(body_of(site, path))
        counts[slug] = (text.count(NBSP), text.count(NNBSP))
        if slug != ENGLISH:
            assert LOOSE.search(text) is None, (slug, LOOSE.search(text))
    assert all(nbsp > 0 for slug, (nbsp, _) in counts.items() if slug != ENGLISH), counts
    assert sum(narrow for _, narrow in counts.values()) > 0  # « 3 000 habitants »


def test_an_english_article_is_left_as_written(site: Path, paths: dict[str, str]) -> None:
    # and says its language, for screen readers and hyphenation (the page's is French)
    assert body_of(site, paths[ENGLISH]).get("lang") == "en"
    assert body_of(site, paths[WITH_CODE]).get("lang") is None
    text = prose_text(body_of(site, paths[ENGLISH]))
    assert LOOSE.search(text) is not None  # « services : la plupart… » as the source wrote it
    assert NBSP not in text and NNBSP not in text


def test_code_times_and_urls_keep_their_colons(site: Path, paths: dict[str, str]) -> None:
    body = body_of(site, paths[WITH_CODE])
    assert [c.text for c in body.iter("code")] == ["port : 8080"]
    text = body.text_content()
    assert f"Pour l’essayer{NBSP}: port : 8080, à 14:05, sur http://exemple.fr:8080/essai" in text
    assert f"«{NBSP}ailleurs{NBSP}»." in text


@pytest.mark.parametrize("name", ["all.atom.xml", "all.rss.xml"])
def test_feeds_carry_the_bodies_the_pages_show(
    site: Path, paths: dict[str, str], name: str
) -> None:
    feed = feedparser.parse((site / "feeds" / name).read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    entries = {e.link: e for e in feed.entries}
    assert len(entries) == len(paths)
    for slug, path in paths.items():
        page = flat(body_of(site, path).text_content())
        content = entries[f"{SITEURL}/{path}"].content[0].value
        shown = flat(lxml.html.fragment_fromstring(content, create_parent="div").text_content())
        assert page and page in shown, slug
        if slug != ENGLISH:
            assert NBSP in shown, slug
