"""Claimants: a claimant mention -> one normalized source with a kind.

In order:

1. the alias table (``data/resolve/claimants.tsv``): the longest alias contained in
   the mention wins ("Igor Konashenkov, spokesman of the Russian Defence Ministry"
   contains "Russian Defence Ministry"). Short all-capital aliases (UN, AP, WHO) match
   only as written, in a text that is not all capitals;
2. aliases learned in the document: "X, spokesman of Y", "Y spokesman X", "X, head
   of ... in Y": the person X (and their surname) stands for Y from then on;
3. generic sources by keyword (police, coroner, hospital, ministry, residents, ...)
   with a kind; a local official ("police", "authorities", "the sheriff's office") of
   a US document is named with the claim's city: "Rockford police".

Kinds: party, government, un/ngo, official, media, witness.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tolltrace.records import Claimant, Document
from tolltrace.resolve.names import norm
from tolltrace.resolve.tables import ClaimantAlias, Tables

__all__ = ["DocClaimants", "learn_aliases", "resolve_claimant"]

# Generic sources, tried in order on the normalized mention (first match wins).
_GENERIC: tuple[tuple[str, str, str], ...] = (
    (
        r"\b(?:police|sheriff|deputies|constabulary|state patrol|troopers?|lapd|nypd)\b",
        "police",
        "official",
    ),
    (r"\b(?:coroner|medical examiner)\b", "coroner", "official"),
    (
        r"\b(?:hospital|doctors?|medics?|paramedics|health (?:officials?|ministry|department)|"
        r"ministry of health|health ministry)\b",
        "medical officials",
        "official",
    ),
    (
        r"\b(?:mujahideen|shura|jaish|ansar|hezbollah|hamas|taliban|qaeda|brigades?|"
        r"battalions?|militias?)\b",
        "",
        "party",
    ),
    (
        r"\b(?:mayor|governor|local officials?|provincial officials?|city council|"
        r"county council|town council|"
        r"district attorney|prosecutors?|fire (?:department|chief|officials?))\b",
        "local officials",
        "official",
    ),
    (r"\b(?:authorities|officials?)\b", "authorities", "official"),
    (
        r"\b(?:army|military|armed forces|troops|defen[cs]e ministry|ministry of defen[cs]e|"
        r"general staff|battalion|brigade|command|guerrillas?|rebels?|insurgents?|militants?|"
        r"militia|front|commandos?)\b",
        "",
        "party",
    ),
    (
        r"\b(?:government|ministry|minister|president|presidency|prime minister|"
        r"spokesman|spokeswoman|embassy|state department)\b",
        "",
        "government",
    ),
    (
        r"\b(?:united nations|u n|ngo|human rights|amnesty|red cross|red crescent|"
        r"observatory|monitor|charity|aid (?:group|agency|workers?))\b",
        "",
        "un/ngo",
    ),
    (
        r"\b(?:witness(?:es)?|residents?|neighbou?rs?|survivors?|relatives?|family|"
        r"friends?|villagers?|locals|eyewitness(?:es)?|people)\b",
        "",
        "witness",
    ),
    (
        r"\b(?:news|agency|radio|television|tv|newspaper|reporters?|journalists?|"
        r"correspondents?|media|press)\b",
        "",
        "media",
    ),
)
_GENERIC_RE = tuple((re.compile(p), name, kind) for p, name, kind in _GENERIC)
# A local official whose name should carry the place ("police" -> "Rockford police").
_LOCAL = frozenset({"police", "authorities", "local officials", "coroner"})

_TITLE = (
    r"(?:spokes(?:man|woman|person)|head|chief|commander|director|minister|official|"
    r"representative|deputy\s+\w+|press\s+secretary|general)"
)
_PERSON = (
    r"(?:(?:Gen|Maj|Lt|Col|Capt|Sgt|Dr|Mr|Ms|Mrs|Adm)\.?\s+)?"
    r"[A-Z][a-z]+(?:\s+[A-Z][a-z'\-]+){1,2}"
)
_TITLE_WORD = re.compile(_TITLE)
# "Igor Konashenkov, spokesman of the Russian Defence Ministry"
_APPOSITIVE = re.compile(
    rf"(?P<person>{_PERSON}),\s+(?:the\s+)?{_TITLE}(?:\s+of\s+[A-Za-z]+)?\s+"
    r"(?:of|at|for|in|with)\s+(?:the\s+)?(?P<org>[A-Z][\w.'’\-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w.'’\-]*){0,5})"
)
# "Russian Defence Ministry spokesman Igor Konashenkov"
_PREFIXED = re.compile(
    r"(?P<org>[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,4})\s+"
    rf"{_TITLE}\s+(?P<person>{_PERSON})"
)


@dataclass(frozen=True, slots=True)
class DocClaimants:
    """Person -> organisation aliases learned in one document (normalized keys)."""

    learned: dict[str, ClaimantAlias]


def _lookup_alias(text: str, tables: Tables) -> ClaimantAlias | None:
    key = f" {norm(text)} "
    if key.startswith(" the "):
        key = key[4:]
    best: tuple[int, ClaimantAlias] | None = None
    upper_text = text.isupper()
    for alias_key, value in tables.claimants.items():
        if f" {alias_key} " not in key:
            continue
        # Short acronyms (UN, AP, WHO, RT) must appear as written, in capitals.
        if value.acronym and (
            upper_text or not re.search(rf"\b{re.escape(alias_key.upper())}\b", text)
        ):
            continue
        if best is None or len(alias_key) > best[0]:
            best = (len(alias_key), value)
    return best[1] if best else None


def learn_aliases(doc: Document, tables: Tables) -> DocClaimants:
    """Read appositives and titles in the document: who speaks for which source."""
    learned: dict[str, ClaimantAlias] = {}
    # Both patterns need a capitalized name and a title word: skip texts without them
    # (all upper-case MUC messages, most local news), the scan is the costly part.
    if doc.text.isupper() or not _TITLE_WORD.search(doc.text):
        return DocClaimants(learned)
    for pat in (_APPOSITIVE, _PREFIXED):
        for m in pat.finditer(doc.text):
            org = m.group("org").strip()
            found = _lookup_alias(org, tables) or _generic(org)
            if found is None:
                continue
            person = re.sub(
                r"^(?:Gen|Maj|Lt|Col|Capt|Sgt|Dr|Mr|Ms|Mrs|Adm)\.?\s+", "", m.group("person")
            ).strip()
            learned.setdefault(norm(person), found)
            surname = person.split()[-1]
            learned.setdefault(norm(surname), found)
    return DocClaimants(learned)


def _generic(text: str) -> ClaimantAlias | None:
    key = norm(text)
    for pat, name, kind in _GENERIC_RE:
        if pat.search(key):
            return ClaimantAlias(name or _clean(text), kind)
    return None


def _clean(text: str) -> str:
    s = " ".join(text.split()).strip(" ,.;:")
    return s[4:] if s.lower().startswith("the ") else s


def resolve_claimant(
    claimant: Claimant, ctx: DocClaimants, tables: Tables, city: str | None = None
) -> Claimant:
    """Normalize one claimant mention; an unknown one keeps its words as its name."""
    text = claimant.text
    if not text:
        return claimant
    found = _lookup_alias(text, tables)
    if found is None:
        key = f" {norm(text)} "
        for person, alias in sorted(ctx.learned.items(), key=lambda kv: -len(kv[0])):
            if f" {person} " in key:
                found = alias
                break
    if found is None:
        found = _generic(text)
        if found is not None and found.name in _LOCAL and city:
            found = ClaimantAlias(f"{city} {found.name}", found.kind)
    if found is None:
        return Claimant(text=text, name=_clean(text), kind=claimant.kind)
    return Claimant(text=text, name=found.name, kind=found.kind)
