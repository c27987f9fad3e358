"""The news dateline, one pattern for extraction and resolution: the demo corpus's
Baghdad press release, and the forms datelines take on US local news sites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tolltrace.datelines import NEWS_DATELINE, dateline_end

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo" / "documents.jsonl"


def test_the_demo_baghdad_release_opens_with_a_dateline() -> None:
    rec = next(
        json.loads(line)
        for line in DEMO.open(encoding="utf-8")
        if json.loads(line)["id"] == "re3d-a2039c1afc"
    )
    text = rec["text"]
    m = NEWS_DATELINE.search(text[:600])
    assert m is not None and m.group("place") == "BAGHDAD" and m.group("state") is None
    line = text[m.start("place") :]
    assert line[: dateline_end(line)] == "BAGHDAD - "


@pytest.mark.parametrize(
    ("opening", "place", "state"),
    [
        ("LOWELL, Mass. — ", "LOWELL", "Mass."),
        ("DAYTON, Ohio (WDTN) – ", "DAYTON", "Ohio"),
        ("PITTSBURGH (KDKA/AP) – ", "PITTSBURGH", None),
        ("ST. LOUIS • ", "ST. LOUIS", None),
        ("INDIANAPOLIS, Ind. (Feb. 20, 2014) — ", "INDIANAPOLIS", "Ind."),
        ("FRAZEE, MINN, (KFGO) - ", "FRAZEE", "MINN"),
        ("PINE BLUFF, Ark.-- ", "PINE BLUFF", "Ark."),
        ("SNOWVILLE, Box Elder County — ", "SNOWVILLE", "Box Elder County"),
    ],
)
def test_dateline_forms(opening: str, place: str, state: str | None) -> None:
    m = NEWS_DATELINE.match(opening + "Police said")
    assert m is not None and (m.group("place"), m.group("state")) == (place, state)
    assert dateline_end("  " + opening + "Police said") == len(opening) + 2


@pytest.mark.parametrize("opening", ["A K-9 unit", "The Iraq-Syria border", "U.S.-led forces"])
def test_a_hyphen_inside_a_word_is_no_dateline(opening: str) -> None:
    # (a text in capitals is never read for one: the callers skip upper-case text)
    assert dateline_end(opening) == 0
