"""Storage against a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlalchemy import inspect

from tests.conftest import demo_records
from tolltrace.ingest import make_document
from tolltrace.records import (
    Claim,
    Claimant,
    ClaimantFigures,
    CopyLink,
    Count,
    Figure,
    Incident,
    Place,
    TimeRef,
    Victims,
)
from tolltrace.store import Store


def _docs(n: int = 5):
    return [
        make_document(
            r["text"],
            id=r["id"],
            title=r["title"],
            url=r.get("url"),
            outlet=r.get("outlet"),
            published=date.fromisoformat(r["published"]) if r.get("published") else None,
        )
        for r in demo_records()[:n]
    ]


def test_migrations_create_every_table(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {"documents", "claims", "incidents", "copies", "alembic_version"} <= tables


def test_add_documents_is_idempotent_and_round_trips(store: Store) -> None:
    docs = _docs()
    first = store.add_documents(docs)
    assert len(first.added) == len(docs)
    again = store.add_documents(docs)
    assert again.added == ()
    assert [d.id for d, _ in again.duplicates] == [d.id for d in docs]
    assert store.count("documents") == len(docs)
    seed = store.get_document("seed-000")
    assert seed is not None
    assert seed.published == date(2016, 10, 25)
    assert seed.text == docs[0].text
    assert len(seed.embedded) == 2  # the two quoted [@RT_com] headlines


def test_same_text_under_another_id_is_not_stored_twice(store: Store) -> None:
    seed = _docs(1)[0]
    store.add_documents([seed])
    copy = dataclasses.replace(seed, id="republished-seed", url="https://example.org/x")
    result = store.add_documents([copy])
    assert result.added == ()
    assert result.duplicates[0][1] == "seed-000"


def test_claims_and_incidents_round_trip(store: Store) -> None:
    seed = _docs(1)[0]
    store.add_documents([seed])
    quote = "Over 60 civilians have been killed"
    start = seed.text.index(quote)
    claim = Claim(
        id="claim-1",
        document_id=seed.id,
        effect="killed",
        count=Count(60, None, "Over 60", "over N -> min N"),
        quote=quote,
        start=start,
        end=start + len(quote),
        victims=Victims("civilians", ("residents",), "civilians"),
        perpetrator="US-led coalition",
        means="airstrike",
        place=Place(
            "Mosul",
            name="Mosul",
            country="IQ",
            lat=36.335,
            lon=43.118,
            geonameid=99072,
            precision="city",
        ),
        time=TimeRef("during three days", date(2016, 10, 22), date(2016, 10, 25), "range"),
        claimant=Claimant("the Russian military", "Russian Ministry of Defence", "party"),
        confidence=0.9,
        extractor="test",
    )
    store.replace_claims(seed.id, [claim], "test")
    assert list(store.iter_claims()) == [claim]
    # Re-running extraction replaces, never duplicates.
    store.replace_claims(seed.id, [claim], "test")
    assert store.count("claims") == 1
    assert list(store.iter_documents(not_extracted_by="test")) == []
    incident = Incident(
        id="inc-1",
        title="60+ killed in Mosul",
        claim_ids=("claim-1",),
        document_ids=(seed.id,),
        place=claim.place,
        date_start=date(2016, 10, 22),
        date_end=date(2016, 10, 25),
        killed=Figure(60, None),
        claimants=(ClaimantFigures("Russian Ministry of Defence", Figure(60, None)),),
        independent_sources=1,
    )
    store.replace_incidents([incident])
    got = store.get_incident("inc-1")
    assert got is not None
    assert got.killed == Figure(60, None)
    assert got.claimants == incident.claimants
    assert [c.incident_id for c in store.iter_claims()] == ["inc-1"]
    # A relink that regroups points the claim at its new incident; one that leaves it
    # out of every incident clears it (only changed claims are written).
    store.replace_incidents([dataclasses.replace(incident, id="inc-2")])
    assert [c.incident_id for c in store.iter_claims()] == ["inc-2"]
    assert store.get_incident("inc-1") is None
    store.replace_incidents([dataclasses.replace(incident, id="inc-2")])
    assert [c.incident_id for c in store.iter_claims()] == ["inc-2"]
    store.replace_incidents([])
    assert [c.incident_id for c in store.iter_claims()] == [None]
    assert store.count("incidents") == 0
    store.replace_copies([CopyLink(seed.id, seed.id, 1.0)])
    assert list(store.iter_copies()) == [CopyLink(seed.id, seed.id, 1.0)]


def test_hostile_text_is_stored_verbatim(store: Store) -> None:
    # Parameterized statements: quotes and SQL in article text are just text.
    seed = _docs(1)[0]
    evil = dataclasses.replace(
        seed,
        id="x'); DROP TABLE documents; --",
        text=seed.text + "\n'; DROP TABLE claims; --",
        content_hash="f" * 64,
    )
    store.add_documents([evil])
    got = store.get_document(evil.id)
    assert got is not None and got.text == evil.text
    assert store.count("documents") == 1
