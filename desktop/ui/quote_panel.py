"""The quote as the clerk reads it out: the split, and the engine's explanation."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from desktop.money import format_amount
from desktop.policy.types import Quote
from desktop.ui.patient_panel import reason_text
from desktop.ui.widgets import label


class QuotePanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quotePanel")
        self.amounts: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, title in [
            ("total", self.tr("Total")),
            ("out_of_scope", self.tr("Out of scope")),
            ("deductible", self.tr("Deductible")),
            ("rate", self.tr("Fund rate")),
            ("fund", self.tr("Fund pays")),
            ("account", self.tr("Personal account")),
        ]:
            amount = label(f"quote_{key}")
            self.amounts[key] = amount
            form.addRow(title, amount)
        self.cash_title = label("cashTitle", self.tr("Patient pays"))
        self.cash = label("quote_cash")
        self.amounts["cash"] = self.cash
        form.addRow(self.cash_title, self.cash)
        self.reason = label("quoteReason", wrap=True)
        self.explanation = label("explanation", wrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(label("panelTitle", self.tr("Quote")))
        layout.addLayout(form)
        layout.addWidget(self.reason)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.explanation, 1)
        self.clear()

    def clear(self) -> None:
        for shown in self.amounts.values():
            shown.setText(format_amount(Decimal(0)))
        self.amounts["rate"].setText("—")
        self.reason.hide()
        self.explanation.setText("")

    def show_quote(self, result: Quote | None) -> None:
        if result is None:
            self.clear()
            return
        self.amounts["total"].setText(format_amount(result.total))
        self.amounts["out_of_scope"].setText(format_amount(result.out_of_scope))
        self.amounts["deductible"].setText(format_amount(result.deductible_applied))
        self.amounts["rate"].setText(f"{int(result.rate * 100)}%")
        self.amounts["fund"].setText(format_amount(result.fund))
        self.amounts["account"].setText(format_amount(result.account))
        self.cash.setText(format_amount(result.cash))
        self.reason.setVisible(result.reason is not None)
        if result.reason is not None:
            self.reason.setText(reason_text(result.reason))
        self.explanation.setText("\n".join(result.explanation))
