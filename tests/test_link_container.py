"""Places the gazetteer lacks (precision "container") in the linker: ranked between a
point near a town and a province, compared by name when they share their container's
point, near (not the same as) the known place they lie in.

The places are resolved by the real resolver and gazetteer from wire-style Los Angeles
reports written for these tests (as in tests/test_resolve_unknown.py), and from the demo
corpus run through the pipeline ("the Al-Sinek neighborhood" of Baghdad, "near Tabqa
Dam" in Syria).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.conftest import demo_records
from tolltrace.ingest import make_document
from tolltrace.link import link
from tolltrace.link.aggregate import _place
from tolltrace.link.incidents import PLACE_RANK, _main_place, place_relation
from tolltrace.records import Claim, Count, Document, Place, TimeRef
from tolltrace.resolve import Gazetteer, load_gazetteer, resolve_claims
from tolltrace.settings import load_settings

SUNDAY = date(2024, 3, 10)
PACOIMA_TEXT = (
    "LOS ANGELES (AP) — A 19-year-old man was shot and killed Sunday in Pacoima, police "
    "said. Officers found him on a sidewalk shortly after 9 p.m. and no arrest was made. "
    "Relatives identified him as a student at a nearby community college who worked "
    "nights at a grocery store."
)
EXPO_TEXT = (
    "LOS ANGELES (KTLA) — A teenager died after gunfire erupted Sunday outside the "
    "Coliseum in Exposition Park. Detectives described a dark sedan leaving the area and "
    "asked witnesses to come forward."
)
EXPO_QUOTE = "A teenager died after gunfire erupted Sunday outside the Coliseum in Exposition Park"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer(load_settings())


def _report(doc_id: str, outlet: str, text: str) -> Document:
    return make_document(text, id=doc_id, title=None, outlet=outlet, published=date(2024, 3, 11))


def _claim(doc: Document, quote: str, mention: str) -> Claim:
    start = doc.text.index(quote)
    return Claim(
        id=f"{doc.id}:{start}",
        document_id=doc.id,
        effect="killed",
        count=Count(1, 1, "A 19-year-old man", "singular"),
        quote=quote,
        start=start,
        end=start + len(quote),
        place=Place(text=mention),
        time=TimeRef("Sunday"),
    )


def _resolved(doc: Document, quote: str, mention: str, gaz: Gazetteer) -> Claim:
    (c,) = resolve_claims(doc, [_claim(doc, quote, mention)], gaz)
    return c


@pytest.fixture(scope="module")
def la(gazetteer: Gazetteer) -> tuple[dict[str, Document], Claim, Claim]:
    a = _report("la-pacoima", "AP", PACOIMA_TEXT)
    b = _report("la-expo", "KTLA", EXPO_TEXT)
    ca = _resolved(a, "man was shot and killed Sunday in Pacoima", "Pacoima", gazetteer)
    cb = _resolved(b, EXPO_QUOTE, "Exposition Park", gazetteer)
    return {a.id: a, b.id: b}, ca, cb


def _los_angeles(gaz: Gazetteer) -> Place:
    e = next(e for e in gaz.lookup("Los Angeles") if e.kind == "city" and e.country == "US")
    return Place(
        "Los Angeles",
        name="Los Angeles",
        country="US",
        admin1=e.admin1,
        lat=e.lat,
        lon=e.lon,
        geonameid=e.geonameid,
        precision="city",
    )


def test_the_resolver_puts_both_at_the_container_point(
    la: tuple[dict[str, Document], Claim, Claim],
) -> None:
    _, ca, cb = la
    assert ca.place is not None and cb.place is not None
    assert (ca.place.precision, cb.place.precision) == ("container", "container")
    assert ca.place.geonameid is None and cb.place.geonameid is None
    # One point: distance 0 between two different neighbourhoods.
    assert (ca.place.lat, ca.place.lon) == (cb.place.lat, cb.place.lon)
    assert ca.time is not None and ca.time.date_start == SUNDAY == cb.time.date_start  # type: ignore[union-attr]


def test_two_unknown_names_in_one_container_are_told_apart_by_name(
    la: tuple[dict[str, Document], Claim, Claim], gazetteer: Gazetteer
) -> None:
    _, ca, cb = la
    pacoima, expo = ca.place, cb.place
    assert pacoima is not None and expo is not None
    assert place_relation(pacoima, expo) == -1  # not 2: the same point, two sites
    assert place_relation(pacoima, replace(pacoima, text="PACOIMA")) == 2
    # The city it lies in: near, not the same place.
    city = _los_angeles(gazetteer)
    assert place_relation(pacoima, city) == place_relation(city, pacoima) == 1
    # A known place of that name (another report's gazetteer knew it) is the same place.
    known = replace(city, text="Pacoima", name="Pacoima", geonameid=1, lat=34.26, lon=-118.41)
    assert place_relation(pacoima, known) == 2
    # Far from the container: different places.
    sf = next(e for e in gazetteer.lookup("San Francisco") if e.country == "US")
    far = replace(city, text="Mission District", lat=sf.lat, lon=sf.lon)
    assert place_relation(pacoima, replace(far, precision="container", geonameid=None)) == -2


def test_reports_of_two_neighbourhoods_on_one_day_stay_two_incidents(
    la: tuple[dict[str, Document], Claim, Claim],
) -> None:
    docs, ca, cb = la
    result = link([ca, cb], docs)
    owner = {c: x.id for x in result.incidents for c in x.claim_ids}
    assert owner[ca.id] != owner[cb.id]
    assert {x.place.name for x in result.incidents if x.place} == {"Pacoima", "Exposition Park"}


def test_the_same_neighbourhood_in_two_reports_is_one_incident(
    la: tuple[dict[str, Document], Claim, Claim], gazetteer: Gazetteer
) -> None:
    # The second report as above, about Pacoima: the same wording that stayed apart
    # from the AP report when it named another neighbourhood now joins it.
    docs, ca, _ = la
    b = _report("la-pacoima-ktla", "KTLA", EXPO_TEXT.replace("Exposition Park", "Pacoima"))
    cb = _resolved(b, EXPO_QUOTE.replace("Exposition Park", "Pacoima"), "Pacoima", gazetteer)
    assert cb.place is not None and cb.place.precision == "container"
    result = link([ca, cb], {ca.document_id: docs[ca.document_id], b.id: b})
    (x,) = [x for x in result.incidents if ca.id in x.claim_ids]
    assert cb.id in x.claim_ids and x.independent_sources == 2


def _demo_places() -> dict[str, Place]:
    """The unknown places of the demo corpus, as the pipeline resolves them."""
    gaz = load_gazetteer(load_settings())
    found: dict[str, Place] = {}
    for rec in demo_records():
        if rec["id"] not in ("re3d-834f3344bf", "re3d-9db3b77ff7"):
            continue
        doc = make_document(rec["text"], id=rec["id"], title=rec.get("title"))
        for quote, mention in (
            ("dual attacks in the commercial area of the Al-Sinek", "Al-Sinek"),
            ("near Tabqa Dam", "Tabqa Dam"),
        ):
            if quote in doc.text:
                start = doc.text.index(quote)
                c = Claim(
                    id="x",
                    document_id=doc.id,
                    effect="killed",
                    count=Count(1, 1, "one", "exact"),
                    quote=quote,
                    start=start,
                    end=start + len(quote),
                    place=Place(text=mention),
                )
                (r,) = resolve_claims(doc, [c], gaz)
                assert r.place is not None
                found[mention] = r.place
    return found


def test_container_ranks_between_near_city_and_province() -> None:
    assert PLACE_RANK["near city"] < PLACE_RANK["container"] < PLACE_RANK["province"]
    places = _demo_places()
    sinek, dam = places["Al-Sinek"], places["Tabqa Dam"]
    assert (sinek.precision, sinek.lat is not None) == ("container", True)
    assert (dam.precision, dam.country, dam.lat) == ("container", "SY", None)
    syria = Place("Syria", name="Syria", country="SY", precision="country")
    raqqa = Place("Raqqa", name="Ar Raqqah", country="SY", admin1="Ar Raqqah", precision="province")
    baghdad = replace(sinek, text="Baghdad", name="Baghdad", geonameid=98182, precision="city")

    def claims(*places: Place) -> list[Claim]:
        return [
            Claim(
                id=f"c{i}",
                document_id="d",
                effect="killed",
                count=Count(1, 1, "one", "exact"),
                quote="",
                start=0,
                end=0,
                place=p,
            )
            for i, p in enumerate(places)
        ]

    # An incident's place: the dam (in Syria, no point) before the country and the
    # province; the city before the neighbourhood that only has its point.
    for pick in (_place, _main_place):
        assert pick(claims(syria, dam)) == dam
        assert pick(claims(raqqa, dam)) == dam
        assert pick(claims(sinek, baghdad)) == baghdad
    # A province container beside a town of that province: nothing tells.
    assert place_relation(replace(dam, admin1="Ar Raqqah"), raqqa) == 1
