"""The theme on the site built from the sample mirror: weight and third-party references.

Privacy rule checked here (also in theme/README.md): a page may make the browser
fetch only from the site itself, except images inside an article's text, which
may come from that article's own source host. Links (``<a href>``) may point
anywhere, and ``<link rel="canonical">`` points to the original on purpose.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from mirror import SITE_ROOT, MirrorServer
from pelican.plugins.dossier.publish.minify import minify_text
from support import SITEURL, START_PATH, build_site

ROOT = Path(__file__).resolve().parent.parent
HUB_BUDGET = 60_000  # bytes of HTML + CSS + JS for the hub, images aside
# Attributes that make a browser fetch something, by tag.
FETCHING = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
}


@dataclass(frozen=True)
class Ref:
    """One URL a page makes the browser fetch (or declares), with where it sits."""

    tag: str
    attr: str
    rel: str
    url: str
    in_prose: bool


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[Ref] = []
        self.depth = 0  # > 0 inside the article text (<div class="prose">)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "div":
            self.depth += 1 if (self.depth or "prose" in values.get("class", "").split()) else 0
        if "style" in values and "url(" in values["style"]:
            self.refs.append(Ref(tag, "style", "", values["style"], self.depth > 0))
        names = ("href",) if tag == "link" else FETCHING.get(tag, ())
        for name in names:
            for url in _urls(values.get(name, ""), name):
                self.refs.append(Ref(tag, name, values.get("rel", ""), url, self.depth > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.depth:
            self.depth -= 1


def _urls(value: str, attr: str) -> list[str]:
    if not value:
        return []
    if attr == "srcset":
        return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
    return [value]


def page_refs(html: str) -> list[Ref]:
    """Every fetching reference of a page, and its <link> declarations."""
    parser = _Refs()
    parser.feed(html)
    return parser.refs


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def foreign_refs(html: str, page_url: str, site: str, source: str | None) -> list[Ref]:
    """References that would make the browser reach a host other than the site's.

    No exception: article images are our own copies (document.images), never the
    ``source``'s (kept in the signature for the callers' readability).
    """
    bad = []
    for ref in page_refs(html):
        if ref.attr == "style":  # no url() in inline styles at all
            bad.append(ref)
            continue
        url = urljoin(page_url, ref.url)
        if (ref.tag == "link" and ref.rel == "canonical") or url.startswith("data:"):
            continue
        if origin(url) != site:
            bad.append(ref)
    return bad


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with MirrorServer() as mirror:
        base = tmp_path_factory.mktemp("theme-site")
        return build_site(base / "out", base / "cache", mirror.url(START_PATH))


def hub_weight(output: Path) -> dict[str, int]:
    """Bytes of the hub's HTML and of every stylesheet and script it loads."""
    html = (output / "index.html").read_text(encoding="utf-8")
    sizes = {"index.html": len(html.encode("utf-8"))}
    for ref in page_refs(html):
        if (ref.tag == "link" and ref.rel == "stylesheet") or ref.tag == "script":
            relative = urlsplit(ref.url).path.lstrip("/")
            sizes[relative] = (output / relative).stat().st_size
    return sizes


def test_hub_weight_under_budget(site: Path) -> None:
    sizes = hub_weight(site)
    total = sum(sizes.values())
    print(f"hub weight: {total} bytes ({total / 1000:.1f} kB) " + repr(sizes))
    scripts = {"theme/js/commun.js", "theme/js/filtres.js"}
    assert set(sizes) == {"index.html", "theme/css/site.css", *scripts}
    assert total < HUB_BUDGET


def test_the_site_serves_the_theme_minified(site: Path) -> None:
    sources = sorted((ROOT / "theme" / "static").rglob("*.[cj]s*"))
    assert {p.suffix for p in sources} == {".css", ".js"}
    for source in sources:
        served = site / "theme" / source.relative_to(ROOT / "theme" / "static")
        text = source.read_text(encoding="utf-8")
        assert served.read_text(encoding="utf-8") == minify_text(text, source.suffix)
        assert served.stat().st_size < len(text.encode("utf-8")), source.name


