"""Places: find place names in a document, pick the gazetteer entry each one means.

A document is scanned once (:func:`scan_document`): country names and demonyms
anywhere, other names after a locative word ("in", "near", "outside"), in a dateline,
or before ", <state or country>". The hits vote for the document's focus countries
and US states; each hit then takes the candidate with the best score
(:func:`_score`): focus country, population, main name over alternate name, kind
(a country name is a country; "Nineveh Governorate" is a province), the container
named after a comma ("Spanish Fork, Utah") and co-mentioned admin areas.

Relative places keep their wording in ``Place.qualifier``: "30km from Kirkuk" is the
Kirkuk point with precision "near city" (no bearing, so no direction to move in);
"30 km south of Kirkuk" is a point moved 30 km south, also "near city"; "southern
Mosul", "the outskirts of Mosul" and "near Mosul" are the Mosul point, precision
"city" for the first two (still inside or at the edge of the city) and "near city"
for "near".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

from tolltrace.datelines import NEWS_DATELINE
from tolltrace.records import Document, Place
from tolltrace.resolve.gazetteer import SUBDIVISION_WORDS, Entry, Gazetteer
from tolltrace.resolve.names import CONNECTORS, display_name, is_english, norm, particle_name
from tolltrace.resolve.tables import Tables

__all__ = [
    "CONNECTORS",
    "STREET_WORDS",
    "DocPlaces",
    "Hit",
    "named_part",
    "offset_point",
    "outlet_place",
    "place_from_entry",
    "resolve_mention",
    "scan_document",
    "split_mention",
]

PRECISION = {
    "country": "country",
    "province": "province",
    "county": "province",
    "city": "city",
    "site": "site",
}
# How specific a precision is; a claim prefers the most specific place of its sentence.
SPECIFICITY = {"site": 5, "city": 4, "near city": 3, "province": 2, "country": 1}

_LOCATIVE = frozenset(
    {
        "in",
        "at",
        "near",
        "outside",
        "from",
        "of",
        "to",
        "into",
        "around",
        "toward",
        "towards",
        "across",
        "between",
        "inside",
        "within",
        "linking",
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "outskirts",
        "via",
        "nearby",
        "besieged",
        "city",
        "town",
        "village",
        "province",
        "department",
        "region",
        "governorate",
        "district",
        "hamlet",
        "municipality",
        "neighborhood",
        "suburb",
    }
)
_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*", re.UNICODE)
_BEARINGS = {
    "north": 0.0,
    "northeast": 45.0,
    "north-east": 45.0,
    "east": 90.0,
    "southeast": 135.0,
    "south-east": 135.0,
    "south": 180.0,
    "southwest": 225.0,
    "south-west": 225.0,
    "west": 270.0,
    "northwest": 315.0,
    "north-west": 315.0,
}
_UNITS = {
    "km": 1.0,
    "kms": 1.0,
    "kilometers": 1.0,
    "kilometres": 1.0,
    "kilometer": 1.0,
    "kilometre": 1.0,
    "mi": 1.609344,
    "mile": 1.609344,
    "miles": 1.609344,
}
_OFFSET = re.compile(
    r"(?P<dist>\d+(?:[.,]\d+)?)\s*-?\s*(?P<unit>kms?|kilomet(?:er|re)s?|miles?|mi)\b\.?\s*"
    r"(?:\(\s*[\d.,]+\s*\w+\s*\)\s*)?"
    r"(?:(?P<bearing>(?:north|south)(?:-?(?:east|west))?|east|west)(?:ern)?\s+)?"
    r"(?:of|from|outside|away\s+from)\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?"
    r"(?P<rest>.+)$",
    re.IGNORECASE,
)
_NEAR = re.compile(
    r"^(?:near|close\s+to|outside|nearby|around)\s+(?:the\s+)?(?P<rest>.+)$", re.IGNORECASE
)
_PART = re.compile(
    r"^(?:the\s+)?(?P<q>(?:north|south|east|west)(?:ern)?|central|downtown|(?:north|south)-?(?:east|west)"
    r"(?:ern)?|outskirts\s+of|edge\s+of|centre\s+of|center\s+of|heart\s+of|suburbs\s+of)"
    r"\s+(?:the\s+)?(?P<rest>.+)$",
    re.IGNORECASE,
)
_KIND_OF = re.compile(
    r"^(?:the\s+)?(?:\w+\s+)?(?P<kind>city|town|village|province|governorate|department|"
    r"district|region|state|county|hamlet|municipality)\s+of\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_MUC_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z .'\-]+?)(?:\s*\((?P<abroad>[A-Z .]+)\))?,\s+"
    r"(?:\d{1,2}\s+[A-Z]{3}\s+\d{2}|NO DATE)"
)
_INNER_DATELINE = re.compile(
    r"\[(?:TEXT|EXCERPTS?|REPORT)\]\s+(?P<place>[A-Z][A-Z .'\-]{2,40}?)\s+--\s"
)
# Words after a name that make it a street, a building or an organisation, not a place.
_NOT_AFTER = frozenset(
    {
        "street",
        "st",
        "road",
        "rd",
        "avenue",
        "ave",
        "boulevard",
        "blvd",
        "drive",
        "dr",
        "lane",
        "ln",
        "turnpike",
        "highway",
        "hwy",
        "parkway",
        "pkwy",
        "way",
        "court",
        "ct",
        "place",
        "pl",
        "terrace",
        "circle",
        "pike",
        "trail",
        "park",
        "hospital",
        "medical",
        "center",
        "centre",
        "school",
        "university",
        "college",
        "high",
        "middle",
        "elementary",
        "church",
        "mall",
        "airport",
        "station",
        "hotel",
        "restaurant",
        "bar",
        "club",
        "inn",
        "apartments",
        "market",
        "store",
        "jail",
        "prison",
        "stadium",
        "bridge",
    }
)
STREET_WORDS = _NOT_AFTER
# Words after a name that make it the name of a meeting or an agreement ("at the <city>
# meeting", "the Geneva talks", "the Minsk agreements"), not a place of events.
_EVENT_AFTER = frozenset(
    {
        "meeting",
        "meetings",
        "talks",
        "summit",
        "conference",
        "accord",
        "accords",
        "agreement",
        "agreements",
        "dialogue",
        "negotiations",
        "declaration",
        "protocol",
        "treaty",
        "process",
    }
)
# Words after a lone name that make it a local place ("Erie police", "Clark County").
_LOCAL_AFTER = frozenset(
    {
        "police",
        "county",
        "sheriff",
        "fire",
        "mayor",
        "city",
        "township",
        "council",
        "residents",
        "officials",
    }
)


@dataclass(frozen=True, slots=True)
class Hit:
    """A place name found in the text, with its candidates and the chosen entry."""

    start: int
    end: int
    text: str
    candidates: tuple[Entry, ...]
    qualifier: str | None = None
    container: Entry | None = None  # the state/country after a comma
    typed: bool = False  # carried a subdivision word ("Governorate", "Department")
    dateline: bool = False
    loose: bool = False
    entry: Entry | None = None
    outlet: bool = False  # not in the text: the place the outlet's web domain names
    town: bool = False  # introduced as a town ("the city of Sonsonate"): no province
    # What the text makes of the place besides a place of events: "home" (", 42, of
    # Woodbridge, Virginia"), "seat" ("the U.S. Embassy in <city>", "based in ..."),
    # "hospital" ("taken to <Name> Hospital in <town>"), "speaker" ("The United States
    # strongly condemns ..."). Such a hit is a claim's place or the document's main place
    # only when the text names no other; a hospital's town never is a claim's place.
    role: str | None = None
    # A dateline town the gazetteer lacks in the state it names ("<TOWN>, Ore."): the
    # hit's entry is that state, and its place is the town's name inside it.
    unknown: bool = False
    # an English word in capitals ("in charge", upper-cased): it votes as little as a
    # hamlet
    common: bool = False


@dataclass(frozen=True, slots=True)
class DocPlaces:
    hits: tuple[Hit, ...]
    focus: dict[str, float]  # country -> share of the document's place votes
    states: frozenset[str]  # US admin1 codes named in the document
    admin1s: frozenset[tuple[str, str]]  # (country, admin1code) of the resolved hits
    main: Hit | None  # the document's main place (dateline, else the lead's first place)
    # The dateline names the bureau that filed the message (MUC/FBIS style), not
    # necessarily where things happened; US datelines (AP style) name the story's place.
    bureau: bool = False
    upper: bool = False  # the text is in capitals (MUC): case tells no names from words
    # words the document uses as a person's surname ("Bill Richardson" ... "Richardson")
    surnames: frozenset[str] = frozenset()


def offset_point(lat: float, lon: float, km: float, bearing_deg: float) -> tuple[float, float]:
    """The point ``km`` away from (lat, lon) on ``bearing_deg`` (great circle)."""
    r = 6371.0088
    d = km / r
    p1, l1, b = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(
        math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
    )
    return round(math.degrees(p2), 5), round((math.degrees(l2) + 540.0) % 360.0 - 180.0, 5)


# US broadcasters' call signs ("wreg.com", "kltv.com", "wsbtv.com", "wave3.com") and
# network affiliates by channel ("abc13.com", "fox59.com"): the outlet is American.
_CALL_SIGN = re.compile(r"^[kw][a-z]{2,3}(?:tv|\d+)?$")
# a network's channel, and the city a station may carry after it ("fox7austin")
_AFFILIATE = re.compile(r"^(?:\d+(?:abc|nbc|cbs|fox)|(?:abc|nbc|cbs|fox)\d+(?P<city>[a-z]{0,6}))$")
_HOST_PREFIXES = frozenset({"www", "m", "amp", "mobile", "articles", "blogs", "blog", "beta"})


def outlet_place(
    outlet: str | None, gaz: Gazetteer, tables: Tables
) -> tuple[tuple[Entry, ...], str]:
    """The place a news outlet's web domain names, and the country it points to:
    ``"mysanantonio.com"`` -> San Antonio (US), ``"chicago.cbslocal.com"`` -> Chicago,
    ``"nbcconnecticut.com"`` -> the state, ``"kyivindependent.com"`` -> Kyiv,
    ``"wreg.com"`` (a US call sign) -> no place, country US; ``((), "")`` otherwise.
    Several places may bear the name ("onlineathens.com": Athens, Greece or Georgia):
    all are returned, the likeliest first; the document decides between them.

    A domain is read as outlet words (``outlet_words.txt``: "news", "times", "my")
    around one place name: a country, a US state, a US town of 20,000+ people or a
    city of 200,000+; a leftover word of four letters or more is allowed at either
    end ("toledoblade"), a shorter one is not ("columbian" is not Columbia).
    """
    if not outlet or " " in outlet.strip() or "." not in outlet:
        return (), ""
    host = outlet.strip().lower().split("/")[0]
    cached: tuple[tuple[Entry, ...], str] | None = gaz.derived.get(("outlet", host))
    if cached is None:
        cached = gaz.derived[("outlet", host)] = _outlet_place(host, gaz, tables)
    return cached


def _outlet_place(host: str, gaz: Gazetteer, tables: Tables) -> tuple[tuple[Entry, ...], str]:
    labels = host.split(".")[:-1]
    if len(labels) > 1 and labels[-1] in ("co", "com", "org", "net", "gov", "ac"):
        labels = labels[:-1]  # "dailymail.co.uk"
    country = ""
    best: tuple[Entry, ...] = ()
    for label in labels:
        if label in _HOST_PREFIXES:
            continue
        if _CALL_SIGN.match(label):
            country = "US"
            continue
        affiliate = _AFFILIATE.match(label)
        if affiliate is not None:
            country = "US"
            label = affiliate.group("city") or ""
            if len(label) < 4:
                continue
        letters = re.sub(r"[^a-z]", "", label)
        found = _domain_place(letters, gaz, tables, 0)
        if found and (not best or _outlet_rank(found[0]) > _outlet_rank(best[0])):
            best = found
    if best and best[0].country and len({e.country for e in best}) == 1:
        country = best[0].country or ""
    return best, country


def _outlet_rank(e: Entry) -> int:
    return {"city": 1, "province": 2, "country": 3}.get(e.kind, 0)


def _domain_place(s: str, gaz: Gazetteer, tables: Tables, depth: int) -> tuple[Entry, ...]:
    if len(s) < 4 or depth > 4 or s in tables.outlet_words:  # "timesunion" is no Union
        return ()
    found = _compact_place(s, gaz, tables)
    if found:
        return found
    for w in tables.outlet_words:
        if s.startswith(w) and len(s) - len(w) >= 4:
            found = _domain_place(s[len(w) :], gaz, tables, depth + 1)
            if found:
                return found
        if s.endswith(w) and len(s) - len(w) >= 4:
            found = _domain_place(s[: -len(w)], gaz, tables, depth + 1)
            if found:
                return found
    if depth == 0:
        # Two names ("limaohio": Lima in Ohio) or one name and an unknown word of four
        # letters or more ("toledoblade"); the name then has 5+ letters and is a
        # country, a US state or a US city of 50,000+ ("breaking911" is no Brea).
        for cut in range(4, len(s) - 3):
            head, tail = s[:cut], s[cut:]
            state = _compact_place(tail, gaz, tables)
            if state and state[0].kind == "province" and state[0].country == "US":
                inside = tuple(
                    e
                    for sp in _spellings(head)
                    for e in gaz.lookup(sp)
                    if e.main
                    and e.kind == "city"
                    and e.country == "US"
                    and e.admin1code == state[0].admin1code
                )
                return inside[:1] or state[:1]
        for cut in range(4, len(s) - 3):
            for part in (s[:cut], s[cut:]):
                if len(part) < 5 or part in tables.outlet_words:
                    continue
                found = tuple(
                    e
                    for e in _compact_place(part, gaz, tables)
                    if e.kind == "country"
                    or (e.country == "US" and (e.kind == "province" or e.population >= 50_000))
                )
                if found:
                    return found
    return ()


def _spellings(s: str) -> list[str]:
    """``s`` with up to two spaces put back ("sanantonio" -> "san antonio")."""
    n = len(s)
    out = [s] + [f"{s[:i]} {s[i:]}" for i in range(2, n - 1)]
    if n <= 16:
        out += [f"{s[:i]} {s[i:j]} {s[j:]}" for i in range(2, n - 3) for j in range(i + 2, n - 1)]
    return out


def _compact_place(s: str, gaz: Gazetteer, tables: Tables) -> tuple[Entry, ...]:
    """The places whose name, spaces removed, is ``s`` ("sanantonio"), the likeliest
    first: names of up to three words are tried."""
    if s in tables.demonyms:
        c = gaz.country_entry.get(tables.demonyms[s])  # "iraqinews"
        return (c,) if c is not None else ()
    found: dict[int, Entry] = {}
    for name in _spellings(s):
        for e in gaz.lookup(name):
            if not e.main:
                continue
            ok = (
                e.kind == "country"
                or (e.kind == "province" and e.country == "US")
                or (e.kind == "city" and e.population >= 200_000)
                or (e.kind == "city" and e.country == "US" and e.population >= 20_000)
            )
            if ok:
                found[e.pid] = e
    return tuple(sorted(found.values(), key=_outlet_order))


def _outlet_order(x: Entry) -> tuple[int, int]:
    """A country first; a city of 100,000+ before a state of its name ("washington",
    "newyork"); then a state; then the more populous town."""
    if x.kind == "country":
        return (0, -x.population)
    if x.kind == "city" and x.population >= 100_000:
        return (1, -x.population)
    if x.kind == "province":
        return (2, 0)
    return (3, -x.population)


def _is_upper(text: str) -> bool:
    letters = [c for c in text[:2000] if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def _state_entry(word: str, gaz: Gazetteer, tables: Tables) -> Entry | None:
    """A US state or a country named by ``word`` ("Utah", "Ill.", "IL", "Iraq")."""
    code = tables.state_abbreviations.get(word.strip())
    if code is None and len(word.strip()) == 2 and word.strip().isupper():
        code = word.strip() if gaz.admin1_name("US", word.strip()) else None
    if code is not None:
        return gaz.by_code(f"US-{code}")
    for e in gaz.lookup(word):
        if (
            e.kind in ("province", "country")
            and e.main
            and (e.kind == "country" or e.country == "US")
        ):
            return e
    return None


def _dateline_state(word: str | None, gaz: Gazetteer, tables: Tables) -> Entry | None:
    """The state of a US dateline, which may be in capitals ("FRAZEE, MINN,")."""
    if not word:
        return None
    # "MACON, Georgia (41NBC/WMGT) –": the state of a US-style dateline, not the country
    found = next(
        (e for e in gaz.lookup(word) if e.kind == "province" and e.country == "US" and e.main),
        None,
    ) or _state_entry(word, gaz, tables)
    w = word.strip().rstrip(".")
    if found is None and w.isupper() and len(w) == 2:
        found = _state_entry(w, gaz, tables)  # "COLUMBIA COUNTY, GA. –": the postal code
    if found is None and w.isupper() and len(w) > 2:
        found = _state_entry(f"{w.title()}.", gaz, tables) or _state_entry(w.title(), gaz, tables)
    return found


def _candidates(name: str, gaz: Gazetteer, tables: Tables) -> tuple[tuple[Entry, ...], bool]:
    found = gaz.lookup(name)
    if found:
        return found, False
    if len(norm(name)) >= 5:
        # Transliteration variants are a matter of names written from Arabic, Kurdish,
        # Persian or Russian; a US name that does not match exactly is not a US place
        # ("Jayden" is not Eden).
        return tuple(e for e in gaz.lookup(name, loose=True) if e.country != "US"), True
    return (), False


def split_mention(text: str) -> tuple[str, str | None, float | None, float | None, bool]:
    """``(name, qualifier, km, bearing, typed)`` from a place mention's wording."""
    s = " ".join(text.split()).strip(" ,.;:")
    qualifier: str | None = None
    km: float | None = None
    bearing: float | None = None
    m = _OFFSET.match(s)
    if m:
        km = float(m.group("dist").replace(",", ".")) * _UNITS[m.group("unit").lower().rstrip(".")]
        b = (m.group("bearing") or "").lower()
        bearing = _BEARINGS.get(b)
        qualifier = s[: m.start("rest")].strip()
        s = m.group("rest")
    else:
        for pat in (_NEAR, _PART):
            m = pat.match(s)
            if m:
                qualifier = s[: m.start("rest")].strip()
                s = m.group("rest")
                break
    typed = False
    m = _KIND_OF.match(s)
    if m:
        typed = m.group("kind").lower() not in ("city", "town", "village", "hamlet")
        s = m.group("rest")
    if s.lower().startswith("the "):
        s = s[4:]
    words = s.split()
    if len(words) > 1 and norm(words[-1]) in SUBDIVISION_WORDS:
        typed = True
    return s, qualifier, km, bearing, typed


