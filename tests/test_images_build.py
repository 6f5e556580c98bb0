"""Images are ours: the sample mirror's figures and lead images, fetched, kept and resized.

The mirror draws its images at start-up (tests/imagemaker.py, routes in _routes.toml).
One cold build and one warm build share a module fixture; the hostile build serves an
article whose figures are a decompression bomb, a PNG of absurd dimensions, an SVG and
a missing file next to one good picture.
"""

from __future__ import annotations

import io
import json
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile import HostileServer, respond, scan_output
from lxml import html
from mirror import MirrorServer
from pelican.plugins.dossier.document import images as images_module
from PIL import Image
from support import SITEURL, START_PATH, build_site

LIGHTING = "/fr/actualites/eclairage-public-intelligent-sobriete"
WATER = "/fr/actualites/reseaux-eau-potable-capteurs-fuites"
OWN = re.compile(rf"^{re.escape(SITEURL)}/images/[0-9a-f]{{24}}\.(?:webp|jpg|png)$")
IMAGE_PATHS = ("/sites/default/files/",)


@dataclass(frozen=True)
class Builds:
    output: Path
    cold: tuple[int, int]  # image requests, body bytes of the whole build
    warm: tuple[int, int]  # the same for the rebuild with nothing changed
    warm_statuses: dict[int, int]


def _image_traffic(server: MirrorServer) -> tuple[int, int]:
    paths = [p for p in server.stats.paths if p.startswith(IMAGE_PATHS)]
    return len(paths), server.stats.body_bytes


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builds]:
    base = tmp_path_factory.mktemp("images")
    output, cache = base / "out", base / "cache"
    with MirrorServer() as server:
        build_site(output, cache, server.url(START_PATH))
        cold = _image_traffic(server)
        server.reset_stats()
        with pytest.MonkeyPatch.context() as patch:  # a warm build encodes nothing
            patch.setattr(images_module, "render_images", _no_rendering)
            build_site(output, cache, server.url(START_PATH))
        warm = _image_traffic(server)
        statuses = dict(server.stats.statuses)
    print(f"image requests / body bytes: cold {cold}, warm {warm}; warm statuses {statuses}")
    yield Builds(output, cold, warm, statuses)


def _no_rendering(bodies: list[bytes], limits: object) -> list[object]:
    if bodies:
        raise AssertionError(f"a warm build re-encoded {len(bodies)} image(s)")
    return []


def _page(output: Path, source_path: str) -> html.HtmlElement:
    data = json.loads((output / "dossier.json").read_text(encoding="utf-8"))
    entry = next(a for a in data["articles"] if a["source_url"].endswith(source_path))
    return html.fromstring((output / entry["path"] / "index.html").read_text(encoding="utf-8"))


def _entry(output: Path, source_path: str) -> dict:
    data = json.loads((output / "dossier.json").read_text(encoding="utf-8"))
    return next(a for a in data["articles"] if a["source_url"].endswith(source_path))


def test_figures_are_our_resized_copies_with_srcset_and_sizes(builds: Builds) -> None:
    page = _page(builds.output, LIGHTING)
    figure = page.cssselect("article figure")[0]
    picture = figure.find("picture")
    # libxml2 does not know <source> is void: look for the img anywhere in the picture.
    source, img = next(picture.iter("source")), next(picture.iter("img"))
    assert source.get("type") == "image/webp"
    webp = [c.split() for c in source.get("srcset").split(", ")]
    assert [w for _u, w in webp] == ["320w", "640w", "1200w"]  # 1200 wide: never enlarged
    assert all(OWN.match(u) for u, _w in webp)
    fallback = [c.split()[0] for c in img.get("srcset").split(", ")]
    assert all(OWN.match(u) and u.endswith(".jpg") for u in fallback)
    assert OWN.match(img.get("src")) and img.get("src") in fallback
    assert (img.get("width"), img.get("height")) == ("640", "400")  # the 1200 × 750 original
    assert img.get("alt") == "Lanterne LED équipée d’un détecteur de présence dans une rue de bourg"
    assert img.get("loading") is None  # the article's first image is not lazy
    assert img.get("sizes") == source.get("sizes") == "(min-width: 48rem) 640px, calc(100vw - 2rem)"
    assert figure.find("figcaption").text_content().startswith("Une lanterne LED avec détecteur")


