"""The analyst's path through the web app, in a real browser (Playwright driving
Debian's Chromium at /usr/bin/chromium): log in, filter incidents, open the seed's
Mosul incident, read its claims side by side, correct a figure, see the audit entry,
revert it. Screenshots go to artifacts/screenshots/.

The database is built by running the pipeline on the demo corpus; the incident is found
through the API (ids and counts change as extraction and linking improve), and the
assertions rest on what the seed says: 60 killed.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_web_fixtures import PASSWORD, build
from tolltrace.resources import Resources
from tolltrace.settings import load_settings

CHROMIUM = os.environ.get("TOLLTRACE_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
HOW_TO = (
    "browser tests skipped: no Chromium at {path} or no playwright package "
    "(apt-get install -y chromium; pip install playwright). They run under CI=true."
)


def _need_browser() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not shutil.which(CHROMIUM):
        message = HOW_TO.format(path=CHROMIUM)
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from tolltrace.web import create_app

    _need_browser()
    tmp = tmp_path_factory.mktemp("browser")
    settings, _ = build(f"sqlite:///{tmp / 'demo.db'}", tmp, Resources(load_settings(environ={})))
    app = create_app(settings)
    port = _free_port()
    srv = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)
    app.state.store.close()


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    sync_playwright = _need_browser()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_analyst_corrects_a_figure_and_reverts_it(server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    csp: list[str] = []
    page.on(
        "console",
        lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None,
    )

    # Log in.
    page.goto(server + "/")
    assert "/login" in page.url
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(server + "/")
    assert page.locator(".who .user").inner_text().startswith("analyst")
    # The map draws the packaged basemap and the incidents; the timeline its bars.
    page.wait_for_selector("#map[data-basemap-loaded='1']")
    page.wait_for_selector("#map[data-markers]")
    page.wait_for_selector("#timeline[data-bars]")
    assert int(page.get_attribute("#timeline", "data-bars") or 0) > 0
    shot(page, "01-incidents")

    # Filter: incidents in Iraq mentioning Mosul.
    page.fill("input[name=country]", "IQ")
    page.fill("input[name=q]", "Mosul")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**country=IQ**")
    rows = page.locator("#incident-table tbody tr[data-id]")
    assert rows.count() >= 1
    for cc in page.locator("#incident-table tbody tr[data-id] .cc").all_inner_texts():
        assert cc == "IQ"
    shot(page, "02-filtered")

    # Find the seed's Mosul incident through the API (same session cookie).
    claims = page.request.get(server + "/api/v1/claims?document_id=seed-000").json()["items"]
    sixty = next(
        c for c in claims if c["effect"] == "killed" and c["min"] == 60 and c["incident_id"]
    )
    incident = sixty["incident_id"]
    assert page.locator(f"#incident-table tr[data-id='{incident}']").count() == 1
    page.click(f"#incident-table tr[data-id='{incident}'] a")
    page.wait_for_url(f"**/incidents/{incident}")

    # Claims side by side: cards in one row of the grid, each with its claimant and quote.
    cards = page.locator("article.claim")
    assert cards.count() >= 2
    boxes = [cards.nth(i).bounding_box() for i in range(min(cards.count(), 4))]
    tops = [round(b["y"]) for b in boxes if b]
    assert len(set(tops)) < len(tops), "at least two claims share a row"
    # Copies are folded under their origin: unfold the seed's claims if it is a copy.
    folded = page.locator(f"details.copies:has(article.claim[data-claim-id='{sixty['id']}'])")
    if folded.count():
        folded.first.locator(":scope > summary").click()
    card = page.locator(f"article.claim[data-claim-id='{sixty['id']}']").first
    assert card.locator(".figure .n").inner_text() in {"60", "60+"}
    assert "Mosul" in card.locator(".quote").inner_text()
    shot(page, "03-incident")

    # Correct the figure: 60 -> 61.
    card.locator("details.edit summary").click()
    card.locator("input[name=min]").fill("61")
    card.locator("input[name=reason]").fill("browser test: re-read the sentence")
    card.locator("form.edit-form button[type=submit]").click()
    page.wait_for_load_state()
    if folded.count():
        folded.first.locator(":scope > summary").click()
    card = page.locator(f"article.claim[data-claim-id='{sixty['id']}']").first
    assert card.locator(".figure .n").inner_text().startswith("61")
    assert card.locator(".badge.edited").count() == 1
    entry = page.locator("table.audit tbody tr[data-action='claim.edit']").first
    text = entry.inner_text()
    assert "analyst" in text and "min=60" in text and "min=61" in text
    shot(page, "04-corrected")

    # Revert it: the figure is 60 again and the revert is itself in the log.
    entry.locator("button", has_text="Revert").click()
    page.wait_for_load_state()
    if folded.count():
        folded.first.locator(":scope > summary").click()
    card = page.locator(f"article.claim[data-claim-id='{sixty['id']}']").first
    assert card.locator(".figure .n").inner_text() in {"60", "60+"}
    assert page.locator("table.audit tbody tr[data-action='revert']").count() == 1
    shot(page, "05-reverted")

    # The evidence, highlighted in the document, links back to the claim.
    page.goto(server + "/documents/seed-000")
    assert page.locator(f"a.evidence[href='#claim-{sixty['id']}']").count() >= 1
    shot(page, "06-document")

    assert errors == [] and csp == []
    context.close()


def test_hostile_document_runs_no_script(server: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/login")
    page.fill("input[name=username]", "viewer")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(server + "/")
    page.goto(server + "/documents/xss-seed")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.title() != "pwned"
    assert "<script>" in page.locator("#text").inner_text()  # shown as text
    shot(page, "07-hostile-document")
    context.close()


def test_api_docs_render_offline(server: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    csp: list[str] = []
    page.on(
        "console",
        lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "tolltrace" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-summary-path", has_text="/api/v1/incidents").count() >= 1
    # Everything from this server: nothing from a CDN.
    assert requests and all(u.startswith(server) or u.startswith("data:") for u in requests)
    assert csp == []
    shot(page, "08-api-docs")
    context.close()


def test_analyst_splits_an_incident_and_reverts(server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(server + "/login")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(server + "/")
    claims = page.request.get(server + "/api/v1/claims?document_id=seed-000").json()["items"]
    sixty = next(
        c for c in claims if c["effect"] == "killed" and c["min"] == 60 and c["incident_id"]
    )
    source = sixty["incident_id"]
    page.goto(f"{server}/incidents/{source}")
    folded = page.locator(f"details.copies:has(article.claim[data-claim-id='{sixty['id']}'])")
    if folded.count():
        folded.first.locator(":scope > summary").click()
    card = page.locator(f"article.claim[data-claim-id='{sixty['id']}']").first
    card.locator("input[name=claim_ids]").check()
    page.fill("#split-form input[name=reason]", "browser test: a separate strike")
    page.click("#split-form button[value=split]")
    page.wait_for_url("**/incidents/inc-split-*")
    assert page.locator("article.claim").count() == 1
    assert page.locator(f"article.claim[data-claim-id='{sixty['id']}']").count() == 1
    assert "a separate strike" in page.locator(".grade-box .reason").inner_text()
    shot(page, "09-split")
    page.goto(f"{server}/incidents/{source}")
    assert page.locator(f"article.claim[data-claim-id='{sixty['id']}']").count() == 0
    entry = page.locator("table.audit tbody tr[data-action='incident.split']").first
    entry.locator("button", has_text="Revert").click()
    page.wait_for_load_state()
    assert page.locator(f"article.claim[data-claim-id='{sixty['id']}']").count() >= 1
    context.close()
