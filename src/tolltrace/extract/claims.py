"""Building casualty claims from the dependency parse of the sentences that can hold one.

Two passes per sentence:

1. **figures**: every figure the number reader finds (``numbers.find_figures``) is
   tied to the people it counts ("60 civilians", "dozens of mourners", or the bare
   number in "200 injured") and from there, through the tree, to an effect word ("were
   killed", "killing", "left ... dead", "deaths of", "the death toll rose to").
2. **singulars**: effect words whose victim has no figure ("a man was shot dead",
   "Jassely Lupoe ... was killed") give 1, and plural victims without a figure
   ("civilians were killed") give "at least 1".

Coordinated victims of one effect ("three soldiers and two civilians were killed")
also give their sum, the parts linked to it by ``part_of``; "60 civilians, including
15 children" gives 60 and a part of 15.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from tolltrace.extract.attribution import (
    claimant_in_sentence,
    claimant_in_text,
    final_attribution,
    headline_claimant,
    headline_suffix,
    stance_of,
)
from tolltrace.extract.lexicon import Lexicon, default_lexicon
from tolltrace.extract.mentions import (
    find_means,
    find_place,
    find_time,
    left_edge,
    means_mentions,
    victims_of,
)
from tolltrace.extract.numbers import Figure, find_figures
from tolltrace.extract.perpetrators import (
    Mention,
    claim_doer,
    doer_key,
    may_name_doer,
    nearest_mention,
    party_core,
    perpetrator_mentions,
    report_perpetrator,
)
from tolltrace.extract.sentences import Segment, candidate_segments, is_upper, segments
from tolltrace.records import Claim, Claimant, Count, Document, Effect, stable_id

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

__all__ = ["EXTRACTOR_VERSION", "extract_claims", "extract_claims_many"]

# Bump when the claims extracted from a document can change: the pipeline re-extracts
# every stored document whose extractor version differs.
EXTRACTOR_VERSION = "tolltrace-extract/0.4.49"

# A death toll this large is a running total, never one incident: the deadliest single
# attacks on record (2,977 killed on 11 September 2001) are well below it.
_CUMULATIVE_KILLED = 10_000
_NOUNISH = frozenset({"NOUN", "PROPN", "PRON", "NUM", "ADJ", "X"})
_BE = frozenset(
    {
        "be",
        "is",
        "are",
        "was",
        "were",
        "been",
        "being",
        "remain",
        "remained",
        "remains",
        "lay",
        "lie",
        "lies",
        "found",
    }
)
_INTRANSITIVE = frozenset(
    {
        "die",
        "dies",
        "died",
        "dying",
        "perish",
        "perished",
        "disappeared",
        "vanished",
        "flee",
        "flees",
        "fled",
        "fleeing",
    }
)
_PLURAL_WORDS = frozenset(
    {
        "family",
        "families",
        "couple",
        "people",
        "police",
        "personnel",
        "children",
        "men",
        "women",
        "others",
        "dozens",
        "hundreds",
        "thousands",
        "scores",
        "them",
        "they",
        "youths",
        "troops",
    }
)
_VAGUE_NEED_NOUN = frozenset(
    {
        "vague:multiple",
        "vague:many",
        "vague:some",
        "vague:several",
        "vague:numerous",
        "vague:a-few",
        "vague:a-number-of",
    }
)
# Nouns that head a figure's phrase without counting anyone themselves ("a total of
# four men were injured": the men are the victims, four of them).
_TOTAL_HEADS = frozenset({"total"})

_PRONOUNS = frozenset({"he", "him", "she", "her", "himself", "herself"})
_ALTERNATIVE = re.compile(r"\b(?:or|nor)\b", re.IGNORECASE)
_AND = re.compile(r"\band\b|&", re.IGNORECASE)

_NAME_SUFFIXES = frozenset({"jr.", "sr.", "jr", "sr"})

_NOBODY = frozenset({"anyone", "anybody", "nobody", "everyone", "everybody", "none", "noone"})
_PART_PREPS = frozenset({"including", "among", "incl."})
_LOOSE_DEPS = frozenset(
    {"npadvmod", "dep", "appos", "nmod", "nummod", "attr", "oprd", "advmod", "amod", "compound"}
)


@dataclass
class _Draft:
    effect: Effect
    count: Count
    fig_start: int  # sentence-relative offsets of the figure wording
    fig_end: int
    trigger: Token
    noun: Token
    coord_root: Token
    victims_start: int
    confidence: float
    part_parent: int | None = None  # token index of the larger phrase's noun
    conjuncts: list[Token] = field(default_factory=list)
    part_of_draft: _Draft | None = None
    key: str = ""


def _parse_text(original: str, lex: Lexicon | None = None, headline: bool = False) -> str:
    """The text given to the parser: newlines flattened, a closing reporting clause
    blanked (with ``lex``; see attribution.final_attribution: its speaker is read off the
    text), a headline's label blanked ("Syria: air strikes kill 23 ...", "Police: Man
    kills ...": a topic or the source, read off the text by headline_claimant, never the
    doer or a victim) and, for upper-case text, lower-cased (spaCy's tagger and parser
    are trained on mixed case). Same length as ``original``, so token offsets are
    offsets into it."""
    text = original.replace("\n", " ")
    if headline:
        label = _HEADLINE_LABEL.match(text)
        if label is not None:
            text = " " * label.end() + text[label.end() :]
        suffix = headline_suffix(text, lex) if lex is not None else None
        if suffix is not None:
            text = text[: suffix[0]] + " " * (len(text) - suffix[0])
    final = final_attribution(text, lex) if lex is not None else None
    if final is not None:
        end = len(text.rstrip())
        stop = text[end - 1] if end and text[end - 1] in ".!" else ""
        keep = end - len(stop)
        text = text[: final[0]] + " " * (keep - final[0]) + stop + text[end:]
    if not _upper(text, headline):
        return text
    m = _DATELINE.match(text)
    if m is not None:
        # "<CITY>, <D MON YY> (<AGENCY>) -- [TEXT]" is not part of the sentence
        text = " " * m.end() + text[m.end() :]
    low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    for i, c in enumerate(low):
        if c.isalpha():
            return low[:i] + c.upper() + low[i + 1 :]
    return low


def _title_case(text: str) -> bool:
    """A headline in title case ("Hunter Shot On Grand Mesa"): the tagger takes every
    word for a name, so it is parsed lower-cased like upper-case text (0.4.39)."""
    words = _WORD.findall(text)
    if len(words) < 4:
        return False
    content = [w for w in words if w.lower() not in _TITLE_SMALL_WORDS]
    return bool(content) and sum(w[0].isupper() for w in content) >= 0.9 * len(content)


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# words a title-case headline leaves in lower case
_TITLE_SMALL_WORDS = frozenset(
    {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with"}
)


def _upper(original: str, headline: bool) -> bool:
    """Is a sentence parsed lower-cased (upper-case text, a title-case headline)?"""
    return is_upper(original) or (headline and _title_case(original))


# "Syria: ", "Gaza health ministry: ", "UPDATE: ": up to four words before a headline's
# first colon
_HEADLINE_LABEL = re.compile(r"^\s*(?:[^\s:]+\s+){0,3}[^\s:\d]+:\s+(?=\S)")


def _injury_idiom(tok: Token, lex: Lexicon) -> bool:
    """'sent four people to the hospital', 'is in critical condition', 'struck by
    gunfire', 'gunfire struck two others', 'grazed'."""
    low = tok.lower_
    if low in lex.suffer_verbs:
        # "suffered a gunshot wound", "sustained non-life-threatening injuries"
        return any(c.dep_ == "dobj" and c.lower_ in lex.injury_nouns for c in tok.children)
    if low in lex.hit_verbs:
        if low == "grazed":
            return True
        for c in tok.children:
            if c.dep_ in {"nsubj", "agent"}:
                head = (
                    c if c.dep_ == "nsubj" else next((p for p in c.children if p.dep_ == "pobj"), c)
                )
                if head.lower_ in lex.projectiles:
                    return True
    if low in lex.hospital_verbs:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in {"to", "in", "at"}:
                for p in c.children:
                    if p.dep_ != "pobj":
                        continue
                    if p.lower_ in lex.hospital_nouns or any(
                        x.lower_ in lex.hospital_nouns for x in p.children if x.dep_ == "compound"
                    ):
                        return True
                    if p.lower_ == "condition" and any(
                        x.lower_ in lex.conditions for x in p.children
                    ):
                        return True
    return False


def _died_there(verb: Token, lex: Lexicon) -> bool:
    """ "were taken to a hospital, where they died": the hospital clause ends in death;
    also "..., where they were later pronounced dead" (0.4.41)."""
    for t in verb.subtree:
        if (
            t.dep_ in {"relcl", "advcl", "conj"}
            and t.i > verb.i
            and (
                lex.verbs.get(t.lower_) == "killed"
                or any(
                    c.dep_ in {"oprd", "acomp", "xcomp"} and c.lower_ == "dead" for c in t.children
                )
            )
        ) and any(
            # "where he was pronounced dead"; not "including one who was pronounced dead"
            c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in _DIED_THERE_SUBJECTS
            for c in t.children
        ):
            return True
    return False


_DIED_THERE_SUBJECTS = frozenset({"he", "she", "they", "both"})


def _weak_injury(trigger: Token, lex: Lexicon) -> bool:
    """An injury told by 'shot', an idiom or a wound ("a man with a gunshot wound"):
    it does not say the victim survived ("pronounced dead with a gunshot wound")."""
    return (
        trigger.lower_ in lex.shot_verbs
        or (trigger.pos_ == "NOUN" and trigger.lower_ in lex.injury_nouns)
        or _injury_idiom(trigger, lex)
    )


def _trigger_effect(tok: Token, lex: Lexicon) -> Effect | None:
    """The effect a token expresses as a verb or predicate, if any."""
    e = _plain_effect(tok, lex)
    if e == "injured" and any(
        c.dep_ == "advmod" and c.lower_ in {"fatally", "mortally"} for c in tok.children
    ):
        return "killed"  # "was fatally wounded", "fatally injuring <Name>"
    if e == "injured" and tok.lower_ in lex.suffer_verbs:
        for c in tok.children:
            if c.dep_ == "dobj" and any(
                m.dep_ == "amod" and m.lower_ in {"fatal", "mortal"} for m in c.children
            ):
                return "killed"  # "sustained a fatal, self-inflicted wound"
    return e


def _plain_effect(tok: Token, lex: Lexicon) -> Effect | None:
    low = tok.lower_
    if _lost_lives(tok, lex) or _turned_on_self(tok, lex) is not None:
        return "killed"  # "took his own life" ("took" is also a hospital idiom's verb)
    if low not in lex.effect_words:
        return None
    if low in lex.shot_verbs and tok.pos_ in {"VERB", "ADJ"}:
        if any(
            c.dep_ == "prep"
            and c.lower_ in {"at", "into", "through"}
            and c.i == tok.i + 1
            and not _passive_at_place(tok, c, lex)
            for c in tok.children
        ):
            return None  # "shot at a police vehicle": fired at, nobody hit (but "shot in
            # the face at a shopping center" is a place)
        if (
            not _passive(tok)
            and not _has_object(tok)
            and tok.dep_ not in {"acl", "amod"}
            and (
                tok.dep_ == "conj"
                or any(c.dep_ == "nsubj" and c.pos_ == "PRON" for c in tok.children)
                or any(c.lower_ in {"twice", "again", "back", "repeatedly"} for c in tok.children)
            )
        ):
            return None  # "he pulled a pistol and shot twice": he fired (headlines'
            # "Man shot" keep their passive sense)
        for c in tok.children:
            if (
                c.lower_ in lex.fatal_modifiers
                # a clause or a list item of its own tells of others: "One killed, six
                # others shot", "7 Shot, 3 Dead", "5 People Shot, 1 Fatally"
                and c.dep_ not in {"conj", "appos", "ccomp", "parataxis"}
                and not any(x.dep_ in {"nsubj", "nsubjpass", "nummod"} for x in c.children)
            ):
                return "killed"
            if (
                c.dep_ == "prep"
                and c.lower_ == "to"
                and any(p.lower_ == "death" for p in c.children)
            ):
                return "killed"
            if (
                c.dep_ == "conj"
                and lex.verbs.get(c.lower_) == "killed"
                # "shot three women and then killed himself": the killing has its own
                # victim; "shot and killed a man" shares the object; "four people were
                # shot and one person killed": its own subject (0.4.29)
                and not any(x.dep_ in {"dobj", "nsubj", "nsubjpass"} for x in c.children)
            ):
                return "killed"
        return "injured"
    if tok.pos_ in {"VERB", "AUX"} and _injury_idiom(tok, lex):
        return "killed" if _died_there(tok, lex) else "injured"
    if low in lex.particle_verbs:
        if any(c.dep_ == "prt" and c.lower_ == "down" for c in tok.children):
            return lex.particle_verbs[low]
        return None
    # a headline verb can be mis-tagged ("48 women & children flee ...": PROPN); one
    # with a subject still acts as the predicate
    if (
        tok.pos_ in {"VERB", "AUX"}
        or tok.tag_ in {"VBN", "VBD", "VBG"}
        or any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children)
    ):
        if low not in lex.verbs and any(c.dep_ == "dobj" for c in tok.children):
            return None  # "narrowly missing a young child": the verb "miss" (0.4.31)
        e = lex.verbs.get(low) or lex.states.get(low)
        if e is not None:
            return e
    if tok.pos_ in {"ADJ", "NOUN", "PROPN", "X"}:
        return lex.states.get(low)
    return None


