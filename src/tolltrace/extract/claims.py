"""First simple extractor: killed/injured figures in sentences with a casualty verb.

A placeholder for the full extractor (issue 3): digits and a few number words only.
"""

from __future__ import annotations

import re
from typing import Any

from tolltrace.records import Claim, Count, Document, stable_id

EXTRACTOR_VERSION = "tolltrace-extract/0.0.1"

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "dozens": 24}
_NUM = r"(?P<num>\d[\d,]*|" + "|".join(_WORDS) + r")"
_PAT = re.compile(
    r"(?P<qual>over |more than |at least )?" + _NUM
    + r"\s+(?:[a-z]+\s+){0,3}?(?:(?:have|had|were|was|are)\s+(?:been\s+)?)?"
    r"(?P<verb>killed|dead|injured|wounded)",
    re.IGNORECASE,
)


def extract_claims(doc: Document, nlp: Any = None) -> tuple[Claim, ...]:
    out: list[Claim] = []
    for m in _PAT.finditer(doc.text):
        raw = m.group("num").lower()
        n = _WORDS.get(raw) or int(raw.replace(",", ""))
        effect = "killed" if m.group("verb").lower() in {"killed", "dead"} else "injured"
        qual = m.group("qual")
        out.append(
            Claim(
                id=stable_id("claim", doc.id, m.start(), effect),
                document_id=doc.id,
                effect=effect,
                count=Count(n, None if qual else n, m.group(0), "min" if qual else "exact"),
                quote=m.group(0),
                start=m.start(),
                end=m.end(),
                extractor=EXTRACTOR_VERSION,
                embedded=any(s.start <= m.start() < s.end for s in doc.embedded),
            )
        )
    return tuple(out)
