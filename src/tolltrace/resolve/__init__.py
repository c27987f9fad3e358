"""Resolve: place mentions -> gazetteer entries, time expressions -> date ranges,
claimant mentions -> normalized claimants (see ``docs/resolution.md``).

Public API:

- :func:`load_gazetteer` (``settings -> Gazetteer``): opens, and on first use builds,
  the offline index under ``settings.gazetteer_dir``, with the editable tables.
- :func:`resolve_claims` (``doc, claims, gazetteer -> tuple[Claim, ...]``): the stage.
  No I/O beyond read-only lookups in the gazetteer file; safe on a Dask worker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from tolltrace.records import Claim, Claimant, Document, Place, TimeRef
from tolltrace.resolve.claimants import DocClaimants, learn_aliases, resolve_claimant
from tolltrace.resolve.dates import default_range, find_time_expressions, resolve_time
from tolltrace.resolve.gazetteer import Entry, Gazetteer, add_geonames_file, open_gazetteer
from tolltrace.resolve.names import CONNECTORS, norm
from tolltrace.resolve.places import (
    PRECISION,
    SPECIFICITY,
    DocPlaces,
    Hit,
    hit_place,
    is_region,
    place_from_entry,
    resolve_mention,
    scan_document,
    split_mention,
)
from tolltrace.resolve.tables import Tables, load_tables
from tolltrace.resolve.unknown import (
    common_word,
    container_place,
    stated_container,
    unknown_place,
)
from tolltrace.settings import Settings

__all__ = [
    "RESOLVER_VERSION",
    "Entry",
    "Gazetteer",
    "add_geonames_file",
    "add_to_gazetteer",
    "gazetteer_path",
    "gazetteer_rows",
    "load_gazetteer",
    "resolve_claims",
    "resolve_time",
]

RESOLVER_VERSION = "tolltrace-resolve/0.1.0"

# How far back a claim with no place of its own looks for the place the text is about.
# Set on muc4-dev (300, 600, 1000 tried: 600 best for place without losing country).
_CONTEXT_CHARS = 600
# The share of a document's place votes that makes a country one the story is about
# (the resolver's own threshold for believing a place abroad, set on muc4-dev).
_FOCUS_SHARE = 0.15
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n\s*\n")
_ATTRIBUTION = re.compile(
    r"(?:according to|said|told|reported|cited|quoted)\s+(?:by\s+)?(?P<a>(?:the\s+)?"
    r"[A-Za-z][\w.'’\-]*(?:\s+(?:of\s+)?[\w.'’\-]+){0,5}?)(?=[,.;]|\s+(?:said|told|on|in|that)\b|$)"
    r"|(?P<b>(?:the\s+)?[A-Z][\w.'’\-]*(?:\s+[A-Za-z][\w.'’\-]*){0,5}?)\s+"
    r"(?:said|says|reported|reports|told|stated|confirmed|announced)\b",
)


def gazetteer_path(settings: Settings) -> Path:
    return Path(settings.gazetteer_dir).expanduser()


def load_gazetteer(settings: Settings) -> Gazetteer:
    """Open the gazetteer under ``settings.gazetteer_dir`` (building it on first use,
    about 20 s) with the shipped alias tables."""
    return open_gazetteer(
        gazetteer_path(settings), tables=load_tables(spacy_model=settings.spacy_model)
    )


def add_to_gazetteer(settings: Settings, source: Path) -> int:
    """``tolltrace gazetteer add``: load a GeoNames dump into the index (built first
    when missing). Returns the rows read."""
    gaz = load_gazetteer(settings)
    return add_geonames_file(gaz.path, Path(source))


def gazetteer_rows(settings: Settings, name: str) -> list[dict[str, object]]:
    """``tolltrace gazetteer lookup``: the entries ``name`` can mean, exact matches
    first, then transliteration matches."""
    gaz = load_gazetteer(settings)
    entries = gaz.lookup(name) or gaz.lookup(name, loose=True)
    return [
        {
            "geonameid": e.geonameid,
            "name": e.name,
            "country": e.country,
            "admin1": e.admin1,
            "kind": e.kind,
            "population": e.population,
            "lat": e.lat,
            "lon": e.lon,
            "main_name": e.main,
        }
        for e in entries
    ]


def _sentence(
    text: str, start: int, end: int, abbreviations: frozenset[str] = frozenset()
) -> tuple[int, int]:
    """The sentence around ``text[start:end]``; a period after an abbreviation ("Aug.",
    "Sgt.") or a single capital letter ("U.S.", "Scott C. Dayton") ends none."""
    a = 0
    for m in reversed(list(_SENTENCE_END.finditer(text, max(0, start - 1500), start))):
        if not _abbreviated(text, m.start(), abbreviations):
            a = m.end()
            break
    b = len(text)
    for m2 in _SENTENCE_END.finditer(text, end):
        if not _abbreviated(text, m2.start(), abbreviations):
            b = m2.start() + 1
            break
    return a, b


_WORD_BEFORE = re.compile(r"([A-Za-z]+)$")


def _abbreviated(text: str, at: int, abbreviations: frozenset[str]) -> bool:
    if text[at] != ".":
        return False
    m = _WORD_BEFORE.search(text, max(0, at - 12), at)
    if m is None:
        return False
    word = m.group(1)
    return (len(word) == 1 and word.isupper()) or word.lower() in abbreviations


def _claim_place(
    claim: Claim, doc: Document, ctx: DocPlaces, gaz: Gazetteer, span: tuple[int, int]
) -> Place | None:
    if claim.place is not None and claim.place.name is not None:
        return claim.place
    named = _named_locality(claim, doc, ctx, gaz, span)
    if named is not None:
        return named
    mention = claim.place
    if mention is not None:
        name, qualifier, _km, _bearing, _typed = split_mention(mention.text)
        if is_region(mention.text, name, qualifier, gaz.tables):
            mention = None  # "IN CENTRAL AMERICA": the sentence or document says where
    if mention is not None:

        def as_unknown() -> Place | None:
            return unknown_place(
                mention,
                name,
                qualifier or mention.qualifier,
                doc.text,
                span,
                claim.start,
                ctx,
                gaz,
                context_chars=_CONTEXT_CHARS,
            )

        resolved = resolve_mention(mention, ctx, gaz, gaz.tables)
        if resolved.name is not None and resolved.precision == "city":
            # "IN CORRAL DE PIEDRAS, CHALATENANGO DEPARTMENT": a namesake town of another
            # country or province is not the village the text places in that department
            stated = stated_container(name, doc.text, span, claim.start, ctx, gaz)
            if stated is not None and not _inside_place(resolved, stated):
                unknown = as_unknown()
                if unknown is not None:
                    return unknown
        if resolved.name is not None:
            located = _located_by(mention, ctx, doc.text, span)
            if located is not None:
                return located
            main_place = _main_inside(resolved, ctx)
            if main_place is None and _stray_country(resolved, ctx):
                main_place = _main_place(ctx)
            if main_place is None and resolved.precision in ("province", "country"):
                there = _took_place(claim, doc, ctx, gaz, span)
                if there is not None and _inside_place(there, resolved):
                    return there
                # "on a road linking <town> and <town>, two towns in <X> department": a
                # town of the sentence inside the province is more precise.
                town = _town_of_sentence(claim, ctx, span, resolved)
                if town is not None:
                    return town
            return main_place if main_place is not None else resolved
        # "the Southwest Side": a part of the document's main city.
        side = _city_side(mention, ctx)
        if side is not None:
            return side
        # A name the gazetteer lacks ("in Granada Hills", "IN HUANCORA, ...
        # CHALATENANGO DEPARTMENT") stays the place, inside the place the document
        # gives for it; a mention that is no name ("PROPERTY DAMAGE", "MIDAIR") gives
        # way to the places of the sentence, then to the document's main place.
        unknown = as_unknown()
        if unknown is not None:
            return unknown
    a, b = span
    inside = [h for h in ctx.hits if h.entry is not None and a <= h.start < b]
    # The dateline ("<CITY>, <D MON YY> (<AGENCY>) -- ... IN <VILLAGE>, <PROVINCE>
    # DEPARTMENT") is part of the first sentence but not a place it names: it is the
    # fallback below (qualifier "dateline"), when the sentence names no place of its
    # own in the dateline's country (and US state): "Cook" (a hospital's name read as
    # a Minnesota town) is none.
    dateline = [h for h in inside if h.dateline]
    if dateline:
        inside = [h for h in inside if not h.dateline and _consistent(h, dateline[0])]
    # "Sonsonate, 50 km west of San Salvador": the second place only locates the first.
    inside = [h for h in inside if not _locates_other(h, inside, doc.text)] or inside
    # The town of the hospital the wounded were taken to is never the place.
    inside = [h for h in inside if h.role != "hospital"]
    # "Scott C. Dayton, 42, of Woodbridge, Virginia, died ... in northern Syria": a
    # home, a seat or the country speaking is the place only when the sentence names
    # no other; a speaking country never is.
    inside = [h for h in inside if h.role is None] or [h for h in inside if h.role != "speaker"]
    main = ctx.main.entry if ctx.main is not None else None
    if inside:
        # The most specific place of the sentence; among equals, the nearest to the figure.
        best = max(inside, key=lambda h: (SPECIFICITY[_precision(h)], -abs(h.start - claim.start)))
        e = best.entry
        assert e is not None
        # "Ohio" or "Iraq" in the sentence and the dateline city inside it: the city.
        contains_main = (
            main is not None
            and main.kind in ("city", "site")
            and (
                (e.kind == "country" and e.country == main.country)
                or (
                    e.kind in ("province", "county")
                    and e.country == main.country
                    and e.admin1code is not None
                    and e.admin1code == main.admin1code
                )
            )
        )
        found = hit_place(best, best.text)
        if not contains_main and e.kind == "county":
            # A US county has no coordinates in the sources: the town of that county's
            # state that the story names most stands for it ("Pima County" -> Tucson).
            town = _town_in(ctx, e)
            if town is not None:
                return town
        if (
            not contains_main
            and found is not None
            and not (_stray_country(found, ctx) and _main_place(ctx) is not None)
        ):
            if found.precision in ("province", "country"):
                # "... were killed when they set off a mine in <X> department.  The
                # incident took place in the vicinity of <village>": the next sentence
                # says where.
                there = _took_place(claim, doc, ctx, gaz, span)
                if there is not None and _inside_place(there, found):
                    return there
            return found
    fallback = _fallback_place(claim, ctx, gaz, span)
    nearby = _nearby_place(claim, doc, ctx, gaz, span, fallback)
    place = nearby if nearby is not None else fallback
    return _demonym_country(doc.text[span[0] : span[1]], ctx, gaz, place) or place


_BORROWED = frozenset({"document", "dateline", "context"})


def _demonym_country(
    sentence: str, ctx: DocPlaces, gaz: Gazetteer, place: Place | None
) -> Place | None:
    """A death a message filed in Mexico City blames on "the Colombian security
    services": a claim whose sentence names no place, in a story filed from another
    country, is in the one country its sentence names by a demonym, when the
    story is about that country more than about the place it would otherwise take (and
    by a focus share of ``_FOCUS_SHARE`` or more)."""
    if place is not None and place.qualifier not in _BORROWED:
        return None
    found = {
        cc
        for w in re.findall(r"[^\W\d_]+", sentence)
        if (cc := gaz.tables.demonyms.get(norm(w))) is not None
    }
    if len(found) != 1:
        return None
    cc = found.pop()
    if place is not None and place.country == cc:
        return None
    share = ctx.focus.get(cc, 0.0)
    if share < _FOCUS_SHARE or (
        place is not None and share <= ctx.focus.get(place.country or "", 0.0)
    ):
        # a story more about the place it was filed from keeps it: a teacher "at the
        # American school" killed in a story from San Salvador is in El Salvador
        return None
    country = gaz.country_entry.get(cc)
    return place_from_entry(country, country.name, "demonym") if country is not None else None


def _fallback_place(
    claim: Claim, ctx: DocPlaces, gaz: Gazetteer, span: tuple[int, int]
) -> Place | None:
    """The place of a claim whose sentence names none: the city the text was last about,
    else the document's main place, else its focus country."""
    a, _b = span
    # The place the text was last about: the nearest city before the claim, in the
    # sentences just before it (MUC reports name the town once, then tell what happened).
    before = (
        []
        if ctx.main is not None and not ctx.bureau
        else [
            h
            for h in ctx.hits
            if h.entry is not None
            and not h.dateline
            and h.role is None
            and a - _CONTEXT_CHARS <= h.start < a
            and h.entry.kind in ("city", "site")
            # a city of a country the story is not about ("talks in Geneva") is no
            # place of what happened
            and ctx.focus.get(h.entry.country or "", 0.0) >= _FOCUS_SHARE
        ]
    )
    if before:
        near = max(before, key=lambda h: h.start)
        p = hit_place(near, near.text)
        if p is not None:
            return replace(p, qualifier=p.qualifier or "context")
    if ctx.main is not None and ctx.main.entry is not None:
        p = hit_place(ctx.main, ctx.main.text)
        if p is not None:
            return replace(p, qualifier="dateline" if ctx.main.dateline else "document")
    if ctx.focus:
        # No place anywhere near the claim: the document's focus country, if clear.
        top = max(ctx.focus, key=lambda c: ctx.focus[c])
        country = gaz.country_entry.get(top)
        if country is not None and ctx.focus[top] >= 0.5:
            return place_from_entry(country, country.name, "document")
    return None


