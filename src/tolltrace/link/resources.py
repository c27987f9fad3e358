"""The linker's small tables (stop words, party aliases, period words), read from
``tolltrace/data/link/`` when first asked for and passed to the stages as one value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["LinkTables", "load_tables"]


def _lines(name: str) -> list[str]:
    text = resources.files("tolltrace").joinpath("data", "link", name).read_text("utf-8")
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            out.append(line)
    return out


@dataclass(frozen=True, slots=True)
class LinkTables:
    stopwords: frozenset[str]
    parties: tuple[tuple[str, str], ...]  # (alias, party), longest alias first
    period_words: frozenset[str]
    period_leads: frozenset[str] = frozenset()
    period_since: frozenset[str] = frozenset()
    period_points: frozenset[str] = frozenset()
    # a statement that its victims were alive ("wounded", "in critical condition")
    survival: re.Pattern[str] = re.compile(r"(?!x)x")

    def told_alive(self, quote: str) -> bool:
        """Whether a claim's sentence says its victims survived (survival_words.txt)."""
        return self.survival.search(quote) is not None

    def is_period(self, words: list[str]) -> bool:
        """Whether a time expression (lower-cased words) is a period, not a day."""
        if any(w in self.period_points for w in words):
            return False
        if any(w in self.period_since for w in words):
            return True
        return any(
            w in self.period_leads and any(x in self.period_words for x in words[i + 1 : i + 4])
            for i, w in enumerate(words)
        )

    def party(self, text: str | None) -> str | None:
        """The party ``text`` names (``"Russian MoD"`` -> ``"Russia"``), else None."""
        if not text:
            return None
        # typographic apostrophes as typed ones: "Da’esh" is "da'esh"
        folded = text.lower().replace("\u2019", "'").replace("\u2018", "'")
        low = " " + re.sub(r"[^\w.'-]+", " ", folded).strip() + " "
        for alias, party in self.parties:
            if f" {alias} " in low:
                return party
        return None


@cache
def load_tables() -> LinkTables:
    """The linker's shipped tables, read once per process (they are immutable)."""
    stop: set[str] = set()
    for line in _lines("stopwords.txt"):
        stop.update(line.split())
    parties = []
    for line in _lines("parties.tsv"):
        alias, _, party = line.partition("\t")
        if party:
            parties.append((alias.strip().lower(), party.strip()))
    parties.sort(key=lambda p: -len(p[0]))
    kinds: dict[str, set[str]] = {"period": set(), "lead": set(), "since": set(), "point": set()}
    for line in _lines("period_words.txt"):
        kind, _, word = line.partition("\t")
        if word:
            kinds.setdefault(kind.strip(), set()).add(word.strip().lower())
    survival = [re.escape(w.lower()) for w in _lines("survival_words.txt")]
    return LinkTables(
        frozenset(stop),
        tuple(parties),
        frozenset(kinds["period"]),
        frozenset(kinds["lead"]),
        frozenset(kinds["since"]),
        frozenset(kinds["point"]),
        re.compile(r"\b(?:" + "|".join(survival) + ")", re.IGNORECASE),
    )
