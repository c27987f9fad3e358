"""Ingest as a background job: URLs, feeds or uploaded files run through the pipeline
(ingest, extract, resolve, link) while the web app keeps answering.

One job at a time per server process (a single worker thread): the pipeline is the
database's single writer. Job status is kept in the ``jobs`` table (revision 0005), so
the status endpoint answers after a restart and from every worker process. A running
job's process stamps a heartbeat every few seconds; a queued or running job whose
heartbeat stopped (its server ended) is shown as failed ("interrupted").
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy import delete, insert, select, update

from tolltrace.records import Failure
from tolltrace.store import Store
from tolltrace.web.deps import AuthContext, api_reader, require
from tolltrace.web.tables import jobs as JOBS

__all__ = ["JobRunner", "router"]

router = APIRouter(prefix="/api/v1", tags=["ingest"])

JobState = Literal["queued", "running", "done", "failed"]
# Largest upload accepted, all files of one job together.
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
_KEEP_JOBS = 1000  # finished jobs kept in the table
HEARTBEAT_SECONDS = 5.0
# A queued or running job whose heartbeat is older than this was interrupted.
STALE_SECONDS = 60.0


@dataclass
class Job:
    id: str
    user: str
    inputs: list[str]
    state: JobState = "queued"
    created: float = field(default_factory=time.time)
    finished: float | None = None
    result: dict[str, Any] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)
    error: str | None = None
    tmpdir: str | None = None

    def shown_inputs(self) -> list[str]:
        """Inputs as shown: uploads by their file name, not the server's path."""
        return [
            Path(i).name if self.tmpdir and i.startswith(self.tmpdir) else i for i in self.inputs
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user": self.user,
            "inputs": self.shown_inputs(),
            "state": self.state,
            "created": self.created,
            "finished": self.finished,
            "result": self.result,
            "failures": self.failures[:100],
            "error": self.error,
            "links": {"self": f"/api/v1/jobs/{self.id}"},
        }


def _save(store: Store, job: Job, *, new: bool = False) -> None:
    values = {
        "state": job.state,
        "finished": job.finished,
        "heartbeat": time.time(),
        "result": job.result,
        "failures": job.failures[:100],
        "error": job.error,
    }
    with store.engine.begin() as conn:
        if new:
            conn.execute(
                insert(JOBS).values(
                    id=job.id,
                    username=job.user,
                    inputs=job.shown_inputs(),
                    created=job.created,
                    **values,
                )
            )
            old = conn.execute(
                select(JOBS.c.id)
                .where(JOBS.c.state.in_(["done", "failed"]))
                .order_by(JOBS.c.created.desc())
                .offset(_KEEP_JOBS)
            ).scalars()
            ids = list(old)
            if ids:
                conn.execute(delete(JOBS).where(JOBS.c.id.in_(ids)))
        else:
            conn.execute(update(JOBS).where(JOBS.c.id == job.id).values(**values))


def _row_json(r: Any, now: float) -> dict[str, Any]:
    state, error = r.state, r.error
    if state in {"queued", "running"} and now - r.heartbeat > STALE_SECONDS:
        state, error = "failed", "interrupted: the server stopped before the job finished"
    return {
        "id": r.id,
        "user": r.username,
        "inputs": list(r.inputs),
        "state": state,
        "created": r.created,
        "finished": r.finished,
        "result": dict(r.result),
        "failures": list(r.failures),
        "error": error,
        "links": {"self": f"/api/v1/jobs/{r.id}"},
    }


def job_json(store: Store, job_id: str) -> dict[str, Any] | None:
    with store.engine.connect() as conn:
        r = conn.execute(select(JOBS).where(JOBS.c.id == job_id)).first()
    return None if r is None else _row_json(r, time.time())


def recent_jobs(store: Store, limit: int = 200) -> list[dict[str, Any]]:
    now = time.time()
    with store.engine.connect() as conn:
        rows = conn.execute(select(JOBS).order_by(JOBS.c.created.desc()).limit(limit))
        return [_row_json(r, now) for r in rows]