# "The incident took place in ...", "... murder, which was carried out early this
# morning in <city>", "the explosion took place in <X> neighborhood".
_TOOK_PLACE = re.compile(
    r"\b(?:took\s+place|occurred|happened|(?:was|were)\s+carried\s+out)\b", re.IGNORECASE
)
# A name after "in", "near", "at" (and "the vicinity/outskirts of"), for a place the
# gazetteer lacks: "in the vicinity of <village>".
_IN_NAME = re.compile(
    r"\b(?:in|near|at)\s+(?:the\s+(?:vicinity|outskirts|area)\s+of\s+)?"
    r"(?P<name>[A-Z][\w'’\-]*(?:\s+[A-Za-z][\w'’\-]*){0,3})",
    re.IGNORECASE,
)


def _next_sentence(text: str, end: int, abbreviations: frozenset[str]) -> tuple[int, int] | None:
    start = end
    while start < len(text) and text[start].isspace():
        start += 1
    if start >= len(text):
        return None
    return _sentence(text, start, start + 1, abbreviations)


def _took_place(
    claim: Claim, doc: Document, ctx: DocPlaces, gaz: Gazetteer, span: tuple[int, int]
) -> Place | None:
    """The place the claim's text (its quote may run over two sentences) or the sentence
    after it gives where it says it "took place" (or "occurred", "happened", "was
    carried out"): a locality it names, a gazetteer place, or a name the gazetteer lacks
    after "in"/"near"/"at"."""
    nxt = _next_sentence(doc.text, span[1], gaz.tables.abbreviations)
    end = nxt[1] if nxt is not None and nxt[0] >= span[1] else span[1]
    m = _TOOK_PLACE.search(doc.text, span[0], end)
    if m is None:
        return None
    stop = next(
        (
            e.start() + 1
            for e in _SENTENCE_END.finditer(doc.text, m.end(), end)
            if not _abbreviated(doc.text, e.start(), gaz.tables.abbreviations)
        ),
        end,
    )
    region = (m.end(), stop)
    located = replace(claim, start=m.end(), place=None)
    local = _named_locality(located, doc, ctx, gaz, region)
    if local is not None:
        return local
    hits = [
        h
        for h in ctx.hits
        if h.entry is not None
        and not h.dateline
        and h.role is None
        and region[0] <= h.start < region[1]
    ]
    if hits:
        # the most specific; among equals the last ("near <X> Avenue and <street named
        # after a city> in <town>": the street lies in the town named last)
        best = max(hits, key=lambda h: (SPECIFICITY[_precision(h)], h.start))
        return hit_place(best, best.text)
    found = _IN_NAME.search(doc.text, region[0], region[1])
    if found is None:
        return None
    words = found.group("name").split()
    tables = gaz.tables
    for i, w in enumerate(words):
        low = w.lower()
        if i and (low in tables.stopwords and low not in CONNECTORS):
            words = words[:i]
            break
    name = " ".join(words).rstrip(".,;:")
    if not name:
        return None
    return unknown_place(
        Place(text=name),
        name,
        None,
        doc.text,
        region,
        found.start("name"),
        ctx,
        gaz,
        context_chars=_CONTEXT_CHARS,
    )


