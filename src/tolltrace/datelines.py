"""News datelines: "LOWELL, Mass. —", "DAYTON, Ohio (WDTN) –", "PITTSBURGH (KDKA/AP) –",
"ST. LOUIS •", "INDIANAPOLIS, Ind. (Feb. 20, 2014) —", "FRAZEE, MINN, (KFGO) -".

One pattern for the two stages that must know them: extraction (a dateline is neither
a victim nor the claimant, though the parse may take it for a subject) and resolution
(its town is where the story was filed, usually where it happened). MUC-4's wire
datelines ("SAN SALVADOR, 5 JAN 90 (RADIO CADENA ...) --") are resolution's own.
"""

from __future__ import annotations

import re

__all__ = ["NEWS_DATELINE", "dateline_end"]

NEWS_DATELINE = re.compile(
    # The page title is often glued to the dateline: "FOX6Now.comMILWAUKEE --".
    r"(?:^|[\s\n]|(?<=[a-z0-9]))(?P<place>[A-Z][A-Z.'’\-]+(?:\s[A-Z][A-Z.'’\-]+){0,3})"
    # the state, or a county: "SNOWVILLE, Box Elder County —"
    r"(?:,\s*(?P<state>[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+){0,2}),?)?[{}]*\s*"
    r"(?:\((?P<agency>[^()\n]{1,30})\)\s*)?(?:—|–|•|--|-)\s?(?=[A-Z\s]|$)"
)


def dateline_end(sentence: str) -> int:
    """The offset just past a news dateline that opens ``sentence``; 0 without one."""
    # (matched on the stripped text: "^" holds only at the real start of a string)
    lead = len(sentence) - len(sentence.lstrip())
    m = NEWS_DATELINE.match(sentence[lead:])
    return lead + m.end() if m is not None else 0