def _passive_at_place(verb: Token, prep: Token, lex: Lexicon) -> bool:
    """'Four people were shot at the City Center', 'two men shot at a party': a passive
    shot verb whose 'at' has an object that is no person tells where the victims were
    hit. Fired-at passives strand the preposition ('was shot at by a deputy', 'was shot
    at from outside', 'were shot at multiple times'), and an active verb ('shot at the
    crowd', 'has shot at police') fires at its object. (0.4.28: gva-dev and gvdb-dev
    texts have some sixty 'were shot at <a place>', all read as firing before.)"""
    if prep.lower_ != "at":
        return False
    passive = any(c.dep_ == "auxpass" for c in verb.children) or (
        verb.tag_ == "VBN" and not any(c.dep_ == "aux" for c in verb.children)
    )
    if not passive:
        return False
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    return bool(objs) and not any(
        o.pos_ == "PRON" or o.lower_ in lex.person_group or o.lower_ == "times" for o in objs
    )


_PLURAL_AUX = frozenset({"were", "are", "have"})


def _listed_with(v: Token, trigger: Token, lex: Lexicon) -> list[Token]:
    """The other people of a list the parse hung on its first one as appositions.

    "A mother, father, and toddler were found dead", "<Name>, 66 and <Name>, 64 were
    found dead": the parse makes the second an apposition of the first (or of the first
    one's age) and the third its conjunct; a plural verb after a singular subject says
    they are a list of people, not one person's descriptions.
    """
    if (
        v.pos_ not in {"NOUN", "PROPN"}
        or v.tag_ in {"NNS", "NNPS"}
        or v.dep_ not in {"nsubj", "nsubjpass"}  # the verb agrees with its subject only
    ):
        return []
    verb = trigger if trigger.pos_ in {"VERB", "AUX"} else trigger.head
    if not any(c.dep_ in {"aux", "auxpass"} and c.lower_ in _PLURAL_AUX for c in verb.children):
        return []
    out: list[Token] = []
    for t in v.subtree:
        if (
            t.i == v.i
            or t.dep_ not in {"appos", "conj"}
            or t.pos_ not in {"NOUN", "PROPN"}
            or t.tag_ in {"NNS", "NNPS"}
            or not (t.lower_ in lex.person_group or t.pos_ == "PROPN")
            or _title(t)
        ):
            continue
        up, titled = t, False
        while up.i != v.i and up.dep_ in {"appos", "conj"}:
            up = up.head
            titled = titled or _title(up)
        if up.i != v.i:
            continue
        if titled and t.pos_ != "PROPN" and not any(c.dep_ == "poss" for c in t.children):
            continue  # "<Name>, a priest, teacher, and a social fighter, was": one person
        out.append(t)
    return out


def _title(t: Token) -> bool:
    """'the mayor', 'a priest' in apposition: a description of the name before it
    ("<Name>, the mayor, and his wife were killed": two people)."""
    return t.dep_ == "appos" and t.pos_ == "NOUN" and any(c.dep_ == "det" for c in t.children)


def _lost_lives(verb: Token, lex: Lexicon) -> bool:
    """ "three soldiers lost their lives", "the gunman took his own life", "the father
    committed suicide": the subject died."""
    low = verb.lower_
    if low in lex.lose_verbs:
        return any(c.dep_ == "dobj" and c.lower_ in {"lives", "life"} for c in verb.children)
    if low in lex.take_verbs:
        return any(
            c.dep_ == "dobj"
            and c.lower_ in {"lives", "life"}
            and any(m.lower_ == "own" for m in c.children)
            for c in verb.children
        )
    if low in lex.commit_verbs:
        return any(c.dep_ == "dobj" and c.lower_ == "suicide" for c in verb.children)
    return False


def _turned_on_self(verb: Token, lex: Lexicon) -> Token | None:
    """ "... before turning the gun on himself": the reflexive, who died (0.4.33)."""
    if verb.lower_ not in lex.turn_verbs or not any(
        c.dep_ == "dobj" and c.lower_ in lex.turn_objects for c in verb.children
    ):
        return None
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "on":
            for p in c.children:
                if p.dep_ == "pobj" and p.lower_ in _REFLEXIVE:
                    return p
    return None


def _noun_effect(tok: Token, lex: Lexicon) -> Effect | None:
    """Effect of an event/state noun ("deaths", "fatalities", "dead" as a noun)."""
    if tok.pos_ in {"NOUN", "PROPN", "ADJ", "VERB", "X"}:
        if tok.lower_ in {"lives", "life"} and tok.head.lower_ not in lex.life_loss_heads:
            return None  # "claimed the lives of 12", not "threatens the lives of people"
        return lex.nouns.get(tok.lower_) or lex.states.get(tok.lower_)
    return None


def _is_person(tok: Token, lex: Lexicon) -> bool:
    low = tok.lower_
    return (
        low in lex.person_group
        or tok.ent_type_ in {"NORP", "PERSON"}
        or low in {"them", "whom", "those", "they", "us"}
        # before NER has run (the first, cheap pass), a proper noun may be a name
        or (tok.pos_ == "PROPN" and not tok.doc.has_annotation("ENT_IOB"))
    )


def _counted_noun(anchor: Token, lex: Lexicon) -> Token | None:
    """The token standing for the people a figure counts (the number itself when the
    noun is left out: "200 injured"). None when it counts something else."""
    if anchor.dep_ in {"nummod", "quantmod", "amod", "det", "nmod", "compound"}:
        head = anchor.head
        if (
            head.dep_ == "poss"
            and head.head.i > head.i
            and any(c.dep_ == "case" for c in head.children)
            and head.head.pos_ in {"NOUN", "PROPN"}
            and (_is_person(head.head, lex) or _direct_victim(head.head, lex))
        ):
            head = head.head  # "two sheriff's deputies": the deputies (0.4.34)
        if head.i != anchor.i and head.pos_ in {"NOUN", "PROPN", "ADJ", "X"}:
            if _is_person(head, lex) or _noun_effect(head, lex) is not None:
                return head
            if _trigger_effect(head, lex) is not None:
                return anchor
            if _direct_victim(head, lex):
                return head
            return None
    for c in anchor.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj":
                    if p.lower_ in {"them", "whom", "those", "us"}:
                        return anchor
                    if _is_person(p, lex) or _noun_effect(p, lex) is not None:
                        return p
                    return None
    if anchor.pos_ in {"NOUN", "PROPN"} and not anchor.like_num and anchor.tag_ != "CD":
        # vague words parsed as nouns: "dozens", "hundreds"
        return anchor
    return anchor


def _not_people(noun: Token, lex: Lexicon) -> bool:
    """A noun an effect verb may take that counts no people: listed in ``not_people``,
    an event ("shootings"), a wound ("suffered six gunshot wounds") or a place
    (perpetrators.json ``place_nouns``: "another bullet hit a near-by apartment",
    0.4.31)."""
    low = noun.lower_
    return (
        low in lex.not_people
        or low in lex.nouns
        or low in lex.injury_nouns
        or low in lex.perpetrators.place_nouns
    )


def _direct_victim(noun: Token, lex: Lexicon) -> bool:
    """A plural common noun that an effect verb takes as its victim: "killed 12
    miners", "16 sailors were injured", "12 pilgrims died". Only people are killed or
    wounded in news of violence, so the person lists need not name every trade; the
    ``not_people`` list keeps out animals, things and units ("killed 40 cattle")."""
    if noun.tag_ != "NNS" or _not_people(noun, lex):
        return False
    while noun.dep_ == "conj" and noun.head.i != noun.i:
        noun = noun.head  # "killed five soldiers and 12 miners"
    verb = noun.head
    if any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children):
        return False  # "two windows were shot out"
    if noun.dep_ in {"dobj", "nsubjpass"}:
        return _trigger_effect(verb, lex) is not None
    if noun.dep_ == "nsubj" and verb.lower_ in _INTRANSITIVE:
        return lex.verbs.get(verb.lower_) is not None
    return False


def _singular_victim(noun: Token, lex: Lexicon, headline: bool = False) -> bool:
    """A singular common noun with an article that an effect verb takes as its victim
    ("a waitress was shot", "killed a cab driver"): a person, as in
    :func:`_direct_victim`, unless ``not_people`` lists it ("the car was shot"). A
    headline drops its articles: the subject of its bare past is one too, "Stoneham
    firefighter fatally shot inside home" (0.4.38; not "Man shoots co-worker", nor an
    object without an article, "13-year-old accidentally shoots hand")."""
    if noun.tag_ != "NN" or _not_people(noun, lex):
        return False
    verb = noun.head
    article = any(c.dep_ == "det" and c.lower_ in {"a", "an", "the"} for c in noun.children)
    if (article and noun.dep_ in {"dobj", "nsubjpass"}) or (
        headline and noun.dep_ == "nsubj" and verb.tag_ in {"VBN", "VBD"} and not _has_object(verb)
    ):
        return _trigger_effect(verb, lex) is not None
    return False


def _has_object(verb: Token) -> bool:
    """Does the verb (or a verb coordinated with it: "shot and killed a man") have an
    object? Then its subject is the one who did it, not a victim."""
    verbs = [verb, *verb.conjuncts]
    return any(c.dep_ in {"dobj", "ccomp"} for v in verbs for c in v.children)


def _passive(verb: Token) -> bool:
    return any(c.dep_ == "auxpass" for c in verb.children) or verb.tag_ == "VBN"


