"""Bytes -> text: BOMs, declared charsets, UTF-8 first, then detection; binary refused.

Order of trust, highest first:

1. a byte-order mark (it cannot be there by accident);
2. strict UTF-8 (most of the web; a legacy 8-bit text with any accented letter almost
   never decodes as valid UTF-8 by chance, while UTF-8 pages mislabelled "iso-8859-1"
   are common, and Latin-1 decodes any bytes without error, so it must come second);
3. a charset the sender declared (HTTP ``Content-Type``, an HTML ``<meta charset>``,
   an XML declaration), if it names a codec Python knows and decodes without error;
4. charset-normalizer's detection, ties broken toward windows-1252 (see ``_PREFERRED``).

A decoding that fails every step is reported as binary rather than guessed, so the
store never holds mojibake.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from tolltrace import errors
from tolltrace.errors import InputError

__all__ = ["declared_charset", "decode_bytes", "is_binary", "sniff_encoding"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Only the head of a document is searched for a declared charset, as browsers do (the
# HTML standard's prescan looks at the first 1024 bytes; 4096 allows long <head>s).
_HEAD = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.\-]+)["']""")

# Detection ties (same chaos and coherence) are common between the 8-bit Latin code
# pages: a French sentence in Latin-1 reads the same in cp1250 and cp1252 except for
# one letter (measured on UDHR article 1, tests/test_ingest_decode.py). windows-1252 is
# by far the most used legacy charset on the web, and browsers read "latin-1" labels
# as windows-1252 (WHATWG Encoding Standard), so it wins a tie.
_PREFERRED = ("cp1252", "latin_1", "iso8859_15", "cp1256", "cp1251")

# Share of control characters (other than tab, newline, CR, form feed) above which
# decoded "text" is binary; 1% tolerates a stray escape in a scraped page.
_MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _codec(name: str | None) -> str | None:
    """Python's canonical name for a charset label, or None for an unknown label."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'").lower()).name
    except LookupError:
        return None


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset declared by an HTTP Content-Type, else by a meta tag or XML header."""
    if content_type:
        for part in content_type.split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset":
                return _codec(value)
    head = data[:_HEAD]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return _codec(m.group(1).decode("ascii")) if m else None


def is_binary(data: bytes) -> bool:
    """NUL bytes outside a UTF-16/32 text mean binary (images, PDFs, archives...)."""
    if any(data.startswith(bom) for bom, enc in _BOMS if enc != "utf-8-sig"):
        return False
    return b"\x00" in data[:65536]


def _rank(encoding: str) -> int:
    return _PREFERRED.index(encoding) if encoding in _PREFERRED else len(_PREFERRED)


def sniff_encoding(data: bytes) -> str | None:
    """Best guess for bytes with no BOM or declaration; None when nothing fits."""
    matches = list(from_bytes(data))
    if not matches:
        return None
    best = min(matches, key=lambda m: (round(m.chaos, 2), -round(m.coherence, 2)))
    tied = [
        m
        for m in matches
        if round(m.chaos, 2) == round(best.chaos, 2)
        and round(m.coherence, 2) == round(best.coherence, 2)
    ]
    return str(min(tied, key=lambda m: _rank(m.encoding)).encoding)


def _bom(data: bytes) -> str | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return None


def decode_bytes(data: bytes, *, content_type: str | None = None) -> str:
    """Decode ``data`` to text, or raise :class:`InputError` (binary, undecodable)."""
    bom = _bom(data)
    if bom:
        try:
            return _checked(data.decode(bom))
        except UnicodeDecodeError as exc:
            raise InputError(errors.UNDECODABLE.format(detail=str(exc))) from exc
    if is_binary(data):
        raise InputError(errors.BINARY)
    candidates = ["utf-8"]
    declared = declared_charset(data, content_type)
    if declared:
        candidates.append(declared)
    for enc in candidates:
        try:
            return _checked(data.decode(enc))
        except UnicodeDecodeError:
            continue
    guess = sniff_encoding(data)
    if guess is None:
        raise InputError(errors.BINARY)
    try:
        return _checked(data.decode(guess))
    except UnicodeDecodeError as exc:
        raise InputError(errors.UNDECODABLE.format(detail=str(exc))) from exc


def _checked(text: str) -> str:
    if text and len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        raise InputError(errors.BINARY)
    return text
