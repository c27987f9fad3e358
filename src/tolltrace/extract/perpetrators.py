"""The perpetrator of a claim, as claimed: who the report says did it.

Sentence level (:func:`find_perpetrator`), from the effect word of the claim: "killed
by X", "at the hands of X", the subject of an active "killed", the doer of the means
("US-led coalition airstrikes", "Assad's jets", "a raid conducted by the U.S.
military"), the subject of an attack verb of the sentence.

Mentions (:func:`perpetrator_mentions`), in any parsed sentence: the doer a sentence
frames around a deed — "X claimed responsibility for the murder of", "blamed X for",
"X was charged with murder in the death of", "accused X of", "attributed to X",
"police identified the shooter as X", "the suspect, X", "X opened fire", "X shot and
killed Y", "was kidnapped by X". A claim whose effect word names no doer takes the
nearest mention of its own sentence; failing that, the report's one perpetrator
(:func:`report_perpetrator`): every specific mention of the report names the same doer
("Rhythm Portee" and "Portee"), never a victim of the report's claims, never the
claim's claimant.

Every phrase is cleaned: no leading date or preposition ("ON 10 MARCH ALLEGED SHINING
PATH MEMBERS" gives "SHINING PATH MEMBERS"), no hedge (a claim has no place for a
perpetrator's hedge), no phrase that only tells when or what kind ("OCTOBER", "fatal",
"mass"), no pronoun, event or thing ("the operation", "video"), whitespace collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from spacy.lang.en.stop_words import STOP_WORDS as _STOP_WORDS
from spacy.tokens import Doc, Token

from tolltrace.extract.lexicon import Lexicon
from tolltrace.extract.mentions import _means_at, tree_distance

__all__ = [
    "Mention",
    "claim_doer",
    "clean_span",
    "doer_key",
    "find_perpetrator",
    "may_name_doer",
    "nearest_mention",
    "party_core",
    "perpetrator_mentions",
    "report_perpetrator",
    "span_text",
]

_OPEN = {"[": "]", "(": ")"}
_CLOSE = {"]": "[", ")": "("}
_QUOTES = frozenset({'"', "'", "“", "”", "‘", "’", "\\"})
# Right-hand parts of a noun phrase that still name the doer ("forces of either the
# Asad regime or Russia", "the suspect, Maurice Alexander", "Assad and ISIL",
# "individuals wearing military uniforms"); relative clauses and other prepositional
# phrases ("against al-Qaida operatives this week in ...") describe something else.
_KEEP_RIGHT = frozenset({"appos", "conj", "cc", "compound", "nmod", "amod", "nummod", "acl"})
_KEEP_PREPS = frozenset({"of", "from"})
# Preposition chains from a frame verb down to its deed: "charged with murder",
# "arrested in the death of", "on suspicion of murder", "in connection with".
_DEED_PREPS = frozenset(
    {"for", "with", "in", "of", "on", "over", "to", "after", "behind", "during", "into"}
)
# "A SELF-NAMED ULTRA-RIGHT-WING COMMANDO UNIT, THE "GERARDO BARRIOS CIVIC FORCE" [FUERZA
# CIVICA GERARDO BARRIOS]" is 25 tokens; longer ones are clauses the parse ran together.
_MAX_PHRASE_TOKENS = 32
# "charged him with murder": a pronoun object takes the object of the verb before it
# ("arrested Zachary Alexander, 26, and charged him").
_PRONOUNS = frozenset(
    {"he", "she", "they", "him", "her", "them", "it", "who", "which", "that", "whom", "we", "i"}
)
_TARGET_PREPS = frozenset({"against", "on", "at", "toward", "towards", "upon"})
_NOBODY = frozenset(
    {"ones", "one", "those", "these", "nobody", "none", "anyone", "anybody", "everyone"}
)
_FRAME_VERBS = frozenset(
    {"arrested", "charged", "identified", "booked", "detained", "held", "jailed", "named"}
)
# a heading's or a site name's separators: "UPDATE: ...", "... « CBS Denver", "... | WGEM"
_SEPARATORS = frozenset({":", "«", "»", "|", "•"})
_DASHES = frozenset({"—", "--", "–", "-—"})
_BE = frozenset({"is", "was", "are", "were", "be", "been"})
_KEY_STOP = frozenset({"the", "a", "an", "of", "and", "or", "s", "jr", "sr", "ii", "iii"})


@dataclass(frozen=True, slots=True)
class Mention:
    """A doer a sentence names: its cleaned text and where it stands in the document."""

    text: str
    start: int  # offsets into the document text
    end: int
    segment: int  # index of its sentence (Segment.index)
    anchor: int  # token index, in its sentence's parse, of the deed it is tied to
    key: frozenset[str]  # its content words, for telling doers apart
    specific: bool  # names someone ("Rhythm Portee", "THE FMLN"), not "a man", "the suspect"
    harm: bool  # tied to harm done ("charged with murder"), not only to an act ("attacked")
    shooter: bool = False  # the subject of an active "shot", "opened fire", "killed"


def doer_key(text: str) -> frozenset[str]:
    """Content words of a doer's phrase, case, accents and apostrophes folded ("Dae'sh"
    and "Da’esh" are one word)."""
    bare = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in bare if not unicodedata.combining(c)).casefold()
    bare = re.sub(r"['’`‘]", "", bare)
    return frozenset(w for w in re.findall(r"\w+", bare) if w not in _KEY_STOP)


# -- phrases ----------------------------------------------------------------------------


def _time_like(t: Token, lex: Lexicon) -> bool:
    return t.lower_.rstrip(".") in lex.perpetrators.time_words  # "Dec." too


def _phrase_span(head: Token, lex: Lexicon) -> tuple[int, int]:
    """Token range of the noun phrase headed by ``head``, without the right-hand parts
    that describe something else (relative clauses, most prepositional phrases)."""
    start = head.left_edge.i
    end = head.i + 1
    comma = False
    for c in head.rights:
        if c.dep_ == "punct":
            comma = comma or c.text == ","
            continue
        if comma and (c.dep_ != "appos" or c.like_num or c.pos_ == "NUM"):
            break  # "Markale Deandra Hart, 22, of Camp Hill": the name, not age and home
        if c.dep_ == "acl" and any(_is_deed(x, lex) for x in c.subtree):
            break  # "a 16-year-old girl accused of shooting an 18-year-old man": the charge
        if c.dep_ == "acl" and c.right_edge.i - c.left_edge.i >= 8:
            break  # a clause of its own, not a description of the doer
        if c.dep_ in _KEEP_RIGHT or (
            c.dep_ == "prep"
            and c.lower_ in _KEEP_PREPS
            # "accused the guerrillas of firing rockets", "convicted Leonard of capital
            # murder": the charge, not the doer
            and not any(p.dep_ == "pcomp" or _is_deed(p, lex) for p in c.children)
        ):
            end = c.right_edge.i + 1
        else:
            break
    return start, end


def _balance(doc: Doc, s: int, e: int, lex: Lexicon) -> tuple[int, int]:
    """Take in the other half of a bracket the span opens or closes: "THE MRTA [TUPAC
    AMARU REVOLUTIONARY MOVEMENT]" from a parse that splits it at the bracket."""
    depth: list[int] = []
    first_unmatched_close = None
    for i in range(s, e):
        if doc[i].text in _OPEN:
            depth.append(i)
        elif doc[i].text in _CLOSE:
            if depth:
                depth.pop()
            elif first_unmatched_close is None:
                first_unmatched_close = i
    if first_unmatched_close is not None:
        want = _CLOSE[doc[first_unmatched_close].text]
        for j in range(s - 1, max(-1, s - 16), -1):
            if doc[j].text == want:
                s = j
                # the words the bracket glosses ("THE MRTA" before "[...]")
                while s > 0 and doc[s - 1].pos_ in {"NOUN", "PROPN", "DET", "ADJ", "X"}:
                    if s - 1 < j - 5 or _time_like(doc[s - 1], lex):
                        break
                    s -= 1
                break
    if depth:
        opener = depth[0]
        want = _OPEN[doc[opener].text]
        for j in range(e, min(len(doc), e + 16)):
            if doc[j].text == want:
                e = j + 1
                break
    elif e < len(doc) and doc[e].text in _OPEN:
        # a gloss right after the phrase: "FMLN [FARABUNDO MARTI NATIONAL LIBERATION
        # FRONT] GUERRILLAS", "ARMY OF NATIONAL LIBERATION (ELN) GUERRILLAS"
        want = _OPEN[doc[e].text]
        for j in range(e + 1, min(len(doc), e + 16)):
            if doc[j].text == want:
                e = j + 1
                if e < len(doc) and doc[e].lower_ in lex.perpetrators.agent_nouns:
                    e += 1
                break
    return s, e


