"""Which parts of a document can hold a claim: segmentation and a cheap lexical filter.

The document is cut into its title, the headlines of other articles it quotes
(``doc.embedded``) and body sentences, with exact offsets; only sentences that contain an
effect word (``effects.json`` "prefilter") go on to the parser. The splitter is a
regex, not the model: it is much cheaper than parsing every sentence, and the parser
only sees what passes the filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from tolltrace.datelines import dateline_end
from tolltrace.extract.lexicon import Lexicon
from tolltrace.records import Document

__all__ = ["Segment", "candidate_segments", "is_upper", "passes_filter", "segments"]

Kind = Literal["title", "body", "embedded"]

# A period ends a sentence unless it closes one of these abbreviations.
_ABBREV = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "lt",
        "col",
        "sgt",
        "capt",
        "maj",
        "gov",
        "sen",
        "rep",
        "st",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "nos",
        "vs",
        "etc",
        "inc",
        "co",
        "corp",
        "jr",
        "sr",
        "ft",
        "mt",
        "adm",
        "cmdr",
        "brig",
        "cpl",
        "pvt",
        "spc",
        "supt",
        "insp",
        "det",
        "u.s",
        "u.n",
        "a.m",
        "p.m",
        "approx",
        "est",
        "dept",
        "ave",
        "blvd",
        "rd",
        "hwy",
    ]
)
# a sentence end, with closing quotes/brackets and Wikipedia's footnote marks ("[3]")
_BOUNDARY = re.compile(r"[.!?]+(?:\[\d+\])*[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_EMBED_PREFIX = re.compile(r"^\[@[A-Za-z0-9_]+\]\([^)]*\)\s*")
_EMBED_SUFFIX = re.compile(r"\s*<https?://[^>]*>\s*$")
# Sentences longer than this (scraped pages without punctuation) are cut at whitespace:
# the parser's cost grows with length and such runs are rarely one sentence.
_MAX_SENTENCE = 600


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence-sized piece of ``doc.text`` (``start``/``end`` are exact offsets)."""

    start: int
    end: int
    kind: Kind
    paragraph: int
    index: int  # position among all segments of the document


_LOWER = re.compile(r"[a-z]")
_UPPER = re.compile(r"[A-Z]")


def is_upper(text: str) -> bool:
    """Is the text written in capitals (MUC-4 style)?"""
    upper = len(_UPPER.findall(text))
    letters = upper + len(_LOWER.findall(text))
    if letters < 8:
        return False
    return upper / letters > 0.85


def _open_end(line: str) -> bool:
    """Does the sentence go on past the end of this line? ("... AND MR." does.)"""
    end = line.rstrip()
    if not end.endswith((".", "!", "?", ":", '"', "]", "”")):
        return True
    last = re.search(r"([A-Za-z]+)\.$", end)
    return last is not None and last.group(1).lower() in _ABBREV


def _wrapped(lines: list[str]) -> bool:
    """Are these lines one paragraph wrapped at a fixed width (newline = space)?"""
    if len(lines) < 2:
        return False
    long_lines = [ln for ln in lines[:-1] if len(ln.strip()) >= 45]
    open_ends = [ln for ln in lines[:-1] if _open_end(ln)]
    return len(long_lines) >= 0.7 * (len(lines) - 1) and len(open_ends) >= 0.5 * (len(lines) - 1)


def _split_sentences(text: str, base: int) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) of one line or wrapped paragraph."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        # "at the Wendy’s. He later died": a possessive 's is no initial
        word = re.search(
            r"([A-Za-z.]+(?:['’][A-Za-z]+)?)[.]*[\"'”’)\]]*$", text[pos : m.start() + 1]
        )
        if word is not None:
            w = word.group(1).lower().rstrip(".")
            if w in _ABBREV or (len(w) == 1 and w.isalpha()):
                continue
        out.append((pos, end))
        pos = end
    out.append((pos, len(text)))
    spans: list[tuple[int, int]] = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        while e - s > _MAX_SENTENCE:
            cut = text.rfind(" ", s, s + _MAX_SENTENCE)
            if cut <= s:
                cut = s + _MAX_SENTENCE
            spans.append((base + s, base + cut))
            s = cut + 1
        if e > s:
            spans.append((base + s, base + e))
    return spans


_RELATED = re.compile(
    r"\W{0,3}(?:related|read more|read also|also read|read|see also|more|watch|recommended|"
    r"previously|previous coverage|related coverage)\s*:\s",
    re.IGNORECASE,
)


def _title_span(doc: Document) -> tuple[int, int] | None:
    text = doc.text
    lead = len(text) - len(text.lstrip())
    if doc.title:
        title = doc.title.strip()
        if title and text.startswith(title, lead):
            return lead, lead + len(title)
    first = text[lead:].split("\n", 1)
    if len(first) == 2 and first[1].startswith("\n") and len(first[0]) <= 200:
        line = first[0].rstrip()
        if line and not line.endswith((".", ":")):
            return lead, lead + len(line)
    return None


