"""Per incident: figures, claimants, perpetrators, independent sources, grade, title.

What a casualty recorder wants from a group of claims:

- **Figures** as the range of what was claimed: each report (one document; within
  it, each party quoted) gives its figure — its largest, the others being parts of
  it; a source's later report replaces its earlier ones — and the range runs from the
  lowest lower bound to the highest upper bound over the reports' asserted (and
  hedged) claims. Denied claims and parts of a larger claim ("including 15 children")
  are not figures of the incident. An open claim ("over 60") leaves the range open
  above when nobody claims more than its lower bound.
- **Best figures** (``best_killed``, ``best_injured``): one number each, comparable with
  a registry's final toll, beside the ranges — each report's lead figure, the figure
  most sources give, ties to the latest report, the wounded who died moved from
  injured to killed (:func:`best_figures`).
- **Independent sources**: copies of one origin count once (a claim in a copy is
  credited to the origin's outlet), and one claimant counts once however many outlets
  repeat it. A reporter speaking in their own voice is a source of their own.
- **Grade** (DESIGN.md, after Airwars): *confirmed* when a party that is accused of
  the harm itself concedes it; else *contested* when a party denies, or the claimants
  blame different parties; else *corroborated* with two or more independent sources;
  else *single-source*. *discounted* is only ever set by an analyst.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date

from tolltrace.link.incidents import PLACE_RANK
from tolltrace.link.resources import LinkTables
from tolltrace.records import Claim, ClaimantFigures, Count, Document, Figure, Incident, Place

__all__ = ["best_figures", "build_incident", "figure", "source_key"]

# A report states its toll up front: a figure of an effect first given after this many
# statements (sentences with a figure) of the report is a passing mention — an earlier
# shooting, a yearly tally, a neighbouring case — not the report's figure of the incident.
LEAD_STATEMENTS = 2


def figure(claims: Sequence[Claim]) -> Figure:
    """Range of claimed figures: min of the lower bounds, max of the upper bounds."""
    mins = [c.count.min for c in claims if c.count.min is not None]
    maxs = [c.count.max for c in claims if c.count.max is not None]
    open_floor = max(
        (c.count.min for c in claims if c.count.max is None and c.count.min is not None),
        default=None,
    )
    if not mins and not maxs:
        return Figure()
    lo = min(mins) if mins else None
    hi = max(maxs) if maxs else None
    # "over 60" beside "65" reads 60-65; "over 60" beside "50" (or alone) stays open.
    if open_floor is not None and (hi is None or open_floor >= hi):
        hi = None
    return Figure(lo, hi)


def report_figure(claims: Sequence[Claim]) -> Figure:
    """The figure one report gives: its largest. Within one article one claimant's
    smaller figures are parts of the total ("two were killed ... a 20-year-old woman
    was pronounced dead"), not a range of opinion; on gva-dev taking every figure of
    an article as a bound made most incidents' ranges start at 1."""
    if not claims:
        return Figure()
    top = max(claims, key=lambda c: (c.count.min or c.count.max or 0, c.count.max is None))
    return Figure(top.count.min, top.count.max)


def range_over_reports(
    claims: Sequence[Claim],
    key: Callable[[Claim], str],
    source: Callable[[Claim], str] | None = None,
    when: Callable[[Claim], int] | None = None,
) -> Figure:
    """Range over reports: each report (document and source) gives its own figure, and
    the range runs from the lowest to the highest of them. With ``source`` and
    ``when``, a source's later report replaces its earlier ones (an outlet updating
    its toll is not two opinions)."""
    reports: dict[tuple[str, str], list[Claim]] = {}
    for c in claims:
        reports.setdefault((c.document_id, key(c)), []).append(c)
    if source is not None and when is not None:
        latest: dict[str, tuple[int, int, list[Claim]]] = {}
        for cs in reports.values():
            s, t = source(cs[0]), when(cs[0])
            f = report_figure(cs)
            size = f.min or f.max or 0
            if s not in latest or (t, size) > latest[s][:2]:
                latest[s] = (t, size, cs)
        reports = {(str(i), ""): v[2] for i, v in enumerate(latest.values())}
    per_report = [report_figure(cs) for cs in reports.values()]
    return figure(
        [
            Claim(
                id="",
                document_id="",
                effect="killed",
                count=Count(f.min, f.max, "", ""),
                quote="",
                start=0,
                end=0,
            )
            for f in per_report
        ]
    )


def _value(c: Claim) -> int | None:
    """A claim's point figure: its lower bound ("at least 4" -> 4), else its upper."""
    return c.count.min if c.count.min is not None else c.count.max


# "he", "the girl", "the 16-year-old": a victim the report has introduced already; not
# "the other man", "the injured woman", "the second victim", who are someone else.
_ANAPHORS = frozenset({"he", "she", "him", "her", "himself", "herself"})
_DEFINITE = frozenset({"the", "this", "that"})
_SOMEONE_ELSE = frozenset(
    {
        "other",
        "others",
        "another",
        "second",
        "third",
        "fourth",
        "remaining",
        "rest",
        "injured",
        "wounded",
        "surviving",
        "survivor",
        "survivors",
        "both",
    }
)


def _already_introduced(c: Claim) -> bool:
    """A claim of one victim named by a pronoun or a definite description."""
    if c.count.min != 1 or c.count.max != 1:
        return False
    words = (c.victims.text or "").lower().replace("-", " ").split()
    if not words:
        return False
    if len(words) == 1:
        return words[0] in _ANAPHORS
    return words[0] in _DEFINITE and not _SOMEONE_ELSE.intersection(words)


def _without_the_dead_again(claims: Sequence[Claim]) -> Sequence[Claim]:
    """One report's claims without the injured ones that name its dead again.

    "<a child> was fatally wounded ... <someone> rushed the girl to the hospital":
    after the report's first death and before anyone is reported injured, one victim
    the report has already introduced ("the girl", "he") is the dead victim again, not
    one more injured; such a statement is no statement of the report's injured.
    """
    first_killed = min(
        (c.start for c in claims if c.effect == "killed" and _value(c)), default=None
    )
    if first_killed is None:
        return claims
    introduced = min(
        (
            c.start
            for c in claims
            if c.effect == "injured" and _value(c) and not _already_introduced(c)
        ),
        default=None,
    )
    return [
        c
        for c in claims
        if not (
            c.effect == "injured"
            and c.start > first_killed
            and (introduced is None or c.start < introduced)
            and _already_introduced(c)
        )
    ]


def _head_word(c: Claim) -> str | None:
    words = (c.victims.text or "").lower().replace("-", " ").split()
    return words[-1] if words else None


def _without_the_wounded_who_died(claims: Sequence[Claim]) -> Sequence[Claim]:
    """One report's claims without the injured ones of a victim it later says died.

    "A 3-year-old child was critically injured ... The child was pronounced dead", "A
    man was shot and critically wounded ... He died at the hospital": when everyone the
    report has told injured so far is one victim, and its first death is of a victim it
    has introduced already (a pronoun, or a definite description with the same head
    word: "the child" after "a 3-year-old child"), that death is the injured victim's,
    and the statements of their wounds are no statement of the report's injured.
    """
    killed = sorted(
        (c for c in claims if c.effect == "killed" and _value(c)), key=lambda c: c.start
    )
    if not killed or not _already_introduced(killed[0]):
        return claims
    first = killed[0]
    before = [c for c in claims if c.effect == "injured" and _value(c) and c.start <= first.start]
    if not before or any(
        c.count.min != 1 or c.count.max != 1 or c.count.rule.startswith(("sum", "shot-minus"))
        for c in before
    ):
        return claims  # one of several victims told at once: which one died is not said
    words = (first.victims.text or "").lower().split()
    if len(words) > 1 and _head_word(first) not in {_head_word(c) for c in before}:
        return claims  # "the woman" after "a man was shot": someone else
    return [c for c in claims if c not in before]


def _statements(claims: Sequence[Claim]) -> list[int]:
    """The starts of one report's statements (sentences with a figure), in order, less
    the repeats of one before: a page that prints its headline again above the story
    ("Police: 3 members of family fatally shot; suspect killed Posted: Monday, ...")
    states nothing new there, and its lead sentences still count as the lead."""
    first: dict[int, str] = {}
    for c in claims:
        # a sum's quote runs on into the next sentence: the statement is the shortest
        text = " ".join(c.quote.lower().split())
        if c.start not in first or len(text) < len(first[c.start]):
            first[c.start] = text
    out: list[int] = []
    said: list[str] = []
    for start in sorted(first):
        text = first[start]
        if not any(text.startswith(t) for t in said):
            out.append(start)
        said.append(text)
    return out


def lead_figure(claims: Sequence[Claim], effect: str) -> int | None:
    """The figure of ``effect`` that one report gives: that of its lead statement.

    ``claims`` are one report's claims (all effects), each statement being one sentence
    (claims of one sentence share their start). The report's figure is the largest
    figure of ``effect`` in the first statement that gives one ("four teenagers were
    shot, one fatally": the sum, not its parts) — later statements are parts of it ("he
    was pronounced dead"), restatements, or other events. An open lead ("multiple
    people were wounded") takes the report's first exact figure that fits it ("four
    people were shot"). When the lead statement comes after the first
    ``LEAD_STATEMENTS`` statements of the report, the report gives no figure of
    ``effect``: the figure is a passing mention of something else.
    """
    if effect == "injured":
        claims = _without_the_wounded_who_died(_without_the_dead_again(claims))
    statements = _statements(claims)
    mine = [c for c in claims if c.effect == effect and _value(c) is not None]
    if not mine:
        return None
    lead = min(c.start for c in mine)
    if sum(1 for s in statements if s < lead) >= LEAD_STATEMENTS:
        return None
    first = [c for c in mine if c.start == lead]
    top = max(v for c in first if (v := _value(c)) is not None)
    # "a man with a gunshot wound ... He was taken to hospital ... the other four are in
    # stable condition": a sum of victims "also"/"other" than those just told, begun
    # within the lead statements, is the report's figure when it is larger
    window = set(statements[:LEAD_STATEMENTS])
    also = [
        v
        for c in mine
        if c.count.rule == "sum:also" and c.start in window and (v := _value(c)) is not None
    ]
    if also and max(also) > top:
        return max(also)
    if all(c.count.max is None for c in first):
        # An open lead ("multiple people were wounded", "at least two") is made exact by
        # the report's first exact figure that fits it ("four people were shot").
        exact = sorted(
            (c for c in mine if c.count.min is not None and c.count.min == c.count.max),
            key=lambda c: c.start,
        )
        fits = [c.count.min for c in exact if c.count.min is not None and c.count.min >= top]
        if fits:
            return fits[0]
    return top


def _vote(rows: Sequence[tuple[str, int, int | None]]) -> tuple[int | None, int]:
    """(figure, date of its latest report) most sources give: each source's latest
    report with a figure counts; ties to the later report, then the larger figure."""
    latest: dict[str, tuple[int, int]] = {}
    for s, t, v in rows:
        if v is not None and (s not in latest or (t, v) > latest[s]):
            latest[s] = (t, v)
    if not latest:
        return None, 0
    votes = Counter(v for _, v in latest.values())
    last = {v: t for t, v in sorted(latest.values())}
    best = max(votes, key=lambda v: (votes[v], last[v], v))
    return best, last[best]


def best_figures(
    claims: Sequence[Claim],
    key: Callable[[Claim], str],
    source: Callable[[Claim], str],
    when: Callable[[Claim], int],
    told_alive: Callable[[Claim], bool] | None = None,
) -> tuple[int | None, int | None]:
    """The registry-comparable killed and injured figures: one number each, where the
    ranges keep every opinion.

    Each report (one document; within it, each party quoted, per ``key``) gives the
    figures of its lead statements (:func:`lead_figure`); a source's later report
    replaces its earlier ones. The figure most sources give wins (a misread figure, a
    roundup's city-wide total or a report of another shooting filed here is outvoted);
    on a tie the latest report's (a registry records the final toll: "a man has died
    after a shooting that left three others wounded" updates the first day's report);
    then the larger. A victim who died of their wounds moves from injured to killed:
    when the killed figure comes from a report later than the injured one and exceeds
    what the injured figure's reports said was killed, the difference leaves the
    injured figure. With ``told_alive`` (does a claim's sentence say its victims
    survived?): when every report that gives an injured figure tells it only by "shot"
    and no death of its own ("Someone shot the teenager outside the restaurant"), and
    the incident's killed figure is as large, the shot are the dead, and there is no
    injured figure. ``None`` where no report gives a figure.
    """
    reports: dict[tuple[str, str], list[Claim]] = {}
    for c in claims:
        reports.setdefault((c.document_id, key(c)), []).append(c)
    rows = [
        (source(cs[0]), when(cs[0]), lead_figure(cs, "killed"), lead_figure(cs, "injured"))
        for cs in reports.values()
    ]
    # reports whose injured figure says nothing of survival and who tell no death
    shot_only = [
        i is not None
        and k is None
        and told_alive is not None
        and not any(told_alive(c) for c in cs if c.effect == "injured")
        for cs, (_, _, k, i) in zip(reports.values(), rows, strict=True)
    ]
    killed, killed_at = _vote([(s, t, k) for s, t, k, _ in rows])
    injured, injured_at = _vote([(s, t, i) for s, t, _, i in rows])
    if killed and injured and killed_at > injured_at:
        then = max((k or 0) for _, _, k, i in rows if i == injured)
        if killed > then:
            left = injured - (killed - then)
            injured = left if left > 0 else None
    if (
        killed
        and injured
        and injured <= killed
        and all(weak for weak, row in zip(shot_only, rows, strict=True) if row[3] is not None)
    ):
        injured = None
    return killed, injured


def claimant_name(c: Claim, documents: Mapping[str, Document], origin: Mapping[str, str]) -> str:
    """Who to credit: the claimant as resolved or written, else the origin's outlet."""
    if c.claimant is not None and (c.claimant.name or c.claimant.text):
        return (c.claimant.name or c.claimant.text or "").strip()
    return _outlet(origin.get(c.document_id, c.document_id), documents)


def _outlet(doc_id: str, documents: Mapping[str, Document]) -> str:
    doc = documents.get(doc_id)
    return (doc.outlet if doc and doc.outlet else None) or doc_id


def source_key(
    c: Claim, documents: Mapping[str, Document], origin: Mapping[str, str], tables: LinkTables
) -> str:
    """One key per independent source (see the module docstring)."""
    if c.claimant is not None and (c.claimant.name or c.claimant.text):
        text = c.claimant.name or c.claimant.text or ""
        party = tables.party(text)
        return "party:" + (party or " ".join(text.lower().split()))
    # The reporter's own voice: one source per origin document's outlet.
    return "outlet:" + _outlet(origin.get(c.document_id, c.document_id), documents).lower()


def _place(claims: Sequence[Claim]) -> Place | None:
    places = [c.place for c in claims if c.place is not None]
    if not places:
        return None
    counts = Counter((p.geonameid, p.name or p.text.lower()) for p in places)

    def key(p: Place) -> tuple[int, int, int]:
        return (
            0 if p.lat is not None else 1,
            -counts[(p.geonameid, p.name or p.text.lower())],
            PLACE_RANK.get(p.precision or "", len(PLACE_RANK)),
        )

    return min(places, key=key)


def _fmt(f: Figure) -> str | None:
    if f.min is None and f.max is None:
        return None
    if f.max is None:
        return f"{f.min}+"
    if f.min is None:
        return f"up to {f.max}"
    return str(f.min) if f.min == f.max else f"{f.min}–{f.max}"


def _dates(start: date | None, end: date | None) -> str:
    if start is None:
        return ""
    if end is None or end == start:
        return start.strftime("%-d %b %Y")
    if start.year == end.year and start.month == end.month:
        return f"{start.day}–{end.strftime('%-d %b %Y')}"
    return f"{start.strftime('%-d %b %Y')} – {end.strftime('%-d %b %Y')}"


def title(
    place: Place | None,
    start: date | None,
    end: date | None,
    means: str | None,
    killed: Figure,
    injured: Figure,
    victims: str | None,
) -> str:
    """ "Airstrike in Mosul, 22–24 Oct 2016: 60+ civilians killed, 200+ injured"."""
    head = (means or "Incident").strip()
    head = head[:1].upper() + head[1:]
    where = (place.name or place.text) if place is not None else None
    if where:
        head += f" in {where}"
    when = _dates(start, end)
    if when:
        head += f", {when}"
    bits = []
    k, i = _fmt(killed), _fmt(injured)
    if k:
        bits.append(f"{k} {victims + ' ' if victims else ''}killed")
    if i:
        bits.append(f"{i} injured")
    return f"{head}: {', '.join(bits)}" if bits else head


def build_incident(
    incident_id: str,
    claims: Sequence[Claim],
    documents: Mapping[str, Document],
    origin: Mapping[str, str],
    tables: LinkTables,
    *,
    part_of: str | None = None,
) -> Incident:
    claims = sorted(claims, key=lambda c: c.id)
    # A part counts where its whole is not among the claims: an analyst who rejects the
    # sum "28 + 35 more" (or splits it off) leaves the 28 as the figure it states
    here = {c.id for c in claims}
    counted = [c for c in claims if c.stance != "denied" and c.part_of not in here]

    def key(c: Claim) -> str:
        # One article is one report, except that parties quoted in it (the Russian MoD,
        # the Pentagon) keep figures of their own: on gva-dev, splitting an article by
        # each "police said" left the registry figure inside a range in a fifth of the
        # incidents instead of equal to it.
        text = (c.claimant.name or c.claimant.text) if c.claimant else None
        return tables.party(text) or ""

    def source(c: Claim) -> str:
        return source_key(c, documents, origin, tables)

    def when(c: Claim) -> int:
        d = documents.get(c.document_id)
        return d.published.toordinal() if d and d.published else 0

    killed = range_over_reports([c for c in counted if c.effect == "killed"], key, source, when)
    injured = range_over_reports([c for c in counted if c.effect == "injured"], key, source, when)
    best_killed, best_injured = best_figures(
        counted, key, source, when, lambda c: tables.told_alive(c.quote)
    )

    by_claimant: dict[str, list[Claim]] = {}
    for c in counted:
        by_claimant.setdefault(claimant_name(c, documents, origin), []).append(c)
    claimants = tuple(
        ClaimantFigures(
            name,
            range_over_reports([c for c in cs if c.effect == "killed"], key),
            range_over_reports([c for c in cs if c.effect == "injured"], key),
        )
        for name, cs in sorted(by_claimant.items())
    )
    sources = {source_key(c, documents, origin, tables) for c in counted}

    perps = sorted(
        {c.perpetrator.strip() for c in claims if c.perpetrator and c.stance != "denied"}
    )
    accused = {tables.party(p) or p.lower() for p in perps}
    grade, reason = _grade(claims, counted, accused, len(sources), documents, origin, tables)

    place = _place(claims)
    # Stated times first: a range the resolver drew from the publication date alone
    # ("the week before") only stands in when no claim states a time.
    dated = [c for c in claims if c.time and c.time.date_start and c.time.text] or [
        c for c in claims if c.time and c.time.date_start
    ]
    starts = [c.time.date_start for c in dated if c.time and c.time.date_start]
    ends = [c.time.date_end or c.time.date_start for c in dated if c.time and c.time.date_start]
    start: date | None = None
    end: date | None = None
    if starts:
        start, end = min(starts), max(e for e in ends if e is not None)
    else:
        # No resolved date: the day of the first report bounds the incident from above.
        pubs = [d.published for c in claims if (d := documents.get(c.document_id)) and d.published]
        start = end = min(pubs) if pubs else None
    means = Counter(c.means for c in claims if c.means).most_common(1)
    groups = Counter(c.victims.group for c in counted if c.victims.group != "unknown")
    victims = groups.most_common(1)[0][0] if len(groups) == 1 else None
    return Incident(
        id=incident_id,
        title=title(place, start, end, means[0][0] if means else None, killed, injured, victims),
        claim_ids=tuple(c.id for c in claims),
        document_ids=tuple(sorted({c.document_id for c in claims})),
        place=place,
        date_start=start,
        date_end=end,
        means=means[0][0] if means else None,
        perpetrators=tuple(perps),
        killed=killed,
        injured=injured,
        best_killed=best_killed,
        best_injured=best_injured,
        claimants=claimants,
        independent_sources=len(sources),
        grade=grade,  # type: ignore[arg-type]
        grade_reason=reason,
        part_of=part_of,
    )


def _grade(
    claims: Sequence[Claim],
    counted: Sequence[Claim],
    accused: set[str],
    n_sources: int,
    documents: Mapping[str, Document],
    origin: Mapping[str, str],
    tables: LinkTables,
) -> tuple[str, str]:
    def who(c: Claim) -> str:
        return claimant_name(c, documents, origin)

    for c in counted:
        text = (c.claimant.name or c.claimant.text) if c.claimant else None
        party = tables.party(text)
        if party is not None and party in accused and c.stance == "asserted":
            return "confirmed", f"the accused party ({party}) concedes: {who(c)}"
    denials = [c for c in claims if c.stance == "denied"]
    if denials:
        names = ", ".join(sorted({who(c) for c in denials}))
        return "contested", f"denied by {names}"
    blame: dict[str, set[str]] = {}
    for c in counted:
        if c.perpetrator:
            blame.setdefault(tables.party(c.perpetrator) or c.perpetrator.lower(), set()).add(
                who(c)
            )
    # contested when claimants differ in whom they blame; one claimant naming two
    # doers ("Assad and ISIL", or one group spelled two ways) contests nothing
    if len({frozenset(v) for v in blame.values()}) >= 2:
        parts = "; ".join(f"{', '.join(sorted(v))} blame(s) {k}" for k, v in sorted(blame.items()))
        return "contested", f"parties blame different perpetrators: {parts}"
    if n_sources >= 2:
        return "corroborated", f"{n_sources} independent sources"
    return "single-source", "one independent source"
