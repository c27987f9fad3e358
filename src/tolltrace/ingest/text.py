"""Plain text and Markdown files: headline, an optional date line, then the body.

The seed's layout (``../shared/seed``) is a headline, a date line such as
``25/10/2016``, and the body. The whole text is kept (headline and date line too), so a
text file and the same article as a JSON record (the demo corpus stores it that way)
have the same text, hence the same content hash.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from tolltrace.ingest.parsed import Parsed, parse_date
from tolltrace.ingest.tabular import from_record

__all__ = ["read_text"]

# A first line longer than this is a paragraph, not a headline (the longest headline in
# the demo corpus is 98 characters; news headlines rarely pass 200).
_MAX_TITLE = 300
# The date line, when present, sits within the first lines after the headline.
_DATE_WITHIN = 3
# "Wednesday, 25 October 2016 14:05 GMT" is 36 characters; a longer line is prose.
_MAX_DATE_LINE = 40
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"^[*_]+|[*_]+$")


def _title(line: str) -> str | None:
    title = _MD_EMPHASIS.sub("", _MD_HEADING.sub("", line)).strip()
    return title if title and len(title) <= _MAX_TITLE else None


# Markdown front matter (Jekyll, Hugo, Pandoc): "---", "key: value" lines, "---".
_FRONT_MATTER = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S
)
# A longer block is not front matter but a document that happens to start with "---".
_MAX_FRONT_MATTER = 10_000


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Simple ``key: value`` front matter (no nesting) and the text after it."""
    m = _FRONT_MATTER.match(text)
    if not m or len(m.group(1)) > _MAX_FRONT_MATTER:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key[:1].isspace() and not key.startswith("-"):
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[m.end() :]


def _layout(text: str) -> tuple[str | None, date | None]:
    """Title and date line of the seed's layout."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    title = _title(lines[0]) if len(lines) > 1 else None
    for line in lines[1 : 1 + _DATE_WITHIN]:
        # A date line holds a date and nothing else: "25/10/2016", "2016-10-25",
        # "25 October 2016". A date inside a sentence is the body's business.
        if len(line) > _MAX_DATE_LINE:
            continue
        published = parse_date(_MD_EMPHASIS.sub("", line).strip())
        if published:
            return title, published
    return title, None


def read_text(text: str, source: str) -> Parsed:
    """Title and published date from front matter, else from the seed's layout.

    The text is kept unchanged, except that front matter (metadata, not article) is cut.
    Front matter keys follow the JSON field mapping (``title``, ``date``, ``url``, ...).
    """
    meta, text = _front_matter(text)
    title, published = _layout(text)
    if not meta:
        return Parsed(text=text, source=source, title=title, published=published)
    fields = from_record({**meta, "text": text}, source)
    return replace(fields, title=fields.title or title, published=fields.published or published)
