"""The counter's money as a clerk handles it: the cash drawer, self-pay visits, settling a self-pay
visit again as insured, what a reversal gives back, and the receipt in Chinese."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select, update

from db.models import OutboxEntry, Person, Reversal, Settlement, Signing, WalkIn
from db.session import Store
from desktop.ledger import LedgerQuery, Period, ledger_rows
from desktop.official import Standing
from desktop.settlement.self_pay import SelfPaidVisit
from desktop.ui.main_window import CounterWindow
from desktop.ui.settlements_page import SettlementsPage
from tests.ui.conftest import (
    TODAY,
    Keyboard,
    card_in,
    covered_newcomer,
    covered_resident,
    open_window,
    settle_by_keys,
    type_chinese,
    wait_for_workers,
)


def outbox_rows(store: Store, settlement_id: int) -> int:
    with store.reading() as session:
        return int(session.scalar(select(func.count()).where(OutboxEntry.settlement_id == settlement_id)) or 0)


def cash_of(store: Store, settlement_id: int) -> Decimal:
    with store.reading() as session:
        return Decimal(session.get_one(Settlement, settlement_id).cash_fen) / 100


def todays_settlements(qtbot: Any, window: CounterWindow) -> SettlementsPage:
    page = window.settlements
    assert page is not None
    qtbot.keyClick(window.counter.card, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is page
    wait_for_workers(qtbot)
    page.table.setFocus()
    return page


def diagnosis_and_item(keys: Keyboard) -> None:
    keys.type("J06")
    keys.press(Qt.Key.Key_Return)
    keys.type("fa01")
    keys.press(Qt.Key.Key_Return)


def test_the_amount_to_collect_stays_large_until_the_next_card_and_the_change_shows(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    drawer = window.counter.drawer
    settlement_id = settle_by_keys(qtbot, window, store)
    cash = cash_of(store, settlement_id)
    assert cash > 0
    assert drawer.due.text() == f"{cash:.2f}"  # not 0.00 once settled
    assert str(settlement_id) in drawer.title.text()
    assert window.counter.quote.cash.text() == f"{cash:.2f}"  # the split settled stays beside it

    keys = Keyboard(qtbot)
    assert keys.focused() is window.counter.card
    keys.type("100")  # the note the patient hands over, typed where the keyboard already is
    keys.press(Qt.Key.Key_Return)
    assert drawer.tendered.text() == "100.00"
    assert drawer.change.text() == drawer.tr("Change {0}").format(f"{Decimal(100) - cash:.2f}")
    assert window.counter.card.text() == ""
    assert drawer.due.text() == f"{cash:.2f}"  # still there while the change is counted

    drawer.tendered.setText("1")
    assert drawer.change.text() == drawer.tr("Short by {0}").format(f"{cash - 1:.2f}")

    card_in(qtbot, keys, covered_newcomer(store).id_number)  # the next patient
    assert not drawer.settled
    assert drawer.due.text() == "0.00"
    assert drawer.tendered.text() == ""
    assert window.counter.quote.cash.text() == "0.00"


def test_a_walk_in_off_the_roster_is_settled_self_pay_by_keys_and_reaches_the_ledger_not_the_outbox(
    qtbot: Any, store: Store
) -> None:
    window = open_window(qtbot, store)
    counter = window.counter
    keys = Keyboard(qtbot)
    card_in(qtbot, keys, "A99999999")  # nobody on the roster has this card
    assert counter.self_pay_hint.isVisible()
    assert "F8" in counter.self_pay_hint.text()
    keys.press(Qt.Key.Key_F8)
    dialog = counter.walk_in_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    keys.press(Qt.Key.Key_Return)  # no name yet: refused in the dialog
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    type_chinese(dialog.name, "过路人")
    keys.press(Qt.Key.Key_Tab)
    keys.type("13800001111")
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    window.activateWindow()  # as the desktop does when a dialog closes; the offscreen platform does not
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    assert counter.patient.name.text() == "过路人"
    assert keys.focused() is counter.entry.diagnosis  # the same keys as for anyone
    diagnosis_and_item(keys)
    assert counter.quote.amounts["fund"].text() == "0.00"
    assert counter.settle_button.text() == counter.tr("Settle self-pay (F12)")
    keys.press(Qt.Key.Key_F12)

    paid = counter.last
    assert isinstance(paid, SelfPaidVisit)
    assert counter.drawer.due.text() == f"{paid.total:.2f}"
    assert outbox_rows(store, paid.settlement_id) == 0  # never sent to the agency
    with store.reading() as session:
        settlement = session.get_one(Settlement, paid.settlement_id)
        assert (settlement.self_pay, settlement.person_id, settlement.fund_fen) == (True, None, 0)
        walk_in = session.scalars(select(WalkIn)).one()
        assert (walk_in.name, walk_in.phone, walk_in.id_number) == ("过路人", "13800001111", "")
    (row,) = [
        r for r in ledger_rows(store, LedgerQuery("T01", Period.day(TODAY))) if r.settlement_id == paid.settlement_id
    ]
    assert (row.patient_name, row.standing) == ("过路人", Standing.SELF_PAY)


def test_f8_settles_an_uninsured_patient_as_self_pay(qtbot: Any, store: Store) -> None:
    person = covered_newcomer(store)
    with store.writing() as session:
        session.execute(update(Person).where(Person.id == person.id).values(insured=False))
    window = open_window(qtbot, store)
    counter = window.counter
    keys = Keyboard(qtbot)
    card_in(qtbot, keys, person.id_number)
    diagnosis_and_item(keys)
    assert not counter.settle_button.isEnabled()  # not on insurance
    assert counter.self_pay_hint.isVisible()
    keys.press(Qt.Key.Key_F8)
    assert counter.settle_button.isEnabled()
    assert counter.quote.cash.text() == counter.quote.amounts["total"].text()
    keys.press(Qt.Key.Key_F12)
    paid = counter.last
    assert isinstance(paid, SelfPaidVisit)
    with store.reading() as session:
        settlement = session.get_one(Settlement, paid.settlement_id)
        assert (settlement.person_id, settlement.self_pay) == (person.id, True)


def test_a_self_pay_visit_is_settled_again_as_insured_when_the_card_turns_up(qtbot: Any, store: Store) -> None:
    person = covered_resident(store)
    window = open_window(qtbot, store)
    counter = window.counter
    keys = Keyboard(qtbot)
    card_in(qtbot, keys, person.id_number)
    keys.press(Qt.Key.Key_F8)  # the patient pays for themselves this time
    diagnosis_and_item(keys)
    keys.press(Qt.Key.Key_F12)
    self_paid = counter.last
    assert isinstance(self_paid, SelfPaidVisit)

    page = todays_settlements(qtbot, window)
    row = page.selected()
    assert row is not None
    assert (row.settlement_id, row.self_pay) == (self_paid.settlement_id, True)
    assert page.insured_button.isEnabled()
    qtbot.keyClick(page.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is counter
    assert str(self_paid.settlement_id) in counter.banner.text()
    card_in(qtbot, keys, person.id_number)
    assert counter.visit is not None
    assert [line.entry.code for line in counter.visit.lines] == ["FA01"]  # the visit's items, back
    assert counter.visit.diagnosis is not None
    keys.press(Qt.Key.Key_F12)

    insured = counter.last
    assert insured is not None
    assert not isinstance(insured, SelfPaidVisit)
    assert outbox_rows(store, insured.settlement_id) == 4
    with store.reading() as session:
        reversal = session.scalars(select(Reversal).where(Reversal.settlement_id == self_paid.settlement_id)).one()
        assert str(insured.settlement_id) in reversal.reason
    back = self_paid.total - cash_of(store, insured.settlement_id)
    assert back > 0  # the fund's share goes back to the patient
    assert counter.drawer.due.text() == f"{back:.2f}"
    assert counter.drawer.title.text() == counter.drawer.tr("Give back in cash · No. {0}").format(insured.settlement_id)


def an_employee(store: Store) -> Person:
    with store.reading() as session:
        found = session.scalars(
            select(Person)
            .where(Person.policy == "nanchang-employee", Person.account_balance_fen > 10_000)
            .where(Person.insured.is_(True), Person.benefit_suspended.is_(False))
            .where(~Person.id.in_(select(Signing.person_id)))
            .order_by(Person.id)
        ).first()
    assert found is not None, "the demo has employees with money in their accounts"
    return found


def test_the_reversal_dialog_says_what_goes_back_in_cash_and_to_the_account(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    keys = Keyboard(qtbot)
    card_in(qtbot, keys, an_employee(store).id_number)
    diagnosis_and_item(keys)
    keys.press(Qt.Key.Key_F12)
    assert window.counter.last is not None
    settlement_id = window.counter.last.settlement_id
    with store.reading() as session:
        settlement = session.get_one(Settlement, settlement_id)
        account, cash = Decimal(settlement.account_fen) / 100, Decimal(settlement.cash_fen) / 100
    assert account > 0
    page = todays_settlements(qtbot, window)
    qtbot.keyClick(page.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = page.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    said = dialog.money_back.text()
    assert f"{cash:.2f}" in said
    assert f"{account:.2f}" in said
    assert dialog.money_back.isVisible()
    dialog.reject()


def test_the_receipt_in_chinese_has_the_code_the_capitals_and_full_width_punctuation(
    qtbot: Any,
    store: Store,
    chinese: None,
    tmp_path: Path,
) -> None:
    from desktop.ui.receipt import receipt_html

    window = open_window(qtbot, store, tmp_path=tmp_path)
    settlement_id = settle_by_keys(qtbot, window, store)
    text = re.sub(r"<[^>]+>", " ", receipt_html(store, settlement_id))
    text = text.replace("&nbsp;", " ")
    assert "J06.900" in text  # the diagnosis with its ICD-10 code
    assert "合计（大写）" in text
    with store.reading() as session:
        total = session.get_one(Settlement, settlement_id).total_fen
    from desktop.capitals import in_capitals

    assert in_capitals(Decimal(total) / 100) in text
    assert "待医保确认" in text  # not booked yet: no agency settlement number to print
    assert "患者：" in text
    cjk = "\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"
    half_width_by_chinese = re.findall(f"[{cjk}][:;,()?!]|[:;,()?!][{cjk}]", text)
    assert not half_width_by_chinese, half_width_by_chinese
    QApplication.processEvents()
