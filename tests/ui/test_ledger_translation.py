"""The ledger's words in Chinese, from resources/i18n/ledger_zh_CN.qm."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from db.session import Store
from desktop.ui.ledger_view import LedgerView
from tests.ui.conftest import chinese
from tests.ui.test_ledger_view import CLERK, clinic, staff

__all__ = ["chinese", "clinic"]


@pytest.mark.usefixtures("chinese")
def test_the_ledger_speaks_chinese(qtbot: Any, clinic: Store) -> None:
    view = LedgerView(clinic, staff(clinic, CLERK))
    qtbot.addWidget(view)
    headers = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(view.model.columnCount())]
    assert headers[:7] == ["就诊日期", "机构", "户主姓名", "患者姓名", "住址", "证件号码", "初步诊断"]
    assert view.sign_button.text() == "采集签名…"
    assert view.export.export_button.text() == "导出本月 PDF…"
    assert "人次" in view.totals_label.text()


REPO = Path(__file__).resolve().parents[2]
TS = REPO / "resources" / "i18n" / "ledger_zh_CN.ts"
OURS = ("ledger_view.py", "day_close_view.py", "signature_pad.py", "ledger_models.py", "pdf_export.py")


def messages(ts: Path, *, translated_only: bool) -> set[tuple[str | None, str | None]]:
    found = set()
    for context in ET.parse(ts).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            done = translation is not None and bool((translation.text or "").strip()) and not translation.get("type")
            if done or not translated_only:
                found.add((context.findtext("name"), message.findtext("source")))
    return found


def test_every_ledger_string_has_a_chinese_translation(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    lupdate = REPO / ".venv" / "bin" / "pyside6-lupdate"
    sources = [str(REPO / "desktop" / "ui" / name) for name in OURS]
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    wanted = messages(fresh, translated_only=False)
    assert len(wanted) > 50
    missing = wanted - messages(TS, translated_only=True)
    assert not missing, f"untranslated: {sorted(missing, key=str)}"
    assert TS.with_suffix(".qm").stat().st_mtime >= TS.stat().st_mtime - 1, "run pyside6-lrelease on ledger_zh_CN.ts"
