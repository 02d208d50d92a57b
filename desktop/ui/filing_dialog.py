"""Entering an out-of-area filing (异地备案) from the paper the patient brings, when the line is down.

The clerk copies what the form says: 异地安置 or 转诊备案, the place filed for (a division
code), the dates and the form's number. Digits typed through an input method in full width
(３６０１００) are taken as the ASCII digits they stand for; anything else that is no
division code is refused here, in words, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.area import FilingError, FilingKind, NewFiling, check_filing
from desktop.ui.widgets import label, named


def ascii_digits(typed: str) -> str:
    """Full-width digits and letters (an input method's) as ASCII; other text unchanged."""
    return unicodedata.normalize("NFKC", typed).strip()


class FilingDialog(QDialog):
    def __init__(self, who: str, insured_area: str, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filingDialog")
        self.setWindowTitle(self.tr("Out-of-area filing"))
        what = label("filingWhat", wrap=True)
        what.setText(
            self.tr("{0} is insured in {1}. Copy the filing form the patient brought.").format(who, insured_area)
        )
        self.kind = named(QComboBox(), "filingKind")
        self.kind.addItem(self.tr("Relocation (异地安置)"), FilingKind.RELOCATION.value)
        self.kind.addItem(self.tr("Referral (转诊备案)"), FilingKind.REFERRAL.value)
        self.place = named(QLineEdit(), "filingPlace")
        self.place.setPlaceholderText(self.tr("division code on the form, e.g. 360100"))
        self.valid_from = self._date("filingFrom", today)
        self.valid_until = self._date("filingUntil", today)
        self.open_ended = named(QCheckBox(self.tr("No end date")), "filingOpenEnded")
        self.open_ended.toggled.connect(lambda checked: self.valid_until.setEnabled(not checked))
        self.document = named(QLineEdit(), "filingDocument")
        self.document.setPlaceholderText(self.tr("the form's number"))
        self.error = label("filingError", wrap=True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Record"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Kind"), self.kind)
        form.addRow(self.tr("&Place"), self.place)
        form.addRow(self.tr("Valid &from"), self.valid_from)
        form.addRow(self.tr("Valid &until"), self.valid_until)
        form.addRow("", self.open_ended)
        form.addRow(self.tr("Form &number"), self.document)
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.entered: NewFiling | None = None
        self.place.setFocus()

    @staticmethod
    def _date(name: str, day: dt.date) -> QDateEdit:
        edit = named(QDateEdit(QDate(day.year, day.month, day.day)), name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def filing(self) -> NewFiling:
        """What the form says, as typed (``check_filing`` decides whether it can be right)."""
        until = None if self.open_ended.isChecked() else self.valid_until.date().toPython()
        return NewFiling(
            kind=FilingKind(self.kind.currentData()),
            place_admdvs=ascii_digits(self.place.text()),
            valid_from=self.valid_from.date().toPython(),  # type: ignore[arg-type]
            valid_until=until,  # type: ignore[arg-type]
            document_no=ascii_digits(self.document.text()),
        )

    def _check(self) -> None:
        try:
            self.entered = check_filing(self.filing())
        except FilingError as exc:
            self.error.setText(self._problem(exc))
            self.error.show()
            return
        self.accept()

    def _problem(self, error: FilingError) -> str:
        if error.field == "place_admdvs":
            return self.tr("The place must be the six-digit division code on the form, like 360100.")
        if error.field == "valid_until":
            return self.tr("The filing cannot end before it begins.")
        return self.tr("The form's number is too long.")
