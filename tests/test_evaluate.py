"""``tolltrace eval`` end to end: a tiny gold folder made from the demo corpus, run
through the real pipeline, scored, printed, and checked against floors.

The gold claims are the seed's own statements ("Over 60 civilians have been killed and
at least 200 injured", RT, 2016-10-25) and the UK Foreign Office's statement in demo
record re3d-9b216acb22 ("ISIL has killed 70 members of the Al bu Nimr tribe in
Anbar"). A verbatim republication of the seed under another id stands for the dozen
outlets that copied it: one incident, two documents.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from tests.conftest import ROOT, demo_records
from tolltrace.cli import app
from tolltrace.evaluate import evaluate_dirs, format_report
from tolltrace.settings import load_settings

GATE = ROOT / "scripts" / "eval_gate.py"


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture(scope="module")
def gold_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gold") / "seed-gold"
    folder.mkdir()
    by_id = {r["id"]: r for r in demo_records()}
    seed = dict(by_id["seed-000"])
    copy = dict(seed, id="seed-000-copy", outlet="copy.example")
    anbar = dict(by_id["re3d-9b216acb22"])
    _jsonl(folder / "documents.jsonl", [seed, copy, anbar])
    mosul: dict[str, Any] = {
        "incident": "mosul",
        "victims": "civilians",
        "perpetrator": "US-led coalition",
        "place": "Mosul",
        "country": "IQ",
        "date_start": "2016-10-22",
        "date_end": "2016-10-25",
        "claimant": "Russian Ministry of Defence",
        "stance": "asserted",
        "basis": "document",
    }
    claims = []
    for doc in ("seed-000", "seed-000-copy"):
        claims.append({"doc": doc, "effect": "killed", "min": 60, "max": None, **mosul})
        claims.append({"doc": doc, "effect": "injured", "min": 200, "max": None, **mosul})
    claims.append(
        {
            "doc": "re3d-9b216acb22",
            "incident": "anbar",
            "effect": "killed",
            "min": 70,
            "max": 70,
            "victims": "members of the Al bu Nimr tribe",
            "perpetrator": "ISIL",
            "place": "Anbar",
            "country": "IQ",
            "date_start": None,
            "date_end": None,
            "claimant": "UN",
            "stance": "asserted",
            "basis": "document",
        }
    )
    _jsonl(folder / "claims.jsonl", claims)
    _jsonl(
        folder / "incidents.jsonl",
        [
            {
                "id": "mosul",
                "docs": ["seed-000", "seed-000-copy"],
                "killed": None,
                "injured": None,
                "place": "Mosul",
                "country": "IQ",
            },
            {
                "id": "anbar",
                "docs": ["re3d-9b216acb22"],
                "killed": 70,
                "injured": 0,
                "place": "Anbar",
                "country": "IQ",
            },
        ],
    )
    return folder


@pytest.fixture(scope="module")
def report(gold_dir: Path) -> dict[str, Any]:
    reports = evaluate_dirs([gold_dir], load_settings(environ={}))
    assert len(reports) == 1
    return reports[0]


def test_report_structure(report: dict[str, Any]) -> None:
    assert report["folder"] == "seed-gold"
    assert report["documents_total"] == report["documents_evaluated"] == 3
    assert report["failures"] == 0
    assert report["documents_unmatched"] == 0  # the gold ids are kept as document ids
    assert report["duplicates"] == 1  # the verbatim copy is stored once
    assert report["gold_claims"] == 5
    tp = report["throughput"]
    assert tp["documents"] == 3 and tp["seconds"] > 0 and tp["docs_per_second"] > 0
    for effect in ("killed", "injured", "all"):
        assert set(report["claims"][effect]) == {
            "tp",
            "predicted",
            "gold",
            "precision",
            "recall",
            "f1",
        }
    assert report["claims"]["killed"]["gold"] == 3  # 60+ twice (two documents) and 70
    assert report["claims"]["injured"]["gold"] == 2
    slots = report["slots"]
    for slot in ("place", "country", "date", "perpetrator", "victims"):
        assert set(slots[slot]) >= {"scored", "correct", "share"}
        assert slots[slot]["scored"] <= slots["matched_gold_claims"]
    json.dumps(report)  # JSON-ready as it is


def test_the_seed_figures_are_found(report: dict[str, Any]) -> None:
    claims = report["claims"]
    # both documents of the seed: 60+ killed and 200+ injured
    assert claims["injured"]["tp"] == 2 and claims["injured"]["recall"] == 1.0
    assert claims["killed"]["tp"] >= 2
    assert claims["found_any"]["found"] >= 4
    # matched claims carry every gold slot of the seed, so each is scored
    slots = report["slots"]
    assert slots["matched_gold_claims"] >= 4
    assert slots["place"]["scored"] == slots["matched_gold_claims"]


def test_incident_grouping_scored(report: dict[str, Any]) -> None:
    inc = report["incidents"]
    assert inc is not None
    assert inc["documents"] == 3 and inc["gold_incidents"] == 2
    # The copy is the seed's stored twin, so the gold pair (seed, copy) is always linked
    # when the seed has an incident.
    assert inc["pairwise"]["gold"] == 1
    assert inc["pairwise"]["recall"] == 1.0
    for key in ("precision", "recall", "f1"):
        assert 0.0 <= inc["b3"][key] <= 1.0
    assert inc["figures"]["gold_incidents"] == 2


def test_format_report_prints_a_table(report: dict[str, Any]) -> None:
    console = Console(width=120, record=True)
    console.print(format_report([report]))
    text = console.export_text()
    assert "seed-gold: 3 of 3 documents" in text
    assert "figures killed" in text and "incidents B³" in text
    assert "summary" not in text  # one folder: no summary
    console = Console(width=120, record=True)
    console.print(format_report([report, dict(report, folder="other-gold")]))
    text = console.export_text()
    assert "summary" in text and "other-gold" in text
    assert "seed-gold + other-gold" in text  # one dataset ("seed"): a pooled row


def test_cli_eval_json_limit_and_floors(gold_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    errs = tmp_path / "errors.jsonl"
    res = runner.invoke(
        app, ["eval", "--json", "--limit", "1", "--errors", str(errs), str(gold_dir)]
    )
    assert res.exit_code == 0, res.output
    assert errs.exists()
    for line in errs.read_text(encoding="utf-8").splitlines():
        assert json.loads(line)["error"] in {"missed", "spurious"}
    (r,) = json.loads(res.stdout)
    assert r["documents_evaluated"] == 1 and r["gold_claims"] == 2
    assert r["incidents"] is None  # one document: nothing to group

    floors = tmp_path / "floors.json"
    floors.write_text(
        json.dumps({"folders": {"seed-gold": {"floors": {"claims.injured.recall": 1.0}}}}),
        encoding="utf-8",
    )
    keep = tmp_path / "dbs"
    res = runner.invoke(
        app, ["eval", "--floors", str(floors), "--keep-db", str(keep), str(gold_dir)]
    )
    assert res.exit_code == 0, res.output
    assert (keep / "seed-gold.db").exists()

    floors.write_text(
        json.dumps({"folders": {"seed-gold": {"floors": {"claims.injured.precision": 1.01}}}}),
        encoding="utf-8",
    )
    res = runner.invoke(app, ["eval", "--floors", str(floors), str(gold_dir)])
    assert res.exit_code == 1
    assert "claims.injured.precision" in res.output


def test_cli_eval_without_a_gold_folder_is_a_usage_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["eval", str(tmp_path / "missing")])
    assert res.exit_code == 2
    res = CliRunner().invoke(app, ["eval", str(tmp_path)])  # a folder without gold
    assert res.exit_code == 2 and "no gold folder" in res.output


def test_gate_skips_without_gold_data(tmp_path: Path) -> None:
    res = subprocess.run(
        [sys.executable, str(GATE)],
        env={"TOLLTRACE_GOLD_DIR": str(tmp_path / "missing"), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert "skipping" in res.stdout


def test_gate_fails_below_a_floor(gold_dir: Path, tmp_path: Path) -> None:
    sys.path.insert(0, str(GATE.parent))
    try:
        import eval_gate
    finally:
        sys.path.remove(str(GATE.parent))
    floors = tmp_path / "floors.json"
    floors.write_text(
        json.dumps(
            {
                "folders": {
                    "seed-gold": {"limit": None, "floors": {"claims.injured.recall": 1.0}},
                    "not-here": {"limit": None, "floors": {"claims.killed.f1": 0.5}},
                }
            }
        ),
        encoding="utf-8",
    )
    root = str(gold_dir.parent)
    saved = tmp_path / "reports.json"
    gate = ["--gold", root, "--floors", str(floors)]
    assert eval_gate.main([*gate, "--json", str(saved)]) == 0
    assert [r["folder"] for r in json.loads(saved.read_text(encoding="utf-8"))] == ["seed-gold"]
    spec = json.loads(floors.read_text(encoding="utf-8"))
    spec["folders"]["seed-gold"]["floors"]["claims.injured.f1"] = 1.01
    floors.write_text(json.dumps(spec), encoding="utf-8")
    # the saved reports are checked again without re-running the pipeline
    assert eval_gate.main([*gate, "--reports", str(saved)]) == 1
    # re-recording puts every floor at or under the measured score
    assert eval_gate.main([*gate, "--reports", str(saved), "--write-floors"]) == 0
    assert eval_gate.main([*gate, "--reports", str(saved)]) == 0
    floors_now = json.loads(floors.read_text(encoding="utf-8"))["folders"]["seed-gold"]["floors"]
    assert floors_now.get("claims.injured.f1", 0.0) <= 1.0  # the impossible floor is gone
    # reports of another limit than the floors' are refused
    spec["folders"]["seed-gold"]["limit"] = 1
    floors.write_text(json.dumps(spec), encoding="utf-8")
    assert eval_gate.main([*gate, "--reports", str(saved)]) == 2


def test_floors_sit_two_items_under_small_set_scores() -> None:
    sys.path.insert(0, str(GATE.parent))
    try:
        import eval_gate
    finally:
        sys.path.remove(str(GATE.parent))
    assert eval_gate.floor_of(0.80, 0.03) == 0.77
    assert eval_gate.floor_of(0.80, 0.03, n=1000) == 0.77  # 2/1000 is less than the margin
    assert eval_gate.floor_of(0.50, 0.03, n=24) == 0.41  # two of 24 scored claims: 0.083
    assert eval_gate.floor_of(0.02, 0.03) == 0.0
    report = {
        "claims": {"killed": {"gold": 34, "recall": 0.8}},
        "slots": {"place": {"scored": 17, "share": 0.4}},
    }
    assert eval_gate.base_count(report, "claims.killed.recall") == 34
    assert eval_gate.base_count(report, "slots.place.share") == 17


def test_every_report_key_is_documented(report: dict[str, Any]) -> None:
    docs = (ROOT / "docs" / "evaluation.md").read_text(encoding="utf-8")
    keys: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        for k, v in node.items():
            keys.add(k)
            if isinstance(v, dict):
                walk(v)

    walk(report)
    assert sorted(k for k in keys if f"`{k}`" not in docs) == []
