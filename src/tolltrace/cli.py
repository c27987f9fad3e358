"""The command line: a thin layer over the library API.

Tables on a terminal, ``--json`` for scripts, progress on stderr (silent when stderr
is not a terminal), exit code 1 when any input failed, 2 on a usage or setup error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from tolltrace import errors
from tolltrace.export import (
    EXPORT_FORMATS,
    EXPORT_KINDS,
    PROFILES,
    export_rows,
    profile_rows,
    write_parquet,
    write_rows,
)
from tolltrace.records import Failure
from tolltrace.settings import Settings, load_settings
from tolltrace.store import Store

app = typer.Typer(
    help="tolltrace: conflict news -> a casualty-claims database you can trust.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output (logs, CI) gets wide tables instead of rich's 80-column default.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True)

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: sqlite file ./tolltrace.db; env TOLLTRACE_DB)."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
LimitOpt = Annotated[int, typer.Option("--limit", "-n", help="Rows to show (0: all).")]


def _settings(db: str | None, **overrides: Any) -> Settings:
    try:
        return load_settings({"db": db, **overrides})
    except (KeyError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _usage_error(message: str) -> NoReturn:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(2)


def _report_failure(f: Failure) -> None:
    err.print(f"[yellow]skipped[/yellow] {f.source}: {f.reason}", markup=True, highlight=False)


def _print_json(rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def _table(title: str, columns: list[str], rows: Iterable[list[Any]]) -> None:
    t = Table(title=title, show_lines=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*["" if v is None else str(v) for v in r])
    out.print(t)


def _limited(rows: Iterable[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    res = []
    for i, r in enumerate(rows):
        if limit and i >= limit:
            break
        res.append(r)
    return res


def _fig(lo: Any, hi: Any) -> str:
    if lo is None and hi is None:
        return ""
    if hi is None:
        return f"{lo}+"
    if lo is None:
        return f"≤{hi}"
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _with_best(fig: dict[str, Any], best: Any) -> str:
    """A range with the best figure beside it ("60+ (best 60)"), unless they are one."""
    text = _fig(fig["min"], fig["max"])
    if best is None or fig["min"] == fig["max"] == best:
        return text
    return f"{text} (best {best})" if text else f"(best {best})"


def _print_incidents(store: Store, as_json: bool, limit: int) -> None:
    rows = _limited(export_rows(store, "incidents"), limit)
    if as_json:
        _print_json(rows)
        return
    _table(
        f"{store.count('incidents')} incidents",
        ["id", "date", "place", "killed", "injured", "sources", "grade", "title"],
        (
            [
                r["id"],
                r["date_start"],
                (r["place"] or {}).get("name") or (r["place"] or {}).get("text"),
                _with_best(r["killed"], r["best_killed"]),
                _with_best(r["injured"], r["best_injured"]),
                r["independent_sources"],
                r["grade"],
                r["title"],
            ]
            for r in rows
        ),
    )


@app.command()
def run(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, globs, feeds or URLs.")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
    limit: LimitOpt = 20,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow fetching private addresses.")
    ] = False,
    feed_pages: Annotated[
        bool,
        typer.Option(
            "--fetch-feed-pages", help="Fetch the page of feed entries with a summary only."
        ),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler (tcp://HOST:PORT) to run stages on."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Run stages on a local Dask cluster of N.")
    ] = None,
) -> None:
    """Ingest, extract, resolve and link INPUTS; print the incidents found."""
    from tolltrace.pipeline import run as run_pipeline

    settings = _settings(
        db, allow_private_addresses=allow_private or None, fetch_feed_pages=feed_pages or None
    )
    try:
        report = run_pipeline(
            inputs, settings, on_failure=_report_failure, scheduler=scheduler, workers=workers
        )
    except errors.TolltraceError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    with Store(settings.db) as store:
        if as_json:
            _print_json(
                [
                    {
                        "documents_added": report.ingest.added,
                        "duplicates": report.ingest.duplicates,
                        "failures": [
                            {"source": f.source, "reason": f.reason} for f in report.ingest.failures
                        ],
                        "documents_processed": report.processed,
                        "claims": report.claims,
                        "incidents": report.incidents,
                        "copies": report.copies,
                        "seconds": round(report.seconds, 3),
                    }
                ]
            )
        else:
            _print_incidents(store, False, limit)
            err.print(
                f"{report.ingest.added} documents added ({report.ingest.duplicates} duplicates, "
                f"{len(report.ingest.failures)} failed), {report.processed} processed, "
                f"{report.claims} claims, {report.incidents} incidents "
                f"in {report.seconds:.1f}s -> {settings.db}"
            )
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, globs, feeds or URLs.")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow fetching private addresses.")
    ] = False,
    feed_pages: Annotated[
        bool,
        typer.Option(
            "--fetch-feed-pages", help="Fetch the page of feed entries with a summary only."
        ),
    ] = False,
) -> None:
    """Read INPUTS into the database as documents (no extraction)."""
    from tolltrace.pipeline import ingest_into

    settings = _settings(
        db, allow_private_addresses=allow_private or None, fetch_feed_pages=feed_pages or None
    )
    with Store(settings.db) as store:
        report = ingest_into(store, inputs, settings, on_failure=_report_failure)
    summary = {
        "documents_added": report.added,
        "duplicates": report.duplicates,
        "failures": [{"source": f.source, "reason": f.reason} for f in report.failures],
        "seconds": round(report.seconds, 3),
    }
    if as_json:
        _print_json([summary])
    else:
        err.print(
            f"{report.added} documents added, {report.duplicates} duplicates, "
            f"{len(report.failures)} failed -> {settings.db}"
        )
    raise typer.Exit(1 if report.failures else 0)


@app.command()
def documents(db: DbOpt = None, as_json: JsonOpt = False, limit: LimitOpt = 20) -> None:
    """List stored documents."""
    with Store(_settings(db).db) as store:
        rows = _limited(export_rows(store, "documents"), limit)
        if as_json:
            _print_json(rows)
            return
        _table(
            f"{store.count('documents')} documents",
            ["id", "published", "outlet", "title"],
            ([r["id"], r["published"], r["outlet"], r["title"]] for r in rows),
        )


@app.command()
def claims(db: DbOpt = None, as_json: JsonOpt = False, limit: LimitOpt = 20) -> None:
    """List stored casualty claims."""
    with Store(_settings(db).db) as store:
        rows = _limited(export_rows(store, "claims"), limit)
        if as_json:
            _print_json(rows)
            return
        _table(
            f"{store.count('claims')} claims",
            ["document", "effect", "figure", "victims", "place", "claimant", "stance", "quote"],
            (
                [
                    r["document_id"],
                    r["effect"],
                    _fig(r["min"], r["max"]),
                    r["victims"]["group"],
                    (r["place"] or {}).get("name") or (r["place"] or {}).get("text"),
                    (r["claimant"] or {}).get("name") or (r["claimant"] or {}).get("text"),
                    r["stance"],
                    r["quote"][:80],
                ]
                for r in rows
            ),
        )


@app.command()
def incidents(db: DbOpt = None, as_json: JsonOpt = False, limit: LimitOpt = 20) -> None:
    """List incidents with their aggregated figures and grade."""
    with Store(_settings(db).db) as store:
        _print_incidents(store, as_json, limit)


@app.command()
def incident(
    incident_id: Annotated[str, typer.Argument(help="Incident id (see `tolltrace incidents`).")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one incident: its claims side by side, copies folded under their origin."""
    from tolltrace.link.view import incident_view

    with Store(_settings(db).db) as store:
        x = store.get_incident(incident_id)
        if x is None:
            err.print(f"[red]error:[/red] no incident {incident_id!r}")
            raise typer.Exit(2)
        claims = list(store.iter_claims(incident_id=incident_id))
        doc_ids = {c.document_id for c in claims}
        every = list(store.iter_copies())
        origin = {ln.document_id: ln.origin_id for ln in every}
        origins = {origin.get(d, d) for d in doc_ids}
        copies = [ln for ln in every if ln.origin_id in origins]
        wanted = doc_ids | origins | {ln.document_id for ln in copies}
        docs = {d.id: d for d in store.iter_documents(ids=sorted(wanted))}
        view = incident_view(x, claims, docs, copies)
    if as_json:
        _print_json([view])
        return
    out.print(f"[bold]{view['title']}[/bold]  ({view['id']})", highlight=False)
    out.print(
        f"killed {_with_best(view['killed'], view['best_killed']) or '-'}, injured "
        f"{_with_best(view['injured'], view['best_injured']) or '-'}; "
        f"{view['independent_sources']} independent source(s); grade {view['grade']}: "
        f"{view['grade_reason']}" + (f"; part of {view['part_of']}" if view["part_of"] else ""),
        highlight=False,
    )
    rows = []
    for s in view["sources"]:
        for c in s["claims"]:
            rows.append(
                [
                    c["claimant"],
                    c["effect"],
                    _fig(c["min"], c["max"]),
                    c["stance"],
                    c["quote"][:120],
                    s["outlet"],
                    s["published"],
                ]
            )
        for cp in s["copies"]:
            rows.append(
                ["", "", "", "", f"  ↳ copy ({cp['similarity']})", cp["outlet"], cp["published"]]
            )
    for o in view["other_reports"]:
        rows.append(
            ["", "", "", "", f"(no figure) {o['title'] or ''}"[:120], o["outlet"], o["published"]]
        )
    _table("claims", ["claimant", "effect", "figure", "stance", "quote", "outlet", "date"], rows)


