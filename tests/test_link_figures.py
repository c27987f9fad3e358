"""The registry-comparable figures (``best_killed``, ``best_injured``) beside the
ranges: on the seed corpus of tests/test_link_incidents.py, on the demo corpus's State
Department statement on the Baghdad attacks, and on the Daquq funeral strike as
DESIGN.md sums up its reporting (local officials told AFP 15 women were killed and 50
injured; the Russian MoD said "dozens")."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

from tests.test_link_incidents import (  # noqa: F401
    DAQUQ,
    OCT21,
    by_claim,
    claim,
    corpus,
    document,
    mosul_claims,
)
from tolltrace.link import link
from tolltrace.link.aggregate import LEAD_STATEMENTS, best_figures, lead_figure
from tolltrace.link.view import incident_view
from tolltrace.records import Claim, Claimant, Count, Document, Victims

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo" / "documents.jsonl"


def demo_document(doc_id: str) -> Document:
    for line in DEMO.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["id"] == doc_id:
            return Document(
                id=doc_id, text=rec["text"], content_hash=doc_id, outlet=rec.get("outlet")
            )
    raise AssertionError(doc_id)


def test_seed_best_figures_beside_the_ranges(
    corpus: tuple[dict[str, Document], list[Claim]],  # noqa: F811
) -> None:
    docs, claims = corpus
    result = link(claims, docs)
    mosul = by_claim(result.incidents, mosul_claims(docs["rt-mosul"])[0].id)
    # "Over 60 ... at least 200": the range stays open, the best figure is the bound.
    assert (mosul.killed.min, mosul.killed.max) == (60, None)
    assert (mosul.best_killed, mosul.best_injured) == (60, 200)
    daquq = by_claim(result.incidents, next(c.id for c in claims if c.document_id == "rt-daquq"))
    # One source each: the Russian MoD's "dozens" (22 Oct) and local officials' 15 (23
    # Oct). A tie goes to the later report; the range and the claimants keep both.
    assert (daquq.best_killed, daquq.best_injured) == (15, 50)
    assert (daquq.killed.min, daquq.killed.max) == (15, None)
    named = {c.name: c.killed.min for c in daquq.claimants}
    assert named == {"local officials": 15, "Russian Ministry of Defence": 24}
    mine = [c for c in claims if c.id in set(daquq.claim_ids)]
    view = incident_view(daquq, mine, docs, result.copies)
    assert (view["best_killed"], view["best_injured"]) == (15, 50)
    assert view["killed"] == {"min": 15, "max": None}


def test_a_report_gives_the_figure_of_its_lead_statement() -> None:
    doc = demo_document("re3d-834f3344bf")  # State Department: "Terrorist Attacks in Baghdad"
    saturday = claim(doc, "which killed at least 28 people", "killed", Count(28, None, "", ""))
    today = "have killed at least 35 more innocent civilians and injured scores of others"
    sunday_killed = claim(doc, today, "killed", Count(35, None, "", ""))
    sunday_injured = claim(doc, today, "injured", Count(40, None, "scores", "vague:scores"))
    wounded = claim(doc, "all those wounded", "injured", Count(2, None, "", "plural"))
    report = [saturday, sunday_killed, sunday_injured, wounded]
    # The first statement's figure, not the larger one after it.
    assert lead_figure(report, "killed") == 28
    assert lead_figure(report, "injured") == 40
    # Given first in the third statement (after LEAD_STATEMENTS), a figure is a passing
    # mention: the report gives none of that effect.
    assert LEAD_STATEMENTS == 2
    assert lead_figure([saturday, sunday_killed, wounded], "injured") is None
    # An open lead takes the first exact figure that fits it.
    exact = claim(doc, "killed at least 35 more", "killed", Count(35, 35, "", ""))
    assert lead_figure([sunday_killed, exact], "killed") == 35
    # A larger sum of victims told as "more"/"other" than those before (rule sum:also,
    # starting at its first part), begun within the lead statements though after the
    # lead, is the report's figure.
    weekend = replace(sunday_killed, id="weekend", count=Count(63, None, "", "sum:also"))
    assert lead_figure([saturday, sunday_killed, weekend], "killed") == 63
    # Begun after them, it is no lead.
    late = replace(wounded, id="late", effect="killed", count=Count(63, None, "", "sum:also"))
    assert lead_figure([saturday, sunday_killed, late], "killed") == 28
    assert lead_figure([replace_count(saturday, 40, None), exact], "killed") == 40


def test_a_headline_printed_again_is_no_second_statement() -> None:
    """A web page prints its headline above the story again ("Police: 3 members of
    family fatally shot; suspect killed Posted: Monday, ..."): the repeat states nothing
    new, and the lead sentences after it still lead (0.4.40). Here the State
    Department's first sentence with a figure stands in for the headline, printed twice."""
    demo = demo_document("re3d-834f3344bf")
    first = "Dae’sh claimed dual attacks in the commercial area of the Al-Sinek neighborhood"
    head = demo.text[demo.text.index(first) : demo.text.index("28 people.") + len("28 people.")]
    doc = replace(demo, text=f"{head}\n\n{demo.text}")
    title = claim(doc, head, "killed", Count(28, None, "", ""))
    again_at = doc.text.index(head, title.end)
    again = replace(title, id="again", start=again_at, end=again_at + len(head))
    today = "have killed at least 35 more innocent civilians and injured scores of others"
    injured = claim(doc, today, "injured", Count(40, None, "scores", "vague:scores"))
    assert injured.start > again.start
    assert lead_figure([title, again, injured], "injured") == 40
    # Two different statements before it still make it a passing mention.
    other = claim(doc, "all those wounded", "killed", Count(2, None, "", "plural"))
    other = replace(other, start=again.start - 1)
    assert lead_figure([title, other, injured], "injured") is None


def replace_count(c: Claim, lo: int | None, hi: int | None) -> Claim:
    return replace(c, count=Count(lo, hi, c.count.text, c.count.rule))


AFP = Claimant("local officials told AFP", "local officials", "official")
FIRST = "local officials told AFP 15 women were killed and 50 injured"
LATER = "the toll rose to 17 killed as two of the wounded died, a hospital director said"


def daquq_report(doc: Document, quote: str, killed: int, injured: int | None) -> list[Claim]:
    kw = dict(place=DAQUQ, time=OCT21)
    out = [claim(doc, quote, "killed", Count(killed, killed, "", "exact"), **kw)]
    if injured is not None:
        out.append(claim(doc, quote, "injured", Count(injured, injured, "", "exact"), **kw))
    return out


def test_best_figures_majority_update_and_died_of_wounds() -> None:
    afp = document("afp", FIRST, date(2016, 10, 22), "AFP")
    reuters = document("reuters", FIRST, date(2016, 10, 22), "Reuters")
    later = document("later", LATER, date(2016, 10, 24), "Local radio")
    afp_later = document("afp-2", LATER, date(2016, 10, 24), "AFP")
    docs = {d.id: d for d in (afp, reuters, later, afp_later)}

    def key(c: Claim) -> str:
        return ""

    def source(c: Claim) -> str:
        return docs[c.document_id].outlet or ""

    def when(c: Claim) -> int:
        published = docs[c.document_id].published
        return published.toordinal() if published else 0

    first = daquq_report(afp, FIRST, 15, 50) + daquq_report(reuters, FIRST, 15, 50)
    assert best_figures(first, key, source, when) == (15, 50)
    # A later report of 17 killed: two sources still say 15 — the majority stands.
    update = daquq_report(later, LATER, 17, None)
    assert best_figures(first + update, key, source, when) == (15, 50)
    # Against one first report the later one wins the tie, and the two who died of
    # their wounds leave the injured: 17 killed, 48 injured.
    assert best_figures(daquq_report(afp, FIRST, 15, 50) + update, key, source, when) == (17, 48)
    # An outlet's later report replaces its own earlier one (an update, not a second
    # opinion): AFP now says 17, Reuters 15 — a tie, which the later report wins.
    own = first + daquq_report(afp_later, LATER, 17, None)
    assert best_figures(own, key, source, when) == (17, 48)


def test_an_injured_victim_named_again_after_the_death_is_the_dead() -> None:
    # The demo's DoD release on a service member killed in Syria. Once a report has
    # told of a death, "he" or "the service member" reported wounded afterwards is the
    # dead man again, not one more injured; someone new ("one of our brave service
    # members"), or anyone reported injured before the death, is counted.
    doc = demo_document("re3d-f335ef7d68")
    one = Count(1, 1, "", "")
    killed = claim(
        doc,
        "the American service member who was killed in Syria",
        "killed",
        one,
        victims=Victims(text="the American service member"),
    )

    def wounded(quote: str, victim: str) -> Claim:
        return claim(doc, quote, "injured", one, victims=Victims(text=victim))

    blast = "of wounds sustained in an improvised explosive device blast"
    again = wounded(blast, "he")
    assert lead_figure([killed, again], "injured") is None
    assert lead_figure([killed, wounded(blast, "the service member")], "injured") is None
    someone = wounded("one of our brave service members", "one of our brave service members")
    assert lead_figure([killed, someone], "injured") == 1
    # "the other service member", "the wounded sailor": someone else
    assert lead_figure([killed, wounded(blast, "the other service member")], "injured") == 1
    # an injured victim introduced after the death: "he" may be that victim
    assert lead_figure([killed, someone, wounded(blast, "he")], "injured") == 1
    # the death reported after the injury: the figure stands (the later-report rule of
    # best_figures moves the dead from injured to killed)
    first = wounded("Defense Department has identified", "he")
    assert lead_figure([first, killed], "injured") == 1


def test_a_wounded_victim_the_report_later_says_died_is_no_injured() -> None:
    # The same release read the other way round: everyone the report has told wounded
    # so far is one service member, and the first death it tells is of someone it has
    # introduced already ("he", "the service member"): the wounded man died, and the
    # report gives no injured figure. Not so when the death is of someone else ("the
    # sailor") or the wounded were several told at once (a sum).
    doc = demo_document("re3d-f335ef7d68")
    one = Count(1, 1, "", "singular")
    blast = "of wounds sustained in an improvised explosive device blast"
    wounded = claim(doc, blast, "injured", one, victims=Victims(text="a service member"))

    def died(victim: str) -> Claim:
        mortally = "Dayton was mortally wounded in the vicinity of Ayn Issa"
        return claim(doc, mortally, "killed", one, victims=Victims(text=victim))

    assert lead_figure([wounded, died("he")], "injured") is None
    assert lead_figure([wounded, died("the service member")], "injured") is None
    assert lead_figure([wounded, died("the sailor")], "injured") == 1
    two = replace(wounded, count=Count(1, 1, "", "sum"))
    assert lead_figure([two, died("he")], "injured") == 1


def test_the_shot_are_the_dead_when_no_report_says_they_survived() -> None:
    # Two reports of the DoD release's death: one tells a death, the other only that a
    # man was hit (its sentence has no word of survival): the one hit is the one who
    # died, and the incident has no injured figure. When the injured statement says
    # "wounds" (survival_words.txt), the figure stands.
    from tolltrace.link.resources import load_tables

    text = demo_document("re3d-f335ef7d68").text
    died = document("dod", text, date(2016, 11, 25), "DoD")
    hit = document("wire", text, date(2016, 11, 25), "Wire")
    docs = {d.id: d for d in (died, hit)}
    one = Count(1, 1, "", "singular")
    killed = claim(died, "Dayton was mortally wounded in the vicinity of Ayn Issa", "killed", one)
    shot = claim(hit, "Dayton, who was supporting Operation Inherent Resolve", "injured", one)
    wounds = claim(
        hit, "of wounds sustained in an improvised explosive device blast", "injured", one
    )
    tables = load_tables()

    def source(c: Claim) -> str:
        return docs[c.document_id].outlet or ""

    def figures(claims: list[Claim]) -> tuple[int | None, int | None]:
        return best_figures(
            claims, lambda c: "", source, lambda c: 0, lambda c: tables.told_alive(c.quote)
        )

    assert figures([killed, shot]) == (1, None)
    assert figures([killed, wounds]) == (1, 1)
    # without the question asked, the figures are as before
    assert best_figures([killed, shot], lambda c: "", source, lambda c: 0) == (1, 1)
