"""The agency's split is the official one, in the window, against a real sandbox agency on loopback:
a differing answer flows into 今日结算, the ledger, the day close and the reprinted receipt, and the
clerk settles the difference up with the patient (补收), receipted."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from db.models import Person, Settlement, SettleUp, Signing, Staff
from db.session import Store
from desktop.official import Standing
from desktop.sandbox.from_store import roster_from_store
from desktop.sandbox.server import SandboxServer
from desktop.ui.day_close_view import DayCloseView
from desktop.ui.ledger_view import LedgerView
from desktop.ui.main_window import CounterWindow
from desktop.ui.models import SettlementsModel
from desktop.ui.receipt import receipt_html
from tests.ui.conftest import TODAY, Keyboard, card_in, target_for, wait_for_workers
from tests.ui.test_sync import Opener, wait_for_a_run


def an_employee_with_an_account(store: Store) -> Person:
    with store.reading() as session:
        found = session.scalars(
            select(Person)
            .where(Person.policy == "nanchang-employee", Person.account_balance_fen > 10_000)
            .where(Person.insured.is_(True), Person.benefit_suspended.is_(False))
            .where(~Person.id.in_(select(Signing.person_id)))
            .order_by(Person.id)
        ).first()
    assert found is not None
    return found


@dataclass(frozen=True)
class Differing:
    settlement_id: int
    fund: int  # the counter's split, in fen; the agency paid the same fund and no account
    account: int
    cash: int

    @property
    def owed(self) -> Decimal:
        """The account paid nothing at the agency: the patient owes it in cash."""
        return Decimal(self.account) / 100

    @property
    def official_cash(self) -> str:
        return f"{Decimal(self.account + self.cash) / 100:.2f}"


def settle_and_sync_a_differing_split(
    qtbot: Any, store: Store, agency: SandboxServer, window: CounterWindow
) -> Differing:
    employee = an_employee_with_an_account(store)
    keys = Keyboard(qtbot)
    card_in(qtbot, keys, employee.id_number)
    keys.type("J06")
    keys.press(Qt.Key.Key_Return)
    keys.type("fa01")
    keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_F12)
    assert window.counter.last is not None
    settlement_id = window.counter.last.settlement_id
    with store.reading() as session:
        counter = session.get_one(Settlement, settlement_id)
        made = Differing(settlement_id, counter.fund_fen, counter.account_fen, counter.cash_fen)
    assert made.account > 0
    # The agency knows the account as spent (a payment at another clinic the counter never saw).
    (person,) = [p for p in roster_from_store(store, TODAY)["persons"] if p["psn_no"] == employee.psn_no]
    httpx.post(f"{agency.url}/_admin/roster", json={"persons": [{**person, "balc": "0.00"}]}).raise_for_status()
    window.start_sync(target_for(agency))
    report = wait_for_a_run(qtbot, window)
    assert settlement_id in report.differences
    return made


def row_in(model: SettlementsModel, settlement_id: int) -> int:
    (row,) = [r for r in range(model.rowCount()) if model.row_at(r).settlement_id == settlement_id]
    return row


def check_todays_settlements_and_the_reprint(
    qtbot: Any, store: Store, window: CounterWindow, made: Differing, receipts: Path
) -> None:
    """The agency's figures, the counter's in the tool tip, the settle-up owed; the reprint has the agency's number."""
    page = window.settlements
    assert page is not None
    qtbot.keyClick(window.counter.card, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    wait_for_workers(qtbot)
    model = page.model
    row = row_in(model, made.settlement_id)
    assert model.index(row, SettlementsModel.CASH).data() == made.official_cash
    assert model.index(row, SettlementsModel.ACCOUNT).data() == "0.00"
    counter_cash = f"{Decimal(made.cash) / 100:.2f}"
    assert counter_cash in model.index(row, SettlementsModel.CASH).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row, SettlementsModel.SETTLE_UP).data() == model.tr("To collect {0}").format(f"{made.owed:.2f}")
    assert model.row_at(row).figures.standing is Standing.DIFFERS
    with store.reading() as session:
        setl_id = session.get_one(Settlement, made.settlement_id).agency_setl_id
    assert setl_id
    page.table.selectRow(row)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert window.last_receipt_path == receipts / f"receipt-{made.settlement_id}.pdf"
    reprint = receipt_html(store, made.settlement_id)
    assert setl_id in reprint
    assert made.official_cash in reprint


def settle_up_by_keys(qtbot: Any, store: Store, window: CounterWindow, made: Differing, receipts: Path) -> None:
    """Ctrl+U, read the amount out, take the cash, confirm: recorded, and its receipt written."""
    page = window.settlements
    assert page is not None
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    dialog = page.settle_up_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert f"{made.owed:.2f}" in dialog.amount.text()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_for_workers(qtbot)
    assert window.staff is not None
    with store.reading() as session:
        settle_up = session.scalars(select(SettleUp).where(SettleUp.settlement_id == made.settlement_id)).one()
    assert (settle_up.kind, settle_up.amount_fen, settle_up.staff_id) == (
        "collect",
        made.account,
        window.staff.staff_id,
    )
    assert window.last_receipt_path == receipts / f"settle-up-{settle_up.id}.pdf"
    assert Path(window.last_receipt_path).read_bytes().startswith(b"%PDF")
    model = page.model
    row = row_in(model, made.settlement_id)
    assert model.index(row, SettlementsModel.SETTLE_UP).data() == model.tr("Collected {0}").format(f"{made.owed:.2f}")


def check_the_ledger_and_the_day_close(qtbot: Any, store: Store, clerk: Staff, made: Differing) -> None:
    ledger = LedgerView(store, clerk, today=TODAY)
    qtbot.addWidget(ledger)
    (line,) = [r for r in range(ledger.model.rowCount()) if ledger.model.row_at(r).settlement_id == made.settlement_id]
    assert ledger.model.row_at(line).standing is Standing.DIFFERS
    assert ledger.model.index(line, 9).data() == made.official_cash  # patient pays: account and cash
    note = ledger.model.index(line, 13).data()
    assert note == ledger.model.tr("The agency's split; counter: fund {fund}, patient {patient}").format(
        fund=f"{Decimal(made.fund) / 100:.2f}", patient=made.official_cash
    )
    close_view = DayCloseView(store, "T01", clerk, today=TODAY)
    qtbot.addWidget(close_view)
    close = close_view.close_
    assert close is not None
    assert close.differs_count >= 1
    assert [line.settlement_id for line in close.settle_ups] == [made.settlement_id]
    assert close_view.settle_ups.index(0, 3).data() == f"+{made.owed:.2f}"
    drawer = [close_view.drawer.index(r, 1).data() for r in range(close_view.drawer.rowCount())]
    assert drawer[2] == f"{made.owed:.2f}"  # collected by the settle-up
    assert drawer[-1] == f"{close.drawer.expected:.2f}"


def test_a_differing_agency_answer_flows_everywhere_and_is_settled_up(
    qtbot: Any, store: Store, agency: SandboxServer, syncing: Opener, tmp_path: Path
) -> None:
    window = syncing(start=False)
    window.receipts = tmp_path
    made = settle_and_sync_a_differing_split(qtbot, store, agency, window)
    check_todays_settlements_and_the_reprint(qtbot, store, window, made, tmp_path)
    settle_up_by_keys(qtbot, store, window, made, tmp_path)
    assert window.staff is not None
    with store.reading() as session:
        clerk = session.get_one(Staff, window.staff.staff_id)
    check_the_ledger_and_the_day_close(qtbot, store, clerk, made)
