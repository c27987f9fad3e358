"""Analyst actions: store a decision, write its audit entry, revert one.

Each action runs in one transaction: the decision and its audit entry are written
together or not at all. Decisions go to ``claim_reviews`` / ``incident_reviews`` only;
the pipeline's own rows are never touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from tolltrace.records import Incident
from tolltrace.review import (
    REVIEW_STATUSES,
    ClaimReview,
    IncidentReview,
    IncidentSplit,
    ReviewError,
    apply_splits,
    claim_field,
    split_id,
    validate_edits,
)
from tolltrace.store import Store, schema
from tolltrace.store.store import _claim as claim_from_row
from tolltrace.store.store import _incident as incident_from_row
from tolltrace.store.store import _incident_row as incident_to_row
from tolltrace.web.queries import figure_sources, link_tables, reaggregate
from tolltrace.web.users import User

__all__ = [
    "NotFound",
    "ReviewConflict",
    "merge_incident",
    "revert",
    "review_claim",
    "review_incident",
    "split_incident",
]

C, CR, IR, A = schema.claims, schema.claim_reviews, schema.incident_reviews, schema.audit_log
_UNSET: Any = object()


class NotFound(LookupError):
    pass


class ReviewConflict(ValueError):
    """The record changed since the entry being reverted (revert the later ones first)."""


def _claim_state(conn: Connection, claim_id: str) -> tuple[Any, ClaimReview]:
    row = conn.execute(select(C).where(C.c.id == claim_id)).first()
    if row is None:
        raise NotFound(f"no claim {claim_id!r}")
    r = conn.execute(select(CR).where(CR.c.claim_id == claim_id)).first()
    review = ClaimReview(claim_id) if r is None else ClaimReview(claim_id, r.status, r.edits or {})
    return claim_from_row(row), review


def _claim_json(claim: Any, review: ClaimReview, fields: set[str]) -> dict[str, Any]:
    """A review state for the audit log, with the values the fields had then."""
    from tolltrace.review import apply_claim_review

    effective = apply_claim_review(claim, review)
    return {
        **review.to_json(),
        "values": {f: claim_field(effective, f) for f in sorted(fields)},
    }


def _write_claim(conn: Connection, review: ClaimReview, user: User) -> None:
    conn.execute(delete(CR).where(CR.c.claim_id == review.claim_id))
    if review.status is not None or review.edits:
        conn.execute(
            insert(CR).values(
                claim_id=review.claim_id,
                status=review.status,
                edits=dict(review.edits),
                updated_at=datetime.now(UTC),
                updated_by=user.username,
            )
        )


def _audit(
    conn: Connection,
    user: User,
    action: str,
    kind: str,
    target: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    reason: str | None = None,
    reverts: int | None = None,
) -> int:
    result = conn.execute(
        insert(A).values(
            at=datetime.now(UTC),
            user_id=user.id,
            username=user.username,
            action=action,
            target_kind=kind,
            target_id=target,
            before=dict(before),
            after=dict(after),
            reason=reason,
            reverts=reverts,
        )
    )
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def review_claim(
    store: Store,
    user: User,
    claim_id: str,
    *,
    status: Any = _UNSET,
    edits: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> int:
    """Accept, reject or correct a claim; returns the audit entry's id.

    ``status`` None clears an accept/reject. An edit that gives back the pipeline's
    own value removes the edit.
    """
    if status is not _UNSET and status is not None and status not in REVIEW_STATUSES:
        raise ReviewError(f"status: one of {', '.join(REVIEW_STATUSES)} or null")
    clean = validate_edits(edits or {})
    with store.engine.begin() as conn:
        claim, before = _claim_state(conn, claim_id)
        new_edits = dict(before.edits)
        for name, value in clean.items():
            if value == claim_field(claim, name):
                new_edits.pop(name, None)
            else:
                new_edits[name] = value
        merged = validate_edits(new_edits)  # min <= max across old and new edits
        new_status = before.status if status is _UNSET else status
        after = ClaimReview(claim_id, new_status, merged)
        if after == before:
            raise ReviewError("nothing to change")
        status_action = f"claim.{new_status}" if new_status else "claim.clear"
        action = "claim.edit" if clean else status_action
        fields = set(before.edits) | set(merged)
        _write_claim(conn, after, user)
        return _audit(
            conn,
            user,
            action,
            "claim",
            claim_id,
            _claim_json(claim, before, fields),
            _claim_json(claim, after, fields),
            reason,
        )


def _incident_state(conn: Connection, incident_id: str) -> IncidentReview:
    exists = conn.execute(
        select(schema.incidents.c.id).where(schema.incidents.c.id == incident_id)
    ).first()
    if exists is None:
        raise NotFound(f"no incident {incident_id!r}")
    r = conn.execute(select(IR).where(IR.c.incident_id == incident_id)).first()
    if r is None:
        return IncidentReview(incident_id)
    return IncidentReview(incident_id, bool(r.discounted), r.reason, r.merged_into)


def _write_incident(conn: Connection, review: IncidentReview, user: User) -> None:
    conn.execute(delete(IR).where(IR.c.incident_id == review.incident_id))
    if review.discounted or review.merged_into:
        conn.execute(
            insert(IR).values(
                incident_id=review.incident_id,
                discounted=review.discounted,
                reason=review.reason,
                merged_into=review.merged_into,
                updated_at=datetime.now(UTC),
                updated_by=user.username,
            )
        )


def review_incident(
    store: Store, user: User, incident_id: str, *, discounted: bool, reason: str | None
) -> int:
    """Mark an incident discounted (a reason is required) or take the mark back."""
    reason = (reason or "").strip() or None
    if discounted and not reason:
        raise ReviewError("reason: say why the incident is discounted")
    with store.engine.begin() as conn:
        before = _incident_state(conn, incident_id)
        after = IncidentReview(
            incident_id, discounted, reason if discounted else None, before.merged_into
        )
        if after == before:
            raise ReviewError("nothing to change")
        _write_incident(conn, after, user)
        action = "incident.discount" if discounted else "incident.restore"
        return _audit(
            conn, user, action, "incident", incident_id, before.to_json(), after.to_json(), reason
        )


def merge_incident(
    store: Store, user: User, incident_id: str, into: str | None, reason: str | None = None
) -> int:
    """Merge an incident into another (its claims shown and counted there), or undo it."""
    with store.engine.begin() as conn:
        before = _incident_state(conn, incident_id)
        if into is not None:
            if into == incident_id:
                raise ReviewError("into: an incident cannot be merged into itself")
            target = _incident_state(conn, into)
            if target.merged_into is not None:
                raise ReviewError(f"into: {into} is itself merged into {target.merged_into}")
            has_merged = conn.execute(
                select(IR.c.incident_id).where(IR.c.merged_into == incident_id)
            ).first()
            if has_merged is not None:
                raise ReviewError("other incidents are merged into this one: merge those first")
        after = IncidentReview(incident_id, before.discounted, before.reason, into)
        if after == before:
            raise ReviewError("nothing to change")
        _write_incident(conn, after, user)
        action = "incident.merge" if into else "incident.unmerge"
        return _audit(
            conn, user, action, "incident", incident_id, before.to_json(), after.to_json(), reason
        )


def revert(store: Store, user: User, entry_id: int) -> int:
    """Put the record back as it was before audit entry ``entry_id``; itself audited.

    Refused (:class:`ReviewConflict`) when the record changed since that entry.
    """
    with store.engine.begin() as conn:
        entry = conn.execute(select(A).where(A.c.id == entry_id)).first()
        if entry is None:
            raise NotFound(f"no audit entry {entry_id}")
        before, after = entry.before or {}, entry.after or {}
        if entry.target_kind == "claim":
            claim, now = _claim_state(conn, entry.target_id)
            expected = ClaimReview(entry.target_id, after.get("status"), after.get("edits") or {})
            if now != expected:
                raise ReviewConflict(
                    "the claim changed since this entry: revert the later ones first"
                )
            back = ClaimReview(entry.target_id, before.get("status"), before.get("edits") or {})
            _write_claim(conn, back, user)
            fields = set(now.edits) | set(back.edits)
            return _audit(
                conn,
                user,
                "revert",
                "claim",
                entry.target_id,
                _claim_json(claim, now, fields),
                _claim_json(claim, back, fields),
                f"revert of entry {entry_id}",
                entry_id,
            )
        if entry.action == "incident.split":
            return _revert_split(conn, user, entry)
        if entry.target_kind == "incident":
            now_i = _incident_state(conn, entry.target_id)
            expected_i = IncidentReview(
                entry.target_id,
                bool(after.get("discounted")),
                after.get("reason"),
                after.get("merged_into"),
            )
            if now_i != expected_i:
                raise ReviewConflict(
                    "the incident changed since this entry: revert the later ones first"
                )
            back_i = IncidentReview(
                entry.target_id,
                bool(before.get("discounted")),
                before.get("reason"),
                before.get("merged_into"),
            )
            _write_incident(conn, back_i, user)
            return _audit(
                conn,
                user,
                "revert",
                "incident",
                entry.target_id,
                now_i.to_json(),
                back_i.to_json(),
                f"revert of entry {entry_id}",
                entry_id,
            )
        raise ReviewError(f"cannot revert an entry about {entry.target_kind!r}")


# -- splits ---------------------------------------------------------------------------

S, INC = schema.incident_splits, schema.incidents


def _rewrite_incidents(conn: Connection, drop: list[str], put: list[Incident]) -> None:
    """Replace derived incident rows and point each claim at its incident."""
    ids = list({*drop, *(x.id for x in put)})
    conn.execute(delete(INC).where(INC.c.id.in_(ids)))
    if put:
        conn.execute(insert(INC), [incident_to_row(x) for x in put])
    for x in put:
        if x.claim_ids:
            conn.execute(update(C).where(C.c.id.in_(list(x.claim_ids))).values(incident_id=x.id))


def _incident_with_claims(
    conn: Connection, incident_id: str
) -> tuple[Incident, dict[str, Any], dict[str, ClaimReview]]:
    row = conn.execute(select(INC).where(INC.c.id == incident_id)).first()
    if row is None:
        raise NotFound(f"no incident {incident_id!r}")
    claims = {
        r.id: claim_from_row(r)
        for r in conn.execute(select(C).where(C.c.incident_id == incident_id))
    }
    reviews = {
        r.claim_id: ClaimReview(r.claim_id, r.status, r.edits or {})
        for r in conn.execute(select(CR).where(CR.c.claim_id.in_(list(claims))))
    }
    incident = incident_from_row(row)
    # The stored claim_ids are the linker's; the claims table says where each is now.
    incident = replace(incident, claim_ids=tuple(sorted(claims)))
    return incident, claims, reviews


def split_incident(
    store: Store, user: User, incident_id: str, claim_ids: list[str], reason: str | None
) -> tuple[int, str]:
    """Make some of an incident's claims an incident of their own (kept across runs).
    Returns the audit entry's id and the new incident's id."""
    chosen = sorted(set(claim_ids))
    with store.engine.begin() as conn:
        source, claims, reviews = _incident_with_claims(conn, incident_id)
        if not chosen:
            raise ReviewError("claim_ids: which claims to split off")
        if not set(chosen) <= set(claims):
            raise ReviewError("claim_ids: not all of them are claims of this incident")
        if set(chosen) == set(claims):
            raise ReviewError("claim_ids: leave at least one claim in the incident")
        split = IncidentSplit(split_id(chosen), incident_id, tuple(chosen), reason)
        if conn.execute(select(S.c.id).where(S.c.id == split.id)).first() is not None:
            raise ReviewError("these claims are split off already")
        conn.execute(
            insert(S).values(
                id=split.id,
                source_id=incident_id,
                claim_ids=chosen,
                reason=reason,
                created_at=datetime.now(UTC),
                created_by=user.username,
            )
        )
        documents, origin = figure_sources(conn, {c.document_id for c in claims.values()})
        parts = apply_splits(
            [source],
            claims,
            [split],
            reviews,
            documents=documents,
            origin=origin,
            tables=link_tables(),
        )
        _rewrite_incidents(conn, [incident_id], parts)
        entry = _audit(
            conn,
            user,
            "incident.split",
            "incident",
            incident_id,
            {"split": None},
            {"split": {"id": split.id, "claim_ids": chosen}},
            reason,
        )
        return entry, split.id


def _revert_split(conn: Connection, user: User, entry: Any) -> int:
    split = (entry.after or {}).get("split") or {}
    row = conn.execute(select(S).where(S.c.id == split.get("id"))).first()
    if row is None:
        raise ReviewConflict("this split was undone already")
    conn.execute(delete(S).where(S.c.id == row.id))
    conn.execute(update(C).where(C.c.id.in_(list(row.claim_ids))).values(incident_id=row.source_id))
    conn.execute(delete(INC).where(INC.c.id == row.id))
    if conn.execute(select(INC.c.id).where(INC.c.id == row.source_id)).first() is not None:
        source, claims, reviews = _incident_with_claims(conn, row.source_id)
        _rewrite_incidents(conn, [], [reaggregate(conn, source, list(claims.values()), reviews)])
    return _audit(
        conn,
        user,
        "revert",
        "incident",
        entry.target_id,
        entry.after or {},
        entry.before or {},
        f"revert of entry {entry.id}",
        entry.id,
    )
