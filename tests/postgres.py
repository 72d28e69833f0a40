"""A throwaway PostgreSQL server for the tests: initdb in a temp dir, listening on 127.0.0.1 only.

PostgreSQL 15 is installed on these machines but not running; `.ci/run` installs it where it is
missing. As root, the server runs as the `postgres` user (initdb refuses root).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def _bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (apt-get install -y postgresql)")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args: list[str], as_postgres: bool) -> None:
    if as_postgres:
        args = ["runuser", "-u", "postgres", "--", *args]
    subprocess.run(args, check=True, capture_output=True, timeout=120)  # noqa: S603


@dataclass
class PostgresServer:
    """A running test server that a test may stop (as a crash would: ``-m immediate``) and start again."""

    url: str
    data: Path
    options: str
    log: Path
    as_postgres: bool

    def stop(self) -> None:
        _run([_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"], self.as_postgres)

    def start(self) -> None:
        _run([_bin("pg_ctl"), "-D", str(self.data), "-o", self.options, "-l", str(self.log), "-w", "start"],
             self.as_postgres)  # fmt: skip


@contextmanager
def running_postgres(durable: bool = False) -> Iterator[PostgresServer]:
    """Start a server, yield it, stop and delete it after.

    ``durable``: commits survive a crash (fsync and synchronous commit on), for tests that kill the server.
    """
    as_postgres = os.geteuid() == 0
    directory = Path(tempfile.mkdtemp(prefix="kfor-pg-"))
    data = directory / "data"
    if as_postgres:
        shutil.chown(directory, "postgres", "postgres")
    port = _free_port()
    try:
        _run(
            [_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"], as_postgres
        )
        options = f"-h 127.0.0.1 -p {port} -k {directory}"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        server = PostgresServer(f"postgresql://postgres@127.0.0.1:{port}/kfor", data, options, directory / "log",
                                as_postgres)  # fmt: skip
        server.start()
        try:
            _run([_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "kfor"], as_postgres)
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server, yield its SQLAlchemy-style URL (postgresql://…), stop and delete it after."""
    with running_postgres() as server:
        yield server.url


async def fresh_database(server_url: str, name: str) -> str:
    """An empty database on the test server (dropped first if an earlier run left it); its URL."""
    import asyncpg

    connection = await asyncpg.connect(server_url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return server_url.rsplit("/", 1)[0] + f"/{name}"