def _matched(doc: Doc, i: int, s: int, e: int) -> bool:
    """Is the bracket at ``i`` matched by one inside [s, e)?"""
    t = doc[i].text
    if t in _OPEN:
        return any(doc[j].text == _OPEN[t] for j in range(i + 1, e))
    if t in _CLOSE:
        return any(doc[j].text == _CLOSE[t] for j in range(s, i))
    return False


def _trim(doc: Doc, s: int, e: int, lex: Lexicon) -> tuple[int, int]:
    """Drop the words on either edge that are no part of a name: dates and times,
    prepositions, hedges, stray punctuation, a possessive's "'s"."""
    words = lex.perpetrators
    in_date = False  # "On Monday, Dec. 26, Abu Jandal al-Kuwaiti": the day's number too
    while s < e:
        t = doc[s]
        nxt = doc[s + 1] if s + 1 < e else None
        if (
            t.is_space
            or (t.is_punct and not _matched(doc, s, s, e))
            or t.pos_ in {"ADP", "CCONJ", "SCONJ", "PART"}
            or t.lower_ in words.hedge_words
            or _time_like(t, lex)
            # "10 MARCH", "1145 [1745 GMT]"
            or (t.like_num and (in_date or nxt is None or _time_like(nxt, lex) or nxt.like_num))
        ):
            in_date = in_date or _time_like(t, lex)
            s += 1
            continue
        break
    while e > s:
        t = doc[e - 1]
        if (
            t.is_space
            or (t.is_punct and not _matched(doc, e - 1, s, e))
            or t.pos_ in {"ADP", "CCONJ", "SCONJ", "DET"}
            or t.lower_ in {"'s", "’s", "s"}
            or _time_like(t, lex)
            or (t.like_num and e - 1 > s and _time_like(doc[e - 2], lex))
            # a headline's verb the parse took for a noun: "Step-father shoots, kills
            # ..." (the doer is "Step-father")
            or (e - 1 > s and lex.present_verb(t.lower_))
        ):
            e -= 1
            continue
        break
    return s, e


def _head_of(doc: Doc, s: int, e: int) -> Token:
    """The token of [s, e) whose head lies outside it (the last such one)."""
    head = doc[e - 1]
    for i in range(s, e):
        t = doc[i]
        if t.head.i < s or t.head.i >= e or t.head.i == t.i:
            head = t
    return head


