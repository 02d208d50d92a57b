"""A store the window will not open is refused in the clerk's language, the check's own words kept as details."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.policy.codec import InputError
from desktop.ui.app import Launcher
from desktop.ui.opening import StoreCheckError, check_before_opening, locate


def refusal_shown(qapp: QApplication, monkeypatch: pytest.MonkeyPatch, db: Path, error: BaseException) -> str:
    shown: list[str] = []

    def critical(_parent: Any, _title: str, text: str) -> None:
        shown.append(text)

    monkeypatch.setattr(QMessageBox, "critical", critical)
    monkeypatch.setattr(qapp, "exit", lambda _status=0: None)
    Launcher(qapp, str(db))._failed(error)
    (text,) = shown
    return text


@pytest.mark.usefixtures("chinese")
def test_a_broken_audit_chain_is_said_in_chinese_with_what_to_do(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, demo_file: Path, tmp_path: Path
) -> None:
    db = tmp_path / "clinic.sqlite3"
    shutil.copy(demo_file, db)
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE audit_log SET detail = '{}' WHERE seq = (SELECT max(seq) FROM audit_log)")
    raw.close()
    with pytest.raises(StoreCheckError) as refused:
        check_before_opening(str(db))
    text = refusal_shown(qapp, monkeypatch, db, refused.value)
    assert text.startswith(f"无法启动：{db} 的诊所数据审计链已断裂")
    assert "请先把该文件另存一份交审计" in text
    assert "Nothing was written" not in text  # the advice is the clerk's language, not the check's
    assert "详情：" in text  # the check's own words, for whoever supports the clinic


@pytest.mark.usefixtures("chinese")
def test_a_file_that_is_no_clinic_store_is_refused_in_chinese(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = tmp_path / "notes.sqlite3"
    db.write_bytes(b"shopping list\n" * 400)
    with pytest.raises(InputError) as refused:
        locate(str(db))
    text = refusal_shown(qapp, monkeypatch, db, refused.value)
    assert text.startswith(f"无法启动：{db} 不是本诊所的数据文件，程序未作任何改动。")
    assert db.read_bytes() == b"shopping list\n" * 400
