"""The gazetteer index: names keys, GeoNames dumps (`tolltrace gazetteer add`), CLI.

`fixtures/geonames/sample.txt` holds real GeoNames rows (see its README)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tolltrace.cli import app
from tolltrace.resolve.gazetteer import (
    INDEX_NAME,
    Gazetteer,
    add_geonames_file,
    create_empty_index,
)
from tolltrace.resolve.names import norm, skeleton

FIXTURE = Path(__file__).parent / "fixtures" / "geonames" / "sample.txt"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Daquq", "Dakuk"),
        ("Qaraqosh", "Qaraqush"),
        ("Deir ez-Zor", "Dayr al-Zawr"),
        ("Rudskoy", "Rudskoi"),
        ("Mosul", "MOSUL"),
        ("Raqqah", "Raqqa"),
        ("Al Hasakah", "Hasaka"),
    ],
)
def test_skeleton_merges_transliterations(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


def test_norm_folds_case_and_diacritics() -> None:
    assert norm("Dāqūq") == norm("DAQUQ") == "daquq"
    assert norm("Karbalā’") == "karbala"
    assert skeleton("Mosul") != skeleton("Basra")


@pytest.fixture
def dump_index(tmp_path: Path) -> Path:
    path = tmp_path / INDEX_NAME
    create_empty_index(path)
    assert add_geonames_file(path, FIXTURE) == 6
    return path


def test_add_dump_rows(dump_index: Path) -> None:
    gaz = Gazetteer(dump_index)
    (daquq,) = gaz.lookup("Daquq")
    assert (daquq.geonameid, daquq.country, daquq.admin1code, daquq.kind) == (
        90220,
        "IQ",
        "13",
        "city",
    )
    assert daquq.lat == pytest.approx(35.13923) and daquq.lon == pytest.approx(44.44907)
    # Qaraqosh is an alternate name of Al-Hamdaniya; "Karakoush" only by transliteration.
    assert [e.geonameid for e in gaz.lookup("Qaraqosh")] == [92430]
    assert not gaz.lookup("Karakoush")
    assert [e.geonameid for e in gaz.lookup("Karakoush", loose=True)] == [92430]
    assert gaz.lookup("Qaraqosh")[0].main is False


def test_add_is_idempotent_and_reads_admin1_codes(dump_index: Path, tmp_path: Path) -> None:
    add_geonames_file(dump_index, FIXTURE)
    gaz = Gazetteer(dump_index)
    assert len(gaz.lookup("Mosul")) == 1
    # admin1CodesASCII.txt rows name admin1 codes (code, name, ascii name, geonameid).
    admin1 = tmp_path / "admin1CodesASCII.txt"
    admin1.write_text("IQ.13\tKirkuk\tKirkuk\t94786\n", encoding="utf-8")
    assert add_geonames_file(dump_index, admin1) == 1
    assert Gazetteer(dump_index).lookup("Kirkuk")[0].admin1 == "Kirkuk"


def test_add_rejects_other_files(dump_index: Path, tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("Mosul\tIraq\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a GeoNames dump"):
        add_geonames_file(dump_index, bad)


def test_cli_gazetteer_add_and_lookup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    create_empty_index(tmp_path / INDEX_NAME)  # an up-to-date index: no 20 s build
    monkeypatch.setenv("TOLLTRACE_GAZETTEER_DIR", str(tmp_path))
    runner = CliRunner()
    result = runner.invoke(app, ["gazetteer", "add", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["gazetteer", "lookup", "Spanish Fork", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [(r["geonameid"], r["country"], r["admin1"]) for r in rows] == [(5781860, "US", None)]
    result = runner.invoke(app, ["gazetteer", "add", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
