"""Name keys for gazetteer lookup: case-, diacritic- and transliteration-insensitive.

Two keys per name. :func:`norm` is the exact key (case and diacritics folded,
punctuation to spaces). :func:`skeleton` is a looser key that absorbs the spelling
variation of names transliterated from Arabic, Kurdish, Persian or Russian
(Daquq/Dakuk, Qaraqosh/Qaraqush, Deir ez-Zor/Dayr al-Zawr, Rudskoy/Rudskoi): articles
dropped, vowel digraphs and q/k, kh/k, sh/s ... merged, doubled letters collapsed,
spaces removed. A skeleton match is weaker evidence than an exact one and is ranked
below it.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "CONNECTORS",
    "display_name",
    "is_english",
    "is_latin",
    "norm",
    "particle_name",
    "skeleton",
]

_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)
_SPACES = re.compile(r"\s+")
# Transliterated Arabic articles, written apart or hyphenated ("al-Zawr", "ez-Zor").
_ARTICLES = frozenset(
    {"al", "el", "ad", "ar", "as", "az", "ash", "at", "an", "ez", "es", "ed", "ul"}
)
# "al-Kubra", "el-Arish", "ash-Sharqat": a lower-case article joined to a capitalized
# name; in mixed-case text the word is part of a name like a capitalized one.
_PARTICLE_NAME = re.compile(
    r"(?:" + "|".join(sorted(_ARTICLES, key=len, reverse=True)) + r")[-\u2010\u2011][^\W\d_]",
    re.UNICODE,
)
# Applied in order on the exact key without spaces. Digraphs first, then single letters.
_RULES: tuple[tuple[str, str], ...] = (
    ("ou", "u"),
    ("oo", "u"),
    ("aw", "u"),
    ("au", "u"),
    ("ee", "i"),
    ("ei", "i"),
    ("ey", "i"),
    ("ay", "i"),
    ("ai", "i"),
    ("ie", "i"),
    ("ck", "k"),
    ("kh", "k"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("sh", "s"),
    ("ch", "s"),
    ("ph", "f"),
    ("q", "k"),
    ("c", "k"),
    ("w", "u"),
    ("y", "i"),
    ("j", "i"),
    ("o", "u"),
    ("e", "i"),
    ("z", "s"),
)
_DOUBLE = re.compile(r"(.)\1+")
# Characters that survive NFKD but are letters with no decomposition.
_FOLD = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "đ": "d",
        "ł": "l",
        "þ": "th",
        "ð": "d",
        "ʻ": "",
        "ʼ": "",
        "’": "",
        "'": "",
        "ʿ": "",
        "ʾ": "",
        "`": "",
    }
)


def norm(text: str) -> str:
    """The exact lookup key: ``"Deir ez-Zor"`` -> ``"deir ez zor"``."""
    if text.isascii():
        # Fast path (most names in English news): no diacritics to strip.
        return " ".join(_PUNCT.sub(" ", text.lower().replace("'", "").replace("`", "")).split())
    s = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = _PUNCT.sub(" ", s)
    return _SPACES.sub(" ", s).strip()


def skeleton(text: str) -> str:
    """The loose key: ``"Deir ez-Zor"`` and ``"Dayr al-Zawr"`` -> ``"dirsur"``."""
    # A final h after a vowel is often dropped: Raqqah/Raqqa, Hasakah/Hasaka, Baqubah.
    words = [
        w[:-1] if len(w) > 3 and w[-1] == "h" and w[-2] in "aeiou" else w
        for w in norm(text).split()
        if w not in _ARTICLES
    ]
    s = "".join(words)
    for a, b in _RULES:
        s = s.replace(a, b)
    return _DOUBLE.sub(r"\1", s)


def particle_name(word: str) -> bool:
    """Whether ``word`` is a name written with a lower-case Arabic article ("al-Hilla",
    "al-Kubra", "ad-Dawr"): the letter after the hyphen is a capital."""
    m = _PARTICLE_NAME.match(word)
    return m is not None and word[m.end() - 1].isupper()


# Lower-case words allowed inside a multi-word name ("San Luis de la Reina", "Deir ez-Zor").
CONNECTORS = frozenset(
    {
        "de",
        "del",
        "la",
        "las",
        "los",
        "el",
        "al",
        "ez",
        "es",
        "ad",
        "ar",
        "as",
        "ash",
        "an",
        "du",
        "da",
        "do",
        "dos",
        "das",
        "y",
        "of",
        "on",
        "upon",
        "sur",
        "le",
        "di",
        "bin",
        "ibn",
        "abu",
    }
)


def display_name(name: str, upper: bool) -> str:
    """The name as written, one line; upper-case text in title case with lower-case
    particles ("SANTA MARIA DEL VALLE" -> "Santa Maria del Valle")."""
    words = name.split()
    if not upper:
        return " ".join(words)
    out = []
    for i, w in enumerate(words):
        low = w.lower()
        if i > 0 and low in CONNECTORS:
            out.append(low)
        elif i > 0 and "-" in w and particle_name(f"{low.split('-')[0]}-{w.split('-', 1)[1]}"):
            # "UREM AL-KUBRA" -> "Urem al-Kubra"
            head, tail = low.split("-", 1)
            out.append(f"{head}-{tail[:1].upper()}{tail[1:]}")
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def is_english(word: str, english: frozenset[str]) -> bool:
    """Whether ``word`` (lower case) is an English word or a regular inflection of one."""
    if word in english:
        return True
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", "")):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and stem + repl in english:
            return True
    return False


def is_latin(text: str) -> bool:
    """True when every letter of ``text`` is Latin (alternate names in other scripts
    are dropped from the index: news in English spells places in Latin letters)."""
    has_letter = False
    for ch in text:
        if ch.isalpha():
            has_letter = True
            if not unicodedata.name(ch, "").startswith("LATIN"):
                return False
    return has_letter
