"""Evaluation: run the pipeline over gold folders (``../shared/data/FORMAT.md``) and
score what it stored. What ``tolltrace eval`` calls; see docs/evaluation.md.

Public API::

    reports = evaluate_dirs([Path("../shared/data/muc4-tst1")], load_settings())
    print(format_report(reports))          # or json.dumps(reports)
    failures = check_floors(reports, load_floors(Path("eval/floors.json")))
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from tolltrace.evaluate.gold import GoldSet, gold_folders, read_gold
from tolltrace.evaluate.metrics import normalize_name
from tolltrace.evaluate.report import (
    FloorFailure,
    check_floors,
    format_report,
    load_floors,
    metric,
)
from tolltrace.evaluate.runner import Predictions, run_pipeline
from tolltrace.evaluate.score import (
    Geocoder,
    claim_errors,
    score_claims,
    score_incidents,
    score_slots,
)
from tolltrace.resources import Resources
from tolltrace.settings import Settings
from tolltrace.store import Store

__all__ = [
    "FloorFailure",
    "check_floors",
    "equivalent_words",
    "evaluate_dir",
    "evaluate_dirs",
    "format_report",
    "gold_folders",
    "load_floors",
    "make_geocoder",
    "metric",
    "read_gold",
    "score",
    "stopwords",
]

# Gazetteer kinds whose centre stands for the place: a gold province or country is
# matched by name (or admin1), never by distance to its centroid.
_POINT_KINDS = frozenset({"city", "site", "county"})
# Candidates kept per gold place name: ambiguous names ("San Pedro") stay ambiguous,
# but a prediction must still be near one of the likelier ones.
_MAX_CANDIDATES = 10


def stopwords() -> frozenset[str]:
    """English stop words (spaCy's list: no model needed) for the token-overlap slots."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def equivalent_words() -> dict[str, str]:
    """Word -> the word standing for its group, from data/evaluate/equivalent_words.txt."""
    from importlib import resources

    text = (resources.files("tolltrace") / "data" / "evaluate" / "equivalent_words.txt").read_text(
        encoding="utf-8"
    )
    canon: dict[str, str] = {}
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        for w in words:
            canon[w.lower()] = words[0].lower()
    return canon


def make_geocoder(gazetteer: Any) -> Geocoder | None:
    """Geocode gold place strings ("Spanish Fork, Utah") with the project's gazetteer.

    Used defensively: any object with ``lookup(name) -> entries`` (entries carrying
    ``lat``, ``lon``, ``country``, ``admin1``, ``kind``) will do; without one the place
    slot is scored by name only.
    """
    lookup = getattr(gazetteer, "lookup", None)
    if not callable(lookup):
        return None

    def geocode(place: str, country: str | None) -> list[tuple[float, float]]:
        parts = [p.strip() for p in place.split(",") if p.strip()]
        if not parts:
            return []
        entries = [
            e
            for e in lookup(parts[0])
            if getattr(e, "lat", None) is not None
            and getattr(e, "lon", None) is not None
            and getattr(e, "kind", "city") in _POINT_KINDS
            and (not country or (getattr(e, "country", None) or "").upper() == country.upper())
        ]
        if len(parts) > 1:
            # "Springfield, Oregon": never a Springfield of another state; an entry whose
            # state the gazetteer does not know is kept.
            region = normalize_name(parts[1])
            entries = [
                e for e in entries if normalize_name(getattr(e, "admin1", None)) in {region, ""}
            ]
        return [(float(e.lat), float(e.lon)) for e in entries[:_MAX_CANDIDATES]]

    return geocode


def score(
    gold: GoldSet,
    pred: Predictions,
    *,
    stop: Collection[str] | None = None,
    geocoder: Geocoder | None = None,
) -> dict[str, Any]:
    """Every score of one folder (without the run's bookkeeping)."""
    stop = stopwords() if stop is None else stop
    return {
        "claims": score_claims(gold, pred),
        "slots": score_slots(gold, pred, stop, geocoder, equivalent_words()),
        "incidents": score_incidents(gold, pred),
    }


def _rounded(x: float) -> float:
    return round(x, 3)


def evaluate_dir(
    folder: Path,
    settings: Settings,
    *,
    resources: Resources | None = None,
    limit: int | None = None,
    store: Store | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Run the pipeline over one gold folder and score it.

    The run goes into ``store`` when given, else into a SQLite file in a temporary
    folder that is removed afterwards. ``limit`` keeps the first N documents. With
    ``errors``, the figure errors (missed and spurious triples) are appended to it.
    """
    resources = resources or Resources(settings)
    gold = read_gold(Path(folder), limit)
    t0 = time.perf_counter()
    # Load the heavy resources before the clock starts: throughput is per document.
    _ = resources.nlp
    gazetteer = resources.gazetteer
    load_s = time.perf_counter() - t0
    if store is not None:
        pred = run_pipeline(str(gold.documents_path), settings, store, resources, limit)
    else:
        with tempfile.TemporaryDirectory(prefix="tolltrace-eval-") as tmp:
            tmp_store = Store(f"sqlite:///{Path(tmp) / 'eval.db'}")
            try:
                pred = run_pipeline(str(gold.documents_path), settings, tmp_store, resources, limit)
            finally:
                tmp_store.close()
    n_docs = len(gold.doc_ids)
    total = pred.seconds.get("total", 0.0)
    report: dict[str, Any] = {
        "folder": gold.name,
        "path": str(gold.path),
        "dataset": gold.dataset,
        "limit": limit,
        "documents_total": gold.total_documents,
        "documents_evaluated": n_docs,
        "failures": len(pred.failures),
        # Gold documents the run stored under no id of theirs (ingest gave them another
        # id, or dropped them without a failure): their gold can never be matched.
        "documents_unmatched": sum(1 for d in gold.doc_ids if d not in pred.stored_id),
        "duplicates": pred.duplicates,
        "gold_claims": len(gold.claims),
        "gold_incidents": len(gold.incidents),
        "throughput": {
            "documents": n_docs,
            "seconds": _rounded(total),
            "docs_per_second": round(n_docs / total, 2) if total > 0 else None,
            "ingest_seconds": _rounded(pred.seconds.get("ingest", 0.0)),
            "extract_seconds": _rounded(pred.seconds.get("extract", 0.0)),
            "link_seconds": _rounded(pred.seconds.get("link", 0.0)),
            "load_seconds": _rounded(load_s),
        },
    }
    report.update(score(gold, pred, geocoder=make_geocoder(gazetteer)))
    if errors is not None:
        errors.extend(claim_errors(gold, pred))
    return report


def evaluate_dirs(
    gold_dirs: Sequence[Path],
    settings: Settings,
    *,
    limit: int | None = None,
    limits: dict[str, int | None] | None = None,
    db: str | None = None,
    keep_dir: Path | None = None,
    resources: Resources | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Evaluate every gold folder, one report (a JSON-ready dict) per folder.

    Each folder runs in its own fresh SQLite database: a temporary one, or
    ``keep_dir/<folder>.db`` (replaced if present) to inspect afterwards, or the
    database at URL ``db`` shared by all folders (documents already processed there by
    this extractor version are not processed again, so the throughput then covers the
    new ones only). ``limits`` gives a per-folder limit (by folder name) over ``limit``.
    ``errors`` collects every folder's figure errors (see ``evaluate_dir``).
    """
    resources = resources or Resources(settings)
    reports = []
    for folder in gold_folders(gold_dirs):
        name = Path(folder).resolve().name
        n = (limits or {}).get(name, limit)
        if db is not None:
            with Store(db) as store:
                reports.append(
                    evaluate_dir(
                        folder, settings, resources=resources, limit=n, store=store, errors=errors
                    )
                )
        elif keep_dir is not None:
            keep_dir.mkdir(parents=True, exist_ok=True)
            path = keep_dir / f"{name}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            with Store(f"sqlite:///{path}") as store:
                report = evaluate_dir(
                    folder, settings, resources=resources, limit=n, store=store, errors=errors
                )
            report["db"] = f"sqlite:///{path}"
            reports.append(report)
        else:
            reports.append(
                evaluate_dir(folder, settings, resources=resources, limit=n, errors=errors)
            )
    return reports
