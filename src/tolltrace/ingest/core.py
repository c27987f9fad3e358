"""Ingest dispatch: which reader reads an input, and the rules every document follows.

Readers (:mod:`.text`, :mod:`.html`, :mod:`.tabular`, :mod:`.feeds`) parse; this module
turns what they found into :class:`~tolltrace.records.Document` records with the same
rules for all: normalized text, a stable id, outlet, language, content hash, size
checks. Anything wrong with one input becomes a :class:`~tolltrace.records.Failure`
(which input, why) and the batch goes on; nothing raises out of :func:`ingest`.
"""

from __future__ import annotations

import glob
import hashlib
import io
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from tolltrace import errors
from tolltrace.errors import InputError
from tolltrace.ingest.decode import decode_bytes, is_binary
from tolltrace.ingest.feeds import looks_like_feed, read_feed
from tolltrace.ingest.fetch import Fetched, Fetcher
from tolltrace.ingest.html import parse_html
from tolltrace.ingest.parsed import Parsed
from tolltrace.ingest.tabular import read_csv, read_json, read_jsonl
from tolltrace.ingest.text import read_text
from tolltrace.records import Document, Failure, Span, stable_id
from tolltrace.settings import Settings

__all__ = [
    "content_hash",
    "date_from_url",
    "detect_lang",
    "embedded_spans",
    "ingest",
    "make_document",
    "normalize_text",
    "normalize_url",
    "outlet_from_url",
    "with_headline",
]

# --------------------------------------------------------------------------- text rules

# C0 controls other than tab and newline, DEL, and the BOM / zero-width no-break space:
# never part of an article, often left by extraction or legacy conversions.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
_LINE_SEPARATORS = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def normalize_text(text: str) -> str:
    """NFC, unified newlines, no control characters, no trailing spaces.

    Claim offsets refer to this text, so it must be a pure function of the input.
    """
    text = unicodedata.normalize("NFC", text)
    text = _CONTROLS.sub("", _LINE_SEPARATORS.sub("\n", text))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def with_headline(text: str, title: str | None) -> str:
    """The text with its headline as the first paragraph.

    A page's main text and a feed entry's or a record's body mostly leave the headline
    out, and the headline is the report's own summary of its toll ("Teen killed, five
    others injured in Austin shooting"), often the only statement of a death that the
    body tells as "was shot": extraction reads the text, and the claims it finds there
    need offsets into it. A text that begins with its headline already (the seed, GVDB's
    pages) is left as it is.
    """
    if not title or not text:
        return text
    if " ".join(text[: len(title) * 2].split()).lower().startswith(title.lower()):
        return text
    return f"{title}\n\n{text}"


def content_hash(text: str) -> str:
    """Hash of the text with whitespace collapsed: exact duplicates share it."""
    flat = " ".join(text.split()).lower()
    return hashlib.sha256(flat.encode("utf-8")).hexdigest()


# RT-style quoted headlines of other articles: "[@RT_com](#) headline <http://on.rt.com/x>"
_EMBEDDED_LINE = re.compile(r"^\[@[A-Za-z0-9_]+\]\([^)]*\).*$", re.MULTILINE)


def embedded_spans(text: str) -> tuple[Span, ...]:
    return tuple(Span(m.start(), m.end()) for m in _EMBEDDED_LINE.finditer(text))


# ---------------------------------------------------------------------------- URL rules

