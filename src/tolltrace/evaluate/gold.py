"""Reading a gold folder (``../shared/data/FORMAT.md``): the document ids, in file
order, and the gold claims and incidents as typed records.

The document texts are not read here: the evaluation feeds ``documents.jsonl`` to the
real ingest stage, so it measures what a user gets.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

__all__ = ["GoldClaim", "GoldIncident", "GoldSet", "gold_folders", "read_gold"]

DOCUMENTS = "documents.jsonl"
CLAIMS = "claims.jsonl"
INCIDENTS = "incidents.jsonl"


@dataclass(frozen=True, slots=True)
class GoldClaim:
    doc: str
    effect: str
    min: int | None
    max: int | None
    incident: str | None = None
    victims: str | None = None
    perpetrator: str | None = None
    place: str | None = None
    country: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    claimant: str | None = None
    stance: str = "asserted"
    basis: str | None = None


@dataclass(frozen=True, slots=True)
class GoldIncident:
    id: str
    docs: tuple[str, ...]
    killed: int | None = None
    injured: int | None = None
    place: str | None = None
    country: str | None = None
    date_start: date | None = None
    date_end: date | None = None


@dataclass(frozen=True, slots=True)
class GoldSet:
    """One gold folder, restricted to its first ``limit`` documents when asked."""

    name: str
    path: Path
    doc_ids: tuple[str, ...]  # in file order
    total_documents: int  # in the folder, before any limit
    claims: tuple[GoldClaim, ...]
    incidents: tuple[GoldIncident, ...]
    dataset: str | None = None

    @property
    def documents_path(self) -> Path:
        return self.path / DOCUMENTS


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    for _, rec in _numbered(path):
        yield rec


def _numbered(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-blank line of a JSONL file; none if absent."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: not JSON: {exc}") from exc
            if not isinstance(rec, dict):
                raise ValueError(f"{path}:{n}: not a JSON object")
            yield n, rec


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _str(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def gold_folders(paths: Iterable[Path]) -> list[Path]:
    """The gold folders named by ``paths``: a folder holding documents.jsonl, or every
    such folder directly inside a folder (``tolltrace eval ../shared/data``). Plain
    files are passed over, so a shell glob (``../shared/data/*``) that also matches
    FORMAT.md works; a missing path, or no gold folder at all, is an error."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise FileNotFoundError(f"{p}: no such gold folder")
        if not p.is_dir():
            continue
        if (p / DOCUMENTS).is_file():
            out.append(p)
            continue
        out.extend(c for c in sorted(p.iterdir()) if c.is_dir() and (c / DOCUMENTS).is_file())
    if not out:
        names = ", ".join(str(p) for p in paths)
        raise FileNotFoundError(f"no gold folder (one with {DOCUMENTS}) in: {names}")
    return out


def read_gold(folder: Path, limit: int | None = None) -> GoldSet:
    """Read ``folder``; with ``limit``, keep the first ``limit`` documents (file order)
    and only the gold claims and incident memberships of those documents."""
    folder = Path(folder)
    docs_path = folder / DOCUMENTS
    if not docs_path.is_file():
        raise FileNotFoundError(f"{folder}: no {DOCUMENTS} (see shared/data/FORMAT.md)")
    all_ids: list[str] = []
    dataset: str | None = None
    for n, rec in _numbered(docs_path):
        all_ids.append(str(rec.get("id") or f"{docs_path.name}:{n}"))
        dataset = dataset or _str(rec.get("dataset"))
    ids = all_ids if limit is None else all_ids[: max(limit, 0)]
    keep = set(ids)
    claims = tuple(
        GoldClaim(
            doc=str(r["doc"]),
            effect=str(r["effect"]),
            min=_int(r.get("min")),
            max=_int(r.get("max")),
            incident=_str(r.get("incident")),
            victims=_str(r.get("victims")),
            perpetrator=_str(r.get("perpetrator")),
            place=_str(r.get("place")),
            country=_str(r.get("country")),
            date_start=_date(r.get("date_start")),
            date_end=_date(r.get("date_end")),
            claimant=_str(r.get("claimant")),
            stance=_str(r.get("stance")) or "asserted",
            basis=_str(r.get("basis")),
        )
        for r in _lines(folder / CLAIMS)
        if str(r.get("doc")) in keep
    )
    incidents = []
    for r in _lines(folder / INCIDENTS):
        docs = tuple(str(d) for d in r.get("docs") or () if str(d) in keep)
        if not docs:
            continue
        incidents.append(
            GoldIncident(
                id=str(r["id"]),
                docs=docs,
                killed=_int(r.get("killed")),
                injured=_int(r.get("injured")),
                place=_str(r.get("place")),
                country=_str(r.get("country")),
                date_start=_date(r.get("date_start")),
                date_end=_date(r.get("date_end")),
            )
        )
    return GoldSet(
        name=folder.resolve().name,
        path=folder,
        doc_ids=tuple(ids),
        total_documents=len(all_ids),
        claims=claims,
        incidents=tuple(incidents),
        dataset=dataset,
    )