def _effects_of(noun: Token, anchor: Token, lex: Lexicon) -> list[tuple[Effect, Token, float]]:
    """Effects predicated of the victim phrase headed by ``noun``."""
    out: list[tuple[Effect, Token, float]] = []
    life = noun.head
    if (
        noun.dep_ == "poss"
        and life.lower_ in {"life", "lives"}
        and life.head.lower_ in lex.life_loss_heads
    ):
        out.append(("killed", life, 0.8))  # "claimed one man's life" (0.4.35)
    if noun.i != anchor.i and _part_parent(noun) is None:
        e = _noun_effect(noun, lex)
        if e is not None:
            out.append((e, noun, 0.85))
    for base in {noun, anchor}:
        for c in base.children:
            if c.dep_ in {"acl", "amod", "relcl", "appos"} and c.i != anchor.i:
                if any(
                    cc.dep_ in {"nsubj", "nsubjpass"}
                    and cc.i not in {noun.i, anchor.i}
                    and cc.lower_ not in {"who", "that", "which"}
                    for cc in c.children
                ):
                    continue  # "60 civilians killed, 200 injured": 'injured' has its own subject
                if c.dep_ in {"acl", "relcl"} and c.tag_ != "VBN" and _has_object(c):
                    continue  # "two officers who fatally shot a man": the officers shot
                e = _trigger_effect(c, lex)
                if e is not None:
                    out.append((e, c, 0.85))
                elif c.dep_ == "relcl":
                    for cc in c.children:
                        if cc.dep_ in {"acomp", "oprd"} and _trigger_effect(cc, lex):
                            out.append((_trigger_effect(cc, lex), cc, 0.8))  # type: ignore[arg-type]
    h = noun
    if noun.dep_ == "pobj" and noun.head.head.i == anchor.i:
        h = anchor  # "dozens of mourners": the phrase's head is "dozens"
    elif (
        noun.dep_ == "pobj"
        and noun.head.lower_ == "of"
        and noun.head.head.lower_ in _TOTAL_HEADS
        and noun.head.head.i != noun.head.i
    ):
        h = noun.head.head  # "a total of four men were injured": the head is "total"
    while h.dep_ == "conj" and h.head.pos_ in _NOUNISH and h.head.i != h.i:
        h = h.head
    dep, head = h.dep_, h.head
    if head.i == h.i:
        return out
    if dep == "nsubjpass":
        e = _trigger_effect(head, lex)
        if e is not None:
            out.append((e, head, 0.9))
        else:
            # "four people were found dead": the state the passive verb's complement
            # gives its subject
            for c in head.children:
                if c.dep_ in {"oprd", "acomp", "xcomp"}:
                    e2 = _trigger_effect(c, lex)
                    if e2 is not None:
                        out.append((e2, c, 0.85))
    elif dep == "nsubj":
        e = _trigger_effect(head, lex)
        if e is not None and (
            head.lower_ in _INTRANSITIVE
            or not _has_object(head)
            # "left one man dead and three others injured": a bare participle with a
            # subject of its own is passive, whatever the verb it is coordinated with
            # takes as its object
            or (
                head.tag_ == "VBN"
                and not any(c.dep_ in {"aux", "dobj", "ccomp"} for c in head.children)
            )
            or head.pos_ == "ADJ"
            or _lost_lives(head, lex)
            or head.lower_ in lex.suffer_verbs
        ):
            out.append((e, head, 0.85))
        elif e is None and (shared := _shared_subject_effect(head, lex)) is not None:
            # "the N soldiers were on patrol and were wounded": a passive effect
            # verb coordinated with the subject's own verb shares its subject
            out.append((*shared, 0.8))
        else:
            for c in head.children:
                if c.dep_ == "prep" and c.lower_ == "among":
                    # "two policemen were among those killed / the dead"
                    for p in c.children:
                        if p.dep_ != "pobj":
                            continue
                        e3 = _noun_effect(p, lex) or next(
                            (
                                _trigger_effect(x, lex)
                                for x in p.children
                                if x.dep_ in {"acl", "amod", "relcl"}
                                and _trigger_effect(x, lex) is not None
                            ),
                            None,
                        )
                        if e3 is not None:
                            out.append((e3, p, 0.8))
                if c.dep_ in {"acomp", "oprd", "attr", "xcomp"}:
                    e2 = _trigger_effect(c, lex) or (
                        _noun_effect(c, lex) if c.dep_ == "attr" else None
                    )
                    if e2 is not None:
                        out.append((e2, c, 0.8))
    elif dep == "dobj":
        e = _trigger_effect(head, lex)
        if e is not None:
            out.append((e, head, 0.9))
        elif head.lower_ in lex.leave_verbs and not out:
            # (with its own state, "leaves 5 people injured and 1 person dead", the
            # verb's other complement is the other figure's)
            for c in head.children:
                if c.dep_ in {"oprd", "acomp", "xcomp", "ccomp", "advcl"}:
                    e2 = _trigger_effect(c, lex)
                    if e2 is not None:
                        out.append((e2, c, 0.85))
            if not out:
                # "left three women and one man injured": the state hangs on one of
                # the coordinated objects
                for conj in (h, *h.conjuncts):
                    for c in conj.children:
                        if c.dep_ in {"acl", "amod"} and c.i > conj.i:
                            e2 = _trigger_effect(c, lex)
                            if e2 is not None:
                                out.append((e2, c, 0.8))
    elif dep == "conj" and head.pos_ in {"VERB", "AUX"} and h.tag_ != "CD":
        # "a man died and three others ... were wounded", parsed with 'others' as a
        # conjunct of 'died': the next coordinated verb with no subject is theirs
        for v in head.children:
            if (
                v.dep_ == "conj"
                and v.i > h.i
                and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in v.children)
            ):
                e = _trigger_effect(v, lex)
                if e is not None:
                    out.append((e, v, 0.7))
                break
    elif dep == "pobj":
        prep = head
        if prep.lower_ == "of" and prep.head.i != prep.i:
            e = _noun_effect(prep.head, lex)
            if e is not None:
                out.append((e, prep.head, 0.8))
        elif prep.lower_ in {"to", "at", "of"}:
            verb = prep.head
            toll = [c for c in verb.children if c.lower_ == "toll"] + (
                [verb] if verb.lower_ == "toll" else []
            )
            if toll:
                out.append(("killed", toll[0], 0.8))
    elif dep == "poss":
        # "the N priests' slaying", "the two officers' deaths"
        e = _noun_effect(head, lex)
        if e is not None:
            out.append((e, head, 0.8))
    elif dep == "attr":
        if any(
            c.lower_ == "toll" for c in head.subtree if c.dep_ == "nsubj" or c.head.dep_ == "nsubj"
        ):
            out.append(("killed", head, 0.75))
    elif dep in _LOOSE_DEPS:
        e = _trigger_effect(head, lex) or _noun_effect(head, lex)
        if e is not None and not (
            dep in {"nummod", "compound"}
            and head.pos_ == "NOUN"
            and _noun_effect(head, lex) is None
        ):
            out.append((e, head, 0.6))
    return out


def _shared_subject_effect(verb: Token, lex: Lexicon) -> tuple[Effect, Token] | None:
    """The effect of a passive effect verb coordinated with ``verb`` that has no subject
    of its own (so shares ``verb``'s), with that verb; None when there is none."""
    for v in verb.conjuncts:
        e = _trigger_effect(v, lex)
        if (
            e is not None
            and _passive(v)
            and not any(
                c.dep_ in {"nsubj", "nsubjpass"}
                # "Three people are dead and seven more injured": 'seven' is its own
                # subject, though the parse makes it a modifier (0.4.47)
                or (c.dep_ == "npadvmod" and c.like_num and c.i < v.i)
                for c in v.children
            )
        ):
            return e, v
    return None


def _nouns_between(verb: Token, later: Token) -> list[Token]:
    """Nouns the parse made conjuncts of ``verb`` between it and the coordinated verb
    ``later``: in "a man died and three others ... were wounded", 'others' hangs on
    'died' and is the subject of 'were wounded'."""
    return [
        c
        for c in verb.children
        if c.dep_ == "conj"
        # "Three people were killed and at least 12 more were wounded": 'more' (0.4.42)
        and (c.pos_ in {"NOUN", "PROPN", "PRON", "NUM"} or c.lower_ in {"more", "others"})
        and verb.i < c.i < later.i
    ]


def _combined(links: list[tuple[Effect, Token, float]], lex: Lexicon) -> bool:
    """Is one figure given for killed and injured at once ("60 were killed and
    injured")? The second verb then has no victim of its own."""
    return bool(_combined_pair(links, lex))


def _combined_pair(
    links: list[tuple[Effect, Token, float]], lex: Lexicon
) -> list[tuple[Effect, Token]]:
    """The two effect verbs that share one figure (:func:`_combined`), else []."""
    for e1, t1, _ in links:
        for t2 in t1.conjuncts:
            e2 = _trigger_effect(t2, lex)
            if t1.lower_ in lex.shot_verbs or t2.lower_ in lex.shot_verbs:
                continue  # "shot and killed": one deed, how they died (0.4.42)
            if _nouns_between(t1, t2):
                continue  # "one man died and four others ... were injured" (parsed so)
            if t2.i < t1.i and any(c.dep_ in {"nsubj", "nsubjpass"} for c in t1.children):
                # "a man was shot and killed, and three other people were injured": the
                # verb before has a victim of its own before the figure's subject
                continue
            if {e1, e2} == {"killed", "injured"} and not any(
                c.dep_ in {"nsubj", "nsubjpass"}
                or c.like_num
                # "shot three women and then killed himself", "killing 49 club-goers
                # (a deacon) and wounding 53 others": its own victim
                or (
                    c.dep_ == "dobj"
                    and (
                        _is_person(c, lex)
                        or c.like_num
                        or c.pos_ == "PRON"
                        # "... and wounded several more" (0.4.42)
                        or c.lower_ in {"more", "others"}
                        or any(
                            x.dep_ == "nummod" or (x.dep_ == "det" and x.lower_ in {"a", "an"})
                            for x in c.children
                        )
                    )
                )
                # "six were killed and several injured": 'several' hangs on the verb
                or (c.dep_ in {"amod", "advmod", "npadvmod"} and c.lower_ in lex.vague)
                for c in t2.children
                # "The blast killed and wounded dozens of people": the subject of two
                # active verbs side by side is their doer, no victim (0.4.42)
                if not (c.dep_ == "nsubj" and _side_by_side(t1, t2))
            ):
                assert e2 is not None
                return [(e1, t1), (e2, t2)]
    return []


def _habitual(verb: Token, effect: str) -> bool:
    """A present tense that tells what happens, not what happened: "strikes that kill
    civilians"; the present passive of a death, "its reporters are killed", "civilians
    ... are immediately executed", and of an injury by an agent, "women are also injured
    by guns at a higher rate" (0.4.48). "Three officers are injured", "the other victims
    are listed in stable condition" are states, and stay."""
    if verb.tag_ in {"VBP", "VBZ"}:
        return True
    # "are killed", and "are being murdered"
    present = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if verb.tag_ != "VBN" or not present & {"are", "is"}:
        return False
    return effect == "killed" or any(c.dep_ == "agent" for c in verb.children)


def _joined(t1: Token, t2: Token, joiners: frozenset[str]) -> bool:
    """Two words with one of ``joiners`` between them and nothing else ("killed and
    injured"), in either order."""
    first, second = sorted((t1, t2), key=lambda t: t.i)
    return second.i == first.i + 2 and first.doc[first.i + 1].lower_ in joiners


_AND_WORD = frozenset({"and"})
_AND_OR_WORDS = frozenset({"and", "or"})


def _killed_and_injured(sdoc: Doc, lex: Lexicon) -> dict[int, Token]:
    """ "killed and injured", "wounded and killed": each effect word of such a pair ->
    the other one (token index -> token). Not "killed or wounded", which asserts
    neither effect."""
    out: dict[int, Token] = {}
    for t in sdoc[:-2]:
        nxt = sdoc[t.i + 2]
        if not _joined(t, nxt, _AND_WORD):
            continue
        pair = {lex.effect_of(t.lower_), lex.effect_of(nxt.lower_)}
        if (
            pair == {"killed", "injured"}
            and t.pos_ in {"VERB", "ADJ"}
            # "shot and killed" is how they died, no injury besides
            and t.lower_ not in lex.shot_verbs
            and nxt.lower_ not in lex.shot_verbs
        ):
            out[t.i], out[nxt.i] = nxt, t
    return out


def _side_by_side(t1: Token, t2: Token) -> bool:
    """ "killed and wounded", "injure and kill" used actively, one word between: the
    subject does both to the one object (the caller has left out "shot and killed", one
    deed)."""
    return _joined(t1, t2, _AND_OR_WORDS) and all(
        t.tag_ in {"VBD", "VBZ", "VBP", "VBG"} and not _passive(t) and t.lower_ not in _INTRANSITIVE
        for t in (t1, t2)
    )


def _elliptic_victims(anchor: Token, lex: Lexicon) -> bool:
    """ "six people were killed and several injured": the people are left out after a
    coordinated effect verb, the vague word stands for them."""
    verb = anchor.head
    return (
        anchor.dep_ in {"amod", "nsubj", "nsubjpass", "advmod", "npadvmod"}
        and verb.dep_ == "conj"
        and _trigger_effect(verb, lex) is not None
        and _trigger_effect(verb.head, lex) is not None
    )


def _part_parent(noun: Token) -> Token | None:
    """'60 civilians, including 15 children': for 'children', the token 'civilians'."""
    if noun.dep_ == "pobj" and noun.head.lower_ in _PART_PREPS:
        parent = noun.head.head
        if parent.pos_ in {"VERB", "AUX"}:
            # "killed at least 23 civilians on Monday, including five children": the
            # parse hangs "including" on the verb; the whole is the verb's victims
            # (a figure of its own: "shot man 20 times, including 6 in back" counts shots)
            return next(
                (
                    c
                    for c in parent.children
                    if c.dep_ in {"dobj", "nsubjpass"}
                    and c.i < noun.i
                    and any(x.dep_ == "nummod" for x in c.children)
                ),
                None,
            )
        if parent.i != noun.head.i:
            return parent
    return None