def test_no_page_fetches_from_a_third_party(site: Path) -> None:
    data = json.loads((site / "dossier.json").read_text(encoding="utf-8"))
    sources = {a["path"]: origin(a["canonical_url"]) for a in data["articles"] if a["path"]}
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == len(sources) + 2 + sum(
        1 for t in data["themes"] if t["count"]
    )  # + hub, history page
    for path in pages:
        relative = path.relative_to(site).as_posix().removesuffix("index.html")
        html = path.read_text(encoding="utf-8")
        bad = foreign_refs(html, f"{SITEURL}/{relative}", SITEURL, sources.get(relative))
        assert bad == [], relative


def test_article_images_are_our_own_copies(site: Path) -> None:
    data = json.loads((site / "dossier.json").read_text(encoding="utf-8"))
    seen = 0
    for article in data["articles"]:
        html = (site / article["path"] / "index.html").read_text(encoding="utf-8")
        images = [r for r in page_refs(html) if r.tag in ("img", "source")]
        # the plaquette's own pages are images of our copy of its PDF, served by the site
        pages = [r for r in images if r.url.startswith(f"{SITEURL}/documents/")]
        shown = [r for r in pages if r.attr == "src"]
        assert len(shown) == (4 if article["plaquette"] else 0), article["path"]
        assert all(r.in_prose for r in images)
        figures = [r for r in images if r not in pages]
        # every other image is our resized copy of the article's own figure
        assert all(re.match(rf"{SITEURL}/images/[0-9a-f]{{24}}\.", r.url) for r in figures)
        seen += len(figures)
    assert seen >= 3  # the sample has pictures, so the rule above was exercised


def test_static_files_reference_nothing_outside(site: Path) -> None:
    for path in sorted((site / "theme").rglob("*.*")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://|@import|//[a-z0-9.-]+\.[a-z]{2,}/", text), path.name


def test_feed_autodiscovery_on_every_page(site: Path) -> None:
    for path in sorted(site.rglob("*.html")):
        links = [r.url for r in page_refs(path.read_text(encoding="utf-8")) if r.rel == "alternate"]
        assert links[:2] == [f"{SITEURL}/feeds/all.atom.xml", f"{SITEURL}/feeds/all.rss.xml"]
    theme = (site / "themes/territoires/index.html").read_text(encoding="utf-8")
    assert [r.url for r in page_refs(theme) if r.rel == "alternate"][2:] == [
        f"{SITEURL}/feeds/themes/territoires.atom.xml",
        f"{SITEURL}/feeds/themes/territoires.rss.xml",
    ]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def test_every_internal_link_leads_to_a_file(site: Path) -> None:
    checked = set()
    for path in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            if href.startswith(SITEURL + "/"):
                target = site / urlsplit(href).path.lstrip("/")
                if urlsplit(href).path.endswith("/"):  # a page, maybe with a #fragment
                    target = target / "index.html"
                assert target.is_file(), (path.relative_to(site).as_posix(), href)
                checked.add(href)
    assert f"{SITEURL}/feeds/dossier.opml" in checked
    assert len(checked) > 30


def test_hub_counts_match_the_mirror(site: Path) -> None:
    expected = tomllib.loads((SITE_ROOT / "expected.toml").read_text(encoding="utf-8"))
    hub = (site / "index.html").read_text(encoding="utf-8")
    found = len(expected["articles"])
    assert f"{expected['announced']} articles annoncés, {found} publiés" in hub
    assert hub.count('<article class="card"') == found - 1  # and the plaquette as lead


PLAIN_SPACE = re.compile(r"(?:^|\S) [:;!?»]|« ")


def test_every_page_spaces_french_punctuation(site: Path) -> None:
    """Our strings, the titles and the French bodies alike: no plain space where a line
    could break before « : ; ! ? » » or after « « » (code is left as written)."""
    seen = 0
    for path in sorted(site.rglob("*.html")):
        tree = lxml.html.fromstring(path.read_bytes())
        for node in tree.iter():
            if not isinstance(node.tag, str) or node.tag in ("script", "style", "pre", "code"):
                continue
            shown = ("title", "aria-label", "alt") + (("content",) if node.tag == "meta" else ())
            texts = [node.text or "", *(node.get(a) or "" for a in shown)]
            texts += [child.tail or "" for child in node]
            for text in texts:
                seen += len(text)
                found = PLAIN_SPACE.search(text)
                assert found is None, (path.relative_to(site).as_posix(), text[:120])
    assert seen > 50_000
