"""The document on our pages: its cover, and every page as an image followed by its text.

Built with MarkupSafe: every value that came from the document or its source page
(title, page text) is escaped, and URLs are our own asset names under SITEURL, so
nothing from the PDF can run in a page. The reading section is added to the
plaquette's HTML, which puts the words of the PDF in the page for screen readers,
in the search index (Pagefind) and in the feed entry.
"""

from __future__ import annotations

from markupsafe import Markup

from ..document.plaquette import DocPage, Document
from ..model import Attachment
from .typo import typo_fr

PAGE_SIZES = "(min-width: 48rem) 40rem, calc(100vw - 2rem)"
COVER_SIZES = "(min-width: 48rem) 15rem, 6.5rem"


def _srcset(base: str, images: tuple[tuple[int, str], ...]) -> str:
    return ", ".join(f"{base}/{name} {width}w" for width, name in images)


def picture(
    page: DocPage,
    base: str,
    alt: str,
    sizes: str,
    *,
    lazy: bool = True,
    fallback: int = 640,
    jpeg_widths: bool = True,
) -> Markup:
    """A <picture>: WebP at every width, JPEG for browsers without it (every width, or the
    ``fallback`` one only); sized, so no jump."""
    src_width, src = min(page.jpeg, key=lambda item: abs(item[0] - fallback))
    height = round(page.height * src_width / page.width)
    loading = ' loading="lazy" decoding="async"' if lazy else ""
    jpeg = Markup(' srcset="{}" sizes="{}"').format(_srcset(base, page.jpeg), sizes)
    return Markup(
        '<picture><source type="image/webp" srcset="{webp}" sizes="{sizes}">'
        '<img src="{src}"{jpeg} width="{w}" height="{h}" alt="{alt}"'
        "{loading}></picture>"
    ).format(
        webp=_srcset(base, page.webp),
        jpeg=jpeg if jpeg_widths else "",
        src=f"{base}/{src}",
        sizes=sizes,
        w=src_width,
        h=height,
        alt=alt,
        loading=Markup(loading),
    )


def cover_alt(title: str) -> str:
    """« Couverture de la plaquette « … » »: what a reader would see."""
    return typo_fr(
        f"Couverture de la plaquette « {title} »" if title else "Couverture de la plaquette"
    )


def cover(document: Document, base: str, title: str = "") -> Markup:
    """The cover for the hub's first screen: loaded at once, never lazily."""
    alt = cover_alt(title or document.title)
    # The hub's budget: browsers without WebP (very few) get the one small JPEG.
    return picture(
        document.cover, base, alt, COVER_SIZES, lazy=False, fallback=320, jpeg_widths=False
    )


def page_text(text: str, typography: bool = True) -> Markup:
    """A page's text layer, one paragraph per line, escaped; with French typography
    unless ``typography`` is false (the text as the PDF gives it)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return Markup('<p class="empty">Cette page ne contient pas de texte lisible.</p>')
    shown = (typo_fr(line) if typography else line for line in lines)
    return Markup("").join(Markup("<p>{}</p>").format(line) for line in shown)


def reading(document: Document, base: str, title: str = "", typography: bool = True) -> Markup:
    """Every page of the document, numbered, each image followed by its text (French
    typography in that text unless ``typography`` is false: see feeds.body_of)."""
    total = len(document.pages)
    items = [
        Markup(
            '<li id="page-{n}"><figure>{img}<figcaption>Page {n} sur {total}</figcaption>'
            '</figure><div class="page-text">{text}</div></li>'
        ).format(
            n=page.number,
            total=total,
            img=picture(page, base, _page_alt(page.number, total, title), PAGE_SIZES),
            text=page_text(page.text, typography),
        )
        for page in document.pages
    ]
    return Markup(
        '<section class="document" aria-labelledby="document-titre">'
        '<h2 id="document-titre">La plaquette page par page</h2>'
        "<p>Les {total} pages du document, chacune suivie de son texte.</p>"
        '<ol class="pages">{items}</ol></section>'
    ).format(total=total, items=Markup("").join(items))


def _page_alt(number: int, total: int, title: str) -> str:
    name = f"de la plaquette « {title} »" if title else "de la plaquette"
    return typo_fr(f"Page {number} sur {total} {name} ; son texte suit l’image.")


def with_our_copy(attachments: list[Attachment], document: Document) -> list[Attachment]:
    """The attachments, the document's replaced by our copy (the original stays its source).
    Our copy's URL is its path in the site, without scheme: templates and feeds put the
    site's address in front (``filters.site_url``, ``feeds.body_of``)."""
    ours = Attachment(document.path, document.title, document.media_type, document.size)
    return [ours if a.url in (document.url, document.found_on) else a for a in attachments]