def _victim_args(trigger: Token, lex: Lexicon, headline: bool = False) -> list[Token]:
    """The victims an effect word is predicated of, when no figure is attached."""
    own = _turned_on_self(trigger, lex)
    if own is not None:
        return [own]
    out: list[Token] = []
    # An active past tense in running text has its doer as subject even when the parse
    # finds no object ("troopers shot <Name>", the name tagged an adverb); only a
    # headline drops the "was" of a passive ("Man shot in <place>").
    active = (
        # "Deputy kills ... suspect": a present tense is active, headline or not (0.4.36)
        (trigger.tag_ == "VBZ" and trigger.lower_ not in _INTRANSITIVE)
        or (
            trigger.tag_ == "VBD"
            and not headline
            # "found <Name> shot to death": a result phrase marks the passive
            and not any(
                c.lower_ == "dead"
                or (c.lower_ == "to" and any(p.lower_ == "death" for p in c.children))
                for c in trigger.children
            )
        )
    )
    # one clause, one subject: when the parse hangs two on the verb ("Man arrested after
    # officer killed, 2 sheriff's deputies hurt"), the nearest before it (0.4.34)
    subjects = [c for c in trigger.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if sum(1 for c in subjects if c.is_alpha) > 1:  # not "Sr" and its "."
        subjects = [c for c in subjects if c.is_alpha]
        before = [c for c in subjects if c.i < trigger.i]
        keep = max(before, key=lambda c: c.i) if before else subjects[0]
        subjects = [keep]
    for c in trigger.children:
        if c.dep_ in {"nsubj", "nsubjpass"} and c not in subjects:
            continue
        if (
            c.dep_ == "nsubjpass"
            or (
                c.dep_ == "nsubj"
                and (
                    trigger.lower_ in _INTRANSITIVE
                    or (not _has_object(trigger) and not active)
                    or trigger.pos_ == "ADJ"
                    or _lost_lives(trigger, lex)
                    or trigger.lower_ in lex.suffer_verbs  # "the victim sustained a wound"
                )
            )
            or (
                c.dep_ == "dobj"
                and not _lost_lives(trigger, lex)
                and not (trigger.lower_ in lex.suffer_verbs and c.lower_ in lex.injury_nouns)
            )
        ):
            out.append(c)
    head = trigger.head
    if (
        not out
        and trigger.dep_ in {"acl", "amod"}
        # "17-year-old killed in ...": the age adjective stands for the person
        and (head.pos_ in {"NOUN", "PROPN", "PRON"} or head.lower_ == "old")
        # "a man shot in the leg" was shot; "gunmen shooting at cars", "the police
        # shooting" (a compound the parse reads as a participle) did the shooting
        and trigger.tag_ != "VBG"
    ):
        out.append(head)
    if not out and (
        trigger.dep_ in {"acomp", "oprd", "attr", "xcomp"}
        # "found a man, identified as <Name>, dead": the state parsed as a clause
        or (trigger.dep_ == "advcl" and trigger.pos_ == "ADJ")
    ):
        # "left three people dead", "pronounced the victim dead": the object;
        # "the man was dead", "was found dead": the subject
        objects = [c for c in head.children if c.dep_ == "dobj"]
        if objects:
            out.extend(objects)
        elif trigger.dep_ == "advcl":
            pass  # "he is sitting up, alive": no object, no victim
        elif trigger.tag_ not in {"VB", "VBD", "VBP", "VBZ", "VBG"}:
            # (an active verb under a speech verb, "the man who police say shot and
            # killed <X>", has the speaker as the head's subject)
            out.extend(c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"})
            if not out and head.dep_ == "conj" and head.head.pos_ in {"VERB", "AUX"}:
                # "had been shot ... and was pronounced dead": the subject is shared
                out.extend(c for c in head.head.children if c.dep_ in {"nsubj", "nsubjpass"})
    if (
        not out
        and trigger.dep_ in {"conj", "advcl"}
        and head.pos_ in {"VERB", "AUX", "ADJ"}
        and (trigger.dep_ == "conj" or _trigger_effect(head, lex) is not None)
    ):
        # "was shot and killed", headline "Man shot, killed": the subject is shared
        # (but in "police shot and killed a man" the subject did it)
        own_object = _has_object(trigger)
        # "a 21-year-old man shot and killed by state police Monday carried a rifle"
        # (the parse makes "shot" the main verb): an agent makes the verb passive, its
        # shared subject the victim, whatever object a verb after it takes (0.4.32)
        agentive = any(c.dep_ == "agent" for c in trigger.children)
        # "a man died and three others ... were wounded": the second verb's subject
        between = _nouns_between(head, trigger)
        out.extend(between)
        for c in head.children if not between else ():
            if c.dep_ == "nsubjpass" or (c.dep_ == "nsubj" and (not own_object or agentive)):
                out.append(c)
        if not out and head.dep_ in {"acl", "amod"} and head.head.pos_ in {"NOUN", "PROPN"}:
            # "a 21-year-old man shot and killed by state police": the man
            out.append(head.head)
    if out and (_passive(trigger) or trigger.lower_ in _INTRANSITIVE):
        # "X was killed along with Y", "X died along with his wife": Y is a victim too
        for c in trigger.children:
            if c.lower_ == "along":
                for w in c.children:
                    if w.dep_ == "prep" and w.lower_ == "with":
                        out.extend(p for p in w.children if p.dep_ == "pobj")
    resolved = []
    for v in out:
        if v.lower_ in {"who", "that", "which"} and v.head.dep_ == "relcl":
            v = v.head.head
        resolved.append(v)
        # (a noun mis-parsed as a verb's conjunct has the verbs among its conjuncts)
        resolved.extend(c for c in v.conjuncts if c.i > v.i and c.pos_ in _NOUNISH)
    return resolved


def _singular_count(
    v: Token, lex: Lexicon, original: str, upper: bool, headline: bool = False
) -> tuple[Count, int, int] | None:
    """Count for a victim without a figure: 1 for a singular person, at least 1 for a
    plural; None when the phrase does not name people."""
    low = v.lower_
    # "Anthony Deron Call Jr., a 28-year-old": a name's suffix heads the name
    suffix = low in _NAME_SUFFIXES and any(c.dep_ == "compound" for c in v.children)
    if not (v.is_alpha or suffix) or low in _NOBODY:
        return None
    if low in lex.not_people and not any(c.dep_ == "compound" for c in v.children):
        return None  # "Dog shot in Oakland": a headline's capital makes no name (but
        # "Emoni House" is one)
    if v.i + 1 < len(v.doc) and v.doc[v.i + 1].text == ":":
        return None  # "Police: man shot" is a headline's source, not a victim
    if any(c.dep_ == "det" and c.lower_ in {"no", "any", "neither"} for c in v.children):
        return None
    is_name = (
        v.pos_ == "PROPN"
        and v.ent_type_ in {"PERSON", ""}
        and v.ent_type_
        not in {
            "GPE",
            "ORG",
            "LOC",
            "FAC",
            "NORP",
        }
    )
    if upper and not is_name and v.pos_ in {"PROPN", "NOUN", "ADJ"} and low not in lex.person_group:
        # upper-case text is parsed lower-cased, so names lose their PROPN tag (the
        # last word of one may even pass for an adjective): a multi-word name, a title
        # ("msgr romero", "mayor of achi") or a person in apposition ("orlando gomez,
        # a street vendor, ...") still names a person
        mods = [c for c in v.children if c.dep_ == "compound"]
        is_name = (
            bool(mods)
            and (len(mods) >= 2 or any(c.lower_.rstrip(".") in lex.person_titles for c in mods))
        ) or (
            bool(mods)
            and any(
                (
                    c.dep_ == "appos"
                    and (c.lower_ in lex.person_group or c.lower_ in lex.person_titles)
                )
                for c in v.children
            )
        )
    if low == "old" and any(t.lower_ in {"year", "years", "month", "months"} for t in v.lefts):
        is_name = True  # "the 15-year-old", "a 13 year old": a person of that age
    pronoun = low in _PRONOUNS or low == "his"  # "his death"
    if not upper and not (is_name or pronoun) and _singular_victim(v, lex, headline):
        is_name = True  # "a waitress was shot": a person the lists do not name
    if not (low in lex.person_group or v.ent_type_ == "PERSON" or is_name or pronoun):
        return None
    if low in {"casualties", "body", "bodies", "lives", "life", "family", "families", "couple"}:
        return None  # a collective: how many is not said
    if low == "another" and v.dep_ == "pobj":
        return None  # "a premeditated and intentional killing of another": anyone
    s_tok = v.left_edge
    e_tok = v
    if v.ent_type_ == "PERSON":
        while e_tok.i + 1 < len(v.doc) and v.doc[e_tok.i + 1].ent_iob_ == "I":
            e_tok = v.doc[e_tok.i + 1]
    s, e = s_tok.idx, e_tok.idx + len(e_tok.text)
    wording = original[s:e]
    plural = (v.tag_ in {"NNS", "NNPS"} or low in _PLURAL_WORDS) and not (
        v.ent_type_ == "PERSON" or is_name
    )
    if plural:
        dets = {c.lower_ for c in v.children if c.dep_ == "det"}
        if dets & {"no"}:
            return None
        # a plural noun names at least two people (the MUC-4 key's PLURAL convention)
        return Count(2, None, wording, "plural"), s, e
    if pronoun:
        return Count(1, 1, wording, "singular:pronoun"), s, e
    return Count(1, 1, wording, "singular"), s, e


_DATELINE = re.compile(
    r"\s*[^\n\[\]]{0,80}?\d{1,2} [A-Z]{3} \d{2,4}[^-\[\]]{0,60}--\s*(?:\[[^\]]*\]\s*)*"
)
# Words before a bare year that make it the year of a plural noun, not its count: "the
# 2016 homicides", "the number of 2016 homicides" (a count of thousands has its comma).
_YEAR_BEFORE = frozenset({"the", "of", "in", "since", "during", "for", "this", "that", "last"})
_PREV_WORD = re.compile(r"([A-Za-z]+)\W*$")
_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")
_AFTER_NAME = re.compile(r"\b[A-Z][a-z'’-]+,\s*$")
_AFTER_NAME_UPPER = re.compile(r"\b[A-Z][A-Z'’-]+,\s*$")


def _after_name(original: str, at: int, lex: Lexicon) -> bool:
    """Does a capitalized word and a comma come right before ``at`` ("Jamal Berry, 30")?
    Not an effect word of a headline in title case ("1 Dead, 6 Hurt ...", 0.4.30)."""
    m = _AFTER_NAME.search(original, 0, at)
    return m is not None and lex.effect_of(m.group(0).rstrip(", ").lower()) is None


_MANNER = re.compile(
    r"\s+(?:of them |of whom )?(?:(?:is|was|in) )?"
    r"(fatally|mortally|critically|seriously|critical|serious)\b",
    re.I,
)


def _split_manner(
    drafts: list[_Draft], fig: Figure, anchor: Token, manner: str, lex: Lexicon
) -> None:
    """Apply "one fatally" / "two critically" to the figure before it in the sentence."""
    whole = max(drafts, key=lambda d: d.fig_start)
    if manner in {"fatally", "mortally"}:
        drafts.append(
            _Draft(
                "killed",
                fig.count,
                fig.start,
                fig.end,
                whole.trigger,
                anchor,
                anchor,
                fig.start,
                0.8,
            )
        )
        wc = whole.count
        if (
            whole.effect == "injured"
            and whole.trigger.lower_ in lex.shot_verbs
            and wc.min is not None
            and wc.max is not None
            and fig.count.max is not None
            and fig.count.min is not None
            and wc.min > fig.count.max
        ):
            # of the people shot, those who died are not among the injured
            whole.count = Count(
                wc.min - fig.count.max, wc.max - fig.count.min, wc.text, "shot-minus-fatal"
            )
    elif whole.effect == "killed":
        # "One dead, two critical": the critically hurt are alive, so not a part of
        # the dead but an injured figure of their own
        word = next((t for t in anchor.doc[anchor.i + 1 :] if t.lower_.startswith(manner)), anchor)
        drafts.append(
            _Draft("injured", fig.count, fig.start, fig.end, word, anchor, anchor, fig.start, 0.7)
        )
    else:
        part = _Draft(
            whole.effect,
            fig.count,
            fig.start,
            fig.end,
            whole.trigger,
            anchor,
            anchor,
            fig.start,
            0.7,
            part_parent=whole.noun.i,
        )
        drafts.append(part)


def _segment_drafts(
    sdoc: Doc,
    original: str,
    lex: Lexicon,
    upper: bool,
    figs: list[Figure],
    first: bool = False,
    headline: bool = False,
) -> list[_Draft]:
    """The claims of one parsed sentence, as drafts (``first``: stop at the first one,
    for the pass that only decides whether the sentence holds a claim)."""
    drafts: list[_Draft] = []
    covered: set[tuple[int, str]] = set()
    fig_nouns: set[int] = set()
    unlinked: dict[int, Figure] = {}  # counted noun -> its figure, no effect found
    for fig in figs:
        span = sdoc.char_span(fig.core_start, fig.core_end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        anchor = span.root
        manner = _MANNER.match(original, fig.end)
        if manner is not None and drafts and fig.count.max is not None:
            # "Four people were shot, one fatally": a part of the previous figure
            _split_manner(drafts, fig, anchor, manner.group(1).lower(), lex)
            fig_nouns.add(anchor.i)
            continue
        noun = _counted_noun(anchor, lex)
        if noun is None:
            # "on 23 September 28 bodies were found": the parse may hang the number on
            # the month; a noun naming people (or bodies) right after it is what it counts
            nxt = sdoc.char_span(fig.end, len(original), alignment_mode="expand")
            if (
                nxt is not None
                and len(nxt)
                and (_is_person(nxt[0], lex) or _noun_effect(nxt[0], lex) is not None)
                and original[fig.end : nxt[0].idx].strip() == ""
            ):
                noun = nxt[0]
            else:
                continue
        if fig.year_like:
            word = _NEXT_WORD.match(original, fig.end)
            nxt_word = word.group(1).lower() if word is not None else ""
            # "the <year> massacre", "the March <year> assassination": a singular event noun
            # after a year names the event; only people or a plural toll are counted.
            if not (
                nxt_word in lex.person_group or (lex.nouns.get(nxt_word) and nxt_word.endswith("s"))
            ):
                continue  # "in 2015", "(January 24, 2016)--One man": a date
            before = _PREV_WORD.search(original, 0, fig.start)
            if before is not None and before.group(1).lower() in _YEAR_BEFORE:
                continue  # "the number of 2016 homicides in Oakland is 26" (0.4.40)
        if (
            noun.i == anchor.i
            and fig.count.min is not None
            and fig.count.min <= 110
            and (
                _after_name(original, fig.start, lex)
                or (
                    upper
                    and _AFTER_NAME_UPPER.search(original, 0, fig.start) is not None
                    and original[fig.end : fig.end + 1] == ","
                )
            )
        ):
            continue  # "Jamal Berry, 30 after ...", "SATURNINO PALOMINO TUNQUI, 25,": ages
        if any(
            c.dep_ == "prep"
            and c.lower_ == "of"
            and any(
                p.dep_ == "pobj" and any(x.dep_ == "nummod" for x in p.children) for p in c.children
            )
            for c in anchor.children
        ):
            continue  # "one of two people killed": the two are the figure
        if (
            noun.i == anchor.i
            and anchor.head.i != anchor.i
            and (anchor.head.ent_type_ == "PERSON" or anchor.head.pos_ == "PROPN")
            and anchor.dep_ in {"appos", "npadvmod", "nummod", "amod", "conj"}
            # "Randy Lee Jones, 21, Killed; Three Injured in ...": a semicolon ends the
            # name's clause, and what follows is a figure of its own
            and ";" not in original[anchor.head.idx : fig.start]
        ):
            continue  # "Jamal Berry, 30": an age
        fig_nouns.update({noun.i, anchor.i})
        parent = _part_parent(noun)
        if (
            parent is not None
            and noun.i == anchor.i
            and (parent.lower_ in lex.injury_nouns or parent.lower_ in lex.not_people)
        ):
            continue  # "suffered 20 gunshot wounds, including six in the back": wounds
        links = _effects_of(noun, anchor, lex)
        if not links and parent is not None:
            links = _effects_of(parent, parent, lex)
        if not links:
            unlinked[noun.i] = fig  # may head a headline's list ("1 child, 4 adults shot")
        if not links and noun.i != anchor.i and noun.i + 1 < len(sdoc):
            # "a shooting which left six others injured": the parse may hang the effect
            # word on the shooting; right after the people counted, it is their state
            state = sdoc[noun.i + 1]
            stated = lex.effect_of(state.lower_)
            if state.tag_ in {"VBN", "JJ"} and stated in {"killed", "injured"}:
                links = [(stated, state, 0.6)] if stated is not None else []
        if noun.i == anchor.i and (not _combined(links, lex) or headline):
            # "leaving N dead and approximately M wounded", "N dead and M wounded
            # among ...": the parse may hang the second figure (or the second effect
            # word) on the first; the effect word right after a figure is its own (in a
            # headline also when the parse gave the figure both effects: "1 Dead, 6 Hurt
            # After ...", 0.4.30; not "Dozens killed and injured in ...")
            after = sdoc.char_span(fig.end, len(original), alignment_mode="expand")
            adjacent = (
                lex.effect_of(after[0].lower_)
                if after is not None
                and len(after)
                and original[fig.end : after[0].idx].strip() == ""
                # a headline in title case tags "Dead", "Hospitalized" as names
                and (after[0].tag_ in {"VBN", "JJ"} or (headline and after[0].is_title))
                and not (
                    _combined(links, lex)
                    and _AND_OR.match(original, after[0].idx + len(after[0].text))
                )
                else None
            )
            if adjacent in {"killed", "injured"} and after is not None:
                own = [x for x in links if x[0] == adjacent]
                links = own or [(adjacent, after[0], 0.6)]
        elif (
            headline
            and noun.i == anchor.i + 1
            and noun.i + 1 < len(sdoc)
            and not _combined(links, lex)
        ):
            # "3-Year-Old Girl Killed, 3 Adults Injured": in a headline's list, the
            # effect word right after the people counted is theirs
            state = sdoc[noun.i + 1]
            stated = _trigger_effect(state, lex)
            if stated in {"killed", "injured"} and (state.tag_ in {"VBN", "JJ"} or state.is_title):
                own = [x for x in links if x[0] == stated]
                links = own or [(stated, state, 0.6)]
        if noun.i != anchor.i and len(links) > 1:
            # "1 Dead, 3 Hospitalized in ... Shooting" (a headline in title case, the
            # effect word parsed as the noun the figure counts): the figure's own word
            # is its effect, whatever else the parse hangs on it
            own_effect = lex.effect_of(noun.lower_)
            if own_effect in {"killed", "injured"}:
                links = [x for x in links if x[0] == own_effect] or links
        if fig.count.min == 0 and fig.count.max == 0:
            continue
        if (
            fig.vague
            and noun.i == anchor.i
            and fig.count.rule in _VAGUE_NEED_NOUN
            and not _elliptic_victims(anchor, lex)
        ):
            continue  # "shot multiple and ...": 'multiple' counts nothing named
        pair = _combined_pair(links, lex)
        if pair:
            # "60 civilians were killed and injured", "The blast killed and wounded
            # dozens of people": one figure for both effects; neither figure is stated,
            # but that each happened is: at least one of each (0.4.42; before, nothing).
            # Only for the two effect words side by side: elsewhere the parse may have
            # lost the other figure ("14 people killed and 21 others wounded or hurt")
            # ("killed or wounded" asserts neither effect: nothing then, as before)
            (_, t1), (_, t2) = pair
            if not _joined(t1, t2, _AND_WORD):
                continue
            if noun.i > max(t1.i, t2.i) and min(t1, t2, key=lambda t: t.i).pos_ != "VERB":
                continue  # "left a co-owner dead and injured five other men": two deeds
            links = [(e, t, 0.5) for e, t in pair]
            count = Count(1, None, fig.count.text, "combined")
        else:
            count = fig.count
        seen: set[str] = set()
        for link_effect, trigger, conf in links:
            if link_effect in seen or (pair and (noun.i, link_effect) in covered):
                continue
            seen.add(link_effect)
            root = noun
            if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.i == anchor.i:
                root = anchor  # "<Name> and two of her bodyguards were killed": 'two' is
                # the subject coordinated with the name, so the two add up
            while root.dep_ == "conj" and root.head.pos_ in _NOUNISH and root.head.i != root.i:
                root = root.head
            drafts.append(
                _Draft(
                    effect=link_effect,
                    count=count,
                    fig_start=fig.start,
                    fig_end=fig.end,
                    trigger=trigger,
                    noun=noun,
                    coord_root=root,
                    victims_start=fig.start,
                    confidence=conf,
                    part_parent=parent.i if parent is not None else None,
                )
            )
            covered.add((noun.i, link_effect))
            if first:
                return drafts
    if headline:
        drafts.extend(_headline_list_heads(drafts, unlinked, covered, lex, original, upper))
    # singulars and plurals without a figure
    pairs = _killed_and_injured(sdoc, lex)
    for tok in sdoc:
        effect = _trigger_effect(tok, lex)
        args: list[Token] = []
        if effect is not None and tok.pos_ in {"VERB", "ADJ", "AUX"}:
            args = _victim_args(tok, lex, headline)
            if not args and tok.i in pairs:
                # "an attack that killed and injured camp residents": the victims are
                # the other verb's (0.4.42)
                args = _victim_args(pairs[tok.i], lex, headline)
        elif tok.pos_ in {"NOUN", "PROPN"} and lex.nouns.get(tok.lower_) == "injured":
            # "resulted in injuries to a policeman", "the wounding of a reporter"
            effect = "injured"
            for c in tok.children:
                if c.dep_ == "prep" and (
                    c.lower_ == "to" or (c.lower_ == "of" and tok.lower_.endswith("ing"))
                ):
                    for p in c.children:
                        if p.dep_ == "pobj" and _is_person(p, lex):
                            args.extend([p, *(x for x in p.conjuncts if x.i > p.i)])
        elif (
            tok.pos_ == "NOUN"
            and tok.lower_ in lex.injury_nouns
            and tok.dep_ == "pobj"
            and tok.head.lower_ == "with"
        ):
            # "found a 15-year-old with a gunshot wound", "a man with gunshot wounds"
            effect = "injured"
            holder = tok.head.head
            if holder.pos_ in {"VERB", "AUX"}:  # "discovered a 15-year-old with ..."
                holder = next(
                    (c for c in holder.children if c.dep_ in {"dobj", "nsubjpass"}), holder
                )
            if _trigger_effect(holder, lex) == "killed":
                pass  # "found a man ... dead with a gunshot wound": how he died, no injury
            elif holder.lower_ in lex.person_group or holder.lower_ in {"old", "he", "she", "him"}:
                args.append(holder)
        elif tok.pos_ in {"NOUN", "PROPN"} and _noun_effect(tok, lex) == "killed":
            # "the murder of Msgr Romero", "the killing of two patrolmen", "his body"
            effect = "killed"
            if tok.dep_ == "compound" and tok.head.lower_ in {"victim", "victims"}:
                args.append(tok.head)  # "the homicide victim", "murder victims"
            for c in tok.children:
                if c.dep_ == "poss" and (
                    tok.lower_ in {"death", "murder", "killing"}
                    or (tok.lower_ == "body" and tok.head.lower_ in {"found", "discovered"})
                ):
                    args.append(c)
                if c.dep_ == "prep" and c.lower_ == "of":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            args.extend([p, *(x for x in p.conjuncts if x.i > p.i)])
        if effect is None or effect == "displaced":
            continue  # "the woman fled": displacement is a claim only with a figure
        listed: dict[int, Token] = {}  # a victim -> the first of the list it is in
        for v in list(args):
            for w in _listed_with(v, tok, lex):
                if w not in args:
                    args.append(w)
                    listed[w.i] = v
        for v in args:
            if (v.i, effect) in covered or v.i in fig_nouns:
                continue
            if any(c.dep_ == "nummod" for c in v.children):
                continue
            got = _singular_count(v, lex, original, upper, headline)
            if got is None:
                continue
            count, s, e = got
            if count.rule == "plural" and not headline and _habitual(tok, effect):
                continue  # "strikes that kill civilians": what strikes do, no event told
            if tok.i in pairs and count.rule == "plural":
                # killed and injured together: at least one of each (0.4.42)
                count = Count(1, None, count.text, "combined")
            root = v
            while root.dep_ == "conj" and root.head.pos_ in _NOUNISH and root.head.i != root.i:
                root = root.head
            if (
                root.dep_ == "pobj"
                and root.head.lower_ == "with"
                and root.head.head.lower_ == "along"
            ):
                # counted with the subject: "X was killed along with Y" adds up to 2
                root = next((a for a in args if a.dep_ in {"nsubj", "nsubjpass"}), root)
            if v.i in listed:
                root = listed[v.i]  # counted with the first of its list
            conf = {"singular": 0.6, "plural": 0.4}.get(count.rule, 0.4)
            drafts.append(_Draft(effect, count, s, e, tok, v, root, s, conf))
            covered.add((v.i, effect))
            if first:
                return drafts
    # "the death of two reporters who were shot", "<a man> suffered gunshot wounds and
    # was pronounced dead", "was admitted in critical condition and later died", "a
    # toddler who was critically injured ... has died", "Wounded teen ... dies at
    # hospital": the wounds are how the one who died was killed, not an injury survived
    # (0.4.23: also an injury in so many words that describes the one who died; not one
    # told beside the death, "<the driver> was killed and his bodyguard wounded", where
    # the parse may give both to one noun)
    drafts = [
        d
        for d in drafts
        if not _fled_the_scene(d, lex)
        # "a missing-persons report", "missing persons unit": a kind of case (0.4.45)
        and not (d.effect == "missing" and d.noun.dep_ == "compound")
    ]
    dead = {d.noun.i for d in drafts if d.effect == "killed"}
    # "died", "was killed", "dead": a death told of the noun, not a toll it is counted in
    # ("a toll of 1 person wounded")
    died = {d.noun.i for d in drafts if d.effect == "killed" and d.trigger.pos_ != "NOUN"}
    return [
        d
        for d in drafts
        if not (
            d.effect == "injured"
            and d.count.rule != "combined"  # killed and injured, both told (0.4.42)
            and (
                (
                    d.noun.i in dead
                    and (_weak_injury(d.trigger, lex) or d.trigger.lower_ in lex.suffer_verbs)
                )
                or (
                    d.noun.i in died
                    and d.trigger.dep_ in _MODIFIER
                    and d.trigger.head.i == d.noun.i
                )
                or _reflexive_of(d.noun, dead, lex)
            )
        )
    ]


_MODIFIER = frozenset({"acl", "relcl", "amod"})
_FLEE = frozenset({"flee", "flees", "fled", "fleeing"})
# Where those who flee a crime go from: the scene, not their homes (0.4.45)
_SCENE = frozenset({"scene", "area", "foot", "building", "store", "restaurant", "police"})


def _fled_the_scene(d: _Draft, lex: Lexicon) -> bool:
    """ "the two culprits ... fled the scene on bicycles", "at least 15 bikers fled the
    scene", "2 Suspects Flee": people leaving a crime scene, or its doers getting away,
    are no displaced people."""
    if d.effect != "displaced" or d.trigger.lower_ not in _FLEE:
        return False
    heads = {d.noun.lower_, *(c.lower_ for c in d.conjuncts)}
    if heads & lex.perpetrators.doer_nouns or "robbers" in heads:
        return True
    return any(t.lower_ in _SCENE and t.dep_ in {"dobj", "pobj"} for t in d.trigger.subtree)


def _reflexive_of(noun: Token, dead: set[int], lex: Lexicon) -> bool:
    """'A toddler who was critically injured after accidentally shooting himself ...
    has died': the reflexive is the one who died (its clause hangs on them, or has them
    for subject), not one more injured. Not 'killed his wife before shooting himself',
    where the clause's subject is the killer."""
    if noun.lower_ not in _REFLEXIVE or not dead:
        return False
    for up in noun.ancestors:
        if up.i in dead:
            return True
        if any(c.dep_ in {"nsubj", "nsubjpass"} and c.i in dead for c in up.children):
            return True
        if up.pos_ in {"VERB", "AUX"} and any(
            c.dep_ in {"nsubj", "nsubjpass"} for c in up.children
        ):
            return False  # the nearest clause with a subject of its own decides
    return False


def _repair_another(sdoc: Doc) -> None:
    """ "One person is dead and another injured": the parse takes "another" for the
    determiner of the participle after it; it is that participle's subject (0.4.31)."""
    if "another" not in sdoc.text.lower():
        return
    for tok in sdoc:
        if (
            tok.lower_ == "another"
            and tok.dep_ == "det"
            and tok.head.pos_ in {"VERB", "ADJ"}
            and tok.head.i == tok.i + 1
        ):
            tok.pos_, tok.tag_ = "PRON", "DT"
            tok.dep_ = "nsubjpass" if tok.head.tag_ == "VBN" else "nsubj"


# ... and "Investigation underway after 4 shot in Dayton", "Police identify 4-year-old
# fatally shot in Elgin" (0.4.37): the participle the object of a preposition or verb
_HEADLINE_CLAUSE = frozenset({"ROOT", "ccomp", "dep", "npadvmod", "parataxis", "pobj", "dobj"})


def _repair_headline(sdoc: Doc, lex: Lexicon) -> None:
    """Mend the commonest misparses of a headline, which drops the "was" of a passive
    and the "is" of a state (0.4.28):

    - a participle read as a noun the words before it modify ("Four shot in Lansdowne
      area", "16-year-old fatally shot in Anderson": 'Four' and 'old' modify a noun
      'shot'), or a verb or state whose people hang on it as modifiers ("14-year-old
      injured in ...", "17-year-old dead after ..."): the people become its subject, as
      in "Teen shot in leg", which the parser gets right. Not a noun with a determiner or
      a possessive ("a shot", "his shot"), nor a plural noun ("shots"; lexicon.json's
      nouns);
    - a bare past form with no object is the headline's passive ("5 people shot at a
      party" were shot; the active past is "shoots" in a headline);
    - a person word tagged an interjection ("Boy, 15, shot in Englewood": the "Boy, ..."
      of "Boy, that was close") is the noun it is.
    """
    for tok in sdoc:
        if tok.pos_ == "INTJ" and tok.lower_ in lex.person_group:
            tok.pos_ = "NOUN"
            tok.tag_ = "NN"
            if tok.dep_ == "intj" and tok.head.pos_ in {"VERB", "ADJ"}:
                tok.dep_ = "nsubj"
    for tok in sdoc:
        low = tok.lower_
        # the headline's clause, or one of its clauses ("5 shot, 1 killed in ...", "4
        # shot on Columbus Street, 2 die", "4-year-old shot in foot ..., police say")
        if tok.dep_ not in _HEADLINE_CLAUSE or low in {"shoot", "shooting", "shoots"}:
            continue
        if tok.pos_ in {"NOUN", "PROPN"}:
            if any(c.dep_ in {"det", "poss"} for c in tok.children):
                continue
            if tok.tag_ in {"NN", "NNP"} and low in lex.shot_verbs:
                kind = "passive"
            elif low in lex.verbs and low not in lex.nouns:
                # "Deputy kills ... suspect": a present tense is active, its modifier
                # the doer (0.4.36); "Man killed": a participle, the victim
                kind = (
                    "intransitive" if low in _INTRANSITIVE or lex.present_verb(low) else "passive"
                )
            elif lex.states.get(low) in {"killed", "injured"}:
                kind = "state"  # "17-year-old dead after ..."
            else:
                continue
        elif tok.pos_ in {"VERB", "ADJ"} and (
            low in lex.shot_verbs or low in lex.verbs or low in lex.states
        ):
            if any(c.dep_ in {"nsubj", "nsubjpass", "dobj"} for c in tok.children):
                if tok.tag_ == "VBD" and not any(c.dep_ in {"dobj", "aux"} for c in tok.children):
                    tok.tag_ = "VBN"  # "Five people shot at Memphis apartment complex"
                continue
            kind = "keep"  # "14-year-old injured in ...": the subject hangs as a modifier
        else:
            continue
        # the nearest modifier before it that counts or names people (past an adverb:
        # "16-year-old fatally shot")
        for c in reversed(list(tok.lefts)):
            if (c.dep_ == "nummod" and c.pos_ == "NUM") or (
                c.dep_ in {"amod", "compound"}
                and (c.lower_ == "old" or c.lower_ in lex.person_group)
            ):
                num = next(
                    (n for n in tok.lefts if n.i < c.i and n.dep_ == "nummod" and n.pos_ == "NUM"),
                    None,
                )
                if num is not None and c.dep_ == "compound":
                    # "Two Juveniles Shot", "2 People Dead": the figure counts the people
                    num.head = c
                if kind == "passive":
                    c.dep_ = "nsubjpass"
                    tok.pos_, tok.tag_ = "VERB", "VBN"
                elif kind == "intransitive":
                    c.dep_ = "nsubj"
                    tok.pos_, tok.tag_ = "VERB", "VBZ"
                elif kind == "state":
                    c.dep_ = "nsubj"
                    tok.pos_, tok.tag_ = "ADJ", "JJ"
                else:
                    c.dep_ = "nsubjpass" if tok.tag_ == "VBN" else "nsubj"
                break
            if c.dep_ not in {"amod", "compound", "nummod", "punct", "advmod"}:
                break


def _headline_list_heads(
    drafts: list[_Draft],
    unlinked: dict[int, Figure],
    covered: set[tuple[int, str]],
    lex: Lexicon,
    original: str,
    upper: bool,
) -> list[_Draft]:
    """The first people of a headline's list: "1 child, 4 adults shot in ...", "Man, 3
    girls shot in ...". The parse makes the last item an apposition of the first, which
    heads the headline with no verb: the first shares the last one's effect, and the
    two add up (their drafts get one coordination root)."""
    out: list[_Draft] = []
    for d in drafts:
        head = d.noun.head
        if (
            d.noun.dep_ != "appos"
            or head.dep_ != "ROOT"
            or head.i >= d.noun.i
            or (head.i, d.effect) in covered
            or head.lower_ not in lex.person_group
            # "Two Dead, Two Hurt": a figure of another effect, not a first person
            or lex.effect_of(head.lower_) is not None
            or any(x.noun.i == head.i for x in drafts)
        ):
            continue
        fig = unlinked.get(head.i)
        if fig is not None:
            count, s, e = fig.count, fig.start, fig.end
        else:
            got = _singular_count(head, lex, original, upper)
            if got is None:
                continue
            count, s, e = got
        d.coord_root = head
        out.append(_Draft(d.effect, count, s, e, d.trigger, head, head, s, 0.6))
        covered.add((head.i, d.effect))
    return out


def _among_them(noun: Token) -> bool:
    """'among them a police officer', 'including him': the noun is named as one of
    the people counted before it."""
    return any(
        c.dep_ == "prep"
        and c.lower_ in _PART_PREPS
        and any(p.dep_ == "pobj" and p.lower_ in {"them", "whom", "those"} for p in c.children)
        for c in noun.children
    )


def _with_sums(drafts: list[_Draft], original: str) -> list[_Draft]:
    """Add the sum of coordinated victims of one effect word, the parts linked to it."""
    groups: dict[tuple[int, str, str], list[_Draft]] = {}
    for d in drafts:
        if d.part_parent is None:
            # coordinated victims ("A and B were killed") and several objects of one
            # verb ("killed the mayor, as well as two peasants") add up, and so do the
            # victims of coordinated clauses ("the woman was shot in the neck and the
            # man was shot in the back")
            verb = d.trigger
            while verb.dep_ == "conj" and verb.head.i != verb.i:
                verb = verb.head
            groups.setdefault((verb.i, d.effect, d.coord_root.dep_), []).append(d)
    out = list(drafts)
    for parts in groups.values():
        # "wounded N, among them a police officer": the officer is one of the N, a
        # part of that figure, not one more
        among = [p for p in parts if _among_them(p.noun)]
        if among and len(among) < len(parts):
            whole = max((p for p in parts if p not in among), key=lambda p: p.count.min or 0)
            for p in among:
                p.part_of_draft = whole
            parts = [p for p in parts if p not in among]
        if len(parts) < 2 or len({p.noun.i for p in parts}) < 2:
            continue
        if any(p.count.rule.startswith("vague") for p in parts):
            continue  # "<Name> and thousands of civilians": no figure adds up to that
        parts.sort(key=lambda p: p.fig_start)
        if any(original[a.fig_end : b.fig_start].strip() == "[" for a, b in pairwise(parts)):
            continue  # "he [<Name>] was pronounced dead": an editor's gloss, one person
        if any(
            _ALTERNATIVE.search(original, a.fig_end, b.fig_start)
            and not _AND.search(original, a.fig_end, b.fig_start)
            for a, b in pairwise(parts)
        ):
            continue  # "whether he shot himself or someone else shot him": one of them
        if len({p.noun.lower_ for p in parts if p.noun.lower_ in _PRONOUNS}) < sum(
            1 for p in parts if p.noun.lower_ in _PRONOUNS
        ):
            continue  # "shot himself in the stomach and shot himself in the foot": one man
        if len(parts) == 2:
            head, second = parts
            bare = (
                second.noun.i == second.trigger.i
                or second.noun.like_num
                or second.noun.tag_ == "CD"
            )
            if (
                bare
                and head.count.min is not None
                and second.count.max is not None
                and second.count.max < head.count.min
            ):
                # "Four people were injured and one was left in critical condition": a
                # bare number after a figure of the same effect is a part of it
                second.part_of_draft = head
                continue
        lo = sum(p.count.min or 0 for p in parts)
        his = [p.count.max for p in parts]
        hi = None if any(h is None for h in his) else sum(h for h in his if h is not None)
        first, last = parts[0], parts[-1]
        end = max(p.noun.idx + len(p.noun.text) for p in parts)
        end = max(end, last.fig_end)
        text = original[first.fig_start : end]
        total = _Draft(
            effect=first.effect,
            count=Count(lo, hi, text, "sum"),
            fig_start=first.fig_start,
            fig_end=end,
            trigger=first.trigger,
            noun=first.noun,
            coord_root=first.coord_root,
            victims_start=first.fig_start,
            confidence=min(p.confidence for p in parts) - 0.1,
            conjuncts=[p.noun for p in parts[1:]],
        )
        for p in parts:
            p.part_of_draft = total
        out.append(total)
    # "60 civilians, including 15 children"
    by_noun = {(d.noun.i, d.effect): d for d in drafts if d.part_parent is None}
    for d in drafts:
        if d.part_parent is not None:
            d.part_of_draft = by_noun.get((d.part_parent, d.effect))
    return out


def _claimant_for(
    doc: Document,
    seg: Segment,
    trigger: Token,
    original: str,
    segs: list[Segment],
    lex: Lexicon,
    dead: str | None = None,
) -> Claimant:
    """Who asserts a claim (see attribution.py). ``dead``: the words naming a killed
    claim's victims; a speaker found in another sentence who is one of them is someone
    else's subject ("Karbouly told the tribunal ..." is no claimant of "al-Karbouly (...;
    died 4 February 2015)", 0.4.46)."""
    if seg.kind in {"title", "embedded"}:
        name = headline_claimant(original, lex)
        if name:
            return Claimant(text=name)
        return Claimant(text=None, name=doc.outlet, kind="media")
    mention = claimant_in_sentence(trigger, lex, original)
    if not mention:
        # a closing reporting clause, blanked for the parse (_parse_text)
        final = final_attribution(original, lex)
        mention = final[1] if final is not None else None
    if mention and mention.lower() in lex.pronoun_claimants:
        earlier = [s for s in segs if s.end <= seg.start and s.kind == "body"]
        for s in reversed(earlier[-8:]):
            name = claimant_in_text(doc.text[s.start : s.end])
            if name and not _one_of(name, dead):
                return Claimant(text=name)
        return Claimant(text=mention)
    if mention:
        return Claimant(text=mention)
    # the attribution can sit in another sentence of the paragraph
    same = [s for s in segs if s.paragraph == seg.paragraph and s.kind == "body" and s != seg]
    same.sort(key=lambda s: (abs(s.index - seg.index), s.index < seg.index))
    for s in same:
        name = claimant_in_text(doc.text[s.start : s.end])
        if name and not _one_of(name, dead):
            return Claimant(text=name)
    return Claimant(text=None, name=doc.outlet, kind="media")


def _one_of(name: str, victims: str | None) -> bool:
    """Whether a speaker's name names one of the victims: a capitalized word shared,
    folded as doers' names are (perpetrators.doer_key, which leaves out "The": "The
    Harnett County Sheriff's Office" is no "The victim", 0.4.49)."""
    if not victims:
        return False
    mine = {w for w in doer_key(_capitalized(name)) if len(w) > 2}
    return bool(mine & doer_key(_capitalized(victims)))


def _capitalized(text: str) -> str:
    return " ".join(w for w in re.split(r"[\s-]+", text) if w[:1].isupper())


# tag -> POS id, (word, tag) -> POS id, (dependency, tag) -> POS id; keys are the
# vocabulary's string hashes, so the table applies to token arrays without Python objects
_PosTable = tuple[dict[int, int], dict[tuple[int, int], int], dict[tuple[int, int], int]]


def _values(spec: object) -> list[str]:
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, dict) and isinstance(spec.get("IN"), list):
        return [str(v) for v in spec["IN"]]
    return []


# The table depends only on the pipeline object: read it once per pipeline (a memo, not
# state: dropping it changes nothing but speed).
_POS_TABLES: weakref.WeakKeyDictionary[Any, _PosTable] = weakref.WeakKeyDictionary()


def _pos_table(nlp: Language) -> _PosTable:
    table = _POS_TABLES.get(nlp)
    if table is None:
        table = _read_pos_table(nlp)
        _POS_TABLES[nlp] = table
    return table


def _read_pos_table(nlp: Language) -> _PosTable:
    """Tag -> POS (and the word- and dependency-specific exceptions) as the pipeline's
    attribute ruler states them."""
    from spacy.parts_of_speech import IDS as POS_IDS

    h = nlp.vocab.strings.add
    by_tag: dict[int, int] = {}
    by_word: dict[tuple[int, int], int] = {}
    by_dep: dict[tuple[int, int], int] = {}
    ruler: Any = nlp.get_pipe("attribute_ruler")
    for rule in ruler.patterns:
        pos_name = rule["attrs"].get("POS")
        if pos_name not in POS_IDS:
            continue
        pos = POS_IDS[pos_name]
        for pattern in rule["patterns"]:
            if len(pattern) != 1:
                continue
            token = pattern[0]
            keys = set(token) - {"IS_SPACE"}
            tags = [h(t) for t in _values(token.get("TAG"))]
            if keys == {"TAG"}:
                by_tag.update(dict.fromkeys(tags, pos))
            elif keys == {"TAG", "LOWER"}:
                for w in _values(token["LOWER"]):
                    by_word.update({(h(w), t): pos for t in tags})
            elif keys == {"TAG", "DEP"}:
                for d in _values(token["DEP"]):
                    by_dep.update({(h(d), t): pos for t in tags})
    return by_tag, by_word, by_dep


def _assign_pos(sdoc: Doc, table: _PosTable) -> None:
    import numpy
    from spacy.attrs import DEP, LOWER, POS, TAG

    by_tag, by_word, by_dep = table
    rows = sdoc.to_array([TAG, LOWER, DEP]).tolist()
    pos = [
        by_word.get((low, tag)) or by_dep.get((dep, tag)) or by_tag.get(tag, 0)
        for tag, low, dep in rows
    ]
    column: Any = numpy.array(pos, dtype="uint64").reshape(-1, 1)
    sdoc.from_array([POS], column)


def extract_claims(
    doc: Document, nlp: Language, lexicon: Lexicon | None = None
) -> tuple[Claim, ...]:
    """Every casualty claim stated in ``doc``, in text order (no I/O, no globals)."""
    return extract_claims_many([doc], nlp, lexicon)[0]


def extract_claims_many(
    docs: Sequence[Document], nlp: Language, lexicon: Lexicon | None = None
) -> list[tuple[Claim, ...]]:
    """:func:`extract_claims` for several documents at once, the same claims: the
    sentences of all of them go through the parser together, in larger batches (the
    network's matrix products are cheaper per sentence in bigger batches)."""
    lex = lexicon if lexicon is not None else default_lexicon()
    all_segs = [segments(doc) for doc in docs]
    work: list[tuple[int, Segment]] = [
        (k, seg)
        for k, (doc, segs) in enumerate(zip(docs, all_segs, strict=True))
        for seg in candidate_segments(doc, segs, lex)
    ]
    if not work:
        return [() for _ in docs]
    texts = [_parse_text(docs[k].text[s.start : s.end], lex, s.kind != "body") for k, s in work]
    # NER is as costly as tagging and parsing together: run it only on the sentences
    # that turn out to hold a claim (it has its own embedding layer in the en_core_web
    # pipelines, so it runs on an already-parsed Doc).
    has_ner = "ner" in nlp.pipe_names
    # The attribute ruler only maps tags to coarse POS here; its Matcher costs a
    # quarter of the parse, the same mapping read off its patterns almost nothing.
    pos_table = _pos_table(nlp) if "attribute_ruler" in nlp.pipe_names else None
    disable: list[str] = [n for n in ("lemmatizer", "ner") if n in nlp.pipe_names]
    if pos_table is not None:
        disable.append("attribute_ruler")
    parsed = _parse(nlp, texts, disable, pos_table)
    found: list[tuple[int, Segment, Doc]] = []
    figures: dict[tuple[int, int], list[Figure]] = {}
    parsed_at: dict[tuple[int, int], tuple[Segment, Doc]] = {}
    for (k, seg), sdoc in zip(work, parsed, strict=True):
        if seg.kind != "body":
            _repair_headline(sdoc, lex)
        _repair_another(sdoc)
        parsed_at[k, seg.index] = (seg, sdoc)
        original = docs[k].text[seg.start : seg.end]
        figs = figures[k, seg.index] = find_figures(original, lex)
        headline = seg.kind != "body"
        if _segment_drafts(sdoc, original, lex, _upper(original, headline), figs, True, headline):
            found.append((k, seg, sdoc))
    if has_ner and found:
        ner: Any = nlp.get_pipe("ner")
        tagged = ner.pipe([f[2] for f in found])
        found = [(k, seg, sdoc) for (k, seg, _), sdoc in zip(found, tagged, strict=True)]
    per_doc: list[list[tuple[Segment, Doc]]] = [[] for _ in docs]
    for k, seg, sdoc in found:
        per_doc[k].append((seg, sdoc))
        parsed_at[k, seg.index] = (seg, sdoc)
    # A report with a claim: its other sentences that may name a doer ("X was charged
    # with murder in the death of ...") are parsed too (perpetrators.json "cue"), for the
    # claims whose own sentence names no one.
    extra = [
        (k, seg)
        for k in sorted({k for k, _, _ in found})
        for seg in all_segs[k]
        if seg.kind != "embedded"
        and (k, seg.index) not in parsed_at
        and may_name_doer(docs[k].text[seg.start : seg.end], lex)
    ]
    if extra:
        more = _parse(
            nlp,
            [_parse_text(docs[k].text[s.start : s.end], None, s.kind != "body") for k, s in extra],
            disable,
            pos_table,
        )
        for (k, seg), sdoc in zip(extra, more, strict=True):
            parsed_at[k, seg.index] = (seg, sdoc)
    context: list[list[tuple[Segment, Doc]]] = [[] for _ in docs]
    for (k, _), (seg, sdoc) in sorted(parsed_at.items()):
        if seg.kind != "embedded":
            context[k].append((seg, sdoc))
    return [
        _document_claims(doc, segs, per_doc[k], figures, k, lex, context[k])
        for k, (doc, segs) in enumerate(zip(docs, all_segs, strict=True))
    ]


def _parse(
    nlp: Language, texts: list[str], disable: list[str], pos_table: _PosTable | None
) -> list[Doc]:
    parsed = list(nlp.pipe(texts, disable=disable))
    if pos_table is not None:
        for sdoc in parsed:
            _assign_pos(sdoc, pos_table)
    return parsed


def _document_claims(
    doc: Document,
    segs: list[Segment],
    found: list[tuple[Segment, Doc]],
    figures: dict[tuple[int, int], list[Figure]],
    k: int,
    lex: Lexicon,
    context: Sequence[tuple[Segment, Doc]] = (),
) -> tuple[Claim, ...]:
    """Build the claims of one document from its parsed sentences (``context``: every
    parsed sentence of it, the claims' own among them, for the doers they name)."""
    out: list[Claim] = []
    mentions: dict[int, list[Mention]] = {}
    background: set[str] = set()  # "After Zarqawi's death, ...": no report-level doer
    doers: dict[str, Mention] = {}  # claim id -> the doer its sentence names
    named_victims: dict[int, list[frozenset[str]]] = {}  # sentence -> named victims
    if found:
        for cseg, cdoc in context:
            text = doc.text[cseg.start : cseg.end]
            mentions[cseg.index] = perpetrator_mentions(cdoc, text, cseg.start, cseg.index, lex)
    shot_only: set[str] = set()  # ids of "X was shot" claims (injured, no other wording)
    doer_counted = False  # a death of the gunman is among the report's counted ones
    # ids of "N people were shot" claims that may count the dead among them: a shot verb
    # and no "other"/"also" (those are the survivors already: "six others shot ... are
    # expected to survive"); an idiom ("two remain in critical condition", "taken to the
    # hospital") tells of the living
    shot_total: set[str] = set()
    explicit_injury = False
    # claim id -> (paragraph, figure start, figure end, "also"/"others" victims)
    where: dict[str, tuple[int, int, int, bool, bool]] = {}
    for seg, sdoc in found:
        original = doc.text[seg.start : seg.end]
        upper = _upper(original, seg.kind != "body")
        drafts = _with_sums(
            _segment_drafts(
                sdoc, original, lex, upper, figures[k, seg.index], headline=seg.kind != "body"
            ),
            original,
        )
        if not drafts:
            continue
        # a war's toll makes the whole sentence a running total: "hundreds of thousands
        # of Syrians have been killed ..., millions have been displaced"
        cumulative = any(p.search(original) for p in lex.cumulative) or any(
            d.effect == "killed" and (d.count.min or 0) >= _CUMULATIVE_KILLED for d in drafts
        )
        means_found = means_mentions(sdoc, lex)
        built: dict[int, Claim] = {}
        # parts refer to their whole: build wholes first
        drafts.sort(key=lambda d: d.part_of_draft is not None)
        for d in drafts:
            stance = stance_of(d.trigger, lex)
            if stance is None:
                continue
            fs, fe = seg.start + d.fig_start, seg.start + d.fig_end
            claim_id = stable_id("claim", doc.id, fs, fe, d.effect, d.count.rule)
            part_of = None
            if d.part_of_draft is not None:
                whole = built.get(id(d.part_of_draft))
                part_of = whole.id if whole is not None else None
            means, means_head = find_means(means_found, d.trigger)
            victims_at = _victims_range(d)
            doer = _perpetrator(d, means, means_head, victims_at, seg, original, mentions, lex)
            victims = victims_of(d.noun, d.conjuncts, lex, original, d.victims_start)
            dead_named = victims.text if d.effect == "killed" else None
            claim = Claim(
                id=claim_id,
                document_id=doc.id,
                effect=d.effect,
                count=d.count,
                quote=original,
                start=seg.start,
                end=seg.end,
                victims=victims,
                perpetrator=doer.text if doer is not None else None,
                means=means,
                place=find_place(d.trigger, lex, original, upper),
                time=find_time(d.trigger, original),
                claimant=_claimant_for(doc, seg, d.trigger, original, segs, lex, dead_named),
                stance=stance,
                confidence=round(d.confidence - (0.1 if stance == "hedged" else 0.0), 2),
                extractor=EXTRACTOR_VERSION,
                embedded=seg.kind == "embedded",
                cumulative=cumulative
                or (d.effect == "killed" and (d.count.min or 0) >= _CUMULATIVE_KILLED),
                part_of=part_of,
            )
            built[id(d)] = claim
            if doer is not None:
                doers[claim.id] = doer
            if _background(d.trigger):
                background.add(claim.id)
            named = _named_victim(claim, lex)
            if named and not claim.embedded:
                named_victims.setdefault(seg.index, []).append(named)
            additive = _additive(d, lex)
            if additive and _self_death(d, lex) and doer_counted:
                additive = False  # "four people dead, including a gunman ... he killed
                # himself": the gunman is one of the four
            if claim.effect == "killed" and (
                any(w in lex.perpetrators.doer_nouns for w in _words_of(claim.victims.text))
                or any(
                    w in lex.perpetrators.doer_nouns
                    for m in _INCLUDING.finditer(original)
                    for w in _words_of(m.group(1))
                )
            ):
                doer_counted = True
            where[claim_id] = (seg.paragraph, fs, fe, additive, seg.kind == "title")
            if d.effect == "injured" and not claim.embedded:
                if _weak_injury(d.trigger, lex):
                    shot_only.add(claim.id)
                    if d.trigger.lower_ in lex.shot_verbs and not _additive(d, lex):
                        shot_total.add(claim.id)
                else:
                    explicit_injury = True
        out.extend(sorted(built.values(), key=lambda c: (c.start, c.count.text, c.effect)))
    if shot_only and not explicit_injury:
        # "X was shot" does not say X survived: in a report of a death with no injury
        # stated in so many words, the one person shot is (most often) the one who died;
        # so are as many as the report's largest death toll ("the two brothers were
        # shot", "All five had gunshot wounds" in a report of five found dead; 0.4.29)
        dead = [
            c.count.min
            for c in out
            if c.effect == "killed" and not (c.embedded or c.cumulative) and c.count.min
        ]
        if dead:
            most = max(dead)
            out = [
                c
                for c in out
                if not (
                    c.id in shot_only
                    and c.count.min is not None
                    # "Five men were shot -- three of them fatally": two survivors
                    and not c.count.rule.startswith("shot-minus")
                    and (c.count.max == 1 or c.count.min <= most)
                )
            ]
    if shot_total:
        out = _shot_minus_killed(doc, out, shot_total, where)
    return tuple(
        _report_perpetrators(
            _also_sums(doc, out, where), mentions, doers, named_victims, background, lex
        )
    )


def _victims_range(d: _Draft) -> tuple[int, int]:
    """Sentence-relative character range of a draft's victims ("19-year-old Kyre
    Raquan Bethea")."""
    heads = [d.noun, *d.conjuncts]
    left = min(d.victims_start, min(left_edge(h).idx for h in heads))
    right_tok = max(heads, key=lambda t: t.i)
    return left, right_tok.idx + len(right_tok.text)


def _perpetrator(
    d: _Draft,
    means: str | None,
    means_head: Token | None,
    victims_at: tuple[int, int],
    seg: Segment,
    original: str,
    mentions: dict[int, list[Mention]],
    lex: Lexicon,
) -> Mention | None:
    """The doer the effect word names, else the nearest doer its sentence frames
    (perpetrators.py), never one within the claim's own victims."""
    found = claim_doer(
        d.trigger, means_head, lex, original, seg.start, seg.index, means, victims_at
    )
    if found is not None:
        return found
    lo, hi = victims_at
    own = [
        m
        for m in mentions.get(seg.index, ())
        if m.end - seg.start <= lo or m.start - seg.start >= hi  # not within the victims
    ]
    return nearest_mention(d.trigger, own)


def _named_victim(c: Claim, lex: Lexicon) -> frozenset[str]:
    """The name words of a claim's one victim when the claim names them ("Jakell
    Mitchell", "MUNICIPAL OFFICIAL SERGIO HORNA"); empty for "four members", "a man"."""
    text = c.victims.text
    if not text or c.count.rule != "singular":
        return frozenset()
    first = text.split(None, 1)[0].lower()
    if first in {"a", "an", "the", "one", "his", "her", "their", "its"}:
        return frozenset()
    return party_core(doer_key(text), lex)


# "After Zarqawi's death, ...", "since the killing of ...": a death told as the time of
# something else is most often an earlier event than the one the report is about.
_TIME_PREPS = frozenset({"after", "since", "before", "following", "until", "despite"})


def _background(trigger: Token) -> bool:
    return trigger.dep_ == "pobj" and trigger.head.lower_ in _TIME_PREPS


def _report_perpetrators(
    claims: list[Claim],
    mentions: dict[int, list[Mention]],
    doers: dict[str, Mention],
    named_victims: dict[int, list[frozenset[str]]],
    background: set[str],
    lex: Lexicon,
) -> list[Claim]:
    """A claim whose sentence names no doer, or only a generic one ("a man", "the
    suspect"), takes the report's one perpetrator (perpetrators.report_perpetrator):
    the doers its sentences frame and its claims' own doers, none a victim of its
    claims, none the claim's claimant; not for a death told as the time of something
    else (``background``)."""
    if all((c.id in doers and doers[c.id].specific) or c.embedded for c in claims):
        return claims
    pool: list[Mention] = [m for ms in mentions.values() for m in ms]
    pool.extend(doers[c.id] for c in claims if c.id in doers and not c.embedded)
    victims = [doer_key(c.victims.text) for c in claims if c.victims.text]
    # The means of the claims that name their doer: a claim by other means is another
    # event ("Russian air strikes ... Separately, a suicide car bomb killed eight").
    named_means = {c.means for c in claims if c.means and c.id in doers and doers[c.id].specific}
    out = []
    for c in claims:
        own = doers.get(c.id)
        if (
            (own is None or not own.specific)
            and not c.embedded
            and c.id not in background
            # a war's running toll has more than one party to it
            and not c.cumulative
            and not (c.means and named_means and c.means not in named_means)
        ):
            m = report_perpetrator(
                pool,
                lex,
                victims=victims,
                own_victims=doer_key(c.victims.text or ""),
                claimant=doer_key(c.claimant.text or "") if c.claimant else frozenset(),
                named_victim=_named_victim(c, lex),
                named_victims=named_victims,
            )
            if m is not None:
                c = replace(c, perpetrator=m.text)
        out.append(c)
    return out


def _shot_minus_killed(
    doc: Document,
    claims: list[Claim],
    shot_total: set[str],
    where: dict[str, tuple[int, int, int, bool, bool]],
) -> list[Claim]:
    """ "Five men were shot" and, elsewhere in the report, "two of them died": the
    injured are the three who were shot and lived (rule ``shot-minus-killed``). The
    deaths taken off are the largest exact killed figure below the number shot."""
    deaths = [
        c.count.min
        for c in claims
        if c.effect == "killed"
        and not (c.embedded or c.cumulative or c.stance == "denied")
        and c.count.min is not None
        and c.count.min == c.count.max
        # "shot three women and then killed himself": the gunman was not among them
        and c.count.text.lower() not in _REFLEXIVE
    ]
    out: list[Claim] = []
    for c in claims:
        n = c.count.min
        if (
            c.id in shot_total
            and c.count.rule.startswith(("exact", "sum"))  # not "shot-minus-fatal" again
            and n is not None
            and n >= 2
            and n == c.count.max
        ):
            below = [m for m in deaths if 0 < m < n]
            if below:
                para, fs, fe, additive, title = where[c.id]
                rule = "shot-minus-killed"
                c = replace(
                    c,
                    id=stable_id("claim", doc.id, fs, fe, c.effect, rule),
                    count=Count(n - max(below), n - max(below), c.count.text, rule),
                )
                where[c.id] = (para, fs, fe, additive, title)
        out.append(c)
    return out


# "four people dead, including a gunman": the words after "including"
_INCLUDING = re.compile(r"\bincluding\s+((?:\S+\s+){0,3}\S+)", re.IGNORECASE)


def _words_of(text: str | None) -> list[str]:
    return re.findall(r"[a-z]+", (text or "").lower())


def _self_death(d: _Draft, lex: Lexicon) -> bool:
    """ "killed himself", "took his own life", "committed suicide"."""
    return d.effect == "killed" and (d.noun.lower_ in _REFLEXIVE or _lost_lives(d.trigger, lex))


def _additive(d: _Draft, lex: Lexicon) -> bool:
    """ "two members of his escort were also killed", "two others were wounded",
    "another man died": victims in addition to ones named before."""
    if d.part_of_draft is not None or d.part_parent is not None:
        return False
    if _self_death(d, lex):
        # "killing his five young children as well as his wife ... The gunman then took
        # his own life": the one who killed them is one more dead
        return True
    verbs = [d.trigger]
    if d.trigger.dep_ == "conj" and d.trigger.head.lower_ in lex.shot_verbs:
        verbs.append(d.trigger.head)  # "also shot and killed a neighbor"
    if any(c.dep_ == "advmod" and c.lower_ == "also" for v in verbs for c in v.children):
        return True  # "two were also killed", "also shot and killed a neighbor"
    noun = d.noun
    if _OF_THE.fullmatch(noun.doc.text[d.fig_end : noun.idx]):
        return False  # "one of the others injured ... was his brother": one of them (0.4.29)
    if noun.lower_ in {"others", "another"}:
        return True  # not "the other": the rest of those told
    if _MORE_AFTER.match(noun.doc.text, d.fig_end):
        return True  # "have killed at least 35 more innocent civilians" (0.4.45)
    # "a second man was shot", "a second was injured" (0.4.31); not "the third victim,
    # who was found dead": one of those the report counts
    indefinite = any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in noun.children)
    if noun.lower_ in _ORDINALS:
        return indefinite
    return any(
        c.lower_ in {"another", "other"}
        or (c.lower_ in _ORDINALS and indefinite and c.dep_ == "amod")
        for c in noun.children
        if c.dep_ in {"det", "amod"}
    )


# between a figure and its noun: "one of the others", "two of those"
_OF_THE = re.compile(r"\s+of\s+(?:the|those|these)\s+", re.IGNORECASE)


_REFLEXIVE = frozenset({"himself", "herself", "themselves"})

_THE_OTHER = re.compile(r"\bthe\s+other\s+$", re.IGNORECASE)
_ORDINALS = {"second": 2, "third": 3}
_ORDINAL = re.compile(r"\b(second|third)\b", re.IGNORECASE)
_AND_OR = re.compile(r"\s*(?:and|or|&)\s", re.IGNORECASE)
_THE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_OTHER_AFTER = re.compile(r"\s+others?\b", re.IGNORECASE)
_MORE_AFTER = re.compile(r"\s+more\b(?!\s+than)", re.IGNORECASE)
_PARTITIVE = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|some|most|several|all)\s+"
    r"of\s+(?:the|them|those|these)\b",
    re.IGNORECASE,
)

