"""Mentions that belong to a claim: victims, means, place and time (the perpetrator
is :mod:`tolltrace.extract.perpetrators`).

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


def left_edge(tok: Token) -> Token:
    """The first word of a token's phrase (not a comma the parser hangs on it, nor the
    blank of a label or clause that extraction blanked for the parse)."""
    for t in tok.subtree:
        if not (t.is_space or (t.is_punct and t.i < tok.i)):
            return t
    return tok


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
    left = min(wording_start, min(left_edge(h).idx for h in heads))
    right_tok = max(heads, key=lambda t: t.i)
    right = right_tok.idx + len(right_tok.text)
    text = original[left:right] if right > left else None
    return Victims(group=group, descriptors=tuple(descriptors), text=text)


def _means_at(doc: Doc, i: int, lex: Lexicon) -> tuple[str | None, int]:
    """Means label of the phrase starting at token ``i`` (longest first) and its length;
    a phrase of several words listed without a label ("general strike") is no means,
    and none of its words is one: (None, its length)."""
    if doc[i].lower_ not in lex.means_starts:
        return None, 0
    for n in (3, 2, 1):
        if i + n > len(doc):
            continue
        phrase = " ".join(t.lower_ for t in doc[i : i + n])
        if phrase in lex.means:
            if lex.means[phrase] is not None:
                return lex.means[phrase], n
            if n > 1:
                return None, n
    return None, 0


def means_mentions(doc: Doc, lex: Lexicon) -> list[tuple[str, Token]]:
    """Every means phrase of a sentence: (label, its last token)."""
    out = []
    i = 0
    while i < len(doc):
        label, n = _means_at(doc, i, lex)
        if label is not None:
            out.append((label, doc[i + n - 1]))
        i += max(n, 1) if label is None else 1
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


# Words a place name follows with "of" ("the town of Hostigal", "the department of
# Bolivar"), or that a place name may modify and still be where something happened ("the
# city's Kensington section").
_PLACE_KINDS = frozenset(
    {
        "town",
        "towns",
        "city",
        "cities",
        "village",
        "villages",
        "hamlet",
        "department",
        "departments",
        "province",
        "provinces",
        "governorate",
        "municipality",
        "municipalities",
        "district",
        "neighborhood",
        "neighbourhood",
        "suburb",
        "suburbs",
        "outskirts",
        "region",
        "state",
        "county",
        "jurisdiction",
        "canton",
        "parish",
        "township",
        "edge",
    }
)
# Kinds whose name the resolver reads as a province when the mention keeps the word
# ("the department of Bolivar" is no town called Bolivar).
_AREA_KINDS = frozenset(
    {"department", "province", "governorate", "region", "state", "county", "jurisdiction"}
)
_AREA_WORDS = _PLACE_KINDS | {"section", "area", "side", "part", "sector", "border"}
# Words that end a description of a place rather than a name ("RESIDENTIAL AREAS IN
# MOSUL": Mosul is the name to look up)
_GENERIC_AREAS = frozenset(
    {
        "area",
        "areas",
        "side",
        "part",
        "parts",
        "sector",
        "sectors",
        "section",
        "sections",
        "zone",
        "zones",
        "border",
        "outskirts",
        "suburbs",
        "neighborhoods",
        "neighbourhoods",
    }
)
_BEARINGS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "north-east",
        "north-west",
        "south-east",
        "south-west",
    }
)
# Particles inside Spanish and Portuguese names ("Santa Maria del Valle", "Corral de
# Piedras"): part of a name between its words, never at either end.
_NAME_PARTICLES = frozenset({"de", "del", "la", "las", "los", "el", "da", "do", "dos", "das", "y"})
# "in addition to", "in view of", "in charge of", "in reprisal for": a lone noun followed
# by one of these is an idiom, not a place.
_IDIOM_NEXT = frozenset({"of", "for", "to", "with"})
_NOT_NAME_POS = frozenset(
    {
        "ADP",
        "ADV",
        "AUX",
        "CCONJ",
        "DET",
        "INTJ",
        "NUM",
        "PART",
        "PRON",
        "PUNCT",
        "SCONJ",
        "SPACE",
        "SYM",
        "VERB",
    }
)
# The actors of a sentence ("The United States condemns") are not where it happened.
_ACTOR_DEPS = frozenset({"nsubj", "nsubjpass", "dobj"})
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss", "npadvmod"})


# Nouns that follow "in" or "at" without being places, beyond the lexicon's words
# ("LOST IN PROPERTY DAMAGE", "IN PARTICULAR", "AT GUNPOINT").
_NOT_PLACE_WORDS = frozenset(
    {
        "damage",
        "damages",
        "losses",
        "particular",
        "general",
        "gunpoint",
        "custody",
        "retaliation",
        "reprisal",
        "revenge",
        "protest",
        "solidarity",
        "turn",
        "fact",
        "spite",
        "time",
        "times",
        "television",
        "radio",
        "cash",
        "dollars",
        "need",
    }
)


def _known_word(low: str, lex: Lexicon) -> bool:
    """A word the lexicon knows as an effect, event, means, person, condition or month:
    no place name ("PROPERTY DAMAGE" aside, most non-places after "in" in upper-case
    text are such words: "IN THE ATTACK", "RESULTED IN TWO INJURIES")."""
    return (
        low in _NOT_PLACE_WORDS
        or low in lex.effect_words
        or low in lex.nouns
        or low in lex.injury_nouns
        or low in lex.person_group
        or lex.means.get(low) is not None
        or low in lex.not_people
        or low in lex.hospital_nouns
        or low in lex.conditions
        or low in lex.months
        or low in lex.attack_verbs
    )


def _name_word(t: Token, lex: Lexicon) -> bool:
    """Whether a token of upper-case text can be a word of a place name: a content word
    (not a function word, verb, number or punctuation), no time word, no word the
    lexicon knows as something else."""
    if not any(c.isalpha() for c in t.text) or t.is_stop or t.pos_ in _NOT_NAME_POS:
        return False
    if t.ent_type_ in {"DATE", "TIME"} or _TIME_RE.fullmatch(t.text):
        return False
    return not _known_word(t.lower_, lex)


def _name_run(doc: Doc, i: int, lex: Lexicon) -> Span | None:
    """The place name that starts at token ``i`` of upper-case text (after a place
    preposition): the run of name words and inner particles ("SANTA MARIA DEL VALLE",
    "SOYAPANGO CITY", "CHALATENANGO DEPARTMENT"); ``None`` when the preposition is
    followed by a determiner ("IN THE ATTACK"), a number, a known non-place word or an
    idiom ("IN ADDITION TO")."""
    j = i
    while j < len(doc) and (
        _name_word(doc[j], lex)
        or (j > i and doc[j].lower_ in _NAME_PARTICLES)
        # "AL-KUWAITI", "MID-LEVEL": a hyphen inside a word joins it
        or (j > i and doc[j].text == "-" and not doc[j - 1].whitespace_ and not doc[j].whitespace_)
    ):
        j += 1
    while j > i and doc[j - 1].text == "-":
        j -= 1
    while j > i and doc[j - 1].lower_ in _NAME_PARTICLES:
        j -= 1
    if j == i:
        return None
    if j < len(doc) and doc[j].pos_ in {"NOUN", "PROPN"} and _known_word(doc[j].lower_, lex):
        return None  # "IN PROPERTY DAMAGE", "IN POLICE CUSTODY": a common phrase
    if j - i == 1 and j < len(doc) and doc[j].lower_ in _IDIOM_NEXT:
        return None
    return doc[i:j]


def _upper_candidates(doc: Doc, lex: Lexicon) -> list[tuple[int, Span, Token | None]]:
    """Place names of an upper-case sentence, which is parsed lower-cased (NER and the
    tagger see no capitals, so they miss names and take common nouns for places): the
    names that follow a place preposition ("IN SAN RAMON", "NEAR HUANCAYO", "30 KM FROM
    BOGOTA"), a place kind ("THE TOWN OF HOSTIGAL", "THE DEPARTMENT OF BOLIVAR") or a
    bearing ("415 KM SOUTH OF LIMA") (rank 0); a city NER finds inside a phrase after a
    place preposition ("AT THE SAN SALVADOR CENTRAL MARKET", "IN A BOGOTA SUBURB") (rank
    1). "FROM X" without a distance is where a report, a person or a flight came from,
    not where it happened."""
    places = [e for e in doc.ents if e.label_ in {"GPE", "LOC"}]
    out: list[tuple[int, Span, Token | None]] = []
    for p in doc:
        low = p.lower_
        before = doc[p.i - 1].lower_ if p.i > 0 else ""
        if low == "of":
            if before not in _PLACE_KINDS and before not in _BEARINGS:
                continue
        elif low == "from":
            if (
                _distance_before(doc, p.i - 1) is None
                and before != "across"
                and not _is_person(p.head, lex)
            ):
                continue
        elif low not in _PLACE_PREPS:
            continue
        span = _name_run(doc, p.i + 1, lex)
        if span is None:
            # "AT THE SAN SALVADOR CENTRAL MARKET": a city inside the phrase
            j = p.i + 1
            while j < len(doc) and doc[j].pos_ in {"DET", "ADJ"} and not doc[j].ent_type_:
                j += 1
            inside = _name_run(doc, j, lex) if j > p.i + 1 else None
            if inside is not None:
                for e in places:
                    if inside.start <= e.start and e.end <= inside.end:
                        out.append((1, e, p))
                        break
            continue
        # "AT BOGOTA AIRPORT": the city NER finds at the start of a longer name whose
        # other words are common nouns, no kind of place ("CHALATENANGO DEPARTMENT" and
        # "SANTA MARIA DEL VALLE" stay whole)
        for e in places:
            if (
                e.start == span.start
                and e.end < span.end
                and all(
                    t.pos_ == "NOUN" and t.lower_ not in _PLACE_KINDS for t in doc[e.end : span.end]
                )
            ):
                span = e
                break
        if low == "of" and before in _AREA_KINDS:
            # keep the kind: "DEPARTMENT OF BOLIVAR" names a province
            span = doc[p.i - 1 : span.end]
        # "COUNCILMAN X FROM PIURA": where the victim is from, likely where it happened;
        # "A GANG LEADER IN RAQQAH": where a person holds office; "RESIDENTIAL AREAS"
        rank = int(
            (low == "from" and before != "across" and _distance_before(doc, p.i - 1) is None)
            or (low != "of" and _is_person(p.head, lex))
            or span[-1].lower_ in _GENERIC_AREAS
        )
        out.append((rank, span, p))
    return _locating_last(out)


_ABOUT = frozenset({"about", "approximately", "some", "nearly", "around", "roughly", "almost"})


def _locating_last(
    cands: list[tuple[int, Span, Token | None]],
) -> list[tuple[int, Span, Token | None]]:
    """'PIURA, 1,100 KM NORTH OF LIMA', 'Sonsonate, 50 km west of San Salvador': the
    second place only locates the first, so it ranks last; 'Tel Tamer in Hasaka
    Province': the second place holds the first, which is more precise (unless the
    first is only a street address: 'the 2400 block of East Avenue in Palmdale')."""
    ends = {span.end for _, span, _ in cands}
    firm_ends = {span.end for rank, span, _ in cands if rank == 0}
    out = []
    for rank, span, prep in cands:
        doc = span.doc
        k = None
        if prep is not None and prep.lower_ in {"of", "from"}:
            word = prep.i - 1 if prep.lower_ == "from" else prep.i - 2
            if word >= 0 and (prep.lower_ == "from" or doc[word + 1].lower_ in _BEARINGS):
                k = _distance_before(doc, word)
        if k is not None and k >= 1 and doc[k - 1].lower_ in _ABOUT:
            k -= 1  # "AYAPEL MUNICIPALITY, APPROXIMATELY 500 KM NORTHWEST OF BOGOTA"
        if k is not None and k >= 1 and doc[k - 1].text in {",", "("} and k - 1 in ends:
            rank = 2
        elif prep is not None and prep.lower_ == "in" and prep.i in firm_ends:
            # "the town of Tel Tamer in Hasaka Province": the province holds the town
            rank = max(rank, 1)
        out.append((rank, span, prep))
    return out


def _is_person(t: Token, lex: Lexicon) -> bool:
    return t.ent_type_ == "PERSON" or t.pos_ == "PROPN" or t.lower_ in lex.person_group


def _of_person(root: Token, lex: Lexicon) -> bool:
    """'Raekwon Shannon of Spokane', 'the mayor of Achi': where a person is from."""
    if root.dep_ != "pobj" or root.head.lower_ != "of":
        return False
    return _is_person(root.head.head, lex)


def _mixed_candidates(doc: Doc, lex: Lexicon) -> list[tuple[int, Span, Token | None]]:
    """Place mentions of a mixed-case sentence with a rank (lower is likelier): places
    NER finds and proper names after a place preposition that it leaves untagged (rank
    0); street addresses, destinations and containers after a comma (1); a place that
    only describes a person or thing ("a Florida mother", "Los Angeles County
    coroner's records", "Shannon of Spokane") (2)."""
    out: list[tuple[int, Span, Token | None]] = []
    covered: set[int] = set()
    places = [e for e in doc.ents if e.label_ in {"GPE", "LOC", "FAC"}]
    ends = {e.end for e in places}
    for e in places:
        covered.update(range(e.start, e.end))
        root = e.root
        if root.dep_ in _ACTOR_DEPS:
            continue
        prep = _preposition(root)
        # "in the 500 block of Paxon Street" (an address: the town holds it), "taken
        # to Temple University Hospital" (where the victim went), "Tabqa Dam, Syria"
        # (the country only holds the dam): less likely than another place
        rank = int(
            (prep is not None and prep.lower_ == "of" and prep.head.lower_ == "block")
            or (prep is not None and prep.lower_ == "to")
            or (e.start > 0 and doc[e.start - 1].text == "," and e.start - 1 in ends)
        )
        attributive = (
            root.dep_ in _MODIFIER_DEPS
            and not e.start <= root.head.i < e.end
            and root.head.lower_ not in _AREA_WORDS
        )
        # "the central Ukrainian city of Dnipro": the city is the one the "of" names
        named_kind = (
            root.dep_ == "amod"
            and root.head.lower_ in _PLACE_KINDS
            and any(
                c.dep_ == "prep" and c.lower_ == "of" and any(p.dep_ == "pobj" for p in c.children)
                for c in root.head.children
            )
        )
        if attributive or named_kind or _of_person(root, lex):
            rank = 2
        elif prep is not None and prep.lower_ != "of" and _is_person(prep.head, lex):
            rank = max(rank, 1)  # "an ISIL gang leader in Raqqah": where a person serves
        out.append((rank, e, prep))
    for t in doc:
        # "the rebel-held town of Maarat al-Numan": a name a place kind introduces is a
        # place whatever entity the tagger took it for (here a person)
        kind_of = (
            t.head.lower_ == "of"
            and t.head.head.i != t.head.i
            and t.head.head.lower_ in _PLACE_KINDS
            and t.ent_type_ not in {"DATE", "TIME", "CARDINAL", "ORDINAL"}
        )
        if (
            t.i in covered
            or t.dep_ != "pobj"
            or (t.head.lower_ not in _PLACE_PREPS and not kind_of)
            or t.pos_ != "PROPN"
            or (t.ent_type_ and not kind_of)
            or not t.text[:1].isupper()
            or _TIME_RE.fullmatch(t.text)
            or _known_word(t.lower_, lex)
        ):
            continue
        left = t.i
        while (
            left > 0
            and left - 1 not in covered
            and doc[left - 1].dep_ == "compound"
            and doc[left - 1].pos_ == "PROPN"
            and (kind_of or not doc[left - 1].ent_type_)
        ):
            left -= 1
        while kind_of and left > 0 and doc[left].ent_iob_ == "I":
            left -= 1  # the whole name the tagger found ("Maarat al-Numan")
        out.append((0, doc[left : t.i + 1], t.head))
    return _locating_last(out)


def _preposition(root: Token) -> Token | None:
    if root.dep_ == "pobj" and root.head.dep_ == "prep":
        return root.head
    return None


def _distance_before(doc: Doc, k: int) -> int | None:
    """Index of the distance ending at token ``k`` ("30km", "30 KM", "415 miles")."""
    if k >= 0 and _DISTANCE.fullmatch(doc[k].text):
        return k
    if k >= 1 and doc[k].lower_ in _UNITS and doc[k - 1].like_num:
        return k - 1
    return None


def _qualifier(span: Span, prep: Token | None, original: str) -> str | None:
    """The mention's qualifier: "near", "30km from", "415 KM SOUTH OF", "southern",
    "outskirts of"."""
    doc = span.doc
    qualifier = None
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in _DIRECTIONS:
        qualifier = original[before.idx : before.idx + len(before.text)]
    if prep is None:
        return qualifier
    low = prep.lower_
    if low == "from":
        # "30km from Kirkuk", "30 miles from": a distance just before the preposition
        k = _distance_before(doc, prep.i - 1)
        if k is not None:
            qualifier = _text(doc, k, prep.i + 1, original)[0]
    elif low in _NEAR_PREPS:
        qualifier = low
    elif low == "of" and prep.i > 0:
        word = doc[prep.i - 1]
        if word.lower_ in _BEARINGS:
            # "30 km south of Kirkuk": the resolver moves the point that far that way
            k = _distance_before(doc, word.i - 1)
            if k is not None:
                qualifier = _text(doc, k, prep.i + 1, original)[0]
        elif word.lower_ in {"outskirts", "edge", "suburbs", "outside"}:
            qualifier = "outskirts of" if word.lower_ == "outskirts" else word.lower_
        elif prep.head.lower_ in {"outskirts", "edge", "suburbs", "outside"}:
            head = prep.head.lower_
            qualifier = "outskirts of" if head == "outskirts" else head
    return qualifier


def find_place(anchor: Token, lex: Lexicon, original: str, upper: bool) -> Place | None:
    """The place mention of the claim built on ``anchor``, with its qualifier: the
    likeliest candidate (see ``_mixed_candidates``; in upper-case text, a name after a
    place preposition, ``_upper_candidates``), the nearest to ``anchor`` in the parse
    among equals."""
    doc = anchor.doc
    cands = _upper_candidates(doc, lex) if upper else _mixed_candidates(doc, lex)
    if not cands:
        return None
    _, span, prep = min(cands, key=lambda c: (c[0], tree_distance(anchor, c[1].root), c[1].start))
    qualifier = _qualifier(span, prep, original)
    text = _text(doc, span.start, span.end, original)[0]
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
