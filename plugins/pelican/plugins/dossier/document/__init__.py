"""Document: the plaquette's own document (its PDF), kept on the site and readable in it.

``find`` follows a download link that leads to a web page (a shop's) one hop to the
document it offers; ``render`` draws every page and reads its text in a worker process
with limits (PDFium through pypdfium2, Pillow for WebP and JPEG); ``plaquette`` ties them
together: the ``Document`` the publish stage shows, its render cache and our copies. The
document's body is fetched by ``fetch.docfetch`` with the same good-copy rules as pages.
``images`` and ``imagerender`` do the same for the images articles show (figures, lead
images): fetched by the same rules, resized in a worker process, kept by content.
"""

from .find import resolve_attachment
from .images import article_images, publish_images
from .plaquette import DocPage, Document, plaquette_document, publish_document

__all__ = [
    "DocPage",
    "Document",
    "article_images",
    "plaquette_document",
    "publish_document",
    "publish_images",
    "resolve_attachment",
]