# Query parameters that track a click, not choose a page.
_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|dclid|mc_cid|mc_eid|ocid|cmpid)$", re.I)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str) -> str:
    """The part of a URL that names the article: the key of a URL-based id.

    Scheme, ``www.``, default ports, fragments and tracking parameters do not change
    which article a link points to, so they do not change its id.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host:
        return url
    netloc = host if port in (None, _DEFAULT_PORTS.get(parts.scheme.lower())) else f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, True) if not _TRACKING.match(k)])
    path = parts.path or "/"
    return f"{netloc}{path}" + (f"?{query}" if query else "")


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


# ---------------------------------------------------------------------- language guess

# Characters looked at to guess a language: the head of an article is enough and keeps
# ingest fast on long documents.
_LANG_SAMPLE = 3000
# Below this many words there is too little evidence for a stopword guess (a headline).
_LANG_MIN_WORDS = 8
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _lang_table() -> tuple[
    float, float, dict[str, frozenset[str]], dict[str, tuple[tuple[int, int], ...]]
]:
    raw = json.loads(
        resources.files("tolltrace").joinpath("data/ingest/languages.json").read_text("utf-8")
    )
    stop = {lang: frozenset(words) for lang, words in raw["stopwords"].items()}
    scripts = {
        lang: tuple((int(a), int(b)) for a, b in ranges) for lang, ranges in raw["scripts"].items()
    }
    return float(raw["min_stopword_share"]), float(raw["min_script_share"]), stop, scripts


def detect_lang(text: str) -> str | None:
    """A cheap guess: a script that means one language, else the commonest stopwords.

    ``None`` when the evidence is thin; the table and its thresholds are in
    ``src/tolltrace/data/ingest/languages.json``.
    """
    min_stop, min_script, stopwords, scripts = _lang_table()
    sample = text[:_LANG_SAMPLE]
    if not sample.isascii():
        letters = [ord(c) for c in sample if c.isalpha()]
        for lang, ranges in scripts.items():
            inside = sum(1 for c in letters if any(a <= c <= b for a, b in ranges))
            if letters and inside > min_script * len(letters):
                return lang
    words = _WORD.findall(sample.lower())
    if len(words) < _LANG_MIN_WORDS:
        return None
    shares = {lang: sum(w in stop for w in words) / len(words) for lang, stop in stopwords.items()}
    best = max(shares, key=lambda lang: shares[lang])
    return best if shares[best] >= min_stop else None


def _lang_code(value: str | None) -> str | None:
    """ "en-US", "EN", "en_GB" -> "en"."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip())[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


# ----------------------------------------------------------------------------- records


def make_document(
    text: str,
    *,
    id: str | None = None,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: date | None = None,
    lang: str | None = None,
    source: str | None = None,
    dataset: str | None = None,
    guess_lang: bool = True,
) -> Document:
    """A Document under the common rules (normalized text, stable id, outlet, lang).

    The id is the record's own id when it has one, else a hash of the normalized URL,
    else a hash of the text's content hash: the same input always gets the same id.
    A headline that the text does not begin with is put at its head (:func:`with_headline`).
    """
    title = " ".join(title.split()) or None if title else None
    text = with_headline(normalize_text(text), title)
    h = content_hash(text)
    url = url.strip() if url else None
    if not id:
        id = stable_id("doc", normalize_url(url)) if url else stable_id("doc", h)
    code = _lang_code(lang)
    if code is None and guess_lang:
        code = detect_lang(text)
    return Document(
        id=str(id),
        text=text,
        content_hash=h,
        title=title,
        url=url or None,
        outlet=(outlet.strip() if outlet else None) or outlet_from_url(url),
        published=published,
        lang=code,
        source=source,
        dataset=dataset,
        embedded=embedded_spans(text),
    )


def _finish(p: Parsed | Failure, settings: Settings) -> Document | Failure:
    if isinstance(p, Failure):
        return p
    # Cheap check before normalizing: normalization only shortens a text.
    if len(p.text) > settings.max_document_chars:
        text = normalize_text(p.text)
        if len(text) > settings.max_document_chars:
            return Failure(
                p.source, errors.TOO_LONG.format(size=len(text), cap=settings.max_document_chars)
            )
    doc = make_document(
        p.text,
        id=p.id,
        title=p.title,
        url=p.url if p.url_is_key else None,
        outlet=p.outlet or outlet_from_url(p.url),
        # a record or page without its date: the one its URL's path gives, if any
        published=p.published or date_from_url(p.url),
        lang=p.lang,
        source=p.source,
        dataset=p.dataset,
    )
    if not doc.text.strip():
        return Failure(p.source, errors.EMPTY)
    return doc if p.url_is_key or not p.url else replace(doc, url=p.url.strip())


# A publication date in a URL's path: "/2016/01/27/", "/2016-01-21/", "-20160223-story",
# "/2016/jan/26/". The day must end a path segment ("/2015/12/11-year-old-shot" is
# no date).
_URL_YMD = re.compile(r"/((?:19|20)\d\d)[/-](\d\d?)[/-](\d\d?)(?=/|$|\.html?$)")
_URL_COMPACT = re.compile(r"(?<![\d])((?:19|20)\d\d)(\d\d)(\d\d)(?![\d])")
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/([a-z]{3})[a-z]*/(\d\d?)(?=/|$)", re.IGNORECASE)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_ARCHIVE = re.compile(r"^https?://web\.archive\.org/web/[^/]+/", re.IGNORECASE)


