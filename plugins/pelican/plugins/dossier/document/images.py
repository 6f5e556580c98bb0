"""Article images made ours: fetched politely, kept by content, resized, rewritten in place.

Every ``<img>`` of a cleaned body and every lead image is fetched by
``Fetcher.fetch_images`` (the client, cache and good-copy rules of the plaquette's PDF,
raster types only, a header check before a new body replaces a good one), rendered by
``imagerender`` in a worker process, and stored in the cache's asset store under
content-addressed names (``images/<sha256 prefix>.webp``); what was rendered for given
bytes is remembered in the derived cache, so a rebuild with nothing changed neither
downloads (conditional requests) nor encodes anything. Each body image becomes a sized
``<picture>`` (WebP, then JPEG or PNG) whose URLs are our site paths, without scheme:
the render-time sanitiser puts SITEURL in front (``clean.sanitize``). An image that
cannot be published is removed (its figure and caption stay) and reported; the last
renditions of a URL stand in when its new body cannot be rendered.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree, html

from ..assets import AssetStore
from ..derived import DerivedCache, digest
from ..fetch.docfetch import DocumentCopy
from ..model import Entry, ImageCopy
from ..settings import Settings
from .imagerender import (
    IMAGE_RENDERER_VERSION,
    ImageLimits,
    RenderedImage,
    check_header,
    render_images,
)

if TYPE_CHECKING:
    from ..fetch import Fetcher

logger = logging.getLogger(__name__)

ASSETS_DIR = "assets"  # under DOSSIER_CACHE_PATH, shared with the plaquette's document
FOLDER = "images"  # under the site's output, and in the cache's asset store
SUFFIXES = {"webp": ".webp", "jpeg": ".jpg", "png": ".png"}
TYPES = {"jpeg": "image/jpeg", "png": "image/png"}
# The body column is 40rem wide from 48rem of viewport; below, the screen less its margins.
BODY_SIZES = "(min-width: 48rem) {}px, calc(100vw - 2rem)"
BODY_COLUMN = 640


def limits_of(settings: Settings) -> ImageLimits:
    """The renderer's limits from the settings."""
    return ImageLimits(
        settings.image_max_pixels, settings.image_render_timeout, settings.image_widths
    )


def image_urls(entry: Entry) -> list[str]:
    """The images an entry shows: every <img> of its body, then its lead image."""
    if entry.cleaned is None:
        return []
    urls = [img.get("src", "") for img in _fragment(entry.cleaned.html).iter("img")]
    if entry.cleaned.lead_image:
        urls.append(entry.cleaned.lead_image)
    return [u for u in dict.fromkeys(urls) if u]


def _fragment(markup: str) -> etree._Element:
    # huge_tree: past 256 levels of nesting libxml2 would drop the rest, silently
    parser = html.HTMLParser(huge_tree=True)
    return html.fragment_fromstring(markup or "", create_parent="div", parser=parser)


class ImageRenditions:
    """Renditions per image body, from the derived cache or the worker, stored as assets."""

    def __init__(self, store: AssetStore, derived: DerivedCache, limits: ImageLimits) -> None:
        self.store = store
        self.derived = derived
        self.limits = limits

    def _key(self, sha: str) -> str:
        widths = ",".join(map(str, self.limits.widths))
        return digest("image", IMAGE_RENDERER_VERSION, sha, widths, str(self.limits.max_pixels))

    def _remembered(self, key: str) -> ImageCopy | None:
        stored = self.derived.get(key)
        if not isinstance(stored, dict):
            return None
        try:
            copy = ImageCopy.from_json(stored)
        except (KeyError, TypeError, ValueError):
            return None
        return copy if all(self.store.has(n) for n in copy.assets()) else None

    def copies(self, bodies: dict[str, DocumentCopy]) -> dict[str, ImageCopy]:
        """URL → our copy of each image (or why there is none), rendering only new bytes."""
        result: dict[str, ImageCopy] = {}
        todo: dict[str, list[str]] = {}  # sha → urls
        datas: dict[str, bytes] = {}
        for url, copy in bodies.items():
            if copy.body is None:
                result[url] = ImageCopy(url, "failed", copy.reason)
                continue
            sha = hashlib.sha256(copy.body).hexdigest()
            known = self._remembered(self._key(sha))
            if known is not None:
                result[url] = _as(known, copy)
            else:
                todo.setdefault(sha, []).append(url)
                datas[sha] = copy.body
        rendered_all = render_images(list(datas.values()), self.limits)
        for sha, rendered in zip(todo, rendered_all, strict=True):
            for url in todo[sha]:
                result[url] = self._kept(sha, url, rendered, bodies[url])
        return {url: result[url] for url in bodies}

    def _kept(
        self, sha: str, url: str, rendered: RenderedImage | str, copy: DocumentCopy
    ) -> ImageCopy:
        last = f"image-last\0{url}"
        if isinstance(rendered, str):
            previous = self._remembered(digest(last))
            if previous is not None:  # the last good renditions of this URL stand in
                return replace(previous, url=url, status="stale", reason=rendered)
            return ImageCopy(url, "failed", rendered)
        image = self._store(url, rendered)
        self.derived.put(self._key(sha), image.to_json())
        self.derived.put(digest(last), image.to_json())
        return _as(image, copy)

    def _store(self, url: str, rendered: RenderedImage) -> ImageCopy:
        sets: dict[str, list[tuple[int, str]]] = {"webp": [], "fallback": []}
        for picture in rendered.pictures:
            name = self.store.put(picture.data, FOLDER, SUFFIXES[picture.format])
            sets["webp" if picture.format == "webp" else "fallback"].append((picture.width, name))
        return ImageCopy(
            url,
            "fetched",
            width=rendered.width,
            height=rendered.height,
            webp=tuple(sorted(sets["webp"])),
            fallback=tuple(sorted(sets["fallback"])),
            fallback_type=TYPES[rendered.fallback],
        )


