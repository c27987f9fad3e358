"""Exports in the field's formats: JSONL, CSV, GeoJSON, Parquet, ACLED and UCDP layouts."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tests.conftest import DEMO, demo_records
from tolltrace.cli import _with_best, app
from tolltrace.export.profiles import acled_sub_event
from tolltrace.ingest import make_document
from tolltrace.link.resources import load_tables
from tolltrace.records import (
    Claim,
    Claimant,
    ClaimantFigures,
    Count,
    Figure,
    Incident,
    Place,
    TimeRef,
)
from tolltrace.store import Store

runner = CliRunner()


@pytest.fixture
def seed_db(tmp_path: Path) -> str:
    """The seed stored with its Mosul claim and incident, resolved as a recorder would."""
    url = f"sqlite:///{tmp_path / 'export.db'}"
    rec = next(r for r in demo_records() if r["id"] == "seed-000")
    doc = make_document(
        rec["text"], id=rec["id"], title=rec["title"], outlet="RT", published=date(2016, 10, 25)
    )
    quote = "Over 60 civilians have been killed"
    start = doc.text.index(quote)
    mosul = Place(
        "Mosul",
        name="Mosul",
        country="IQ",
        admin1="Nineveh",
        lat=36.335,
        lon=43.119,
        geonameid=99072,
        precision="city",
    )
    claim = Claim(
        id="claim-seed-60",
        document_id=doc.id,
        effect="killed",
        count=Count(60, None, "Over 60", "over N"),
        quote=quote,
        start=start,
        end=start + len(quote),
        perpetrator="US-led coalition",
        means="airstrike",
        place=mosul,
        time=TimeRef("during three days", date(2016, 10, 22), date(2016, 10, 25), "range"),
        claimant=Claimant("the Russian military", "Russian Ministry of Defence", "party"),
    )
    incident = Incident(
        id="inc-mosul",
        title="60+ civilians killed in US-led coalition airstrikes on Mosul",
        claim_ids=(claim.id,),
        document_ids=(doc.id,),
        place=mosul,
        date_start=date(2016, 10, 22),
        date_end=date(2016, 10, 25),
        means="airstrike",
        perpetrators=("US-led coalition",),
        killed=Figure(60, None),
        claimants=(ClaimantFigures("Russian Ministry of Defence", Figure(60, None)),),
        independent_sources=1,
        grade="single-source",
        grade_reason="one independent source",
    )
    with Store(url) as store:
        store.add_documents([doc])
        store.replace_claims(doc.id, [claim], "test")
        store.replace_incidents([incident])
    return url


def _export(db: str, *args: str) -> str:
    res = runner.invoke(app, ["export", *args, "--db", db])
    assert res.exit_code == 0, res.output
    return res.stdout


def test_geojson_feature_collection(seed_db: str) -> None:
    for kind in ("claims", "incidents"):
        fc = json.loads(_export(seed_db, kind, "--format", "geojson"))
        assert fc["type"] == "FeatureCollection"
        (feature,) = fc["features"]
        assert feature["geometry"] == {"type": "Point", "coordinates": [43.119, 36.335]}
        assert feature["properties"]["place"]["name"] == "Mosul"


def test_parquet_needs_a_file_and_round_trips(seed_db: str, tmp_path: Path) -> None:
    assert runner.invoke(app, ["export", "claims", "-f", "parquet", "--db", seed_db]).exit_code == 2
    out = tmp_path / "claims.parquet"
    _export(seed_db, "claims", "-f", "parquet", "-o", str(out))
    rows = pq.read_table(out).to_pylist()
    assert rows[0]["min"] == 60 and rows[0]["max"] is None
    assert rows[0]["place_name"] == "Mosul" and rows[0]["claimant_name"].startswith("Russian")


def test_acled_profile(seed_db: str) -> None:
    (row,) = csv.DictReader(
        io.StringIO(_export(seed_db, "incidents", "-f", "csv", "--profile", "acled"))
    )
    assert row["event_date"] == "2016-10-25"
    assert row["time_precision"] == "2"  # a three-day range
    assert row["sub_event_type"] == "Air/drone strike"
    assert row["actor1"] == "US-led coalition"
    assert row["country"] == "Iraq"
    assert row["location"] == "Mosul" and row["geo_precision"] == "1"
    assert row["fatalities"] == "60"
    assert row["source"] == "RT"


def test_ucdp_profile(seed_db: str) -> None:
    (row,) = [
        json.loads(x) for x in _export(seed_db, "incidents", "--profile", "ucdp").splitlines()
    ]
    assert (row["date_start"], row["date_end"]) == ("2016-10-22", "2016-10-25")
    assert row["side_a"] == "US-led coalition"
    assert (row["best"], row["low"], row["high"]) == (60, 60, 60)
    assert row["where_prec"] == 1 and row["number_of_sources"] == 1
    assert row["source_headline"].startswith("60 civilians killed, 200 injured")


def test_profile_applies_to_incidents_only(seed_db: str) -> None:
    res = runner.invoke(app, ["export", "claims", "--profile", "acled", "--db", seed_db])
    assert res.exit_code == 2


@pytest.mark.parametrize(
    ("means", "sub_event"),
    [
        ("airstrike", "Air/drone strike"),
        ("drone strike", "Air/drone strike"),
        ("shelling", "Shelling/artillery/missile attack"),
        ("suicide bombing", "Suicide bomb"),
        ("bombing/IED", "Remote explosive/landmine/IED"),
        ("armed clash", "Armed clash"),
        ("shooting", "Attack"),
        (None, None),
    ],
)
def test_means_map_to_acled_sub_event_types(means: str | None, sub_event: str | None) -> None:
    assert acled_sub_event(means) == sub_event


# -- best figures, over the demo corpus run through the pipeline --------------------------


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo corpus (real articles) run through the whole pipeline, once."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    res = runner.invoke(app, ["run", str(DEMO), "--db", url])
    assert res.exit_code == 0, res.output
    return url


def _incidents(db: str) -> dict[str, Incident]:
    with Store(db) as store:
        return {x.id: x for x in store.iter_incidents()}


def _baghdad(incidents: dict[str, Incident]) -> Incident:
    """The State Department's statement on the Baghdad attacks: "at least 28" killed on
    Saturday, "at least 35 more ... and injured scores" today (attacks "also claimed by
    Da'esh": Da'esh claimed the attacks, the Department states the tolls). The "35 more"
    adds to the 28: the statement's figure is 63 or more (extractor 0.4.45)."""
    return next(x for x in incidents.values() if "re3d-834f3344bf" in x.document_ids)


