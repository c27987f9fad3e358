"""Date rules (tolltrace.resolve.dates). Expressions are the wordings the issue lists,
anchored on real publication dates: the seed (RT, Tuesday 2016-10-25) and a MUC-style
dateline ("SAN SALVADOR, 3 JAN 90")."""

from __future__ import annotations

from datetime import date

import pytest

from tolltrace.records import TimeRef
from tolltrace.resolve.dates import default_range, find_time_expressions, resolve_time

SEED = date(2016, 10, 25)  # a Tuesday
MUC = date(1990, 1, 3)  # a Wednesday


@pytest.mark.parametrize(
    ("words", "pub", "start", "end", "precision"),
    [
        (
            "during three days of US-led coalition airstrikes",
            SEED,
            "2016-10-22",
            "2016-10-25",
            "range",
        ),
        ("last Friday", SEED, "2016-10-21", "2016-10-21", "day"),
        ("on Tuesday", SEED, "2016-10-25", "2016-10-25", "day"),
        ("since last Tuesday", SEED, "2016-10-18", "2016-10-25", "range"),
        ("on Sunday", SEED, "2016-10-23", "2016-10-23", "day"),
        ("a week ago", SEED, "2016-10-15", "2016-10-21", "week"),
        ("yesterday", MUC, "1990-01-02", "1990-01-02", "day"),
        ("YESTERDAY AFTERNOON", MUC, "1990-01-02", "1990-01-02", "day"),
        ("2 DAYS AGO", MUC, "1990-01-01", "1990-01-01", "day"),
        ("ON 30 DECEMBER", MUC, "1989-12-30", "1989-12-30", "day"),  # year rolls back
        ("3 JAN 90", None, "1990-01-03", "1990-01-03", "day"),
        ("overnight", SEED, "2016-10-24", "2016-10-25", "range"),
        ("today", MUC, "1990-01-03", "1990-01-03", "day"),
        ("21 Oct", SEED, "2016-10-21", "2016-10-21", "day"),
        ("Oct. 22", SEED, "2016-10-22", "2016-10-22", "day"),
        ("between 11-13 Dec", SEED, "2015-12-11", "2015-12-13", "range"),
        ("in October", SEED, "2016-10-01", "2016-10-31", "month"),
        ("last month", SEED, "2016-09-01", "2016-09-30", "month"),
        ("in 2015", SEED, "2015-01-01", "2015-12-31", "year"),
        ("October 21, 2016", None, "2016-10-21", "2016-10-21", "day"),
        ("on Christmas Day", date(2015, 12, 26), "2015-12-25", "2015-12-25", "day"),
        ("late night", SEED, "2016-10-24", "2016-10-25", "range"),
        ("less than 40 hours", MUC, "1990-01-01", "1990-01-03", "range"),
        ("only a few hours", MUC, "1990-01-02", "1990-01-03", "range"),
        ("late 1976", SEED, "1976-01-01", "1976-12-31", "year"),
        ("the early 1970's", SEED, "1970-01-01", "1979-12-31", "range"),
        ("last year", SEED, "2015-01-01", "2015-12-31", "year"),
        ("last summer", SEED, "2016-06-01", "2016-08-31", "range"),
        ("last summer", date(2016, 3, 11), "2015-06-01", "2015-08-31", "range"),
    ],
)
def test_rules(words: str, pub: date | None, start: str, end: str, precision: str) -> None:
    r = resolve_time(words, pub)
    assert r == TimeRef(words, date.fromisoformat(start), date.fromisoformat(end), precision)


@pytest.mark.parametrize("words", ["last Friday", "yesterday", "this week", "three days"])
def test_no_publication_date_invents_nothing(words: str) -> None:
    assert resolve_time(words, None) == TimeRef(words)


def test_unresolvable_keeps_words() -> None:
    assert resolve_time("in the hours that followed", SEED) == TimeRef("in the hours that followed")


def test_three_day_ceasefire_is_not_a_span() -> None:
    # Seed: "after a three-day unilateral ceasefire was derailed" names a duration only.
    assert resolve_time("a three-day unilateral ceasefire", SEED).date_start is None


def test_default_window() -> None:
    assert default_range(SEED) == TimeRef(None, date(2016, 10, 18), SEED, "week")
    assert default_range(None) == TimeRef(None)


def test_find_in_seed_sentence(seed_text: str) -> None:
    sentence = next(s for s in seed_text.split("\n") if s.startswith("Rudskoy said"))
    found = [w for _s, _e, w in find_time_expressions(sentence)]
    assert "since last Tuesday" in found
    assert "on Sunday" in found
