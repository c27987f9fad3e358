"""An earlier incident told as background makes no incident of its own; news of the
report's own days does.

Wikipedia's "Ziad Khalaf Raja al-Karbouly" (demo corpus, re3d-1523307090, CC BY-SA 3.0)
leads with his death ("died 4 February 2015") and tells, in a sentence with its own
place and date, of killings he admitted in 2006. The corpus gives the article no
publication date; the tests date it the day after the death it leads with, as a report
of that death would be. The seed (RT, 25 October 2016) tells of "a school for girls in
southern Mosul, which was attacked last Friday": four days before publication, news.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from tests.conftest import demo_records
from tolltrace.ingest import make_document
from tolltrace.link import link
from tolltrace.link.incidents import LinkParams, build_units, score_pairs
from tolltrace.link.resources import load_tables
from tolltrace.link.similarity import TextIndex
from tolltrace.records import Claim, Count, Document, Place, TimeRef

KARBOULY = "re3d-1523307090"
DEATH = "Ziad Khalaf al-Karbouly (زياد خلف الكربولي; died 4 February 2015) a native of Al-Qa'im"
ADMITTED = (
    "On 23 May 2006, he admitted that he had abducted and killed citizens from Jordan and Iraq"
)
SCHOOL = (
    "According to the Russian military, among the civilian objects hit by US-led coalition "
    "airstrikes was a school for girls in southern Mosul, which was attacked last Friday."
)
SEED_DAY = date(2016, 10, 25)


def _claim(doc: Document, quote: str, count: Count, place: Place, time: TimeRef) -> Claim:
    start = doc.text.index(quote)
    assert place.text in quote and time.text and time.text in quote
    return Claim(
        id=f"{doc.id}:{start}",
        document_id=doc.id,
        effect="killed",
        count=count,
        quote=quote,
        start=start,
        end=start + len(quote),
        place=place,
        time=time,
    )


def _karbouly(published: date | None) -> tuple[dict[str, Document], list[Claim]]:
    rec = next(r for r in demo_records() if r["id"] == KARBOULY)
    doc = make_document(rec["text"], id=rec["id"], title=rec.get("title"), published=published)
    qaim = Place("Al-Qa'im", name="Al Qā’im", country="IQ", lat=34.37, lon=41.09, precision="city")
    iraq = Place("Iraq", name="Iraq", country="IQ", precision="country")
    death = TimeRef("4 February 2015", date(2015, 2, 4), date(2015, 2, 4), "day")
    admitted = TimeRef("23 May 2006", date(2006, 5, 23), date(2006, 5, 23), "day")
    claims = [
        _claim(doc, DEATH, Count(1, 1, "al-Karbouly", "singular"), qaim, death),
        _claim(doc, ADMITTED, Count(2, None, "citizens", "plural"), iraq, admitted),
    ]
    return {doc.id: doc}, claims


def test_an_earlier_incident_told_as_background_makes_no_incident() -> None:
    docs, (death, admitted) = _karbouly(date(2015, 2, 5))
    units = build_units([death, admitted], docs, {}, load_tables(), LinkParams())
    lead, background = units
    assert lead.lead and not background.lead and background.standalone()
    assert not background.recent(LinkParams().max_days + 2)
    result = link([death, admitted], docs)
    assert [x.claim_ids for x in result.incidents] == [(death.id,)]


def test_without_a_publication_date_nothing_is_background() -> None:
    # Nothing tells how old the admitted killings were when the article was written.
    docs, (death, admitted) = _karbouly(None)
    result = link([death, admitted], docs)
    assert sorted(x.claim_ids for x in result.incidents) == sorted([(death.id,), (admitted.id,)])


def test_news_of_the_reports_days_is_recent(seed_text: str) -> None:
    doc = Document(id="rt", text=seed_text, content_hash="rt", published=SEED_DAY)
    mosul = Place("southern Mosul", qualifier="southern", name="Mosul", country="IQ")
    friday = TimeRef("last Friday", date(2016, 10, 21), date(2016, 10, 21), "day")
    school = _claim(doc, SCHOOL, Count(None, None, "", "unstated"), mosul, friday)
    (unit,) = build_units([school], {doc.id: doc}, {}, load_tables(), LinkParams())
    window = LinkParams().max_days + 2
    assert unit.standalone() and unit.recent(window)
    # The same statement in a report a week later is background there.
    (later,) = build_units(
        [school],
        {doc.id: replace(doc, published=date(2016, 11, 1))},
        {},
        load_tables(),
        LinkParams(),
    )
    assert not later.recent(window)


KEATING = "re3d-da2d891510"  # U.S. Central Command, public domain; "May 4" in its title
KEATING_QUOTE = (
    "Navy Special Warfare Operator 1st Class Charles H. Keating IV, who was killed "
    "yesterday in northern Iraq"
)
DAYTON = "re3d-f335ef7d68"  # U.S. Central Command, public domain
DAYTON_QUOTE = (
    "Navy Senior Chief Petty Officer Scott C. Dayton, 42, of Woodbridge, Virginia, died "
    "Nov. 24 in northern Syria"
)


def _statement(doc_id: str, published: date | None, quote: str, place: Place, t: TimeRef) -> Claim:
    rec = next(r for r in demo_records() if r["id"] == doc_id)
    doc = make_document(rec["text"], id=doc_id, title=rec.get("title"), published=published)
    return replace(_claim(doc, quote, Count(1, 1, "", "singular"), place, t), id=doc_id)


def test_two_reports_each_of_its_own_days_months_apart_tell_of_two_events() -> None:
    # Two templated casualty statements, each telling of a death of its own days: Keating
    # "killed yesterday" (statement of 4 May 2016) and Dayton, who "died Nov. 24"
    # (dated here 26 November 2016: the corpus gives no date; it cites "a DoD news
    # release issued yesterday"). Months apart, each the news of its report: two deaths,
    # not a follow-up referring back to one.
    iraq = Place(
        "northern Iraq", qualifier="northern", name="Iraq", country="IQ", precision="country"
    )
    syria = Place(
        "northern Syria", qualifier="northern", name="Syria", country="SY", precision="country"
    )
    may3 = TimeRef("yesterday", date(2016, 5, 3), date(2016, 5, 3), "day")
    nov24 = TimeRef("Nov. 24", date(2016, 11, 24), date(2016, 11, 24), "day")

    def affinity(pub_a: date | None, pub_b: date | None) -> float:
        a = _statement(KEATING, pub_a, KEATING_QUOTE, iraq, may3)
        b = _statement(DAYTON, pub_b, DAYTON_QUOTE, syria, nov24)
        docs = {
            d.id: d
            for d in (
                make_document(r["text"], id=r["id"], title=r.get("title"))
                for r in demo_records()
                if r["id"] in (KEATING, DAYTON)
            )
        }
        docs = {k: replace(v, published=pub_a if k == KEATING else pub_b) for k, v in docs.items()}
        params = LinkParams()
        units = build_units([a, b], docs, {}, load_tables(), params)
        text = TextIndex(list(docs.values()), load_tables().stopwords)
        pairs = np.array([[0, 1]], dtype=np.int64)
        return float(score_pairs(units, pairs, text, params)[0])

    news = affinity(date(2016, 5, 4), date(2016, 11, 26))
    # The same statements without publication dates: nothing says they are news.
    undated = affinity(None, None)
    assert news == pytest.approx(undated - 1.0)
    # A report published long after the date it states refers back to it: no penalty.
    assert affinity(date(2016, 5, 4), date(2017, 1, 20)) == pytest.approx(undated)
