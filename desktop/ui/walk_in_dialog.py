"""Who a walk-in is, for a self-pay (自费) visit: only what the ledger records.

A name; a phone number if the patient gives one (the ledger has a column for it); the
ID number only when the card or typed number just read gave it, shown masked and never
typed here. Nothing else is asked: the visit is never sent to the agency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from desktop.privacy import mask_id_number
from desktop.ui.widgets import label, named

if TYPE_CHECKING:
    from desktop.settlement.self_pay import WalkInDetails


class WalkInDialog(QDialog):
    NAME_LENGTH = 50

    def __init__(self, id_number: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("walkInDialog")
        self.setWindowTitle(self.tr("Self-pay visit"))
        self.id_number = id_number
        what = label(
            "walkInWhat",
            self.tr(
                "Not on the roster: the visit is paid in full in cash and never sent to the agency. "
                "The ledger keeps the name, and the phone number if given."
            ),
            wrap=True,
        )
        self.name = named(QLineEdit(), "walkInName")
        self.name.setMaxLength(self.NAME_LENGTH)
        self.phone = named(QLineEdit(), "walkInPhone")
        self.phone.setMaxLength(20)
        self.phone.setPlaceholderText(self.tr("optional"))
        self.error = label("walkInError")
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("&Name"), self.name)
        form.addRow(self.tr("&Phone"), self.phone)
        if id_number:
            form.addRow(self.tr("ID number"), label("walkInIdNumber", mask_id_number(id_number)))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start the visit"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.name.setFocus()

    def _check(self) -> None:
        if not self.name.text().strip():
            self.error.setText(self.tr("Give the patient's name for the ledger."))
            self.error.show()
            self.name.setFocus()
            return
        self.accept()

    def details(self) -> WalkInDetails:
        from desktop.settlement.self_pay import WalkInDetails

        return WalkInDetails(" ".join(self.name.text().split()), self.id_number, self.phone.text().strip())
