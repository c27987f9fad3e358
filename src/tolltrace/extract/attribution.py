"""Who asserts a claim (claimant mention) and how (stance: asserted, denied, hedged)."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from tolltrace.extract.lexicon import Lexicon
from tolltrace.records import Stance

__all__ = [
    "claimant_in_sentence",
    "claimant_in_text",
    "final_attribution",
    "headline_claimant",
    "stance_of",
]

_NAME = (
    r"(?:the |The |THE )?[A-Z][\w'’.&-]*(?: (?:of |the |for |de |la |del )?[A-Z][\w'’.&-]*){0,6}"
)
_COMMON = (
    r"(?:the |The )?(?:police|officials|authorities|witnesses|residents|sources|medics|"
    r"doctors|hospital officials|local officials|security sources|activists|investigators|"
    r"prosecutors|deputies|the sheriff's office|the coroner)"
)
# "claimed" reports speech only before "that" or a clause's end: "Dae'sh claimed dual
# attacks" claims responsibility for them, no figure (0.4.43)
_SAID = (
    r"(?:said|says|told|reported|reports|stated|announced|confirmed|added|"
    r"claimed(?=\s+that\b|\s*[,.;:\"“”]|\s*$))"
)
_ACCORDING = re.compile(r"\b(?:according to|citing|quoting) (" + _NAME + "|" + _COMMON + ")")
_SUBJ_SAID = re.compile(r"(" + _NAME + "|" + _COMMON + r"),? " + _SAID + r"\b")
_SAID_SUBJ = re.compile(r"\b" + _SAID + r",? (" + _NAME + "|" + _COMMON + r")\s*[.,]?\s*$")
_WORD = re.compile(r"[a-z']+")
_NOT_CLAIMANT = frozenset(
    {"he", "she", "it", "they", "we", "i", "you", "there", "this", "that", "but", "and"}
)


def _span_text(tok: Token, original: str) -> str:
    s = tok.left_edge.idx
    e = tok.right_edge.idx + len(tok.right_edge.text)
    return original[s:e].strip(" ,")


def _subject_text(verb: Token, original: str) -> str | None:
    """The speech verb's subject, without a trailing apposition ("X, head of Y,").
    (A news dateline, "PINE BLUFF, Ark.-- Pine Bluff Police say", is no part of the
    sentence: sentences.segments leaves it out.)"""
    for c in verb.children:
        if c.dep_ in {"nsubj", "nsubjpass"}:
            start = c.left_edge.idx
            last = c
            for cc in c.rights:
                if cc.dep_ in {"appos", "relcl", "acl", "punct"}:
                    break
                last = cc.right_edge
            return original[start : last.idx + len(last.text)].strip(" ,")
    return None


def claimant_in_sentence(trigger: Token, lex: Lexicon, original: str) -> str | None:
    """The speaker of the sentence holding ``trigger``: a speech verb that governs it
    ("X said"), or "according to X"."""
    doc = trigger.doc
    words = _words(doc)
    if words.isdisjoint(lex.speech_verbs) and "according" not in words:
        return None
    for t in doc if "according" in words else ():
        if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            for p in doc[t.i + 1].children:
                if p.dep_ == "pobj":
                    return _span_text(p, original)
    ancestors = list(trigger.ancestors)
    speech = [t for t in ancestors if t.lower_ in lex.speech_verbs and t.pos_ in {"VERB", "AUX"}]
    if not speech:
        # "60 killed, the Russian military reported": the speech verb can be a sibling
        speech = [
            t
            for t in doc
            if t.lower_ in lex.speech_verbs
            and t.pos_ == "VERB"
            and t.dep_ in {"ROOT", "parataxis", "ccomp", "advcl"}
            and t not in ancestors
            and t.i != trigger.i
        ]
    for verb in speech:
        if verb.lower_.startswith("claim") and not any(c.dep_ == "ccomp" for c in verb.children):
            continue  # "attacks claimed by Da'esh": responsibility, not speech
        subj = _subject_text(verb, original)
        if subj and subj.lower() not in {"which", "that", "who", "it", "this"}:
            return subj
    return None


# "..., including five children, the Syrian Observatory for Human Rights said.": a
# reporting clause closing the sentence after a comma. Its speaker is any short phrase
# (not a relative clause, not one holding a number); the verb may take a time or an
# addressee ("said on Monday", "told AFP").
_FINAL = re.compile(
    r",\s+(?P<who>[^,;:()\"“”\d]{2,80}?)\s+(?:said|says|told|reported|reports|stated|"
    r"announced|confirmed|added)\b(?P<rest>[^,;:\"“”]{0,40}?)[.!]?[\"'”’]?\s*$",
    re.IGNORECASE,
)
_NOT_SPEAKER_START = frozenset(
    {
        "which", "that", "who", "whom", "and", "but", "or", "as", "while", "when", "where",
        "after", "before", "because", "although", "though", "if", "since", "so", "than",
        "it", "there", "this", "what",
    }
)  # fmt: skip


def final_attribution(sentence: str, lex: Lexicon) -> tuple[int, str] | None:
    """``(offset of its comma, speaker)`` of a reporting clause that closes ``sentence``
    ("..., the Syrian Observatory for Human Rights said."), None without one. The small
    parser often reads such a speaker as part of the last victim phrase and the victims
    as the speech verb's subject; extraction parses the sentence without the clause."""
    m = _FINAL.search(sentence)
    if m is None:
        return None
    who = m.group("who").strip()
    words = who.split()
    if not words or len(words) > 8 or words[0].lower() in _NOT_SPEAKER_START:
        return None
    rest = m.group("rest").split()
    if len(rest) > 4 or any(w.lower().strip(".'’") in lex.trigger_words for w in (*words, *rest)):
        # "..., the man who shot him said", "..., she said a monster hurt her": more
        # than a speaker and a time or an addressee
        return None
    return m.start(), who


