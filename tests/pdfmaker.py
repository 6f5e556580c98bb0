"""A tiny PDF writer for tests: pages of our own French text, with a real text layer.

Pillow can save multi-page PDFs, but as pictures only: no text to extract. This
writes the few objects a PDF needs by hand (catalog, page tree, one standard font,
one content stream per page, a cross-reference table), with the text in
WinAnsiEncoding so that accented French letters come back from the text layer.
It also makes the damaged and hostile documents the renderer must refuse.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path

A5 = (420, 595)  # points
MARGIN = 36
BAND = b"0.13 0.36 0.55 rg 0 %d %d 90 re f\n"  # a coloured band at the top of each page


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding, with ( ) and \\ escaped."""
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def page_stream(lines: Sequence[str], box: tuple[float, float]) -> bytes:
    """Drawing operators for one page: the band, a heading, then the lines of text."""
    width, height = (int(v) for v in box)
    out = [BAND % (height - 90, width), b"BT\n1 1 1 rg\n/F1 17 Tf\n"]
    out.append(b"%d %d Td\n" % (MARGIN, height - 58))
    if lines:
        out.append(pdf_string(lines[0]) + b" Tj\n0 g\n/F1 10.5 Tf\n0 -74 Td\n")
    for line in lines[1:]:
        out.append(pdf_string(line) + b" Tj\n0 -16 Td\n")
    out.append(b"ET\n")
    return b"".join(out)


def assemble(objects: Sequence[bytes], root: int = 1, info: int | None = None) -> bytes:
    """A complete PDF file from numbered object bodies (object n is objects[n - 1])."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"/Size %d /Root %d 0 R" % (len(objects) + 1, root)
    if info is not None:
        trailer += b" /Info %d 0 R" % info
    out += b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def make_pdf(
    pages: Sequence[Sequence[str]],
    *,
    title: str = "",
    box: tuple[float, float] = A5,
) -> bytes:
    """A PDF with one page per item of ``pages`` (its lines, the first one as heading)."""
    first_page = 5  # 1 catalog, 2 page tree, 3 font, 4 info
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title " + pdf_string(title) + b" /Producer (dossier-hub tests) >>",
    ]
    media = b"[0 0 %s %s]" % (str(box[0]).encode(), str(box[1]).encode())
    for index, lines in enumerate(pages):
        contents = first_page + 2 * index + 1
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R >> >> >>" % (media, contents)
        )
        objects.append(stream(page_stream(lines, box)))
    return assemble(objects, info=4)


def from_toml(path: Path) -> bytes:
    """The PDF described by a TOML file: ``title`` and ``[[pages]]`` with ``lines``."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return make_pdf([p["lines"] for p in data["pages"]], title=data.get("title", ""))


def truncated(pdf: bytes) -> bytes:
    """The first half of a PDF, as a download cut short would leave it."""
    return pdf[: len(pdf) // 2]


def page_tree_loop(count: int = 2_000_000_000) -> bytes:
    """A page tree that contains itself and announces a huge page count."""
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R 2 0 R] /Count %d >>" % count,
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count %d >>" % count,
        ]
    )


def huge_page_box() -> bytes:
    """One page 1 point wide and 14,400 points high: a sliver that renders enormous."""
    return make_pdf([["Une bande très étroite"]], box=(1, 14400))


def many_pages(count: int) -> bytes:
    """A small file whose page tree lists one page ``count`` times."""
    kids = b" ".join([b"4 0 R"] * count)
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] /Contents 5 0 R"
            b" /Resources << /Font << /F1 3 0 R >> >> >>",
            stream(b"BT /F1 12 Tf 40 500 Td (Encore) Tj ET"),
        ]
    )