def _score(
    e: Entry,
    hit: Hit,
    focus: dict[str, float],
    states: frozenset[str],
    admin1s: frozenset[tuple[str, str]],
) -> float:
    s = math.log10(e.population + 1)
    if e.kind == "country":
        # A country name always means the country, never a town of the same name; the
        # one exception is a US state of the same name in a US story ("west Georgia"):
        # in a story mostly about the US ("transported to Georgia Regents Medical
        # Center"), the state outright; in one that is partly so, the two are weighed.
        us_state = any(c.kind == "province" and c.country == "US" for c in hit.candidates)
        us = focus.get("US", 0.0)
        s += -10.0 if us_state and us >= 0.5 else (0.0 if us_state and us >= 0.3 else 10.0)
    elif e.kind in ("province", "county"):
        s += 6.0 if hit.typed else (-6.0 if hit.town else 1.5)
    elif hit.typed:
        s -= 6.0
    if not e.main:
        # An alternate name loses to a place that bears the name as its own
        # ("SAN MIGUEL" is San Miguel, not San Diego's historical name).
        s -= 3.0 if any(c.main for c in hit.candidates) else 0.5
    if hit.loose:
        s -= 1.0
    if e.country:
        s += 6.0 * focus.get(e.country, 0.0)
    if e.country == "US" and e.admin1code in states:
        s += 3.0
    if e.country and e.admin1code and (e.country, e.admin1code) in admin1s:
        s += 1.0
    if hit.container is not None:
        c = hit.container
        if c.kind == "country":
            s += 8.0 if e.country == c.country else -8.0
        elif e.country == c.country and e.admin1code == c.admin1code:
            s += 8.0
        else:
            s -= 8.0
    return s