# Sentences apart within which "also killed" adds to the figure before it.
_ALSO_WINDOW_CHARS = 600


def _also_sums(
    doc: Document, claims: list[Claim], where: dict[str, tuple[int, int, int, bool, bool]]
) -> list[Claim]:
    """Add up "X was assassinated ... two members of his escort were also killed": the
    sum of an additive figure and the figure of the same effect just before it, at most
    ``_ALSO_WINDOW_CHARS`` before (rule ``sum:also``; both are parts of it)."""
    out = list(claims)
    last: dict[str, Claim] = {}
    parts: dict[str, str] = {}
    previous: Claim | None = None  # the claim just before, of any effect
    self_added = False  # a gunman's own death already added to a toll ("himself")
    # in the order of their figures in the text ("7 other people dead and 30 injured":
    # the 30 come after the 7, whatever order the claims are listed in)
    for c in sorted(claims, key=lambda c: where[c.id][1] if c.id in where else c.start):
        info = where.get(c.id)
        if info is None or c.embedded or c.cumulative or c.part_of or c.stance == "denied":
            continue
        para, fs, fe, additive, _ = info
        # any paragraph (MUC-4 paragraphs are a sentence long): the window bounds it
        key = c.effect
        prev = last.get(key)
        last[key] = c
        before, previous = previous, c
        if not additive or prev is None or prev.count.min is None or c.count.min is None:
            continue
        if (
            before is not None
            and before.effect != c.effect
            and where[before.id][1] > where[prev.id][1]
        ):
            # "One man is dead and two others injured": the others are besides the
            # dead man, not besides an injured figure further back
            continue
        if where[prev.id][3] and (prev.count.min, prev.count.max) == (c.count.min, c.count.max):
            continue  # "two others injured" ... "two other people were injured": restated
        if where[prev.id][4] or any(
            x.count.rule.startswith(("vague", "plural")) for x in (prev, c)
        ):
            continue  # a headline restates the story; vague figures do not add up
        if "total" in prev.count.rule:
            continue  # "a total of four men were injured ... another man": one of the four
        reflexive = c.count.text.lower() in _REFLEXIVE
        if reflexive and self_added:
            continue  # "... before turning the gun on himself. ... turned the gun on
            # himself after ...": told again, one death (0.4.33)
        ordinal = _ORDINAL.search(c.count.text)
        if ordinal is not None and prev.count.min != _ORDINALS[ordinal.group(1).lower()] - 1:
            # "three men fatally shot ... A third deceased man's name": one of the three;
            # "a man was shot ... A second man was shot": the second of two (0.4.31)
            continue
        pfs = where[prev.id][1]
        if fs - pfs > _ALSO_WINDOW_CHARS or pfs >= fs:
            continue
        the_other = _THE_OTHER.search(doc.text, max(0, fs - 16), fs) or (
            _THE.search(doc.text, max(0, fs - 8), fs) and _OTHER_AFTER.match(doc.text, fe)
        )  # "the other four", "the two other injured victims"
        if the_other and (
            _PARTITIVE.search(doc.text, where[prev.id][2], fs)
            # "<Aleke> was one of three people wounded ... the two other injured
            # victims": fewer than the figure before, the rest of them (0.4.29)
            or prev.count.min > c.count.min
        ):
            # "The N others ... Two of the N were released ... The other four were in
            # stable condition": the rest of the N (a part of them), not four more
            parts[c.id] = prev.id
            continue
        hi = None if prev.count.max is None or c.count.max is None else prev.count.max + c.count.max
        total = replace(
            c,
            id=stable_id("claim", doc.id, pfs, fe, c.effect, "sum:also"),
            count=Count(prev.count.min + c.count.min, hi, doc.text[pfs:fe], "sum:also"),
            quote=doc.text[prev.start : c.end],
            start=prev.start,
            confidence=round(min(prev.confidence, c.confidence) - 0.1, 2),
        )
        out.append(total)
        self_added = self_added or reflexive
        where[total.id] = (para, pfs, fe, False, False)
        parts[prev.id] = parts[c.id] = total.id
        last[key] = total
    return [replace(c, part_of=parts[c.id]) if c.id in parts else c for c in out]
