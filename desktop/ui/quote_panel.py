"""The quote as the clerk reads it out: the split, and the engine's explanation."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop.money import format_amount
from desktop.ui.widgets import label, named

if TYPE_CHECKING:
    from desktop.policy.types import Quote

# Keyed by the engine's ``Reason`` values (a StrEnum), so the engine is not imported
# before the window is shown.
REASONS = {
    "not_designated": QT_TRANSLATE_NOOP("QuotePanel", "This facility is not designated for this scheme"),
    "other_liability": QT_TRANSLATE_NOOP("QuotePanel", "Another party is liable for this visit"),
    "inpatient": QT_TRANSLATE_NOOP("QuotePanel", "Inpatients are not covered by the outpatient pool"),
    "benefit_suspended": QT_TRANSLATE_NOOP("QuotePanel", "Benefits are suspended for this person"),
    "chronic_disease_scheme": QT_TRANSLATE_NOOP("QuotePanel", "Settle under the chronic disease scheme"),
    "excluded_category": QT_TRANSLATE_NOOP("QuotePanel", "This category of insured is not covered here"),
    "not_yet_covered": QT_TRANSLATE_NOOP("QuotePanel", "Not covered yet (waiting period)"),
    "not_contracted_facility": QT_TRANSLATE_NOOP(
        "QuotePanel", "Not signed with this facility: the pool pays nothing here"
    ),
    "out_of_area_not_filed": QT_TRANSLATE_NOOP(
        "QuotePanel", "Insured elsewhere, with no out-of-area filing for here: the pool pays nothing"
    ),
    "cap_reached": QT_TRANSLATE_NOOP("QuotePanel", "This year's cap is used up"),
}


def reason_text(reason: str) -> str:
    """The engine's reason in the interface language; an unknown one as the engine named it."""
    return QCoreApplication.translate("QuotePanel", str(REASONS[reason])) if reason in REASONS else reason


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
        # Top left, from the style sheet (qproperty-alignment): in code it needs Qt's
        # enums, which the window's first frame does without.
        # Scrolled, not cut off: a cap crossing explains itself in several lines, and a
        # village clinic's screen may be small.
        scroll = named(QScrollArea(), "explanationScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.explanation)
        layout.addWidget(scroll, 1)
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
