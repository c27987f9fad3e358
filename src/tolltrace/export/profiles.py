"""Incidents in the column layouts of the field's datasets, so tolltrace output drops
into an existing ACLED or UCDP GED analysis.

Conventions (see docs/exports.md): fatalities and best are the incident's best killed
figure (``Incident.best_killed``: the figure a registry would record, docs/linking.md),
else its lowest claimed killed figure; low is the lowest claimed figure, high the
highest bounded one (the lowest when every claim is open-ended), each widened to take in
the best figure where it lies outside them, so that low <= best <= high.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from tolltrace.records import Incident, Place
from tolltrace.store import Store

PROFILES = ("acled", "ucdp")

# tolltrace means -> ACLED sub_event_type (ACLED codebook, 2023). Matched by substring,
# first hit wins, so the more specific words come first.
_ACLED_SUB_EVENT = (
    ("suicide", "Suicide bomb"),
    ("drone", "Air/drone strike"),
    ("air", "Air/drone strike"),
    ("shell", "Shelling/artillery/missile attack"),
    ("artillery", "Shelling/artillery/missile attack"),
    ("missile", "Shelling/artillery/missile attack"),
    ("rocket", "Shelling/artillery/missile attack"),
    ("mortar", "Shelling/artillery/missile attack"),
    ("grenade", "Grenade"),
    ("ied", "Remote explosive/landmine/IED"),
    ("bomb", "Remote explosive/landmine/IED"),
    ("explosi", "Remote explosive/landmine/IED"),
    ("mine", "Remote explosive/landmine/IED"),
    ("clash", "Armed clash"),
    ("abduct", "Abduction/forced disappearance"),
    ("kidnap", "Abduction/forced disappearance"),
    ("shoot", "Attack"),
    ("gun", "Attack"),
    ("stab", "Attack"),
)
# Place precision -> ACLED geo_precision (1 town, 2 near a town / part of a region,
# 3 province or larger) and UCDP where_prec (1 exact, 2 within 25 km, 4 first-order
# admin unit, 6 country).
_ACLED_GEO = {"site": 1, "city": 1, "near city": 2, "province": 3, "country": 3}
_UCDP_WHERE = {"site": 1, "city": 1, "near city": 2, "province": 4, "country": 6}
# A place the gazetteer lacks (precision "container") is coded by what it lies in: with
# a city's point it is near/part of that town (ACLED 2, UCDP 2: within ~25 km of the
# point given); in a province only (no point) the province (3, 4); else the country (3, 6).
_CONTAINER = "container"


def container_level(p: Place) -> str:
    """What an unknown place's container is, read from the fields it lent the place:
    ``"near city"`` (a point), ``"province"`` (an admin1, no point) or ``"country"``."""
    if p.lat is not None and p.lon is not None:
        return "near city"
    return "province" if p.admin1 else "country"


def geo_precision(p: Place | None) -> int | None:
    """ACLED ``geo_precision`` of a place (None when its precision is unknown)."""
    if p is None:
        return None
    level = container_level(p) if p.precision == _CONTAINER else p.precision or ""
    return _ACLED_GEO.get(level)


def where_prec(p: Place | None) -> int | None:
    """UCDP GED ``where_prec`` of a place (None when its precision is unknown)."""
    if p is None:
        return None
    level = container_level(p) if p.precision == _CONTAINER else p.precision or ""
    return _UCDP_WHERE.get(level)


def acled_sub_event(means: str | None) -> str | None:
    if not means:
        return None
    low = means.lower()
    return next((label for key, label in _ACLED_SUB_EVENT if key in low), None)


def _country_name(code: str | None) -> str | None:
    if not code:
        return None
    import pycountry

    c = pycountry.countries.get(alpha_2=code)
    return str(c.name) if c is not None else code


def _time_precision(start: date | None, end: date | None) -> int | None:
    if start is None:
        return None
    days = ((end or start) - start).days
    return 1 if days == 0 else 2 if days <= 7 else 3


def _best(x: Incident) -> int | None:
    """The killed figure a registry would record: the best, else the lowest claimed."""
    return x.best_killed if x.best_killed is not None else x.killed.min


def _low(x: Incident) -> int | None:
    best = _best(x)
    return min(x.killed.min, best) if x.killed.min is not None and best is not None else best


def _high(x: Incident) -> int | None:
    high = x.killed.max if x.killed.max is not None else x.killed.min
    best = _best(x)
    return max(high, best) if high is not None and best is not None else high


def acled_row(x: Incident, docs: Mapping[str, tuple[str | None, str | None]]) -> dict[str, Any]:
    p = x.place
    outlets = sorted({o for d in x.document_ids if (o := docs.get(d, (None, None))[0])})
    return {
        "event_id_cnty": x.id,
        "event_date": (x.date_end or x.date_start).isoformat() if x.date_start else None,
        "year": x.date_start.year if x.date_start else None,
        "time_precision": _time_precision(x.date_start, x.date_end),
        "sub_event_type": acled_sub_event(x.means),
        "actor1": "; ".join(x.perpetrators) or None,
        "country": _country_name(p.country) if p else None,
        "admin1": p.admin1 if p else None,
        "location": (p.name or p.text) if p else None,
        "latitude": p.lat if p else None,
        "longitude": p.lon if p else None,
        "geo_precision": geo_precision(p),
        "source": "; ".join(outlets) or None,
        "notes": f"{x.title}. Grade: {x.grade} ({x.grade_reason})",
        "fatalities": _best(x) or 0,
    }


def ucdp_row(x: Incident, docs: Mapping[str, tuple[str | None, str | None]]) -> dict[str, Any]:
    p = x.place
    headlines = [t for d in x.document_ids if (t := docs.get(d, (None, None))[1])]
    return {
        "id": x.id,
        "date_start": x.date_start.isoformat() if x.date_start else None,
        "date_end": (x.date_end or x.date_start).isoformat() if x.date_start else None,
        "side_a": "; ".join(x.perpetrators) or None,
        "where_description": (p.text if p.qualifier is None else f"{p.qualifier} {p.text}")
        if p
        else None,
        "country": _country_name(p.country) if p else None,
        "latitude": p.lat if p else None,
        "longitude": p.lon if p else None,
        "where_prec": where_prec(p),
        "best": _best(x),
        "low": _low(x),
        "high": _high(x),
        "number_of_sources": x.independent_sources,
        "source_headline": "; ".join(headlines[:5]) or None,
    }


def profile_rows(store: Store, profile: str) -> Iterator[dict[str, Any]]:
    """Incidents as ACLED (``acled``) or UCDP GED (``ucdp``) rows, as the analysts left
    them (merges folded in, corrected figures, discounted grades), like ``incidents``."""
    from tolltrace.web.queries import overlay_incidents

    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; one of {', '.join(PROFILES)}")
    make = acled_row if profile == "acled" else ucdp_row
    with store.engine.connect() as conn:
        for x in overlay_incidents(conn, store.iter_incidents()):
            yield make(x, store.document_labels(x.document_ids))