def _town_of_sentence(
    claim: Claim, ctx: DocPlaces, span: tuple[int, int], area: Place
) -> Place | None:
    a, b = span
    towns = [
        h
        for h in ctx.hits
        if h.entry is not None
        and a <= h.start < b
        and not h.dateline
        and h.role is None
        and h.entry.kind in ("city", "site")
    ]
    towns = [h for h in towns if (p := hit_place(h, h.text)) is not None and _inside_place(p, area)]
    if not towns:
        return None
    near = min(towns, key=lambda h: abs(h.start - claim.start))
    return hit_place(near, near.text)


def _inside_place(inner: Place, outer: Place) -> bool:
    """Whether ``inner`` lies in ``outer`` as far as their fields tell (same country, and
    the province's admin1 when ``outer`` is a province)."""
    if inner.country is None or inner.country != outer.country or inner == outer:
        return False
    if outer.precision == "province":
        return inner.admin1 is None or inner.admin1 == outer.admin1
    return True


def _nearby_place(
    claim: Claim,
    doc: Document,
    ctx: DocPlaces,
    gaz: Gazetteer,
    span: tuple[int, int],
    fallback: Place | None,
) -> Place | None:
    """A more precise place than ``fallback`` (the place of a claim whose sentence names
    none) that the sentences around it give: where the next sentence says it took place,
    or a neighbourhood or village named just before or just after inside the same city
    ("... in the Doura district of Baghdad ... They kidnapped and killed 11 people",
    demo document re3d-d098fb913a)."""
    there = _took_place(claim, doc, ctx, gaz, span)
    if there is not None and there.name is not None:
        if fallback is None or there.country == fallback.country:
            return there
        if ctx.focus.get(there.country or "", 0.0) >= _FOCUS_SHARE:
            return there
    if fallback is None or fallback.precision not in ("city", "near city"):
        return None
    a, b = span
    para = doc.text.rfind("\n\n", 0, a)
    windows = [(max(a - _CONTEXT_CHARS, para + 1, 0), a)]
    nxt = _next_sentence(doc.text, b, gaz.tables.abbreviations)
    if nxt is not None and nxt[0] >= b and "\n\n" not in doc.text[b : nxt[0]]:
        windows.append(nxt)
    for i, window in enumerate(windows):
        local = _named_locality(claim, doc, ctx, gaz, window)
        if (
            local is not None
            and local.precision == "container"
            and (local.lat, local.lon) == (fallback.lat, fallback.lon)
            and local.lat is not None
            and not (i == 0 and _another_event(doc.text, span, window, gaz.tables))
        ):
            return local
    return None


