"""Places the gazetteer does not know: kept as the claim's place, named as written,
inside the place the document gives for them (precision "container"); words that are
no names are not kept; the dateline stands only for a sentence that names no place.

Texts are short wire-style sentences written for these tests (a Los Angeles report, a
Chicago report, MUC-style upper-case messages with their datelines), plus the demo
corpus read in place. The gazetteer is the real one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tolltrace.export.rows import place_row
from tolltrace.records import Claim, Count, Document, Place
from tolltrace.resolve import Gazetteer, load_gazetteer, resolve_claims
from tolltrace.resolve.tables import english_words
from tolltrace.resolve.unknown import display_name
from tolltrace.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo" / "documents.jsonl"

LA_TEXT = (
    "LOS ANGELES (AP) — A 19-year-old man was shot and killed Sunday in Pacoima, "
    "police said. Two days earlier a woman was wounded in Exposition Park, and a man "
    "was shot on Whitley Avenue in Hollywood. Another man was hurt in a silver SUV, "
    "police told a reporter who posted on Facebook."
)
MUC_HUANCORA = (
    "SAN SALVADOR, 5 DEC 89 (ACAN-EFE) -- [TEXT] TWO PEASANTS WERE KILLED YESTERDAY "
    "WHEN SOLDIERS FIRED MORTARS IN HUANCORA, SAN ISIDRO LABRADOR JURISDICTION, "
    "CHALATENANGO DEPARTMENT, THE ARCHBISHOP'S OFFICE REPORTED."
)
MUC_VALLE = (
    "LIMA, 11 MAR 89 (EFE) -- [TEXT] POLICE SAID TODAY THAT GUERRILLAS KILLED THREE "
    "FARMERS IN SANTA MARIA DEL VALLE, HUANUCO DEPARTMENT, ON 9 MARCH."
)
MUC_MIDAIR = (
    "LIMA, 3 MAR 89 (EFE) -- [TEXT] A PLANE EXPLODED IN MIDAIR OVER THE JUNGLE, KILLING "
    "12 PEOPLE, IN RESIDENTIAL AREAS."
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer(load_settings())


def claim_at(doc: Document, quote: str, place: Place | None = None) -> Claim:
    start = doc.text.index(quote)
    return Claim(
        id=f"c{start}",
        document_id=doc.id,
        effect="killed",
        count=Count(1, 1, "one", "exact"),
        quote=quote,
        start=start,
        end=start + len(quote),
        place=place,
    )


def place_of(doc: Document, quote: str, mention: str | None, gaz: Gazetteer) -> Place | None:
    place = Place(text=mention) if mention is not None else None
    (c,) = resolve_claims(doc, [claim_at(doc, quote, place)], gaz)
    return c.place


def city(gaz: Gazetteer, name: str, country: str) -> tuple[float | None, float | None, str | None]:
    e = next(e for e in gaz.lookup(name) if e.kind == "city" and e.country == country)
    return e.lat, e.lon, e.admin1


def test_neighbourhood_lies_in_the_main_city(gazetteer: Gazetteer) -> None:
    doc = Document(id="la", text=LA_TEXT, content_hash="x")
    la = city(gazetteer, "Los Angeles", "US")
    for quote, mention in (
        ("man was shot and killed", "Pacoima"),
        ("woman was wounded", "Exposition Park"),  # common words, capitalized mid-sentence
    ):
        p = place_of(doc, quote, mention, gazetteer)
        assert p is not None
        assert (p.name, p.geonameid, p.precision, p.country) == (mention, None, "container", "US")
        # The container's point and state: a map shows it at Los Angeles, approximately.
        assert (p.lat, p.lon, p.admin1) == la


def test_street_lies_in_the_city_named_after_it(gazetteer: Gazetteer) -> None:
    doc = Document(id="la", text=LA_TEXT, content_hash="x")
    p = place_of(doc, "a man was shot on Whitley", "Whitley Avenue", gazetteer)
    assert p is not None and (p.name, p.precision) == ("Whitley Avenue", "container")
    hollywood = next(e for e in gazetteer.lookup("Hollywood") if e.country == "US")
    assert (p.lat, p.lon) == (hollywood.lat, hollywood.lon)


@pytest.mark.parametrize(
    ("quote", "mention"),
    [
        ("man was hurt", "SUV"),  # an acronym after "in a silver"
        ("man was hurt", "Facebook"),  # "on" a website, not a street
        ("man was shot and killed", "Sunday"),  # a day
        ("man was shot and killed", "police"),  # a lower-case word
    ],
)
def test_what_is_no_name_is_not_kept(gazetteer: Gazetteer, quote: str, mention: str) -> None:
    doc = Document(id="la", text=LA_TEXT, content_hash="x")
    p = place_of(doc, quote, mention, gazetteer)
    # the mention gives way to the places of the text: here the dateline city
    assert p is not None and p.name == "Los Angeles" and p.geonameid is not None


def test_headline_capitals_are_no_name(gazetteer: Gazetteer) -> None:
    text = "Man and Woman Killed in Plantation Crash\nMIAMI (AP) — Two people died."
    doc = Document(id="h", text=text, content_hash="x")
    p = place_of(doc, "Two people died", "Plantation Crash", gazetteer)
    assert p is not None and p.name != "Plantation Crash"


def test_upper_case_name_inside_the_province_named_after_it(gazetteer: Gazetteer) -> None:
    doc = Document(id="m1", text=MUC_HUANCORA, content_hash="x")
    p = place_of(doc, "TWO PEASANTS WERE KILLED", "HUANCORA", gazetteer)
    assert p is not None
    assert (p.text, p.name, p.country, p.precision, p.geonameid) == (
        "HUANCORA",
        "Huancora",
        "SV",
        "container",
        None,
    )
    assert p.admin1 == "Chalatenango" and p.lat is None  # a province has no point


def test_upper_case_name_inside_the_place_its_apposition_gives(gazetteer: Gazetteer) -> None:
    text = (
        "BOGOTA, 4 MAY 90 (EFE) -- [TEXT] FIVE PEASANTS WERE KILLED TODAY IN JUAN BUENO, "
        "A HAMLET OF ANTIOQUIA DEPARTMENT, THE ARMY SAID."
    )
    doc = Document(id="m4", text=text, content_hash="x")
    p = place_of(doc, "FIVE PEASANTS", "JUAN BUENO", gazetteer)
    assert p is not None
    assert (p.name, p.country, p.admin1, p.precision) == (
        "Juan Bueno",
        "CO",
        "Antioquia",
        "container",
    )


def test_upper_case_common_words_are_no_place(gazetteer: Gazetteer) -> None:
    doc = Document(id="m2", text=MUC_MIDAIR, content_hash="x")
    for mention in ("MIDAIR", "RESIDENTIAL AREAS", None):
        p = place_of(doc, "KILLING", mention, gazetteer)
        # no place of its own: the dateline city stands
        assert p is not None and (p.name, p.qualifier) == ("Lima", "dateline")


def test_dateline_only_when_the_sentence_names_no_place(gazetteer: Gazetteer) -> None:
    # The dateline is part of the first sentence, which names a village of its own:
    # the village (a GeoNames town in Huanuco), not Lima.
    doc = Document(id="m3", text=MUC_VALLE, content_hash="x")
    for mention in ("SANTA MARIA DEL VALLE", None):
        p = place_of(doc, "KILLED THREE", mention, gazetteer)
        assert p is not None and p.name == "Santa María del Valle"
        assert (p.country, p.admin1, p.precision) == ("PE", "Huánuco", "city")


def test_city_parts_and_abbreviations(gazetteer: Gazetteer) -> None:
    text = "CHICAGO (AP) — A man was killed on the Southwest Side on Friday, police said."
    doc = Document(id="c", text=text, content_hash="x")
    side = place_of(doc, "man was killed", "the Southwest Side", gazetteer)
    assert side is not None and (side.name, side.qualifier) == ("Chicago", "the Southwest Side")
    assert side.geonameid is not None and side.precision == "city"
    text2 = "LOS ANGELES (AP) — A woman was shot in South Gate while visiting from Fla."
    doc2 = Document(id="g", text=text2, content_hash="x")
    # A capitalized bearing belongs to the name: South Gate, California, not "Gate".
    gate = place_of(doc2, "woman was shot", "South Gate", gazetteer)
    assert gate is not None and (gate.name, gate.admin1) == ("South Gate", "California")
    assert gate.geonameid is not None
    fla = place_of(doc2, "woman was shot", "Fla.", gazetteer)
    assert fla is not None and (fla.name, fla.precision) == ("Florida", "province")


def test_kind_word_of_the_name_stays(gazetteer: Gazetteer) -> None:
    text = "CHICAGO (AP) — Two teens were shot in the Little Village neighborhood late Friday."
    doc = Document(id="lv", text=text, content_hash="x")
    p = place_of(doc, "Two teens were shot", None, gazetteer)
    assert p is not None and p.name != "Little"


def test_demo_dam_lies_in_the_country_named_after_it(gazetteer: Gazetteer) -> None:
    # CENTCOM: "... killed in a strike near Tabqa Dam, Syria."
    rec = next(
        json.loads(line) for line in DEMO.open(encoding="utf-8") if "Tabqa Dam, Syria" in line
    )
    doc = Document(id=rec["id"], text=rec["text"], content_hash="x")
    i = doc.text.index("Tabqa Dam, Syria")
    quote = doc.text[max(0, doc.text.rfind(".", 0, i) + 1) : i].strip()
    p = place_of(doc, quote, "near Tabqa Dam", gazetteer)
    assert p is not None
    assert (p.name, p.qualifier, p.country, p.precision) == ("Tabqa Dam", "near", "SY", "container")


def test_export_row_tells_an_unknown_name_from_a_gazetteer_place(gazetteer: Gazetteer) -> None:
    doc = Document(id="la", text=LA_TEXT, content_hash="x")
    unknown = place_row(place_of(doc, "man was shot and killed", "Pacoima", gazetteer))
    known = place_row(place_of(doc, "man was shot and killed", "Los Angeles", gazetteer))
    assert unknown is not None and known is not None
    assert (unknown["name"], unknown["geonameid"], unknown["precision"]) == (
        "Pacoima",
        None,
        "container",
    )
    assert known["geonameid"] is not None and known["precision"] == "city"
    assert (unknown["lat"], unknown["lon"]) == (known["lat"], known["lon"])


def test_display_name_and_word_list() -> None:
    assert display_name("SANTA MARIA DEL VALLE", upper=True) == "Santa Maria del Valle"
    assert display_name("EL\nNISPERAL", upper=True) == "El Nisperal"
    assert display_name("Pico-Union", upper=False) == "Pico-Union"
    words = english_words(load_settings().spacy_model)
    assert {"midair", "residential", "area"} <= words
    assert not {"huancora", "pacoima"} & words
    assert english_words("no_such_spacy_pipeline") == frozenset()