# A place outside the document's focus countries must be a big place (or a country or
# province) to be believed: a stray word that names a hamlet on another continent
# ("WERE", "ACTION" in upper-case MUC texts) is not a place. Set on muc4-dev.
_FOCUS_SHARE = 0.15
_BIG_PLACE = 100_000


def _plausible(e: Entry | None, hit: Hit, focus: dict[str, float]) -> Entry | None:
    if e is None:
        return e
    if hit.loose:
        # A transliteration match is believed only inside the document's focus.
        return e if e.country and focus.get(e.country, 0.0) >= _FOCUS_SHARE else None
    if hit.dateline or hit.container is not None:
        return e
    if e.kind in ("country", "province"):
        return e
    if not focus and e.main:
        return e  # nothing else to go by
    if e.country and focus.get(e.country, 0.0) >= _FOCUS_SHARE:
        return e
    # A big place abroad needs the document to point there at least once, unless the
    # document has no clear focus ("LA ROCHELA" in a Colombian story is not La Rochelle).
    if e.population >= _BIG_PLACE and e.main:
        return e
    return None


def _in_states(e: Entry | None, states: frozenset[str], hit: Hit) -> Entry | None:
    """In a US document that names its states, a small US town of another state is a
    person or a street ("Richardson", "Nelson"), not the place."""
    if (
        e is None
        or e.country != "US"
        or not states
        or hit.dateline
        or hit.container is not None
        or e.kind != "city"
    ):
        return e
    if e.admin1code in states or e.population >= _BIG_PLACE:
        return e
    return None


def _choose(
    hit: Hit, focus: dict[str, float], states: frozenset[str], admin1s: frozenset[tuple[str, str]]
) -> Entry | None:
    if not hit.candidates:
        return None
    return max(hit.candidates, key=lambda e: _score(e, hit, focus, states, admin1s))


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


def _only_space(text: str, a: int, b: int) -> bool:
    # a line break inside a name is wrapped wire copy ("in San\nSalvador"); a blank line
    # is not
    if b - a > 3:
        return False
    gap = text[a:b]
    return gap == " " or (gap.strip(" -\n") == "" and "\n\n" not in gap)


