"""Scoring math of ``tolltrace eval`` on small hand-made groupings and records.

These are arithmetic checks: the records below are built by hand (no article text), and
every expected number is worked out in the comment beside it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tolltrace.evaluate import check_floors, equivalent_words, make_geocoder, metric
from tolltrace.evaluate.gold import GoldClaim, GoldIncident, GoldSet, gold_folders, read_gold
from tolltrace.evaluate.metrics import (
    b_cubed,
    dates_overlap,
    haversine_km,
    intervals_match,
    normalize_name,
    pairwise,
    prf,
    tokens,
    tokens_overlap,
)
from tolltrace.evaluate.report import pool_claims
from tolltrace.evaluate.runner import Predictions
from tolltrace.evaluate.score import (
    claim_errors,
    figure_equals,
    gold_place_forms,
    place_matches,
    score_claims,
    score_incidents,
    score_slots,
)
from tolltrace.records import Claim, Count, Figure, Incident, Place, TimeRef, Victims

STOP = frozenset({"the", "of", "and", "by", "in"})


# -- intervals and P/R/F1 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pred", "gold", "ok"),
    [
        ((60, None), (60, None), True),  # "over 60" vs gold "60-"
        ((60, 60), (60, None), False),  # exact vs open: not the same claim
        ((60, None), (60, 60), False),
        ((7, 7), (7, 7), True),
        ((None, 7), (None, 7), True),  # MUC "up to 7": min null on both sides
        ((0, 7), (None, 7), False),
        ((7, 10), (7, 11), False),
    ],
)
def test_intervals_match(
    pred: tuple[int | None, int | None], gold: tuple[int | None, int | None], ok: bool
) -> None:
    assert intervals_match(pred, gold) is ok


def test_prf_counts_and_undefined_ratios() -> None:
    x = prf(2, 4, 8)
    assert (x.precision, x.recall) == (0.5, 0.25)
    assert x.f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    none = prf(0, 0, 5)  # nothing predicted: precision undefined, recall 0
    assert none.precision is None and none.recall == 0.0 and none.f1 is None
    assert prf(0, 3, 3).f1 == 0.0


# -- clustering -------------------------------------------------------------------------------


def test_b_cubed_and_pairwise_on_a_textbook_case() -> None:
    # gold {a,b,c} {d,e}; predicted {a,b} {c,d,e}
    gold = {"a": {"g1"}, "b": {"g1"}, "c": {"g1"}, "d": {"g2"}, "e": {"g2"}}
    pred = {"a": {"p1"}, "b": {"p1"}, "c": {"p2"}, "d": {"p2"}, "e": {"p2"}}
    items = sorted(gold)
    b3 = b_cubed(pred, gold, items)
    # precision per item: a 1, b 1, c 1/3, d 2/3, e 2/3 -> 11/15
    # recall per item:    a 2/3, b 2/3, c 1/3, d 1, e 1 -> 11/15
    assert b3.precision == pytest.approx(11 / 15)
    assert b3.recall == pytest.approx(11 / 15)
    pw = pairwise(pred, gold, items)
    # gold pairs ab ac bc de; predicted ab cd ce de; common ab de
    assert (pw.tp, pw.predicted, pw.gold) == (2, 4, 4)
    assert pw.precision == pw.recall == 0.5


def test_unlinked_documents_are_singletons() -> None:
    gold = {"a": {"g"}, "b": {"g"}}
    pred: dict[str, set[str]] = {}  # the pipeline put neither in an incident
    b3 = b_cubed(pred, gold, ["a", "b"])
    assert b3.precision == 1.0 and b3.recall == 0.5
    pw = pairwise(pred, gold, ["a", "b"])
    assert pw.predicted == 0 and pw.precision is None and pw.recall == 0.0


def test_an_item_in_two_clusters_has_the_mates_of_both() -> None:
    # b is filed under two gold incidents: a-b and b-c are gold links, a-c is not.
    gold = {"a": {"g1"}, "b": {"g1", "g2"}, "c": {"g2"}}
    pred = {"a": {"p"}, "b": {"p"}, "c": {"p"}}  # everything merged
    pw = pairwise(pred, gold, ["a", "b", "c"])
    assert (pw.tp, pw.predicted, pw.gold) == (2, 3, 2)
    b3 = b_cubed(pred, gold, ["a", "b", "c"])
    # precision: a 2/3, b 3/3, c 2/3 -> 7/9; recall 1 for every item
    assert b3.precision == pytest.approx(7 / 9) and b3.recall == 1.0


def test_items_outside_the_evaluated_set_are_ignored() -> None:
    gold = {"a": {"g"}, "b": {"g"}}
    pred = {"a": {"p"}, "b": {"p"}, "z": {"p"}}  # z is no gold document
    assert b_cubed(pred, gold, ["a", "b"]).precision == 1.0


# -- dates, names, tokens, distance ------------------------------------------------------------


D = date


@pytest.mark.parametrize(
    ("pred", "gold", "ok"),
    [
        ((D(2016, 10, 22), D(2016, 10, 25)), (D(2016, 10, 25), D(2016, 10, 25)), True),
        ((D(2016, 10, 21), D(2016, 10, 21)), (D(2016, 10, 22), D(2016, 10, 25)), False),
        ((D(2016, 10, 26), None), (D(2016, 10, 22), D(2016, 10, 25)), False),
        ((None, D(2016, 10, 23)), (D(2016, 10, 22), D(2016, 10, 25)), True),  # one end: that day
        ((D(1989, 1, 5), D(1989, 1, 5)), (None, D(1990, 1, 22)), True),  # gold "on or before"
        ((D(1990, 1, 23), D(1990, 1, 23)), (None, D(1990, 1, 22)), False),
        ((None, None), (D(2016, 10, 25), D(2016, 10, 25)), False),  # no predicted date: wrong
        ((D(2016, 10, 25), D(2016, 10, 25)), (None, None), None),  # no gold date: not scored
    ],
)
def test_dates_overlap(
    pred: tuple[date | None, date | None], gold: tuple[date | None, date | None], ok: bool | None
) -> None:
    assert dates_overlap(pred, gold) is ok


def test_normalize_name_folds_case_diacritics_and_punctuation() -> None:
    assert normalize_name("Medellín") == normalize_name("MEDELLIN") == "medellin"
    assert normalize_name("  San Salvador, ") == "san salvador"
    assert normalize_name(None) == ""


def test_token_overlap_ignores_stopwords_numbers_and_plurals() -> None:
    assert tokens("the 3 CIVILIANS of Mosul", STOP) == {"civilian", "mosul"}
    assert tokens_overlap(["civilians"], "CIVILIAN", STOP)
    assert tokens_overlap(["two women"], "WOMAN", STOP)
    assert not tokens_overlap(["3 of the"], "the 3", STOP)  # nothing left to compare
    assert not tokens_overlap([None, "soldiers"], "PEASANTS", STOP)


def test_gender_words_meet_through_the_equivalents_table() -> None:
    canon = equivalent_words()
    assert canon["woman"] == canon["female"] == "female"
    # GVDB describes unnamed victims as "male, age 20"; articles say "a 20-year-old man"
    assert tokens_overlap(["A 20-year-old man"], "male, age 20", STOP, canon)
    assert tokens_overlap(["two women"], "female (2)", STOP, canon)
    assert not tokens_overlap(["A 20-year-old man"], "male, age 20", STOP)  # without it
    assert not tokens_overlap(["a woman"], "male", STOP, canon)


def test_haversine() -> None:
    # Mosul (36.34 N, 43.13 E) to Erbil (36.19 N, 44.01 E): about 80 km
    assert haversine_km(36.34, 43.13, 36.19, 44.01) == pytest.approx(80, abs=3)
    assert haversine_km(10.0, 20.0, 10.0, 20.0) == 0.0


# -- claims, slots, incidents over hand-made records -----------------------------------------


def claim(doc: str, effect: str, lo: int | None, hi: int | None, n: int = 0, **kw: object) -> Claim:
    return Claim(
        id=f"{doc}-{effect}-{lo}-{hi}-{n}",
        document_id=doc,
        effect=effect,  # type: ignore[arg-type]
        count=Count(lo, hi, "", "test"),
        quote="",
        start=n,
        end=n + 1,
        **kw,  # type: ignore[arg-type]
    )


def goldset(
    doc_ids: list[str], claims: list[GoldClaim], incidents: list[GoldIncident] | None = None
) -> GoldSet:
    return GoldSet(
        "hand", Path("."), tuple(doc_ids), len(doc_ids), tuple(claims), tuple(incidents or ())
    )


def test_claim_figures_reduce_predictions_to_triples() -> None:
    gold = goldset(
        ["d1", "d2", "d3"],
        [
            GoldClaim("d1", "killed", 60, None),
            GoldClaim("d1", "injured", 200, None),
            GoldClaim("d2", "killed", 1, 1),
            GoldClaim("d2", "killed", 1, 1),  # a second incident with 1 killed: one triple
            GoldClaim("d3", "killed", 5, 5),
        ],
    )
    pred = Predictions(stored_id={"d1": "d1", "d2": "d2", "d3": "d3"})
    pred.claims = {
        "d1": [
            claim("d1", "killed", 60, None),
            claim("d1", "killed", 60, None, n=5),  # repeated: counts once
            claim("d1", "injured", 200, 200),  # exact, gold is open: no match
            claim("d1", "killed", 24, None, embedded=True),  # other article's headline
            claim("d1", "injured", 200, None, stance="denied"),  # denied: not counted
        ],
        "d2": [claim("d2", "killed", 1, 1), claim("d2", "killed", 9, 9)],
        "d3": [
            claim("d3", "injured", 5, 5),
            claim("d3", "killed", 900, None, cumulative=True),
            claim("d3", "injured", 0, 0, n=7),  # "no one was injured": not counted
        ],
    }
    s = score_claims(gold, pred)
    # killed: predicted {d1 60+, d2 1, d2 9}; gold {d1 60+, d2 1, d3 5}
    assert (s["killed"]["tp"], s["killed"]["predicted"], s["killed"]["gold"]) == (2, 3, 3)
    # injured: predicted {d1 200, d3 5}; gold {d1 200+}
    assert (s["injured"]["tp"], s["injured"]["predicted"], s["injured"]["gold"]) == (0, 2, 1)
    assert s["all"]["tp"] == 2 and s["all"]["predicted"] == 5 and s["all"]["gold"] == 4
    # found at all, per gold claim, any effect and flag: d1 60+ yes, d1 200+ yes (the
    # denied claim has it), d2 1 twice yes, d3 5 yes (as injured) -> 5 of 5
    assert s["found_any"] == {"found": 5, "gold": 5, "share": 1.0}
    assert s["predicted_claims"]["embedded"] == 1
    assert s["predicted_claims"]["cumulative"] == 1
    assert s["predicted_claims"]["denied"] == 1


def test_claim_errors_list_missed_and_spurious_triples() -> None:
    gold = goldset(["d"], [GoldClaim("d", "killed", 5, 5), GoldClaim("d", "injured", 2, 2)])
    pred = Predictions(
        stored_id={"d": "d"},
        claims={"d": [claim("d", "killed", 5, 5), claim("d", "injured", 3, 3)]},
    )
    errs = claim_errors(gold, pred)
    assert [(e["error"], e["effect"], e["min"]) for e in errs] == [
        ("missed", "injured", 2),
        ("spurious", "injured", 3),
    ]
    assert len(errs[0]["predicted"]) == 2  # the document's claims, beside the miss
    assert errs[1]["gold"] == [
        {"effect": "injured", "min": 2, "max": 2},
        {"effect": "killed", "min": 5, "max": 5},
    ]


def test_a_duplicate_document_is_scored_with_its_stored_twin() -> None:
    gold = goldset(["a", "b"], [GoldClaim("a", "killed", 3, 3), GoldClaim("b", "killed", 3, 3)])
    pred = Predictions(stored_id={"a": "a", "b": "a"}, claims={"a": [claim("a", "killed", 3, 3)]})
    s = score_claims(gold, pred)
    assert s["killed"]["tp"] == 2 and s["killed"]["recall"] == 1.0
    assert s["predicted_claims"]["stored"] == 1


def test_place_matches_by_name_admin1_or_distance() -> None:
    mosul = claim(
        "d",
        "killed",
        1,
        1,
        place=Place(text="Mosul", name="Mosul", country="IQ", lat=36.335, lon=43.119),
    )
    assert place_matches([mosul], "MOSUL", []) == (True, "name")
    assert place_matches([mosul], "Mosul, Nineveh", []) == (True, "name")
    # a suburb's gold name, geocoded 10 km away: right by position
    assert place_matches([mosul], "Hammam", [(36.40, 43.20)]) == (True, "geo")
    assert place_matches([mosul], "Erbil", [(36.19, 44.01)]) == (False, None)
    # a gold province alone is met by the predicted admin1
    city = claim("d", "killed", 1, 1, place=Place(text="Fresno", admin1="California"))
    assert place_matches([city], "California", [])[0]
    assert not place_matches([city], "Oakland, California", [])[0]


@pytest.mark.parametrize(
    ("gold", "forms"),
    [
        ("Spanish Fork, Utah", ["Spanish Fork, Utah"]),
        (
            "Hot Springs National Park (Hot Springs)",
            ["Hot Springs National Park (Hot Springs)", "Hot Springs National Park", "Hot Springs"],
        ),
        ("Weld (county)", ["Weld (county)", "Weld County"]),
        (
            "Chicago (Englewood), Illinois",
            ["Chicago (Englewood), Illinois", "Chicago, Illinois", "Englewood, Illinois"],
        ),
        ("MEDELLIN (CITY)", ["MEDELLIN (CITY)", "MEDELLIN"]),
        ("URABA (REGION", ["URABA (REGION", "URABA"]),  # a MUC key cut short
        (
            "GUATEMALA CITY (CITY) - PUERTO BARRIOS",
            ["GUATEMALA CITY (CITY) - PUERTO BARRIOS", "GUATEMALA CITY", "PUERTO BARRIOS"],
        ),
        ("  ", []),
    ],
)
def test_gold_place_forms(gold: str, forms: list[str]) -> None:
    assert gold_place_forms(gold) == forms


def test_place_matches_any_form_of_a_bracketed_gold_place() -> None:
    def named(name: str, admin1: str | None = None) -> Claim:
        return claim("d", "killed", 1, 1, place=Place(text=name, name=name, admin1=admin1))

    assert place_matches([named("Hot Springs")], "Hot Springs National Park (Hot Springs)", [])[0]
    assert place_matches([named("Chicago")], "Chicago (Austin)", []) == (True, "name")
    assert place_matches([named("Austin")], "Chicago (Austin)", []) == (True, "name")
    assert place_matches([named("Weld County")], "Weld (county)", [])[0]
    # the county, not a town that shares its name (Marion, Texas lies in Guadalupe County)
    assert not place_matches([named("Marion")], "Marion (county), Texas", [])[0]
    assert not place_matches([named("City")], "MEDELLIN (CITY)", [])[0]  # a kind is no name
    # a form that is a lone province may meet the predicted admin1, as a plain gold does
    assert place_matches([named("Apartado", admin1="Uraba")], "URABA (REGION", [])[0]


def test_slots_geocode_every_form_of_the_gold_place() -> None:
    from tolltrace.resolve import load_gazetteer
    from tolltrace.settings import load_settings

    geocode = make_geocoder(load_gazetteer(load_settings()))
    assert geocode is not None
    assert geocode("Chicago (Englewood)", "US") == []  # the bracketed string names nothing
    # a point on Chicago's South Side, under a name the gold does not use
    south_side = Place(text="the South Side", country="US", lat=41.78, lon=-87.64)
    g = GoldClaim("d", "killed", 2, 2, place="Chicago (Englewood), Illinois", country="US")
    pred = Predictions(
        stored_id={"d": "d"}, claims={"d": [claim("d", "killed", 2, 2, place=south_side)]}
    )
    s = score_slots(goldset(["d"], [g]), pred, STOP, geocode)
    assert s["place"] == {
        "scored": 1,
        "correct": 1,
        "share": 1.0,
        "by_name": 0,
        "by_position": 1,
    }
    far = replace(south_side, lat=40.71, lon=-74.01)  # New York: no form lies near it
    pred = Predictions(stored_id={"d": "d"}, claims={"d": [claim("d", "killed", 2, 2, place=far)]})
    assert score_slots(goldset(["d"], [g]), pred, STOP, geocode)["place"]["correct"] == 0


def test_slots_are_scored_on_matched_claims_only() -> None:
    g = GoldClaim(
        "d",
        "killed",
        15,
        15,
        victims="WOMEN",
        perpetrator="US-led coalition",
        place="Daquq",
        country="IQ",
        date_start=D(2016, 10, 21),
        date_end=D(2016, 10, 21),
    )
    unmatched = GoldClaim("d", "injured", 50, 50, place="Daquq", country="IQ")
    gold = goldset(["d"], [g, unmatched])
    right = claim(
        "d",
        "killed",
        15,
        15,
        victims=Victims("civilians", ("women",), "15 women"),
        perpetrator="coalition",
        place=Place(text="Daquq", country="IQ"),
        time=TimeRef("Friday", D(2016, 10, 21), D(2016, 10, 21)),
    )
    pred = Predictions(stored_id={"d": "d"}, claims={"d": [right]})
    s = score_slots(gold, pred, STOP)
    assert s["matched_gold_claims"] == 1
    for slot in ("place", "country", "date", "perpetrator", "victims"):
        assert s[slot] == {"scored": 1, "correct": 1, "share": 1.0} | (
            {"by_name": 1, "by_position": 0} if slot == "place" else {}
        ), slot
    bare = claim("d", "killed", 15, 15)  # the figure right, every slot empty
    s = score_slots(gold, Predictions(stored_id={"d": "d"}, claims={"d": [bare]}), STOP)
    assert s["place"]["correct"] == s["date"]["correct"] == s["victims"]["correct"] == 0
    assert s["place"]["scored"] == 1


def test_geocoder_prefers_the_named_state_and_skips_regions() -> None:
    from types import SimpleNamespace as E

    class Gaz:
        def lookup(self, name: str) -> tuple[E, ...]:
            return {
                "springfield": (
                    E(lat=39.80, lon=-89.64, country="US", admin1="Illinois", kind="city"),
                    E(lat=42.10, lon=-72.59, country="US", admin1="Massachusetts", kind="city"),
                    E(lat=37.21, lon=-93.29, country="US", admin1="Missouri", kind="city"),
                ),
                "nineveh": (
                    E(lat=36.0, lon=42.5, country="IQ", admin1="Nineveh", kind="province"),
                ),
            }.get(name.lower(), ())

    geocode = make_geocoder(Gaz())
    assert geocode is not None
    assert geocode("Springfield, Massachusetts", "US") == [(42.10, -72.59)]
    assert geocode("Springfield, Oregon", "US") == []  # none of the known ones
    assert len(geocode("Springfield", "US")) == 3  # ambiguous: every candidate
    assert geocode("Springfield", "GB") == []
    assert geocode("Nineveh", "IQ") == []  # a province's centre is no place to be near
    assert make_geocoder(None) is None


def test_figure_equals() -> None:
    assert figure_equals(Figure(5, 5), 5)
    assert not figure_equals(Figure(5, None), 5)
    assert not figure_equals(Figure(2, 5), 5)
    assert figure_equals(Figure(None, None), 0)  # no injured claim, gold 0 injured
    assert figure_equals(Figure(0, 0), 0)
    assert figure_equals(Figure(None, None), None)
    assert not figure_equals(Figure(1, 1), None)


def incident(
    iid: str,
    docs: tuple[str, ...],
    best_killed: int | None,
    best_injured: int | None,
    n_claims: int = 1,
    killed: Figure | None = None,
) -> Incident:
    return Incident(
        id=iid,
        title="",
        claim_ids=tuple(f"c{i}" for i in range(n_claims)),
        document_ids=docs,
        killed=killed or Figure(best_killed, best_killed),
        injured=Figure(best_injured, best_injured),
        best_killed=best_killed,
        best_injured=best_injured,
    )


def test_incident_grouping_and_figures() -> None:
    gold = goldset(
        ["a", "b", "c", "d"],
        [],
        [
            GoldIncident("g1", ("a", "b", "c"), killed=2, injured=0),
            GoldIncident("g2", ("d",), killed=1, injured=3),
        ],
    )
    pred = Predictions(
        stored_id={"a": "a", "b": "b", "c": "c", "d": "d"},
        incidents=[
            # Claimed 1 to 2 killed; 2 is the registry-comparable figure that is scored.
            incident("p1", ("a", "b"), 2, None, killed=Figure(1, 2)),
            incident("p2", ("c", "d"), 1, 3),
        ],
    )
    s = score_incidents(gold, pred)
    assert s is not None
    assert s["documents"] == 4 and s["gold_incidents"] == 2 and s["predicted_incidents"] == 2
    assert s["ratio"] == 1.0 and s["unlinked_documents"] == 0
    # gold pairs ab ac bc; predicted ab cd; common ab
    assert (s["pairwise"]["tp"], s["pairwise"]["predicted"], s["pairwise"]["gold"]) == (1, 2, 3)
    # g1 -> p1 (2 of its 3 documents): 2 killed, no injured = gold 2 and 0: right;
    # g2 -> p2: 1 killed, 3 injured: right
    assert s["figures"] == {
        "gold_incidents": 2,
        "matched": 2,
        "killed": 1.0,
        "injured": 1.0,
        "both": 1.0,
    }


def test_no_incident_scores_without_a_multi_document_incident() -> None:
    gold = goldset(["a", "b"], [], [GoldIncident("g1", ("a",)), GoldIncident("g2", ("b",))])
    assert score_incidents(gold, Predictions(stored_id={"a": "a", "b": "b"})) is None


# -- floors -------------------------------------------------------------------------------------


def test_pool_claims_sums_counts_before_dividing() -> None:
    a = {
        "claims": {
            "killed": {"tp": 3, "predicted": 4, "gold": 10},
            "found_any": {"found": 5, "gold": 10},
        }
    }
    b = {
        "claims": {
            "killed": {"tp": 1, "predicted": 4, "gold": 2},
            "found_any": {"found": 2, "gold": 2},
        }
    }
    pooled = pool_claims([a, b])
    # micro: 4 of 12 gold, 4 of 8 predicted (not the mean of 0.3 and 0.5)
    assert pooled["killed"]["recall"] == round(4 / 12, 4)
    assert pooled["killed"]["precision"] == 0.5
    assert pooled["injured"]["gold"] == 0 and pooled["injured"]["recall"] is None
    assert pooled["found_any"] == {"found": 7, "gold": 12, "share": round(7 / 12, 4)}


def test_check_floors() -> None:
    reports = [{"folder": "x", "claims": {"killed": {"f1": 0.5, "recall": None}}}]
    floors = {
        "folders": {
            "x": {"floors": {"claims.killed.f1": 0.5}},
            "y": {"floors": {"claims.killed.f1": 0.9}},
        }
    }  # y not evaluated
    assert check_floors(reports, floors) == []
    floors["folders"]["x"]["floors"] = {
        "claims.killed.f1": 0.51,
        "claims.killed.recall": 0.1,
        "incidents.b3.f1": 0.2,
    }
    failed = check_floors(reports, floors)
    assert [(f.metric, f.value) for f in failed] == [
        ("claims.killed.f1", 0.5),
        ("claims.killed.recall", None),  # undefined counts as below
        ("incidents.b3.f1", None),  # missing too
    ]
    assert metric(reports[0], "claims.killed.f1") == 0.5
    assert metric(reports[0], "claims") is None


# -- reading gold ------------------------------------------------------------------------------


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    import json

    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_read_gold_limit_keeps_the_first_documents(tmp_path: Path) -> None:
    folder = tmp_path / "hand-dev"
    folder.mkdir()
    _write(folder / "documents.jsonl", [{"id": f"d{i}", "text": "x"} for i in range(4)])
    _write(
        folder / "claims.jsonl",
        [
            {
                "doc": "d0",
                "effect": "killed",
                "min": 1,
                "max": 1,
                "date_start": None,
                "date_end": "1990-01-22",
            },
            {"doc": "d3", "effect": "injured", "min": None, "max": 7},
        ],
    )
    _write(folder / "incidents.jsonl", [{"id": "i1", "docs": ["d0", "d1", "d3"], "killed": 1}])
    g = read_gold(folder, limit=2)
    assert g.doc_ids == ("d0", "d1") and g.total_documents == 4
    assert [c.doc for c in g.claims] == ["d0"]
    assert g.claims[0].date_start is None and g.claims[0].date_end == D(1990, 1, 22)
    assert g.incidents[0].docs == ("d0", "d1")
    full = read_gold(folder)
    assert full.claims[1].min is None and full.claims[1].max == 7
    # a glob over the data folder also matches FORMAT.md: plain files are passed over
    (tmp_path / "FORMAT.md").write_text("x", encoding="utf-8")
    assert gold_folders([tmp_path / "FORMAT.md", folder]) == [folder]
    assert gold_folders([tmp_path]) == [folder]
    with pytest.raises(FileNotFoundError):
        gold_folders([tmp_path / "FORMAT.md"])