_WORD = re.compile(r"[A-Za-z]+")


def _another_event(
    text: str, span: tuple[int, int], before: tuple[int, int], tables: Tables
) -> bool:
    """Whether the sentence ``span`` tells of another event than the text ``before`` it:
    it opens with a word of ``new_event_words.txt`` ("Meanwhile", "In another attack"),
    or it has a time of its own that the text before does not share ("Today, ..." after
    "On Saturday, ...")."""
    opening = _WORD.findall(text, span[0], min(span[1], span[0] + 40))[:4]
    if any(w.lower() in tables.new_event_words for w in opening):
        return True
    own = {norm(t[2]) for t in find_time_expressions(text[span[0] : span[1]])}
    if not own:
        return False
    earlier = {norm(t[2]) for t in find_time_expressions(text[before[0] : before[1]])}
    return not own <= earlier


_LOCALITY_WORDS = (
    r"town|village|hamlet|neighbou?rhood|district|suburb|municipality|canton|settlement|"
    r"community|corregimiento|barrio|colonia|hacienda|farm|estate|locality|township|"
    r"residential\s+area|slum|camp"
)
_URBAN = frozenset(
    {
        "neighborhood",
        "neighbourhood",
        "suburb",
        "barrio",
        "colonia",
        "district",
        "residential area",
        "slum",
    }
)
# One to four words, Spanish articles between them ("San Luis de la Reina").
_NAME = (
    r"(?P<name>[A-Za-z][\w'’\-]*(?:\s+(?:(?:DE|DEL|LA|LAS|LOS|EL|de|del|la|las|los|el)\s+)?"
    r"[A-Za-z][\w'’\-]*){0,3}?)"
)
# "in the small town of Hostigal", "in the Modelo neighborhood", "Calluchaca village"
_LOCALITY_OF = re.compile(
    r"\b(?:in|at|near|outside|on|into|attacked|raided|invaded)\s+the\s+(?:\w+\s+){0,2}?"
    rf"(?P<kind>{_LOCALITY_WORDS})\s+of\s+{_NAME}(?=\s*(?:[,.;:()]|\s(?:in|on|at|near|and|"
    r"which|where|when|after|before|during|about|some|approximately|located|$)\b))",
    re.IGNORECASE,
)
_OF_NAME = re.compile(r"\s+(?:of|OF)\s+(?:(?:the|THE)\s+)?[A-Z]")
_LOCALITY_AFTER = re.compile(
    r"\b(?:in|at|near|outside|on|into|of|invaded|attacked|raided)\s+(?:the\s+)?"
    rf"{_NAME}\s+(?P<kind>{_LOCALITY_WORDS})\b",
    re.IGNORECASE,
)


