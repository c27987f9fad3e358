"""What a reader hands to :mod:`tolltrace.ingest.core`: fields as found, not yet a Document.

Readers (text, HTML, tabular, feeds) only parse; ``core`` normalizes the text, picks the
id, fills outlet and language, and checks the size, so every input kind gets the same
rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

__all__ = ["Parsed", "parse_date"]


@dataclass(frozen=True, slots=True)
class Parsed:
    text: str
    source: str  # the input: a path, a URL, "file.jsonl:12"
    id: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    lang: str | None = None
    dataset: str | None = None
    # False when the URL is only what the page says about itself (a saved HTML file's
    # canonical link): kept, but the id then comes from the text, because broken site
    # templates give every page the same canonical URL and the store skips a known id.
    url_is_key: bool = True


_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")
# Day first: the seed's layout (25/10/2016) and most outlets outside the US. A date whose
# second number cannot be a month (10/25/2016) is read month first.
_NUMERIC = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*$")
_WRITTEN = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y")


def _numeric(m: re.Match[str]) -> date | None:
    a, b, year = (int(g) for g in m.groups())
    day, month = (b, a) if b > 12 >= a else (a, b)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(value: object) -> date | None:
    """A date from an ISO string, an RFC 2822 string (feeds, HTTP), ``25/10/2016`` or
    ``25 October 2016``; ``None`` for anything else (a date is never guessed)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        # Unix seconds; only plausible news dates (1970-2100), else it is not a date.
        if 0 < value < 4_102_444_800:
            return datetime.fromtimestamp(value, tz=UTC).date()
        return None
    text = str(value).strip()
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = _NUMERIC.match(text)
    if m:
        return _numeric(m)
    for fmt in _WRITTEN:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None
