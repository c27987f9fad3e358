"""Users, roles, passwords and API tokens (no web framework here: the CLI uses it too).

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106 low-memory
profile). API tokens are random 32-byte strings shown once; only their SHA-256 is
stored, so a leaked database does not leak working tokens.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from tolltrace.store import Store, schema
from tolltrace.web.tables import web_sessions

__all__ = [
    "ROLES",
    "Role",
    "User",
    "UserError",
    "add_user",
    "authenticate",
    "can",
    "change_password",
    "create_session",
    "create_token",
    "get_user",
    "list_users",
    "revoke_session",
    "session_hash",
    "set_disabled",
    "set_password",
    "token_hash",
    "user_for_token",
]

Role = Literal["viewer", "analyst", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "analyst", "admin")
_RANK = {r: i for i, r in enumerate(ROLES)}
TOKEN_PREFIX = "tt_"

_hasher = PasswordHasher()
# Verified against when the user does not exist, so that a login for an unknown name
# costs the same time as one with a wrong password (no user enumeration by timing).
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class UserError(ValueError):
    """A user or token request that cannot be carried out."""


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    role: Role

    def can(self, role: Role) -> bool:
        return can(self.role, role)


def can(have: str, need: Role) -> bool:
    """Whether a user of role ``have`` may do what needs role ``need``."""
    return have in _RANK and _RANK[have] >= _RANK[need]


def _check_username(name: str) -> str:
    name = name.strip()
    if not (1 <= len(name) <= 100) or not all(ch.isalnum() or ch in "._-@" for ch in name):
        raise UserError("a username is 1-100 letters, digits or . _ - @")
    return name


def add_user(store: Store, username: str, password: str, role: str = "viewer") -> User:
    """Create a user; the password is stored only as an argon2 hash."""
    username = _check_username(username)
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 8:
        raise UserError("a password needs at least 8 characters")
    try:
        with store.engine.begin() as conn:
            result = conn.execute(
                insert(schema.users).values(
                    username=username,
                    password_hash=_hasher.hash(password),
                    role=role,
                    created_at=datetime.now(UTC),
                    disabled=False,
                )
            )
            pk = result.inserted_primary_key
    except IntegrityError as exc:
        raise UserError(f"user {username!r} exists already") from exc
    assert pk is not None
    return User(int(pk[0]), username, role)


def set_password(store: Store, username: str, password: str) -> None:
    """Set a user's password; every web session of the user ends (server-side)."""
    if len(password) < 8:
        raise UserError("a password needs at least 8 characters")
    with store.engine.begin() as conn:
        uid = conn.execute(
            update(schema.users)
            .where(schema.users.c.username == username)
            .values(password_hash=_hasher.hash(password))
            .returning(schema.users.c.id)
        ).scalar()
        if uid is None:
            raise UserError(f"no user {username!r}")
        _revoke_all(conn, uid)


def change_password(store: Store, user: User, old: str, new: str) -> None:
    """A user changes their own password (the old one is checked)."""
    if authenticate(store, user.username, old) is None:
        raise UserError("the current password is wrong")
    set_password(store, user.username, new)


def set_disabled(store: Store, username: str, disabled: bool = True) -> None:
    """Disable (or enable) a user: a disabled user's sessions end, and neither the
    password nor the API tokens let them in."""
    with store.engine.begin() as conn:
        uid = conn.execute(
            update(schema.users)
            .where(schema.users.c.username == username)
            .values(disabled=disabled)
            .returning(schema.users.c.id)
        ).scalar()
        if uid is None:
            raise UserError(f"no user {username!r}")
        if disabled:
            _revoke_all(conn, uid)


# -- server-side web sessions -----------------------------------------------------------


def session_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_session(store: Store, user_id: int, hours: float) -> str:
    """A new login session for ``user_id``; returns the key the cookie carries (the
    database keeps only its SHA-256). Sessions long expired are cleared on the way."""
    key = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        conn.execute(
            delete(web_sessions).where(web_sessions.c.expires_at < now - timedelta(days=7))
        )
        conn.execute(
            insert(web_sessions).values(
                id=session_hash(key),
                user_id=user_id,
                created_at=now,
                expires_at=now + timedelta(hours=hours),
                revoked_at=None,
            )
        )
    return key


def revoke_session(store: Store, key: str) -> None:
    """End one session (logout): its cookie no longer logs anyone in, even if kept."""
    with store.engine.begin() as conn:
        conn.execute(
            update(web_sessions)
            .where(web_sessions.c.id == session_hash(key), web_sessions.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )


def _revoke_all(conn: Connection, user_id: int) -> None:
    conn.execute(
        update(web_sessions)
        .where(web_sessions.c.user_id == user_id, web_sessions.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


def get_user(store: Store, user_id: int) -> User | None:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(schema.users.c.id, schema.users.c.username, schema.users.c.role).where(
                schema.users.c.id == user_id, schema.users.c.disabled.is_(False)
            )
        ).first()
    return None if row is None else User(row.id, row.username, row.role)


def list_users(store: Store) -> list[User]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(schema.users.c.id, schema.users.c.username, schema.users.c.role).order_by(
                schema.users.c.username
            )
        )
        return [User(r.id, r.username, r.role) for r in rows]


def authenticate(store: Store, username: str, password: str) -> User | None:
    """The user whose name and password these are, or ``None``."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(schema.users).where(
                schema.users.c.username == username.strip(), schema.users.c.disabled.is_(False)
            )
        ).first()
    try:
        _hasher.verify(row.password_hash if row is not None else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        with store.engine.begin() as conn:
            conn.execute(
                update(schema.users)
                .where(schema.users.c.id == row.id)
                .values(password_hash=_hasher.hash(password))
            )
    return User(row.id, row.username, row.role)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: Store, username: str, name: str = "api") -> str:
    """A new API token for ``username``; returned once, stored only as a hash."""
    with store.engine.begin() as conn:
        uid = conn.execute(
            select(schema.users.c.id).where(schema.users.c.username == username)
        ).scalar()
        if uid is None:
            raise UserError(f"no user {username!r}")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        conn.execute(
            insert(schema.api_tokens).values(
                user_id=uid,
                token_hash=token_hash(token),
                name=name[:100] or "api",
                created_at=datetime.now(UTC),
                revoked=False,
            )
        )
    return token


def user_for_token(store: Store, token: str) -> User | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    t, u = schema.api_tokens, schema.users
    with store.engine.connect() as conn:
        row = conn.execute(
            select(u.c.id, u.c.username, u.c.role)
            .select_from(t.join(u, t.c.user_id == u.c.id))
            .where(
                t.c.token_hash == token_hash(token),
                t.c.revoked.is_(False),
                u.c.disabled.is_(False),
            )
        ).first()
    return None if row is None else User(row.id, row.username, row.role)