def scan_document(doc: Document, gaz: Gazetteer, tables: Tables) -> DocPlaces:
    """Find the place names of a document and resolve each one in its context."""
    text = doc.text
    upper = _is_upper(text)
    raw: list[Hit] = []
    main_hit: Hit | None = None

    m = _MUC_DATELINE.match(text)
    abroad = False
    bureau = m is not None
    wire = False  # a news agency's dateline ("BEIRUT (Reuters) -"), see _resolve_hits
    muc_end = m.end() if m is not None else -1
    if m:
        # "<CITY> (<COUNTRY>), <D MON YY>": a foreign bureau; the story is usually elsewhere.
        abroad = m.group("abroad") is not None
        # "[TEXT] <CITY> -- AN ATTACK ...": the story's own dateline inside the message
        # is where it happened; the message dateline is where it was filed from.
        inner = _INNER_DATELINE.search(text, m.end(), m.end() + 400)
        mm = inner or m
        # "<TOWN> (<COUNTRY>), <date>": the bureau's town in the country it names.
        said = m.group("abroad") if inner is None else None
        said_country = _state_entry(said, gaz, tables) if said else None
        main_hit = _make_hit(
            mm.start("place"),
            mm.end("place"),
            mm.group("place"),
            gaz,
            tables,
            dateline=True,
            container=said_country,
        )
        if not main_hit.candidates and said_country is not None and said is not None:
            # "NO CITY (<COUNTRY>), <date>": no bureau town; the country is one
            # the text names (the story's own, or the speaker's: it is no dateline).
            raw.append(_make_hit(m.start("abroad"), m.end("abroad"), said, gaz, tables))
            abroad = False
        if inner is not None:
            abroad = False
            if not main_hit.candidates:
                main_hit = _make_hit(
                    m.start("place"),
                    m.end("place"),
                    m.group("place"),
                    gaz,
                    tables,
                    dateline=True,
                )
    else:
        m = NEWS_DATELINE.search(text[:600])
        if (
            m
            and (not upper or not text[: m.start("place")].strip())
            and norm(m.group("place")) not in tables.not_places
        ):
            # In capitals only at the very start ("BAGHDAD - ..."): elsewhere any run of
            # upper-case words before a dash would pass for one.
            container = _dateline_state(m.group("state"), gaz, tables)
            wire = m.group("agency") is not None
            if container is not None or len(m.group("place")) >= 4:
                main_hit = _make_hit(
                    m.start("place"),
                    m.end("place"),
                    m.group("place"),
                    gaz,
                    tables,
                    dateline=True,
                    container=container,
                    loose_ok=False,
                )
                if container is not None and not main_hit.candidates:
                    main_hit = replace(main_hit, candidates=(container,), unknown=True)
                if container is None and not any(
                    e.population >= 20_000 or e.kind in ("county", "province")
                    for e in main_hit.candidates
                    if e.main
                ):
                    main_hit = None
    if main_hit is not None and main_hit.candidates:
        raw.append(main_hit)
    else:
        main_hit = None

    toks = _tokens(text)
    n = len(toks)
    # Keys of single tokens, computed once: an n-gram's key is their join.
    seen: dict[str, str] = {}
    keys = []
    for t in toks:
        tok_key = seen.get(t[2])
        if tok_key is None:
            tok_key = seen[t[2]] = norm(_possessive(t[2]))
        keys.append(tok_key)
    surnames = _surnames(toks, keys, text, tables, upper, gaz)
    lower_words = frozenset(k for k, t in zip(keys, toks, strict=True) if t[2].islower())
    i = 0
    # The dateline is read once: "<TOWN> (<COUNTRY>), <date>" names no second place.
    taken_until = max(main_hit.end if main_hit else -1, muc_end)
    # (a news dateline may follow a headline line: "Syria: Russian air strikes kill 23
    # civilians in Idlib - monitor\n\nBEIRUT (Reuters) -"; the headline is read)
    taken_from = main_hit.start if main_hit is not None and muc_end < 0 else 0
    # End of the last name passed over (a place or a region): its last word is no
    # locative word ("the Middle East Tobias Ellwood": "East" is of the name).
    name_end = -1
    while i < n:
        start, _end, word = toks[i]
        if taken_from <= start < taken_until or not _can_start(word, upper):
            i += 1
            continue
        prev = toks[i - 1][2].lower() if i > 0 else ""
        # "in Mosul and Kirkuk", "Qaraqosh, Hazna": a list continues a place just found;
        # a comma or "and" alone do not ("..., Richardson said").
        gap = text[toks[i - 1][1] : start].strip() if i > 0 else ""
        listed = (
            bool(raw)
            and raw[-1].end >= (toks[i - 2][1] if i > 1 else 0)
            and (gap == "," or (prev in ("and", "or") and gap == ""))
        )
        in_name = i > 0 and toks[i - 1][1] == name_end
        gated = ((prev in _LOCATIVE and not in_name) or listed) and keys[i] not in surnames
        if upper and not gated and prev in ("the", "a", "an") and i > 1:
            # "in a <city> suburb", "in the <town> area", upper-cased: capitals give no
            # other sign of a name after an article
            gated = keys[i - 2] in _STRONG_BEFORE
        best: Hit | None = None
        j_end = i
        # Longest name first: up to 5 tokens, joined by spaces or hyphens only.
        span = [toks[i]]
        k = i + 1
        while k < n and len(span) < 5 and _only_space(text, span[-1][1], toks[k][0]):
            w = toks[k][2]
            if _can_start(w, upper) or w.lower() in CONNECTORS:
                span.append(toks[k])
                k += 1
            else:
                break
        while span and not _can_start(span[-1][2], upper):
            span.pop()
        region = False
        for length in range(len(span), 0, -1):
            s0, e0 = span[0][0], span[length - 1][1]
            name = text[s0:e0]
            key = " ".join(k for k in keys[i : i + length] if k)
            if key in tables.regions:
                # "Minister for the Middle East": a region is no town of its name.
                region = True
                j_end = i + length
                name_end = e0
                break
            if (
                length == 1
                and key in _BEARING_WORDS
                and i + 1 < n
                and _only_space(text, toks[i][1], toks[i + 1][0])
            ):
                # "NORTHERN SYRIA", "Eastern Ukraine": a direction before a name is a
                # qualifier of it, not a province called "Northern".
                continue
            if (
                upper
                and not gated
                and not (
                    key in gaz.country_names
                    or key in tables.demonyms
                    or key in tables.place_aliases
                )
            ):
                continue  # upper case: only after a locative word, or a country name
            if key in tables.not_places and not gated:
                continue
            if length == 1 and (
                key in tables.not_places
                or key in tables.stopwords
                or (upper and len(key) < 4)
                or (len(key) < 3 and key not in gaz.country_names)  # "Pa.", "Mo."
            ):
                continue
            is_country = key in gaz.country_names or key in tables.place_aliases
            is_demonym = key in tables.demonyms
            container = None
            cm = None if upper else _CONTAINER.match(text, e0, e0 + 40)
            if cm:
                container = _state_entry(cm.group(1), gaz, tables)
            if is_demonym and not is_country:
                raw.append(
                    Hit(
                        s0,
                        e0,
                        name,
                        (),
                        qualifier="demonym",
                        container=gaz.country_entry.get(tables.demonyms[key]),
                    )
                )
                best = raw[-1]
                j_end = i + length
                break
            nxt = _next_word(text, e0)
            if nxt in _NOT_AFTER or nxt in _EVENT_AFTER:
                continue
            local = not upper and nxt in _LOCAL_AFTER
            typed = length > 1 and norm(span[length - 1][2]) in SUBDIVISION_WORDS
            kind_end = _kind_after(text, e0) if not typed else None
            typed_hit: Hit | None = None
            if kind_end is not None:
                # "Ninewa province", "Al-Raqqa province" (demo corpus): a subdivision
                # word in lower case after the name makes it the province, when one bears
                # the name (a transliteration too, as for "Hasaka Province").
                typed_hit = _make_hit(
                    s0,
                    kind_end,
                    text[s0:kind_end],
                    gaz,
                    tables,
                    container=container,
                    typed=True,
                    loose_ok=False,
                )
                if not any(e.kind in ("province", "county") for e in typed_hit.candidates):
                    typed_hit = None
            # A lone capitalized word outside a locative context must name a big place
            # (100k+ people): "strikes Mosul residential areas" (seed title).
            lone = not (
                is_country
                or gated
                or container is not None
                or local
                or typed_hit is not None
                or (length >= 2 and not upper)
            )
            if lone and (
                upper or i == 0 or _sentence_initial(text, start) or not word[:1].isupper()
            ):
                # ... nor a name that starts with a lower-case article ("al-Mansurah" of
                # "Jaish al-Ta'ifa al-Mansurah"), which is one only after "in", "near" ...
                continue
            if upper and not (gated or is_country):
                continue
            if upper and key in ("us", "un"):
                continue
            if (
                upper
                and length > 1
                and keys[i] == "the"
                and tables.english
                and all(k in tables.english for k in keys[i + 1 : i + length])
            ):
                continue  # "IN THE VILLAGE OF ...": capitals make no "The Village" of words
            extra = 0
            if length == 1 and key in surnames and container is None and not local:
                continue
            if (
                length == 1
                and not upper
                and not gated
                and container is None
                and not local
                and _given_name(i, toks, keys, text, lower_words, gaz, tables)
            ):
                continue
            hit = _make_hit(
                s0,
                e0,
                key,
                gaz,
                tables,
                container=container,
                typed=typed,
                loose_ok=False,
                text=name,
            )
            if length == 1 and not upper and span[0][2].endswith(("'s", "’s")):
                # "Perry's", "Murphy's": a person or a business, unless a big place.
                lone = True
            if lone and not any(
                e.population >= 100_000 or e.kind in ("country", "province")
                for e in hit.candidates
                if e.main
            ):
                continue
            common = (
                upper
                and length == 1
                and is_english(key, tables.english)
                and not _weighty(hit.candidates)
            )
            if (
                not upper
                and length == 1
                and not gated
                and is_english(key, tables.english)
                and all(e.population < _HAMLET for e in hit.candidates)
                and (cap := _NEXT_CAP.match(text, e0)) is not None
                and is_english(cap.group(1).lower(), tables.english)
                and cap.group(1).lower() not in tables.after_place
            ):
                # "War Council members" (re3d demo, CENTCOM): an English word that opens
                # a longer capitalized name the gazetteer lacks names an organisation,
                # not a hamlet called War ("Mobile Police", "Orange County" stay places)
                continue
            if common and not _strong_gate(toks, keys, i):
                # "continue to lead", "efforts to advance" (re3d-05f85f4866, upper-cased):
                # in capitals an English word after "to" or "of" is a word, not a town.
                continue
            if typed_hit is not None and kind_end is not None:
                hit, e0, extra = typed_hit, kind_end, 1
            if hit.candidates:
                qual = _qualifier_before(text, s0)
                town = _TOWN_OF.search(text, max(0, s0 - 30), s0) is not None
                role = _role(text, s0, e0, is_country and not gated, tables)
                if role is None and raw and raw[-1].role and text[raw[-1].end : s0].strip() == ",":
                    role = raw[-1].role  # "OF WOODBRIDGE, VIRGINIA" (upper-cased): its state
                raw.append(replace(hit, qualifier=qual, town=town, role=role, common=common))
                best = raw[-1]
                j_end = i + length + extra
                name_end = e0
                break
        if best is None and not region:
            i += 1
        else:
            i = max(j_end, i + 1)

    raw = _homes_told_by_of(raw, text)
    outlet = outlet_place(doc.outlet, gaz, tables)
    found = _resolve_hits(
        tuple(raw),
        main_hit,
        doc,
        abroad=abroad,
        upper=upper,
        bureau=bureau,
        wire=wire,
        outlet=outlet,
    )
    return replace(found, surnames=surnames)


