"""Presenting evaluation reports (a rich table per gold folder) and checking them
against recorded score floors (the CI gate)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table

__all__ = [
    "FloorFailure",
    "check_floors",
    "format_report",
    "load_floors",
    "metric",
    "pool_claims",
]


def _f(x: Any) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.3f}"
    return str(x)


def _rate(x: Any) -> str:
    return "–" if x is None else f"{float(x):.1f}"


def _prf_row(t: Table, label: str, d: Mapping[str, Any] | None, detail: str = "") -> None:
    if d is None:
        return
    t.add_row(label, _f(d.get("precision")), _f(d.get("recall")), _f(d.get("f1")), detail)


def _share_row(t: Table, label: str, d: Mapping[str, Any] | None) -> None:
    if d is None:
        return
    t.add_row(label, "", "", _f(d.get("share")), f"{d.get('correct')}/{d.get('scored')}")


def _folder_table(r: Mapping[str, Any]) -> Table:
    tp = r.get("throughput") or {}
    title = (
        f"{r['folder']}: {r['documents_evaluated']} of {r['documents_total']} documents"
        f" · {_rate(tp.get('docs_per_second'))} docs/s ({_rate(tp.get('seconds'))} s)"
    )
    t = Table(title=title, title_justify="left")
    t.add_column("metric", no_wrap=True)
    t.add_column("P", justify="right")
    t.add_column("R", justify="right")
    t.add_column("F1|share", justify="right")
    t.add_column("counts (tp/pred/gold; right/scored)", overflow="fold")
    claims = r.get("claims") or {}
    for effect in ("killed", "injured", "all"):
        d = claims.get(effect)
        if d:
            _prf_row(t, f"figures {effect}", d, f"{d['tp']}/{d['predicted']}/{d['gold']}")
    fa = claims.get("found_any")
    if fa:
        t.add_row(
            "gold figures found at all", "", "", _f(fa.get("share")), f"{fa['found']}/{fa['gold']}"
        )
    slots = r.get("slots") or {}
    if slots:
        t.add_section()
        t.add_row(f"slots of {slots['matched_gold_claims']} matched", "", "", "", slots["geocoder"])
        for name in ("place", "country", "date", "perpetrator", "victims"):
            _share_row(t, f"  {name}", slots.get(name))
    inc = r.get("incidents")
    if inc:
        t.add_section()
        _prf_row(t, "incidents B³", inc["b3"], f"{inc['documents']} documents")
        pw = inc["pairwise"]
        _prf_row(t, "incidents pairwise", pw, f"{pw['tp']}/{pw['predicted']}/{pw['gold']} pairs")
        t.add_row(
            "incidents pred/gold",
            "",
            "",
            _f(inc["ratio"]),
            f"{inc['predicted_incidents']}/{inc['gold_incidents']}, "
            f"{inc['unlinked_documents']} docs in none",
        )
        fig = inc["figures"]
        t.add_row("incident figures = gold", "", "", _f(fig["both"]), "killed and injured")
        t.add_row("  killed", "", "", _f(fig["killed"]), "")
        t.add_row("  injured", "", "", _f(fig["injured"]), f"{fig['matched']} matched")
    notes = []
    if r.get("failures"):
        notes.append(f"{r['failures']} documents failed to ingest")
    if r.get("documents_unmatched"):
        notes.append(f"{r['documents_unmatched']} gold documents not stored under their id")
    if notes:
        t.caption = "; ".join(notes)
    return t


def pool_claims(reports: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The figure scores of several folders pooled (micro-averaged from their counts),
    as in "recall over MUC-4 tst1 + tst2"."""
    from tolltrace.evaluate.metrics import prf

    out: dict[str, Any] = {}
    for effect in ("killed", "injured", "all"):
        parts = [(r.get("claims") or {}).get(effect) or {} for r in reports]
        out[effect] = prf(
            sum(p.get("tp", 0) for p in parts),
            sum(p.get("predicted", 0) for p in parts),
            sum(p.get("gold", 0) for p in parts),
        ).as_dict()
    found = [(r.get("claims") or {}).get("found_any") or {} for r in reports]
    n_found, n_gold = sum(f.get("found", 0) for f in found), sum(f.get("gold", 0) for f in found)
    out["found_any"] = {
        "found": n_found,
        "gold": n_gold,
        "share": round(n_found / n_gold, 4) if n_gold else None,
    }
    return out


