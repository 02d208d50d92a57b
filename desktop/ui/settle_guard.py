"""What the counter asks or says when a settlement is held back: a price to confirm, or the
machine saying no.

A price of 0, or one far from the catalogue's, is settled only when the clerk says it is
meant, asked with the catalogue price beside the one typed; the core records the answer
in the settlement's audit entry. A locked store, a full disk or a read-only file is said
in plain words (``desktop.machine``); the visit stays on screen, and F12 settles it once
the cause is gone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.money import format_amount

if TYPE_CHECKING:
    from db.session import Store
    from desktop.settlement.draft import UnconfirmedPriceError
    from desktop.ui.visit import VisitInProgress


def confirm_price(parent: QWidget, visit: VisitInProgress, error: UnconfirmedPriceError) -> bool:
    """Ask whether the price on ``error``'s line is meant; True (and the line marked) when it is."""
    line = visit.lines[error.line]
    question = QMessageBox(parent)
    question.setObjectName("confirmPrice")
    question.setIcon(QMessageBox.Icon.Warning)
    question.setWindowTitle(QCoreApplication.translate("SettleGuard", "Confirm the price"))
    if error.price == 0:
        text = QCoreApplication.translate(
            "SettleGuard", "{item}: the price is 0.00, free of charge. The catalogue price is {catalogue}."
        )
    else:
        text = QCoreApplication.translate(
            "SettleGuard", "{item}: the price typed is {price}, far from the catalogue price of {catalogue}."
        )
    question.setText(
        text.format(
            item=line.entry.name,
            price=format_amount(error.price),
            catalogue=format_amount(error.catalogue_price),
        )
    )
    question.setInformativeText(
        QCoreApplication.translate(
            "SettleGuard", "Settle at {price}? The confirmation is kept in the audit log."
        ).format(price=format_amount(error.price))
    )
    settle_anyway = question.addButton(
        QCoreApplication.translate("SettleGuard", "Settle at this price"), QMessageBox.ButtonRole.AcceptRole
    )
    settle_anyway.setObjectName("settleAtThisPrice")
    back = question.addButton(
        QCoreApplication.translate("SettleGuard", "Change the price"), QMessageBox.ButtonRole.RejectRole
    )
    back.setObjectName("changeThePrice")
    question.setDefaultButton(back)  # Enter by habit does not settle a wrong price
    question.setEscapeButton(back)
    question.exec()
    if question.clickedButton() is not settle_anyway:
        return False
    visit.confirm_price(error.line)
    return True


def machine_says(error: BaseException, store: Store) -> str | None:
    """The plain words for ``error`` when it is the machine saying no; None for anything else."""
    from desktop.machine import diagnose

    refused = diagnose(error, str(store.engine.url))
    if refused is None:
        return None
    # In the language the window speaks: whether its own words are being translated.
    shown = QCoreApplication.translate("CounterPage", "Not settled: {0}")
    return refused.message(chinese=shown != "Not settled: {0}")