@app.command()
def export(
    kind: Annotated[str, typer.Argument(help="claims | incidents | documents | copies")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="jsonl | csv | geojson | parquet")
    ] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File (default stdout; parquet needs -o).")
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option("--profile", help="Incidents in ACLED's or UCDP GED's columns: acled | ucdp"),
    ] = None,
    db: DbOpt = None,
) -> None:
    """Write stored records as JSONL, CSV, GeoJSON or Parquet."""
    if kind not in EXPORT_KINDS:
        _usage_error(f"unknown kind {kind!r}; one of {', '.join(EXPORT_KINDS)}")
    if fmt not in EXPORT_FORMATS:
        _usage_error(f"unknown format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "parquet" and output is None:
        _usage_error("parquet is binary: give a file with -o")
    if profile is not None and (profile not in PROFILES or kind != "incidents"):
        _usage_error(f"--profile takes {' or '.join(PROFILES)} and applies to incidents")
    with Store(_settings(db).db) as store:
        rows = profile_rows(store, profile) if profile else export_rows(store, kind)
        if fmt == "parquet":
            assert output is not None
            n = write_parquet(rows, output)
        elif output is None:
            n = write_rows(rows, fmt, sys.stdout)
        else:
            with output.open("w", encoding="utf-8", newline="") as fh:
                n = write_rows(rows, fmt, fh)
        if output is not None:
            err.print(f"{n} {kind} -> {output}")


reference_app = typer.Typer(
    help="Reference events from ACLED or UCDP GED exports (docs/compare.md).",
    no_args_is_help=True,
)
app.add_typer(reference_app, name="reference")


@reference_app.command("import")
def reference_import(
    file: Annotated[Path, typer.Argument(help="An ACLED or UCDP GED export (CSV).")],
    fmt: Annotated[str, typer.Option("--format", help="acled | ucdp | auto (by header)")] = "auto",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Store FILE's events as reference events (again: updates, never duplicates)."""
    from tolltrace.reference import ReferenceFormatError, import_events, read_reference_csv

    settings = _settings(db)
    try:
        with file.open("rb") as fh, Store(settings.db) as store:
            dataset, items = read_reference_csv(fh, file.name, fmt)
            report = import_events(store, dataset, items, on_failure=_report_failure)
    except (OSError, ReferenceFormatError) as exc:
        _usage_error(str(exc))
    summary = {
        "dataset": report.dataset,
        "added": report.added,
        "updated": report.updated,
        "failures": [{"source": f.source, "reason": f.reason} for f in report.failures],
    }
    if as_json:
        _print_json([summary])
    else:
        err.print(
            f"{report.added} {dataset.upper()} events added, {report.updated} updated, "
            f"{len(report.failures)} rows skipped -> {settings.db}"
        )
    raise typer.Exit(1 if report.failures else 0)


@app.command()
def compare(
    db: DbOpt = None,
    dataset: Annotated[
        str | None, typer.Option("--dataset", help="acled | ucdp (default: every one stored)")
    ] = None,
    max_km: Annotated[float, typer.Option("--max-km", help="Farthest apart, in km.")] = 50.0,
    max_days: Annotated[int, typer.Option("--max-days", help="Largest date gap, in days.")] = 3,
    as_json: JsonOpt = False,
    limit: LimitOpt = 0,
) -> None:
    """Each incident beside its matching reference event, and the difference in killed
    (per reference dataset)."""
    from tolltrace.reference import DATASETS, compare, comparison_rows, iter_reference_events
    from tolltrace.web.queries import overlay_incidents

    if dataset is not None and dataset not in DATASETS:
        _usage_error(f"unknown dataset {dataset!r}; one of {', '.join(DATASETS)}")
    if max_km < 0 or max_days < 0:
        _usage_error("--max-km and --max-days take numbers of 0 or more")
    with Store(_settings(db).db) as store:
        refs = list(iter_reference_events(store, dataset))
        if not refs:
            _usage_error("no reference events stored: `tolltrace reference import FILE.csv`")
        with store.engine.connect() as conn:
            incidents = list(overlay_incidents(conn, store.iter_incidents()))
    # Each dataset on its own: an incident is set beside one ACLED and one UCDP event.
    every: list[dict[str, Any]] = []
    titles: list[str] = []
    for ds in sorted({r.dataset for r in refs}):
        result = compare(
            incidents, [r for r in refs if r.dataset == ds], max_km=max_km, max_days=max_days
        )
        every.extend(comparison_rows(result, dataset=ds))
        titles.append(
            f"{ds.upper()}: {len(result.pairs)} matched, {len(result.unmatched_incidents)} "
            f"incidents and {len(result.unmatched_references)} events unmatched"
        )
    rows = _limited(every, limit)
    if as_json:
        _print_json(rows)
        return
    _table(
        "; ".join(titles),
        [
            "status",
            "incident",
            "date",
            "place",
            "killed",
            "reference",
            "ref date",
            "ref place",
            "best (low-high)",
            "km",
            "days",
            "killed diff / why",
        ],
        (
            [
                r["status"],
                r.get("incident_id"),
                r.get("incident_date_start"),
                r.get("incident_place"),
                _fig(r.get("killed_min"), r.get("killed_max")),
                r.get("reference_id"),
                r.get("reference_date_start"),
                r.get("reference_place"),
                ""
                if r["status"] == "incident only"
                else f"{r.get('best')} ({_fig(r.get('low'), r.get('high'))})",
                r.get("km"),
                r.get("day_gap"),
                r.get("killed_diff", r.get("reason")),
            ]
            for r in rows
        ),
    )


@app.command("eval")
def eval_(
    gold_dirs: Annotated[
        list[Path], typer.Argument(help="Gold folders (see shared/data/FORMAT.md).")
    ],
    as_json: JsonOpt = False,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Run into this database (default: a temporary SQLite file)."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", help="First N documents of each folder.")
    ] = None,
    keep_db: Annotated[
        Path | None,
        typer.Option("--keep-db", help="Keep each folder's database as DIR/<folder>.db."),
    ] = None,
    floors: Annotated[
        Path | None,
        typer.Option("--floors", help="Score floors (eval/floors.json): exit 1 below one."),
    ] = None,
    errors_out: Annotated[
        Path | None,
        typer.Option("--errors", help="Write missed and spurious figures as JSONL here."),
    ] = None,
) -> None:
    """Run the pipeline over gold documents and score it against the gold."""
    from tolltrace.evaluate import check_floors, evaluate_dirs, format_report, load_floors

    settings = _settings(db)
    try:
        floor_spec = load_floors(floors) if floors is not None else None
        found: list[dict[str, Any]] | None = [] if errors_out is not None else None
        reports = evaluate_dirs(
            gold_dirs, settings, limit=limit, db=db, keep_dir=keep_db, errors=found
        )
        if errors_out is not None and found is not None:
            with errors_out.open("w", encoding="utf-8") as fh:
                for row in found:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    except (OSError, ValueError, errors.TolltraceError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if as_json:
        sys.stdout.write(json.dumps(reports, indent=2, default=str) + "\n")
    else:
        out.print(format_report(reports))
    if floor_spec is not None:
        failed = check_floors(reports, floor_spec)
        for f in failed:
            err.print(f"[red]below floor:[/red] {f}", highlight=False)
        if failed:
            raise typer.Exit(1)


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def bench(ctx: typer.Context) -> None:
    """Benchmark every stage (docs/s, peak memory); `tolltrace bench --help` for options."""
    from tolltrace.bench import main as bench_main

    bench_main(list(ctx.args))


gazetteer_app = typer.Typer(
    help="The offline gazetteer (see docs/resolution.md).", no_args_is_help=True
)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("add")
def gazetteer_add(
    files: Annotated[
        list[Path],
        typer.Argument(help="GeoNames dumps: IQ.txt, allCountries.txt, admin1CodesASCII.txt."),
    ],
) -> None:
    """Load GeoNames dump files into the gazetteer index (villages, sites, admin1 names)."""
    from tolltrace.resolve import add_to_gazetteer

    try:
        for f in files:
            n = add_to_gazetteer(_settings(None), f)
            err.print(f"{n} rows from {f}")
    except (OSError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


@gazetteer_app.command("lookup")
def gazetteer_lookup(name: str, as_json: JsonOpt = False) -> None:
    """Show the gazetteer entries a NAME can mean."""
    from tolltrace.resolve import gazetteer_rows

    rows = gazetteer_rows(_settings(None), name)
    if as_json:
        _print_json(rows)
    else:
        cols = ["geonameid", "name", "country", "admin1", "kind", "population", "lat", "lon"]
        _table(name, cols, ([r[c] for c in cols] for r in rows))


@app.command()
def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    public_read: Annotated[
        bool, typer.Option("--public-read", help="Anonymous visitors may read (never edit).")
    ] = False,
    workers: Annotated[int, typer.Option("--workers", help="Server processes.")] = 1,
) -> None:
    """Serve the web app and REST API (docs/web.md)."""
    from tolltrace.web.server import serve as run_server

    settings = _settings(db, web_public_read=public_read or None)
    err.print(f"tolltrace on http://{host}:{port}/ (API docs /docs) -> {settings.db}")
    run_server(settings, host, port, workers=workers)


user_app = typer.Typer(help="Web app users (roles: viewer, analyst, admin).", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    username: str,
    role: Annotated[str, typer.Option("--role", help="viewer | analyst | admin")] = "viewer",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
    token: Annotated[bool, typer.Option("--token", help="Also print a new API token.")] = False,
    db: DbOpt = None,
) -> None:
    """Add a user; asks for the password (or reads it from stdin)."""
    from tolltrace.web.users import UserError, add_user, create_token

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with Store(_settings(db).db) as store:
        try:
            user = add_user(store, username, password, role)
        except UserError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        err.print(f"user {user.username} ({user.role}) added")
        if token:
            sys.stdout.write(create_token(store, user.username) + "\n")


def _set_disabled(username: str, disabled: bool, db: str | None) -> None:
    from tolltrace.web.users import UserError, set_disabled

    with Store(_settings(db).db) as store:
        try:
            # The API's PATCH /users/{name} does the same: disabling ends the sessions.
            set_disabled(store, username, disabled)
        except UserError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    state = "disabled: their sessions ended" if disabled else "enabled"
    err.print(f"user {username} {state}")


@user_app.command("disable")
def user_disable(username: str, db: DbOpt = None) -> None:
    """Disable a user: their web sessions end, and neither their password nor their
    API tokens let them in until they are enabled again."""
    _set_disabled(username, True, db)


@user_app.command("enable")
def user_enable(username: str, db: DbOpt = None) -> None:
    """Enable a disabled user again (they log in anew)."""
    _set_disabled(username, False, db)


@user_app.command("passwd")
def user_passwd(
    username: str,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the new password from stdin.")
    ] = False,
    db: DbOpt = None,
) -> None:
    """Set a user's password (asks twice, or reads it from stdin); every web session of
    the user ends."""
    from tolltrace.web.users import UserError, set_password

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    with Store(_settings(db).db) as store:
        try:
            set_password(store, username, password)
        except UserError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    err.print(f"password of {username} set: their sessions ended")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
