"""Closing the day prints the audit chain's head and backs the store up behind it."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from db.audit import read_head
from db.backup import backups_in
from db.health import check_store
from db.session import Store
from tests.ui.test_day_close_view import open_view, week  # noqa: F401
from tests.ui.test_ledger_view import save_as


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_the_printed_close_carries_the_head_and_the_store_is_backed_up(
    qtbot: Any,
    week: Store,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with week.reading() as session:
        head = read_head(session.connection())
    view = open_view(qtbot, week)
    assert head.text in view.head_note.text()
    save_as(monkeypatch, tmp_path / "close")
    with qtbot.waitSignal(view.export.exported, timeout=10_000) as done:
        qtbot.mouseClick(view.export.export_button, Qt.MouseButton.LeftButton)
    text = subprocess.run(["pdftotext", done.args[0], "-"], capture_output=True, text=True, check=True).stdout
    assert head.digest in unicodedata.normalize("NFKC", text).replace("\n", "")  # poppler writes "ff" as "ﬀ"
    qtbot.waitUntil(lambda: "backups" in view.backup_note.text(), timeout=20_000)
    (made,) = backups_in(tmp_path / "backups")
    assert "day-close" in made.name
    assert check_store(made, whole_chain=True).ok
