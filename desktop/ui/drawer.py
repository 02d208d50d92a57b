"""The cash drawer at the counter: the amount to collect, large, until the next card; the cash
tendered (实收) and the change (找零) as the clerk types it.

After a settlement the amount stays on screen with its settlement number, so the clerk
can take the money while the next patient steps up; it goes only when the next card is
checked. The amount tendered may be typed here or, straight after settling, into the
card box, which hands an amount to the drawer (a card never reads as one). A settlement
that takes the place of a self-pay one shows what goes back instead.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QFormLayout, QFrame, QLineEdit, QVBoxLayout, QWidget

from desktop.money import format_amount
from desktop.ui.widgets import label, named


class CashDrawer(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cashDrawer")
        self.due_amount: Decimal | None = None
        self.settlement_id: int | None = None  # the settlement whose cash this is, once settled
        self.giving_back = False
        self.title = label("drawerTitle", self.tr("To collect"), wrap=True)
        self.due = label("drawerDue", format_amount(Decimal(0)))
        self.tendered = named(QLineEdit(), "drawerTendered")
        self.tendered.setPlaceholderText(self.tr("Cash tendered"))
        self.tendered.textChanged.connect(self._show_change)
        self.change = label("drawerChange")
        form = QFormLayout()
        tendered_title = label("drawerTenderedTitle", self.tr("&Tendered"))
        tendered_title.setBuddy(self.tendered)
        form.addRow(tendered_title, self.tendered)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.due)
        layout.addLayout(form)
        layout.addWidget(self.change)
        self.clear()

    @property
    def settled(self) -> bool:
        """Showing a settled amount, which stays until the next card."""
        return self.settlement_id is not None

    def clear(self) -> None:
        self.due_amount = None
        self.settlement_id = None
        self.giving_back = False
        self.title.setText(self.tr("To collect"))
        self.due.setText(format_amount(Decimal(0)))
        self.tendered.clear()
        self.tendered.setEnabled(False)
        self.change.setText("")

    def show_quote(self, cash: Decimal | None) -> None:
        """The live quote's cash while a visit is entered; a settled amount is kept until the next card."""
        if self.settled:
            return
        if cash is None:
            self.clear()
            return
        self.due_amount = cash
        self.title.setText(self.tr("To collect"))
        self.due.setText(format_amount(cash))
        self.tendered.setEnabled(bool(cash))
        self._show_change()

    def show_settled(self, settlement_id: int, cash: Decimal) -> None:
        self.settlement_id = settlement_id
        self.due_amount = cash
        self.giving_back = cash < 0
        if self.giving_back:
            self.title.setText(self.tr("Give back in cash · No. {0}").format(settlement_id))
            self.due.setText(format_amount(-cash))
            self.tendered.clear()
            self.tendered.setEnabled(False)
        else:
            self.title.setText(self.tr("To collect · No. {0}").format(settlement_id))
            self.due.setText(format_amount(cash))
            self.tendered.setEnabled(bool(cash))
        self._show_change()

    def take(self, amount: Decimal) -> None:
        """The amount tendered, typed elsewhere (the card box)."""
        self.tendered.setText(format_amount(amount))

    def _show_change(self) -> None:
        from desktop.ui.visit import parse_tendered

        text = self.tendered.text()
        if self.due_amount is None or self.giving_back or not text.strip():
            self._set_change("", short=False)
            return
        tendered = parse_tendered(text)
        if tendered is None:
            self._set_change(self.tr("Not an amount: {0}").format(text.strip()), short=True)
            return
        change = tendered - self.due_amount
        if change < 0:
            self._set_change(self.tr("Short by {0}").format(format_amount(-change)), short=True)
        else:
            self._set_change(self.tr("Change {0}").format(format_amount(change)), short=False)

    def _set_change(self, text: str, *, short: bool) -> None:
        self.change.setText(text)
        mood = "short" if short else ""
        if (self.change.property("mood") or "") != mood:
            self.change.setProperty("mood", mood)
            self.change.style().unpolish(self.change)  # a property in a selector is read on polish
            self.change.style().polish(self.change)
