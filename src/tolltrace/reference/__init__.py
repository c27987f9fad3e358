"""Reference data: events from ACLED or UCDP GED exports a user has, and tolltrace's
incidents compared with them (docs/compare.md).

- :func:`read_reference_csv`: an export's rows -> :class:`ReferenceEvent` (or a Failure
  per unreadable row);
- :func:`import_events` / :func:`iter_reference_events`: the ``reference_events`` table;
- :func:`compare`: incidents beside events (pure; no database), flattened by
  :func:`comparison_rows`.
"""

from __future__ import annotations

from tolltrace.reference.events import DATASETS, ReferenceEvent
from tolltrace.reference.match import (
    MAX_DAYS,
    MAX_KM,
    Comparison,
    Pair,
    compare,
    comparison_rows,
)
from tolltrace.reference.read import (
    ReferenceFormatError,
    country_code,
    detect_format,
    parse_date,
    read_reference_csv,
)
from tolltrace.reference.storage import (
    ImportReport,
    count_reference_events,
    import_events,
    iter_reference_events,
)

__all__ = [
    "DATASETS",
    "MAX_DAYS",
    "MAX_KM",
    "Comparison",
    "ImportReport",
    "Pair",
    "ReferenceEvent",
    "ReferenceFormatError",
    "compare",
    "comparison_rows",
    "count_reference_events",
    "country_code",
    "detect_format",
    "import_events",
    "iter_reference_events",
    "parse_date",
    "read_reference_csv",
]
