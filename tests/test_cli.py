"""The command line over real databases: exit codes, --json, exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from tolltrace.cli import app

runner = CliRunner()

CLAIM_FIELDS = {
    "id",
    "document_id",
    "document_url",
    "outlet",
    "published",
    "effect",
    "min",
    "max",
    "count_text",
    "victims",
    "perpetrator",
    "means",
    "place",
    "date_start",
    "date_end",
    "claimant",
    "stance",
    "quote",
    "start",
    "end",
    "incident_id",
    "confidence",
    "embedded",
    "cumulative",
    "part_of",
}
PLACE_FIELDS = {"text", "name", "country", "admin1", "lat", "lon", "geonameid", "precision"}
INCIDENT_FIELDS = {
    "id",
    "title",
    "date_start",
    "date_end",
    "place",
    "means",
    "perpetrators",
    "killed",
    "injured",
    "claimants",
    "claim_ids",
    "document_ids",
    "independent_sources",
    "grade",
}


def _jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_run_demo_then_export_every_kind(db_url: str, demo_path: Path) -> None:
    res = runner.invoke(app, ["run", str(demo_path), "--db", db_url])
    assert res.exit_code == 0, res.output
    assert "incidents" in res.output

    docs = _jsonl(runner.invoke(app, ["export", "documents", "--db", db_url]).stdout)
    assert len(docs) == 89
    seed = next(d for d in docs if d["id"] == "seed-000")  # the record's own id is kept
    assert seed["published"] == "2016-10-25"

    claims = _jsonl(runner.invoke(app, ["export", "claims", "--db", db_url]).stdout)
    assert claims, "the demo corpus states casualty figures"
    for c in claims:
        assert set(c) >= CLAIM_FIELDS, CLAIM_FIELDS - set(c)
        if c["place"] is not None:
            assert set(c["place"]) >= PLACE_FIELDS
        doc = next(d for d in docs if d["id"] == c["document_id"])
        assert doc["text"][c["start"] : c["end"]] == c["quote"]
    seed_killed = [
        c
        for c in claims
        if c["document_id"] == "seed-000" and c["effect"] == "killed" and not c["embedded"]
    ]
    assert any(c["min"] == 60 for c in seed_killed)

    incidents = _jsonl(runner.invoke(app, ["export", "incidents", "--db", db_url]).stdout)
    for x in incidents:
        assert set(x) >= INCIDENT_FIELDS
    assert any("seed-000" in x["document_ids"] and x["killed"]["min"] == 60 for x in incidents)

    # Running again over the same input changes nothing.
    again = runner.invoke(app, ["run", str(demo_path), "--db", db_url, "--json"])
    assert again.exit_code == 0
    summary = _jsonl(again.stdout)[0]
    assert summary["documents_added"] == 0 and summary["duplicates"] == 89
    assert len(_jsonl(runner.invoke(app, ["export", "claims", "--db", db_url]).stdout)) == len(
        claims
    )


def test_csv_export_flattens_nested_fields(tmp_path: Path, demo_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 't.db'}"
    assert runner.invoke(app, ["run", str(demo_path), "--db", db]).exit_code == 0
    out = tmp_path / "claims.csv"
    res = runner.invoke(app, ["export", "claims", "--format", "csv", "-o", str(out), "--db", db])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows and {"place_name", "claimant_name", "victims_group", "quote"} <= set(rows[0])


def test_failed_input_sets_exit_code_and_the_rest_is_stored(
    tmp_path: Path, demo_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    db = f"sqlite:///{tmp_path / 't.db'}"
    res = runner.invoke(app, ["ingest", str(empty), str(demo_path), "--db", db, "--json"])
    assert res.exit_code == 1
    summary = _jsonl(res.stdout)[0]
    assert summary["documents_added"] == 89
    assert [f["source"] for f in summary["failures"]] == [str(empty)]


def test_unknown_export_kind_is_a_usage_error(tmp_path: Path) -> None:
    res = runner.invoke(app, ["export", "victims", "--db", f"sqlite:///{tmp_path / 't.db'}"])
    assert res.exit_code == 2