def _acceptable(doc: Doc, s: int, e: int, lex: Lexicon) -> bool:
    words = lex.perpetrators
    if e <= s or e - s > _MAX_PHRASE_TOKENS:
        return False
    toks = [doc[i] for i in range(s, e)]
    # a dateline the parse took for a subject ("BENTON TOWNSHIP, Mich. — A 30-year-old
    # ...", "December 15, 2014 AUBURN, Alabama --Auburn freshman ...")
    after = [doc[i].text for i in range(e, min(len(doc), e + 2))]
    if any(t.text in _DASHES or t.text in _SEPARATORS for t in toks) or (
        s <= 2 and any(a in _DASHES or a in {"-", "("} for a in after)
    ):
        return False
    # "nine wounded and of the three dead one": victims, not a doer
    if any(t.lower_ in lex.states for t in toks):
        return False
    content = [
        t
        for t in toks
        if t.pos_ in {"NOUN", "PROPN", "X", "ADJ", "NUM"}
        and not t.is_punct
        and not _time_like(t, lex)
        and not (t.like_num and t.pos_ == "NUM")
    ]
    if not content:
        return False
    head = _head_of(doc, s, e)
    low = head.lower_
    if head.pos_ == "PRON" or low in _PRONOUNS or low in _NOBODY:
        return False
    # "NO ONE HAS CLAIMED", "NEITHER THE GUERRILLAS NOR ANY OTHER ORGANIZATION"
    if any(doc[i].lower_ in {"no", "neither", "nor"} for i in range(s, e)):
        return False
    if low in words.event_nouns or _time_like(head, lex):
        return False
    # "the commercial area of the Al-Sinek neighborhood" (a misparsed "which killed")
    if low in words.place_nouns:
        return False
    # A means word heads no doer ("improvised explosive device"), unless it is one that
    # flies or shoots itself ("coalition aircraft", "gunmen").
    label, _ = _means_at(doc, head.i, lex)
    if (label is not None or lex.means.get(low)) and low not in words.agent_nouns:
        return False
    # nor does a deed ("SANTA CRUZ COUNTY HOMICIDES 2016", a list's heading)
    return not (lex.effect_of(low) or low in words.deed_nouns)


def clean_span(doc: Doc, s: int, e: int, lex: Lexicon) -> tuple[int, int] | None:
    """The cleaned token range of a doer's phrase, or ``None`` when it names no doer."""
    s, e = _trim(doc, s, e, lex)
    if e <= s:
        return None
    s, e = _balance(doc, s, e, lex)
    s, e = _trim(doc, s, e, lex)
    if not _acceptable(doc, s, e, lex):
        return None
    return s, e


def span_text(doc: Doc, s: int, e: int, original: str) -> tuple[str, int, int]:
    """Original wording of tokens [s, e), whitespace (line breaks) collapsed, with its
    sentence-relative character offsets."""
    cs = doc[s].idx
    ce = doc[e - 1].idx + len(doc[e - 1].text)
    return " ".join(original[cs:ce].split()), cs, ce


_NAME_AFTER_FIRST = re.compile(r"\S\s+\S*?[A-Z][a-z]")
_LOWER = re.compile(r"[a-z]")


def may_name_doer(text: str, lex: Lexicon) -> bool:
    """Can a sentence that is no claim name the doer (worth parsing for it)? It has a
    cue word (perpetrators.json "cue") and, in mixed-case text, a capitalised word after
    its first one: a name ("police arrested Zachary Alexander"), not only "the suspect
    fled". Upper-case text (MUC-4) hides names: any cue sentence."""
    if not lex.perpetrators.cue.search(text):
        return False
    if not _LOWER.search(text):
        return True
    body = text.strip()
    if _NAME_AFTER_FIRST.search(body) is not None:
        return True
    # the first word is capitalised anyway: a name only if it is no common word
    # ("Portee is charged with manslaughter", not "The suspect fled")
    first = body.split(None, 1)[0].strip("\"'“‘(").lower() if body else ""
    words = lex.perpetrators
    return bool(first) and not (
        first in _STOP_WORDS
        or first in words.generic_doers
        or first in words.agent_nouns
        or first in words.time_words
        or first in words.doer_nouns
    )


# -- sentence level ---------------------------------------------------------------------


def _means_start(head: Token, lex: Lexicon) -> int:
    """First token of the means phrase that ends at ``head`` ("suicide bombers")."""
    for k in (2, 1):
        i = head.i - k
        if i >= 0:
            _, n = _means_at(head.doc, i, lex)
            if n == k + 1:
                return i
    return head.i


def _agent_like(doc: Doc, s: int, e: int, lex: Lexicon) -> bool:
    """A modifier phrase that names a doer: an agent noun ("police", "guerrilla"), or a
    name of an organisation, nationality or person ("Taliban", "Russian")."""
    words = lex.perpetrators
    if any(doc[i].lower_.rstrip(".") in words.place_nouns for i in range(s, e)):
        return False  # "the Bourbon St. shooting"
    for i in range(s, e):
        t = doc[i]
        if t.lower_ in words.agent_nouns:
            return True
        if t.ent_type_ in {"ORG", "NORP"}:
            return True
    return False