def _given_name(
    i: int,
    toks: list[tuple[int, int, str]],
    keys: list[str],
    text: str,
    lower_words: frozenset[str],
    gaz: Gazetteer,
    tables: Tables,
) -> bool:
    """Whether token ``i`` is a first name: it is followed by a capitalized word that
    the document never writes in lower case and that is no place or local word
    ("Orlando Collins", "Brandon Chaffin"; not "Memphis Police", "Chicago Sunday")."""
    if i + 1 >= len(toks) or text[toks[i][1] : toks[i + 1][0]] != " ":
        return False
    word, key = toks[i + 1][2], keys[i + 1]
    if not (word[:1].isupper() and word[1:2].islower()) or len(key) < 2:
        return False
    if (
        key in lower_words
        or key in tables.not_places
        or key in tables.stopwords
        or key in _LOCAL_AFTER
        or key in _NOT_AFTER
        or key in CONNECTORS
        or key in gaz.country_names
        or key in tables.demonyms
    ):
        return False
    return not any(e.kind in ("province", "county") for e in gaz.lookup(key))


# Words before a name that make it a place even in capitals ("IN", "NEAR"), and the
# words before "of" that do ("DEPARTMENT OF", "OUTSKIRTS OF", "NORTH OF").
_STRONG_BEFORE = frozenset({"in", "at", "near", "outside", "inside", "nearby", "besieged"})
_PLACE_OF = frozenset(
    {
        "city",
        "town",
        "village",
        "hamlet",
        "municipality",
        "province",
        "department",
        "region",
        "governorate",
        "district",
        "jurisdiction",
        "canton",
        "suburb",
        "neighborhood",
        "outskirts",
        "vicinity",
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "km",
        "kilometers",
        "kilometres",
        "miles",
    }
)


_NEXT_CAP = re.compile(r" ([A-Z][a-z]+)\b")
# Hamlets only: a town of this size named by an English word is rarer in the news than
# the word opening some other name.
_HAMLET = 10_000


def _strong_gate(toks: list[tuple[int, int, str]], keys: list[str], i: int) -> bool:
    prev = keys[i - 1] if i > 0 else ""
    if prev in _STRONG_BEFORE:
        return True
    return prev == "of" and i > 1 and keys[i - 2] in _PLACE_OF


def _weighty(cands: tuple[Entry, ...]) -> bool:
    """A country, a province or a city of 200,000+ under its own name: a place even when
    its name is an English word too (Lima, Granada)."""
    return any(
        e.main and (e.kind in ("country", "province") or e.population >= 200_000) for e in cands
    )


# Direction words that qualify the name after them ("northern Syria").
_BEARING_WORDS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
    }
)
# A subdivision word in lower case right after a name ("Ninewa province").
_KIND_AFTER = re.compile(
    r" (?P<w>governorate|province|department|region|district|county|state|oblast|prefecture)\b"
)


def _kind_after(text: str, end: int) -> int | None:
    m = _KIND_AFTER.match(text, end, end + 16)
    return m.end() if m is not None else None


# ", 42, of Woodbridge, Virginia", "a native of Vermillion": where a person lives or is
# from, not where things happened to them.
_HOME_BEFORE = re.compile(
    r"(?:\b\d{1,3}\s*,\s*(?:of|from)|\b(?:a\s+)?(?:native|resident)\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "the U.S. Embassy in <city>", "which is based in Virginia Beach": where a speaker or a
# unit sits.
_SEAT_BEFORE = re.compile(
    r"\b(?:embassy|embassies|consulate|mission|bureau|headquarters|headquartered|based|"
    r"stationed)\s+(?:in|at)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "taken to <Name> Hospital in <town>": where the wounded were treated, not
# where they were shot. A hospital struck or seized ("the Al Salem hospital complex ... in
# East Mosul") is where it happened: only a hospital someone was taken to or treated at
# counts.
_HOSPITAL_BEFORE = re.compile(
    r"\b(?:taken|transported|transferred|rushed|flown|airlifted|driven|brought|treated|"
    r"admitted|hospitali[sz]ed|died|pronounced\s+dead)\b[^.;:!?]{0,60}?"
    r"\b(?:hospital|medical\s+cent(?:er|re)|trauma\s+cent(?:er|re)|infirmary)\s+"
    r"(?:in|at|of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# After a country: an adverb and an auxiliary, then the verb ("strongly condemns",
# "has repeatedly called").
_SPEAKER_AFTER = re.compile(
    r"\s+(?:(?:has|have|had|is|was|will|would|also|again|\w+ly)\s+){0,3}(?P<verb>[a-z]+)\b",
    re.IGNORECASE,
)


def _role(text: str, start: int, end: int, country: bool, tables: Tables) -> str | None:
    """What the text makes of the place at ``text[start:end]`` besides a place of events
    (see :attr:`Hit.role`): "home", "seat", "hospital", "speaker" or ``None``."""
    before = text[max(0, start - 40) : start]
    if _HOME_BEFORE.search(before):
        return "home"
    if _SEAT_BEFORE.search(before):
        return "seat"
    if _HOSPITAL_BEFORE.search(text[max(0, start - 120) : start]):
        return "hospital"
    if country:
        m = _SPEAKER_AFTER.match(text, end, end + 60)
        if m is not None and m.group("verb").lower() in tables.speaker_verbs:
            return "speaker"
    return None


_TOWN_OF = re.compile(r"\b(?:city|town|village|municipality)\s+of\s+(?:the\s+)?$", re.IGNORECASE)


def _possessive(word: str) -> str:
    """``"Francisco's"`` -> ``"Francisco"`` ("San Francisco's police")."""
    return word[:-2] if word.endswith(("'s", "’s")) and len(word) > 3 else word


# First words of "First Last" pairs that are not given names: "Downtown Chicago",
# "North Charleston", "Fort Worth" leave their second word a place.
_NOT_GIVEN = frozenset(
    {
        "downtown",
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "greater",
        "metro",
        "suburban",
        "old",
        "new",
        "fort",
        "port",
        "lake",
        "mount",
        "mt",
        "st",
        "saint",
        "san",
        "santa",
        "los",
        "las",
        "el",
        "la",
        "upper",
        "lower",
        "little",
        "big",
        "great",
        "the",
        "in",
        "at",
        "of",
    }
)


def _surnames(
    toks: list[tuple[int, int, str]],
    keys: list[str],
    text: str,
    tables: Tables,
    upper: bool,
    gaz: Gazetteer,
) -> frozenset[str]:
    """Words used as the last name of a person in this document ("Bill Richardson",
    "Officer Nelson"): the same word alone elsewhere is the person, not a town."""
    if upper:
        return frozenset()
    found: set[str] = set()
    for j in range(1, len(toks)):
        a, b = toks[j - 1], toks[j]
        if (
            j >= 2
            and len(a[2]) == 1
            and a[2].isupper()
            and b[2][:1].isupper()
            and text[a[1] : b[0]] == ". "
            and text[toks[j - 2][1] : a[0]] == " "
            and toks[j - 2][2][:1].isupper()
            and toks[j - 2][2][1:].islower()
        ):
            found.add(keys[j])  # "Scott C. Dayton": a middle initial, then the surname
            continue
        if not (a[2][:1].isupper() and b[2][:1].isupper()) or text[a[1] : b[0]] != " ":
            continue
        first = keys[j - 1]
        if a[2].endswith(("'s", "’s")) or first in gaz.country_names:
            continue
        if (
            first in _NOT_GIVEN
            or (first in tables.not_places and first not in _TITLES)
            or first in tables.demonyms
            or first in tables.stopwords
            or len(first) < 2
        ):
            continue
        if first in _TITLES or (a[2][1:].islower() and len(a[2]) <= 12):
            found.add(keys[j])
    return frozenset(found)


_TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "officer",
        "detective",
        "det",
        "sgt",
        "sergeant",
        "lt",
        "capt",
        "chief",
        "deputy",
        "sheriff",
        "judge",
        "gen",
        "col",
        "maj",
        "trooper",
        "coroner",
        "mayor",
        "rep",
        "sen",
        "gov",
    }
)


def _qualifier_before(text: str, start: int) -> str | None:
    before = text[max(0, start - 60) : start]
    m = re.search(
        r"(\d+(?:[.,]\d+)?\s*-?\s*(?:kms?|kilomet(?:er|re)s?|miles?)\.?\s+(?:(?:north|south)"
        r"(?:-?(?:east|west))?|east|west)?(?:ern)?\s*(?:of|from|outside)|(?:north|south|east|"
        r"west)(?:ern)?|(?:(?:north|south)-?(?:east|west)?|east|west)\s+of|outskirts\s+of|near|"
        r"outside)\s+(?:the\s+)?(?:(?:city|town|village)\s+"
        r"of\s+)?$",
        before,
        re.IGNORECASE,
    )
    return " ".join(m.group(0).split()) if m else None


_CONTAINER = re.compile(r",\s+([A-Z][A-Za-z.]+(?:\s[A-Z][a-z.]+)?)")
_NEXT_WORD = re.compile(r"[\s,]*([A-Za-z]+)")


def _next_word(text: str, end: int) -> str:
    m = _NEXT_WORD.match(text, end, end + 30)
    return m.group(1).lower() if m else ""


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start].rstrip()
    return not before or before[-1] in '.!?:"“\n([—–-'


