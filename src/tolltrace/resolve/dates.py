"""Dates: a time expression -> a date range, anchored on the publication date.

Rules, in the order they are tried (``pub`` is ``Document.published``):

- "today", "this morning", "tonight" -> pub (day); "yesterday", "last night" -> pub-1
  (day); "overnight" -> pub-1..pub (range); "the day before yesterday" -> pub-2;
  "N days ago" -> pub-N (day); "N weeks ago" -> that week (week).
- Weekdays, past tense: "on Tuesday", "Friday night" -> the latest such day not after
  pub; "last Friday" -> the same, except that "last <pub's weekday>" is a week back.
- Spans: "(during|over|in) (the past|last) three days (of ...)" -> pub-3..pub
  (range); "since last Tuesday" / "since 21 October" -> that day..pub (range);
  "last week", "this week", "past week" -> pub-7..pub (week); "last month" -> the
  previous calendar month (month); "over the weekend" -> the last Saturday..Sunday.
- Explicit dates ("21 October", "Oct. 21, 2016", "3 JAN 90", "2016-10-21"): a date
  without a year takes the latest year that puts it on or before pub; ranges "11-13
  Dec", "between 11 and 19 November"; a month ("in October", "October 2016") ->
  month; a year -> year. Other wordings go to dateparser with pub as its relative
  base, preferring the past.
- No publication date: only expressions that carry their own year resolve; the rest
  keep their words and get no range (a date is never invented).

A claim with no time expression at all gets pub-7..pub with precision "week" (see
:func:`default_range`): a news report is about something that happened shortly before
it was published, and a recorder filters by that window; without pub, nothing.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from tolltrace.records import TimeRef

__all__ = ["DEFAULT_WINDOW_DAYS", "default_range", "find_time_expressions", "resolve_time"]

# Days before publication that a report without a time expression covers. A week: the
# gva-dev articles mostly appear within days of the shooting (checked on that folder).
DEFAULT_WINDOW_DAYS = 7

_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAYS.update({name.lower(): i for i, name in enumerate(calendar.day_abbr)})
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": 3,
    "few": 3,
    "couple of": 2,
}

_MON = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUM = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"several|few|couple of)"
)
_YEAR = r"(?:\d{4}|'?\d{2})"

# Expressions found in a sentence when extraction gave none (longest alternatives first).
_FIND = re.compile(
    r"\b(?:"
    rf"(?:since|from)\s+(?:last\s+)?{_WD}"
    rf"|(?:during|over|in|for)\s+(?:the\s+)?(?:past|last|previous)?\s*{_NUM}\s+(?:days?|weeks?|months?)"
    rf"|{_NUM}\s+(?:days?|weeks?)\s+(?:ago|earlier)"
    rf"|{_NUM}\s+days\s+of"
    rf"|\d{{1,2}}\s*(?:-|–|to|and)\s*\d{{1,2}}\s+{_MON}(?:\s+{_YEAR})?"
    rf"|between\s+\d{{1,2}}\s+and\s+\d{{1,2}}\s+{_MON}(?:\s+{_YEAR})?"
    rf"|\d{{1,2}}\s+{_MON}(?:\s*,?\s*{_YEAR})?"
    rf"|{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s*,\s*\d{{4}})?"
    r"|\d{4}-\d{2}-\d{2}"
    rf"|(?:last|this|on|early|late)\s+{_WD}(?:\s+(?:morning|afternoon|evening|night))?"
    rf"|{_WD}(?:\s+(?:morning|afternoon|evening|night))?"
    r"|the\s+day\s+before\s+yesterday|yesterday(?:\s+(?:morning|afternoon|evening))?"
    r"|last\s+night|overnight|tonight|today|this\s+(?:morning|afternoon|evening)"
    r"|(?:last|this|past)\s+(?:week|month|weekend)|over\s+the\s+weekend"
    r"|christmas(?:\s+(?:day|eve))?|new\s+year'?s\s+(?:day|eve)|thanksgiving"
    r"|fourth\s+of\s+july|independence\s+day|halloween"
    rf"|(?:in|during|since)\s+{_MON}(?:\s+{_YEAR})?"
    r")\b",
    re.IGNORECASE,
)


def find_time_expressions(text: str) -> list[tuple[int, int, str]]:
    """Time expressions in ``text`` as (start, end, words), in order."""
    return [(m.start(), m.end(), m.group(0)) for m in _FIND.finditer(text)]


def default_range(published: date | None) -> TimeRef:
    """The range of a claim that states no time (see the module doc)."""
    if published is None:
        return TimeRef(text=None)
    return TimeRef(
        text=None,
        date_start=published - timedelta(days=DEFAULT_WINDOW_DAYS),
        date_end=published,
        precision="week",
    )


def _num(word: str) -> int | None:
    w = word.lower().strip()
    if w.isdigit():
        return int(w)
    return _NUMBERS.get(w)


def _latest_weekday(pub: date, wd: int, *, strictly_before: bool = False) -> date:
    delta = (pub.weekday() - wd) % 7
    if delta == 0 and strictly_before:
        delta = 7
    return pub - timedelta(days=delta)


def _year(y: str) -> int:
    y = y.strip("'")
    v = int(y)
    if len(y) == 2:
        # Two-digit years: MUC datelines ("3 JAN 90") are 1900s; 00-30 read as 2000s.
        v += 2000 if v <= 30 else 1900
    return v


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _day_month(pub: date | None, day: int, month: int, year: int | None) -> date | None:
    if year is not None:
        return _safe(year, month, day)
    if pub is None:
        return None
    d = _safe(pub.year, month, day)
    if d is not None and d > pub + timedelta(days=1):
        d = _safe(pub.year - 1, month, day)
    return d


def _month_range(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _ref(text: str, a: date | None, b: date | None, precision: str) -> TimeRef:
    if a is None or b is None:
        return TimeRef(text=text)
    if b < a:
        a, b = b, a
    return TimeRef(text=text, date_start=a, date_end=b, precision=precision)


_RE_AGO = re.compile(rf"\b({_NUM})\s+(days?|weeks?)\s+(?:ago|earlier)\b", re.I)
_RE_SPAN = re.compile(
    rf"\b(?:(?:during|over|in|for)\s+(?:the\s+)?(?:(?:past|last|previous)\s+)?)?({_NUM})\s+"
    r"(days?|weeks?|months?)\b",
    re.I,
)
_RE_HOURS = re.compile(
    rf"^(?:(?:less than|more than|over|within|in|for|only|the past|the last|some|about)\s+)*"
    rf"(?:a\s+)?(?:({_NUM}|\d+)\s+)?hours?\b",
    re.I,
)
_RE_DECADE = re.compile(r"\b(1[89]\d0|20[0-2]0)'?s\b", re.I)
_RE_BARE_YEAR = re.compile(r"\b(?:early|mid|late|in|since|during)?\s*(1[89]\d\d|20\d\d)\b", re.I)
_RE_SINCE_WD = re.compile(rf"\b(?:since|from)\s+(?:last\s+)?({_WD})\b", re.I)
_RE_WD = re.compile(rf"\b(last\s+)?({_WD})\b", re.I)
_RE_RANGE_DM = re.compile(
    rf"\b(\d{{1,2}})\s*(?:-|–|to|and)\s*(\d{{1,2}})\s+({_MON})(?:\s+({_YEAR}))?\b", re.I
)
_RE_DMY = re.compile(rf"\b(\d{{1,2}})\s+({_MON})(?:\s*,?\s*({_YEAR}))?\b", re.I)
_RE_MDY = re.compile(rf"\b({_MON})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*,\s*(\d{{4}}))?\b", re.I)
_RE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_RE_MONTH = re.compile(rf"\b({_MON})(?:\s+({_YEAR}))?\b", re.I)
_RE_YEAR = re.compile(
    r"^(?:(?:in|since|during)\s+)?(\d{4})$|\b(?:in|since|during)\s+(\d{4})\b", re.I
)


def _month(word: str) -> int:
    return _MONTHS[
        word.lower().rstrip(".")[:4]
        if word.lower().startswith("sept")
        else word.lower().rstrip(".")[:3]
    ]


def resolve_time(text: str | None, published: date | None) -> TimeRef:
    """Resolve one time expression; an unresolvable one keeps its words, no range."""
    if not text:
        return default_range(published)
    t = " ".join(text.split())
    low = t.lower()
    pub = published

    m = _RE_ISO.search(t)
    if m:
        d = _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return _ref(t, d, d, "day")
    y: int | None
    m = _RE_RANGE_DM.search(t)
    if m:
        y = _year(m.group(4)) if m.group(4) else None
        mo = _month(m.group(3))
        a = _day_month(pub, int(m.group(1)), mo, y)
        b = _day_month(pub, int(m.group(2)), mo, y)
        return _ref(t, a, b, "range")
    m = _RE_DMY.search(t)
    if m:
        y = _year(m.group(3)) if m.group(3) else None
        d = _day_month(pub, int(m.group(1)), _month(m.group(2)), y)
        if "since" in low and d is not None and pub is not None:
            return _ref(t, d, pub, "range")
        return _ref(t, d, d, "day")
    m = _RE_MDY.search(t)
    if m:
        y = int(m.group(3)) if m.group(3) else None
        d = _day_month(pub, int(m.group(2)), _month(m.group(1)), y)
        if "since" in low and d is not None and pub is not None:
            return _ref(t, d, pub, "range")
        return _ref(t, d, d, "day")

    if pub is not None:
        if "day before yesterday" in low:
            d = pub - timedelta(days=2)
            return _ref(t, d, d, "day")
        if "yesterday" in low or "last night" in low:
            d = pub - timedelta(days=1)
            return _ref(t, d, d, "day")
        if "overnight" in low:
            return _ref(t, pub - timedelta(days=1), pub, "range")
        if re.search(
            r"\b(today|tonight|this (morning|afternoon|evening)|earlier in the day)\b", low
        ):
            return _ref(t, pub, pub, "day")
        if re.fullmatch(
            r"(?:(?:early|late)\s+)?(?:in\s+the\s+|at\s+)?"
            r"(?:morning|afternoon|evening|night|dawn|midnight)",
            low,
        ):
            # A time of day without a day: the last one before publication.
            return _ref(t, pub - timedelta(days=1), pub, "range")
        if re.search(r"\blast year\b", low):
            return _ref(t, date(pub.year - 1, 1, 1), date(pub.year - 1, 12, 31), "year")
        m = re.search(r"\b(last|this|past)\s+(spring|summer|fall|autumn|winter)\b", low)
        if m:
            return _season(t, m.group(1), m.group(2), pub)
        m = _RE_HOURS.search(t)
        if m and m.group(1):
            # "within hours", "less than 40 hours", "a few hours earlier": the last days.
            n = _num(m.group(1)) or 1
            return _ref(t, pub - timedelta(days=max(1, -(-n // 24))), pub, "range")
        m = _RE_AGO.search(t)
        if m:
            n = _num(m.group(1)) or 1
            if m.group(2).lower().startswith("week"):
                d = pub - timedelta(days=7 * n)
                return _ref(t, d - timedelta(days=3), d + timedelta(days=3), "week")
            d = pub - timedelta(days=n)
            return _ref(t, d, d, "day")
        m = _RE_SINCE_WD.search(t)
        if m:
            d = _latest_weekday(pub, _WEEKDAYS[m.group(1).lower()], strictly_before=True)
            return _ref(t, d, pub, "range")
        m = _RE_SPAN.search(t)
        if m and not re.search(rf"{m.group(1)}-day", low):
            n = _num(m.group(1)) or 1
            unit = m.group(2).lower()
            days = n * (7 if unit.startswith("week") else 30 if unit.startswith("month") else 1)
            return _ref(t, pub - timedelta(days=days), pub, "range")
        if re.search(r"\b(last|past|this)\s+week\b", low):
            return _ref(t, pub - timedelta(days=7), pub, "week")
        if re.search(r"\bweekend\b", low):
            sat = _latest_weekday(pub, 5)
            return _ref(t, sat, min(pub, sat + timedelta(days=1)), "range")
        if re.search(r"\blast month\b", low):
            first = pub.replace(day=1) - timedelta(days=1)
            a, b = _month_range(first.year, first.month)
            return _ref(t, a, b, "month")
        if re.search(r"\bthis month\b", low):
            return _ref(t, pub.replace(day=1), pub, "month")
        m = _RE_WD.search(t)
        if m:
            wd = _WEEKDAYS[m.group(2).lower()]
            d = _latest_weekday(pub, wd, strictly_before=bool(m.group(1)))
            return _ref(t, d, d, "day")

    m = _RE_MONTH.search(t)
    if m and re.search(rf"\b{_MON}", low):
        mo = _month(m.group(1))
        if m.group(2):
            y = _year(m.group(2))
        elif pub is not None:
            y = pub.year if mo <= pub.month else pub.year - 1
        else:
            y = None
        if y is not None:
            a, b = _month_range(y, mo)
            if "since" in low and pub is not None:
                return _ref(t, a, pub, "range")
            return _ref(t, a, b, "month")
    if pub is not None:
        m = _RE_HOLIDAY.search(t)
        if m:
            d = _holiday(m.group(0).lower(), pub)
            return _ref(t, d, d, "day")
    m = _RE_DECADE.search(t)
    if m:
        y = int(m.group(1))
        return _ref(t, date(y, 1, 1), date(y + 9, 12, 31), "range")
    m = _RE_YEAR.search(t) or (_RE_BARE_YEAR.fullmatch(t.strip()) if t else None)
    if m:
        y = int(next(g for g in m.groups() if g))
        if 1900 <= y <= 2100:
            return _ref(t, date(y, 1, 1), date(y, 12, 31), "year")
    if pub is None and not re.search(r"\b\d{4}\b", t):
        # Only an expression that carries its own year resolves without a publication
        # date (dateparser would anchor a relative one on today: an invented date).
        return TimeRef(text=t)
    if not (re.search(rf"\b{_MON}", low) or re.search(r"\b\d{1,4}[/.-]\d{1,2}\b", t)):
        # Without a month name or a numeric date ("hours later", "at 11:30 p.m.") there
        # is no date for dateparser to find; it costs ~5 ms a call to say so.
        return TimeRef(text=t)
    return _dateparser(t, pub)


_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11)}


def _season(text: str, which: str, season: str, pub: date) -> TimeRef:
    """ "last summer": the latest summer (June-August) already over at pub; "this summer"
    the one of pub's year. Winter is December to February."""
    if season == "winter":
        y = pub.year if pub.month >= 12 else pub.year - 1
        if which == "last" and pub.month <= 2:
            y -= 1
        return _ref(text, date(y, 12, 1), _month_range(y + 1, 2)[1], "range")
    first, last = _SEASONS[season]
    y = pub.year
    if which == "last" and pub.month <= last:
        y -= 1
    if date(y, first, 1) > pub:
        return TimeRef(text=text)  # a season still to come is no date of the past
    return _ref(text, date(y, first, 1), _month_range(y, last)[1], "range")


