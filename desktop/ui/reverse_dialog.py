"""Asking for the reason of a reversal (冲正); the reason goes to the agency and the audit log.

The dialog says plainly what goes back: the cash the patient paid (a settle-up since
included) into their hand, and what the personal account paid back into the account.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget
from typing_extensions import override

from desktop.money import format_amount
from desktop.ui.settlements import SettlementRow
from desktop.ui.widgets import label, named


class ReverseDialog(QDialog):
    def __init__(self, row: SettlementRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reverseDialog")
        self.setWindowTitle(self.tr("Reverse settlement"))
        self.what = what = label("reverseWhat", wrap=True)
        what.setText(
            self.tr("Reverse settlement {0} of {1}, total {2}? The original stays on record, marked reversed.").format(
                row.settlement_id, row.patient_name, format_amount(row.total)
            )
        )
        self.money_back = label("reverseMoneyBack", money_back_text(row), wrap=True)
        self.reason = named(QLineEdit(), "reverseReason")
        self.reason.setPlaceholderText(self.tr("e.g. wrong item entered"))
        self.error = label("reverseError")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Reverse"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Reason"), self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(self.money_back)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.reason.setFocus()

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Tall enough for every wrapped line at this width. A dialog's minimum height is
        worked out as if its wrapped labels did not wrap: when the error line came, the
        question gave up a line to it and was cut."""
        layout = self.layout()
        needed = layout.totalHeightForWidth(self.width()) if layout is not None and layout.hasHeightForWidth() else 0
        if needed > self.minimumHeight():
            self.setMinimumHeight(needed)

    def _check(self) -> None:
        if not self.reason.text().strip():
            self.error.setText(self.tr("Give a reason for the reversal."))
            self.error.show()
            self._fit()
            return
        self.accept()


def money_back_text(row: SettlementRow) -> str:
    """What a reversal gives back, in cash and to the account, in the clerk's words."""
    translate = QCoreApplication.translate
    cash = format_amount(row.figures.reversal_cash_back)
    account = row.figures.reversal_account_back
    if not account:
        return translate("ReverseDialog", "Give back {0} in cash to the patient.").format(cash)
    return translate(
        "ReverseDialog", "Give back {0} in cash to the patient; {1} goes back to the personal account."
    ).format(cash, format_amount(account))
