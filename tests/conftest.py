"""Shared fixtures: real databases (a SQLite file and a PostgreSQL server), the demo
corpus and the seed, and the spaCy model loaded once per session."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import pg
from tolltrace.settings import Settings, load_settings
from tolltrace.store import Store

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo" / "documents.jsonl"
SHARED = Path(os.environ.get("TOLLTRACE_SHARED_DIR", ROOT.parent / "shared"))
SEED = SHARED / "seed" / "000_ffe4602930e352e0.txt"


def demo_records() -> list[dict[str, Any]]:
    with DEMO.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def demo_path() -> Path:
    return DEMO


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The seed article; read from shared/ when present, else from the demo corpus."""
    if SEED.exists():
        return SEED.read_text(encoding="utf-8")
    return next(r["text"] for r in demo_records() if r["id"] == "seed-000")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pg.Server | None]:
    server = pg.find_or_start()
    yield server
    if server is not None:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each kind: a SQLite file, a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tolltrace.db'}"
        return
    server = request.getfixturevalue("pg_server")
    if server is None:
        pg.skip_or_fail()
    with server.database() as url:
        yield url


@pytest.fixture
def settings(db_url: str) -> Settings:
    return load_settings({"db": db_url}, environ={})


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def nlp() -> Any:
    import spacy

    return spacy.load(load_settings(environ={}).spacy_model, exclude=["lemmatizer"])
