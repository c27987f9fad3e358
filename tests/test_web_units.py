"""Pure parts of the workbench: the review overlay, evidence highlighting, claim
grouping, LIKE escaping, redirect targets, the rate limiter, users and tokens.

Claims here are built on the seed article's own sentences (offsets found in its text).
"""

from __future__ import annotations

from datetime import date

import pytest

from tolltrace.records import Claim, Claimant, Count, Incident, Place, TimeRef, Victims
from tolltrace.review import (
    ClaimReview,
    IncidentReview,
    ReviewError,
    aggregate,
    apply_claim_review,
    apply_incident_review,
    claim_field,
    validate_edits,
)
from tolltrace.store import Store
from tolltrace.web.pages import group_claims, segments
from tolltrace.web.queries import like_pattern, parse_bbox
from tolltrace.web.security import RateLimiter, safe_next
from tolltrace.web.users import (
    UserError,
    add_user,
    authenticate,
    can,
    create_token,
    user_for_token,
)

SENTENCE = "Over 60 civilians have been killed and at least 200 injured"


def seed_claim(
    seed_text: str, effect: str = "killed", lo: int = 60, hi: int | None = None
) -> Claim:
    start = seed_text.index(SENTENCE)
    return Claim(
        id=f"claim-seed-{effect}",
        document_id="seed-000",
        effect=effect,  # type: ignore[arg-type]
        count=Count(lo, hi, "Over 60" if effect == "killed" else "at least 200", "over"),
        quote=SENTENCE,
        start=start,
        end=start + len(SENTENCE),
        victims=Victims("civilians"),
        perpetrator="US-led coalition",
        means="airstrike",
        place=Place("Mosul", name="Mosul", country="IQ", lat=36.335, lon=43.119, geonameid=99072),
        time=TimeRef("three days", date(2016, 10, 22), date(2016, 10, 25), "range"),
        claimant=Claimant("the Russian military", "Russian Ministry of Defence", "party"),
    )


def test_an_edit_replaces_values_and_keeps_the_evidence(seed_text: str) -> None:
    c = seed_claim(seed_text)
    r = ClaimReview(c.id, None, validate_edits({"min": "65", "max": 70, "place_name": "Qaraqosh"}))
    e = apply_claim_review(c, r)
    assert (e.count.min, e.count.max, e.count.rule, e.count.text) == (65, 70, "analyst", "Over 60")
    assert (e.quote, e.start, e.end) == (c.quote, c.start, c.end)
    # A new place name drops the old name's coordinates rather than mislead.
    assert e.place is not None and e.place.name == "Qaraqosh" and e.place.lat is None
    assert apply_claim_review(c, None) is c
    assert claim_field(e, "min") == 65 and claim_field(c, "date_start") == "2016-10-22"


def test_validate_edits_rejects_bad_values() -> None:
    for bad in (
        {"min": -1},
        {"min": "ten"},
        {"min": 9, "max": 3},
        {"effect": "exploded"},
        {"effect": None},
        {"quote": "x"},
        {"date_end": "25/10/2016"},
        {"place_country": "Iraq"},
        {"perpetrator": "x" * 301},
    ):
        with pytest.raises(ReviewError):
            validate_edits(bad)
    assert validate_edits(
        {"place_country": "iq", "perpetrator": " ", "date_start": "2016-10-22"}
    ) == {
        "place_country": "IQ",
        "perpetrator": None,
        "date_start": "2016-10-22",
    }


def test_aggregate_follows_the_overlay(seed_text: str) -> None:
    killed, injured = seed_claim(seed_text), seed_claim(seed_text, "injured", 200)
    incident = Incident(
        id="inc-x", title="Mosul", claim_ids=(killed.id, injured.id), document_ids=("seed-000",)
    )
    plain = aggregate(incident, [killed, injured], {})
    assert (plain.killed.min, plain.killed.max) == (60, None)
    assert plain.injured.min == 200
    assert plain.claimants[0].name == "Russian Ministry of Defence"
    edited = aggregate(
        incident,
        [killed, injured],
        {killed.id: ClaimReview(killed.id, None, {"min": 61, "max": 61})},
    )
    assert (edited.killed.min, edited.killed.max) == (61, 61)
    rejected = aggregate(
        incident, [killed, injured], {killed.id: ClaimReview(killed.id, "rejected")}
    )
    assert (rejected.killed.min, rejected.killed.max) == (None, None)
    assert rejected.claim_ids == incident.claim_ids  # shown, but not counted


def test_only_an_analyst_discounts() -> None:
    x = Incident(id="inc-x", title="t", claim_ids=(), document_ids=(), grade="corroborated")
    assert apply_incident_review(x, None) is x
    assert apply_incident_review(x, IncidentReview("inc-x", False, None, "inc-y")) is x
    d = apply_incident_review(x, IncidentReview("inc-x", True, "same event as inc-y"))
    assert d.grade == "discounted" and "same event as inc-y" in d.grade_reason


