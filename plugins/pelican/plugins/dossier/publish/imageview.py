"""An article's lead image on a hub card: a small, sized, lazy image of our own files.

Built with MarkupSafe like the plaquette's pages (``docview``): the URL is our asset
name under SITEURL and the sizes are numbers, so nothing from the source reaches the
markup unescaped. The image is decorative (``alt=""``): the card's title, next to it,
says what the article is about. It is the narrowest WebP rendition alone, without a
<picture> and its JPEG fallback: the hub stays within its 60 KB budget of HTML, CSS and
JS, every current browser shows WebP, and a decorative thumbnail missing in an old one
loses the reader nothing (article pages keep the full <picture> with its fallback).
"""

from __future__ import annotations

from markupsafe import Markup

from ..model import ImageCopy


def card_picture(image: ImageCopy, base: str) -> Markup:
    """The lead image as a card's thumbnail (shown 6rem wide by site.css, .card .thumb)."""
    if not image.ok:
        return Markup("")
    width, src = image.webp[0]
    height = max(1, round(image.height * width / image.width))
    return Markup(
        '<img class="thumb" src="{src}" width="{w}" height="{h}" alt="" loading="lazy">'
    ).format(src=f"{base}/{src}", w=width, h=height)