def _named_or_noun(doc: Doc, s: int, e: int, lex: Lexicon) -> bool:
    """A modifier phrase that can name a doer holds a noun or a name ("US-led
    coalition", "Russian"), not only a description ("THE GREAT BATTLES")."""
    for i in range(s, e):
        t = doc[i]
        if t.ent_type_ in {"NORP", "ORG", "GPE", "PERSON"}:
            return True
        if t.pos_ in {"NOUN", "PROPN"} and not _time_like(t, lex):
            return True
    return False


def _doer_of_means(head: Token, label: str | None, lex: Lexicon) -> Iterator[tuple[int, int]]:
    """Spans naming who used the means or did the deed headed by ``head``: "Assad's
    jets", "a raid conducted by the U.S. military", "the attack by FMLN", "US-led
    coalition airstrikes"; none for a means that was the target ("an attack against an
    air force helicopter")."""
    doc = head.doc
    if head.dep_ == "pobj" and head.head.lower_ in _TARGET_PREPS:
        return
    for c in head.children:
        if c.dep_ == "poss" and c.lower_ not in lex.means_stop:
            yield c.left_edge.i, c.i + 1
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ in {"by", "from"}:
            for p in c.children:
                if p.dep_ == "pobj":
                    yield _phrase_span(p, lex)
        if c.dep_ in {"acl", "relcl"}:
            # "the raid conducted by the U.S. military", "attacks claimed by Da'esh"
            for a in c.children:
                if a.dep_ == "agent":
                    for p in a.children:
                        if p.dep_ == "pobj":
                            yield _phrase_span(p, lex)
    start = _means_start(head, lex)
    mods = [
        c
        for c in head.lefts
        if c.dep_ in {"compound", "amod", "nmod", "npadvmod"}
        and c.i < start
        and c.lower_ not in lex.means_stop
        and lex.means.get(c.lower_) is None
        and not c.like_num
    ]
    # one a noun or a name ("coalition" of "US-led coalition", "Russian"), not only a
    # description ("officer-involved", "fatal")
    if any(c.pos_ in {"NOUN", "PROPN"} or c.ent_type_ in {"NORP", "ORG", "GPE"} for c in mods):
        s = min(m.left_edge.i for m in mods)
        while s < start and doc[s].lower_ in lex.means_stop:
            s += 1
        # a military means' modifier is its doer ("US-led coalition airstrikes"); other
        # means are named by place and kind as often ("Fort Collins shooting", "Mother's
        # Day parade shooting"): a doer only with an agent word or a name
        if (
            s < start
            and _named_or_noun(doc, s, start, lex)
            and (label in lex.perpetrators.military_means or _agent_like(doc, s, start, lex))
        ):
            yield s, start


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "nsubj":
            return c
    return None


def _claim_candidates(
    trigger: Token, means: str | None, means_head: Token | None, lex: Lexicon
) -> Iterator[tuple[int, int]]:
    words = lex.perpetrators
    doc = trigger.doc
    # "taken to the hospital by ambulance": the agent of a hospital idiom took them there
    hospital = trigger.lower_ in lex.hospital_verbs
    for c in trigger.children:
        # "killed by X"; "the assassination of six Jesuits by individuals wearing ..."
        if hospital:
            break
        if c.dep_ == "agent" or (
            c.dep_ == "prep" and c.lower_ == "by" and trigger.pos_ in {"NOUN", "PROPN"}
        ):
            for p in c.children:
                if p.dep_ == "pobj":
                    label, _ = _means_at(doc, p.i, lex)
                    if label is not None or lex.means.get(p.lower_):
                        yield from _doer_of_means(p, label or lex.means.get(p.lower_), lex)
                    else:
                        yield _phrase_span(p, lex)
    for c in trigger.children:
        # "killed at the hands of Assad and ISIL"
        if c.dep_ == "prep" and c.lower_ == "at":
            for p in c.children:
                if p.lower_ == "hands":
                    for of in p.children:
                        if of.lower_ == "of":
                            for who in of.children:
                                if who.dep_ == "pobj":
                                    yield who.left_edge.i, who.right_edge.i + 1
    # the subject of "kill" did it; the subject of "flee" or "die" suffered it
    verbs = [trigger]
    if trigger.dep_ == "conj" and _subject(trigger) is None:
        verbs.append(trigger.head)  # "Police say Wiggins shot and killed Reid"
    has_obj = any(c.dep_ == "dobj" for c in trigger.children)
    if (
        has_obj
        and lex.verbs.get(trigger.lower_) != "displaced"
        and trigger.lower_ not in words.victim_subject_verbs
    ):
        for v in verbs:
            if v is not trigger:
                # "multiple attacks, also claimed by Da'esh, have killed": the first
                # verb's agent
                for a in v.children:
                    if a.dep_ == "agent":
                        for p in a.children:
                            if p.dep_ == "pobj":
                                yield _phrase_span(p, lex)
            subj = _subject(v)
            if subj is None:
                continue
            c = subj
            relative = c.lower_ in {"which", "that", "who"}
            if relative:
                if c.head.dep_ != "relcl":
                    continue
                c = c.head.head  # "attacks ... which killed": the attacks
            # "a series of precision U.S. airstrikes killed": the means' modifiers
            for t in c.subtree:
                if lex.means.get(t.lower_) and t.pos_ in {"NOUN", "PROPN"}:
                    yield from _doer_of_means(t, lex.means.get(t.lower_), lex)
                    break
            if c.lower_ in words.event_nouns or c.lower_ in words.deed_nouns:
                yield from _doer_of_means(c, None, lex)
                continue
            if c.pos_ == "PRON" or relative:
                continue
            yield _phrase_span(c, lex)
    # "killed in a cross-border raid conducted by the U.S. military"
    for c in trigger.children:
        if c.dep_ == "prep" and c.lower_ in {"in", "during", "by", "from", "after"}:
            for p in c.children:
                if p.dep_ == "pobj" and (p.lower_ in words.deed_nouns or lex.means.get(p.lower_)):
                    yield from _doer_of_means(p, lex.means.get(p.lower_), lex)
    if means_head is not None:
        yield from _doer_of_means(means_head, means, lex)
    # "guerrillas attacked the post ...; three soldiers were killed": the attacker
    for t in doc:
        if t.lower_ in lex.attack_verbs and t.pos_ == "VERB" and t.i != trigger.i:
            if _passive(t):
                # "WHO WAS KIDNAPPED ON 5 JANUARY, APPARENTLY BY ELN GUERRILLAS"
                for a in t.children:
                    if a.dep_ == "agent":
                        for p in a.children:
                            if p.dep_ == "pobj" and not lex.means.get(p.lower_):
                                yield _phrase_span(p, lex)
                continue
            for c in t.children:
                if c.dep_ == "nsubj" and c.pos_ != "PRON":
                    yield _phrase_span(c, lex)


