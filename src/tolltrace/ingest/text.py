"""Plain text and Markdown files: headline, an optional date line, then the body.

The seed's layout (``../shared/seed``) is a headline, a date line such as
``25/10/2016``, and the body. The whole text is kept (headline and date line too), so a
text file and the same article as a JSON record (the demo corpus stores it that way)
have the same text, hence the same content hash.
"""

from __future__ import annotations

import re

from tolltrace.ingest.parsed import Parsed, parse_date

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


def read_text(text: str, source: str) -> Parsed:
    """Title and published date from the seed's layout; the text itself unchanged."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    title = _title(lines[0]) if len(lines) > 1 else None
    published = None
    for line in lines[1 : 1 + _DATE_WITHIN]:
        # A date line holds a date and nothing else: "25/10/2016", "2016-10-25",
        # "25 October 2016". A date inside a sentence is the body's business.
        if len(line) > _MAX_DATE_LINE:
            continue
        published = parse_date(_MD_EMPHASIS.sub("", line).strip())
        if published:
            break
    return Parsed(text=text, source=source, title=title, published=published)