def test_incident_exports_carry_the_best_figures(demo_db: str, tmp_path: Path) -> None:
    incidents = _incidents(demo_db)
    best = {i: (x.best_killed, x.best_injured) for i, x in incidents.items()}
    assert sum(k is not None for k, _ in best.values()) >= 15
    assert any(i is not None for _, i in best.values())
    assert best[_baghdad(incidents).id] == (63, 40)
    # One speaker naming Dae’sh and Da’esh (one group, two spellings) contests nothing.
    assert _baghdad(incidents).grade == "single-source"
    assert load_tables().party("Da’esh") == load_tables().party("Dae’sh") == "Islamic State"

    rows = [json.loads(x) for x in _export(demo_db, "incidents").splitlines()]
    assert {r["id"]: (r["best_killed"], r["best_injured"]) for r in rows} == best
    # Beside the ranges, which keep every opinion.
    baghdad = next(r for r in rows if r["id"] == _baghdad(incidents).id)
    assert baghdad["killed"] == {"min": 63, "max": None} and baghdad["best_killed"] == 63

    flat = list(csv.DictReader(io.StringIO(_export(demo_db, "incidents", "-f", "csv"))))
    assert {r["id"]: (r["best_killed"], r["best_injured"]) for r in flat} == {
        i: tuple("" if v is None else str(v) for v in kb) for i, kb in best.items()
    }

    out = tmp_path / "incidents.parquet"
    _export(demo_db, "incidents", "-f", "parquet", "-o", str(out))
    table = pq.read_table(out)
    assert str(table.schema.field("best_killed").type) == "int64"
    assert str(table.schema.field("best_injured").type) == "int64"
    assert {r["id"]: (r["best_killed"], r["best_injured"]) for r in table.to_pylist()} == best

    fc = json.loads(_export(demo_db, "incidents", "-f", "geojson"))
    placed = {f["id"]: f["properties"] for f in fc["features"]}
    assert len(placed) >= 10
    for i, props in placed.items():
        assert (props["best_killed"], props["best_injured"]) == best[i]