def test_every_rendition_is_stored_under_its_content_hash(builds: Builds) -> None:
    files = sorted((builds.output / "images").iterdir())
    assert files and all(re.fullmatch(r"[0-9a-f]{24}\.(webp|jpg)", f.name) for f in files)
    for file in files:
        data = file.read_bytes()
        assert file.stem == images_module.hashlib.sha256(data).hexdigest()[:24]
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == {".webp": "WEBP", ".jpg": "JPEG"}[file.suffix]
            assert image.width in (320, 600, 640, 1200, 1280)
    referenced = set()
    for page in [*builds.output.rglob("*.html"), builds.output / "dossier.json"]:
        referenced |= set(re.findall(r"images/[0-9a-f]{24}\.\w+", page.read_text("utf-8")))
    names = {f"images/{f.name}" for f in files}
    # nothing missing and nothing unused: the one lead image that is in no body brings
    # its hub thumbnail (the narrowest WebP) and the copy dossier.json names, not its
    # other four renditions
    assert referenced == names


def test_dossier_json_records_each_image_and_our_copy(builds: Builds) -> None:
    images = _entry(builds.output, WATER)["images"]
    assert len(images) == 1  # the body's picture is also the lead image: fetched once
    assert images[0]["status"] == "not-modified" and images[0]["reason"] is None
    assert (images[0]["width"], images[0]["height"]) == (1280, 854)
    assert (builds.output / images[0]["copy"]).is_file()


def test_hub_cards_show_the_lead_image_as_a_thumbnail(builds: Builds) -> None:
    hub = html.fromstring((builds.output / "index.html").read_text(encoding="utf-8"))
    thumbs = hub.cssselect(".card img.thumb")
    assert len(thumbs) >= 2
    for img in thumbs:  # decorative, lazy, sized: the narrowest WebP (see imageview)
        assert OWN.match(img.get("src")) and img.get("src").endswith(".webp")
        assert img.get("alt") == "" and img.get("loading") == "lazy"
        assert int(img.get("width")) == 320 and int(img.get("height")) > 0
    card = next(c for c in hub.cssselect(".card") if "Éclairage public" in c.text_content())
    assert card.cssselect("img.thumb")
    plain = next(
        c for c in hub.cssselect(".card") if "raisonner en coût global" in c.text_content()
    )
    assert not plain.cssselect("img")  # no lead image, no thumbnail


def test_nothing_points_to_the_source_for_an_image(builds: Builds) -> None:
    for path in builds.output.rglob("*"):
        if path.suffix not in (".html", ".xml") or path.parts[-2] == "pagefind":
            continue
        text = path.read_text(encoding="utf-8")
        assert "/sites/default/files/" not in text, path
        assert "img-src 'self' http://127.0.0.1:9 data:;" in text or path.suffix == ".xml"
    assert scan_output(builds.output) == []