def test_segments_cut_at_offsets_and_join_back(seed_text: str) -> None:
    c = seed_claim(seed_text)
    inner = seed_text.index("200 injured", c.start)
    spans = [
        ("a", c.start, c.end),
        ("b", inner, inner + len("200 injured")),
        ("z", -5, 0),
        ("w", len(seed_text) - 3, len(seed_text) + 50),
    ]
    segs = segments(seed_text, spans)
    assert "".join(s.text for s in segs) == seed_text
    covered = {s.text: s.claim_ids for s in segs if s.claim_ids}
    assert covered["200 injured"] == ("a", "b")
    assert covered["Over 60 civilians have been killed and at least "] == ("a",)
    assert all(s.claim_ids != ("z",) for s in segs)  # empty spans are ignored
    assert segs[-1].claim_ids == ("w",)  # clamped to the text


def test_copies_fold_under_their_origin() -> None:
    claims = [
        {"id": "1", "document_id": "copy", "outlet": "b"},
        {"id": "2", "document_id": "orig", "outlet": "a"},
        {"id": "3", "document_id": "other", "outlet": "c"},
    ]
    docs = [{"id": "orig"}, {"id": "copy", "copy_of": "orig"}, {"id": "other"}]
    groups = {g["origin"]: g for g in group_claims(claims, docs)}
    assert [c["id"] for c in groups["orig"]["cards"]] == ["2"]
    assert [c["id"] for c in groups["orig"]["copies"]] == ["1"]
    assert [c["id"] for c in groups["other"]["cards"]] == ["3"]
    # When the origin is not in the incident, its first copy leads.
    lone = group_claims([claims[0]], docs)
    assert [c["id"] for c in lone[0]["cards"]] == ["1"] and lone[0]["copies"] == []


def test_like_patterns_take_wildcards_literally() -> None:
    assert like_pattern("100%") == "%100\\%%"
    assert like_pattern("a_b\\") == "%a\\_b\\\\%"
    assert parse_bbox("42.5,35.5,44,37") == (42.5, 35.5, 44.0, 37.0)
    for bad in ("1,2,3", "a,b,c,d", "0,50,10,40", "0,0,200,10"):
        with pytest.raises(ValueError):
            parse_bbox(bad)


def test_redirect_targets_stay_on_site() -> None:
    assert safe_next("/incidents/inc-1?x=1") == "/incidents/inc-1?x=1"
    for bad in (
        "https://evil.example/",
        "//evil.example/",
        "javascript:alert(1)",
        "evil",
        "/\\evil.example",
        "/a\r\nSet-Cookie: x=1",
        None,
        "",
    ):
        assert safe_next(bad) == "/"


def test_rate_limiter_window() -> None:
    lim = RateLimiter(3, window=60)
    assert [lim.hit("1.2.3.4", now=t) for t in (0, 1, 2)] == [0.0, 0.0, 0.0]
    assert lim.hit("1.2.3.4", now=3) == pytest.approx(57)
    assert lim.hit("5.6.7.8", now=3) == 0.0  # per client
    assert lim.hit("1.2.3.4", now=61) == 0.0  # the first hit left the window


def test_users_passwords_and_tokens(db_url: str) -> None:
    with Store(db_url) as store:
        u = add_user(store, "ana", "a long password", "analyst")
        assert u.can("viewer") and u.can("analyst") and not u.can("admin")
        assert not can("nonsense", "viewer")
        with pytest.raises(UserError):
            add_user(store, "ana", "another password", "viewer")
        with pytest.raises(UserError):
            add_user(store, "bob", "short", "viewer")
        with pytest.raises(UserError):
            add_user(store, "bob", "a long password", "root")
        with pytest.raises(UserError):
            add_user(store, "bad name!", "a long password", "viewer")
        assert authenticate(store, "ana", "a long password") == u
        assert authenticate(store, "ana", "A long password") is None
        assert authenticate(store, "nobody", "a long password") is None
        with store.engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT password_hash FROM users").scalar()
        assert isinstance(row, str) and row.startswith("$argon2id$") and "long" not in row
        token = create_token(store, "ana", "script")
        assert user_for_token(store, token) == u
        assert user_for_token(store, token + "x") is None
        assert user_for_token(store, "not-a-token") is None
        with store.engine.connect() as conn:
            stored = conn.exec_driver_sql("SELECT token_hash FROM api_tokens").scalar()
        assert stored != token and len(str(stored)) == 64


