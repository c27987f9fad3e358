"""Incidents from claims built on the seed's real statements (RT, 2016-10-25) and on
the Daquq funeral strike of 21 October 2016 as DESIGN.md sums up its reporting: the
Russian MoD said "dozens" died (RT headline quoted in the seed), local officials told
AFP 15 women were killed and 50 injured, and the Pentagon denied involvement."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tolltrace.link import link
from tolltrace.link.aggregate import figure
from tolltrace.link.incidents import place_relation
from tolltrace.link.resources import load_tables
from tolltrace.records import (
    Claim,
    Claimant,
    Count,
    Document,
    Incident,
    Place,
    TimeRef,
    Victims,
)

SEED_HEADLINE = (
    "60 civilians killed, 200 injured as US-led coalition strikes Mosul residential areas "
    "– Russian MoD"
)
MOSUL_SENTENCE = (
    "Over 60 civilians have been killed and at least 200 injured during three days of "
    "US-led coalition airstrikes on residential areas in Mosul, the Russian military reported."
)
SCHOOL_SENTENCE = (
    "According to the Russian military, among the civilian objects hit by US-led coalition "
    "airstrikes was a school for girls in southern Mosul, which was attacked last Friday."
)
DAQUQ_HEADLINE = (
    "US-led coalition strike killed dozens of civilian mourners 30km from Kirkuk – Russian MoD"
)
DAQUQ_SUMMARY = (
    'for a neighbouring incident (a funeral at Daquq, 21 Oct) the Russian MoD said "dozens" '
    "died, local officials told AFP 15 women were killed and 50 injured, and the Pentagon "
    "denied involvement."
)

MOSUL = Place(
    "Mosul",
    name="Mosul",
    country="IQ",
    admin1="Nineveh",
    lat=36.335,
    lon=43.119,
    geonameid=99072,
    precision="city",
)
SOUTH_MOSUL = replace(MOSUL, text="southern Mosul", qualifier="southern")
DAQUQ = Place(
    "30km from Kirkuk",
    qualifier="30km from",
    name="Daquq",
    country="IQ",
    admin1="Kirkuk",
    lat=35.140,
    lon=44.447,
    precision="city",
)
THREE_DAYS = TimeRef("during three days", date(2016, 10, 22), date(2016, 10, 24), "range")
FRIDAY = TimeRef("last Friday", date(2016, 10, 21), date(2016, 10, 21), "day")
OCT21 = TimeRef("21 Oct", date(2016, 10, 21), date(2016, 10, 21), "day")
RUSSIAN_MOD = Claimant("the Russian military", "Russian Ministry of Defence", "party")
COALITION = "US-led coalition"


def document(
    doc_id: str, text: str, published: date, outlet: str, title: str | None = None
) -> Document:
    return Document(
        id=doc_id,
        text=text,
        content_hash=doc_id,
        title=title,
        url=None,
        outlet=outlet,
        published=published,
    )


def claim(doc: Document, quote: str, effect: str, count: Count, **kw: object) -> Claim:
    start = doc.text.find(quote)
    assert start >= 0, quote
    return Claim(
        id=f"{doc.id}:{start}:{effect}",
        document_id=doc.id,
        effect=effect,  # type: ignore[arg-type]
        count=count,
        quote=quote,
        start=start,
        end=start + len(quote),
        **kw,
    )  # type: ignore[arg-type]


def mosul_claims(doc: Document) -> list[Claim]:
    common = dict(
        victims=Victims("civilians"),
        perpetrator=COALITION,
        means="airstrike",
        place=MOSUL,
        time=THREE_DAYS,
        claimant=RUSSIAN_MOD,
    )
    return [
        claim(
            doc, MOSUL_SENTENCE, "killed", Count(60, None, "Over 60", "over N -> min N"), **common
        ),
        claim(
            doc, MOSUL_SENTENCE, "injured", Count(200, None, "at least 200", "at least N"), **common
        ),
    ]


def school_claim(doc: Document) -> Claim:
    # The seed gives no figure for the school: the harm is asserted, the number unstated.
    return claim(
        doc,
        SCHOOL_SENTENCE,
        "killed",
        Count(None, None, "", "unstated"),
        perpetrator=COALITION,
        means="airstrike",
        place=SOUTH_MOSUL,
        time=FRIDAY,
        claimant=RUSSIAN_MOD,
        victims=Victims("civilians", ("schoolgirls",)),
    )


@pytest.fixture
def corpus(seed_text: str) -> tuple[dict[str, Document], list[Claim]]:
    rt = document("rt-mosul", seed_text, date(2016, 10, 25), "RT", SEED_HEADLINE)
    # The same RT text republished by another outlet under another headline.
    copy = document(
        "copy-mosul",
        seed_text,
        date(2016, 10, 26),
        "Another outlet",
        "Russia: coalition strikes killed 60 civilians in Mosul",
    )
    rt_daquq = document("rt-daquq", DAQUQ_HEADLINE, date(2016, 10, 22), "RT", DAQUQ_HEADLINE)
    roundup = document("roundup", DAQUQ_SUMMARY, date(2016, 10, 23), "Roundup")
    claims = [*mosul_claims(rt), *mosul_claims(copy), school_claim(rt)]
    claims.append(
        claim(
            rt_daquq,
            DAQUQ_HEADLINE,
            "killed",
            Count(24, None, "dozens", "dozens"),
            victims=Victims("civilians", ("mourners",)),
            perpetrator=COALITION,
            means="airstrike",
            place=DAQUQ,
            time=OCT21,
            claimant=Claimant("Russian MoD", "Russian Ministry of Defence", "party"),
        )
    )
    afp = Claimant("local officials told AFP", "local officials", "official")
    claims.append(
        claim(
            roundup,
            "15 women were killed",
            "killed",
            Count(15, 15, "15", "exact"),
            victims=Victims("civilians", ("women",)),
            place=DAQUQ,
            time=OCT21,
            claimant=afp,
        )
    )
    claims.append(
        claim(
            roundup,
            "50 injured",
            "injured",
            Count(50, 50, "50", "exact"),
            place=DAQUQ,
            time=OCT21,
            claimant=afp,
        )
    )
    claims.append(
        claim(
            roundup,
            "the Pentagon denied involvement",
            "killed",
            Count(None, None, "", "unstated"),
            stance="denied",
            place=DAQUQ,
            time=OCT21,
            claimant=Claimant("the Pentagon", "Pentagon", "party"),
        )
    )
    # The seed's quoted RT headline: another article's, so it makes no incident here.
    emb = seed_text.find("US-led coalition strike killed dozens")
    claims.append(
        Claim(
            id="rt-mosul:embedded",
            document_id="rt-mosul",
            effect="killed",
            count=Count(24, None, "dozens", "dozens"),
            quote=DAQUQ_HEADLINE,
            start=emb,
            end=emb + len(DAQUQ_HEADLINE),
            embedded=True,
        )
    )
    docs = {d.id: d for d in (rt, copy, rt_daquq, roundup)}
    return docs, claims


def by_claim(incidents: tuple[Incident, ...], claim_id: str) -> Incident:
    return next(x for x in incidents if claim_id in x.claim_ids)


def test_seed_incidents_figures_sources_and_grades(
    corpus: tuple[dict[str, Document], list[Claim]],
) -> None:
    docs, claims = corpus
    result = link(claims, docs)
    ids = {c.id: c for c in claims}
    mosul = by_claim(
        result.incidents,
        next(
            i
            for i in ids
            if i.startswith("rt-mosul:") and i.endswith("killed") and ids[i].count.min == 60
        ),
    )
    daquq = by_claim(result.incidents, next(i for i in ids if i.startswith("rt-daquq")))
    school = by_claim(result.incidents, school_claim(docs["rt-mosul"]).id)
    assert len({mosul.id, daquq.id, school.id}) == 3
    assert len(result.incidents) == 3
    assert "rt-mosul:embedded" not in {c for x in result.incidents for c in x.claim_ids}

    # Mosul: the RT text and its copy are one source, the Russian MoD.
    assert set(mosul.document_ids) == {"rt-mosul", "copy-mosul"}
    assert (mosul.killed.min, mosul.killed.max) == (60, None)
    assert (mosul.injured.min, mosul.injured.max) == (200, None)
    assert mosul.independent_sources == 1
    assert mosul.grade == "single-source"
    assert mosul.perpetrators == (COALITION,)
    assert "Mosul" in mosul.title and "60+" in mosul.title

    # Daquq: two independent claimants, a denial by the accused party's side.
    assert set(daquq.document_ids) == {"rt-daquq", "roundup"}
    assert (daquq.killed.min, daquq.killed.max) == (15, None)  # 15 women; "dozens" = 24+
    assert (daquq.injured.min, daquq.injured.max) == (50, 50)
    assert daquq.independent_sources == 2
    assert daquq.grade == "contested"
    assert "Pentagon" in daquq.grade_reason
    named = {c.name: c for c in daquq.claimants}
    assert (named["local officials"].killed.min, named["local officials"].injured.max) == (15, 50)
    assert named["Russian Ministry of Defence"].killed.min == 24
    assert "Pentagon" not in named  # a denial is not a figure


def test_specific_incident_nests_in_the_aggregate(
    corpus: tuple[dict[str, Document], list[Claim]],
) -> None:
    docs, claims = corpus
    result = link(claims, docs)
    school = by_claim(result.incidents, school_claim(docs["rt-mosul"]).id)
    mosul = by_claim(result.incidents, mosul_claims(docs["rt-mosul"])[0].id)
    assert school.part_of == mosul.id
    assert mosul.part_of is None
    assert school.date_start == date(2016, 10, 21)


def test_without_the_denial_two_sources_corroborate(
    corpus: tuple[dict[str, Document], list[Claim]],
) -> None:
    docs, claims = corpus
    kept = [c for c in claims if c.stance != "denied"]
    daquq = by_claim(
        link(kept, docs).incidents, next(c.id for c in kept if c.document_id == "rt-daquq")
    )
    assert daquq.grade == "corroborated"
    assert daquq.grade_reason == "2 independent sources"


def test_the_accused_party_conceding_confirms(
    corpus: tuple[dict[str, Document], list[Claim]],
) -> None:
    docs, claims = corpus
    conceded = [
        replace(
            c,
            stance="asserted",
            count=Count(15, 15, "15", "exact"),
            claimant=Claimant("the Pentagon", "Pentagon", "party"),
        )
        if c.stance == "denied"
        else c
        for c in claims
    ]
    daquq = by_claim(
        link(conceded, docs).incidents, next(c.id for c in claims if c.stance == "denied")
    )
    assert daquq.grade == "confirmed"
    assert "United States" in daquq.grade_reason


def test_parties_blaming_each_other_contest(
    corpus: tuple[dict[str, Document], list[Claim]],
) -> None:
    docs, claims = corpus
    blamed = [
        replace(c, perpetrator="Islamic State")
        if c.claimant and c.claimant.name == "local officials"
        else c
        for c in claims
        if c.stance != "denied"
    ]
    daquq = by_claim(
        link(blamed, docs).incidents, next(c.id for c in claims if c.document_id == "rt-daquq")
    )
    assert daquq.grade == "contested"
    assert set(daquq.perpetrators) == {COALITION, "Islamic State"}


def test_cumulative_and_denial_only_claims_make_no_incident(
    corpus: tuple[dict[str, Document], list[Claim]],
) -> None:
    docs, claims = corpus
    mosul = [replace(c, cumulative=True) for c in claims if c.document_id == "rt-mosul"]
    denial = [c for c in claims if c.stance == "denied"]
    assert link([*mosul, *denial], docs).incidents == ()


def test_ids_are_stable_across_reruns_and_additions(
    corpus: tuple[dict[str, Document], list[Claim]],
) -> None:
    docs, claims = corpus
    first = link(claims, docs)
    again = link(list(reversed(claims)), docs)
    assert [x.id for x in first.incidents] == [x.id for x in again.incidents]
    # A later copy of the Mosul article joins its incident; no id changes.
    later = replace(docs["copy-mosul"], id="later-copy", published=date(2016, 10, 28))
    more = {**docs, later.id: later}
    added = link([*claims, *mosul_claims(later)], more, previous=first.incidents)
    assert {x.id for x in added.incidents} == {x.id for x in first.incidents}
    mosul = by_claim(added.incidents, mosul_claims(later)[0].id)
    assert "later-copy" in mosul.document_ids
    # An earlier report joining an incident would change its founding claim; the
    # previous incidents keep the id all the same.
    early = replace(docs["copy-mosul"], id="0-early", published=date(2016, 10, 24))
    both = {**docs, early.id: early}
    with_prev = link([*claims, *mosul_claims(early)], both, previous=first.incidents)
    assert {x.id for x in with_prev.incidents} == {x.id for x in first.incidents}


def test_figure_range() -> None:
    over60 = Count(60, None, "over 60", "over")
    assert figure([_c(over60), _c(Count(65, 65, "65", "exact"))]) == figure(
        [_c(Count(60, 65, "", ""))]
    )
    assert (figure([_c(over60), _c(Count(50, 50, "50", "exact"))]).max) is None
    assert figure([]).min is None


def _c(count: Count) -> Claim:
    return Claim(id="x", document_id="d", effect="killed", count=count, quote="", start=0, end=0)


def test_place_relation() -> None:
    assert place_relation(MOSUL, SOUTH_MOSUL) == 2
    assert place_relation(MOSUL, DAQUQ) == -2  # 170 km apart
    assert place_relation(Place("Mosul"), Place("southern Mosul")) == 1
    assert place_relation(Place("Mosul"), Place("Kirkuk")) == -1
    assert place_relation(MOSUL, replace(DAQUQ, country="SY", lat=None, lon=None)) == -2
    # One name resolved to namesakes in two countries: the resolver hesitated.
    england = Place("Taunton", name="Taunton", country="GB", lat=51.02, lon=-3.10)
    massachusetts = Place("Taunton", name="Taunton", country="US", lat=41.90, lon=-71.09)
    assert place_relation(england, massachusetts) == 1


def test_periods_and_days() -> None:
    tables = load_tables()
    periods = ["during three days", "the past four days", "since Monday", "over the past week"]
    days = ["last Friday", "two weeks ago", "four days later", "20 years", "this past weekend"]
    assert all(tables.is_period(t.lower().split()) for t in periods)
    assert not any(tables.is_period(t.lower().split()) for t in days)


def test_a_report_without_claims_is_filed_under_its_incident(
    corpus: tuple[dict[str, Document], list[Claim]],
) -> None:
    docs, claims = corpus
    # The seed's text cut after its third paragraph, as a teaser elsewhere, from which
    # no claim was extracted: it reports the Mosul incident but is no source of it.
    rt = docs["rt-mosul"]
    teaser = replace(
        rt, id="teaser", outlet="Aggregator", text="\n\n".join(rt.text.split("\n\n")[:6])
    )
    result = link(claims, {**docs, "teaser": teaser})
    mosul = by_claim(result.incidents, mosul_claims(rt)[0].id)
    assert "teaser" in mosul.document_ids
    assert mosul.independent_sources == 1
    assert sum("teaser" in x.document_ids for x in result.incidents) == 1


def test_the_headline_is_the_same_incident_as_the_body(
    corpus: tuple[dict[str, Document], list[Claim]],
) -> None:
    docs, claims = corpus
    rt = docs["rt-mosul"]
    # The headline states no time; a resolver may still give it the week before the
    # publication date. It is the body's claim, not an event of its own.
    week = TimeRef(None, date(2016, 10, 18), date(2016, 10, 25), "week")
    headline = claim(
        rt,
        "60 civilians killed",
        "killed",
        Count(60, 60, "60", "exact"),
        place=MOSUL,
        time=week,
        claimant=RUSSIAN_MOD,
        perpetrator=COALITION,
    )
    result = link([headline, *claims], docs)
    mosul = by_claim(result.incidents, headline.id)
    assert mosul.id == by_claim(result.incidents, mosul_claims(rt)[0].id).id
    assert (mosul.killed.min, mosul.killed.max) == (60, None)
    assert (mosul.date_start, mosul.date_end) == (date(2016, 10, 22), date(2016, 10, 24))
    assert len(result.incidents) == 3
