"""The record of an event from an outside dataset (ACLED, UCDP GED) that a user has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DATASETS = ("acled", "ucdp")


@dataclass(frozen=True, slots=True)
class ReferenceEvent:
    """One row of a reference dataset, keyed by ``(dataset, external_id)``.

    ``country`` is ISO 3166-1 alpha-2 when the row's country could be identified (the
    name as written stays in ``country_name``). ``precision`` is the dataset's own code
    (ACLED ``geo_precision`` 1-3, UCDP ``where_prec`` 1-7). ACLED has one fatality figure,
    so its best, low and high are the same number.
    """

    dataset: str
    external_id: str
    date_start: date | None = None
    date_end: date | None = None
    place: str | None = None
    admin1: str | None = None
    country: str | None = None
    country_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: int | None = None
    killed_best: int | None = None
    killed_low: int | None = None
    killed_high: int | None = None
    actor: str | None = None
    actor2: str | None = None
    event_type: str | None = None
    source: str | None = None
    notes: str | None = None
    origin: str | None = None  # the file and line it was read from: "acled.csv:12"