def test_best_figure_columns_are_integers_even_when_all_empty(seed_db: str, tmp_path: Path) -> None:
    # The seed incident stored without best figures: the columns are null throughout the
    # first batch, and still typed as the integers they are elsewhere.
    out = tmp_path / "incidents.parquet"
    _export(seed_db, "incidents", "-f", "parquet", "-o", str(out))
    table = pq.read_table(out)
    assert str(table.schema.field("best_killed").type) == "int64"
    assert table.to_pylist()[0]["best_killed"] is None


def test_profiles_record_the_best_killed_figure(demo_db: str) -> None:
    incidents = _incidents(demo_db)
    acled = {
        r["event_id_cnty"]: r
        for r in csv.DictReader(
            io.StringIO(_export(demo_db, "incidents", "-f", "csv", "--profile", "acled"))
        )
    }
    ucdp = {
        r["id"]: r
        for r in map(json.loads, _export(demo_db, "incidents", "--profile", "ucdp").splitlines())
    }
    assert set(acled) == set(ucdp) == set(incidents)
    for i, x in incidents.items():
        expected = x.best_killed if x.best_killed is not None else x.killed.min
        assert acled[i]["fatalities"] == str(expected or 0)
        row = ucdp[i]
        assert row["best"] == expected
        if expected is not None:
            # UCDP GED's invariant holds, the claimed range widened to the best figure.
            assert row["low"] <= row["best"] <= row["high"]
            assert row["low"] == min(
                expected, x.killed.min if x.killed.min is not None else expected
            )
    baghdad = _baghdad(incidents)
    assert acled[baghdad.id]["fatalities"] == "63"  # the weekend's, not Saturday's 28
    row = ucdp[baghdad.id]
    assert (row["low"], row["best"], row["high"]) == (63, 63, 63)


def test_incidents_list_shows_the_best_figure_beside_the_range(demo_db: str) -> None:
    res = runner.invoke(app, ["incidents", "--db", demo_db, "--limit", "0"])
    assert res.exit_code == 0, res.output
    assert "63+ (best 63)" in res.stdout
    assert "40+ (best 40)" in res.stdout
    res = runner.invoke(app, ["incidents", "--db", demo_db, "--limit", "0", "--json"])
    rows = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert {r["best_killed"] for r in rows} >= {63, 60, 121}


@pytest.mark.parametrize(
    ("fig", "best", "shown"),
    [
        ({"min": 60, "max": None}, 60, "60+ (best 60)"),
        ({"min": 28, "max": None}, 35, "28+ (best 35)"),
        ({"min": 15, "max": 24}, 15, "15-24 (best 15)"),
        ({"min": 11, "max": 11}, 11, "11"),  # one figure: nothing to add
        ({"min": None, "max": None}, 1, "(best 1)"),
        ({"min": 60, "max": None}, None, "60+"),
    ],
)
def test_range_with_best(fig: dict[str, int | None], best: int | None, shown: str) -> None:
    assert _with_best(fig, best) == shown


# -- places the gazetteer lacks (precision "container") in the ACLED and UCDP layouts ----


