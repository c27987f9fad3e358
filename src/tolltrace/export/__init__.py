"""Export: stored records -> the stable row shapes of DESIGN.md, in JSONL, CSV, GeoJSON
or Parquet, optionally in ACLED's or UCDP GED's column layout."""

from __future__ import annotations

from tolltrace.export.formats import EXPORT_FORMATS, flat_rows, write_parquet, write_rows
from tolltrace.export.profiles import PROFILES, profile_rows
from tolltrace.export.rows import (
    EXPORT_KINDS,
    claim_row,
    document_row,
    export_rows,
    incident_row,
)

__all__ = [
    "EXPORT_FORMATS",
    "EXPORT_KINDS",
    "PROFILES",
    "claim_row",
    "document_row",
    "export_rows",
    "flat_rows",
    "incident_row",
    "profile_rows",
    "write_parquet",
    "write_rows",
]
