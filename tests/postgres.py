"""A throwaway PostgreSQL server for the tests that run the store on PostgreSQL.

The program takes any SQLAlchemy URL (a multi-counter clinic keeps one PostgreSQL
database); these tests start Debian's own server binaries on a private port and socket,
a fresh cluster per run and a fresh database per test. ``scripts/system-deps.sh``
installs the server; without it the tests fail and say so rather than pass unseen.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

USER = "clinic"


def server_binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        on_path = shutil.which("initdb")
        if on_path is None:
            raise RuntimeError(
                "PostgreSQL's server (initdb, postgres) is not installed: "
                "`bash scripts/system-deps.sh` as root installs Debian's postgresql"
            )
        return Path(on_path).parent
    return Path(found[-1]).parent  # the newest major version


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _as_server_user(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; Debian's package makes the ``postgres`` account.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass(frozen=True)
class PostgresServer:
    port: int

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(host="127.0.0.1", port=self.port, user=USER, dbname="postgres", autocommit=True)

    @contextmanager
    def database(self, name: str) -> Iterator[str]:
        """A new empty database; its SQLAlchemy URL. Dropped afterwards, whoever is still connected."""
        with self.admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{name}"
        finally:
            with self.admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def running_server() -> Iterator[PostgresServer]:
    binaries = server_binaries()
    folder = Path(tempfile.mkdtemp(prefix="clinic-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", _free_port()
    subprocess.run(
        _as_server_user([str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", USER, "-E", "UTF8"]),
        check=True,
        capture_output=True,
    )
    # fsync off: a test cluster's durability is not under test, and it is what makes it quick.
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
    pg_ctl = [str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-o", options]
    subprocess.run(_as_server_user([*pg_ctl, "-w", "start"]), check=True, capture_output=True)
    try:
        server = PostgresServer(port)
        deadline = time.monotonic() + 30
        while True:
            try:
                server.admin().close()
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield server
    finally:
        subprocess.run(_as_server_user([*pg_ctl, "-m", "immediate", "stop"]), check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
