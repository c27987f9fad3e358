from __future__ import annotations

import re
from pathlib import Path

import pytest

from tolltrace.settings import SETTINGS, load_settings

DOC = Path(__file__).resolve().parent.parent / "docs" / "settings.md"


def test_every_setting_is_documented() -> None:
    documented = set(re.findall(r"^\| `([a-z_0-9]+)` \|", DOC.read_text(encoding="utf-8"), re.M))
    names = {s.name for s in SETTINGS}
    assert names - documented == set(), "settings missing from docs/settings.md"
    assert documented - names == set(), "docs/settings.md documents settings that do not exist"
    assert all(s.help.strip() for s in SETTINGS)


def test_precedence_override_then_environment_then_default() -> None:
    env = {
        "TOLLTRACE_DB": "sqlite:///env.db",
        "TOLLTRACE_FETCH_TIMEOUT": "3.5",
        "TOLLTRACE_ALLOW_PRIVATE_ADDRESSES": "yes",
    }
    s = load_settings({"db": None}, environ=env)
    assert s.db == "sqlite:///env.db"
    assert s.fetch_timeout == 3.5
    assert s.allow_private_addresses is True
    assert load_settings({"db": "sqlite:///flag.db"}, environ=env).db == "sqlite:///flag.db"
    assert load_settings(environ={}).db == "sqlite:///tolltrace.db"


def test_bad_values_are_reported_by_name() -> None:
    with pytest.raises(ValueError, match="TOLLTRACE_FETCH_MAX_BYTES"):
        load_settings(environ={"TOLLTRACE_FETCH_MAX_BYTES": "lots"})
    with pytest.raises(KeyError, match="no_such_setting"):
        load_settings({"no_such_setting": 1}, environ={})