def date_from_url(url: str | None) -> date | None:
    """The publication date a news URL's path gives, if any (never the query's, nor a
    web archive's crawl time: "web.archive.org/web/20160618164130/http://..." is read
    from the page's own URL after it)."""
    if not url:
        return None
    path = urlsplit(_ARCHIVE.sub("", url.strip())).path
    for pattern in (_URL_YMD, _URL_MONTH, _URL_COMPACT):
        for m in pattern.finditer(path):
            y, mo, d = m.groups()
            month = _MONTHS.get(mo.lower()) if mo.isalpha() else int(mo)
            if month is None:
                continue
            try:
                return date(int(y), month, int(d))
            except ValueError:
                continue
    return None


# ---------------------------------------------------------------------------- dispatch

_TEXT_EXT = frozenset({".txt", ".text", ".md", ".markdown"})
_HTML_EXT = frozenset({".html", ".htm", ".xhtml", ".shtml"})
_FEED_EXT = frozenset({".rss", ".atom", ".xml"})
_STREAMED_EXT = frozenset({".jsonl", ".ndjson", ".csv", ".tsv"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "text/xml",
        "application/xml",
    }
)
_JSONL_TYPES = frozenset({"application/x-ndjson", "application/jsonl"})
_JSON_TYPES = frozenset({"application/json", "application/ld+json"})
_HTML_HEAD = re.compile(rb"<!doctype\s+html|<html|<head|<body|<p[\s>]|<div[\s>]", re.I)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

Reader = Iterable[Parsed | Failure]


def _is_html(data: bytes) -> bool:
    return bool(_HTML_HEAD.search(data[:4096]))


def _is_json(data: bytes) -> bool:
    """Parses as JSON (a text that merely starts with "[" is text: "[@RT_com](#) ...")."""
    if data[:64].lstrip()[:1] not in (b"{", b"["):
        return False
    try:
        json.loads(decode_bytes(data))
    except (ValueError, InputError):
        return False
    return True


def _html(data: bytes, source: str, url: str | None, content_type: str | None) -> Parsed:
    h = parse_html(decode_bytes(data, content_type=content_type), url=url)
    if not h.text.strip():
        raise InputError(errors.NO_TEXT)
    return Parsed(
        text=h.text,
        source=source,
        title=h.title,
        url=url or h.url,
        outlet=h.outlet,
        published=h.published,
        lang=h.lang,
        url_is_key=url is not None,  # fetched from it, not just declared by the page
    )


def _read_data(
    data: bytes,
    source: str,
    kind: str,
    *,
    url: str | None = None,
    content_type: str | None = None,
    page: Callable[[str], Parsed] | None = None,
) -> Reader:
    """Read one input already in memory, as ``kind`` (or sniffed when ``kind`` is "")."""
    if not data or data.isspace():
        raise InputError(errors.EMPTY)
    if not kind:
        if is_binary(data):
            raise InputError(errors.BINARY)
        if looks_like_feed(data):
            kind = "feed"
        elif _is_html(data):
            kind = "html"
        elif _is_json(data):
            kind = "json"
        else:
            kind = "text"
    if kind == "feed":
        return read_feed(data, source, page=page)
    if kind == "html":
        return [_html(data, source, url, content_type)]
    if kind == "json":
        return read_json(data, source)
    if kind == "jsonl":
        return read_jsonl(io.BytesIO(data), source, len(data))
    p = read_text(decode_bytes(data, content_type=content_type), source)
    return [replace(p, url=url) if url else p]


def _file_kind(path: Path) -> str:
    ext = path.suffix.lower()
    if ext in _TEXT_EXT:
        return "text"
    if ext in _HTML_EXT:
        return "html"
    if ext in _FEED_EXT:
        return "feed"
    if ext == ".json":
        return "json"
    return ""


def _read_file(path: Path, source: str, settings: Settings, fetcher: Fetcher) -> Reader:
    size = path.stat().st_size
    if size == 0:
        raise InputError(errors.EMPTY)
    ext = path.suffix.lower()
    if ext in _STREAMED_EXT:
        return _streamed(path, source, settings)
    # The cap is checked from the size on disk, before a byte is read.
    if size > settings.max_file_bytes:
        raise InputError(errors.TOO_LARGE.format(size=size, cap=settings.max_file_bytes))
    data = path.read_bytes()
    page = _page_reader(fetcher) if settings.fetch_feed_pages else None
    return _read_data(data, source, _file_kind(path), page=page)


def _streamed(path: Path, source: str, settings: Settings) -> Iterator[Parsed | Failure]:
    ext = path.suffix.lower()
    with path.open("rb") as fh:
        if ext in (".csv", ".tsv"):
            yield from read_csv(fh, source, settings.max_document_chars, tsv=ext == ".tsv")
        else:
            yield from read_jsonl(fh, source, settings.max_file_bytes)