def _passive(verb: Token) -> bool:
    # an agent marks it too: "attacks, also claimed by Da'esh" parses "attacks" nsubj
    return any(c.dep_ in {"auxpass", "nsubjpass", "agent"} for c in verb.children)


def claim_doer(
    trigger: Token,
    means_head: Token | None,
    lex: Lexicon,
    original: str,
    offset: int,
    segment: int,
    means: str | None = None,
    victims: tuple[int, int] | None = None,
) -> Mention | None:
    """The doer the sentence of ``trigger`` ties to it (module doc), as a mention of the
    document (``offset``: the sentence's start in it). ``victims`` is the sentence-relative
    character range of the claim's victims: a phrase touching it is the victim (or the
    parse ran the two together), not the doer."""
    doc = trigger.doc
    for s, e in _claim_candidates(trigger, means, means_head, lex):
        span = clean_span(doc, s, e, lex)
        if span is None:
            continue
        text, cs, ce = span_text(doc, *span, original)
        if victims is not None and cs < victims[1] and victims[0] < ce:
            continue
        return _mention(doc, span, text, offset + cs, offset + ce, segment, trigger.i, True, lex)
    return None


def find_perpetrator(
    trigger: Token,
    means_head: Token | None,
    lex: Lexicon,
    original: str,
    means: str | None = None,
    victims: tuple[int, int] | None = None,
) -> str | None:
    """The perpetrator the sentence of ``trigger`` ties to it, cleaned (module doc), or
    ``None`` (:func:`claim_doer`'s text)."""
    m = claim_doer(trigger, means_head, lex, original, 0, -1, means, victims)
    return m.text if m is not None else None


