"""Asking before a settle-up (补收 / 退费): the counter's split beside the agency's, and the cash to move.

Nothing is typed: the amount is the whole cash difference the agency's split leaves, so
the clerk reads it out, takes or hands over the cash, and confirms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from db.session import Store
from desktop.capitals import in_capitals
from desktop.money import format_amount
from desktop.settle_up import COLLECT, settle_up
from desktop.settlement.draft import SettlementError
from desktop.ui.settle_guard import machine_says
from desktop.ui.settlements import SettlementRow
from desktop.ui.widgets import label


class SettleUpDialog(QDialog):
    def __init__(self, row: SettlementRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settleUpDialog")
        self.setWindowTitle(self.tr("Settle up with the patient"))
        figures = row.figures
        assert figures.agency is not None, "only a settlement the agency booked is settled up"
        what = label("settleUpWhat", wrap=True)
        what.setText(
            self.tr("Settlement {0} of {1}: the agency booked it as {2} with its own split.").format(
                row.settlement_id, row.patient_name, row.agency_setl_id or ""
            )
        )
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Counter")), 0, 1)
        grid.addWidget(QLabel(self.tr("Agency")), 0, 2)
        for line, (title, counter, agency) in enumerate(
            (
                (self.tr("Fund"), figures.counter.fund, figures.agency.fund),
                (self.tr("Personal account"), figures.counter.account, figures.agency.account),
                (self.tr("Cash"), figures.counter.cash, figures.agency.cash),
            ),
            start=1,
        ):
            grid.addWidget(QLabel(title), line, 0)
            grid.addWidget(QLabel(format_amount(counter)), line, 1)
            grid.addWidget(QLabel(format_amount(agency)), line, 2)
        owed = figures.owed
        self.amount = label("settleUpAmount", wrap=True)
        if owed > 0:
            text = self.tr("Collect {0} in cash from the patient ({1}).")
        else:
            text = self.tr("Give back {0} in cash to the patient ({1}).")
        self.amount.setText(text.format(format_amount(abs(owed)), in_capitals(abs(owed))))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.tr("Collected: print the receipt") if owed > 0 else self.tr("Given back: print the receipt")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addLayout(grid)
        layout.addWidget(self.amount)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)


def ask_settle_up(
    parent: QWidget,
    store: Store,
    staff_id: int,
    now: Callable[[], dt.datetime],
    row: SettlementRow,
    print_settle_up: Callable[[int], None] | None,
    say: Callable[[str], None],
    done: Callable[[], None],
) -> SettleUpDialog | None:
    """Open the dialog for ``row``; on confirmation record the settle-up, print its receipt, say so, call ``done``.

    Says why instead when there is nothing to settle up. Returns the open dialog, if any.
    """
    translate = QCoreApplication.translate
    if row.reversed or row.figures.agency is None or not row.owed:
        say(translate("SettleUpDialog", "Nothing to settle up for settlement {0}.").format(row.settlement_id))
        return None
    dialog = SettleUpDialog(row, parent)

    def confirmed() -> None:
        try:
            made = settle_up(store, row.settlement_id, staff_id, now())
        except SettlementError as exc:
            say(translate("SettleUpDialog", "Not settled up: {0}").format(exc.message))
            return
        except Exception as exc:
            said = machine_says(exc, store)  # a locked store, a full disk: nothing was written
            if said is None:
                raise
            say(translate("SettleUpDialog", "Not settled up: {0}").format(said))
            return
        if made.kind == COLLECT:
            text = translate("SettleUpDialog", "Settlement {0}: {1} collected from the patient (settle-up {2}).")
        else:
            text = translate("SettleUpDialog", "Settlement {0}: {1} given back to the patient (settle-up {2}).")
        say(text.format(row.settlement_id, format_amount(made.amount), made.settle_up_id))
        if print_settle_up is not None:
            print_settle_up(made.settle_up_id)
        done()

    dialog.accepted.connect(confirmed)
    dialog.open()
    return dialog