_RE_HOLIDAY = re.compile(
    r"\b(?:christmas(?:\s+(?:day|eve))?|new\s+year'?s\s+(?:day|eve)|thanksgiving|"
    r"fourth\s+of\s+july|independence\s+day|halloween|valentine'?s\s+day)\b",
    re.I,
)


def _holiday(words: str, pub: date) -> date | None:
    """The latest occurrence, on or before ``pub``, of a US holiday named in ``words``."""

    def on(y: int) -> date | None:
        if "christmas" in words:
            return date(y, 12, 24 if "eve" in words else 25)
        if "new" in words:
            return date(y, 12, 31) if "eve" in words else date(y, 1, 1)
        if "thanksgiving" in words:
            first = date(y, 11, 1)
            return first + timedelta(days=(3 - first.weekday()) % 7 + 21)
        if "july" in words or "independence" in words:
            return date(y, 7, 4)
        if "halloween" in words:
            return date(y, 10, 31)
        if "valentine" in words:
            return date(y, 2, 14)
        return None

    d = on(pub.year)
    if d is not None and d > pub:
        d = on(pub.year - 1)
    return d


def _dateparser(text: str, pub: date | None) -> TimeRef:
    import dateparser

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if pub is not None:
        settings["RELATIVE_BASE"] = datetime(pub.year, pub.month, pub.day)
    else:
        settings["REQUIRE_PARTS"] = ["year"]
    try:
        parsed = dateparser.parse(text, languages=["en", "es"], settings=settings)
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None:
        return TimeRef(text=text)
    d = parsed.date()
    if pub is not None and d > pub:
        return TimeRef(text=text)
    return _ref(text, d, d, "day")
