"""An out-of-area employee at the counter: red without a filing, amber with one, and the filing
form entered from the panel (南府办发〔2022〕33号 第二十六条).

The demo's Nanchong employees are insured in 511302: person 20 has 异地安置 to 南昌市 with the
agency, person 15 has nothing on record.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select

from db.models import AreaFiling, AuditEntry
from db.session import Store
from desktop.ui.filing_dialog import FilingDialog, ascii_digits
from desktop.ui.main_window import CounterWindow
from tests.ui.conftest import open_window, type_chinese, type_diagnosis, wait_for_workers

FILED, UNFILED = 20, 15


def card_in(qtbot: Any, window: CounterWindow, person_id: int) -> None:
    qtbot.keyClicks(window.counter.card, f"A{person_id:08d}")
    qtbot.keyClick(window.counter.card, Qt.Key.Key_Return)
    wait_for_workers(qtbot)


def with_an_item(qtbot: Any, window: CounterWindow) -> None:
    type_diagnosis(qtbot, window, "J06")
    qtbot.keyClicks(window.counter.entry.item, "xb01*10")  # 286.00: past the 200-yuan deductible
    qtbot.keyClick(window.counter.entry.item, Qt.Key.Key_Return)


def test_an_unfiled_out_of_area_employee_is_refused_in_red_with_the_article(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    card_in(qtbot, window, UNFILED)
    panel = window.counter.patient
    assert panel.refusal.isVisible()
    assert "511302" in panel.refusal.text()
    assert "第二十六条" in panel.refusal.text()
    assert panel.fields["area"].text().startswith("511302")
    assert panel.file_button.isVisible()
    assert panel.file_button.isEnabled()
    with_an_item(qtbot, window)
    quote = window.counter.visit.quote() if window.counter.visit else None
    assert quote is not None
    assert (quote.covered, str(quote.reason), quote.fund) == (False, "out_of_area_not_filed", Decimal("0.00"))


def test_a_filed_out_of_area_employee_is_shown_in_amber_and_paid(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    card_in(qtbot, window, FILED)
    panel = window.counter.patient
    assert not panel.refusal.isVisible()
    assert panel.warnings.isVisible()
    assert "360100" in panel.warnings.text()
    assert "第二十六条" in panel.warnings.text()
    assert "360100" in panel.fields["area"].text()
    with_an_item(qtbot, window)
    quote = window.counter.visit.quote() if window.counter.visit else None
    assert quote is not None
    assert (quote.covered, quote.reason) == (True, None)
    assert quote.fund > 0


def test_the_filing_form_is_entered_from_the_panel_and_the_visit_is_quoted_again(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    card_in(qtbot, window, UNFILED)
    with_an_item(qtbot, window)
    assert window.counter.visit is not None
    before = window.counter.visit.quote()
    assert before is not None
    assert before.fund == 0
    qtbot.mouseClick(window.counter.patient.file_button, Qt.MouseButton.LeftButton)
    dialog = window.counter.filing_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    # The form's place typed through the input method, in full width: taken as 360100.
    type_chinese(dialog.place, "３６０１００")
    dialog.open_ended.setChecked(True)
    qtbot.keyClicks(dialog.document, "YD2024-17")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    panel = window.counter.patient
    assert not panel.refusal.isVisible()
    assert "360100" in panel.warnings.text()
    visit = window.counter.visit
    assert visit is not None
    assert len(visit.lines) == 1  # the same visit, its item still there
    after = visit.quote()
    assert after is not None
    assert (after.covered, after.fund > 0) == (True, True)
    with store.reading() as session:
        filing = session.scalars(select(AreaFiling).where(AreaFiling.person_id == UNFILED)).one()
        audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "record_filing")).one()
    assert (filing.place_admdvs, filing.origin, filing.document_no, filing.valid_until) == (
        "360100",
        "staff",
        "YD2024-17",
        None,
    )
    assert window.counter.staff is not None
    assert audited.staff_id == window.counter.staff.staff_id


def test_a_place_that_is_no_division_code_is_refused_in_the_dialog(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    card_in(qtbot, window, UNFILED)
    qtbot.mouseClick(window.counter.patient.file_button, Qt.MouseButton.LeftButton)
    dialog = window.counter.filing_dialog
    assert isinstance(dialog, FilingDialog)
    qtbot.keyClicks(dialog.place, "3601")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    dialog.reject()
    with store.reading() as session:
        assert session.scalars(select(AreaFiling).where(AreaFiling.person_id == UNFILED)).all() == []


def test_full_width_digits_from_an_input_method_become_ascii() -> None:
    assert ascii_digits("３６０１００") == "360100"
    assert ascii_digits(" ＹＤ２０２４ ") == "YD2024"
    assert ascii_digits("١٢٣") == "١٢٣"  # not full width: left for the code check to refuse


def test_a_role_that_may_not_enter_filings_sees_the_button_disabled(qtbot: Any, store: Store) -> None:
    from desktop.staff import PERMISSIONS, Permission, Role

    assert Permission.RECORD_FILING in PERMISSIONS[Role.CLERK]
    window = open_window(qtbot, store)
    window.counter.patient.may_file = False
    card_in(qtbot, window, UNFILED)
    assert window.counter.patient.file_button.isVisible()
    assert not window.counter.patient.file_button.isEnabled()
