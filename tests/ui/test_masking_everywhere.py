"""No unmasked ID number leaves the program for someone whose role may not see it.

One run of what a clerk does (settle, reverse, check a card, print a receipt, export the
ledger and the day close, verify the audit chain) with every log record captured; then
every file written, every JSON printed, every log line and every audit detail is scanned
for any ID number on the roster, in full.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinterInfo

from db.session import Store
from desktop.cli import main
from desktop.cli_auth import TOKEN_ENV
from desktop.privacy import MASKED, for_role, mask_log_records
from desktop.ui.day_close_view import DayCloseView
from desktop.ui.receipt import print_receipt
from tests.cli_helpers import token_for
from tests.ui.test_ledger_view import CLERK, DOCTOR, clinic, open_view, save_as, staff, type_date  # noqa: F401

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return path.read_bytes().decode("utf-8", "replace")


def _id_numbers(db: Path) -> list[str]:
    with sqlite3.connect(db) as raw:
        return [row[0] for row in raw.execute("SELECT id_number FROM person")]


def _export(qtbot: Any, view: Any, monkeypatch: pytest.MonkeyPatch, target: Path) -> Path:
    save_as(monkeypatch, target)
    with qtbot.waitSignal(view.export.exported, timeout=10_000) as done:
        qtbot.mouseClick(view.export.export_button, Qt.MouseButton.LeftButton)
    return Path(done.args[0])


def test_no_export_json_or_log_gives_a_full_id_number_to_a_clerk(
    qtbot: Any,
    clinic: Store,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    mask_log_records()
    db = tmp_path / "clinic.sqlite3"
    numbers = _id_numbers(db)
    printed: list[str] = []
    monkeypatch.setenv(TOKEN_ENV, token_for(db, "clerk"))  # the command line signs in
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({
        "facility": "T01", "person": {"id_number": numbers[0]}, "staff": "clerk", "visit_date": "2024-05-10",
        "items": [{"code": "E01"}], "diagnoses": [{"code": "J06.900", "name": "急性上呼吸道感染"}]})))  # fmt: skip
    assert main(["settle", "--db", str(db)]) == 0
    settled = json.loads(capsys.readouterr().out)["settlement_id"]
    printed.append(json.dumps(settled))
    for command in (
        ["check", "--db", str(db), "--id-number", numbers[1], "--date", "2024-05-10"],
        ["reverse", "--db", str(db), "--settlement", str(settled), "--reason", "录入错误", "--staff", "clerk"],
        ["audit", "verify", "--db", str(db)],
    ):
        main(command)
        out, err = capsys.readouterr()
        printed += [out, err]
    # Whatever a module logs, the record leaves masked.
    logging.getLogger("clinic.test").warning("person %s refused", numbers[2])

    monkeypatch.setattr(QPrinterInfo, "defaultPrinter", staticmethod(QPrinterInfo))  # no printer: a PDF
    written = [print_receipt(clinic, settled, tmp_path / "receipts")]
    ledger = open_view(qtbot, clinic, CLERK)
    type_date(qtbot, ledger.day_edit, "20240509")
    written.append(_export(qtbot, ledger, monkeypatch, tmp_path / "ledger"))
    close = DayCloseView(clinic, "T01", staff(clinic, CLERK))
    qtbot.addWidget(close)
    close.show()
    written.append(_export(qtbot, close, monkeypatch, tmp_path / "day-close"))

    with sqlite3.connect(db) as raw:
        details = [row[0] for row in raw.execute("SELECT detail FROM audit_log")]
    sources = {str(path): _text(path) for path in written if path is not None}
    sources |= {"printed": "\n".join(printed), "logs": caplog.text, "audit details": "\n".join(details)}
    assert len([path for path in written if path is not None]) == 3
    for where, text in sources.items():
        for number in numbers:
            assert number not in text, f"{where} shows {number} in full"
    assert MASKED.id_number(numbers[2]) in caplog.text


def test_the_rule_is_one_rule_by_role() -> None:
    number = "360121196006150013"
    assert for_role("clerk") == MASKED
    assert for_role("village_doctor") == MASKED  # on screens; the ledger's filing copy is FILE_LEDGER's
    assert for_role("no-such-role") == MASKED
    assert MASKED.id_number(number) == "3601**********0013"
    assert for_role("admin").id_number(number) == number
    assert MASKED.free_text(f"agency: {number} not insured") == "agency: 3601**********0013 not insured"


def test_the_ledger_export_gives_full_numbers_only_to_a_role_that_may_see_them(
    qtbot: Any,
    clinic: Store,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    numbers = _id_numbers(tmp_path / "clinic.sqlite3")
    texts = {}
    for who in (CLERK, DOCTOR):
        view = open_view(qtbot, clinic, who)
        type_date(qtbot, view.day_edit, "20240509")
        texts[who] = _text(_export(qtbot, view, monkeypatch, tmp_path / f"ledger-{who}"))
    assert not any(number in texts[CLERK] for number in numbers)
    assert any(number in texts[DOCTOR] for number in numbers)
    assert dt.date(2024, 5, 9).isoformat()[:7] in texts[DOCTOR]
