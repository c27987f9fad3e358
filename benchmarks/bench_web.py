"""Web load: 50 concurrent clients against the demo database on PostgreSQL.

    python benchmarks/bench_web.py [--clients 50] [--requests 20] [--pg URL] [--json]

Builds the demo database by running the pipeline on ``data/demo/documents.jsonl`` into
a scratch PostgreSQL database (``--pg`` an existing server, else ``TOLLTRACE_TEST_PG``,
a server on 127.0.0.1:5432, or a throwaway cluster as the tests make), serves it with
``tolltrace serve --public-read`` in its own process on 127.0.0.1, and sends each of
``--clients`` concurrent httpx clients ``--requests`` requests per page, loopback only:
the incident list (``/``, the HTML page with its query) and an incident page
(``/incidents/{id}``, the seed's Mosul incident), then the same two through the API.
Reports requests/second and p50/p99 latency per page. Target: p99 under 200 ms.
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
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tolltrace.pipeline import run  # noqa: E402
from tolltrace.settings import load_settings  # noqa: E402
from tolltrace.store import Store  # noqa: E402

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


async def load(base: str, path: str, clients: int, per_client: int) -> dict[str, Any]:
    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(c: httpx.AsyncClient) -> None:
        nonlocal failures
        for _ in range(per_client):
            t0 = time.perf_counter()
            try:
                r = await c.get(path)
            except httpx.TransportError:  # counted, not fatal: the run must finish
                failures += 1
                continue
            latencies.append(time.perf_counter() - t0)
            if r.status_code != 200:
                failures += 1

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0) as c:
        await c.get(path)  # warm: first template render, first query plan
        t0 = time.perf_counter()
        await asyncio.gather(*(client(c) for _ in range(clients)))
        wall = time.perf_counter() - t0
    return {
        "path": path,
        "requests": len(latencies) + failures,
        "failures": failures,
        "rps": len(latencies) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "max_ms": max(latencies) * 1000,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=20, help="per client and page")
    ap.add_argument("--pg", default=None, help="postgresql://USER@HOST/DB of a server")
    ap.add_argument(
        "--cache-seconds",
        type=float,
        nargs="+",
        default=[0.0, 2.0],
        help="web_cache_seconds values to run with (0: no cache)",
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with scratch_database(args.pg) as url, tempfile.TemporaryDirectory() as tmp:
        settings = load_settings({"db": url}, environ={})
        with Store(url) as store:
            run([str(ROOT / "data/demo/documents.jsonl")], settings, store=store)
            claims = [c for c in store.iter_claims(document_id="seed-000") if c.incident_id]
            n_incidents = store.count("incidents")
        sixty = [c for c in claims if c.effect == "killed" and c.count.min == 60]
        incident = (sixty or claims)[0].incident_id
        pages = [
            "/?country=IQ&sort=killed",
            f"/incidents/{incident}",
            "/api/v1/incidents?limit=50",
            f"/api/v1/incidents/{incident}",
        ]
        runs = []
        for cache in args.cache_seconds:
            load_before = os.getloadavg()[0]
            results = serve_and_load(url, Path(tmp), cache, pages, args.clients, args.requests)
            runs.append({"cache_seconds": cache, "load_average": load_before, "results": results})
    report = {
        "clients": args.clients,
        "requests_per_client": args.requests,
        "incidents": n_incidents,
        "cpus": os.cpu_count(),
        "target_p99_ms": TARGET_P99_MS,
        "runs": runs,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(
        f"{args.clients} concurrent clients x {args.requests} requests per page, PostgreSQL "
        f"demo database ({n_incidents} incidents), one uvicorn process, {os.cpu_count()} CPUs"
    )
    for run_ in runs:
        print(
            f"-- web_cache_seconds={run_['cache_seconds']} (anonymous public read), "
            f"load average before: {run_['load_average']:.1f}"
        )
        for r in run_["results"]:
            flag = "ok" if r["p99_ms"] < TARGET_P99_MS else "OVER TARGET"
            print(
                f"{r['path'][:40]:40s} {r['rps']:8.1f} req/s   p50 {r['p50_ms']:7.1f} ms   "
                f"p99 {r['p99_ms']:7.1f} ms   failures {r['failures']}   {flag}"
            )


def serve_and_load(
    url: str, tmp: Path, cache: float, pages: list[str], clients: int, per_client: int
) -> list[dict[str, Any]]:
    port = _free_port()
    log = tmp / f"serve-{cache}.log"
    env = {**os.environ, "TOLLTRACE_WEB_SECRET": "bench", "TOLLTRACE_WEB_CACHE_SECONDS": str(cache)}
    with log.open("w") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tolltrace", "serve", "--db", url, "--port", str(port),
             "--host", "127.0.0.1", "--public-read"],
            stdout=fh, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/api/v1/me", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("server did not start:\n" + log.read_text())
            time.sleep(0.2)
        return [asyncio.run(load(base, p, clients, per_client)) for p in pages]
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main()
