from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tolltrace.records import Document, Failure, Span, stable_id
from tolltrace.settings import Settings

_WS = re.compile(r"[ \t\u00a0]+")


def normalize_text(text: str) -> str:
    """NFC, unified newlines, no trailing spaces. Offsets of claims refer to this text."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\x00", "")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def content_hash(text: str) -> str:
    """Hash of the text with whitespace collapsed: exact duplicates share it."""
    flat = " ".join(text.split()).lower()
    return hashlib.sha256(flat.encode("utf-8")).hexdigest()


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


# RT-style quoted headlines of other articles: "[@RT_com](#) headline <http://on.rt.com/x>"
_EMBEDDED_LINE = re.compile(r"^\[@[A-Za-z0-9_]+\]\([^)]*\).*$", re.MULTILINE)


def embedded_spans(text: str) -> tuple[Span, ...]:
    return tuple(Span(m.start(), m.end()) for m in _EMBEDDED_LINE.finditer(text))


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
) -> Document:
    text = normalize_text(text)
    h = content_hash(text)
    if not id:
        id = stable_id("doc", url.strip()) if url else stable_id("doc", h)
    return Document(
        id=str(id),
        text=text,
        content_hash=h,
        title=title.strip() if title else None,
        url=url,
        outlet=outlet or outlet_from_url(url),
        published=published,
        lang=lang,
        source=source,
        dataset=dataset,
        embedded=embedded_spans(text),
    )


def _parse_date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _from_record(rec: Mapping[str, Any], source: str) -> Document:
    return make_document(
        str(rec.get("text") or ""),
        id=rec.get("id"),
        title=rec.get("title"),
        url=rec.get("url"),
        outlet=rec.get("outlet"),
        published=_parse_date(rec.get("published")),
        lang=rec.get("lang"),
        source=source,
        dataset=rec.get("dataset"),
    )


_DATE_LINE = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*$")


def _from_text_file(raw: str, source: str) -> Document:
    """Headline, a date line (25/10/2016), then the body: the seed's layout."""
    text = normalize_text(raw)
    lines = [ln for ln in text.split("\n") if ln.strip()]
    title = lines[0].strip().lstrip("# ").strip() if lines else None
    published = None
    for ln in lines[1:4]:
        m = _DATE_LINE.match(ln)
        if m:
            day, month, year = (int(g) for g in m.groups())
            try:
                published = date(year, month, day)
            except ValueError:
                published = None
            break
    return make_document(text, title=title, published=published, source=source)


def ingest(inputs: Sequence[str], settings: Settings) -> Iterator[Document | Failure]:
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            yield from ingest(sorted(str(p) for p in path.rglob("*") if p.is_file()), settings)
            continue
        try:
            if path.suffix.lower() == ".jsonl":
                with path.open(encoding="utf-8") as fh:
                    for n, line in enumerate(fh, 1):
                        if line.strip():
                            yield _from_record(json.loads(line), f"{item}:{n}")
            else:
                yield _from_text_file(path.read_text(encoding="utf-8"), item)
        except (OSError, ValueError) as exc:
            yield Failure(item, str(exc))
