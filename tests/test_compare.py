"""Reference events (ACLED / UCDP GED exports) and `tolltrace compare`.

Every reference file here is tolltrace's own ACLED or UCDP export of the demo corpus
(real articles run through the pipeline), read back; the "bad" and "perturbed" rows are
those exported rows deliberately corrupted, never invented events.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tolltrace.cli import app
from tolltrace.records import Failure, Incident
from tolltrace.reference import (
    ReferenceEvent,
    ReferenceFormatError,
    compare,
    count_reference_events,
    country_code,
    detect_format,
    parse_date,
    read_reference_csv,
)
from tolltrace.store import Store

runner = CliRunner()


def _jsonl(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def _run_and_export(db: str, demo: Path, out: Path) -> tuple[Path, Path]:
    res = runner.invoke(app, ["run", str(demo), "--db", db])
    assert res.exit_code == 0, res.output
    files = []
    for profile in ("acled", "ucdp"):
        f = out / f"{profile}.csv"
        args = ["export", "incidents", "--format", "csv", "--profile", profile, "-o", str(f)]
        res = runner.invoke(app, [*args, "--db", db])
        assert res.exit_code == 0, res.output
        files.append(f)
    return files[0], files[1]


def _import(db: str, f: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    res = runner.invoke(app, ["reference", "import", str(f), "--db", db, "--json", *extra])
    rows = _jsonl(res.stdout)
    return res.exit_code, rows[0] if rows else {"output": res.output}


def _compare(db: str, dataset: str, *extra: str) -> list[dict[str, Any]]:
    res = runner.invoke(app, ["compare", "--db", db, "--dataset", dataset, "--json", *extra])
    assert res.exit_code == 0, res.output
    return _jsonl(res.stdout)


def _comparable(x: Incident, *, by_country: bool) -> bool:
    """Whether the rule can place the incident at all: coordinates (not a country
    centroid), or a date and a country when the reference carries countries."""
    p = x.place
    if p is not None and p.lat is not None and p.precision != "country":
        return True
    return by_country and x.date_start is not None and p is not None and p.country is not None


def _rows(f: Path) -> tuple[list[str], list[dict[str, str]]]:
    with f.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(f: Path, header: list[str], rows: list[dict[str, str]], *, bom: bool = False) -> None:
    with f.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        w = csv.DictWriter(fh, header)
        w.writeheader()
        w.writerows(rows)


# -- the round trip ---------------------------------------------------------------------


def test_round_trip_pairs_each_incident_with_its_own_exported_row(
    db_url: str, demo_path: Path, tmp_path: Path
) -> None:
    acled, ucdp = _run_and_export(db_url, demo_path, tmp_path)
    with Store(db_url) as store:
        incidents = {x.id: x for x in store.iter_incidents()}
    # Both exports carry the country (UCDP's gained a country column), so an incident
    # placed only at a country still pairs by country and date in either.
    for f, dataset, by_country in ((acled, "acled", True), (ucdp, "ucdp", True)):
        code, summary = _import(db_url, f)
        assert code == 0, summary
        assert summary == {
            "dataset": dataset,
            "added": len(incidents),
            "updated": 0,
            "failures": [],
        }
        rows = _compare(db_url, dataset)
        matched = {r["incident_id"]: r for r in rows if r["status"] == "matched"}
        expected = {i for i, x in incidents.items() if _comparable(x, by_country=by_country)}
        # Most demo incidents can be placed; each pairs with the row exported from it.
        assert len(expected) >= 10
        assert set(matched) == expected
        for iid, r in matched.items():
            assert r["reference_id"] == iid
            assert r["killed_diff"] == 0
            assert r["km"] in (None, 0.0)
            assert r["day_gap"] in (None, 0)
            assert r["figures_overlap"]
        # The rest are listed on both sides, each with the reason it could not be placed.
        alone = {r["incident_id"]: r for r in rows if r["status"] == "incident only"}
        assert set(alone) == set(incidents) - expected
        assert all(r["reason"] for r in alone.values())
        refs_alone = {r["reference_id"] for r in rows if r["status"] == "reference only"}
        assert refs_alone == set(incidents) - expected

    # Without --dataset each dataset is compared on its own: every incident once in each.
    res = runner.invoke(app, ["compare", "--db", db_url, "--json"])
    both = _jsonl(res.stdout)
    for dataset in ("acled", "ucdp"):
        ids = [r["incident_id"] for r in both if r["dataset"] == dataset and r.get("incident_id")]
        assert sorted(ids) == sorted(incidents)

    table = runner.invoke(app, ["compare", "--db", db_url])
    assert table.exit_code == 0
    n_acled = sum(1 for r in both if r["dataset"] == "acled" and r["status"] == "matched")
    assert f"ACLED: {n_acled} matched" in table.output

    # The seed's incident: Mosul, 22-25 Oct 2016, 60+ killed -> ACLED fatalities 60.
    seed = next(
        r
        for r in _compare(db_url, "acled")
        if r["status"] == "matched" and r["incident_place"] == "Mosul" and r["killed_min"] == 60
    )
    assert (seed["reference_date_start"], seed["best"]) == ("2016-10-25", 60)
    assert seed["basis"] == "coordinates"


def test_reimport_updates_and_never_duplicates(
    db_url: str, demo_path: Path, tmp_path: Path
) -> None:
    acled, ucdp = _run_and_export(db_url, demo_path, tmp_path)
    _, first = _import(db_url, acled)
    _, again = _import(db_url, acled)
    assert again["added"] == 0 and again["updated"] == first["added"] > 0
    _import(db_url, ucdp)
    with Store(db_url) as store:
        # Keyed by dataset and id: the same incident id in the UCDP file is its own event.
        assert count_reference_events(store, "acled") == first["added"]
        assert count_reference_events(store) == 2 * first["added"]
    # A corrected figure in a second export replaces the stored one.
    header, rows = _rows(acled)
    row = next(r for r in rows if r["fatalities"] not in ("", "0"))
    row["fatalities"] = str(int(row["fatalities"]) + 5)
    _write(acled, header, rows)
    _, third = _import(db_url, acled)
    assert third["added"] == 0
    diff = next(
        r for r in _compare(db_url, "acled") if r.get("reference_id") == row["event_id_cnty"]
    )
    if diff["status"] == "matched":
        assert diff["killed_diff"] == -5
    assert diff["best"] == int(row["fatalities"])


def test_perturbed_rows_no_longer_match(db_url: str, demo_path: Path, tmp_path: Path) -> None:
    acled, _ = _run_and_export(db_url, demo_path, tmp_path)
    header, rows = _rows(acled)
    dated = [r for r in rows if r["event_date"] and r["latitude"]]
    assert len(dated) >= 2
    shifted, moved = dated[0], dated[1]
    shifted["event_date"] = (
        date.fromisoformat(shifted["event_date"]) + timedelta(days=10)
    ).isoformat()
    moved["latitude"] = f"{float(moved['latitude']) + 200 / 111.2:.5f}"  # 200 km north
    _write(acled, header, rows)
    code, summary = _import(db_url, acled)
    assert code == 0, summary
    out = _compare(db_url, "acled")
    pairs = {r["incident_id"]: r["reference_id"] for r in out if r["status"] == "matched"}
    alone = {r["reference_id"] for r in out if r["status"] == "reference only"}
    for r in (shifted, moved):
        eid = r["event_id_cnty"]
        assert pairs.get(eid) != eid
        assert eid in alone
    # The untouched dated rows still pair with their incidents.
    for r in dated[2:]:
        assert pairs.get(r["event_id_cnty"]) == r["event_id_cnty"]
    # A looser tolerance takes the shifted row back.
    wide = _compare(db_url, "acled", "--max-days", "10")
    back = next(r for r in wide if r.get("reference_id") == shifted["event_id_cnty"])
    assert back["status"] == "matched" and back["incident_id"] == shifted["event_id_cnty"]
    assert back["day_gap"] == 10


# -- reading real-world files -----------------------------------------------------------


def test_bad_rows_are_reported_with_line_numbers_and_the_rest_imported(
    db_url: str, demo_path: Path, tmp_path: Path
) -> None:
    acled, _ = _run_and_export(db_url, demo_path, tmp_path)
    header, rows = _rows(acled)
    good = [r for r in rows if r["event_date"] and r["latitude"]][:2]
    bad = [
        {**good[0], "event_id_cnty": "bad-date", "event_date": "31 Febtober 2016"},
        {**good[0], "event_id_cnty": "bad-lat", "latitude": "north"},
        {**good[0], "event_id_cnty": "off-globe", "latitude": "95.5"},
        {**good[0], "event_id_cnty": "", "notes": "no id"},
        {**good[0], "event_id_cnty": "neg", "fatalities": "-3"},
        {**good[0], "event_id_cnty": "ambiguous", "event_date": "05/06/2016"},
    ]
    # The seed row as older ACLED files write it: a spelled-out date, notes quoted over
    # two lines with commas in them.
    day = date.fromisoformat(good[1]["event_date"])
    spelled = {
        **good[1],
        "event_date": f"{day.day} {day.strftime('%B')} {day.year}",
        "notes": good[1]["notes"] + ",\nsecond line, with commas",
    }
    _write(acled, header, [good[0], *bad, spelled], bom=True)
    code, summary = _import(db_url, acled)
    assert code == 1  # some rows were skipped
    assert summary["added"] == 2
    # Line 1 is the header, line 2 the first good row; the multi-line row is last.
    where = {f["source"]: f["reason"] for f in summary["failures"]}
    assert list(where) == [f"acled.csv:{n}" for n in range(3, 9)]
    assert "unreadable date" in where["acled.csv:3"]
    assert "not a number" in where["acled.csv:4"]
    assert "off the globe" in where["acled.csv:5"]
    assert "no event_id_cnty" in where["acled.csv:6"]
    assert "not a count" in where["acled.csv:7"]
    assert "day-first and month-first" in where["acled.csv:8"]
    with Store(db_url) as store:
        from tolltrace.reference import iter_reference_events

        stored = {r.external_id: r for r in iter_reference_events(store)}
    assert set(stored) == {good[0]["event_id_cnty"], good[1]["event_id_cnty"]}
    back = stored[good[1]["event_id_cnty"]]
    assert back.date_start == day  # the spelled-out date
    assert back.notes is not None and back.notes.endswith("second line, with commas")
    assert back.country == "IQ" and back.origin == "acled.csv:9"


def test_a_missing_column_is_a_clear_error(tmp_path: Path, demo_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 't.db'}"
    acled, ucdp = _run_and_export(db, demo_path, tmp_path)
    header, rows = _rows(acled)
    header.remove("fatalities")
    for r in rows:
        del r["fatalities"]
    _write(acled, header, rows)
    res = runner.invoke(app, ["reference", "import", str(acled), "--db", db])
    assert res.exit_code == 2
    assert "no column fatalities" in res.output
    # Naming the wrong dataset is the same kind of error.
    res = runner.invoke(app, ["reference", "import", str(ucdp), "--format", "acled", "--db", db])
    assert res.exit_code == 2 and "no column event_id_cnty" in res.output.replace("\n", " ")
    with Store(db) as store:
        assert count_reference_events(store) == 0


def test_compare_without_reference_events_says_what_to_do(tmp_path: Path) -> None:
    res = runner.invoke(app, ["compare", "--db", f"sqlite:///{tmp_path / 't.db'}"])
    assert res.exit_code == 2 and "reference import" in res.output


def test_formats_are_detected_by_header(tmp_path: Path, demo_path: Path) -> None:
    acled, ucdp = _run_and_export(f"sqlite:///{tmp_path / 't.db'}", demo_path, tmp_path)
    for f, expected in ((acled, "acled"), (ucdp, "ucdp")):
        with f.open("rb") as fh:
            dataset, items = read_reference_csv(fh, f.name)
            events = list(items)
        assert dataset == expected
        assert events and not [e for e in events if isinstance(e, Failure)]
    assert detect_format({"event_id_cnty", "event_date"}) == "acled"
    assert detect_format({"id", "date_start", "date_end", "best"}) == "ucdp"
    assert detect_format({"id", "title", "text"}) is None
    with pytest.raises(ReferenceFormatError, match="--format"):
        read_reference_csv(io.BytesIO(b"id,title,text\n1,a,b\n"), "docs.csv")


def test_ucdp_ged_layout_with_its_own_date_and_country_forms() -> None:
    # UCDP GED writes times after dates and historical country names; the seed incident
    # in that layout.
    text = (
        "id,relid,year,type_of_violence,side_a,side_b,country,adm_1,where_description,"
        "latitude,longitude,where_prec,date_start,date_end,best,low,high,source_headline\n"
        'seed-000,X,2016,3,US-led coalition,Civilians,"Russia (Soviet Union)",Nineveh,'
        "Mosul,36.335,43.11889,1,2016-10-22 00:00:00.000,2016-10-25 00:00:00.000,60,60,60,"
        '"60 civilians killed, 200 injured as US-led coalition strikes Mosul"\n'
    )
    dataset, items = read_reference_csv(io.BytesIO(text.encode()), "ged.csv")
    (event,) = list(items)
    assert dataset == "ucdp" and isinstance(event, ReferenceEvent)
    assert (event.date_start, event.date_end) == (date(2016, 10, 22), date(2016, 10, 25))
    assert event.country == "RU" and event.event_type == "one-sided violence"
    assert (event.killed_low, event.killed_best, event.killed_high) == (60, 60, 60)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-10-25", date(2016, 10, 25)),
        ("2016-10-25 00:00:00.000", date(2016, 10, 25)),
        ("25 October 2016", date(2016, 10, 25)),
        ("25-Oct-16", date(2016, 10, 25)),
        ("October 25, 2016", date(2016, 10, 25)),
        ("25/10/2016", date(2016, 10, 25)),
        ("10/25/2016", date(2016, 10, 25)),
        ("", None),
    ],
)
def test_dates_as_exports_write_them(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["05/06/2016", "2016-02-30", "last week", "25 Octember 2016"])
def test_dates_that_cannot_be_read(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_country_codes_from_names_and_acled_iso_numbers() -> None:
    assert country_code("Iraq") == "IQ"
    assert country_code("Syrian Arab Republic") == "SY"
    assert country_code("Yemen (North Yemen)") == "YE"
    assert country_code("DR Congo (Zaire)") == "CD"
    assert country_code("anything", "368") == "IQ"  # ACLED's iso column wins
    assert country_code("Atlantis") is None


# -- the matching rule, on the demo's own records ----------------------------------------


@pytest.fixture(scope="module")
def demo_records(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Incident], list[Any]]:
    from tests.conftest import DEMO

    tmp = tmp_path_factory.mktemp("demo")
    db = f"sqlite:///{tmp / 'demo.db'}"
    acled, _ = _run_and_export(db, DEMO, tmp)
    with Store(db) as store:
        incidents = list(store.iter_incidents())
    with acled.open("rb") as fh:
        _, items = read_reference_csv(fh, acled.name)
        refs = [e for e in items if isinstance(e, ReferenceEvent)]
    return incidents, refs


def test_country_is_the_fallback_when_coordinates_are_missing(
    demo_records: tuple[list[Incident], list[ReferenceEvent]],
) -> None:
    incidents, refs = demo_records
    x = next(i for i in incidents if i.place and i.place.lat is not None and i.date_start)
    ref = next(r for r in refs if r.external_id == x.id)
    assert x.place is not None
    blind = replace(x, place=replace(x.place, lat=None, lon=None))
    (pair,) = compare([blind], [ref]).pairs
    assert pair.basis == "country" and pair.km is None and pair.day_gap == 0
    # Another country, or no date on the incident: nothing to pair by.
    elsewhere = replace(ref, country="SY" if ref.country != "SY" else "IQ", lat=None, lon=None)
    assert not compare([blind], [elsewhere]).pairs
    undated = replace(blind, date_start=None, date_end=None)
    result = compare([undated], [ref])
    assert not result.pairs
    assert result.unmatched_incidents[0][1] == "neither coordinates nor a date"


def test_each_event_pairs_once_and_the_closer_incident_wins(
    demo_records: tuple[list[Incident], list[ReferenceEvent]],
) -> None:
    incidents, refs = demo_records
    x = next(i for i in incidents if i.place and i.place.lat is not None and i.date_start)
    ref = next(r for r in refs if r.external_id == x.id)
    assert x.place is not None and x.place.lat is not None
    # The same incident again, 30 km north: both are within 50 km of the event.
    near = replace(x, id="near", place=replace(x.place, lat=x.place.lat + 30 / 111.2))
    result = compare([near, x], [ref])
    assert [(p.incident.id, p.reference.external_id) for p in result.pairs] == [(x.id, x.id)]
    assert result.unmatched_incidents[0][0].id == "near"
    assert "paired with other incidents" in result.unmatched_incidents[0][1]
    assert compare([near], [ref]).pairs[0].km == pytest.approx(30, abs=0.5)
    assert not compare([near], [ref], max_km=20).pairs


def test_matching_is_not_quadratic(
    demo_records: tuple[list[Incident], list[ReferenceEvent]],
) -> None:
    incidents, refs = demo_records
    ref = next(r for r in refs if r.date_start and r.lat is not None)
    # Synthetic scale test (not events): the one event copied over 20 years of days and a
    # 10 x 10 degree grid, and the incidents over the same span.
    many = [
        replace(
            ref,
            external_id=f"copy-{k}",
            date_start=ref.date_start + timedelta(days=k % 7300),
            date_end=ref.date_start + timedelta(days=k % 7300),
            lat=30 + (k * 7 % 100) / 10,
            lon=40 + (k * 13 % 100) / 10,
        )
        for k in range(20_000)
    ]
    x = next(i for i in incidents if i.place and i.place.lat is not None and i.date_start)
    assert x.place is not None and x.date_start is not None
    xs = [
        replace(
            x,
            id=f"x-{k}",
            date_start=x.date_start + timedelta(days=k * 3 % 7300),
            date_end=x.date_start + timedelta(days=k * 3 % 7300),
        )
        for k in range(2_000)
    ]
    result = compare(xs, many)
    # 40 million pairs if every incident met every event; the indexes look at a few each.
    assert result.evaluated < 20 * len(xs)
    assert result.pairs  # and it still finds the copies that fall near an incident
    for p in result.pairs:
        assert p.km is not None and p.km <= 50 and p.day_gap is not None and p.day_gap <= 3
    assert len(result.pairs) + len(result.unmatched_incidents) == len(xs)
