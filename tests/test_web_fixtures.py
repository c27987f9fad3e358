"""A workbench database built by running the real pipeline on the demo corpus, plus one
hostile document: a real demo article with script, onerror and javascript: markup
appended (the markup is ours; the article text is the demo corpus' own)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import DEMO, demo_records
from tolltrace.pipeline import run
from tolltrace.resources import Resources
from tolltrace.settings import Settings, load_settings
from tolltrace.store import Store
from tolltrace.web.users import add_user, create_token

HOSTILE_ID = "xss-seed"
HOSTILE_MARKUP = (
    '\n\n<script>document.title="pwned"</script>'
    "\n<img src=x onerror=\"document.title='pwned'\">"
    '\n<a href="javascript:alert(1)">click</a>\n'
)
PASSWORD = "correct horse battery"


def hostile_record() -> dict[str, Any]:
    seed = next(r for r in demo_records() if r["id"] == "seed-000")
    return {
        "id": HOSTILE_ID,
        "title": '<script>alert("title")</script> ' + seed["title"],
        "outlet": '<img src=x onerror="alert(1)">',
        "published": seed.get("published"),
        "url": "javascript:alert(1)",
        "text": seed["text"] + HOSTILE_MARKUP,
    }


def build(url: str, tmp: Path, resources: Resources) -> tuple[Settings, dict[str, str]]:
    """Run the pipeline on the demo corpus and the hostile document into ``url``; add a
    user of each role. Returns the settings and an API token per role."""
    settings = load_settings({"db": url, "web_login_attempts": 5}, environ={})
    hostile = tmp / "hostile.jsonl"
    hostile.write_text(json.dumps(hostile_record()) + "\n", encoding="utf-8")
    store = Store(url)
    try:
        run([str(DEMO), str(hostile)], settings, store=store, resources=resources)
        tokens = {}
        for role in ("viewer", "analyst", "admin"):
            add_user(store, role, PASSWORD, role)
            tokens[role] = create_token(store, role)
    finally:
        store.close()
    return settings, tokens
