"""Running ``clinic-pos`` commands in tests: signed in, in this process or another, and the store's dump."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db.session import Store
from desktop.auth import staff_by_username
from desktop.cli_auth import TOKEN_ENV
from desktop.sign_in_tokens import issue
from tests.factories import REPO_ENV


def token_for(db: Path | str, username: str, now: dt.datetime | None = None) -> str:
    """A sign-in token for ``username``, made as ``clinic-pos sign-in`` makes one, without the
    password (tests of signing in itself go through the command)."""
    # Store, not open_store: open_store reads the file's header, and closing that descriptor
    # would drop the SQLite locks of any store this test process holds open on the file.
    store = Store(db)
    try:
        who = staff_by_username(store, username)
        assert who is not None, username
        return issue(store, who, now or dt.datetime.now(dt.UTC)).token
    finally:
        store.dispose()


def signed_in_env(db: Path | str, username: str) -> dict[str, str]:
    """A child process's environment, signed in as ``username``."""
    return {**REPO_ENV, TOKEN_ENV: token_for(db, username)}


def password_file(folder: Path, password: str, name: str = "password") -> Path:
    path = folder / name
    path.write_text(password + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def run(*args: str, stdin: str | bytes = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``clinic-pos ARGS`` in its own process."""
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", *args],
        input=stdin.encode("utf-8") if isinstance(stdin, str) else stdin,
        capture_output=True,
        env=env or REPO_ENV,
        check=False,
        timeout=120,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    )


def in_process(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: str | bytes = "",
    token: str | None = None,
) -> tuple[int, str, str]:
    """``clinic-pos ARGS`` run in this process (quicker than a new one for each case): code, out, err."""
    from desktop.cli import main

    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    if token is None:
        monkeypatch.delenv(TOKEN_ENV, raising=False)
    else:
        monkeypatch.setenv(TOKEN_ENV, token)
    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse's refusal of an option
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def dump(db: Path) -> list[str]:
    """Every row of every table, as SQL text: 'unchanged' means all of it."""
    raw = sqlite3.connect(db)
    try:
        return list(raw.iterdump())
    finally:
        raw.close()
