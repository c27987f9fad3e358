"""Copy detection on real text: the seed article (RT, 2016-10-25) republished whole,
cut to its first half, extended by a paragraph, or under another headline; and the
demo corpus, whose different documents must not be linked as copies."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import demo_records
from tolltrace.link import find_copies
from tolltrace.link.copies import CopyDetector
from tolltrace.records import Document

D = date(2016, 10, 25)


def doc(doc_id: str, text: str, published: date | None = D, title: str | None = None) -> Document:
    return Document(id=doc_id, text=text, content_hash=doc_id, title=title, published=published)


def demo_doc(doc_id: str) -> Document:
    r = next(r for r in demo_records() if r["id"] == doc_id)
    return doc(r["id"], r["text"], None, r["title"])


@pytest.fixture(scope="module")
def demo() -> list[Document]:
    return [
        doc(
            r["id"],
            r["text"],
            date.fromisoformat(r["published"]) if r["published"] else None,
            r["title"],
        )
        for r in demo_records()
    ]


def _other_paragraph() -> str:
    # A real paragraph from another demo document (U.S. Department of State, "Rocket
    # Attack on Camp Hurriya in Iraq"), appended as a republisher's addition.
    text = demo_doc("re3d-a42dd1a381").text
    return max(text.split("\n"), key=len)


def test_perturbed_copies_of_the_seed_point_at_it(seed_text: str) -> None:
    seed = doc(
        "rt",
        seed_text,
        title="60 civilians killed, 200 injured as US-led coalition "
        "strikes Mosul residential areas – Russian MoD",
    )
    half = doc("half", seed_text[: len(seed_text) // 2], date(2016, 10, 26))
    longer = doc("longer", seed_text + "\n\n" + _other_paragraph(), date(2016, 10, 26))
    retitled = doc("retitled", seed_text, date(2016, 10, 27), title="Russia accuses coalition")
    links = {c.document_id: c for c in find_copies([half, longer, seed, retitled])}
    assert set(links) == {"half", "longer", "retitled"}
    assert {c.origin_id for c in links.values()} == {"rt"}
    assert links["retitled"].similarity > 0.95
    # A cut copy has a Jaccard near 0.5; what makes it a copy is containment.
    assert links["half"].similarity > 0.85


def test_origin_on_a_tie_is_the_text_that_contains_the_others(seed_text: str) -> None:
    half = doc("a-half", seed_text[: len(seed_text) // 2])
    whole = doc("z-whole", seed_text)
    (link,) = find_copies([half, whole])
    assert (link.document_id, link.origin_id) == ("a-half", "z-whole")


def test_origin_is_the_earliest_published(seed_text: str) -> None:
    early = doc("z-early", seed_text[: len(seed_text) // 2], date(2016, 10, 24))
    late = doc("a-late", seed_text, date(2016, 10, 25))
    (link,) = find_copies([late, early])
    assert link.origin_id == "z-early"


def test_different_demo_documents_are_not_copies(demo: list[Document]) -> None:
    # The demo corpus holds no republished article: 89 distinct documents, among them
    # CENTCOM's templated daily strike reports of consecutive days (different events).
    assert find_copies(demo) == ()


def test_copy_hidden_in_a_corpus_is_found(demo: list[Document], seed_text: str) -> None:
    copy = doc("copy", seed_text + "\n\n" + _other_paragraph(), date(2016, 10, 26))
    links = find_copies([*demo, copy])
    assert [(c.document_id, c.origin_id) for c in links] == [("copy", "seed-000")]


def test_short_texts_are_never_copies() -> None:
    # Two RT headlines quoted in the seed share words but are different stories.
    a = doc("a", "US-led coalition strike killed dozens of civilian mourners 30km from Kirkuk")
    b = doc("b", "US-led coalition strike killed dozens of civilian mourners 30km from Kirkuk")
    assert find_copies([a, b]) == ()


def test_signature_is_the_same_in_every_detector(seed_text: str) -> None:
    s1, n1 = CopyDetector().signature(seed_text)
    s2, n2 = CopyDetector().signature(seed_text)
    assert n1 == n2 > 300
    assert (s1 == s2).all()