def _summary_table(reports: Sequence[Mapping[str, Any]]) -> Table:
    t = Table(
        title="summary (F1 of figures, recall of all figures; share of gold figures found; B³ F1)",
        title_justify="left",
    )
    for name in ("folder", "docs", "docs/s", "killed", "injured", "all", "all R", "found", "B³"):
        t.add_column(name, justify="left" if name == "folder" else "right", overflow="fold")

    def row(label: str, docs: int, rate: Any, c: Mapping[str, Any], b3: Any) -> None:
        t.add_row(
            label,
            str(docs),
            _rate(rate),
            _f((c.get("killed") or {}).get("f1")),
            _f((c.get("injured") or {}).get("f1")),
            _f((c.get("all") or {}).get("f1")),
            _f((c.get("all") or {}).get("recall")),
            _f((c.get("found_any") or {}).get("share")),
            _f(b3),
        )

    by_dataset: dict[str, list[Mapping[str, Any]]] = {}
    for r in reports:
        tp = r.get("throughput") or {}
        b3 = ((r.get("incidents") or {}).get("b3") or {}).get("f1")
        row(
            str(r["folder"]),
            r["documents_evaluated"],
            tp.get("docs_per_second"),
            r.get("claims") or {},
            b3,
        )
        if r.get("dataset"):
            by_dataset.setdefault(str(r["dataset"]), []).append(r)
    # Folders of one dataset pooled: the aims are stated over such unions.
    for group in by_dataset.values():
        if len(group) < 2:
            continue
        docs = sum(int(r["documents_evaluated"]) for r in group)
        secs = sum(float((r.get("throughput") or {}).get("seconds") or 0.0) for r in group)
        label = " + ".join(str(r["folder"]) for r in group)
        row(label, docs, docs / secs if secs > 0 else None, pool_claims(group), None)
    return t


def format_report(reports: Sequence[Mapping[str, Any]]) -> Group:
    """One table per gold folder, and a summary row per folder when there are several,
    for a terminal (``rich``)."""
    tables = [_folder_table(r) for r in reports]
    if len(reports) > 1:
        tables.append(_summary_table(reports))
    return Group(*tables)


# -- floors ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FloorFailure:
    folder: str
    metric: str
    value: float | None
    floor: float

    def __str__(self) -> str:
        shown = "missing" if self.value is None else f"{self.value:.4f}"
        return f"{self.folder}: {self.metric} = {shown} is below its floor {self.floor:.4f}"


def load_floors(path: Path) -> dict[str, Any]:
    """Read a floors file (``eval/floors.json``); see docs/evaluation.md for its shape."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("folders"), dict):
        raise ValueError(f"{path}: expected an object with a 'folders' object")
    return data


def metric(report: Mapping[str, Any], path: str) -> float | None:
    """The value at a dotted path of a report ("claims.killed.f1"), ``None`` if absent."""
    node: Any = report
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    if isinstance(node, bool) or not isinstance(node, int | float):
        return None
    return float(node)


def check_floors(
    reports: Sequence[Mapping[str, Any]], floors: Mapping[str, Any]
) -> list[FloorFailure]:
    """Every floored metric below its floor (or missing) in the reports of the folders
    the floors name; folders not evaluated are not checked."""
    failures: list[FloorFailure] = []
    spec = floors.get("folders", {})
    for r in reports:
        entry = spec.get(r["folder"])
        if not entry:
            continue
        for path, floor in sorted((entry.get("floors") or {}).items()):
            value = metric(r, path)
            # A tiny epsilon: a score that merely reprints its floor must not fail on
            # float rounding.
            if value is None or value + 1e-9 < float(floor):
                failures.append(FloorFailure(r["folder"], path, value, float(floor)))
    return failures
