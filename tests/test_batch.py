"""Batch runs on a real 2-worker Dask LocalCluster give the same database as one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tolltrace.export import export_rows
from tolltrace.pipeline import run
from tolltrace.settings import load_settings
from tolltrace.store import Store

pytestmark = pytest.mark.slow


def _claims(url: str) -> list[tuple]:
    with Store(url) as s:
        return sorted(
            (r["id"], r["effect"], r["min"], r["max"], r["quote"]) for r in export_rows(s, "claims")
        )


def test_two_workers_match_one_process(tmp_path: Path, demo_path: Path) -> None:
    one = load_settings({"db": f"sqlite:///{tmp_path / 'one.db'}"}, environ={})
    two = load_settings({"db": f"sqlite:///{tmp_path / 'two.db'}"}, environ={})
    r1 = run([str(demo_path)], one)
    r2 = run([str(demo_path)], two, workers=2)
    assert r2.ingest.added == r1.ingest.added == 89
    assert r2.processed == 89
    assert _claims(two.db) == _claims(one.db)
    assert r2.incidents == r1.incidents


def test_resumes_without_duplicates(tmp_path: Path, demo_path: Path) -> None:
    """A run stopped after ingest (as if killed) processes only what is pending next time."""
    from tolltrace.pipeline import ingest_into

    settings = load_settings({"db": f"sqlite:///{tmp_path / 'r.db'}"}, environ={})
    with Store(settings.db) as store:
        ingest_into(store, [str(demo_path)], settings)
    first = run([str(demo_path)], settings, workers=2)
    assert first.ingest.added == 0 and first.processed == 89
    again = run([str(demo_path)], settings, workers=2)
    assert again.processed == 0
    assert len(_claims(settings.db)) == first.claims
