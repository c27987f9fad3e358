#!/usr/bin/env python
"""The evaluation gate of CI: evaluate the gold folders named in eval/floors.json and
exit 1 when any recorded score drops below its floor.

    python scripts/eval_gate.py                      # the gate (make gate, .ci/run)
    python scripts/eval_gate.py --write-floors       # re-record floors from this run

The gold data is read in place from ``TOLLTRACE_GOLD_DIR``, else ``../shared/data``
next to the repository. Where it is missing (a machine without the shared data) the
gate says so and exits 0. See docs/evaluation.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ROOT / "eval" / "floors.json"

# Metrics a floor is recorded for when --write-floors re-records them (dotted paths
# into a folder's report). Recall and F1, not precision alone: an extractor that finds
# more figures may trade a little precision for recall, and F1 still catches a flood of
# false figures. A metric the report leaves empty, or whose floor would be 0, gets none.
FLOORED = (
    "claims.killed.recall",
    "claims.killed.f1",
    "claims.injured.recall",
    "claims.injured.f1",
    "claims.all.f1",
    "claims.found_any.share",
    "slots.place.share",
    "slots.country.share",
    "slots.date.share",
    "slots.perpetrator.share",
    "slots.victims.share",
    "incidents.b3.f1",
    "incidents.pairwise.f1",
    "incidents.figures.both",
)


def gold_root(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    env = os.environ.get("TOLLTRACE_GOLD_DIR")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def base_count(report: dict[str, Any], path: str) -> float | None:
    """How many items the score at ``path`` is a share of (gold triples for a figure
    recall or F1, scored claims for a slot, documents for incident grouping)."""
    from tolltrace.evaluate import metric

    head = path.rpartition(".")[0]
    if head.startswith("claims.") and head != "claims.found_any":
        return metric(report, f"{head}.gold")
    if head == "claims.found_any":
        return metric(report, "claims.found_any.gold")
    if head.startswith("slots."):
        return metric(report, f"{head}.scored")
    if head.startswith("incidents."):
        return metric(report, "incidents.gold_incidents")
    return None


def floor_of(value: float, margin: float, n: float | None = None) -> float:
    """A floor a bit under a measured score: ``margin`` below it, or two items below it
    when the score is a share of ``n`` items and 2/n is more (a score of 24 scored
    claims moves by 0.04 a claim: the floor must not trip on one), rounded down to two
    decimals, never negative."""
    if n:
        margin = max(margin, 2.0 / n)
    return max(0.0, math.floor((value - margin) * 100) / 100)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--floors", type=Path, default=FLOORS, help="floors file (eval/floors.json)")
    ap.add_argument(
        "--gold", help="folder of gold folders (default TOLLTRACE_GOLD_DIR or ../shared/data)"
    )
    ap.add_argument("--json", type=Path, help="also write the reports as JSON to this file")
    ap.add_argument(
        "--write-floors",
        action="store_true",
        help="record new floors from this run (margin below each score)",
    )
    ap.add_argument(
        "--margin",
        type=float,
        default=0.03,
        help="with --write-floors: how far under the measured score (default 0.03)",
    )
    ap.add_argument(
        "--reports",
        type=Path,
        help="check (or --write-floors from) reports saved with --json instead of running",
    )
    args = ap.parse_args(argv)

    root = gold_root(args.gold)
    if not root.is_dir():
        print(f"eval gate: no gold data at {root} (set TOLLTRACE_GOLD_DIR); skipping.")
        return 0

    from rich.console import Console

    from tolltrace.evaluate import check_floors, evaluate_dirs, format_report, load_floors
    from tolltrace.settings import load_settings

    spec = load_floors(args.floors)
    folders: dict[str, Any] = spec["folders"]
    present = [name for name in folders if (root / name / "documents.jsonl").is_file()]
    for name in folders:
        if name not in present:
            print(f"eval gate: no gold folder {root / name}; skipping it.")
    if not present:
        print("eval gate: none of the floored folders is present; skipping.")
        return 0

    limits = {name: folders[name].get("limit") for name in present}
    if args.reports:
        saved = json.loads(args.reports.read_text(encoding="utf-8"))
        reports = [r for r in saved if r["folder"] in limits]
        for r in reports:
            if r.get("limit") != limits[r["folder"]]:
                print(
                    f"eval gate: {args.reports} has {r['folder']} with limit {r.get('limit')}, "
                    f"the floors want {limits[r['folder']]}."
                )
                return 2
    else:
        reports = evaluate_dirs([root / name for name in present], load_settings(), limits=limits)
    Console(soft_wrap=True).print(format_report(reports))
    if args.json:
        args.json.write_text(json.dumps(reports, indent=2, default=str) + "\n", encoding="utf-8")

    if args.write_floors:
        from tolltrace.evaluate import metric

        for r in reports:
            floors = {}
            for path in FLOORED:
                value = metric(r, path)
                if value is None:
                    continue
                floor = floor_of(value, args.margin, base_count(r, path))
                if floor > 0:
                    floors[path] = floor
            folders[r["folder"]]["floors"] = floors
        args.floors.write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
        print(f"eval gate: floors written to {args.floors}")
        return 0

    failures = check_floors(reports, spec)
    seconds = sum(r["throughput"]["seconds"] for r in reports)
    docs = sum(r["documents_evaluated"] for r in reports)
    for f in failures:
        print(f"eval gate: FAIL {f}")
    if failures:
        print(f"eval gate: {len(failures)} score(s) below their floor.")
        return 1
    print(f"eval gate: every score at or above its floor ({docs} documents, {seconds:.0f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
