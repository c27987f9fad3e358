"""``tolltrace incident ID``: claims side by side, copies folded under their origin
(the seed and a republication of it under another headline), through the CLI and the
store as a user would see them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.test_link_incidents import by_claim, corpus, mosul_claims  # noqa: F401
from tolltrace.cli import app
from tolltrace.link import link
from tolltrace.link.view import incident_view
from tolltrace.records import Claim, Document
from tolltrace.store import Store


def test_copies_fold_under_their_origin(corpus: tuple[dict[str, Document], list[Claim]]) -> None:  # noqa: F811
    docs, claims = corpus
    result = link(claims, docs)
    mosul = by_claim(result.incidents, mosul_claims(docs["rt-mosul"])[0].id)
    mine = [c for c in claims if c.id in set(mosul.claim_ids)]
    view = incident_view(mosul, mine, docs, result.copies)
    assert [s["document_id"] for s in view["sources"]] == ["rt-mosul"]
    (source,) = view["sources"]
    assert [c["document_id"] for c in source["copies"]] == ["copy-mosul"]
    assert source["copies"][0]["similarity"] > 0.95
    # The copy's claims are not repeated: only the origin's are listed.
    assert {c["id"] for c in source["claims"]} == {
        c.id for c in mine if c.document_id == "rt-mosul"
    }
    assert {(c["effect"], c["min"]) for c in source["claims"]} >= {("killed", 60), ("injured", 200)}
    assert source["claims"][0]["claimant"] == "Russian Ministry of Defence"
    assert view["other_reports"] == []


def test_cli_incident_shows_claims_and_copies(
    corpus: tuple[dict[str, Document], list[Claim]],  # noqa: F811
    tmp_path: object,
) -> None:
    docs, claims = corpus
    url = f"sqlite:///{tmp_path}/t.db"
    result = link(claims, docs)
    with Store(url) as store:
        store.add_documents(list(docs.values()))
        for d in docs:
            store.replace_claims(d, [c for c in claims if c.document_id == d], "test")
        store.replace_incidents(result.incidents)
        store.replace_copies(result.copies)
    daquq = by_claim(result.incidents, next(c.id for c in claims if c.document_id == "rt-daquq"))
    runner = CliRunner()
    res = runner.invoke(app, ["incident", daquq.id, "--db", url, "--json"])
    assert res.exit_code == 0, res.output
    view = json.loads(res.output)
    assert view["grade"] == "contested"
    quotes = {c["quote"] for s in view["sources"] for c in s["claims"]}
    assert "the Pentagon denied involvement" in quotes
    res = runner.invoke(app, ["incident", "inc-nope", "--db", url])
    assert res.exit_code == 2
    res = runner.invoke(app, ["incident", daquq.id, "--db", url])
    assert res.exit_code == 0 and "contested" in res.output
