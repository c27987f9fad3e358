"""Places the gazetteer lacks (precision "container") in the web pages: shown as
approximate, inside the place they lie in, escaped like all text; the map's pop-up says
the marker stands at the container's point.

The database is the demo corpus run through the pipeline (tests/test_web_fixtures.py),
on SQLite and PostgreSQL: the State Department's statement names "the Al-Sinek
neighborhood in Baghdad" (Baghdad's point), a Syria report "near Tabqa Dam, Syria" (the
country only).
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from jinja2 import Environment, FileSystemLoader, select_autoescape

import tolltrace.web
from tests import test_web as tw
from tolltrace.records import Place

# The demo database of tests/test_web.py, built once per backend for this module.
resources = tw.resources
web_db = tw.web_db
settings = tw.settings
tokens = tw.tokens
client = tw.client
login, bearer = tw.login, tw.bearer

TEMPLATES = Path(tolltrace.web.__file__).parent / "templates"
STATIC = Path(tolltrace.web.__file__).parent / "static"


def _claim(c: TestClient, tok: dict[str, str], place: str) -> dict[str, object]:
    r = c.get("/api/v1/claims", params={"q": place}, headers=bearer(tok, "viewer"))
    assert r.status_code == 200
    found = [c for c in r.json()["items"] if c["place"] and c["place"]["name"] == place]
    assert found, f"the demo corpus names {place}"
    return found[0]  # type: ignore[no-any-return]


def test_claim_cards_show_a_container_place_as_approximate(
    client: TestClient,
    tokens: dict[str, str],
) -> None:
    login(client, "viewer")
    sinek = _claim(client, tokens, "Al-Sinek")
    assert sinek["place"]["precision"] == "container"  # type: ignore[index]
    page = client.get(f"/incidents/{sinek['incident_id']}").text
    card = page[page.index(f'id="claim-{sinek["id"]}"') :]
    card = card[: card.index("</article>")]
    m = re.search(r'<span class="place-approx"[^>]*title="([^"]+)">([^<]+)</span>', card)
    assert m is not None
    assert m.group(2) == "Al-Sinek (in Baghdād, IQ, approx.)"
    assert "shown at the point of the place it lies in" in m.group(1)
    # A gazetteer place of the same page keeps its plain form: "Baghdad (IQ)".
    assert re.search(r"<dd>Baghdad \(IQ\)</dd>", page)
    dam = _claim(client, tokens, "Tabqa Dam")
    assert dam["incident_id"]
    page = client.get(f"/incidents/{dam['incident_id']}").text
    assert "Tabqa Dam (in SY, approx.)" in page
    assert "known only by the province or country it lies in" in page


def test_container_place_label_is_escaped() -> None:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    label = env.from_string(
        '{% from "_place.html" import place_label %}{{ place_label(p) }}'
    ).render(
        p=Place(
            "<img src=x onerror=alert(1)>",
            name="<img src=x onerror=alert(1)>",
            country="US",
            admin1='Cal"ifornia',
            lat=34.05,
            lon=-118.24,
            precision="container",
        )
    )
    assert "<img" not in label
    assert "&lt;img src=x onerror=alert(1)&gt; (in Cal&#34;ifornia, US, approx.)" in label


def test_map_marks_a_container_point_as_approximate() -> None:
    js = (STATIC / "overview.js").read_text(encoding="utf-8")
    # The pop-up's note is set as text, and the marker is drawn hollow and dashed.
    assert 'place.precision === "container"' in js
    assert "note.textContent" in js and "innerHTML" not in js
    assert 'dashArray: approx ? "3 3" : null' in js