def _named_locality(
    claim: Claim, doc: Document, ctx: DocPlaces, gaz: Gazetteer, span: tuple[int, int]
) -> Place | None:
    """A village, farm or neighbourhood the claim's sentence introduces by name that the
    gazetteer lacks ("in the Miralvalle neighborhood", "the small town of Hostigal"),
    or that names a place elsewhere ("the Austin neighborhood" of a Chicago story): its
    words, inside the city the sentence or the document places it in."""
    a, b = span
    sentence = doc.text[a:b]
    upper = ctx.upper
    best: tuple[int, Place] | None = None
    for pat in (_LOCALITY_OF, _LOCALITY_AFTER):
        for m in pat.finditer(sentence):
            name = " ".join(m.group("name").split())
            kind = " ".join(m.group("kind").lower().split())
            if not upper and m.group("kind")[:1].isupper():
                continue  # "Little Village", "Hamilton Township": the kind is of the name
            of = _OF_NAME.match(sentence, m.end()) if pat is _LOCALITY_AFTER else None
            if of is not None and not any(
                h.entry is not None and h.start == a + of.end() - 1 for h in ctx.hits
            ):
                # "the Yazidi village of Ba'idn": the name follows ("Yazidi" is a people);
                # but "the Karrada district of Baghdad" lies in the known place after "of".
                continue
            start = a + m.start("name")
            # "Chicago's Park Manor neighborhood": the possessive is the container.
            owner: Hit | None = None
            pm = re.match(r"(.+?)['’]s\s+(.+)$", name)
            if pm is not None:
                owner = next(
                    (
                        h
                        for h in ctx.hits
                        if h.entry is not None
                        and h.entry.kind == "city"
                        and start <= h.start < start + len(pm.group(1)) + 1
                    ),
                    None,
                )
                if owner is not None:
                    name = pm.group(2)
                    start += len(pm.group(1)) + 3
            words = name.split()
            if not upper and not all(
                w[:1].isupper() or w.lower() in _CONNECTOR_WORDS for w in words
            ):
                continue
            key = norm(name)
            if (
                len(key) < 3
                or key in gaz.tables.not_places
                or key in gaz.tables.stopwords
                or any(
                    norm(w) in gaz.tables.stopwords and w.lower() not in _CONNECTOR_WORDS
                    for w in words
                )
                or any(ch.isdigit() for ch in name)
            ):
                continue  # "SALVADORAN PEOPLE AND THE community", "SECURITY POST OF A"
            if upper and pat is _LOCALITY_AFTER and len(words) == 1 and common_word(key, gaz):
                continue  # "IN THE SMALL TOWN": a common word before a kind is no name
            known = [
                h
                for h in ctx.hits
                if h.entry is not None and a + m.start("name") <= h.start < a + m.end("name")
            ]
            known = [h for h in known if h is not owner and h.start >= start]
            if known and (kind not in _URBAN or pat is _LOCALITY_OF):
                # A village the gazetteer knows (the document scan has it), or the city
                # of "the Karrada district of Baghdad".
                continue
            container = owner or _container_city(start, a, b, ctx, kind in _URBAN)
            if container is not None and container.text and norm(container.text) == key:
                continue
            place = _locality_place(name, kind, container, ctx)
            if place is None:
                continue
            dist = abs(start - claim.start)
            if best is None or dist < best[0]:
                best = (dist, place)
    return best[1] if best is not None else None


