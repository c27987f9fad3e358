"""Find a PostgreSQL server for the tests, or start a throwaway one.

Order: ``TOLLTRACE_TEST_PG`` (a server URL, e.g. ``postgresql://user@host:5432/db``),
then a server on 127.0.0.1:5432, then a temporary cluster made with the installed
PostgreSQL binaries (``initdb``/``pg_ctl``). Each test gets its own database, dropped
afterwards. Without any server the PostgreSQL tests are skipped with a message, except
under CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import contextlib
import getpass
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

HOW_TO = (
    "PostgreSQL tests skipped: no server found. Set TOLLTRACE_TEST_PG=postgresql://USER@HOST/DB, "
    "run a server on 127.0.0.1:5432, or install PostgreSQL (initdb, pg_ctl) so the tests can "
    "start a throwaway cluster."
)


@dataclass
class Server:
    admin_url: URL
    cleanup: list[str] = field(default_factory=list)  # data dir of a cluster we started
    pg_ctl: str | None = None
    run_as: str | None = None

    @contextlib.contextmanager
    def database(self) -> Iterator[str]:
        name = "tolltrace_test_" + uuid.uuid4().hex[:12]
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = self.admin_url.set(database=name, drivername="postgresql+psycopg")
            yield url.render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

    def stop(self) -> None:
        for data_dir in self.cleanup:
            if self.pg_ctl:
                _run([self.pg_ctl, "-D", data_dir, "-m", "immediate", "stop"], self.run_as)
            shutil.rmtree(Path(data_dir).parent, ignore_errors=True)


def _run(cmd: list[str], user: str | None) -> subprocess.CompletedProcess[str]:
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def _usable(url: URL) -> bool:
    try:
        eng = create_engine(url, connect_args={"connect_timeout": 3})
        with eng.connect() as conn:
            conn.execute(text("SELECT 1"))
        eng.dispose()
        return True
    except Exception:  # any failure to connect means "not this one"
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_cluster() -> Server | None:
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or (
        [p] if (p := shutil.which("initdb")) else []
    )
    if not bins:
        return None
    bindir = Path(bins[-1]).parent
    # initdb refuses to run as root: run the cluster as the postgres system user.
    user = "postgres" if os.geteuid() == 0 else None
    base = Path(tempfile.mkdtemp(prefix="tolltrace-pg-"))
    data = base / "data"
    if user:
        shutil.chown(base, user)
    init = _run([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"], user)
    if init.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        return None
    port = _free_port()
    opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    start = _run(
        [
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            opts,
            "-l",
            str(base / "log"),
            "-w",
            "start",
        ],
        user,
    )
    if start.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        return None
    url = make_url(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")
    return Server(url, cleanup=[str(data)], pg_ctl=str(bindir / "pg_ctl"), run_as=user)


def find_or_start() -> Server | None:
    env = os.environ.get("TOLLTRACE_TEST_PG")
    if env:
        url = make_url(env).set(drivername="postgresql+psycopg")
        return Server(url) if _usable(url) else None
    for user in ("postgres", getpass.getuser()):
        url = make_url(f"postgresql+psycopg://{user}@127.0.0.1:5432/postgres")
        if _usable(url):
            return Server(url)
    return _start_cluster()


def skip_or_fail() -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true but " + HOW_TO.removeprefix("PostgreSQL tests skipped: "))
    pytest.skip(HOW_TO)