class JobRunner:
    """Runs jobs one after another on a worker thread; the spaCy model and gazetteer
    are loaded on the first job and kept. Status goes to the ``jobs`` table."""

    def __init__(self, app_state: Any) -> None:
        self.state = app_state
        self.jobs: dict[str, Job] = {}  # this process's queued and running jobs
        self.lock = threading.Lock()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tolltrace-job")
        self._resources: Any = None
        self._stop = threading.Event()
        self._beat = threading.Thread(target=self._heartbeat, name="tolltrace-job-beat")
        self._beat.daemon = True
        self._beat.start()

    @property
    def store(self) -> Store:
        s: Store = self.state.store
        return s

    def _heartbeat(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            with self.lock:
                ids = list(self.jobs)
            if not ids:
                continue
            try:
                with self.store.engine.begin() as conn:
                    conn.execute(
                        update(JOBS).where(JOBS.c.id.in_(ids)).values(heartbeat=time.time())
                    )
            except Exception:  # a missed beat is retried; the job itself goes on
                continue

    def submit(self, user: str, inputs: list[str], tmpdir: str | None = None) -> Job:
        job = Job(uuid.uuid4().hex[:16], user, inputs, tmpdir=tmpdir)
        _save(self.store, job, new=True)
        with self.lock:
            self.jobs[job.id] = job
        self.executor.submit(self._run, job)
        return job

    def _run(self, job: Job) -> None:
        from tolltrace.pipeline import run
        from tolltrace.resources import Resources

        job.state = "running"
        _save(self.store, job)
        settings = self.state.settings

        def failed(f: Failure) -> None:
            job.failures.append({"source": f.source, "reason": f.reason})

        try:
            if self._resources is None:
                self._resources = Resources(settings)
            report = run(
                job.inputs,
                settings,
                store=self.state.store,
                resources=self._resources,
                on_failure=failed,
            )
            job.result = {
                "documents_added": report.ingest.added,
                "duplicates": report.ingest.duplicates,
                "documents_processed": report.processed,
                "claims": report.claims,
                "incidents": report.incidents,
                "copies": report.copies,
                "seconds": round(report.seconds, 3),
            }
            job.state = "done"
        except Exception as exc:
            job.state = "failed"
            job.error = f"{exc.__class__.__name__}: {exc}"
        finally:
            job.finished = time.time()
            if job.tmpdir:
                shutil.rmtree(job.tmpdir, ignore_errors=True)
            try:
                _save(self.store, job)
            finally:
                with self.lock:
                    self.jobs.pop(job.id, None)

    def shutdown(self) -> None:
        self._stop.set()
        self.executor.shutdown(wait=False, cancel_futures=True)


def _runner(request: Request) -> JobRunner:
    runner: JobRunner | None = getattr(request.app.state, "jobs", None)
    if runner is None:
        runner = request.app.state.jobs = JobRunner(request.app.state)
    return runner


class IngestIn(BaseModel):
    urls: list[str] = Field(
        min_length=1, max_length=1000, description="http(s) URLs of articles or feeds"
    )


Analyst = Annotated[AuthContext, require("analyst")]


@router.post("/ingest", summary="Fetch URLs or feeds and run the pipeline on them (a job)")
def ingest_urls(body: IngestIn, request: Request, ctx: Analyst) -> dict[str, Any]:
    # Only URLs: a path would let a web user read the server's files. Fetching follows
    # the ingest settings (private addresses refused unless allow_private_addresses).
    for url in body.urls:
        if not url.lower().startswith(("http://", "https://")):
            raise HTTPException(400, f"not an http(s) URL: {url[:200]!r}")
    assert ctx.user is not None
    return _runner(request).submit(ctx.user.username, list(body.urls)).to_json()


@router.post("/ingest/files", summary="Upload files (txt, md, html, json, jsonl, csv) as a job")
async def ingest_files(
    request: Request, ctx: Analyst, files: Annotated[list[UploadFile], File()]
) -> dict[str, Any]:
    assert ctx.user is not None
    tmpdir = tempfile.mkdtemp(prefix="tolltrace-upload-")
    paths: list[str] = []
    total = 0
    try:
        for i, upload in enumerate(files):
            # Our own name (the upload's name only for its extension): no path tricks.
            suffix = Path(upload.filename or "").suffix.lower()[:10]
            if suffix not in {".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".csv"}:
                raise HTTPException(400, f"file {i + 1}: unsupported type {suffix or '?'}")
            target = Path(tmpdir) / f"upload-{i}{suffix}"
            with target.open("wb") as out:
                while chunk := await upload.read(1 << 20):
                    total += len(chunk)
                    if total > MAX_UPLOAD_BYTES:
                        raise HTTPException(413, "upload too large")
                    out.write(chunk)
            paths.append(str(target))
    except BaseException:
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise
    return _runner(request).submit(ctx.user.username, paths, tmpdir).to_json()


@router.get("/jobs/{job_id}", summary="A job's status and result")
def job_status(
    job_id: str, request: Request, ctx: Annotated[AuthContext, Depends(api_reader)]
) -> dict[str, Any]:
    item = job_json(request.app.state.store, job_id)
    if item is None:
        raise HTTPException(404, "no such job")
    return item


@router.get("/jobs", summary="Recent jobs, newest first")
def jobs(request: Request, ctx: Annotated[AuthContext, Depends(api_reader)]) -> dict[str, Any]:
    items = recent_jobs(request.app.state.store)
    return {"total": len(items), "items": items}
