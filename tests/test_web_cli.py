"""User administration from the command line (`tolltrace user disable|enable|passwd`)
over a real SQLite database: each ends the user's web sessions as the API's
``PATCH /api/v1/users/{name}`` does (the same library functions), and API tokens of a
disabled user are refused."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tolltrace.cli import app
from tolltrace.store import Store
from tolltrace.web.cache import resolve
from tolltrace.web.users import authenticate, create_session, create_token

runner = CliRunner()

OLD = "a long password"
NEW = "another long password"


def _db(tmp_path: Path) -> str:
    db = f"sqlite:///{tmp_path / 'users.db'}"
    res = runner.invoke(
        app, ["user", "add", "ana", "--role", "analyst", "--password-stdin", "--db", db], input=OLD
    )
    assert res.exit_code == 0, res.output
    return db


def _session(db: str) -> str:
    with Store(db) as store:
        user = authenticate(store, "ana", OLD) or authenticate(store, "ana", NEW)
        assert user is not None
        key = create_session(store, user.id, 1)
        assert resolve(store, key, None).user == user
        return key


def test_disable_and_enable_end_sessions_and_refuse_tokens(tmp_path: Path) -> None:
    db = _db(tmp_path)
    key = _session(db)
    with Store(db) as store:
        token = create_token(store, "ana")
        assert resolve(store, None, token).user is not None

    res = runner.invoke(app, ["user", "disable", "ana", "--db", db])
    assert res.exit_code == 0, res.output
    assert "disabled" in res.output
    with Store(db) as store:
        assert resolve(store, key, None).user is None  # the kept cookie logs no one in
        gone = resolve(store, None, token)
        assert gone.user is None and gone.bad_token
        assert authenticate(store, "ana", OLD) is None

    res = runner.invoke(app, ["user", "enable", "ana", "--db", db])
    assert res.exit_code == 0, res.output
    with Store(db) as store:
        assert authenticate(store, "ana", OLD) is not None
        assert resolve(store, None, token).user is not None
        # Enabling does not bring an ended session back: the user logs in anew.
        assert resolve(store, key, None).user is None

    for command in ("disable", "enable"):
        res = runner.invoke(app, ["user", command, "nobody", "--db", db])
        assert res.exit_code == 2 and "no user" in res.output


def test_passwd_asks_twice_and_ends_sessions(tmp_path: Path) -> None:
    db = _db(tmp_path)
    key = _session(db)
    # Two different entries: asked again, then aborted at the end of the input; the
    # password stays as it was and so does the session.
    res = runner.invoke(app, ["user", "passwd", "ana", "--db", db], input=f"{NEW}\n{NEW}x\n")
    assert res.exit_code == 1 and "do not match" in res.output
    with Store(db) as store:
        assert authenticate(store, "ana", OLD) is not None
        assert resolve(store, key, None).user is not None

    res = runner.invoke(app, ["user", "passwd", "ana", "--db", db], input=f"{NEW}\n{NEW}\n")
    assert res.exit_code == 0, res.output
    with Store(db) as store:
        assert authenticate(store, "ana", OLD) is None
        assert authenticate(store, "ana", NEW) is not None
        assert resolve(store, key, None).user is None


def test_passwd_from_stdin(tmp_path: Path) -> None:
    db = _db(tmp_path)
    key = _session(db)
    res = runner.invoke(
        app, ["user", "passwd", "ana", "--password-stdin", "--db", db], input="short\n"
    )
    assert res.exit_code == 2 and "8 characters" in res.output
    with Store(db) as store:
        assert resolve(store, key, None).user is not None  # refused: nothing changed
    res = runner.invoke(
        app, ["user", "passwd", "nobody", "--password-stdin", "--db", db], input=f"{NEW}\n"
    )
    assert res.exit_code == 2 and "no user" in res.output
    res = runner.invoke(
        app, ["user", "passwd", "ana", "--password-stdin", "--db", db], input=f"{NEW}\n"
    )
    assert res.exit_code == 0, res.output
    with Store(db) as store:
        assert authenticate(store, "ana", NEW) is not None
        assert resolve(store, key, None).user is None
