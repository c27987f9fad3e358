"""Figure wording -> :class:`~tolltrace.records.Count` (an interval, its wording, the rule).

Works on plain text with its own small tokenizer, so it is fast, testable without a
model, and keeps exact character offsets. The conventions (which wording gives which
interval) live in ``data/extract/numbers.json`` and are tabulated in
``docs/extraction.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tolltrace.extract.lexicon import Lexicon
from tolltrace.records import Count

__all__ = ["Figure", "Tok", "find_figures", "parse_count", "tokenize"]

# Digits glued to letters ("fox13now", "30km", "2nd", "M-16") are one word, not a figure.
_TOKEN = re.compile(
    r"\b[ap]\.m\.?"
    # thousands separators only between digit groups: "injuring 1,000, officials said"
    # ends at the 0 (a trailing comma once made the figure unreadable)
    r"|\d+(?:,\d{3})*(?:\.\d+)?(?![A-Za-z\d])"
    r"|[A-Za-z\d]+(?:['’][A-Za-z]+)*(?:-[A-Za-z\d]+)*\.?"
    r"|[^\sA-Za-z\d]"
)
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class Tok:
    text: str
    lower: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure found in text: its Count and where its wording and core number are."""

    count: Count
    start: int  # wording, qualifiers included
    end: int
    core_start: int  # the number itself ("60" in "over 60"), for linking to the parse
    core_end: int
    vague: bool = False
    year_like: bool = False  # a bare 1900..2099: only a figure if a person noun follows


def tokenize(text: str) -> list[Tok]:
    out = []
    for m in _TOKEN.finditer(text):
        t = m.group(0)
        low = t.lower()
        # a sentence-final period glued to a word is punctuation, not part of it
        # (but keep "a.m."-like abbreviations handled by the not-after table).
        if low.endswith(".") and low not in {"a.m.", "p.m.", "no.", "nos."} and len(t) > 1:
            out.append(Tok(t[:-1], low[:-1], m.start(), m.end() - 1))
            out.append(Tok(".", ".", m.end() - 1, m.end()))
            continue
        out.append(Tok(t, low, m.start(), m.end()))
    return out


def _match_phrase(toks: list[Tok], i: int, phrases: dict[str, object]) -> tuple[str, int]:
    """Longest phrase of ``phrases`` starting at token ``i``: (phrase, tokens used)."""
    best = ("", 0)
    for n in (4, 3, 2, 1):
        if i + n > len(toks):
            continue
        cand = " ".join(t.lower for t in toks[i : i + n])
        if cand in phrases and n > best[1]:
            best = (cand, n)
            break
    return best


def _word_value(word: str, lex: Lexicon) -> int | None:
    """'seven' -> 7, 'twenty-five' -> 25; None for anything else."""
    if word in lex.units:
        return lex.units[word]
    if word in lex.tens:
        return lex.tens[word]
    if "-" in word:
        a, _, b = word.partition("-")
        if a in lex.tens and b in lex.units and 0 < lex.units[b] < 10:
            return lex.tens[a] + lex.units[b]
    return None


def _core(toks: list[Tok], i: int, lex: Lexicon) -> tuple[int, int, str] | None:
    """An exact number starting at token ``i``: (value, tokens used, rule)."""
    if i >= len(toks):
        return None
    t = toks[i]
    phrase, n = _match_phrase(toks, i, lex.dozen)  # type: ignore[arg-type]
    if n:
        return lex.dozen[phrase], n, "dozen"
    if _DIGITS.fullmatch(t.text):
        if "." in t.text:
            # decimals are figures only with a scale word: "1.5 million"
            if i + 1 < len(toks) and toks[i + 1].lower in lex.scales:
                return round(float(t.text) * lex.scales[toks[i + 1].lower]), 2, "exact"
            return None
        value = int(t.text.replace(",", ""))
        used = 1
        if i + 1 < len(toks) and toks[i + 1].lower in {"million", "thousand"}:
            value *= lex.scales[toks[i + 1].lower]
            used = 2
        return value, used, "exact"
    # number words: "one hundred and twenty", "a hundred", "twenty-five", "three thousand"
    j = i
    total = 0
    current = 0
    seen = False
    if t.lower in {"a", "an"} and i + 1 < len(toks) and toks[i + 1].lower in lex.scales:
        current, j, seen = 1, i + 1, True
    while j < len(toks):
        w = toks[j].lower
        v = _word_value(w, lex)
        if v is not None:
            # "twenty five" composes, "two three" does not
            if seen and current % 100 != 0 and not (current % 10 == 0 and v < 10):
                break
            current += v
        elif w in lex.scales and seen:
            if lex.scales[w] == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * lex.scales[w]
                current = 0
        elif not (
            w == "and"
            and seen
            and (current >= 100 or total > 0)
            and j + 1 < len(toks)
            and _word_value(toks[j + 1].lower, lex) is not None
        ):
            break
        seen = True
        j += 1
    if not seen:
        return None
    return total + current, j - i, "exact:words"