def _page_reader(fetcher: Fetcher) -> Callable[[str], Parsed]:
    """Fetch a feed entry's page for its text (feeds.py calls it for summary-only entries)."""

    def page(link: str) -> Parsed:
        fetched = fetcher.fetch(link)
        if fetched.media_type not in _HTML_TYPES and not _is_html(fetched.body):
            raise InputError(errors.CONTENT_TYPE.format(ctype=fetched.media_type or "unknown"))
        return _html(fetched.body, link, fetched.final_url, fetched.content_type)

    return page


def _url_kind(fetched: Fetched) -> str:
    mtype = fetched.media_type
    if mtype in _HTML_TYPES:
        return "html"
    if mtype in _FEED_TYPES:
        return "feed"
    if mtype in _JSONL_TYPES:
        return "jsonl"
    if mtype in _JSON_TYPES:
        return "json"
    if mtype.startswith("text/"):
        # Feeds are often served as text/plain by misconfigured servers.
        return "feed" if looks_like_feed(fetched.body) else "text"
    return ""


def _read_url(url: str, settings: Settings, fetcher: Fetcher) -> Reader:
    fetched = fetcher.fetch(url)
    kind = _url_kind(fetched)
    page = _page_reader(fetcher) if settings.fetch_feed_pages else None
    doc_url = fetched.final_url if kind in ("html", "text", "") else None
    return _read_data(
        fetched.body, url, kind, url=doc_url, content_type=fetched.content_type, page=page
    )


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(root: Path) -> Iterator[Path | Failure]:
    """Files under ``root``, sorted, recursively; hidden entries reported, not entered."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        for name in sorted(dirnames):
            if _hidden(name):
                yield Failure(str(here / name), errors.HIDDEN)
        dirnames[:] = sorted(d for d in dirnames if not _hidden(d))
        for name in sorted(filenames):
            path = here / name
            if _hidden(name):
                yield Failure(str(path), errors.HIDDEN)
            else:
                yield path


def _paths(item: str) -> Iterator[Path | Failure]:
    path = Path(item)
    if path.is_dir():
        yield from _walk(path)
    elif path.exists():
        yield path
    elif glob.has_magic(item):
        matches = sorted(glob.iglob(item, recursive=True))
        files = [Path(m) for m in matches if Path(m).is_file()]
        if not files:
            yield Failure(item, errors.NO_MATCH)
        yield from files
    else:
        yield Failure(item, errors.NOT_FOUND)


def _guarded(source: str, read: Callable[[], Reader]) -> Iterator[Parsed | Failure]:
    """Run a reader; whatever goes wrong with this input becomes its Failure."""
    try:
        yield from read()
    except InputError as exc:
        yield Failure(source, str(exc))
    except OSError as exc:
        yield Failure(source, exc.strerror or str(exc))
    except Exception as exc:
        # Parsers of untrusted input (lxml, feedparser, trafilatura, csv) can fail in
        # ways no list of exception types foresees; one bad input must not end a batch.
        yield Failure(source, f"unreadable: {type(exc).__name__}: {exc}")


def _one(item: str, settings: Settings, fetcher: Fetcher) -> Iterator[Parsed | Failure]:
    item = item.strip()
    if not item:
        yield Failure(item, errors.NOT_FOUND)
        return
    if _URL.match(item):
        if not item.lower().startswith(("http://", "https://")):
            yield Failure(item, errors.BAD_URL.format(url=item))
            return
        yield from _guarded(item, lambda: _read_url(item, settings, fetcher))
        return
    for path in _paths(item):
        if isinstance(path, Failure):
            yield path
            continue
        source = str(path)
        yield from _guarded(source, partial(_read_file, path, source, settings, fetcher))


def ingest(
    inputs: Sequence[str],
    settings: Settings,
    *,
    client: httpx.Client | None = None,
) -> Iterator[Document | Failure]:
    """Read files, folders, globs, feeds and URLs; yield a Document or a Failure each.

    ``client`` lets a caller (or a test) supply the HTTP client; every fetch still goes
    through the safety rules of :mod:`tolltrace.ingest.fetch`.
    """
    if isinstance(inputs, str):  # one path given bare would be read letter by letter
        inputs = [inputs]
    with Fetcher(settings, client) as fetcher:
        for item in inputs:
            for parsed in _one(item, settings, fetcher):
                yield _finish(parsed, settings)