def _as(image: ImageCopy, copy: DocumentCopy) -> ImageCopy:
    """A remembered image with this build's URL, status and reason."""
    return replace(image, url=copy.url, status=copy.status, reason=copy.reason)


def article_images(
    fetcher: Fetcher, entries: list[Entry], derived: DerivedCache
) -> tuple[list[Entry], list[str]]:
    """Every entry with its images made ours (body rewritten, lead image set), and the
    problems: one line per image dropped or kept from an earlier copy."""
    settings = fetcher.settings
    wanted = {e.source_url: image_urls(e) for e in entries}
    urls = [u for urls in wanted.values() for u in urls]
    max_pixels = settings.image_max_pixels
    bodies = fetcher.fetch_images(urls, lambda body: check_header(body, max_pixels))
    store = AssetStore(settings.cache_path / ASSETS_DIR)
    copies = ImageRenditions(store, derived, limits_of(settings)).copies(bodies)
    store.prune(FOLDER, [n for c in copies.values() if c.ok for n in c.assets()])
    problems: list[str] = []
    done = []
    for entry in entries:
        images = tuple(copies[u] for u in wanted[entry.source_url])
        problems += [_problem(entry, image) for image in images if not image.ok or image.reason]
        done.append(with_images(entry, {i.url: i for i in images}))
    for problem in problems:
        logger.warning("%s", problem)
    return done, problems


def _problem(entry: Entry, image: ImageCopy) -> str:
    if not image.ok:
        return f"image {image.url} in {entry.source_url}: {image.reason}; dropped, caption kept"
    return f"image {image.url} in {entry.source_url}: {image.reason}; keeping an earlier copy"


def with_images(entry: Entry, images: dict[str, ImageCopy]) -> Entry:
    """The entry with its body's images replaced by our <picture>s (or removed)."""
    if entry.cleaned is None:
        return entry
    body = rewrite(entry.cleaned.html, images)
    lead = images.get(entry.cleaned.lead_image or "")
    return replace(
        entry,
        cleaned=replace(entry.cleaned, html=body),
        images=tuple(images.values()),
        lead_image=lead if lead is not None and lead.ok else None,
    )


def rewrite(markup: str, images: dict[str, ImageCopy]) -> str:
    """The body with each <img> as our sized <picture>, or removed when it has no copy;
    the first image loads at once, the others lazily."""
    if "<img" not in markup:
        return markup
    root = _fragment(markup)
    first = True
    for img in list(root.iter("img")):
        image = images.get(img.get("src", ""))
        if image is None or not image.ok:
            _remove(img)
            continue
        img.addprevious(picture_element(image, img.get("alt", ""), lazy=not first))
        _remove(img)
        first = False
    inner = etree.tostring(root, encoding="unicode", method="html")
    return inner[len("<div>") : -len("</div>")]


def _remove(element: etree._Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _srcset(widths: tuple[tuple[int, str], ...]) -> str:
    return ", ".join(f"{name} {width}w" for width, name in widths)


def picture_element(image: ImageCopy, alt: str, *, lazy: bool) -> etree._Element:
    """<picture>: WebP at every width, the fallback for the rest, sized (no layout shift).
    Attribute values are set on the tree: the serialiser escapes them."""
    width, src = min(image.fallback, key=lambda item: abs(item[0] - BODY_COLUMN))
    sizes = BODY_SIZES.format(min(BODY_COLUMN, image.width))
    picture = etree.Element("picture")
    etree.SubElement(picture, "source", type="image/webp", srcset=_srcset(image.webp), sizes=sizes)
    img = etree.SubElement(picture, "img", src=src, srcset=_srcset(image.fallback))
    img.set("sizes", sizes)
    img.set("width", str(width))
    img.set("height", str(max(1, round(image.height * width / image.width))))
    img.set("alt", alt)
    if lazy:
        img.set("loading", "lazy")
    img.set("decoding", "async")
    return picture


def published_assets(entry: Entry) -> set[str]:
    """The image files the site needs for an entry: every rendition its body links, the
    lead image's card thumbnail (its narrowest WebP), and each image's largest fallback,
    which dossier.json names as our copy. A lead image that is in no body thus costs two
    files, not every rendition."""
    body = entry.cleaned.html if entry.cleaned is not None else ""
    names = {n for i in entry.images if i.ok for n in i.assets() if n in body}
    names |= {i.fallback[-1][1] for i in entry.images if i.ok and i.fallback}
    if entry.lead_image is not None and entry.lead_image.webp:
        names.add(entry.lead_image.webp[0][1])
    return names


def publish_images(entries: list[Entry], cache_path: Path, output: Path) -> int:
    """Copy the images the articles show from the cache into the site, and remove any
    other from the site's images folder; returns how many files were written."""
    names = sorted({n for e in entries for n in published_assets(e)})
    site = AssetStore(output)
    written = AssetStore(cache_path / ASSETS_DIR).copy_into(site, names)
    site.prune(FOLDER, names)
    return written
