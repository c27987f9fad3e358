"""Web load: 50 concurrent clients against the demo database on PostgreSQL.

    python benchmarks/bench_web.py [--clients 50] [--requests 20] [--pg URL]
        [--cache-seconds 0 300] [--workers 1 2] [--nice 10] [--writes W] [--json]

Builds the demo database by running the pipeline on ``data/demo/documents.jsonl`` into
a scratch PostgreSQL database (``--pg`` an existing server, else ``TOLLTRACE_TEST_PG``,
a server on 127.0.0.1:5432, or a throwaway cluster as the tests make), serves it with
``tolltrace serve --public-read [--workers N]`` in its own process on 127.0.0.1, and
sends each of ``--clients`` concurrent clients ``--requests`` requests per page,
loopback only, keep-alive, ``Accept-Encoding: gzip`` as browsers send: the incident
list (``/``, the HTML page with its query) and an incident page (``/incidents/{id}``,
the seed's Mosul incident), then the same two through the API, anonymously and with
a viewer's API token (``token:`` in the report: a logged-in caller). Reports requests/second
and p50/p99 latency per page, for every ``web_cache_seconds`` and worker count given.
Target: p99 under 200 ms. ``--writes W``: meanwhile an analyst corrects a figure W
times a second through the API (each edit makes every cached answer stale).

The load generator is a small HTTP/1.1 client on asyncio streams (httpx spends about
a millisecond of CPU a request, as much as a cached answer costs the server), run in
its own process under ``nice`` so that the server gets the CPU first. The server runs
at normal priority.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx  # only to wait for the server to start

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tolltrace.pipeline import run  # noqa: E402
from tolltrace.settings import load_settings  # noqa: E402
from tolltrace.store import Store  # noqa: E402
from tolltrace.web.users import add_user, create_token  # noqa: E402

TARGET_P99_MS = 200.0


@contextmanager
def scratch_database(pg: str | None) -> Iterator[str]:
    from tests import pg as pgtools  # the tests' finder: env, :5432, or a throwaway cluster

    if pg:
        os.environ["TOLLTRACE_TEST_PG"] = pg
    server = pgtools.find_or_start()
    if server is None:
        raise SystemExit("no PostgreSQL server: " + pgtools.HOW_TO)
    try:
        with server.database() as url:
            yield url
    finally:
        server.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """Send one keep-alive request and read its whole answer; returns the status."""
    return (await _request(reader, writer, request))[0]


async def _request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, bytes]:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if b":" in line:
            name, value = line.split(b":", 1)
            headers[name.strip().lower()] = value.strip()
    body = b""
    if b"content-length" in headers:
        body = await reader.readexactly(int(headers[b"content-length"]))
    elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            body += (await reader.readexactly(size + 2))[:-2]
            if size == 0:
                break
    return status, body


async def _writer(host: str, port: int, per_second: float, stop: asyncio.Event) -> list[int]:
    """An analyst correcting the seed's figure back and forth (61, then the pipeline's
    own 60 again) ``per_second`` times a second: every write bumps the data version."""
    claim, token = os.environ["BENCH_CLAIM"], os.environ["BENCH_ANALYST_TOKEN"]
    reader, writer = await asyncio.open_connection(host, port)
    statuses: list[int] = []
    value = 61
    try:
        while not stop.is_set():
            body = json.dumps({"edits": {"min": value}}).encode()
            request = (
                f"POST /api/v1/claims/{claim}/review HTTP/1.1\r\nHost: {host}:{port}\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            status, answer = await _request(reader, writer, request + body)
            value = 60 if value == 61 else 61
            if status == 400 and b"nothing to change" in answer:
                continue  # an earlier run left it at this value: the other one next
            if status != 200:
                raise SystemExit(f"review edit failed: {status} {answer[:500]!r}")
            statuses.append(status)
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1 / per_second)
    finally:
        writer.close()
    return statuses


async def load(
    host: str, port: int, page: str, clients: int, per_client: int, writes: float = 0.0
) -> dict[str, Any]:
    """``page``: a path, or ``token:PATH`` to send an API token (a logged-in caller);
    ``writes``: review edits a second meanwhile (each makes every cached answer stale)."""
    latencies: list[float] = []
    failures = 0
    path = page.removeprefix("token:")
    auth = f"Authorization: Bearer {os.environ['BENCH_TOKEN']}\r\n" if path != page else ""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept-Encoding: gzip\r\n"
        f"User-Agent: tolltrace-bench\r\n{auth}\r\n"
    ).encode()

    async def client(warm: bool = False) -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for _ in range(1 if warm else per_client):
                t0 = time.perf_counter()
                try:
                    status = await _get(reader, writer, request)
                except (OSError, asyncio.IncompleteReadError):  # counted, not fatal
                    failures += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                    continue
                if not warm:
                    latencies.append(time.perf_counter() - t0)
                if status != 200:
                    failures += 1
        finally:
            writer.close()

    await client(warm=True)  # first template render, first query plan
    stop = asyncio.Event()
    edits = asyncio.create_task(_writer(host, port, writes, stop)) if writes > 0 else None
    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - t0
    stop.set()
    statuses = await edits if edits is not None else []
    if any(st != 200 for st in statuses):
        raise SystemExit(f"review edits failed: {statuses}")
    return {
        "path": page,
        "writes": len(statuses),
        "requests": len(latencies),
        "failures": failures,
        "rps": len(latencies) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "max_ms": max(latencies) * 1000,
    }


def generate(args: argparse.Namespace) -> None:
    """The load generator's own process (``--generate``): results as JSON lines."""
    for path in args.paths:
        result = asyncio.run(
            load("127.0.0.1", args.port, path, args.clients, args.requests, args.writes)
        )
        print(json.dumps(result), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=20, help="per client and page")
    ap.add_argument("--pg", default=None, help="postgresql://USER@HOST/DB of a server")
    ap.add_argument(
        "--cache-seconds",
        type=float,
        nargs="+",
        default=[0.0, 300.0],
        help="web_cache_seconds values to run with (0: no cache)",
    )
    ap.add_argument("--workers", type=int, nargs="+", default=[1], help="server processes")
    ap.add_argument("--nice", type=int, default=10, help="niceness of the load generator")
    ap.add_argument(
        "--writes",
        type=float,
        default=0.0,
        help="review edits a second while the clients read (each makes the cache stale)",
    )
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.generate:
        generate(args)
        return
    with scratch_database(args.pg) as url, tempfile.TemporaryDirectory() as tmp:
        settings = load_settings({"db": url}, environ={})
        with Store(url) as store:
            run([str(ROOT / "data/demo/documents.jsonl")], settings, store=store)
            claims = [c for c in store.iter_claims(document_id="seed-000") if c.incident_id]
            n_incidents = store.count("incidents")
            add_user(store, "bench", "bench password", "viewer")
            os.environ["BENCH_TOKEN"] = create_token(store, "bench")
            add_user(store, "bench-analyst", "bench password", "analyst")
            os.environ["BENCH_ANALYST_TOKEN"] = create_token(store, "bench-analyst")
        sixty = [c for c in claims if c.effect == "killed" and c.count.min == 60]
        incident = (sixty or claims)[0].incident_id
        os.environ["BENCH_CLAIM"] = (sixty or claims)[0].id
        pages = [
            "/?country=IQ&sort=killed",
            f"/incidents/{incident}",
            "/api/v1/incidents?limit=50",
            f"/api/v1/incidents/{incident}",
            # The same two as a logged-in caller (an API token: a viewer).
            "token:/api/v1/incidents?limit=50",
            f"token:/api/v1/incidents/{incident}",
        ]
        runs = []
        for workers in args.workers:
            for cache in args.cache_seconds:
                load_before = os.getloadavg()[0]
                results = serve_and_load(url, Path(tmp), cache, workers, pages, args)
                runs.append(
                    {
                        "cache_seconds": cache,
                        "workers": workers,
                        "load_average": load_before,
                        "results": results,
                    }
                )
    report = {
        "clients": args.clients,
        "requests_per_client": args.requests,
        "incidents": n_incidents,
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        "load_generator_nice": args.nice,
        "writes_per_second": args.writes,
        "target_p99_ms": TARGET_P99_MS,
        "runs": runs,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(
        f"{args.clients} concurrent clients x {args.requests} requests per page, PostgreSQL "
        f"demo database ({n_incidents} incidents), {os.cpu_count()} CPUs ({_cpu_model()}), "
        f"load generator at nice {args.nice}"
    )
    for run_ in runs:
        print(
            f"-- {run_['workers']} server process(es), web_cache_seconds={run_['cache_seconds']}"
            f" (anonymous public read), load average before: {run_['load_average']:.1f}"
        )
        for r in run_["results"]:
            flag = "ok" if r["p99_ms"] < TARGET_P99_MS else "OVER TARGET"
            print(
                f"{r['path'][:40]:40s} {r['rps']:8.1f} req/s   p50 {r['p50_ms']:7.1f} ms   "
                f"p99 {r['p99_ms']:7.1f} ms   failures {r['failures']}   "
                f"writes {r['writes']}   {flag}"
            )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def serve_and_load(
    url: str, tmp: Path, cache: float, workers: int, pages: list[str], args: argparse.Namespace
) -> list[dict[str, Any]]:
    port = _free_port()
    log = tmp / f"serve-{cache}-{workers}.log"
    env = {**os.environ, "TOLLTRACE_WEB_SECRET": "bench", "TOLLTRACE_WEB_CACHE_SECONDS": str(cache)}
    with log.open("w") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tolltrace", "serve", "--db", url, "--port", str(port),
             "--host", "127.0.0.1", "--public-read", "--workers", str(workers)],
            stdout=fh, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/v1/me", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("server did not start:\n" + log.read_text())
            time.sleep(0.2)
        gen = subprocess.run(
            [sys.executable, __file__, "--generate", "--port", str(port),
             "--clients", str(args.clients), "--requests", str(args.requests),
             "--writes", str(args.writes), *pages],
            capture_output=True, text=True, check=False,
            preexec_fn=(lambda: os.nice(args.nice)) if args.nice else None,
        )  # fmt: skip
        if gen.returncode != 0:
            raise SystemExit("load generator failed:\n" + gen.stderr[-3000:])
        return [json.loads(line) for line in gen.stdout.splitlines() if line.strip()]
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main()
