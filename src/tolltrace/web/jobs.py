"""Ingest as a background job: URLs, feeds or uploaded files run through the pipeline
(ingest, extract, resolve, link) while the web app keeps answering.

One job at a time (a single worker thread): the pipeline is the database's single
writer. Job status lives in the server process's memory (lost at restart); the
documents, claims and incidents a job stores are in the database as usual.
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

from tolltrace.records import Failure
from tolltrace.web.deps import AuthContext, api_reader, require

__all__ = ["JobRunner", "router"]

router = APIRouter(prefix="/api/v1", tags=["ingest"])

JobState = Literal["queued", "running", "done", "failed"]
# Largest upload accepted, all files of one job together.
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
_KEEP_JOBS = 200


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

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user": self.user,
            "inputs": [
                Path(i).name if self.tmpdir and i.startswith(self.tmpdir) else i
                for i in self.inputs
            ],
            "state": self.state,
            "created": self.created,
            "finished": self.finished,
            "result": self.result,
            "failures": self.failures[:100],
            "error": self.error,
            "links": {"self": f"/api/v1/jobs/{self.id}"},
        }


class JobRunner:
    """Runs jobs one after another on a worker thread; the spaCy model and gazetteer
    are loaded on the first job and kept."""

    def __init__(self, app_state: Any) -> None:
        self.state = app_state
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tolltrace-job")
        self._resources: Any = None

    def submit(self, user: str, inputs: list[str], tmpdir: str | None = None) -> Job:
        job = Job(uuid.uuid4().hex[:16], user, inputs, tmpdir=tmpdir)
        with self.lock:
            self.jobs[job.id] = job
            while len(self.jobs) > _KEEP_JOBS:
                oldest = next(iter(self.jobs))
                if self.jobs[oldest].state in {"queued", "running"}:
                    break
                del self.jobs[oldest]
        self.executor.submit(self._run, job)
        return job

    def _run(self, job: Job) -> None:
        from tolltrace.pipeline import run
        from tolltrace.resources import Resources

        job.state = "running"
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

    def shutdown(self) -> None:
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
    job = _runner(request).jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "no such job")
    return job.to_json()


@router.get("/jobs", summary="Recent jobs, newest first")
def jobs(request: Request, ctx: Annotated[AuthContext, Depends(api_reader)]) -> dict[str, Any]:
    items = [j.to_json() for j in reversed(list(_runner(request).jobs.values()))]
    return {"total": len(items), "items": items}