def _container_places(demo_db: str) -> dict[str, Place]:
    """Unknown places as the pipeline resolved them in the demo corpus ("the Al-Sinek
    neighborhood in Baghdad": Baghdad's point; "near Tabqa Dam, Syria": the country
    only), and a district in a province (the demo corpus's DFAT title "Declaration of Mosul
    District, Ninewa Province, Iraq"; no point, the province's admin1)."""
    from tests.test_resolve_unknown import MOSUL_DISTRICT_ID, MOSUL_DISTRICT_QUOTE, demo_doc
    from tolltrace.resolve import load_gazetteer, resolve_claims
    from tolltrace.settings import load_settings

    with Store(demo_db) as store:
        found = {
            c.place.name: c.place
            for c in store.iter_claims()
            if c.place is not None and c.place.precision == "container" and c.place.name
        }
    doc = demo_doc(MOSUL_DISTRICT_ID, title=True)
    quote = MOSUL_DISTRICT_QUOTE
    start = doc.text.index(quote)
    claim = Claim(
        id="c-mosul-district",
        document_id=doc.id,
        effect="killed",
        count=Count(4, 4, "four", "exact"),
        quote=quote,
        start=start,
        end=start + len(quote),
        place=Place("Mosul District"),
    )
    (resolved,) = resolve_claims(doc, [claim], load_gazetteer(load_settings()))
    assert resolved.place is not None
    found[resolved.place.name or ""] = resolved.place
    return found


def test_profiles_code_container_places_by_their_container(
    demo_db: str, db_url: str, tmp_path: Path
) -> None:
    from tolltrace.reference.read import read_reference_csv

    places = _container_places(demo_db)
    sinek, dam, district = places["Al-Sinek"], places["Tabqa Dam"], places["Mosul"]
    assert sinek.lat is not None and sinek.geonameid is None  # Baghdad's point
    assert (dam.country, dam.admin1, dam.lat) == ("SY", None, None)
    assert (district.country, district.lat) == ("IQ", None) and district.admin1
    incidents = [
        Incident(
            id=f"inc-{i}",
            title=f"Incident in {p.name}",
            claim_ids=(),
            document_ids=(),
            place=p,
            killed=Figure(2, 2),
            independent_sources=1,
            grade="single-source",
            grade_reason="one independent source",
        )
        for i, p in enumerate((sinek, dam, district))
    ]
    with Store(db_url) as store:
        store.replace_incidents(incidents)
    acled = {
        r["location"]: r
        for r in csv.DictReader(
            io.StringIO(_export(db_url, "incidents", "-f", "csv", "--profile", "acled"))
        )
    }
    ucdp_csv = _export(db_url, "incidents", "-f", "csv", "--profile", "ucdp")
    ucdp = {r["where_description"]: r for r in csv.DictReader(io.StringIO(ucdp_csv))}
    # Inside a city, at its point: near the town (2, 2); in a province only: the
    # province (3, 4); in a country only: the country (3, 6). Never empty.
    assert (acled["Al-Sinek"]["geo_precision"], ucdp["Al-Sinek"]["where_prec"]) == (
        "2",
        "2",
    )
    assert acled["Al-Sinek"]["latitude"] == str(sinek.lat)
    assert (acled["Mosul"]["geo_precision"], ucdp["Mosul"]["where_prec"]) == (
        "3",
        "4",
    )
    assert (acled["Tabqa Dam"]["geo_precision"], ucdp["Tabqa Dam"]["where_prec"]) == (
        "3",
        "6",
    )
    assert ucdp["Tabqa Dam"]["country"] == "Syrian Arab Republic"
    assert ucdp["Al-Sinek"]["country"] == "Iraq"
    # The country column lets `tolltrace compare` read the export back as UCDP GED and
    # pair incidents that have no coordinates by country.
    out = tmp_path / "ged.csv"
    out.write_text(ucdp_csv, encoding="utf-8")
    with out.open("rb") as fh:
        dataset, events = read_reference_csv(fh, str(out))
        back = {e.place: e for e in events if not hasattr(e, "error")}
    assert dataset == "ucdp"
    assert {p: (e.country, e.precision) for p, e in back.items()} == {  # type: ignore[union-attr]
        "Al-Sinek": ("IQ", 2),
        "Tabqa Dam": ("SY", 6),
        "Mosul": ("IQ", 4),
    }