def test_apply_splits_moves_claims_into_their_own_incident(seed_text: str) -> None:
    from tolltrace.review import IncidentSplit, apply_splits, split_id

    killed, injured = seed_claim(seed_text), seed_claim(seed_text, "injured", 200)
    claims = {killed.id: killed, injured.id: injured}
    incident = aggregate(
        Incident(id="inc-x", title="Mosul", claim_ids=(), document_ids=(), grade="contested"),
        [killed, injured],
        {},
    )
    split = IncidentSplit(split_id([injured.id]), "inc-x", (injured.id,), "separate day")
    assert split.id == split_id([injured.id]) != split_id([killed.id])
    rest, new = apply_splits([incident], claims, [split], {})
    assert rest.claim_ids == (killed.id,) and rest.injured.min is None and rest.killed.min == 60
    assert new.id == split.id and new.claim_ids == (injured.id,) and new.injured.min == 200
    assert new.grade == "contested" and "separate day" in new.grade_reason
    assert new.place is not None and new.place.name == "Mosul" and new.date_start is not None
    # A split whose claims are gone (re-extracted away) changes nothing.
    gone = IncidentSplit("inc-split-gone", "inc-x", ("claim-gone",))
    assert apply_splits([incident], claims, [gone], {}) == [incident]


def test_csp_admits_only_the_configured_tile_server() -> None:
    from dataclasses import replace

    from tolltrace.settings import load_settings
    from tolltrace.web.security import content_security_policy

    base = load_settings(environ={})
    plain = content_security_policy(base)
    assert "img-src 'self' data:;" in plain and "script-src 'self';" in plain
    tiles = content_security_policy(
        replace(base, web_tile_url="https://{s}.tile.example.org/{z}/{x}/{y}.png")
    )
    assert "img-src 'self' data: https://*.tile.example.org;" in tiles
    bad = content_security_policy(replace(base, web_tile_url="javascript:alert(1)"))
    assert bad == plain


def test_sessions_and_versions(db_url: str) -> None:
    """Server-side sessions end at logout, password change and disabling; the auth
    version moves with each of those, the data version with every shown write."""
    from tolltrace.web.cache import read_versions, resolve
    from tolltrace.web.users import (
        create_session,
        revoke_session,
        set_disabled,
        set_password,
    )

    with Store(db_url) as store:
        u = add_user(store, "ana", "a long password", "analyst")
        data0, auth0 = read_versions(store)
        assert data0 is not None and auth0 is not None
        key = create_session(store, u.id, 1)
        who = resolve(store, key, None)
        assert who.user == u and not who.via_token and who.version == data0
        _, auth1 = read_versions(store)
        assert auth1 is not None and auth1 > auth0
        assert resolve(store, key + "x", None).user is None
        revoke_session(store, key)
        assert resolve(store, key, None).user is None
        other = create_session(store, u.id, 1)
        set_password(store, "ana", "another long password")
        assert resolve(store, other, None).user is None
        third = create_session(store, u.id, 1)
        token = create_token(store, "ana")
        assert resolve(store, None, token).user == u
        set_disabled(store, "ana")
        assert resolve(store, third, None).user is None
        gone = resolve(store, None, token)
        assert gone.user is None and gone.bad_token
        assert authenticate(store, "ana", "another long password") is None
        set_disabled(store, "ana", False)
        assert resolve(store, None, token).user == u
        expired = create_session(store, u.id, -1)
        assert resolve(store, expired, None).user is None
        with pytest.raises(UserError):
            set_disabled(store, "nobody")
        # Users and sessions are not shown data: the data version did not move.
        assert read_versions(store)[0] == data0


def test_version_reads_are_shared_but_never_older_than_the_request(db_url: str) -> None:
    """50 concurrent requests share a handful of version reads, and a request never
    gets a version read that started before it arrived."""
    import asyncio

    from sqlalchemy import event

    from tolltrace.web.cache import _VersionProbe

    with Store(db_url) as store:
        reads = 0

        def count(conn: object, cursor: object, statement: str, *args: object) -> None:
            nonlocal reads
            if statement.lstrip().upper().startswith("SELECT") and "data_version" in statement:
                reads += 1

        event.listen(store.engine, "before_cursor_execute", count)
        probe = _VersionProbe(store)

        def bump() -> None:
            with store.engine.begin() as conn:
                conn.exec_driver_sql("UPDATE data_version SET version = version + 1 WHERE id = 1")

        async def scenario() -> tuple[list[int | None], int | None, int | None]:
            first = await asyncio.gather(*(probe.get() for _ in range(50)))
            await asyncio.to_thread(bump)  # committed before the next request arrives
            after = await probe.get()
            return [v[0] for v in first], after[0], first[0][0]

        versions, after, before = asyncio.run(scenario())
        assert len(set(versions)) == 1 and before is not None
        assert after == before + 1
        assert reads <= 3  # 51 requests: two reads for the burst, one after the write
