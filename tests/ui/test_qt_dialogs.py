"""Qt's own dialogs in Chinese: every word they ask Qt for is translated, and their dates read the Chinese way."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel, QMessageBox, QWidget
from typing_extensions import override

from desktop.ui.i18n import CHINESE, install_translation, remove_translation

REPO = Path(__file__).resolve().parents[2]
# Key names stay as printed on the keys; nothing else is left to Qt's English.
KEY_NAMES = "QShortcut"


class Untranslated(QTranslator):
    """Asked last, after every other translator: what it is asked for, nobody translated."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[tuple[str, str]] = set()

    @override
    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        if context != KEY_NAMES and any(c.isascii() and c.isalpha() for c in source):
            self.asked.add((context, source))
        return ""

    @override
    def isEmpty(self) -> bool:
        return False


@pytest.fixture
def untranslated(qapp: QApplication) -> Iterator[Untranslated]:
    spy = Untranslated()
    qapp.installTranslator(spy)  # the first installed is asked last
    installed = install_translation(qapp, CHINESE)
    spy.asked.clear()  # asked in between, as each file went in: only the dialogs' asking counts
    yield spy
    remove_translation(qapp, installed)
    qapp.removeTranslator(spy)


def shown(qtbot: object, dialog: QWidget) -> list[str]:
    dialog.show()
    QApplication.processEvents()
    texts = [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()]
    dialog.hide()
    return texts


def test_the_save_print_and_message_dialogs_ask_qt_for_nothing_untranslated(
    qtbot: object, untranslated: Untranslated, tmp_path: Path
) -> None:
    for name in ("ledger-T01-2026-12.pdf", "day-close.xlsx", "report.json"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "receipts").mkdir()
    save = QFileDialog(None, "Save as PDF", str(tmp_path))
    save.setOption(QFileDialog.Option.DontUseNativeDialog)
    save.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    save.setViewMode(QFileDialog.ViewMode.Detail)
    labels = shown(qtbot, save)
    assert "查找范围(&L)：" in labels
    assert "文件类型(&T)：" in labels
    printer = QPrinter()
    shown(qtbot, QPrintDialog(printer))
    box = QMessageBox(QMessageBox.Icon.Question, "t", "?")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    shown(qtbot, box)
    assert [b.text() for b in box.findChildren(QDialogButtonBox)[0].buttons()] != ["&Yes", "&No"]
    assert not untranslated.asked, sorted(untranslated.asked)


@pytest.mark.parametrize(("language", "short_date"), [(None, "yyyy/M/d"), ("zh_CN", "yyyy/M/d"), ("en", "d MM yyyy")])
def test_dialog_dates_follow_the_chosen_language_on_a_machine_set_to_c(
    language: str | None, short_date: str, tmp_path: Path
) -> None:
    """Qt's dialogs write dates with the system locale, read once as the application is made."""
    script = (
        "from PySide6.QtCore import QLocale\n"
        "from desktop.ui.app import make_application\n"
        "make_application()\n"
        "print(QLocale.system().dateFormat(QLocale.FormatType.ShortFormat))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k != "CLINIC_POS_LANG"}
    env.update(LANG="C.UTF-8", QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO), XDG_CONFIG_HOME=str(tmp_path))
    if language is not None:  # None: nothing chosen, Chinese by default (the settings read on the way)
        env["CLINIC_POS_LANG"] = language
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == short_date