def _excluded_after(toks: list[Tok], k: int, lex: Lexicon) -> bool:
    """Is the token after a number (index ``k``) an age, unit, time, ...?"""
    if k >= len(toks):
        return False
    t = toks[k]
    if t.lower in lex.not_after:
        return True
    if t.text in {":", "%", "/", "°", "′", "″", "'"}:
        return True  # times, percentages, dates (25/10/2016), coordinates
    if "".join(x.lower for x in toks[k : k + 4]).startswith(("y/o", "y.o.")):
        return True  # "a 43 y/o man": an age
    if t.text in {"-", "–"} and k + 1 < len(toks):
        nxt = toks[k + 1].lower
        if nxt in lex.not_after or nxt.split("-")[0] in lex.not_after:
            return True
    return t.lower.split("-")[0] in {"year", "month", "week", "day", "hour", "yr"}


# After "<Name>, 20," or "<Name> 20,": the words that go on with the person, not with
# a count ("..., 20, of Chattanooga", "..., 21, was found", "..., 19, and ...").
_AFTER_AGE = frozenset(
    {"was", "is", "has", "had", "of", "from", "who", "and", "remains", "remained", "died"}
)
_PARENTS = frozenset({"father", "mother", "dad", "mom", "parent", "grandfather", "grandmother"})
# A singular verb right after a number above one: the number is no count of its subject
# ("Calvin Williams, 24 was shot", "Atkins 21, was found"), it is an age.
_SINGULAR_VERBS = frozenset({"was", "is", "has"})


def _not_a_count(
    toks: list[Tok], start: int, end: int, core: int, value: int, qn: int, text: str, lex: Lexicon
) -> bool:
    """A number that is an age after a name, part of a file name or a code (0.4.41), or
    the total of a counter ("Image 38 of 111", 0.4.40).

    - "Talitha Bowman,20, of Chattanooga", "Robert Atkins 21, was found", "The other, 25,
      is in critical condition", "Calvin Williams, 24 was shot", "Weiss (19)": an age.
    - "David_Abraham_Marcus_27.jpg": part of a file name; "39-13-202" (a statute), a
      phone number: a code.
    """
    if (
        start > 2
        and toks[start - 1].lower == "of"
        and toks[start - 2].text[:1].isdigit()
        and toks[start - 3].lower in lex.not_before
    ):
        # the count of a "page 3 of 10", "Image 38 of 111" (a gallery's caption): the
        # second number is no more a figure than the first (0.4.40)
        return True
    tok = toks[core]
    if not tok.text.isdigit():
        return False
    before = text[tok.start - 1] if tok.start > 0 else ""
    after = text[tok.end] if tok.end < len(text) else ""
    if before == "_" or after == "_":
        return True
    nxt = toks[end + 1] if end + 1 < len(toks) else None
    nxt2 = toks[end + 2] if end + 2 < len(toks) else None
    prev = toks[start - 1] if start > 0 else None
    prev2 = toks[start - 2] if start > 1 else None
    joined = nxt is not None and nxt.text == "-" and nxt.start == tok.end
    if (
        joined
        and nxt2 is not None
        and nxt2.text.isdigit()
        and end + 3 < len(toks)
        and toks[end + 3].text == "-"
    ):
        return True  # "39-13-202", "555-123-4567"
    if (
        prev is not None
        and prev2 is not None
        and prev.text == "-"
        and prev.end == tok.start
        and prev2.text.isdigit()
        and prev2.end == prev.start
    ):
        return True  # the "13" of "39-13" when it was no range (13 below 39)
    if qn or not 1 < value <= 120 or prev is None:
        return False
    named = prev.text == "," or (
        # a name: capitalized, not a word of upper-case text ("WOUNDED 30, AND CAPTURED")
        prev.text[:1].isupper()
        and not prev.text.isupper()
        and prev.text.isalpha()
        and prev.lower not in lex.verbs  # "Man Kills 2, Is Arrested"
        and start > 1
        and prev2 is not None
        and prev2.text not in {".", ":", "(", '"'}
    )
    if named and nxt is not None and nxt.text == "," and nxt2 is not None:
        return nxt2.lower in _AFTER_AGE
    if (
        prev.text == ","
        and prev2 is not None
        and prev2.lower in lex.person_group
        # (not "36 people, 11 of whom have bullet wounds")
        and (nxt is None or nxt.text in {",", ".", ";", ":", ")"})
    ):
        return True  # "15-year-old shoots, kills man, 18"
    if prev.lower == "of" and prev2 is not None and prev2.lower in _PARENTS:
        return True  # "Father of 4 Killed in Shooting": his children, no toll
    if prev.text == "," and nxt is not None and nxt.lower in _SINGULAR_VERBS:
        return True
    # "Veronika Elizabeth Weiss (19)"
    return (
        prev.text == "("
        and nxt is not None
        and nxt.text == ")"
        and prev2 is not None
        and prev2.text[:1].isupper()
        and prev2.text.isalpha()
    )


