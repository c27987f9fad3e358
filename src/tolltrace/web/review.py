"""Review actions: accept, reject or correct a claim; discount or merge an incident;
revert an audit entry. As JSON under ``/api/v1/`` and as HTML form posts (which
redirect back to the page they came from)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from tolltrace.review import CLAIM_FIELDS, ReviewError
from tolltrace.web import actions
from tolltrace.web.deps import AuthContext, require, store
from tolltrace.web.security import safe_next

__all__ = ["api", "forms"]

api = APIRouter(prefix="/api/v1", tags=["review"])
forms = APIRouter(include_in_schema=False)

Analyst = Annotated[AuthContext, require("analyst")]


class ClaimReviewIn(BaseModel):
    status: str | None = Field(
        default="unchanged",
        description="accepted | rejected | null (clear); leave out to keep it as it is",
    )
    edits: dict[str, Any] = Field(
        default_factory=dict, description="field -> value; fields: " + ", ".join(CLAIM_FIELDS)
    )
    reason: str | None = Field(default=None, max_length=2000)


class IncidentReviewIn(BaseModel):
    discounted: bool
    reason: str | None = Field(default=None, max_length=2000)


class MergeIn(BaseModel):
    into: str | None = Field(default=None, max_length=200, description="null: undo the merge")
    reason: str | None = Field(default=None, max_length=2000)


def _do(fn: Any, *args: Any, **kwargs: Any) -> int:
    try:
        result: int = fn(*args, **kwargs)
    except actions.NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except actions.ReviewConflict as exc:
        raise HTTPException(409, str(exc)) from exc
    except ReviewError as exc:
        raise HTTPException(400, str(exc)) from exc
    return result


def _user(ctx: AuthContext) -> Any:
    assert ctx.user is not None  # require() let only logged-in users through
    return ctx.user


@api.post("/claims/{claim_id}/review", summary="Accept, reject or correct a claim")
def review_claim(
    claim_id: str, body: ClaimReviewIn, request: Request, ctx: Analyst
) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"edits": body.edits, "reason": body.reason}
    if body.status != "unchanged":
        kwargs["status"] = body.status
    entry = _do(actions.review_claim, store(request), _user(ctx), claim_id, **kwargs)
    return {"audit_id": entry}


@api.post("/incidents/{incident_id}/review", summary="Discount an incident, or take it back")
def review_incident(
    incident_id: str, body: IncidentReviewIn, request: Request, ctx: Analyst
) -> dict[str, Any]:
    entry = _do(
        actions.review_incident,
        store(request),
        _user(ctx),
        incident_id,
        discounted=body.discounted,
        reason=body.reason,
    )
    return {"audit_id": entry}


@api.post("/incidents/{incident_id}/merge", summary="Merge an incident into another, or undo")
def merge_incident(
    incident_id: str, body: MergeIn, request: Request, ctx: Analyst
) -> dict[str, Any]:
    entry = _do(
        actions.merge_incident, store(request), _user(ctx), incident_id, body.into, body.reason
    )
    return {"audit_id": entry}


class SplitIn(BaseModel):
    claim_ids: list[str] = Field(min_length=1, max_length=1000)
    reason: str | None = Field(default=None, max_length=2000)


@api.post("/incidents/{incident_id}/split", summary="Split some claims off into an incident")
def split_incident(
    incident_id: str, body: SplitIn, request: Request, ctx: Analyst
) -> dict[str, Any]:
    try:
        entry, new_id = actions.split_incident(
            store(request), _user(ctx), incident_id, body.claim_ids, body.reason
        )
    except actions.NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except ReviewError as exc:
        raise HTTPException(400, str(exc)) from exc
    return {"audit_id": entry, "incident_id": new_id}


@api.post("/audit/{entry_id}/revert", summary="Undo an audit entry (itself audited)")
def revert(entry_id: int, request: Request, ctx: Analyst) -> dict[str, Any]:
    return {"audit_id": _do(actions.revert, store(request), _user(ctx), entry_id)}


# -- HTML forms -----------------------------------------------------------------------


def _back(form: Any, error: str | None = None, anchor: str = "") -> RedirectResponse:
    target = safe_next(form.get("next") if isinstance(form.get("next"), str) else None)
    if error:
        sep = "&" if "?" in target else "?"
        target = f"{target}{sep}{urlencode({'error': error[:300]})}"
    return RedirectResponse(target + anchor, status_code=303)


def _form_do(form: Any, fn: Any, *args: Any, **kwargs: Any) -> RedirectResponse:
    try:
        fn(*args, **kwargs)
    except (actions.NotFound, actions.ReviewConflict, ReviewError) as exc:
        return _back(form, str(exc))
    return _back(form)


def _text(form: Any, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


@forms.post("/claims/{claim_id}/review")
async def claim_form(claim_id: str, request: Request, ctx: Analyst) -> RedirectResponse:
    form = await request.form()
    action = _text(form, "action") or "edit"
    kwargs: dict[str, Any] = {"reason": _text(form, "reason")}
    if action in {"accepted", "rejected"}:
        kwargs["status"] = action
    elif action == "clear":
        kwargs["status"] = None
    elif action == "edit":
        # Only the fields the analyst changed are sent as edits: unchanged inputs carry
        # the current value, which review_claim treats as "no edit" anyway.
        kwargs["edits"] = {
            name: _text(form, name) for name in CLAIM_FIELDS if _text(form, name) is not None
        }
    else:
        return _back(form, f"unknown action {action!r}")
    return _form_do(form, actions.review_claim, store(request), _user(ctx), claim_id, **kwargs)


@forms.post("/incidents/{incident_id}/review")
async def incident_form(incident_id: str, request: Request, ctx: Analyst) -> RedirectResponse:
    form = await request.form()
    action = _text(form, "action")
    reason = _text(form, "reason")
    if action in {"discount", "restore"}:
        return _form_do(
            form,
            actions.review_incident,
            store(request),
            _user(ctx),
            incident_id,
            discounted=action == "discount",
            reason=reason,
        )
    if action in {"merge", "unmerge"}:
        into = (_text(form, "into") or "").strip() or None if action == "merge" else None
        if action == "merge" and into is None:
            return _back(form, "into: which incident to merge into")
        return _form_do(
            form, actions.merge_incident, store(request), _user(ctx), incident_id, into, reason
        )
    if action == "split":
        chosen = [v for v in form.getlist("claim_ids") if isinstance(v, str)]
        try:
            _, new_id = actions.split_incident(
                store(request), _user(ctx), incident_id, chosen, reason
            )
        except (actions.NotFound, ReviewError) as exc:
            return _back(form, str(exc))
        return RedirectResponse(f"/incidents/{new_id}", status_code=303)
    return _back(form, f"unknown action {action!r}")


@forms.post("/audit/{entry_id}/revert")
async def revert_form(entry_id: int, request: Request, ctx: Analyst) -> RedirectResponse:
    form = await request.form()
    return _form_do(form, actions.revert, store(request), _user(ctx), entry_id)