def _can_start(word: str, upper: bool) -> bool:
    if upper:
        return len(word) > 1 or word.isalpha()
    # "Urem al-Kubra", "al-Hilla": a lower-case article joined to a name
    return word[:1].isupper() or ("-" in word[1:4] and particle_name(word))


def _make_hit(
    start: int,
    end: int,
    name: str,
    gaz: Gazetteer,
    tables: Tables,
    *,
    dateline: bool = False,
    container: Entry | None = None,
    typed: bool = False,
    loose_ok: bool = True,
    text: str | None = None,
) -> Hit:
    if loose_ok:
        cands, loose = _candidates(name, gaz, tables)
    else:
        cands, loose = gaz.lookup(name), False
    loose = loose and bool(cands)  # no transliteration found: the typed name's are exact
    if not cands and typed:
        bare = " ".join(w for w in name.split() if norm(w) not in SUBDIVISION_WORDS)
        if norm(bare) not in tables.not_places:  # "Police Department" is not Police, PL
            cands = gaz.lookup(bare)
    if typed and not any(e.kind in ("province", "county") for e in cands):
        # "Hasaka Province": the province is "Al Ḩasakah" (ISO 3166-2), spelt apart.
        bare = " ".join(w for w in name.split() if norm(w) not in SUBDIVISION_WORDS)
        if len(norm(bare)) >= 4:
            spelt = tuple(
                e for e in gaz.lookup(bare, loose=True) if e.kind in ("province", "county")
            )
            # A transliteration is believed inside the document's focus only, or in the
            # country of a town that bears the exact name ("Hasaka Province" and the
            # city Al-Hasakah; "the Hill District" is no Ḩā'il).
            if cands:
                spelt = tuple(e for e in spelt if e.country in {c.country for c in cands})
            else:
                loose = loose or bool(spelt)
            cands = cands + spelt
        if norm(name).endswith((" county", " state")) and not any(
            e.kind in ("province", "county") for e in cands
        ):
            cands = ()  # "Clair County" is no town called Clair; "ALEA State" no Aléa
    if container is not None and cands:
        cands, container = _inside(cands, container)
    return Hit(
        start,
        end,
        name if text is None else text,
        cands,
        container=container,
        typed=typed,
        dateline=dateline,
        loose=loose,
    )


def _inside(cands: tuple[Entry, ...], container: Entry) -> tuple[tuple[Entry, ...], Entry | None]:
    """The candidates of a name that lie in the country or US state named after it
    ("<village> Chopan, Afghanistan" is no Chopan of India: none, the name being unknown
    there). A name that is itself a country or a state before another ("Syria, Iraq",
    "Virginia, Maryland") is a list: its candidates stand and the container goes."""
    inside = tuple(
        e
        for e in cands
        if e.country == container.country
        and (container.kind == "country" or e.admin1code == container.admin1code)
    )
    if inside:
        return inside, container
    if any(e.kind in ("country", "province") and e.main for e in cands):
        return cands, None
    return (), container


# Place votes the text must give before a MUC dateline is judged to be abroad.
_ABROAD_VOTES = 2.0
# A news agency's dateline ("BEIRUT (Reuters) -") is a bureau's too; a local paper's
# ("NEW ORLEANS –") needs more: a local report names few places, one of which may be a
# namesake abroad ("... a triple shooting on the West Bank"; gva-dev).
_NEWS_ABROAD_VOTES = 4.0


def _votes(raw: tuple[Hit, ...], *, abroad: bool) -> tuple[dict[str, float], set[str]]:
    """The hits' votes for countries, and the US states they name."""
    votes: dict[str, float] = {}
    states: set[str] = set()

    def vote(country: str, w: float) -> None:
        votes[country] = votes.get(country, 0.0) + w

    for h in raw:
        # A bureau abroad says where the message was filed, not what it is about.
        weight = (1.0 if abroad else 5.0) if h.dateline else 1.0
        if h.role in ("speaker", "seat", "hospital"):
            weight = 0.2  # who speaks, and from where, says little of where it happened

        if (
            not h.dateline
            and h.container is None
            and all(e.population < 1000 and e.kind in ("city", "site") for e in h.candidates)
        ):
            # Hamlets named like common words vote little (see _plausible).
            weight = 0.2
        if h.common:
            weight = min(weight, 0.2)
        if h.qualifier == "demonym":
            if h.container is not None and h.container.country:
                vote(h.container.country, 0.5)
            continue
        if h.container is not None and h.container.country:
            vote(h.container.country, weight)
            if h.container.country == "US" and h.container.admin1code:
                states.add(h.container.admin1code)
        countries = {e.country for e in h.candidates if e.main and e.country}
        kinds = {e.kind for e in h.candidates}
        if "country" in kinds:
            cc = next(e.country for e in h.candidates if e.kind == "country")
            if cc:
                vote(cc, weight)
            continue
        top = h.candidates[0] if h.candidates else None
        # The namesakes a big place is weighed against bear its name as their own: a
        # town that has it only as an alternate name ("San Salvador" for Mbanza Kongo)
        # does not make San Salvador ambiguous.
        rivals = [
            e
            for e in h.candidates[1:]
            if top is not None
            and (e.main or not top.main)
            and e.country != top.country
            and (e.kind == "city" or not h.dateline)  # a dateline names a town
        ]
        if len(countries) == 1:
            vote(countries.pop(), weight)
        elif (
            top is not None
            and top.country
            # a province of another country is a rival of any size (Santander: a city in
            # Spain, a department of Colombia)
            and not any(e.kind in ("country", "province") for e in rivals)
            and (not rivals or top.population >= 20 * max(1, rivals[0].population))
        ):
            vote(top.country, weight * 0.5)
        for e in h.candidates:
            if e.country == "US" and e.kind == "province" and e.main and e.admin1code:
                states.add(e.admin1code)
    return votes, states