def test_feeds_carry_our_copies_under_the_feed_address(builds: Builds) -> None:
    feed = (builds.output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    sources = re.findall(r"&lt;img src=&#34;([^&]+)&#34;|&lt;img src=\"([^\"]+)\"", feed)
    urls = {a or b for a, b in sources} or set(re.findall(r'img src="([^"]+)"', feed))
    own = {u for u in urls if "/images/" in u}
    assert own and all(OWN.match(u) for u in own)


def test_a_warm_build_downloads_and_encodes_no_image(builds: Builds) -> None:
    count, body_bytes = builds.cold
    assert count == 4 and body_bytes > 500_000  # the cold build did download them
    assert builds.warm == (4, 0)  # asked again, conditionally, and no body came back
    assert builds.warm_statuses[304] >= 4


# The hostile article: every way an image can fail, next to one good picture.

BOMB = "/img/bombe.png"
HUGE = "/img/immense.png"
SVG = "/img/dessin.svg"
MISSING = "/img/disparue.png"
GOOD = "/sites/default/files/styles/large/eclairage-led.png"
CAPTIONS = {
    BOMB: "Légende de la bombe",
    HUGE: "Légende immense",
    SVG: "Légende du dessin",
    MISSING: "Légende disparue",
    GOOD: "Légende de la bonne image",
}


def bomb_png() -> bytes:
    """A real PNG of 4000 × 3000 black pixels: a few KB that decode to 36 MB."""
    buffer = io.BytesIO()
    Image.new("L", (4000, 3000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def huge_png() -> bytes:
    """A PNG header claiming 100 000 × 100 000 pixels, with a token of data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


SVG_BODY = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b'<script>alert(2)</script><rect width="10" height="10"/></svg>'
)


def hostile_article(server: HostileServer) -> bytes:
    page = server.page(LIGHTING).decode("utf-8")
    figures = "".join(
        f'<figure><img src="{path}" alt="Image {i}"><figcaption>{caption}</figcaption></figure>'
        for i, (path, caption) in enumerate(CAPTIONS.items())
    )
    start = page.index('<figure class="image-legende">')
    end = page.index("</figure>", start) + len("</figure>")
    return (page[:start] + figures + page[end:]).encode("utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("hostile-images")
    with HostileServer() as server:
        server.override(LIGHTING, respond(body=hostile_article(server)))
        server.override(BOMB, respond(body=bomb_png(), headers={"Content-Type": "image/png"}))
        server.override(HUGE, respond(body=huge_png(), headers={"Content-Type": "image/png"}))
        server.override(SVG, respond(body=SVG_BODY, headers={"Content-Type": "image/svg+xml"}))
        build_site(
            base / "out", base / "cache", server.url(START_PATH), DOSSIER_IMAGE_MAX_PIXELS=2_000_000
        )
    yield base / "out"


def test_hostile_images_are_refused_and_reported(hostile: Path) -> None:
    images = {urlpath(i["url"]): i for i in _entry(hostile, LIGHTING)["images"]}
    assert images[GOOD]["status"] == "fetched" and images[GOOD]["copy"]
    assert images[BOMB]["status"] == "failed"
    assert "DOSSIER_IMAGE_MAX_PIXELS" in images[BOMB]["reason"]
    assert "4000 × 3000" in images[BOMB]["reason"] or "bomb" in images[BOMB]["reason"]
    assert images[HUGE]["status"] == "failed"
    assert "DOSSIER_IMAGE_MAX_PIXELS" in images[HUGE]["reason"]
    assert images[SVG]["status"] == "failed" and "SVG image refused" in images[SVG]["reason"]
    assert images[MISSING]["status"] == "failed" and "404" in images[MISSING]["reason"]
    assert all(images[p]["copy"] is None for p in (BOMB, HUGE, SVG, MISSING))


def urlpath(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_a_dropped_image_keeps_its_caption_and_is_never_hot_linked(hostile: Path) -> None:
    page = _page(hostile, LIGHTING)
    figures = page.cssselect("article figure")
    captions = [f.find("figcaption").text_content() for f in figures]
    assert captions[: len(CAPTIONS)] == list(CAPTIONS.values())
    assert [bool(f.findall("picture")) for f in figures[: len(CAPTIONS)]] == [
        False,
        False,
        False,
        False,
        True,
    ]
    assert all(
        any(a.tag == "picture" for a in img.iterancestors())
        for img in page.cssselect("article img")
    )
    for path in hostile.rglob("*"):
        if path.suffix in (".html", ".xml") and "pagefind" not in path.parts:
            text = path.read_text(encoding="utf-8")
            assert not [bad for bad in (BOMB, HUGE, SVG, MISSING) if bad in text], path
    assert scan_output(hostile) == []
