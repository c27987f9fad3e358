"""Best figures after an analyst's review: a corrected or rejected claim, a merge or a
split recomputes an incident's ``best_killed`` / ``best_injured`` with the linker's own
function (review.aggregate -> link.aggregate.best_figures), so that neither the exports
nor the stored split incidents show a stale figure before the next run.

On the demo corpus run through the pipeline (SQLite and PostgreSQL), and on the seed
corpus of tests/test_link_incidents.py (the Daquq funeral strike as DESIGN.md sums up its
reporting: the Russian MoD's "dozens" on 22 Oct, local officials' 15 the day after).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.test_link_incidents import by_claim, corpus  # noqa: F401
from tolltrace.cli import app
from tolltrace.link import link
from tolltrace.records import Claim, Document, Incident
from tolltrace.review import aggregate
from tolltrace.store import Store
from tolltrace.web import actions
from tolltrace.web.users import User, add_user

runner = CliRunner()

STATE_DEPT = "re3d-834f3344bf"  # "Terrorist Attacks in Baghdad", U.S. Department of State
TODAY = "Today, multiple attacks"  # "at least 35 more ... and injured scores of others"


@pytest.fixture
def demo_db(db_url: str, demo_path: Path) -> str:
    res = runner.invoke(app, ["run", str(demo_path), "--db", db_url])
    assert res.exit_code == 0, res.output
    return db_url


def _analyst(db: str) -> User:
    with Store(db) as store:
        return add_user(store, "analyst", "correct horse battery", "analyst")


def _exported(db: str, *args: str) -> dict[str, dict[str, Any]]:
    res = runner.invoke(app, ["export", "incidents", *args, "--db", db])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    return {r.get("id") or r["event_id_cnty"]: r for r in rows}


def _baghdad(db: str) -> tuple[Incident, list[Claim]]:
    """The State Department's statement: "at least 28" killed on Saturday, and "at least
    35 more ... injured scores of others" today; the 35 more add to the 28 (a claim of 63
    or more whose quote runs from Saturday's sentence into today's)."""
    with Store(db) as store:
        for x in store.iter_incidents():
            if STATE_DEPT in x.document_ids:
                claims = list(store.iter_claims(incident_id=x.id))
                if any(TODAY in c.quote for c in claims):
                    return x, claims
    raise AssertionError("the demo's Baghdad incident is gone")


def _best(row: dict[str, Any]) -> tuple[int | None, int | None]:
    return row["best_killed"], row["best_injured"]


def test_rejecting_and_correcting_claims_recompute_the_best_figures(demo_db: str) -> None:
    x, claims = _baghdad(demo_db)
    assert (x.best_killed, x.best_injured) == (63, 40)
    user = _analyst(demo_db)
    with Store(demo_db) as store:
        today = [c for c in claims if TODAY in c.quote]
        assert {(c.effect, c.count.min) for c in today} == {
            ("killed", 35),
            ("injured", 40),
            ("killed", 63),
        }
        for c in today:
            actions.review_claim(store, user, c.id, status="rejected", reason="another day")
    # Only Saturday's figure is left; nothing else gives an injured one.
    assert _best(_exported(demo_db)[x.id]) == (28, None)
    assert _exported(demo_db, "--profile", "acled")[x.id]["fatalities"] == 28
    ucdp = _exported(demo_db, "--profile", "ucdp")[x.id]
    assert (ucdp["low"], ucdp["best"], ucdp["high"]) == (28, 28, 28)

    # The analyst reads the State Department's figure again: 29, exactly.
    saturday = next(c for c in claims if c.effect == "killed" and TODAY not in c.quote)
    with Store(demo_db) as store:
        actions.review_claim(store, user, saturday.id, edits={"min": 29, "max": 29})
    row = _exported(demo_db)[x.id]
    assert _best(row) == (29, None) and row["killed"] == {"min": 29, "max": 29}
    assert _exported(demo_db, "--profile", "acled")[x.id]["fatalities"] == 29
    # The stored record stays the pipeline's until the next run.
    with Store(demo_db) as store:
        stored = store.get_incident(x.id)
    assert stored is not None and (stored.best_killed, stored.best_injured) == (63, 40)


def test_split_and_merge_recompute_the_best_figures(demo_db: str) -> None:
    x, claims = _baghdad(demo_db)
    user = _analyst(demo_db)
    today = sorted(c.id for c in claims if TODAY in c.quote)
    with Store(demo_db) as store:
        _, split_id = actions.split_incident(store, user, x.id, today, "Sunday's attacks")
        # Written to the database: the split-off incident and what is left, each with
        # its own best figures.
        left, split = store.get_incident(x.id), store.get_incident(split_id)
    assert left is not None and split is not None
    assert (left.best_killed, left.best_injured) == (28, None)
    # (the weekend's 63 went with today's claims: its quote runs into today's sentence)
    assert (split.best_killed, split.best_injured) == (63, 40)
    rows = _exported(demo_db)
    assert _best(rows[x.id]) == (28, None) and _best(rows[split_id]) == (63, 40)

    # Merged back by hand, the incident is the statement again: its lead statement's
    # largest figure, the weekend's 63.
    with Store(demo_db) as store:
        actions.merge_incident(store, user, split_id, x.id, "one statement")
    rows = _exported(demo_db)
    assert split_id not in rows
    assert _best(rows[x.id]) == (63, 40)
    assert rows[x.id]["killed"] == {"min": 63, "max": None}
    assert _exported(demo_db, "--profile", "acled")[x.id]["fatalities"] == 63


def _origin(result: Any) -> dict[str, str]:
    return {ln.document_id: ln.origin_id for ln in result.copies}


def test_aggregate_without_reviews_gives_the_linkers_best_figures(
    corpus: tuple[dict[str, Document], list[Claim]],  # noqa: F811
) -> None:
    docs, claims = corpus
    result = link(claims, docs)
    by_id = {c.id: c for c in claims}
    assert len(result.incidents) >= 3
    for x in result.incidents:
        mine = [by_id[i] for i in x.claim_ids]
        again = aggregate(x, mine, {}, documents=docs, origin=_origin(result))
        assert (again.best_killed, again.best_injured) == (x.best_killed, x.best_injured)
    daquq = by_claim(result.incidents, next(c.id for c in claims if c.document_id == "rt-daquq"))
    mine = [by_id[i] for i in daquq.claim_ids]
    # One source each, a tie: the later report (local officials' 15) wins, as a registry
    # records the final toll. Without the documents' dates the tie goes to the larger.
    assert (daquq.best_killed, daquq.best_injured) == (15, 50)
    assert aggregate(daquq, mine, {}).best_killed == 24


def test_rejecting_the_later_report_brings_back_the_earlier(
    corpus: tuple[dict[str, Document], list[Claim]],  # noqa: F811
) -> None:
    from tolltrace.review import ClaimReview

    docs, claims = corpus
    result = link(claims, docs)
    by_id = {c.id: c for c in claims}
    daquq = by_claim(result.incidents, next(c.id for c in claims if c.document_id == "rt-daquq"))
    mine = [by_id[i] for i in daquq.claim_ids]
    officials = [c.id for c in mine if c.document_id == "roundup"]
    assert officials
    reviews = {i: ClaimReview(i, "rejected") for i in officials}
    again = aggregate(daquq, mine, reviews, documents=docs, origin=_origin(result))
    # The Russian MoD's "dozens" (24 at least) alone; it gave no injured figure.
    assert (again.best_killed, again.best_injured) == (24, None)
    assert (again.killed.min, again.killed.max) == (24, None)