def claimant_in_text(text: str) -> str | None:
    """A speaker named in a sentence without parsing it (used for a claim's neighbours
    in the paragraph): "according to X", "X said", "..., said X."."""
    for pattern in (_ACCORDING, _SUBJ_SAID, _SAID_SUBJ):
        m = pattern.search(text)
        if m is not None:
            name = m.group(1).strip()
            if name.split(" ")[0].lower() in _NOT_CLAIMANT or len(name) < 3:
                continue
            return name
    return None


_AGENCY_INITIALS = re.compile(r"^[A-Z]{2,6}$")


def _headline_source(words: list[str], lex: Lexicon) -> bool:
    """Words that can be a headline's source: "Police", "FCO Minister", "Texas police",
    "NOPD" (an agency's initials; not a label such as "UPDATE")."""
    if not 0 < len(words) <= 3:
        return False
    last = words[-1].lower().strip(".,'’")
    if last in lex.headline_labels:
        return False
    if last in lex.headline_sources:
        return True
    return len(words) == 1 and _AGENCY_INITIALS.match(words[0]) is not None


def headline_claimant(text: str, lex: Lexicon) -> str | None:
    """The source a headline names: after its dash ('60 civilians killed ... – Russian
    MoD'), before its colon ('Police: Man kills woman, her son, himself'), or after its
    last colon ('Seven wounded in possible gang shooting at Chicago nightclub: police')."""
    head, sep, tail = text.partition(": ")
    if sep and tail and _headline_source(head.split(), lex):
        return head.strip()
    head, sep, tail = text.rpartition(": ")
    if sep and head and _headline_source(tail.split(), lex):
        return tail.strip()
    suffix = headline_suffix(text, lex)
    if suffix is not None:
        return suffix[1]
    final = final_attribution(text, lex)
    if final is not None and len(final[1].split()) <= 4:
        return final[1]  # "Syria: air strikes kill 23 civilians in Idlib, monitor says"
    return None


def headline_suffix(text: str, lex: Lexicon) -> tuple[int, str] | None:
    """``(offset of the dash, source)`` of a headline's source suffix: after an en or
    em dash, a capitalized name ("– Russian MoD") or up to three words ending in a
    source noun ("– monitor", "– state media"); after a hyphen, only the lower-case
    nouns ("... kills 12 - officials"), since local sites end their titles with their
    capitalized names ("- News - <Paper>")."""
    for dash in (*lex.headline_dashes, "-"):
        head, sep, tail = text.rpartition(f" {dash} ")
        if not (sep and head):
            continue
        tail = tail.strip()
        words = tail.split()
        if dash != "-" and 0 < len(words) <= 5 and tail[:1].isupper():
            return len(head), tail
        if (
            0 < len(words) <= 3
            and words[-1].lower().strip(".") in lex.headline_sources
            and (dash != "-" or tail.islower())
        ):
            return len(head), tail  # "... kill 23 civilians in Idlib – monitor"
    return None


