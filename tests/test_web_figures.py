"""Best figures in the web app after an analyst's review, through the API and the pages
(SQLite and PostgreSQL): the overlay re-aggregates a reviewed incident with the
documents' dates and outlets and the copy origins the linker used, so a review that
changes no figure leaves the linker's best figures as they were.

On the seed corpus of tests/test_link_incidents.py, stored and linked by the pipeline's
relink: the Daquq funeral strike as DESIGN.md sums up its reporting — the Russian MoD's
"dozens" (24 at least) on 22 Oct, local officials' 15 killed and 50 injured the day
after. One source each, a tie: the later report wins (15). Read without the reports'
dates the tie went to the larger figure (24).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.test_link_incidents import corpus  # noqa: F401
from tests.test_web_fixtures import PASSWORD
from tolltrace.cli import app as cli
from tolltrace.pipeline import relink
from tolltrace.records import Claim, Document
from tolltrace.settings import Settings, load_settings
from tolltrace.store import Store
from tolltrace.web import create_app
from tolltrace.web.users import add_user, create_token

LINKERS_DAQUQ = (15, 50)


@pytest.fixture
def seed_db(
    db_url: str,
    corpus: tuple[dict[str, Document], list[Claim]],  # noqa: F811
) -> tuple[Settings, str]:
    """The seed corpus stored and linked by ``pipeline.relink``; an analyst's token."""
    docs, claims = corpus
    settings = load_settings({"db": db_url}, environ={})
    by_doc: dict[str, list[Claim]] = {d: [] for d in docs}
    for c in claims:
        by_doc[c.document_id].append(c)
    with Store(db_url) as store:
        store.add_documents(docs.values())
        store.replace_claims_many(list(by_doc.items()), "seed-test")
        relink(store, settings)
        add_user(store, "analyst", PASSWORD, "analyst")
        token = create_token(store, "analyst")
    return settings, token


@pytest.fixture
def client(seed_db: tuple[Settings, str]) -> Iterator[TestClient]:
    web = create_app(seed_db[0])
    with TestClient(web) as c:
        c.headers["Authorization"] = f"Bearer {seed_db[1]}"
        yield c
    web.state.store.close()


def _best(x: dict[str, Any]) -> tuple[int | None, int | None]:
    return x["best_killed"], x["best_injured"]


def _linkers(db: str) -> dict[str, tuple[int | None, int | None]]:
    with Store(db) as store:
        return {x.id: (x.best_killed, x.best_injured) for x in store.iter_incidents()}


def _daquq(client: TestClient) -> tuple[str, dict[str, Any]]:
    """The Daquq incident's id and local officials' '15 women were killed'."""
    r = client.get("/api/v1/claims", params={"document_id": "roundup", "effect": "killed"})
    afp = next(c for c in r.json()["items"] if c["min"] == 15)
    return afp["incident_id"], afp


def _listed(client: TestClient) -> dict[str, dict[str, Any]]:
    items = client.get("/api/v1/incidents", params={"limit": 500}).json()["items"]
    return {x["id"]: x for x in items}


def _exported(db: str) -> dict[str, tuple[int | None, int | None]]:
    res = CliRunner().invoke(cli, ["export", "incidents", "--db", db])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    return {r["id"]: _best(r) for r in rows}


def _shown_best(html: str) -> list[str]:
    return re.findall(r'<span class="best"[^>]*>best (\d+)</span>', html)


def test_a_review_that_changes_no_figure_keeps_the_linkers_best_figures(
    client: TestClient, seed_db: tuple[Settings, str]
) -> None:
    db = seed_db[0].db
    linkers = _linkers(db)
    daquq, afp = _daquq(client)
    assert linkers[daquq] == LINKERS_DAQUQ
    before = client.get(f"/api/v1/incidents/{daquq}").json()
    assert _best(before) == LINKERS_DAQUQ

    # Local officials named no perpetrator; the analyst records the one the strike is
    # blamed on. An edit, so the incident is re-aggregated; no figure changes.
    r = client.post(
        f"/api/v1/claims/{afp['id']}/review",
        json={"edits": {"perpetrator": "US-led coalition"}, "reason": "named in the headline"},
    )
    assert r.status_code == 200, r.text
    after = client.get(f"/api/v1/incidents/{daquq}").json()
    assert next(c for c in after["claims"] if c["id"] == afp["id"])["review"] is not None
    assert _best(after) == LINKERS_DAQUQ
    for key in ("killed", "injured"):
        assert after[key] == before[key], key
    # The list, the export (the overlay for whole-table readers) and the pages agree.
    listed = _listed(client)
    assert {i: _best(x) for i, x in listed.items()} == linkers
    assert _exported(db) == linkers
    page = client.get(f"/incidents/{daquq}").text
    assert re.search(r'id="best-killed"[^>]*>best 15<', page)
    assert re.search(r'id="best-injured"[^>]*>best 50<', page)
    row = re.search(rf'<tr data-id="{daquq}">.*?</tr>', client.get("/").text, re.S)
    assert row is not None and _shown_best(row.group(0)) == ["15", "50"]

    # A review that does change them: local officials' killed figure rejected, the
    # Russian MoD's "dozens" is the one report of the killed left.
    r = client.post(
        f"/api/v1/claims/{afp['id']}/review", json={"status": "rejected", "reason": "test"}
    )
    assert r.status_code == 200, r.text
    rejected = client.get(f"/api/v1/incidents/{daquq}").json()
    assert _best(rejected) == (24, 50)
    assert _best(_listed(client)[daquq]) == (24, 50)
    assert re.search(r'id="best-killed"[^>]*>best 24<', client.get(f"/incidents/{daquq}").text)
    assert client.post(f"/api/v1/audit/{r.json()['audit_id']}/revert").status_code == 200
    assert _best(client.get(f"/api/v1/incidents/{daquq}").json()) == LINKERS_DAQUQ


def test_a_split_and_its_revert_store_the_linkers_best_figures(
    client: TestClient, seed_db: tuple[Settings, str]
) -> None:
    db = seed_db[0].db
    daquq, _ = _daquq(client)
    incident = client.get(f"/api/v1/incidents/{daquq}").json()
    roundup = [
        c["id"]
        for c in incident["claims"]
        if c["document_id"] == "roundup" and c["stance"] != "denied"
    ]
    assert len(roundup) == 2  # 15 killed, 50 injured
    r = client.post(f"/api/v1/incidents/{daquq}/split", json={"claim_ids": roundup})
    assert r.status_code == 200, r.text
    entry, split = r.json()["audit_id"], r.json()["incident_id"]
    stored = _linkers(db)
    assert stored[split] == (15, 50)
    assert stored[daquq] == (24, None)  # the Russian MoD's "dozens"; no injured figure

    # The revert writes the re-aggregated incident back: the linker's figures, read
    # with the reports' dates (the later report's 15), not the larger of a tie.
    assert client.post(f"/api/v1/audit/{entry}/revert").status_code == 200
    stored = _linkers(db)
    assert split not in stored
    assert stored[daquq] == LINKERS_DAQUQ
    assert _best(client.get(f"/api/v1/incidents/{daquq}").json()) == LINKERS_DAQUQ