def _specific_span(doc: Doc, s: int, e: int, lex: Lexicon) -> bool:
    """Does the phrase name someone: a word outside the generic ones, and not a place
    or a date that only describes a generic one ("a Crown Point man", "A Florida
    mother", "a 19-year-old")? A place that heads the phrase is a party ("Israel")."""
    generic = lex.perpetrators.generic_doers
    head = _head_of(doc, s, e)
    if head.lower_ in generic:
        # "a Crown Point man", "A 62-year-old Castor Gardens man": a generic person
        # unless a name is given ("the suspect, Maurice Alexander") or recognised
        # or an organisation's word is part of it ("A SELF-STYLED ZARATE WILKA ARMED
        # FORCES OF LIBERATION [FAL] GROUP", where upper case hides the names)
        return (
            any(c.dep_ == "appos" and c.i < e for c in head.children)
            or any(doc[i].ent_type_ in {"PERSON", "ORG", "NORP"} for i in range(s, e))
            or any(
                doc[i].lower_ in lex.perpetrators.agent_nouns for i in range(s, e) if i != head.i
            )
        )
    for i in range(s, e):
        t = doc[i]
        if t.is_punct or t.is_space or t.like_num or _time_like(t, lex):
            continue
        if t.pos_ in {"DET", "ADP", "CCONJ", "SCONJ", "PRON", "PART", "AUX"}:
            continue
        if t.ent_type_ in {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY"}:
            continue
        if t.ent_type_ in {"GPE", "LOC", "FAC"} and head.ent_type_ not in {"GPE", "LOC", "FAC"}:
            continue
        if not (doer_key(t.text) - generic):
            continue
        return True
    return False


def _mention(
    doc: Doc,
    span: tuple[int, int],
    text: str,
    start: int,
    end: int,
    segment: int,
    anchor: int,
    harm: bool,
    lex: Lexicon,
) -> Mention:
    key = doer_key(text)
    return Mention(
        text=text,
        start=start,
        end=end,
        segment=segment,
        anchor=anchor,
        key=key,
        specific=bool(key) and _specific_span(doc, *span, lex),
        harm=harm,
    )


# -- mentions ---------------------------------------------------------------------------


def _is_deed(t: Token, lex: Lexicon) -> bool:
    low = t.lower_
    return bool(
        lex.effect_of(low)
        or low in lex.shot_verbs
        or lex.means.get(low)
        or low in lex.perpetrators.deed_nouns
        or low in lex.attack_verbs
    )


def _deed_below(verb: Token, lex: Lexicon, depth: int = 4) -> Token | None:
    """A deed word reached from ``verb`` down its objects and prepositional phrases:
    "charged with murder", "in the shooting death of", "responsibility for the attack",
    "admitted killing"."""
    if depth == 0:
        return None
    for c in verb.children:
        if c.dep_ in {"dobj", "pobj", "pcomp", "xcomp", "attr", "oprd", "compound", "conj"} or (
            c.dep_ == "prep" and c.lower_ in _DEED_PREPS
        ):
            if c.dep_ != "prep" and _is_deed(c, lex):
                return c
            found = _deed_below(c, lex, depth - 1)
            if found is not None:
                return found
        if c.dep_ in {"amod", "compound"} and _is_deed(c, lex):
            return c  # "the shooting death"
    return None


def _deed_after(verb: Token, lex: Lexicon) -> Token | None:
    """A deed in a "for"/"with"/"in" phrase shortly after the verb that the parse did not
    hang from it ("HAS BLAMED FMLN [FARABUNDO MARTI ...] GUERRILLAS FOR THE MURDER OF")."""
    doc = verb.doc
    for j in range(verb.i + 1, min(len(doc), verb.i + 16)):
        t = doc[j]
        if t.pos_ in {"VERB", "AUX"} or t.lower_ in {";", ".", "that", "which", "who"}:
            return None
        if t.lower_ in {"for", "with", "in"}:
            for p in t.children:
                if p.dep_ == "pobj" and _is_deed(p, lex):
                    return p
            return None
    return None


def _object(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "dobj":
            return c
    return None


def _passive_subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "nsubjpass":
            return c
    return None


def _agent(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _clause_subject(verb: Token) -> Token | None:
    """The subject of ``verb``, or of the verb it hangs from when it has none of its
    own ("THE MRTA DISTRIBUTED LEAFLETS CLAIMING RESPONSIBILITY")."""
    v: Token | None = verb
    for _ in range(3):
        if v is None:
            return None
        s = _subject(v)
        if s is not None:
            return s
        if v.dep_ in {"acl", "advcl", "xcomp", "conj", "acomp"}:
            v = v.head if v.head.pos_ in {"VERB", "AUX"} else v.head.head
        else:
            return None
    return None


def _resolve_pronoun(tok: Token, verb: Token) -> Token | None:
    """A pronoun doer stands for the person the clause above names: "arrested X and
    charged him" (the object of the verb before), "X was arrested on a warrant charging
    him with murder", "X was arrested and charged after he was identified as the
    person who shot" (the subject of the clause above)."""
    if tok.lower_ not in _PRONOUNS:
        return tok
    if verb.dep_ == "conj":
        obj = _object(verb.head)
        if obj is not None and obj.lower_ not in _PRONOUNS:
            return obj
    v = verb
    for _ in range(4):
        if v.head.i == v.i:
            return None
        v = v.head
        if v.pos_ in {"VERB", "AUX"}:
            # the one arrested, charged or identified above: "X was arrested on a warrant
            # charging him", "police arrested X ... charging him"; not the subject of
            # any verb ("Sauk Valley Media is publishing the name of the boy because he
            # is charged")
            if v.lower_ not in _FRAME_VERBS:
                return None
            for c in v.children:
                if c.dep_ in {"nsubjpass", "dobj"} and c.i != verb.i:
                    if c.lower_ in _PRONOUNS or c.pos_ not in {"PROPN", "NOUN"}:
                        continue
                    return c
            return None
    return None


def _counted(deed: Token) -> bool:
    """ "conducted over 265 bombing raids", "10 airstrikes": a tally of deeds, not one."""
    return any(c.dep_ in {"nummod", "quantmod"} for c in deed.children)


def _harm(deed: Token, lex: Lexicon) -> bool:
    """Is the deed harm done to people ("murder", "the shooting death", "kidnapped"),
    not only an act ("attacked the post")?"""
    low = deed.lower_
    return bool(lex.effect_of(low) or low in lex.shot_verbs or low in lex.perpetrators.doer_nouns)


Frame = tuple[Token, Token, bool]  # (deed, doer's head, tied to harm done)


def _frames(doc: Doc, lex: Lexicon) -> Iterator[Frame]:
    """The doers the sentence frames (module doc), each with its deed."""
    words = lex.perpetrators
    for t in doc:
        low = t.lower_
        if t.pos_ in {"VERB", "AUX", "ADJ"}:
            yield from _verb_frames(t, lex)
        if t.pos_ in {"NOUN", "PROPN"} and low in words.deed_nouns and not _counted(t):
            # "the attack by FMLN", "the FMLN's attack" (a possessive of "death" or
            # "murder" is its victim: "Zarqawi's death")
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ == "by":
                    for p in c.children:
                        if p.dep_ == "pobj" and not _is_deed(p, lex):
                            yield t, p, _harm(t, lex)
                # a possessive of "death", "murder" or "shooting" is its victim ("the
                # officer's shooting"); of "attack", "actions", its doer
                if (
                    c.dep_ == "poss"
                    and c.lower_ not in _PRONOUNS
                    and not lex.effect_of(low)
                    and low not in lex.shot_verbs
                    and not low.startswith("shooting")
                ):
                    yield t, c, False
        if t.pos_ in {"NOUN", "PROPN"} and low in words.doer_nouns:
            # "the suspect, Maurice Alexander, ..."; "the shooter is X"
            for c in t.children:
                # set off by a comma: "Suspects dressed for assault San Bernardino Police
                # Chief Jarrod Burguan didn't say" runs a subheading into the sentence
                if c.dep_ == "appos" and any(
                    doc[i].text == "," for i in range(t.i + 1, c.left_edge.i)
                ):
                    yield t, c, True
            if t.dep_ in {"nsubj", "attr", "nsubjpass"} and t.head.lower_ in _BE:
                for c in t.head.children:
                    if (
                        c is not t
                        and c.dep_ in {"nsubj", "attr"}
                        and c.lower_ not in _PRONOUNS
                        and c.lower_ not in words.doer_nouns
                    ):
                        yield t, c, True


def _verb_frames(t: Token, lex: Lexicon) -> Iterator[Frame]:
    words = lex.perpetrators
    low = t.lower_
    if any(c.dep_ == "neg" for c in t.children):
        return  # "has not claimed responsibility", "was not charged"
    passive = _passive(t)
    if low in words.object_doer_verbs:
        # "blamed X for the murder", "X was charged with murder in the death of"
        deed = _deed_below(t, lex) or _deed_after(t, lex)
        if deed is not None:
            doer = _passive_subject(t) if passive else _object(t)
            if doer is None and not passive and t.dep_ == "xcomp" and t.head.lower_ in _BE:
                doer = _subject(t.head)  # "DEATH SQUADS ... ARE TO BLAME FOR THE MURDER"
            if doer is None and t.dep_ == "conj" and _passive(t.head):
                doer = _passive_subject(t.head)  # "X was arraigned and charged with"
            if doer is None and t.dep_ == "acl" and t.tag_ == "VBN":
                doer = t.head  # "one of three suspects being held in the fatal shooting"
            if doer is None and t.tag_ == "VBN" and _object(t) is None:
                # a headline's passive without "was": "Tommy Lee Ward arrested Tuesday on
                # murder warrant"
                doer = _subject(t)
            if doer is not None and not _is_deed(doer, lex):
                doer = _resolve_pronoun(doer, t)
                if doer is not None:
                    yield deed, doer, True
    if low in words.deed_doer_verbs:
        # "X carried out the attack", "Dae'sh claimed dual attacks", "the strike was
        # carried out by X", "attacks, also claimed by Da'esh"
        obj = _object(t)
        # (one deed, owned: as much the report's doer as a harm verb's subject)
        if not passive and obj is not None and _is_deed(obj, lex) and not _counted(obj):
            doer = _clause_subject(t)
            if doer is not None and not _is_deed(doer, lex):
                yield obj, doer, True
        if passive:
            subj = _passive_subject(t) or _subject(t)
            if subj is None and t.dep_ == "acl":
                subj = t.head  # "a military operation executed by coalition forces"
            agent = _agent(t)
            if agent is not None and (subj is None or (_is_deed(subj, lex) and not _counted(subj))):
                yield subj if subj is not None else t, agent, subj is not None
    if low in words.owning_verbs:
        # "X claimed responsibility for the murder of", "X admitted killing", "X faces
        # murder charges", "X is responsible for the attack"
        deed = _deed_below(t, lex)
        obj = _object(t)
        owned = obj is not None and obj.lower_ in words.responsibility_nouns
        if deed is not None and (owned or low not in words.responsibility_verbs):
            doer = _agent(t) if passive else _clause_subject(t)
            if doer is not None and not _is_deed(doer, lex):
                yield deed, doer, True
    if low in words.blame_on_verbs:
        # "blamed the attack on X", "attributed to X"
        deed = _object(t) or _passive_subject(t)
        if deed is not None and _is_deed(deed, lex):
            for c in t.children:
                if c.dep_ in {"prep", "dative"} and c.lower_ in {"on", "to"}:
                    for p in c.children:
                        if p.dep_ == "pobj":
                            yield deed, p, True
    if low in words.identify_verbs:
        yield from _identified(t, lex)
    if low in words.fire_verbs and not passive:
        # "X opened fire", "X fired multiple shots", "X shot and killed Y", "X got into
        # an argument with another man, pulled out a gun and fired shots"
        subj = _subject(t)
        v = t
        while subj is None and v.dep_ == "conj" and not _passive(v.head):
            v = v.head
            subj = _subject(v)
        transitive = _object(t) is not None or low in {"fired", "opened", "fires"}
        if subj is not None and transitive and not _is_deed(subj, lex):
            # "the man who shot": the man; "attacks against a union and a humanitarian
            # organization, which killed": no doer (the parse hangs "which" anywhere)
            if subj.lower_ == "who" and t.dep_ == "relcl":
                subj = t.head
            if subj.lower_ not in _PRONOUNS:
                harm = (
                    low in lex.shot_verbs or low in {"fired", "opened"} or bool(lex.effect_of(low))
                )
                yield t, subj, harm
    if passive and (low in words.fire_verbs or lex.effect_of(low)):
        # "was kidnapped ... by ELN guerrillas", "49 people were killed by Mateen"
        agent = _agent(t)
        if agent is not None and not (lex.means.get(agent.lower_) or _is_deed(agent, lex)):
            yield t, agent, True


def _identified(verb: Token, lex: Lexicon) -> Iterator[Frame]:
    """ "police identified the shooter as X", "the gunman was identified as X", "X was
    identified as the shooter", "a lawyer for the suspected gunman's family identified
    him as Elliot Rodger"."""
    doer_nouns = lex.perpetrators.doer_nouns
    as_obj = None
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            for p in c.children:
                if p.dep_ == "pobj":
                    as_obj = p
    if as_obj is None:
        return
    named = _passive_subject(verb) or _object(verb)
    if named is None:
        return
    # "identified as the person who shot the woman": the one who did it
    as_doer = as_obj.lower_ in doer_nouns or any(
        c.dep_ == "relcl" and (lex.effect_of(c.lower_) or c.lower_ in lex.shot_verbs)
        for c in as_obj.children
    )
    if named.lower_ in doer_nouns:
        yield named, as_obj, True
    elif as_doer:
        who = _resolve_pronoun(named, verb)
        if who is not None:
            yield as_obj, who, True
    elif named.lower_ in _PRONOUNS and any(t.lower_ in doer_nouns for t in verb.doc):
        yield verb, as_obj, True


def perpetrator_mentions(
    sdoc: Doc, original: str, offset: int, segment: int, lex: Lexicon
) -> list[Mention]:
    """Every doer the sentence ``sdoc`` frames (module doc), in sentence order.
    ``original`` is the sentence's text and ``offset`` its start in the document."""
    out: dict[tuple[int, int], Mention] = {}
    for deed, doer, harm in _frames(sdoc, lex):
        s, e = _phrase_span(doer, lex)
        span = clean_span(sdoc, s, e, lex)
        if span is None:
            continue
        # "X shot Y", "X opened fire" (the deed verb's subject), "the suspected gunman, X"
        shooter = (
            deed.lower_ in lex.perpetrators.fire_verbs and doer.dep_ == "nsubj"
        ) or deed.lower_ in lex.perpetrators.doer_nouns
        if span in out:
            # one doer, two frames: harm (a shooter) if either says so
            m = out[span]
            out[span] = replace(m, harm=m.harm or harm, shooter=m.shooter or shooter)
            continue
        text, cs, ce = span_text(sdoc, *span, original)
        m = _mention(sdoc, span, text, offset + cs, offset + ce, segment, deed.i, harm, lex)
        out[span] = replace(m, shooter=shooter)
    return sorted(out.values(), key=lambda m: m.start)


def nearest_mention(trigger: Token, mentions: Sequence[Mention]) -> Mention | None:
    """The mention of the trigger's own sentence whose deed is nearest in the tree."""
    best: tuple[int, int, Mention] | None = None
    doc = trigger.doc
    for m in mentions:
        d = tree_distance(trigger, doc[m.anchor])
        if best is None or (d, abs(m.anchor - trigger.i)) < best[:2]:
            best = (d, abs(m.anchor - trigger.i), m)
    return best[2] if best is not None else None


def _same_doer(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a) and bool(b) and (a <= b or b <= a)


def party_core(key: frozenset[str], lex: Lexicon) -> frozenset[str]:
    """The words of a phrase that name one party: without numbers, generic words and
    agent nouns ("ONE ARMY OFFICER" names no one; "Ricardo Alfonso Castellar" does)."""
    words = lex.perpetrators
    return frozenset(
        w
        for w in key
        if not w.isdigit()
        and w not in words.generic_doers
        and w not in words.agent_nouns
        and w not in lex.units
        and w not in lex.tens
    )


def report_perpetrator(
    mentions: Sequence[Mention],
    lex: Lexicon,
    *,
    victims: Sequence[frozenset[str]] = (),
    own_victims: frozenset[str] = frozenset(),
    claimant: frozenset[str] = frozenset(),
    named_victim: frozenset[str] = frozenset(),
    named_victims: Mapping[int, Sequence[frozenset[str]]] | None = None,
) -> Mention | None:
    """The report's one perpetrator for a claim: the fullest mention of the one doer
    its specific mentions tied to harm name (one's words within the other's: "Portee"
    and "Rhythm Portee"), or ``None`` when they name none or several.

    Keys are :func:`doer_key` sets. Left out: a doer named like the claim's own victims
    (``own_victims``) or its ``claimant``; a doer named like another victim of the
    report (``victims``) unless the report also tells it shot or killed someone (a
    shooter killed by police is both); and, for a claim whose victim is named
    (``named_victim``), a doer the report ties only to other named victims
    (``named_victims``: sentence index -> the named victims of its claims): "Desmonte
    Leonard killed three men ... jurors convicted Leonard ... in the shooting deaths of
    Ed Christian and Ladarious Phillips" is not Jakell Mitchell's killer."""
    tied = named_victims or {}

    def cores_of(keys: Sequence[frozenset[str]]) -> list[frozenset[str]]:
        return [c for c in (party_core(k, lex) for k in keys) if c]

    # (each list's cores once: this runs for every claim without a doer of its own)
    own_cores, victim_cores = cores_of([own_victims, claimant]), cores_of(victims)

    def named_as(m: Mention, cores: list[frozenset[str]]) -> bool:
        mc = party_core(m.key, lex)
        return any(c <= mc or (mc and mc <= c) for c in cores)

    groups: list[list[Mention]] = []  # one doer each, fullest mention first
    # doers of acts that tell of no harm ("THE GUERRILLAS ATTACKED THE POST") neither
    # count nor block: in upper-case text the parse makes too many of them (on muc4-dev
    # letting them block lost more right doers than wrong ones)
    kept = [m for m in mentions if m.specific and m.harm and m.key]
    for m in sorted(kept, key=lambda m: (-len(m.key), m.start)):
        for g in groups:
            if _same_doer(m.key, g[0].key):
                g.append(m)
                break
        else:
            groups.append([m])

    def left_out(g: list[Mention]) -> bool:
        if any(named_as(m, own_cores) for m in g):
            return True
        if any(named_as(m, victim_cores) for m in g) and not any(m.shooter for m in g):
            return True
        if named_victim:
            others = [o for m in g for o in tied.get(m.segment, ())]
            if others and not any(o & named_victim for o in others):
                return True
        return False

    groups = [g for g in groups if not left_out(g)]
    return groups[0][0] if len(groups) == 1 else None
