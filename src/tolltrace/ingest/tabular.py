"""JSON, JSONL and CSV records -> documents, with one field mapping for all three.

The mapping (``src/tolltrace/data/ingest/fields.json``, documented in
``docs/ingest.md``) reads the gold ``documents.jsonl`` of ``../shared/data/FORMAT.md`` as
is. JSONL and CSV are streamed one record at a time, so a file of any length needs
memory for one record only; each record is capped at ``max_file_bytes``. A bad record
(invalid JSON, a truncated line, a record that is not an object) is one Failure, named
``file.jsonl:LINE``, and the rest of the file is read.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import resources
from typing import IO, Any

from tolltrace import errors
from tolltrace.errors import InputError
from tolltrace.ingest.decode import decode_bytes, is_binary, sniff_encoding
from tolltrace.ingest.parsed import Parsed, parse_date
from tolltrace.records import Failure

__all__ = ["field_mapping", "from_record", "read_csv", "read_json", "read_jsonl"]

# Bytes read to choose a CSV file's encoding and delimiter before streaming it.
_SAMPLE = 64 * 1024
# Bytes read at a time while skipping the rest of an over-long JSONL line.
_SKIP_CHUNK = 1 << 20


@lru_cache(maxsize=1)
def field_mapping() -> dict[str, tuple[str, ...]]:
    """Document field -> record keys that may hold it, in order of preference."""
    raw = json.loads(
        resources.files("tolltrace").joinpath("data/ingest/fields.json").read_text("utf-8")
    )
    return {k: tuple(v) for k, v in raw.items() if not k.startswith("_")}


def _pick(rec: Mapping[str, Any], field: str) -> Any:
    for key in field_mapping()[field]:
        value = rec.get(key)
        if value is not None and value != "":
            return value
    return None


def _str(value: Any) -> str | None:
    if isinstance(value, Mapping):
        # {"source": {"id": null, "name": "Reuters"}} (NewsAPI and similar exports).
        value = value.get("name")
    if value is None or isinstance(value, list | dict | bool):
        return None
    text = str(value).strip()
    return text or None


def from_record(rec: Any, source: str) -> Parsed:
    """One record -> fields, or :class:`InputError` when it is not a document record."""
    if not isinstance(rec, Mapping):
        raise InputError(errors.BAD_RECORD.format(detail=f"a JSON {type(rec).__name__}"))
    rec = {str(k).strip().lower(): v for k, v in rec.items()}
    text = _pick(rec, "text")
    if text is not None and not isinstance(text, str):
        raise InputError(errors.BAD_RECORD.format(detail=f"text is a {type(text).__name__}"))
    rid = _pick(rec, "id")
    if isinstance(rid, dict | list):
        raise InputError(errors.BAD_RECORD.format(detail="id is not a string or number"))
    return Parsed(
        text=text or "",
        source=source,
        id=_str(rid),
        title=_str(_pick(rec, "title")),
        url=_str(_pick(rec, "url")),
        outlet=_str(_pick(rec, "outlet")),
        published=parse_date(_pick(rec, "published")),
        lang=_str(_pick(rec, "lang")),
        dataset=_str(_pick(rec, "dataset")),
    )


def _record(rec: Any, where: str) -> Parsed | Failure:
    try:
        return from_record(rec, where)
    except InputError as exc:
        return Failure(where, str(exc))


# Keys under which exports wrap their list of records: {"articles": [...]} (NewsAPI),
# {"documents": [...]}, {"items": [...]}, ...
_WRAPPERS = ("documents", "articles", "items", "records", "data", "results")


def _unwrap(doc: Any) -> Any:
    """The record list inside a wrapper object that is not itself a document."""
    if not isinstance(doc, Mapping):
        return doc
    keys = {str(k).strip().lower(): v for k, v in doc.items()}
    if any(keys.get(k) for k in field_mapping()["text"]):
        return doc
    for key in _WRAPPERS:
        if isinstance(keys.get(key), list):
            return keys[key]
    return doc


def read_json(data: bytes, source: str) -> Iterator[Parsed | Failure]:
    """A JSON file: one object (one document), an array of objects, or an object that
    wraps such an array under one of ``_WRAPPERS``."""
    try:
        doc = _unwrap(json.loads(decode_bytes(data)))
    except ValueError as exc:  # JSONDecodeError is a ValueError
        raise InputError(errors.BAD_JSON.format(detail=exc)) from exc
    if isinstance(doc, list):
        for i, rec in enumerate(doc):
            yield _record(rec, f"{source}[{i}]")
    else:
        yield _record(doc, source)


def _loads(line: bytes) -> Any:
    try:
        return json.loads(line)
    except UnicodeDecodeError:
        # JSON should be UTF-8, but exports from old tools come in legacy code pages.
        return json.loads(decode_bytes(line))


def read_jsonl(fh: IO[bytes], source: str, max_record_bytes: int) -> Iterator[Parsed | Failure]:
    """One JSON object a line, streamed; blank lines are skipped."""
    n = 0
    while True:
        line = fh.readline(max_record_bytes + 1)
        if not line:
            return
        n += 1
        where = f"{source}:{n}"
        if len(line) > max_record_bytes:
            size = len(line)
            while not line.endswith(b"\n"):
                line = fh.readline(_SKIP_CHUNK)
                if not line:
                    break
                size += len(line)
            yield Failure(where, errors.TOO_LARGE.format(size=size, cap=max_record_bytes))
            continue
        if not line.strip():
            continue
        try:
            rec = _loads(line)
        except ValueError as exc:
            yield Failure(where, errors.BAD_JSON.format(detail=exc))
            continue
        except InputError as exc:
            yield Failure(where, str(exc))
            continue
        yield _record(rec, where)


def _csv_encoding(sample: bytes) -> str:
    try:
        # final=False: the sample may end in the middle of a multi-byte character.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    if is_binary(sample):
        raise InputError(errors.BINARY)
    enc = sniff_encoding(sample)
    if enc is None:
        raise InputError(errors.BINARY)
    return enc


def _delimiter(header: str, tsv: bool) -> str:
    if tsv:
        return "\t"
    # The header names the columns; the separator it uses most is the file's.
    return max(",;\t", key=header.count)


def read_csv(
    fh: IO[bytes], source: str, max_record_chars: int, *, tsv: bool = False
) -> Iterator[Parsed | Failure]:
    """A CSV (or TSV) file with a header row, streamed row by row."""
    sample = fh.read(_SAMPLE)
    fh.seek(0)
    if not sample.strip():
        raise InputError(errors.EMPTY)
    encoding = _csv_encoding(sample)
    header = sample.decode(encoding, errors="replace").split("\n", 1)[0]
    # The csv module's field cap (128 KiB by default) is process-wide; raise it so one
    # article fits, never lower it (another caller may need more).
    if csv.field_size_limit() < max_record_chars + 1:
        csv.field_size_limit(max_record_chars + 1)
    text = io.TextIOWrapper(fh, encoding=encoding, newline="")
    reader = csv.DictReader(text, delimiter=_delimiter(header, tsv))
    columns = {str(c).strip().lower() for c in reader.fieldnames or ()}
    if not columns & set(field_mapping()["text"]):
        # Said once for the file rather than "empty" for every row.
        names = ", ".join(field_mapping()["text"])
        raise InputError(errors.BAD_CSV.format(detail=f"no text column (one of: {names})"))
    last = 1  # the header row
    while True:
        start = last + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            last = reader.line_num
            yield Failure(f"{source}:{start}", errors.BAD_CSV.format(detail=exc))
            continue
        except UnicodeDecodeError as exc:
            # The encoding guessed from the head does not hold further down: stop
            # rather than store mojibake.
            yield Failure(f"{source}:{start}", errors.UNDECODABLE.format(detail=exc))
            return
        last = reader.line_num
        yield _record(row, f"{source}:{start}")