def find_figures(text: str, lex: Lexicon) -> list[Figure]:
    """Every figure stated in ``text`` (a sentence), left to right, not overlapping."""
    if lex.numberish.search(text) is None:
        return []  # no digit and no number or quantity word: nothing to read
    toks = tokenize(text)
    out: list[Figure] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if not t.text[0].isdigit() and t.lower.split("-")[0] not in lex.figure_starts:
            i += 1
            continue
        fig, used = _figure_at(toks, i, text, lex)
        if fig is None:
            i += 1
            continue
        out.append(fig)
        i += used
    return out


def _figure_at(toks: list[Tok], i: int, text: str, lex: Lexicon) -> tuple[Figure | None, int]:
    start_tok = i
    qual_phrase, qn = _match_phrase(toks, i, lex.qualifiers)  # type: ignore[arg-type]
    between = False
    if toks[i].lower == "between":
        between, qn = True, 1
    j = i + qn
    core = _core(toks, j, lex)
    if core is None and qn and qual_phrase in lex.vague:
        # "some" before a noun is the vague quantity, not a qualifier
        qn, j, qual_phrase = 0, i, ""
    if core is None:
        if qn:  # a qualifier before a vague word: "at least dozens"
            j = i + qn
        vphrase, vn = _match_phrase(toks, j, lex.vague)  # type: ignore[arg-type]
        if not vn:
            return None, 1
        vlo, vhi, rule = lex.vague[vphrase]
        end_tok = j + vn - 1
        if _excluded_after(toks, end_tok + 1, lex):
            return None, vn  # "shot multiple times", "several days"
        # "several hundred", "a few thousand": the vague word scales the number
        if end_tok + 1 < len(toks) and toks[end_tok + 1].lower in lex.scales and vlo is not None:
            scale = lex.scales[toks[end_tok + 1].lower]
            vlo, vhi = vlo * scale, None if vhi is None else vhi * scale
            rule = f"{rule}-{toks[end_tok + 1].lower}"
            end_tok += 1
        s, e = toks[start_tok if qn else j].start, toks[end_tok].end
        cs, ce = toks[j].start, toks[end_tok].end
        return (
            Figure(Count(vlo, vhi, text[s:e], rule), s, e, cs, ce, vague=True),
            end_tok - start_tok + 1,
        )
    value, n, rule = core
    core_tok = j
    end_tok = j + n - 1
    # context that makes it not a casualty figure
    prev = toks[start_tok - 1].lower if start_tok > 0 else ""
    if prev in lex.not_before or prev in {"$", "#"}:
        return None, n + qn
    if _not_a_count(toks, start_tok, end_tok, core_tok, value, qn, text, lex):
        return None, n + qn
    if _excluded_after(toks, end_tok + 1, lex):
        return None, n + qn
    if prev == "[" and end_tok + 1 < len(toks) and toks[end_tok + 1].text == "]":
        return None, n + qn  # a footnote mark: "[2]"
    if (
        toks[core_tok].text[:1].isdigit()
        and start_tok > 0
        and toks[start_tok - 1].text in {":", "/", "."}
        # "10:30", "25/10", "3.5", "Jan. 19"; not a headline's "Officials: 30 killed ..."
        and (toks[start_tok - 1].text != ":" or toks[start_tok - 1].end == toks[start_tok].start)
    ):
        return None, n + qn
    lo: int | None = value
    hi: int | None = value
    # ranges: "15-20", "15 to 20", "between 15 and 20", "15 or 16"
    k = end_tok + 1
    joiners = {"-", "–", "to", "or"} if not between else {"and"}
    if k < len(toks) and toks[k].lower in joiners:
        other = _core(toks, k + 1, lex)
        if other is not None and other[0] > value:
            hi = other[0]
            end_tok = k + other[1]
            rule = "range"
            if _excluded_after(toks, end_tok + 1, lex):
                return None, end_tok - start_tok + 1
    if between and rule != "range":
        return None, 1
    # suffix qualifiers: "20 or more", "20-plus", "20+"
    suf_phrase, sn = _match_phrase(toks, end_tok + 1, lex.suffix_qualifiers)  # type: ignore[arg-type]
    kind = None
    if qn and not between:
        kind = lex.qualifiers[qual_phrase]
        rule = f"{kind}:{qual_phrase}"
    elif sn:
        kind = lex.suffix_qualifiers[suf_phrase]
        rule = f"{kind}:{suf_phrase}"
        end_tok += sn
    if kind == "min":
        hi = None
    elif kind == "max":
        lo = None
    if hi is not None and lo is not None and hi == lo and rule == "range":
        rule = "exact"
    s = toks[start_tok].start
    e = toks[end_tok].end
    year_like = prev in lex.months or (
        rule in {"exact"}
        and toks[core_tok].text.isdigit()
        and len(toks[core_tok].text) == 4
        and lex.year_range[0] <= value <= lex.year_range[1]
    )
    return (
        Figure(
            Count(lo, hi, text[s:e], rule),
            s,
            e,
            toks[core_tok].start,
            toks[core_tok + n - 1].end,
            year_like=year_like,
        ),
        end_tok - start_tok + 1,
    )


def parse_count(wording: str, lex: Lexicon) -> Count | None:
    """The Count of a wording on its own ("over 60" -> 60..None, rule "min:over")."""
    figs = find_figures(wording, lex)
    return figs[0].count if figs else None