_CONNECTOR_WORDS = frozenset({"de", "del", "la", "las", "los", "el", "y", "of"})


def _container_city(start: int, a: int, b: int, ctx: DocPlaces, urban: bool) -> Hit | None:
    """The city a locality lies in: a city the sentence names within 80 characters
    after it ("... neighborhood in northern Bogota", "..., Tulua"), or a province so
    named ("the <X> district of <Y> province"), else, for a neighbourhood, the
    document's main city."""
    after = [
        h
        for h in ctx.hits
        if h.entry is not None
        and (h.entry.kind == "city" or (h.entry.kind == "province" and h.typed))
        and start < h.start <= min(b, start + 80)
        and not h.dateline
    ]
    if after:
        return min(after, key=lambda h: h.start)
    main = ctx.main
    if urban and main is not None and main.entry is not None and main.entry.kind == "city":
        return main
    return None


def _locality_place(name: str, kind: str, container: Hit | None, ctx: DocPlaces) -> Place | None:
    """A locality the gazetteer lacks, as an unknown name inside ``container`` (else
    inside the document's country)."""
    upper = ctx.upper
    if container is not None and container.entry is not None:
        e = container.entry
        return container_place(name, name, kind, place_from_entry(e, e.name), upper)
    country = None
    if ctx.main is not None and ctx.main.entry is not None:
        country = ctx.main.entry.country
    if country is None and ctx.focus:
        country = max(ctx.focus, key=lambda c: ctx.focus[c])
    if country is None:
        return None
    return container_place(name, name, kind, Place(text=country, country=country), upper)


