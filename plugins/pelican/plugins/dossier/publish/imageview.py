"""An article's lead image on a hub card: a small, sized, lazy <picture> of our own files.

Built with MarkupSafe like the plaquette's pages (``docview``): the URLs are our asset
names under SITEURL and the sizes are numbers, so nothing from the source reaches the
markup unescaped. The picture is decorative (``alt=""``): the card's title, next to it,
says what the article is about.
"""

from __future__ import annotations

from markupsafe import Markup

from ..model import ImageCopy

CARD_SIZES = "6rem"  # the thumbnail's width in site.css (.card .thumb)


def _srcset(base: str, images: tuple[tuple[int, str], ...]) -> str:
    return ", ".join(f"{base}/{name} {width}w" for width, name in images)


def card_picture(image: ImageCopy, base: str) -> Markup:
    """The lead image as a card's thumbnail: the narrowest rendition is enough."""
    if not image.ok:
        return Markup("")
    width, src = image.fallback[0]
    height = max(1, round(image.height * width / image.width))
    return Markup(
        '<picture class="thumb"><source type="image/webp" srcset="{webp}" sizes="{sizes}">'
        '<img src="{src}" srcset="{fallback}" sizes="{sizes}" width="{w}" height="{h}" alt=""'
        ' loading="lazy" decoding="async"></picture>'
    ).format(
        webp=_srcset(base, image.webp),
        fallback=_srcset(base, image.fallback),
        src=f"{base}/{src}",
        sizes=CARD_SIZES,
        w=width,
        h=height,
    )
