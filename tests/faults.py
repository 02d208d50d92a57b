"""The machine saying no, for real where the platform allows: a small tmpfs filled to the last
byte, a read-only mount; otherwise SQLite's own means (``PRAGMA max_page_count``) and file modes.

Mounting needs root on Linux (CI runs as root; so does the check script's install). As
another user the disk is full by SQLite's page limit and read-only by ``chmod``, which
binds such a user as it does not bind root.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

import db.session


def can_mount() -> bool:
    return sys.platform == "linux" and os.geteuid() == 0 and shutil.which("mount") is not None


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True, check=False).returncode == 0


def _umount(target: Path) -> None:
    for _ in range(50):
        if subprocess.run(["umount", str(target)], capture_output=True, check=False).returncode == 0:
            return
        import time

        time.sleep(0.1)  # a child process may still be closing its files
    subprocess.run(["umount", "-l", str(target)], check=False)


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "4m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``folder`` (made here); skipped where nothing can be mounted."""
    folder.mkdir(parents=True, exist_ok=True)
    if not can_mount() or not _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)):
        pytest.skip("no tmpfs can be mounted here: the page-limit variant stands in")
    try:
        yield folder
    finally:
        _umount(folder)


def fill(folder: Path) -> Path:
    """Write a file in ``folder`` until the disk says no; removing it frees the space."""
    filler = folder / "filler.bin"
    with filler.open("wb", buffering=0) as out:
        for block in (65536, 512):  # then the last partial block
            with contextlib.suppress(OSError):
                while True:
                    out.write(b"\0" * block)
    assert shutil.disk_usage(folder).free < 4096, "the disk did not fill"
    return filler


@contextlib.contextmanager
def page_limit(monkeypatch: pytest.MonkeyPatch, database: Path) -> Iterator[None]:
    """The store cannot grow past its size now, on any connection the program opens: SQLite
    answers SQLITE_FULL once its free room is used, as a full disk does. Stands in where no
    small disk can be mounted."""
    raw = sqlite3.connect(database)
    pages = raw.execute("PRAGMA page_count").fetchone()[0]
    raw.close()
    made = db.session.make_engine

    def limited(path_or_url: str | Path, **options: Any) -> object:
        engine = made(path_or_url, **options)

        @event.listens_for(engine, "connect")
        def _limit(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        return engine

    monkeypatch.setattr(db.session, "make_engine", limited)
    yield
    monkeypatch.setattr(db.session, "make_engine", made)


@contextlib.contextmanager
def read_only(path: Path, *, folder: bool) -> Iterator[None]:
    """``path`` (or, with ``folder``, the folder it is in) read-only until the block ends."""
    target = path.parent if folder else path
    if can_mount():
        # Root writes through any file mode: a read-only bind mount binds it too.
        assert _mount("--bind", str(target), str(target)), "bind mount"
        try:
            assert _mount("-o", "remount,ro,bind", str(target)), "read-only remount"
            yield
        finally:
            _umount(target)
        return
    mode = target.stat().st_mode
    target.chmod(0o555 if folder else 0o444)
    try:
        yield
    finally:
        target.chmod(mode)
