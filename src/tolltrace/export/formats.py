"""Row dicts -> files: JSONL, CSV, GeoJSON (streamed) and Parquet (pyarrow)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

EXPORT_FORMATS = ("jsonl", "csv", "geojson", "parquet")

# Nested fields that may be null, with the keys they flatten to in CSV, so that every
# row of a CSV file has the same columns.
_NESTED_KEYS = {
    "place": (
        "text",
        "qualifier",
        "name",
        "country",
        "admin1",
        "lat",
        "lon",
        "geonameid",
        "precision",
    ),
    "claimant": ("text", "name", "kind"),
}


def _flatten(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for k, v in row.items():
        key = f"{prefix}{k}"
        if v is None and k in _NESTED_KEYS:
            v = dict.fromkeys(_NESTED_KEYS[k])
        if isinstance(v, dict):
            flat.update(_flatten(v, key + "_"))
        elif isinstance(v, list):
            nested = bool(v) and isinstance(v[0], dict | list)
            flat[key] = json.dumps(v, ensure_ascii=False) if nested else "; ".join(map(str, v))
        else:
            flat[key] = v
    return flat


def flat_rows(rows: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    return (_flatten(r) for r in rows)


def _coords(row: dict[str, Any]) -> tuple[float, float] | None:
    place = row.get("place")
    if isinstance(place, dict) and place.get("lat") is not None and place.get("lon") is not None:
        return float(place["lon"]), float(place["lat"])
    if row.get("latitude") is not None and row.get("longitude") is not None:
        return float(row["longitude"]), float(row["latitude"])
    return None


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, fh: TextIO) -> int:
    """Write rows as JSONL (one object a line), CSV (nested fields flattened with ``_``)
    or a GeoJSON FeatureCollection (rows without coordinates are left out).

    Returns the number of rows written."""
    n = 0
    if fmt == "jsonl":
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        writer: csv.DictWriter[str] | None = None
        for flat in flat_rows(rows):
            if writer is None:
                writer = csv.DictWriter(fh, fieldnames=list(flat), extrasaction="ignore")
                writer.writeheader()
            writer.writerow(flat)
            n += 1
    elif fmt == "geojson":
        # Streamed, so a large export never sits in memory as one object.
        fh.write('{"type": "FeatureCollection", "features": [\n')
        for row in rows:
            xy = _coords(row)
            if xy is None:
                continue
            props = {k: v for k, v in row.items() if k not in {"text"}}
            feature = {
                "type": "Feature",
                "id": row.get("id"),
                "geometry": {"type": "Point", "coordinates": [xy[0], xy[1]]},
                "properties": props,
            }
            fh.write((",\n" if n else "") + json.dumps(feature, ensure_ascii=False))
            n += 1
        fh.write("\n]}\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")
    return n


_FLOAT_COLUMNS = ("lat", "lon", "latitude", "longitude", "similarity", "confidence")
_INT_COLUMNS = (
    "min",
    "max",
    "start",
    "end",
    "geonameid",
    "independent_sources",
    "best_killed",
    "best_injured",
    "fatalities",
    "best",
    "low",
    "high",
    "number_of_sources",
    "year",
    "time_precision",
    "geo_precision",
    "where_prec",
)
_BOOL_COLUMNS = ("embedded", "cumulative")


def _null_column_type(name: str) -> Any:
    import pyarrow as pa

    last = name.rsplit("_", 1)[-1]
    if name in _FLOAT_COLUMNS or last in _FLOAT_COLUMNS:
        return pa.float64()
    if name in _INT_COLUMNS or last in _INT_COLUMNS:
        return pa.int64()
    if name in _BOOL_COLUMNS:
        return pa.bool_()
    return pa.string()


def write_parquet(rows: Iterable[dict[str, Any]], path: Path, batch_size: int = 10_000) -> int:
    """Write flattened rows to a Parquet file, in record batches."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer: Any = None
    schema: Any = None
    n = 0
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal writer, schema
        if not batch:
            return
        if schema is None:
            table = pa.Table.from_pylist(batch)
            # A column that is null throughout the first batch gets its type from its name.
            schema = pa.schema(
                [
                    f.with_type(_null_column_type(f.name)) if pa.types.is_null(f.type) else f
                    for f in table.schema
                ]
            )
            writer = pq.ParquetWriter(str(path), schema)
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
        batch.clear()

    for flat in flat_rows(rows):
        batch.append(flat)
        n += 1
        if len(batch) >= batch_size:
            flush()
    flush()
    if writer is None:
        pq.write_table(pa.table({}), str(path))
    else:
        writer.close()
    return n
