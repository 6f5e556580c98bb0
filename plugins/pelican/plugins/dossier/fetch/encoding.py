"""Turn HTML bytes into text without mojibake.

Order of evidence: the HTTP ``charset``, then a byte-order mark, then
``<meta charset>`` / ``<meta http-equiv="Content-Type">``, then detection by
charset-normalizer. Like browsers, ISO-8859-1 and US-ASCII labels mean
windows-1252. A declared charset that cannot decode the bytes is skipped, and a
declared single-byte charset is ignored when the bytes are valid non-ASCII UTF-8
(a server announcing latin-1 for UTF-8 text is a common misconfiguration, and
valid multi-byte UTF-8 practically never occurs by accident in French
windows-1252 text).
"""

from __future__ import annotations

import codecs
import functools
import logging
import re

from charset_normalizer import from_bytes

from ..sane import valid_text

logger = logging.getLogger(__name__)

# Labels browsers decode as windows-1252 (WHATWG Encoding Standard).
_AS_CP1252 = {"iso8859-1", "latin-1", "ascii", "cp1252"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
UTF8_MIN_CHARS = 8  # valid multi-byte characters needed to call a body UTF-8
UTF8_BAD_RATIO = 20  # at most one invalid sequence per 20 valid ones
_PRESCAN = 4096  # bytes searched for a <meta> declaration
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def media_type(content_type: str | None) -> str | None:
    """The bare, lower-case media type of a Content-Type header ('text/html')."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def normalise(label: str | None) -> str | None:
    """Python codec name for a charset label, windows-1252 for latin-1; None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        logger.debug("unknown charset label %r", label)
        return None
    return "cp1252" if name in _AS_CP1252 else name


def header_charset(content_type: str | None) -> str | None:
    """Charset named in a Content-Type header, normalised."""
    match = _HEADER_CHARSET.search(content_type or "")
    return normalise(match.group(1)) if match else None


def bom_charset(body: bytes) -> str | None:
    """Charset announced by a byte-order mark."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    return None


def meta_charset(body: bytes) -> str | None:
    """Charset declared by <meta charset> or http-equiv Content-Type near the top."""
    match = _META_CHARSET.search(body[:_PRESCAN])
    return normalise(match.group(1).decode("ascii", "replace")) if match else None


def detected_charset(body: bytes) -> str | None:
    """Charset guessed by charset-normalizer; on a tie, windows-1252 (our pages are French)."""
    matches = list(from_bytes(body))
    if not matches:
        return None
    best = matches[0]
    for match in matches:
        tied = (match.chaos, match.coherence) == (best.chaos, best.coherence)
        if tied and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    return normalise(best.encoding)


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML body following the order of evidence described above; characters
    no UTF-8 file or XML feed can hold come out as U+FFFD."""
    return valid_text(_decode(body, content_type))


def _decode(body: bytes, content_type: str | None) -> str:
    utf8 = _is_utf8(body)
    # a few bad bytes in UTF-8 text: don't garble every accent with another charset
    mostly = not utf8 and not body.isascii() and _mostly_utf8(body)
    declared = (header_charset(content_type), bom_charset(body), meta_charset(body))
    for charset in declared:
        if charset is None or ((utf8 or mostly) and _single_byte(charset)):
            continue
        text = _strict(body, charset)
        if text is not None:
            return text
    if utf8 or mostly:
        return body.decode("utf-8-sig", errors="replace")
    charset = detected_charset(body) or "cp1252"
    return _strict(body, charset) or body.decode(charset, errors="replace")


def _strict(body: bytes, charset: str) -> str | None:
    if charset == "utf-8":
        charset = "utf-8-sig"  # drop a BOM if there is one
    elif charset.startswith("utf-16") and body[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        body = body[2:]
    try:
        return body.decode(charset)
    except (UnicodeDecodeError, LookupError):
        logger.debug("body does not decode as %s", charset)
        return None


def _is_utf8(body: bytes) -> bool:
    """True when the body is valid UTF-8 and has at least one non-ASCII byte."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(body: bytes) -> bool:
    """True when nearly all non-ASCII bytes form valid UTF-8 sequences: text written in
    UTF-8 with a few stray bytes (a pasted windows-1252 quote, a cut sequence)."""
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - body.decode("utf-8", errors="ignore").count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return good >= UTF8_MIN_CHARS and bad * UTF8_BAD_RATIO <= good


@functools.lru_cache(maxsize=64)
def _single_byte(charset: str) -> bool:
    """True for a codec that maps every byte to one character (latin-1, cp1252...)."""
    return len(bytes(range(256)).decode(charset, errors="replace")) == 256
