"""RSS and Atom feeds -> one document per entry, with feedparser.

An entry gives the title, the link (the document's URL, hence its id and outlet), the
published (else updated) date, and its content, else its summary, as text. When the
caller passes ``page`` (ingest does when ``fetch_feed_pages`` is on) an entry that
carries only a summary gets the text of the linked page instead; if that page cannot be
fetched the summary is kept and the fetch is reported.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import feedparser

from tolltrace import errors
from tolltrace.errors import InputError
from tolltrace.ingest.html import html_to_text
from tolltrace.ingest.parsed import Parsed
from tolltrace.records import Failure

__all__ = ["looks_like_feed", "read_feed"]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# A feed is recognised by its root element: the first element of the document, after
# an optional BOM, XML declaration, comments, processing instructions and doctype.
_FEED_ROOT = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?[^>]*>\s*|<!--.*?-->\s*|<!doctype[^>]*>\s*)*"
    rb"<(?:rss|feed|rdf:rdf)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
_HEAD = 4096


def looks_like_feed(data: bytes) -> bool:
    return bool(_FEED_ROOT.match(data[:_HEAD]))


def _value(detail: Any) -> str:
    """Text of a feedparser text construct (HTML turned into plain text)."""
    if not detail:
        return ""
    value = str(detail.get("value") or "")
    if str(detail.get("type") or "").lower() in _HTML_TYPES:
        return html_to_text(value)
    return value.strip()


def _date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed"):
        tm = entry.get(key)
        if tm:
            try:
                return date(tm.tm_year, tm.tm_mon, tm.tm_mday)
            except ValueError:
                continue
    return None


def _lang(feed: Any) -> str | None:
    value = str(feed.get("language") or "").strip()
    return value.split("-")[0].lower() or None if value else None


def read_feed(
    data: bytes, source: str, *, page: Callable[[str], Parsed] | None = None
) -> Iterator[Parsed | Failure]:
    """Every entry of the feed in ``data``; raises InputError when it is not a feed."""
    # A stream, never bytes or str: feedparser opens a str or bytes that names a URL or a
    # file path (a "feed" whose content is "/etc/passwd" would read that file).
    parsed = feedparser.parse(io.BytesIO(data))
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo") or not parsed.get("version"):
            detail = parsed.get("bozo_exception") or "no RSS or Atom root element"
            raise InputError(errors.NOT_A_FEED.format(detail=detail))
        raise InputError(errors.EMPTY)
    lang = _lang(parsed.get("feed") or {})
    for i, entry in enumerate(entries):
        where = f"{source}[{i}]"
        link = str(entry.get("link") or "").strip() or None
        contents = entry.get("content") or []
        text = "\n\n".join(t for t in (_value(c) for c in contents) if t)
        title = _value(entry.get("title_detail")) or str(entry.get("title") or "").strip()
        fields = Parsed(
            text=text,
            source=where,
            title=title or None,
            url=link,
            published=_date(entry),
            lang=lang,
        )
        if not text and page is not None and link:
            try:
                full = page(link)
            except InputError as exc:
                yield Failure(link, errors.FEED_PAGE.format(detail=exc))
            else:
                if full.text.strip():
                    yield Parsed(
                        text=full.text,
                        source=where,
                        title=fields.title or full.title,
                        url=link,
                        outlet=full.outlet,
                        published=fields.published or full.published,
                        lang=fields.lang or full.lang,
                    )
                    continue
        if not text:
            text = _value(entry.get("summary_detail")) or str(entry.get("summary") or "")
        yield Parsed(
            text=text,
            source=where,
            title=fields.title,
            url=link,
            published=fields.published,
            lang=lang,
        )
