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

from tests.conftest import demo_records
from tolltrace.cli import app
from tolltrace.export.profiles import acled_sub_event
from tolltrace.ingest import make_document
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
