"""Places the gazetteer does not know: a neighbourhood, village, farm or street that
extraction found ("shot in Granada Hills", "IN HUANCORA, ... CHALATENANGO DEPARTMENT")
is kept as the claim's place, named as written, inside the most specific known place
the document gives for it.

Such a place has ``geonameid`` null and precision ``"container"``: its ``country``,
``admin1`` and coordinates are those of the container (the city, province or country
it lies in), so a map can show it at the container's point, known to be approximate.

A mention is kept only when it looks like a name (:func:`looks_like_name`): capitalized
words in mixed-case text, a word that is no English word in upper-case text, never a
stop word, a date, a street number, an organisation ("Sheriff's Office") or a word
of ``not_places.txt``; and the text puts it where a place goes: after "in", "at",
"near", "outside" ..., after "the town/neighborhood/block of", or before a place kind
("the Pico-Union neighborhood").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tolltrace.records import Place
from tolltrace.resolve.gazetteer import Gazetteer
from tolltrace.resolve.names import display_name, is_english, norm, particle_name
from tolltrace.resolve.places import (
    CONNECTORS,
    STREET_WORDS,
    DocPlaces,
    named_part,
    place_from_entry,
    resolve_mention,
)
from tolltrace.resolve.tables import Tables

__all__ = [
    "CONTAINER",
    "KIND_WORDS",
    "common_word",
    "display_name",
    "is_english",
    "looks_like_name",
    "stated_container",
    "strip_kind",
    "unknown_place",
]

CONTAINER = "container"  # the precision of a place known only by the place it lies in
_BIG_PLACE = 100_000

# Words that name a kind of place, before or after its name ("LA ESPERANZA FARM",
# "FINCA SANTA ELENA", "the Pico-Union neighborhood").
KIND_WORDS = frozenset(
    {
        "neighborhood",
        "neighbourhood",
        "district",
        "area",
        "section",
        "sector",
        "community",
        "suburb",
        "village",
        "hamlet",
        "town",
        "city",
        "municipality",
        "jurisdiction",
        "canton",
        "settlement",
        "farm",
        "estate",
        "hacienda",
        "finca",
        "barrio",
        "colonia",
        "caserio",
        "aldea",
        "vereda",
        "corregimiento",
        "township",
    }
)
# Kinds that may stand before the name ("FINCA SANTA ELENA", "CANTON TRES CEIBAS").
_KIND_FIRST = frozenset(
    {"finca", "hacienda", "barrio", "colonia", "caserio", "aldea", "vereda", "canton"}
)
# Kinds after which the name is a town the gazetteer may know under its bare name
# ("HUANCAYO CITY", "SOYAPANGO CITY", "HUANTA TOWN").
_TOWN_KINDS = frozenset({"city", "town", "municipality"})

# A word in a mention that makes it an organisation, a vehicle or an outlet, not a place.
_NOT_PLACE_WORDS = frozenset(
    {
        "police",
        "sheriff",
        "sheriffs",
        "office",
        "department",
        "ministry",
        "army",
        "force",
        "forces",
        "government",
        "council",
        "court",
        "party",
        "front",
        "news",
        "times",
        "report",
        "hospital",
        "clinic",
        "medical",
        "morgue",
        "jail",
        "prison",
        "coroner",
        "rescue",
        "fire",
        "com",
        "tv",
        "jr",
        "sr",
        "unit",
        # events: "Northwest Miami-Dade Shooting", "Plantation Crash"
        "shooting",
        "shootings",
        "crash",
        "attack",
        "attacks",
        "bombing",
        "explosion",
        "homicide",
        "murder",
    }
)
_TIME_WORDS = frozenset(
    {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "christmas",
        "easter",
        "thanksgiving",
        "halloween",
        "day",
        "night",
        "morning",
        "evening",
        "weekend",
    }
)

# What may stand before a place name in the text.
_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|outside|inside|around|across|within|throughout|into|toward|towards|"
    r"between|along)"
    r"|\b(?:city|town|towns|village|villages|hamlet|neighbou?rhood|district|area|section|"
    r"community|suburb|municipality|canton|settlement|farm|estate|jurisdiction|block|corner|"
    r"part|parts|outskirts|vicinity|edge|heart|centre|center|department|province)\s+of"
    # "southwest of <village>", "12 km north of ..."
    r"|\b(?:\d[\d.,]*\s*(?:km|kms|kilomet(?:er|re)s?|miles?|mi)\.?\s+)?"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest)\s+of"
    r"|\b\d[\d.,]*\s*(?:km|kms|kilomet(?:er|re)s?|miles?|mi)\.?\s+(?:from|outside)"
    r"|(?P<on>\bon))"
    r"\s+(?:the\s+)?(?:(?:small|tiny|remote|rural|poor|low-income|middle-class|nearby)\s+)?"
    r"(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+)?$",
    re.IGNORECASE,
)
_KIND_AFTER = re.compile(
    r"\s+(?:" + "|".join(sorted(KIND_WORDS)) + r")\b",
    re.IGNORECASE,
)
# After a name: ", <container>", ", a <kind> of/in <container>" or " in/of <container>"
# ("EL NISPERAL, USULUTAN", "JUAN BUENO, A HAMLET OF ANTIOQUIA DEPARTMENT", "Whitley
# Avenue in Hollywood").
_NEXT = re.compile(
    r"(?:\s*,\s*(?:(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:"
    + "|".join(sorted(KIND_WORDS))
    + r")\s+(?:of|in)\s+(?:the\s+)?)?|\s+(?:in|of|near)\s+(?:the\s+)?)(?=\S)",
    re.IGNORECASE,
)
_RUN = re.compile(r"[^\W\d_][\w'’.\-]*", re.UNICODE)
_ACRONYM = re.compile(r"[A-Z]{2,}")


def strip_kind(name: str, upper: bool = True) -> tuple[str, str | None]:
    """``("San Miguelito", "neighborhood")`` from ``"SAN MIGUELITO NEIGHBORHOOD"``:
    a kind word at the end (or, for "finca", "canton" ..., at the start) taken off;
    in mixed-case text only a lower-case one ("Pico-Union neighborhood", not
    "Little Village" or "Hamilton Township")."""
    words = name.split()
    if len(words) < 2:
        return name, None
    last, first = words[-1], words[0]
    if last.lower() in KIND_WORDS and (upper or last.islower()):
        return " ".join(words[:-1]), last.lower()
    if first.lower() in _KIND_FIRST and (upper or first.islower()):
        return " ".join(words[1:]), first.lower()
    return name, None


def _title_case_line(text: str, start: int) -> bool:
    """Whether the line around ``start`` is a headline in title case, where capitals
    tell nothing."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", start)
    line = text[a : b if b >= 0 else len(text)]
    words = [w for w in re.findall(r"[A-Za-z][a-z']*", line) if len(w) >= 4]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where a mention stands in the text."""

    start: int
    end: int


def find_occurrence(name: str, text: str, a: int, b: int, near: int) -> Occurrence | None:
    """The occurrence of ``name`` in ``text[a:b]`` nearest to offset ``near`` (any
    spacing between its words)."""
    words = name.split()
    if not words:
        return None
    pat = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)")
    found = [Occurrence(m.start(), m.end()) for m in pat.finditer(text, a, b)]
    if not found:
        return None
    return min(found, key=lambda o: abs(o.start - near))


def common_word(word: str, gaz: Gazetteer) -> bool:
    """Whether ``word`` (a normalized key) is a common English word: in the word list
    and not the name of a country or a city of 100,000+ people (the list is WordNet's,
    which has "salvador", "lima" and "granada" among its nouns)."""
    if not is_english(word, gaz.tables.english):
        return False
    return not any(
        e.main and (e.kind == "country" or e.population >= _BIG_PLACE) for e in gaz.lookup(word)
    )


def looks_like_name(
    name: str,
    text: str,
    occ: Occurrence,
    ctx: DocPlaces,
    gaz: Gazetteer,
    *,
    introduced: bool = False,
) -> bool:
    """Whether ``name``, standing at ``occ`` in ``text``, is a place name: see the
    module doc. ``introduced``: the mention itself said it is a place ("near X", "the
    town of X", "X neighborhood")."""
    tables = gaz.tables
    words = name.split()
    key = norm(name)
    if not words or len(key) < 3 or any(ch.isdigit() for ch in name):
        return False
    keys = [norm(w) for w in words]
    if key in tables.not_places or key in tables.stopwords or keys[0] in tables.stopwords:
        return False
    if any(k in _NOT_PLACE_WORDS or k in _TIME_WORDS for k in keys):
        return False
    if any(k in tables.outlet_words and k not in KIND_WORDS for k in keys) and len(keys) > 1:
        return False  # "BNO News", "Central Texas News"
    if len(words) == 1 and (key in ctx.surnames or key in STREET_WORDS):
        return False  # a person ("Richardson"), a bare "Ave"
    if words[-1].endswith(("'s", "’s", "'", "’")):
        return False  # "Nixon's", "New Orleans Mother's": a person's or a business

    content = [w for w in words if w.lower() not in CONNECTORS]
    if not content:
        return False
    if not ctx.upper and not all(w[:1].isupper() or particle_name(w) for w in content):
        return False  # "Lake Ontario beach"; "Urem al-Kubra" is a name
    if not ctx.upper and any(_ACRONYM.search(w) for w in content):
        return False  # "SUV", "CBSMiami": acronyms are organisations and things
    before = text[max(0, occ.start - 60) : occ.start]
    after = text[occ.end : occ.end + 30]
    m = _BEFORE.search(before)
    placed = introduced or _KIND_AFTER.match(after) is not None
    if m is not None:
        if m.group("on"):
            # "on Bourbon Street", "on the Southwest Side"; not "on Facebook".
            placed = placed or norm(words[-1]) in STREET_WORDS
        else:
            placed = True
            if not ctx.upper:
                first = m.group(0).lstrip()[:1]
                placed = first.islower()  # "Killed In Head-On Crash" is a headline
    if not placed:
        return False
    lexical = [all(common_word(p, gaz) for p in norm(w).split() if p) for w in content]
    if ctx.upper:
        # Capitals tell nothing: some word must be no English word ("HUANCORA",
        # "JUAN BUENO"), unless the text says it is a place ("THE TOWN OF LA UNION").
        # Without a word list, only such introduced names are kept.
        return introduced or (bool(tables.english) and not all(lexical))
    if all(lexical):
        # Common words capitalized: a name only when several and written so inside a
        # sentence ("shot in Exposition Park"), not one word ("in Downtown shooting")
        # nor a title-case headline ("Killed in Plantation Crash").
        if introduced and len(content) == 1:
            return True
        return len(content) > 1 and not _title_case_line(text, occ.start)
    return True


def _next_place(
    text: str, end: int, limit: int, ctx: DocPlaces, gaz: Gazetteer, tables: Tables
) -> Place | None:
    """The known place named right after a name: ", <place>" or " in/of <place>",
    skipping up to two unknown names between ("HUANCORA, SAN ISIDRO LABRADOR
    JURISDICTION, CHALATENANGO DEPARTMENT")."""
    pos = end
    for _ in range(3):
        m = _NEXT.match(text, pos, limit)
        if m is None:
            return None
        run: list[re.Match[str]] = []
        for w in _RUN.finditer(text, m.end(), min(limit, m.end() + 60)):
            gap = text[(run[-1].end() if run else m.end()) : w.start()]
            if run and (gap.strip() or "\n\n" in gap):
                break
            low = w.group(0).lower()
            if not run and low in tables.stopwords:
                break
            if not ctx.upper and not (
                w.group(0)[:1].isupper() or low in CONNECTORS or particle_name(w.group(0))
            ):
                break
            if ctx.upper and run and low in tables.stopwords and low not in CONNECTORS:
                break
            run.append(w)
            if len(run) == 5:
                break
        while run and run[-1].group(0).lower() in CONNECTORS:
            run.pop()
        if not run:
            return None
        words = text[run[0].start() : run[-1].end()].rstrip(".")
        place = resolve_mention(Place(text=words), ctx, gaz, tables)
        if place.name is None:
            bare, kind = strip_kind(words)
            if kind is not None:
                place = resolve_mention(Place(text=bare), ctx, gaz, tables)
        if (
            place.name is not None
            and place.precision in ("city", "province", "country")
            and place.country in _story_countries(ctx)
        ):
            return place
        pos = run[-1].end()
    return None


def stated_container(
    name: str, text: str, span: tuple[int, int], near: int, ctx: DocPlaces, gaz: Gazetteer
) -> Place | None:
    """The known place the text names right after ``name`` ("<VILLAGE>, <X>
    DEPARTMENT"), None when it names none."""
    a, b = span
    occ = find_occurrence(name, text, a, b, near)
    if occ is None:
        return None
    return _next_place(text, occ.end, b, ctx, gaz, gaz.tables)


def _story_countries(ctx: DocPlaces) -> frozenset[str]:
    """The countries the document is about: its focus (a share of 0.15 or more) and
    its main place's."""
    found = {c for c, share in ctx.focus.items() if share >= 0.15}
    if ctx.main is not None and ctx.main.entry is not None and ctx.main.entry.country:
        found.add(ctx.main.entry.country)
    return frozenset(found)


def _fallback(
    ctx: DocPlaces, gaz: Gazetteer, start: int, context_chars: int, urban: bool
) -> Place | None:
    """The container of a name with no known place next to it: the document's main
    place. Under a bureau dateline (MUC/FBIS), which says where the message was filed
    rather than where things happened: the city (for a street, building or
    neighbourhood) or province the text named last before it, else, for a street, the
    dateline city of the story's country, else the story's country."""
    main = ctx.main.entry if ctx.main is not None else None
    country = max(ctx.focus, key=lambda c: ctx.focus[c]) if ctx.focus else None
    if main is not None and not ctx.bureau:
        if not ctx.focus or ctx.focus.get(main.country or "", 0.0) >= 0.15:
            return place_from_entry(main, main.name)
        main = None  # a main place abroad of what the document is about
    if country is None and main is not None:
        country = main.country
    kinds = ("city", "province") if urban else ("province",)
    before = [
        h.entry
        for h in ctx.hits
        if h.entry is not None
        and h.entry.kind in kinds
        and h.entry.country == country
        and not h.dateline
        and start - context_chars <= h.start < start
    ]
    if before:
        return place_from_entry(before[-1], before[-1].name)
    if urban and main is not None and main.kind == "city" and main.country == country:
        return place_from_entry(main, main.name)
    entry = gaz.country_entry.get(country) if country else None
    return place_from_entry(entry, entry.name) if entry is not None else None


# Kinds of place that lie inside a town: a street, building or neighbourhood.
_URBAN_KINDS = frozenset(
    {
        "neighborhood",
        "neighbourhood",
        "district",
        "section",
        "sector",
        "suburb",
        "barrio",
        "colonia",
    }
)
_URBAN_WORDS = frozenset({"headquarters", "building", "square", "plaza", "market", "embassy"})


def container_place(
    name: str,
    mention_text: str,
    qualifier: str | None,
    container: Place | None,
    upper: bool,
) -> Place:
    """The Place of an unknown name inside ``container`` (a resolved place): its
    country, admin1 and point, precision "container", no geonameid."""
    if container is None:
        return Place(text=mention_text, qualifier=qualifier, name=display_name(name, upper))
    return Place(
        text=mention_text,
        qualifier=qualifier,
        name=display_name(name, upper),
        country=container.country,
        admin1=container.admin1,
        lat=container.lat,
        lon=container.lon,
        geonameid=None,
        precision=CONTAINER,
    )


def unknown_place(
    mention: Place,
    name: str,
    qualifier: str | None,
    text: str,
    span: tuple[int, int],
    near: int,
    ctx: DocPlaces,
    gaz: Gazetteer,
    *,
    context_chars: int = 600,
) -> Place | None:
    """The claim's place when extraction's mention ``mention`` (its bare name ``name``,
    its wording ``qualifier``: "near", "the town of") is no gazetteer place but looks
    like a name where the text puts it; ``None`` when it does not look like one."""
    tables = gaz.tables
    named = None if ctx.upper else named_part(qualifier)
    if named is not None:
        # "South Paulina Avenue", "the East End": the capitalized bearing is of the name
        name, qualifier = f"{named} {name}", None
    a, b = span
    owner: Place | None = None
    pm = re.match(r"(.+?)['’]s\s+(.+)$", name)
    if pm is not None:
        # "Tegucigalpa's Florencia del Este": the possessive is the container.
        found = resolve_mention(Place(text=pm.group(1)), ctx, gaz, tables)
        if found.name is not None and found.precision in ("city", "province", "country"):
            owner, name = found, pm.group(2)
    bare, kind = strip_kind(name, ctx.upper)
    occ = find_occurrence(name, text, a, b, near) or find_occurrence(bare, text, a, b, near)
    if occ is None:
        return None
    if kind is None:
        after = _KIND_AFTER.match(text, occ.end, occ.end + 30)
        word = after.group(0).strip() if after is not None else ""
        if word and (ctx.upper or word.islower()):  # "IN THE LAS ACHUPALLAS SECTOR"
            kind = word.lower()
    introduced = kind is not None or bool(qualifier)
    if not looks_like_name(bare, text, occ, ctx, gaz, introduced=introduced):
        return None
    container = owner or _next_place(text, occ.end, b, ctx, gaz, tables)
    if container is None:
        last = norm(bare.split()[-1])
        urban = kind in _URBAN_KINDS or last in STREET_WORDS or last in _URBAN_WORDS
        container = _fallback(ctx, gaz, occ.start, context_chars, urban)
    return container_place(bare, mention.text, qualifier or kind, container, ctx.upper)