_LOCATOR = re.compile(
    r",\s+(?:(?:approximately|some|about|around|roughly|located|nearly)\s+)?"
    r"(?:\d[^,;.]{0,50}|(?:just\s+)?(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of\s+)$",
    re.IGNORECASE,
)
_BEARING = re.compile(r"^(?:just\s+)?(?:north|south|east|west)", re.IGNORECASE)


def _located_by(mention: Place, ctx: DocPlaces, text: str, span: tuple[int, int]) -> Place | None:
    """The place that ``mention`` only locates in the sentence ("in the city of
    Sonsonate, 50 km west of San Salvador" with the mention "San Salvador")."""
    a, b = span
    inside = [h for h in ctx.hits if h.entry is not None and a <= h.start < b]
    key = norm(mention.text)
    for h in inside:
        if norm(h.text) != key or not _locates_other(h, inside, text):
            continue
        m = _LOCATOR.search(text, max(0, h.start - 60), h.start)
        other = next((o for o in inside if m is not None and o.end == m.start()), None)
        if other is not None:
            return hit_place(other, other.text)
    return None


def _locates_other(h: Hit, hits: list[Hit], text: str) -> bool:
    """Whether ``h`` ("... 50 KM WEST OF SAN SALVADOR", "..., EAST OF SAN SALVADOR") is
    the point of reference of a distance or bearing given just after another place of
    the sentence."""
    # "50 KM WEST OF", and a bearing alone: "IN SOYAPANGO, EAST OF SAN SALVADOR"
    if not h.qualifier or not (
        any(ch.isdigit() for ch in h.qualifier) or _BEARING.match(h.qualifier)
    ):
        return False
    m = _LOCATOR.search(text, max(0, h.start - 60), h.start)
    if m is None:
        return False
    return any(o is not h and o.end == m.start() for o in hits)


_SIDE = re.compile(
    r"^(?:the\s+)?(?:far\s+)?(?:north|south|east|west|northeast|northwest|southeast|southwest)"
    r"(?:ern)?\s+side$",
    re.IGNORECASE,
)


def _city_side(mention: Place, ctx: DocPlaces) -> Place | None:
    """ "The Southwest Side", "the Far South Side": that part of the document's main
    city (Chicago's sides), the words kept as the qualifier."""
    words = " ".join(mention.text.split())
    main = ctx.main
    if not _SIDE.match(words) or main is None or main.entry is None:
        return None
    if main.entry.kind != "city":
        return None
    return place_from_entry(main.entry, mention.text, words)


def _consistent(h: Hit, dateline: Hit) -> bool:
    """Whether a place of the text may be where a story datelined elsewhere happened:
    in the dateline's country and, in the US, its state."""
    e, d = h.entry, dateline.entry
    if e is None or d is None or e.country != d.country:
        return False
    return e.country != "US" or e.kind == "country" or e.admin1code == d.admin1code


def _town_in(ctx: DocPlaces, area: Entry) -> Place | None:
    counts: dict[int, int] = {}
    first: dict[int, Hit] = {}
    for h in ctx.hits:
        e = h.entry
        if (
            e is not None
            and e.kind == "city"
            and e.country == area.country
            and e.admin1code == area.admin1code
        ):
            counts[e.pid] = counts.get(e.pid, 0) + 1
            first.setdefault(e.pid, h)
    if not counts:
        return None
    pid = max(counts, key=lambda p: counts[p])
    h = first[pid]
    p = hit_place(h, h.text)
    return replace(p, qualifier="document") if p is not None else None


def _stray_country(place: Place, ctx: DocPlaces) -> bool:
    """A country the document hardly mentions ("U.S. citizens killed" in a Salvadoran
    story): a nationality more than a place."""
    return (
        place.precision == "country"
        and place.country is not None
        and ctx.focus.get(place.country, 0.0) < 0.2
    )


