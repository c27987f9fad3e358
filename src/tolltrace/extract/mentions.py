"""Mentions that belong to a claim: victims, perpetrator, means, place and time.

Every function reads one parsed sentence (a spaCy ``Doc`` of the sentence alone) and
the tokens a claim was built on; offsets are sentence-relative and the caller adds the
sentence's start. Only mentions are found here; resolving them (gazetteer, dates,
claimant names) is :mod:`tolltrace.resolve`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from tolltrace.extract.lexicon import Lexicon
from tolltrace.records import Place, TimeRef, Victims

__all__ = [
    "find_means",
    "find_perpetrator",
    "find_place",
    "find_time",
    "means_mentions",
    "tree_distance",
    "victims_of",
]

_DIRECTIONS = frozenset(
    [
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "north",
        "south",
        "east",
        "west",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
        "north-eastern",
        "north-western",
        "south-eastern",
        "south-western",
        "downtown",
        "rural",
        "suburban",
    ]
)
_NEAR_PREPS = frozenset({"near", "outside", "nearby", "around", "close", "outskirts"})
_PLACE_PREPS = frozenset({"in", "at", "near", "outside", "from", "on", "inside", "around"})
_UNITS = frozenset({"km", "kilometers", "kilometres", "miles", "mi", "m", "meters", "metres"})
_DISTANCE = re.compile(r"\d+(?:\.\d+)?(?:km|mi|m)", re.IGNORECASE)
_DURATION_PREPS = frozenset({"during", "over", "since", "within", "for", "throughout"})
_TIME_RE = re.compile(
    r"\b(?:yesterday|today|tonight|last (?:night|week|month|year|weekend|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)|this (?:morning|afternoon|evening|week)|"
    r"(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?: (?:morning|"
    r"afternoon|evening|night))?|\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*(?: \d{2,4})?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? "
    r"\d{1,2}(?:, \d{4})?)\b",
    re.IGNORECASE,
)


def tree_distance(a: Token, b: Token) -> int:
    """Number of edges between two tokens of one parse."""
    up_a = {t.i: n for n, t in enumerate([a, *a.ancestors])}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in up_a:
            return n + up_a[t.i]
    return 99


def _text(doc: Doc, start: int, end: int, original: str) -> tuple[str, int, int]:
    """Original text (not the case-normalized one) of tokens [start, end)."""
    # a blanked dateline parses as whitespace tokens: never part of a mention
    while start < end - 1 and doc[start].is_space:
        start += 1
    s = doc[start].idx
    e = doc[end - 1].idx + len(doc[end - 1].text)
    return original[s:e], s, e


def victims_of(
    noun: Token, conjuncts: Iterable[Token], lex: Lexicon, original: str, wording_start: int
) -> Victims:
    """Group and descriptors of the victim phrase headed by ``noun``."""
    heads = [noun, *conjuncts]
    group = "unknown"
    descriptors: list[str] = []
    for h in heads:
        low = h.lower_
        g = lex.person_group.get(low)
        if g and (group == "unknown" or g != "unknown"):
            group = g if group == "unknown" else group
        if low in lex.descriptors and low not in descriptors:
            descriptors.append(low)
        for c in h.children:
            if c.dep_ in {"amod", "compound", "nmod"}:
                cl = c.lower_
                gm = lex.group_modifiers.get(cl)
                if gm:
                    group = gm
                if cl in lex.descriptors and cl not in descriptors:
                    descriptors.append(cl)
        if h.ent_type_ == "PERSON" and group == "unknown":
            group = "unknown"
    left = min(wording_start, min(h.left_edge.idx for h in heads))
    right_tok = max(heads, key=lambda t: t.i)
    right = right_tok.idx + len(right_tok.text)
    text = original[left:right] if right > left else None
    return Victims(group=group, descriptors=tuple(descriptors), text=text)


def _means_at(doc: Doc, i: int, lex: Lexicon) -> tuple[str | None, int]:
    """Means label of the phrase starting at token ``i`` (longest first) and its length."""
    if doc[i].lower_ not in lex.means_starts:
        return None, 0
    for n in (3, 2, 1):
        if i + n > len(doc):
            continue
        phrase = " ".join(t.lower_ for t in doc[i : i + n])
        if phrase in lex.means and lex.means[phrase] is not None:
            return lex.means[phrase], n
    return None, 0


def means_mentions(doc: Doc, lex: Lexicon) -> list[tuple[str, Token]]:
    """Every means phrase of a sentence: (label, its last token)."""
    out = []
    for t in doc:
        label, n = _means_at(doc, t.i, lex)
        if label is not None:
            out.append((label, doc[t.i + n - 1]))
    return out


def find_means(mentions: list[tuple[str, Token]], anchor: Token) -> tuple[str | None, Token | None]:
    """The means phrase nearest (in the tree) to ``anchor``, with its label."""
    best: tuple[int, str, Token] | None = None
    for label, head in mentions:
        d = tree_distance(anchor, head)
        if best is None or d < best[0]:
            best = (d, label, head)
    if best is None:
        return None, None
    return best[1], best[2]


def _modifier_text(head: Token, lex: Lexicon, original: str) -> str | None:
    """'US-led coalition' in 'US-led coalition airstrikes', 'Assad' in "Assad's jets"."""
    for c in head.children:
        if c.dep_ == "poss" and c.lower_ not in lex.means_stop:
            s, e = c.left_edge.i, c.i + 1
            if doc_text := _text(c.doc, s, e, original)[0]:
                return doc_text.removesuffix("'s").removesuffix("’s").strip() or None
    mods = [
        c
        for c in head.lefts
        if c.dep_ in {"compound", "amod", "nmod", "npadvmod"}
        and c.lower_ not in lex.means_stop
        and lex.means.get(c.lower_) is None
        and not c.like_num
    ]
    if mods:
        start = min(m.left_edge.i for m in mods)
        while start < head.i and head.doc[start].lower_ in lex.means_stop:
            start += 1
        if start < head.i:
            txt = _text(head.doc, start, head.i, original)[0].strip()
            return txt or None
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ in {"by", "from"}:
            for p in c.children:
                if p.dep_ == "pobj":
                    return _text(p.doc, p.left_edge.i, p.right_edge.i + 1, original)[0]
    return None


def find_perpetrator(
    trigger: Token, means_head: Token | None, lex: Lexicon, original: str
) -> str | None:
    """The perpetrator as claimed: 'by X', the active subject, or the means' modifiers."""
    for c in trigger.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    label, _ = _means_at(p.doc, p.i, lex)
                    if label is not None or lex.means.get(p.lower_):
                        return _modifier_text(p, lex, original)
                    return _text(p.doc, p.left_edge.i, p.right_edge.i + 1, original)[0]
    for c in trigger.children:
        # "killed at the hands of Assad and ISIL"
        if c.dep_ == "prep" and c.lower_ == "at":
            for p in c.children:
                if p.lower_ == "hands":
                    for of in p.children:
                        if of.lower_ == "of":
                            for who in of.children:
                                if who.dep_ == "pobj":
                                    return _text(
                                        who.doc, who.left_edge.i, who.right_edge.i + 1, original
                                    )[0]
    # the subject of "kill" did it; the subject of "flee" suffered it
    has_obj = any(c.dep_ == "dobj" for c in trigger.children)
    if has_obj and lex.verbs.get(trigger.lower_) != "displaced":
        for c in trigger.children:
            if c.dep_ == "nsubj":
                relative = c.lower_ in {"which", "that", "who"}
                if relative:
                    if c.head.dep_ != "relcl":
                        continue
                    c = c.head.head  # "attacks ... which killed": the attacks
                # "a series of precision U.S. airstrikes killed": the means' modifiers
                for t in c.subtree:
                    if lex.means.get(t.lower_) and t.pos_ in {"NOUN", "PROPN"}:
                        return _modifier_text(t, lex, original)
                if c.pos_ == "PRON" or relative:
                    continue
                return _text(c.doc, c.left_edge.i, c.right_edge.i + 1, original)[0]
    if means_head is not None:
        found = _modifier_text(means_head, lex, original)
        if found:
            return found
    # "guerrillas attacked the post ...; three soldiers were killed": the attacker
    for t in trigger.doc:
        if t.lower_ in lex.attack_verbs and t.pos_ == "VERB" and not _passive_verb(t):
            for c in t.children:
                if c.dep_ == "nsubj" and c.pos_ != "PRON" and c.i != trigger.i:
                    return _text(c.doc, c.left_edge.i, c.i + 1, original)[0].strip() or None
    return None


