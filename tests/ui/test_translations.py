"""Every string the counter shows has a Chinese translation, and Chinese is what it shows."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from desktop.ui.i18n import ENGLISH, install_translation

REPO = Path(__file__).resolve().parents[2]
TS = REPO / "resources" / "i18n" / "clinic_pos_zh_CN.ts"
QM = TS.with_suffix(".qm")
# The other helper's pages keep their own translation file.
NOT_OURS = {"ledger_view.py", "day_close_view.py", "signature_pad.py", "ledger_models.py", "pdf_export.py"}


def our_sources() -> list[str]:
    return sorted(str(p) for p in (REPO / "desktop" / "ui").glob("*.py") if p.name not in NOT_OURS)


def test_every_source_string_is_translated(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    lupdate = REPO / ".venv" / "bin" / "pyside6-lupdate"
    subprocess.run([str(lupdate), *our_sources(), "-ts", str(fresh)], check=True, capture_output=True)
    wanted = {
        (context.findtext("name"), message.findtext("source"))
        for context in ET.parse(fresh).getroot().iter("context")
        for message in context.iter("message")
    }
    translated = {
        (context.findtext("name"), message.findtext("source"))
        for context in ET.parse(TS).getroot().iter("context")
        for message in context.iter("message")
        if (message.findtext("translation") or "").strip() and message.find("translation").get("type") is None  # type: ignore[union-attr]
    }
    assert wanted, "lupdate found no strings"
    assert not wanted - translated, f"untranslated: {sorted(wanted - translated)}"


def test_the_compiled_file_is_up_to_date() -> None:
    assert QM.exists()
    assert QM.stat().st_mtime >= TS.stat().st_mtime - 1


def test_chinese_by_default_and_english_on_request(qapp: QApplication) -> None:
    installed = install_translation(qapp, "zh_CN")
    try:
        assert QCoreApplication.translate("QuotePanel", "Patient pays") == "个人现金"
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
    assert install_translation(qapp, ENGLISH) == []
    assert QCoreApplication.translate("QuotePanel", "Patient pays") == "Patient pays"
