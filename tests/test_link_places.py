"""Places in the linker when the resolver hesitates: a unit's other places, and one name
resolved to namesakes.

A unit's main place is one reading among its claims'. The Department of Defense's
"DoD Identifies Army Casualty" (demo corpus, re3d-8a042556a2, U.S. Central Command,
public domain) reports a death "in Jordan" of a soldier "of Cibolo, Texas": read by the
real resolver, its two statements place the unit at Cibolo (the finer place wins the
tie), though the death was in Jordan. A report that places the death in Jordan should
not count as "far apart" from it. Namesakes are the gazetteer's own entries.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from tests.conftest import demo_records
from tolltrace.ingest import make_document
from tolltrace.link.incidents import LinkParams, build_units, pair_relations, place_relation
from tolltrace.link.resources import load_tables
from tolltrace.records import Claim, Count, Document, Place, TimeRef
from tolltrace.resolve import Gazetteer, load_gazetteer, resolve_claims
from tolltrace.settings import load_settings

DOD = "re3d-8a042556a2"
ANNOUNCED = (
    "The Department of Defense announced today the death of a soldier who was supporting "
    "Operation Inherent Resolve."
)
DIED = (
    "Spc. Isiah L. Booker, of Cibolo, Texas, died Jan. 7, in Jordan, in a non-combat related "
    "incident."
)
RAID_DOC = "re3d-282b1495e2"  # Wikipedia, "Abu Ghadiya" (CC BY-SA 3.0)
RAID = (
    "He was targeted and killed in a cross-border raid conducted by the U.S. military on "
    "October 26, 2008"
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer(load_settings())


def _document(doc_id: str, published: date | None = None) -> Document:
    rec = next(r for r in demo_records() if r["id"] == doc_id)
    return make_document(rec["text"], id=rec["id"], title=rec.get("title"), published=published)


def _claim(doc: Document, quote: str, mention: str, time: str | None, gaz: Gazetteer) -> Claim:
    start = doc.text.index(quote)
    c = Claim(
        id=f"{doc.id}:{start}:{mention}",
        document_id=doc.id,
        effect="killed",
        count=Count(1, 1, "a soldier", "singular"),
        quote=quote,
        start=start,
        end=start + len(quote),
        place=Place(text=mention),
        time=TimeRef(time) if time else None,
    )
    (r,) = resolve_claims(doc, [c], gaz)
    return r


def test_another_place_of_the_unit_that_agrees_makes_far_apart_unknown(
    gazetteer: Gazetteer,
) -> None:
    # The DoD statement as the pipeline reads it: the hometown in one statement, the
    # place of death in the other.
    dod = _document(DOD, published=date(2017, 1, 9))
    announced = _claim(dod, ANNOUNCED, "Cibolo", "today", gazetteer)
    died = _claim(dod, DIED, "Jordan", "Jan. 7", gazetteer)
    assert announced.place is not None and died.place is not None
    assert (announced.place.name, died.place.name) == ("Cibolo", "Jordan")
    tables, params = load_tables(), LinkParams()
    (unit,) = build_units([announced, died], {dod.id: dod}, {}, tables, params)
    assert unit.place == announced.place  # the finer place wins the tie: Cibolo
    assert unit.places == [announced.place, died.place]

    # Another report that places the death in Jordan (the same sentence, read alone).
    (other,) = build_units(
        [replace(died, id="other", document_id="other")],
        {"other": replace(dod, id="other")},
        {},
        tables,
        params,
    )
    # Abu Ghadiya's death, placed at Mosul (where the article says he was born) as the
    # pipeline reads it: none of its places agrees with the DoD statement's.
    raid_doc = _document(RAID_DOC)
    raid = _claim(raid_doc, RAID, "Mosul", "October 26, 2008", gazetteer)
    (far,) = build_units([raid], {raid_doc.id: raid_doc}, {}, tables, params)
    for u, v in ((unit, other), (unit, far)):
        u.index, v.index = 0, 1
    assert place_relation(unit.place, other.place) == -2  # Cibolo, US, and Jordan
    pairs = np.array([[0, 1]], dtype=np.int64)
    # Disagreeing and agreeing places: nothing either way.
    assert pair_relations([unit, other], pairs, params).tolist() == [0]
    # Every place disagrees: far apart, as before.
    assert pair_relations([unit, far], pairs, params).tolist() == [-2]


def _entry(gaz: Gazetteer, name: str, admin1: str) -> Place:
    e = next(e for e in gaz.lookup(name) if e.country == "US" and e.admin1 == admin1)
    return Place(
        name,
        name=e.name,
        country="US",
        admin1=e.admin1,
        lat=e.lat,
        lon=e.lon,
        geonameid=e.geonameid,
        precision="city",
    )


def test_one_name_resolved_to_namesakes_is_not_far_apart(gazetteer: Gazetteer) -> None:
    # One name, two towns of one country hundreds of kilometres apart: the resolver
    # picked a namesake in one report, not the other.
    sc = _entry(gazetteer, "Holly Hill", "South Carolina")
    fl = _entry(gazetteer, "Holly Hill", "Florida")
    assert place_relation(sc, fl) == place_relation(fl, sc) == 1
    # Spelled differently, resolved to one name ("Mt. Pleasant", "Mount Pleasant").
    mt = replace(_entry(gazetteer, "Mount Pleasant", "South Carolina"), text="Mt. Pleasant")
    assert place_relation(mt, _entry(gazetteer, "Mount Pleasant", "Michigan")) == 1
    # A town named after the other place's state ("Wyoming", Michigan, beside Cheyenne,
    # Wyoming): the mention may be the state.
    wyoming_mi = _entry(gazetteer, "Wyoming", "Michigan")
    cheyenne = _entry(gazetteer, "Cheyenne", "Wyoming")
    assert place_relation(wyoming_mi, cheyenne) == place_relation(cheyenne, wyoming_mi) == 1
    # Two names far apart stay far apart.
    assert place_relation(sc, cheyenne) == -2
    # Without coordinates, by state: namesakes near, other names far.
    bare = [replace(p, lat=None, lon=None) for p in (sc, fl, cheyenne)]
    assert place_relation(bare[0], bare[1]) == 1
    assert place_relation(bare[0], bare[2]) == -2
