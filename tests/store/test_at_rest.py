"""The store encrypted at rest with SQLCipher, its key in the OS keyring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import keyring.backends.fail
import keyring.core
import pytest

from db.at_rest import StoreKeyError, keep_key, new_key, stored_key
from db.backup import make_backup
from db.health import check_store
from db.session import open_store
from desktop.cli import main
from desktop.cli_auth import TOKEN_ENV
from desktop.settlement import DraftItem, VisitDraft, settle
from tests.cli_helpers import token_for
from tests.factories import COLD, NOW, REPO_ENV, TODAY, add_person, make_store
from tests.sync.keyring_backend import MemoryKeyring
from tests.sync.test_os_keyring import secret_service  # noqa: F401  # the fixture, used below

NAME = "测试1"  # add_person's name and ID number for person 1
ID_NUMBER = "360101196006150001"


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.core.get_keyring()
    kept = MemoryKeyring()
    keyring.core.set_keyring(kept)
    yield kept
    keyring.core.set_keyring(before)


def _settle(db: Path) -> None:
    store = open_store(db)
    visit = VisitDraft("T01", 1, 1, TODAY, (DraftItem("E01", Decimal(2)),), COLD)
    settle(store, visit, NOW)
    store.dispose()


def _plain_store(folder: Path) -> Path:
    store = make_store(folder)
    add_person(store, person_id=1)
    store.dispose()
    _settle(folder / "clinic.sqlite3")
    return folder / "clinic.sqlite3"


def _bytes_on_disk(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def test_an_existing_store_is_encrypted_after_a_backup_and_gives_nothing_away(
    memory_keyring: MemoryKeyring, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _plain_store(tmp_path)
    monkeypatch.setenv(TOKEN_ENV, token_for(db, "admin"))  # only an administrator may encrypt
    assert ID_NUMBER.encode() in db.read_bytes()
    assert main(["encrypt", "--db", str(db)]) == 0
    report = json.loads(capsys.readouterr().out)
    plain_backup = Path(report["plain_backup"])
    assert ID_NUMBER.encode() in plain_backup.read_bytes()  # the backup taken first, as it was
    _settle(db)  # settles on the encrypted store, through the same code
    on_disk = _bytes_on_disk(db)
    for secret in (ID_NUMBER, NAME, "急性上呼吸道感染", "SQLite format 3"):
        assert secret.encode() not in on_disk, secret
    assert stored_key() is not None
    health = check_store(db, whole_chain=True, wal=True)
    assert health.ok, health.problem
    assert main(["audit", "verify", "--db", str(db)]) == 0


def test_a_new_store_can_be_made_encrypted_and_backed_up_encrypted(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    key = new_key()
    keep_key(key)
    store = open_store(tmp_path / "clinic.sqlite3", key=key)
    store.dispose()
    store = make_store(tmp_path)  # reopens it with the key from the keyring
    assert store.encrypted
    add_person(store, person_id=1)
    with store.reading() as session:
        pragmas = [session.connection().exec_driver_sql(f"PRAGMA {name}").scalar() for name in
                   ("journal_mode", "synchronous", "foreign_keys")]  # fmt: skip
    assert pragmas == ["wal", 2, 1]
    store.dispose()
    _settle(tmp_path / "clinic.sqlite3")
    backup = make_backup(tmp_path / "clinic.sqlite3", tmp_path / "usb", "by-hand").path
    assert ID_NUMBER.encode() not in backup.read_bytes()
    assert check_store(backup, whole_chain=True).ok


def test_a_wrong_key_fails_with_a_clear_message(memory_keyring: MemoryKeyring, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    db = _plain_store(tmp_path)
    monkeypatch.setenv(TOKEN_ENV, token_for(db, "admin"))
    assert main(["encrypt", "--db", str(db)]) == 0
    capsys.readouterr()
    keep_key(new_key())  # another installation's key
    with pytest.raises(StoreKeyError, match="does not open the store"):
        open_store(db)
    assert main(["audit", "verify", "--db", str(db)]) == 2
    error = json.loads(capsys.readouterr().err)
    assert "does not open the store" in error["error"]
    assert "clinic-pos store-key set" in error["error"]
    memory_keyring.secrets.clear()
    with pytest.raises(StoreKeyError, match="holds no key"):
        open_store(db)


def test_the_key_lives_in_the_real_os_keyring(secret_service: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    db = _plain_store(tmp_path)
    env = {key: value for key, value in REPO_ENV.items() if key != "PYTHON_KEYRING_BACKEND"} | secret_service
    env[TOKEN_ENV] = token_for(db, "admin")
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "encrypt", "--db", str(db)], env=env, capture_output=True, text=True,
        check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert ID_NUMBER.encode() not in db.read_bytes()
    # A fresh process on the same keyring opens it; the key is nowhere on disk beside it.
    verified = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "audit", "verify", "--db", str(db)], env=env, capture_output=True,
        text=True, check=False, timeout=120,
    )  # fmt: skip
    assert verified.returncode == 0, verified.stderr
    # Read back by another process too: this one keeps no D-Bus connection open past the daemon.
    shown = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "store-key", "show"], env=env, capture_output=True, text=True,
        check=True, timeout=120,
    )  # fmt: skip
    key = shown.stdout.strip()
    assert len(key) == 64
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path
    assert os.environ.get("PYTHON_KEYRING_BACKEND") is None


def test_a_new_installation_is_offered_encryption_and_builds_its_store_encrypted(
    memory_keyring: MemoryKeyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools

    import desktop.demo
    from desktop.ui.opening import build_demo_store, encryption_on_offer

    assert encryption_on_offer()
    small = functools.partial(desktop.demo.build_demo, today=TODAY, people=10, days=2)
    monkeypatch.setattr(desktop.demo, "build_demo", small)
    made = build_demo_store(tmp_path / "clinic-pos.sqlite3", encrypt=True)
    assert b"SQLite format 3" not in made.read_bytes()[:16]
    assert check_store(made, whole_chain=True, wal=True).ok
    keyring.core.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    assert not encryption_on_offer()  # nowhere to keep the key: no offer