def _resolve_hits(
    raw: tuple[Hit, ...],
    main_hit: Hit | None,
    doc: Document,
    *,
    abroad: bool = False,
    upper: bool = False,
    bureau: bool = False,
    wire: bool = False,
    outlet: tuple[tuple[Entry, ...], str] = ((), ""),
) -> DocPlaces:
    # "<TOWN> (<COUNTRY>), <date>": a bureau that says it is abroad is never the main
    # place; one judged abroad from the text's places below may still be (a bureau's
    # report of talks held abroad).
    said_abroad = abroad
    if not abroad and main_hit is not None and main_hit.dateline:
        # "<CAPITAL>, <D MON YY> (<STATION>)" over a story about another country: a bureau
        # abroad, though its dateline does not say so, when the text's own places
        # point elsewhere. So for a news wire's dateline: "BEIRUT (Reuters) -" over
        # air strikes in Idlib.
        body, _ = _votes(tuple(h for h in raw if not h.dateline), abroad=False)
        total = sum(body.values())
        here = {e.country for e in main_hit.candidates if e.country}
        need = _ABROAD_VOTES if bureau or wire else _NEWS_ABROAD_VOTES
        if total >= need and sum(body.get(c, 0.0) for c in here) < 0.2 * total:
            abroad = True
    votes, states = _votes(raw, abroad=abroad)

    def vote(country: str, w: float) -> None:
        votes[country] = votes.get(country, 0.0) + w

    # The outlet's place ("mysanantonio.com"), of the document's countries and states
    # when its name is ambiguous ("onlineathens.com"), votes once; its state counts as
    # named when the text names none.
    outlet_entry: Entry | None = None
    if outlet[0]:
        outlet_entry = max(
            outlet[0],
            key=lambda e: (votes.get(e.country or "", 0.0), e.admin1code in states),
        )
        if outlet_entry.country:
            vote(outlet_entry.country, 1.0)
        if not states and outlet_entry.country == "US" and outlet_entry.admin1code:
            states.add(outlet_entry.admin1code)
    elif outlet[1]:
        vote(outlet[1], 1.0)
    total = sum(votes.values())
    focus = {c: v / total for c, v in votes.items()} if total else {}
    frozen_states = frozenset(states)
    first = tuple(
        replace(h, entry=_plausible(_choose(h, focus, frozen_states, frozenset()), h, focus))
        for h in raw
        if h.qualifier != "demonym"
    )
    admin1s = frozenset(
        (h.entry.country, h.entry.admin1code)
        for h in first
        if h.entry is not None and h.entry.country and h.entry.admin1code
    )
    # A state the first pass found ("Georgia" as the state, not the country), the state
    # of a US dateline's town ("CHICAGO —"), of a county only one state has, and of a
    # big city the story is in ("in Boston") or whose police speak ("Cincinnati police")
    # are named states too: "Richmond County" is then Georgia's, "Englewood" Chicago's
    # neighbourhood, not Colorado's town. A big city named otherwise may be a street
    # ("<Street> Avenue and Cleveland in <town>") or a hospital's town.
    named = {
        h.entry.admin1code
        for h in first
        if h.entry is not None
        and h.entry.country == "US"
        and h.entry.admin1code
        and (
            h.entry.kind == "province"
            or (h.entry.kind == "county" and len({e.admin1code for e in h.candidates}) == 1)
            or (h.entry.kind == "city" and h.dateline)
            or (
                h.entry.kind == "city"
                and h.entry.population >= _BIG_PLACE
                and (
                    after_locative(doc.text, h.start)
                    or _next_word(doc.text, h.end).lower() in _FORCE_AFTER
                )
            )
        )
    }
    if named - states:
        frozen_states = frozenset(states | named)
    hits = tuple(
        replace(
            h,
            entry=_in_states(
                _plausible(_choose(h, focus, frozen_states, admin1s), h, focus), frozen_states, h
            ),
        )
        for h in first
        if h.entry is not None
    )
    hits = tuple(h for h in hits if h.entry is not None)
    dateline = next((h for h in hits if h.dateline and h.entry is not None), None)
    if dateline is not None and dateline.entry is not None:
        # "<TOWN>, Tenn. -- ... in <TOWN>": the dateline's name means its place again,
        # even when a country bears it too.
        key, pid = norm(dateline.text), dateline.entry.pid
        hits = tuple(
            replace(h, entry=next(e for e in h.candidates if e.pid == pid))
            if not h.dateline and norm(h.text) == key and any(e.pid == pid for e in h.candidates)
            else h
            for h in hits
        )
    if upper and focus:
        # Upper-case text gives no capitals to tell names from words: outside the main
        # focus country only big places (or countries and provinces) are believed.
        top_country = max(focus, key=lambda c: focus[c])
        hits = tuple(
            h
            for h in hits
            if h.entry is not None
            and (
                h.dateline
                # an alternate name ("MARKET" for Marquette) is not enough in capitals
                or (h.entry.country == top_country and (h.entry.main or " " in h.text))
                or h.entry.kind in ("country", "province")
                or h.entry.population >= _BIG_PLACE
            )
        )
    main = None
    if main_hit is not None and not abroad:
        main = next((h for h in hits if h.dateline), None)
        if bureau and main is not None and main.entry is not None:
            # "<CAPITAL>, <date> (...) -- [TEXT] <another town> ...": a bureau's message
            # whose first sentence is about another town of its country is about that
            # town.
            lead = _lead_town(hits, main, doc.text)
            if lead is not None:
                main = lead
        if (
            main is not None
            and main.entry is not None
            and main.entry.kind in ("county", "province")
        ):
            # "DAUPHIN COUNTY, Pa. –": a town of that state named in the story is more precise.
            e = main.entry
            towns = [
                h
                for h in hits
                if h.entry is not None
                and h.entry.kind == "city"
                and h.entry.country == e.country
                and h.entry.admin1code == e.admin1code
                and not h.dateline
            ]
            if towns and e.admin1code:
                count = Counter(h.entry.pid for h in towns if h.entry is not None)
                top_pid = count.most_common(1)[0][0]
                main = next(h for h in towns if h.entry is not None and h.entry.pid == top_pid)
    if main is None:
        # The city named most often, a "City, State" and a place in the lead weighing more.
        lead_end = _lead_end(doc.text)
        mentions: Counter[int] = Counter()
        first_hit: dict[int, Hit] = {}
        # In a story clearly about one country (half of its votes or more), a town
        # abroad is no main place ("transported to <First name> <Name> Hospital" is no
        # town of that first name in Iran).
        top = max(focus, key=lambda c: focus[c]) if focus else None
        home = top if top is not None and focus[top] >= 0.5 else None
        for h in hits:
            if h.entry is None or h.entry.kind not in ("city", "site") or h.role is not None:
                continue
            if (said_abroad or (abroad and wire)) and h.dateline:
                continue  # (a wire's bureau abroad files news of elsewhere)
            if home is not None and h.entry.country != home and not h.dateline:
                continue
            first_hit.setdefault(h.entry.pid, h)
            mentions[h.entry.pid] += (
                1
                + (2 if h.container is not None else 0)
                + (1 if h.start < lead_end else 0)
                + (2 if outlet_entry is not None and h.entry.pid == outlet_entry.pid else 0)
            )
        if mentions:
            best = max(mentions, key=lambda pid: (mentions[pid], -first_hit[pid].start))
            main = first_hit[best]
    if main is None and outlet_entry is not None and outlet_entry.kind == "city":
        main = Hit(0, 0, outlet_entry.name, (outlet_entry,), entry=outlet_entry, outlet=True)
    if main is None:
        ranked = sorted(
            (
                h
                for h in hits
                if h.entry is not None and h.role != "speaker" and not (said_abroad and h.dateline)
            ),
            # a place of the text's first line ("NO CITY (EL SALVADOR), 20 OCT 89 --") or
            # one it says something is "in", "at" or "near" first ("died Jan. 7, in
            # Jordan" over the unit's "Fort Campbell, Kentucky", demo corpus)
            key=lambda h: (
                h.role is not None,
                "\n" in doc.text[: h.start].strip() and not after_locative(doc.text, h.start),
                -SPECIFICITY[PRECISION[h.entry.kind]],  # type: ignore[union-attr]
            ),
        )
        main = ranked[0] if ranked else None
    return DocPlaces(hits, focus, frozen_states, admin1s, main, bureau, upper)


_FORCE_AFTER = frozenset({"police", "metro", "sheriff", "fire", "homicide"})


def _word_before(text: str, start: int) -> str:
    """The word before ``start``, past a bearing ("in west Atlanta": "in")."""
    words = re.findall(r"\w+", text[max(0, start - 32) : start].lower())
    while words and (words[-1] in _BEARING_WORDS or words[-1] == "downtown"):
        words.pop()
    return words[-1] if words else ""


# "Spc. Isiah L. Booker, of Cibolo, Texas, died": ", of <town>" after a name; a
# sentence ends at a full stop before a capital ("Jan. 7, in Jordan" goes on).
_OF_HOME = re.compile(r"[A-Za-z.],\s+of\s+$")
_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z]")