def _main_place(ctx: DocPlaces) -> Place | None:
    if ctx.main is None or ctx.main.entry is None:
        return None
    p = hit_place(ctx.main, ctx.main.text)
    return replace(p, qualifier="dateline" if ctx.main.dateline else "document") if p else None


def _main_inside(place: Place, ctx: DocPlaces) -> Place | None:
    """The document's main city when ``place`` is only its country or province."""
    main = ctx.main
    if main is None or main.entry is None or main.entry.kind not in ("city", "site"):
        return None
    e = main.entry
    if place.precision == "country" and place.country == e.country:
        pass
    elif not (
        place.precision == "province"
        and place.country == e.country
        and place.admin1 is not None
        and place.admin1 == e.admin1
    ):
        return None
    p = hit_place(main, main.text)
    return replace(p, qualifier="dateline" if main.dateline else "document") if p else None


def _precision(h: Hit) -> str:
    """The precision a scanned hit would get as a claim's place."""
    assert h.entry is not None
    if (h.qualifier and h.qualifier.lower().startswith(("near", "outside"))) or (
        h.qualifier and any(ch.isdigit() for ch in h.qualifier)
    ):
        return "near city"
    return PRECISION[h.entry.kind]


def _claim_time(claim: Claim, doc: Document, span: tuple[int, int]) -> TimeRef:
    if claim.time is not None and claim.time.text:
        if claim.time.date_start is not None:
            return claim.time
        ref = resolve_time(claim.time.text, doc.published)
        if ref.date_start is not None:
            return ref
    # No usable expression from extraction: the sentence's, then the paragraph's
    # before it (the nearest to the figure first), then the default window.
    a, b = span
    para = max(doc.text.rfind("\n\n", 0, a), a - 1200, 0)
    for lo, hi in ((a, b), (para, a)):
        found = find_time_expressions(doc.text[lo:hi])
        ordered = sorted(found, key=lambda f: abs(lo + f[0] - claim.start))
        for _s, _e, words in ordered:
            ref = resolve_time(words, doc.published)
            if ref.date_start is not None:
                return ref
    if claim.time is not None and claim.time.text:
        return TimeRef(text=claim.time.text)
    return default_range(doc.published)


def _claim_claimant(
    claim: Claim,
    doc: Document,
    people: DocClaimants,
    gaz: Gazetteer | None,
    place: Place | None,
    span: tuple[int, int],
) -> Claimant | None:
    tables = gaz.tables if gaz is not None else Tables()
    city = (
        place.name
        if place is not None and place.country == "US" and place.precision in ("city", "near city")
        else None
    )
    mention = claim.claimant
    if mention is not None and not mention.text:
        return mention  # extraction named the source itself (the outlet's own voice)
    if mention is None:
        a, b = span
        m = _ATTRIBUTION.search(doc.text, a, b)
        if m is None:
            return mention
        words = (m.group("a") or m.group("b") or "").strip()
        if not words or words.lower() in ("he", "she", "they", "it", "the", "who"):
            return mention
        mention = Claimant(text=words)
    resolved = resolve_claimant(mention, people, tables, city)
    if resolved.kind is None and gaz is not None and resolved.name:
        # "The United States", "Russia" speaking: a government.
        cc = gaz.country_names.get(norm(resolved.name))
        if cc:
            country = gaz.country_entry.get(cc)
            name = f"Government of {country.name}" if country is not None else resolved.name
            resolved = replace(resolved, name=name, kind="government")
    return resolved


def resolve_claims(
    doc: Document, claims: Sequence[Claim], gazetteer: Gazetteer | None
) -> tuple[Claim, ...]:
    """Resolve the place, time and claimant of every claim of ``doc``."""
    if not claims:
        return ()
    tables = gazetteer.tables if gazetteer is not None else Tables()
    ctx = scan_document(doc, gazetteer, tables) if gazetteer is not None else None
    people = learn_aliases(doc, tables)
    out: list[Claim] = []
    for claim in claims:
        span = _sentence(doc.text, claim.start, claim.end, tables.abbreviations)
        place = claim.place
        if ctx is not None and gazetteer is not None:
            place = _claim_place(claim, doc, ctx, gazetteer, span)
        time = _claim_time(claim, doc, span)
        claimant = _claim_claimant(claim, doc, people, gazetteer, place, span)
        out.append(replace(claim, place=place, time=time, claimant=claimant))
    return tuple(out)