# "would have been killed", "should have": what did not happen; "could have" too with a
# condition ("if ...", "easily"); "may have", "might have" hedge what did
_COUNTERFACTUAL = frozenset({"would", "should"})
_CONDITIONAL = frozenset({"if", "easily", "unless", "otherwise"})

# "within inches of", "close to", "on the verge of" before an effect verb: a near miss
_NEAR_MISS = frozenset({"inches", "inch", "feet", "close", "closer", "short", "verge", "brink"})


def stance_of(trigger: Token, lex: Lexicon) -> Stance | None:
    """asserted / denied / hedged; None when the clause is not a claim of harm done
    ("hundreds of thousands may flee": a modal without a perfect)."""
    chain = [trigger, *trigger.ancestors]
    verbs = [trigger, trigger.head] if trigger.dep_ == "conj" else [trigger]
    if any(c.dep_ == "aux" and c.tag_ == "TO" for v in verbs for c in v.children):
        return None  # "threatened to kill", "tried to kill (and injure)": intent, not harm
    # "could have hit her in the heart and killed her": a conjunct verb shares the
    # auxiliaries of the verb it is coordinated with
    aux = [c for v in verbs for c in v.children if c.dep_ in {"aux", "auxpass"}]
    modal = [a for a in aux if a.lower_ in lex.modals]
    perfect = any(a.lower_ in {"have", "has", "had", "'ve"} for a in aux)
    if modal and not perfect:
        return None
    if perfect and any(
        a.lower_ in _COUNTERFACTUAL
        or (a.lower_ == "could" and any(t.lower_ in _CONDITIONAL for t in verbs[-1].subtree))
        for a in modal
    ):
        # "would have been killed", "if she had been in the wrong position it could
        # easily have killed her": no harm done ("the possibility that the six Jesuits
        # could have been murdered by the military" doubts the doer, not the deaths)
        return None
    if any(c.dep_ == "advmod" and c.lower_ in {"almost", "nearly"} for c in trigger.children):
        return None  # "was almost killed": no death
    if (
        trigger.dep_ == "pcomp"
        and trigger.head.lower_ in {"of", "to"}
        and trigger.head.head.lower_ in _NEAR_MISS
    ):
        return None  # "came within inches of killing", "came close to killing": no harm
    denial = any(t.lower_ in lex.denial_verbs for t in chain[1:])
    if any(c.dep_ == "neg" for c in trigger.children) and not denial:
        return None  # "the troopers were not injured": no harm claimed
    if denial:
        return "denied"
    words = _words(trigger.doc)
    if words.isdisjoint(lex.denial_words) and words.isdisjoint(lex.denial_verbs):
        return "hedged" if modal else _hedged(trigger, words, lex)
    for t in trigger.doc:
        if t.lower_ in lex.denial_words and t.dep_ in {"acomp", "amod", "attr"}:
            return "denied"
        if t.lower_ in lex.denial_verbs and t.pos_ == "VERB" and t.i < trigger.i:
            # "the Pentagon denied any involvement in the strike that killed 15"
            return "denied"
    if modal:
        return "hedged"
    return _hedged(trigger, words, lex)


def _words(doc: Doc) -> set[str]:
    # asked once per claim of the sentence: kept on the Doc (Doc.text joins its tokens)
    words: set[str] | None = doc.user_data.get("tolltrace.words")
    if words is None:
        words = doc.user_data["tolltrace.words"] = set(_WORD.findall(doc.text.lower()))
    return words


def _hedged(trigger: Token, words: set[str], lex: Lexicon) -> Stance:
    if words.isdisjoint(lex.hedges):
        return "asserted"
    for t in trigger.doc:
        low = t.lower_
        if low in lex.hedges and low not in lex.modals:
            if low in {"reports", "claims"}:
                # "reports that ISIL has killed 70", "reports of the murder of hundreds"
                if t.pos_ == "NOUN" and any(
                    c.dep_ in {"acl", "ccomp"} or (c.dep_ == "prep" and c.lower_ == "of")
                    for c in t.children
                ):
                    return "hedged"
                before = [x for x in t.doc[: t.i] if not x.is_space]
                if (
                    (not before or before[-1].text in {":", "-", "–", "—"})
                    and t.i + 1 < len(t.doc)
                    and t.nbor(1).lower_ in {"that", "of"}
                ):
                    # a headline "FCO Minister: Reports that ISIL have murdered 70 ...",
                    # where the tagger takes the capitalized noun for a verb
                    return "hedged"
                continue
            return "hedged"
    return "asserted"