def _homes_told_by_of(raw: list[Hit], text: str) -> list[Hit]:
    """A town told as ", of <town>" after a name, and the state after it, is a home when
    the sentence goes on to say where with "in", "at" or "near": "Spc. Isiah L. Booker,
    of Cibolo, Texas, died Jan. 7, in Jordan" (demo corpus). Alone, ", of <town>" is
    too often where it happened to be a home (gva-dev)."""
    out = list(raw)
    for i, h in enumerate(raw):
        if h.role is not None or not _OF_HOME.search(text, max(0, h.start - 12), h.start):
            continue
        end = h.end
        tail = [i]
        for j in range(i + 1, len(raw)):
            g = raw[j]
            if text[end : g.start].strip() == "," and g.role is None:
                tail.append(j)  # "Cibolo, Texas": its state
                end = g.end
                continue
            if (
                g.start - end <= 160
                and after_locative(text, g.start)
                and not _SENTENCE_END.search(text, end, g.start)
            ):
                for k in tail:
                    out[k] = replace(raw[k], role="home")
            break
    return out


def after_locative(text: str, start: int) -> bool:
    """Is the name at ``start`` where something is ("in west Atlanta", "near Kirkuk")?"""
    return _word_before(text, start) in _STRONG_BEFORE


def _lead_town(hits: tuple[Hit, ...], dateline: Hit, text: str) -> Hit | None:
    d = dateline.entry
    assert d is not None
    m = re.search(r"[.!?]\s", text[dateline.end :])
    end = dateline.end + (m.start() if m else len(text))
    return next(
        (
            h
            for h in hits
            if h.entry is not None
            and not h.dateline
            and h.role is None
            and dateline.end < h.start < end
            and h.entry.kind in ("city", "site")
            and h.entry.country == d.country
            and h.entry.pid != d.pid
        ),
        None,
    )


def _lead_end(text: str) -> int:
    """End of the title and the first sentence of the body."""
    m = re.search(r"[.!?](?:\s|$)", text[200:]) if len(text) > 200 else None
    return 200 + m.end() if m else min(len(text), 400)


def place_from_entry(
    e: Entry,
    text: str,
    qualifier: str | None = None,
    km: float | None = None,
    bearing: float | None = None,
) -> Place:
    precision = PRECISION[e.kind]
    lat, lon = e.lat, e.lon
    if qualifier:
        q = qualifier.lower()
        if (
            km is not None
            or q.startswith(("near", "close", "outside", "nearby", "around"))
            or _BEARING_OF.match(q)  # "northeast of <town>": outside the town
        ):
            if precision in ("city", "site"):
                precision = "near city"
            if km is not None and bearing is not None and lat is not None and lon is not None:
                lat, lon = offset_point(lat, lon, km, bearing)
    return Place(
        text=text,
        qualifier=qualifier,
        name=e.name,
        country=e.country,
        admin1=e.admin1,
        lat=lat,
        lon=lon,
        geonameid=e.geonameid,
        precision=precision,
    )


_TOWN_WORDS = frozenset({"city", "town", "municipality"})
_BEARING_OF = re.compile(r"(?:north|south|east|west)(?:-?(?:east|west))?\s+of\b")


def named_part(qualifier: str | None) -> str | None:
    """The words of a qualifier that belong to the name: a bearing written with
    capitals in mixed-case text ("South" of "South Gate", "the East" of "the East
    End"), not "southern" or "SOUTHERN" (upper-case text tells nothing)."""
    if not qualifier:
        return None
    words = qualifier.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    if not words or any(not (w[:1].isupper() and not w.isupper()) for w in words):
        return None
    if any(ch.isdigit() for ch in qualifier):
        return None
    return " ".join(words)


def is_region(text: str, name: str, qualifier: str | None, tables: Tables) -> bool:
    """Does the mention ``text`` (split by :func:`split_mention` into ``name`` and
    ``qualifier``) name a region of the world ("CENTRAL AMERICA", "the Middle East"),
    never a place, nor America with a bearing?"""
    return (
        norm(text) in tables.regions
        or norm(name) in tables.regions
        or (qualifier is not None and norm(f"{qualifier} {name}") in tables.regions)
    )


def resolve_mention(place: Place, ctx: DocPlaces, gaz: Gazetteer, tables: Tables) -> Place:
    """Resolve a place mention given by extraction; unresolvable keeps its words."""
    name, qualifier, km, bearing, typed = split_mention(place.text)
    if place.qualifier:
        _, q2, km2, b2, _ = split_mention(f"{place.qualifier} X")
        qualifier = qualifier or q2 or place.qualifier
        km = km if km is not None else km2
        bearing = bearing if bearing is not None else b2
    container = None
    if "," in name:
        head, _, tail = name.partition(",")
        container = _state_entry(tail.strip(), gaz, tables)
        if container is not None:
            name = head.strip()
    if norm(name) in tables.not_places:  # "the South Side", "Police"
        return replace(place, qualifier=qualifier or place.qualifier)
    if is_region(place.text, name, qualifier, tables):
        return replace(place, qualifier=qualifier or place.qualifier)
    # In a US story that names no state, the main city's state stands for it: a small
    # town of another state is a namesake ("the Hill District" of a Pittsburgh story
    # is no Hill, New Hampshire; "the East End" of Richmond no East End, Arkansas).
    states = ctx.states
    main = ctx.main.entry if ctx.main is not None else None
    if not states and main is not None and main.country == "US" and main.admin1code:
        states = frozenset({main.admin1code})
    named = named_part(qualifier)
    if named is not None:
        # "South Gate", "East Hartford": a capitalized bearing is part of the name; the
        # bare name stands only when the whole one is no place ("South Chicago" is).
        whole = f"{named} {name}"
        if norm(whole) in tables.not_places:  # "West Side"
            return replace(place, qualifier=qualifier or place.qualifier)
        for h in ctx.hits:
            if (
                h.entry is not None
                and norm(h.text) == norm(whole)
                and container is None
                and _in_states(h.entry, states, h) is not None
            ):
                return place_from_entry(h.entry, place.text, place.qualifier)
        hit = _make_hit(0, 0, whole, gaz, tables, container=container, loose_ok=False)
        entry = _in_states(
            _plausible(_choose(hit, ctx.focus, states, ctx.admin1s), hit, ctx.focus),
            states,
            hit,
        )
        if entry is not None:
            return place_from_entry(entry, place.text, place.qualifier)
    abbreviation = " ".join(place.text.split())
    if container is None and abbreviation in tables.state_abbreviations:
        # "Fla.", "N.Y.": the state (AP style)
        state = _state_entry(abbreviation, gaz, tables)
        if state is not None:
            return place_from_entry(state, place.text, qualifier or place.qualifier)
    # The same words found by the document scan already carry their resolution.
    for h in ctx.hits:
        if h.entry is not None and norm(h.text) == norm(name) and container is None:
            return place_from_entry(h.entry, place.text, qualifier or place.qualifier, km, bearing)
    hit = _make_hit(0, 0, name, gaz, tables, container=container, typed=typed)
    words = name.split()
    if not hit.candidates and len(words) > 1 and words[-1].lower() in _TOWN_WORDS:
        # "HUANCAYO CITY", "SOYAPANGO CITY": the town under its own name (not "York
        # City": a capitalized "City" belongs to the name)
        last = words[-1]
        if last.isupper() or last.islower():
            bare = " ".join(words[:-1])
            hit = _make_hit(0, 0, bare, gaz, tables, container=container)
            hit = replace(hit, town=True)
    entry = _plausible(_choose(hit, ctx.focus, ctx.states, ctx.admin1s), hit, ctx.focus)
    if typed and entry is not None and entry.kind == "city":
        # "the Hill District" read as a town called Hill: only one of the story's state
        entry = _in_states(entry, states, hit)
    if entry is None:
        return replace(place, qualifier=qualifier or place.qualifier)
    return place_from_entry(entry, place.text, qualifier or place.qualifier, km, bearing)


def hit_place(h: Hit, text: str) -> Place | None:
    """The Place of a scanned hit, with the qualifier read before it."""
    if h.entry is None:
        return None
    if h.unknown:
        e = h.entry
        return Place(
            text=text,
            qualifier=h.qualifier,
            name=display_name(h.text, upper=h.text.isupper()),
            country=e.country,
            admin1=e.admin1,
            lat=e.lat,
            lon=e.lon,
            geonameid=None,
            precision="container",
        )
    km = bearing = None
    if h.qualifier:
        _, _, km, bearing, _ = split_mention(f"{h.qualifier} {h.text}")
    return place_from_entry(h.entry, text, h.qualifier, km, bearing)
