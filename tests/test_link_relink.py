"""``pipeline.relink`` over a store: incident ids survive re-runs and an added report,
and copy links are found among every stored document (the seed and a republication)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tests.test_link_incidents import corpus, mosul_claims  # noqa: F401
from tolltrace.pipeline import relink
from tolltrace.records import Claim, Document
from tolltrace.settings import load_settings
from tolltrace.store import Store


def _fill(store: Store, docs: dict[str, Document], claims: list[Claim]) -> None:
    store.add_documents(list(docs.values()))
    for d in docs:
        store.replace_claims(d, [c for c in claims if c.document_id == d], "test")


def test_relink_keeps_ids_and_finds_copies(
    corpus: tuple[dict[str, Document], list[Claim]],  # noqa: F811
    tmp_path: object,
) -> None:
    docs, claims = corpus
    settings = load_settings({"db": f"sqlite:///{tmp_path}/t.db"}, environ={})
    with Store(settings.db) as store:
        _fill(store, docs, claims)
        n_incidents, n_copies = relink(store, settings)
        first = {x.id: set(x.claim_ids) for x in store.iter_incidents()}
        assert (n_incidents, n_copies) == (len(first), 1) == (3, 1)
        assert [(c.document_id, c.origin_id) for c in store.iter_copies()] == [
            ("copy-mosul", "rt-mosul")
        ]
        relink(store, settings)
        assert {x.id: set(x.claim_ids) for x in store.iter_incidents()} == first
        # A report published earlier than the rest joins the Mosul incident: its claim
        # would found a new id, but the stored incident keeps its own.
        early = replace(
            docs["copy-mosul"], id="early", content_hash="early", published=date(2016, 10, 24)
        )
        _fill(store, {"early": early}, mosul_claims(early))
        relink(store, settings)
        after = {x.id: set(x.claim_ids) for x in store.iter_incidents()}
        assert set(after) == set(first)
        mosul = next(i for i, cs in after.items() if mosul_claims(early)[0].id in cs)
        assert first[mosul] < after[mosul]
        stored = {c.id: c.incident_id for c in store.iter_claims()}
        assert stored[mosul_claims(early)[0].id] == mosul