def _passive_verb(verb: Token) -> bool:
    return any(c.dep_ == "auxpass" for c in verb.children)


def _place_tokens(doc: Doc, upper: bool) -> list[Span]:
    # the actors of a sentence ("The United States condemns") are not where it happened
    spans = [
        e
        for e in doc.ents
        if e.label_ in {"GPE", "LOC", "FAC"} and e.root.dep_ not in {"nsubj", "nsubjpass", "dobj"}
    ]
    if spans or not upper:
        return spans
    # Upper-case text: NER sees a lower-cased copy and misses names, so take the
    # objects of place prepositions that are not time words.
    out = []
    for t in doc:
        if t.dep_ == "pobj" and t.head.lower_ in _PLACE_PREPS and t.pos_ in {"PROPN", "NOUN"}:
            if _TIME_RE.fullmatch(t.text) or t.ent_type_ in {"DATE", "TIME"}:
                continue
            left = t.i
            while left > 0 and doc[left - 1].dep_ in {"compound", "amod"}:
                left -= 1
            out.append(doc[left : t.i + 1])
    return out


def find_place(anchor: Token, lex: Lexicon, original: str, upper: bool) -> Place | None:
    """The place mention nearest to ``anchor``, with its qualifier."""
    doc = anchor.doc
    best: tuple[int, Span] | None = None
    for span in _place_tokens(doc, upper):
        d = tree_distance(anchor, span.root)
        if best is None or d < best[0]:
            best = (d, span)
    if best is None:
        return None
    span = best[1]
    text = _text(doc, span.start, span.end, original)[0]
    qualifier = None
    root = span.root
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in _DIRECTIONS:
        qualifier = original[before.idx : before.idx + len(before.text)]
    head = root.head
    if root.dep_ == "pobj" and head.dep_ == "prep":
        prep = head.lower_
        if prep == "from":
            # "30km from Kirkuk", "30 miles from": a distance just before the preposition
            k = head.i - 1
            if k >= 0 and _DISTANCE.fullmatch(doc[k].text):
                qualifier = _text(doc, k, head.i + 1, original)[0]
            elif k >= 1 and doc[k].lower_ in _UNITS and doc[k - 1].like_num:
                qualifier = _text(doc, k - 1, head.i + 1, original)[0]
        elif prep in _NEAR_PREPS:
            qualifier = prep
        elif prep == "of" and head.head.lower_ in {"outskirts", "edge", "suburbs", "outside"}:
            qualifier = "outskirts of" if head.head.lower_ == "outskirts" else head.head.lower_
    return Place(text=text, qualifier=qualifier)


def find_time(anchor: Token, original: str) -> TimeRef | None:
    """The time expression nearest to ``anchor`` ("last Friday", "during three days")."""
    doc = anchor.doc
    best: tuple[int, Span] | None = None
    for e in doc.ents:
        if e.label_ not in {"DATE", "TIME"}:
            continue
        if "old" in e.text.lower() or "year-old" in e.text.lower():
            continue  # ages come out of NER as dates
        d = tree_distance(anchor, e.root)
        if best is None or d < best[0]:
            best = (d, e)
    if best is not None:
        span = best[1]
        start = span.start
        root = span.root
        if root.dep_ == "pobj" and root.head.lower_ in _DURATION_PREPS and root.head.i == start - 1:
            start -= 1
        return TimeRef(text=_text(doc, start, span.end, original)[0])
    m = _TIME_RE.search(original)
    if m:
        return TimeRef(text=m.group(0))
    return None