_SITE_CUT = re.compile(r" [-|] ")
_HOST_PARTS = frozenset({"www", "m", "mobile", "amp", "com", "org", "net", "co", "uk", "tv"})
_SQUASH = re.compile(r"[^a-z0-9]+")


def _outlet_keys(outlet: str | None) -> list[str]:
    """Squashed names an outlet goes by: "www.wmcactionnews5.com" -> ["wmcactionnews5"],
    "WMC Action News 5" -> ["wmcactionnews5"]."""
    if not outlet:
        return []
    low = outlet.lower()
    if " " not in low and "." in low:
        parts = [p for p in low.split(".") if p not in _HOST_PARTS]
        return [k for p in parts if len(k := _SQUASH.sub("", p)) >= 3]
    key = _SQUASH.sub("", low)
    return [key] if len(key) >= 3 else []


def _headline_end(text: str, start: int, end: int, outlet: str | None) -> int:
    """Where a headline ends before the site's name that pages append to it.

    "Miller county teen dies in accidental shooting - WMC Action News 5 - Memphis,
    Tennessee": what follows a hyphen or a bar and names the outlet is the site, and the
    station's home town in it is no place of the story. A bar always ends the headline
    ("Man shot in Frankford | 6abc.com").
    """
    keys = _outlet_keys(outlet)
    for m in _SITE_CUT.finditer(text, start, end):
        if m.start() <= start:
            continue
        if text[m.start() : m.end()] == " | ":
            return m.start()
        rest = _SQUASH.sub("", text[m.end() : end].lower())
        if any(k in rest or (len(rest) >= 3 and rest in k) for k in keys):
            return m.start()
    return end


def segments(doc: Document) -> list[Segment]:
    """Cut ``doc.text`` into title, embedded headlines and body sentences."""
    text = doc.text
    raw: list[tuple[int, int, Kind, int]] = []
    blocked: list[tuple[int, int]] = []
    title = _title_span(doc)
    if title is not None:
        raw.append((title[0], _headline_end(text, *title, doc.outlet), "title", 0))
        blocked.append(title)
    for span in doc.embedded:
        piece = text[span.start : span.end]
        p = _EMBED_PREFIX.match(piece)
        s = span.start + (p.end() if p else 0)
        q = _EMBED_SUFFIX.search(piece)
        e = span.start + (q.start() if q else len(piece))
        if e > s:
            raw.append((s, e, "embedded", -1))
        blocked.append((span.start, span.end))
    blocked.sort()
    # body: the text outside the title and embedded spans, paragraph by paragraph
    pieces: list[tuple[int, int]] = []
    pos = 0
    for bs, be in blocked:
        if bs > pos:
            pieces.append((pos, bs))
        pos = max(pos, be)
    pieces.append((pos, len(text)))
    para = 0
    for ps, pe in pieces:
        chunk = text[ps:pe]
        cursor = 0
        for m in [*_PARAGRAPH.finditer(chunk), None]:
            pend = m.start() if m is not None else len(chunk)
            block = chunk[cursor:pend]
            if block.strip():
                para += 1
                lines = block.split("\n")
                if _wrapped(lines):
                    units = [(0, len(block))]
                else:
                    units = []
                    off = 0
                    for ln in lines:
                        units.append((off, off + len(ln)))
                        off += len(ln) + 1
                for us, ue in units:
                    unit = block[us:ue]
                    for s, e in _split_sentences(unit, ps + cursor + us):
                        sentence = text[s:e]
                        if not is_upper(sentence):
                            # "KYIV, Ukraine (AP) — A Russian missile strike ...": a news
                            # dateline says where the story was filed; it is no part of
                            # the sentence (no victim, no speaker, no place it names;
                            # resolution reads it off the document's text)
                            s += dateline_end(sentence)
                        # "RELATED: At least 4 dead in ...", "► Related: ...": the
                        # headline of another article the page links to
                        kind: Kind = "embedded" if _RELATED.match(text, s, e) else "body"
                        raw.append((s, e, kind, para if kind == "body" else -1))
            if m is not None:
                cursor = m.end()
    raw.sort(key=lambda r: r[0])
    return [Segment(s, e, k, p, i) for i, (s, e, k, p) in enumerate(raw)]


_WORD = re.compile(r"[a-z]+")


def passes_filter(text: str, lex: Lexicon) -> bool:
    """Can this sentence hold a claim? It has an effect word, or an effect phrase."""
    if not lex.trigger_words.isdisjoint(_WORD.findall(text.lower())):
        return True
    return lex.prefilter.search(text) is not None


def candidate_segments(doc: Document, segs: list[Segment], lex: Lexicon) -> list[Segment]:
    """The segments that can hold a claim (see :func:`passes_filter`)."""
    return [s for s in segs if passes_filter(doc.text[s.start : s.end], lex)]
