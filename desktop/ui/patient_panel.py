"""The patient panel: what the card check found, at a glance, with a red reason when not covered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from desktop.money import format_amount
from desktop.policy.types import Reason
from desktop.privacy import mask_id_number
from desktop.ui.standing import Standing
from desktop.ui.widgets import label

DISEASES = {
    "hypertension": QT_TRANSLATE_NOOP("PatientPanel", "Hypertension"),
    "diabetes": QT_TRANSLATE_NOOP("PatientPanel", "Diabetes"),
}
REASONS = {
    Reason.NOT_DESIGNATED: QT_TRANSLATE_NOOP("PatientPanel", "This facility is not designated for this scheme"),
    Reason.OTHER_LIABILITY: QT_TRANSLATE_NOOP("PatientPanel", "Another party is liable for this visit"),
    Reason.INPATIENT: QT_TRANSLATE_NOOP("PatientPanel", "Inpatients are not covered by the outpatient pool"),
    Reason.BENEFIT_SUSPENDED: QT_TRANSLATE_NOOP("PatientPanel", "Benefits are suspended for this person"),
    Reason.CHRONIC_DISEASE_SCHEME: QT_TRANSLATE_NOOP("PatientPanel", "Settle under the chronic disease scheme"),
    Reason.EXCLUDED_CATEGORY: QT_TRANSLATE_NOOP("PatientPanel", "This category of insured is not covered here"),
    Reason.NOT_YET_COVERED: QT_TRANSLATE_NOOP("PatientPanel", "Not covered yet (waiting period)"),
    Reason.NOT_CONTRACTED_FACILITY: QT_TRANSLATE_NOOP(
        "PatientPanel", "Not signed with this facility: the pool pays nothing here"
    ),
    Reason.CAP_REACHED: QT_TRANSLATE_NOOP("PatientPanel", "This year's cap is used up"),
}


def reason_text(reason: Reason) -> str:
    return QCoreApplication.translate("PatientPanel", str(REASONS[reason]))


def disease_text(disease: str) -> str:
    return QCoreApplication.translate("PatientPanel", str(DISEASES[disease])) if disease in DISEASES else disease


def _yes_no(flag: bool) -> str:
    return (
        QCoreApplication.translate("PatientPanel", "Yes") if flag else QCoreApplication.translate("PatientPanel", "No")
    )


class PatientPanel(QFrame):
    """Filled at once after the card check; cleared for the next patient."""

    def __init__(self, parent: QWidget | None = None, *, full_id: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("patientPanel")
        self.full_id = full_id
        self.name = label("patientName")
        self.refusal = label("refusal", wrap=True)
        self.stale = label("staleWarning", wrap=True)
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        for key, title in self._titles():
            value = label(f"patient_{key}", wrap=True)
            self.fields[key] = value
            form.addRow(title, value)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.refusal)
        layout.addLayout(form)
        layout.addWidget(self.stale)
        layout.addStretch(1)
        self.clear()

    def _titles(self) -> list[tuple[str, str]]:
        return [
            ("id_number", self.tr("ID number")),
            ("scheme", self.tr("Scheme")),
            ("signed", self.tr("Signed with")),
            ("family_doctor", self.tr("Family doctor")),
            ("poverty", self.tr("Poverty registered")),
            ("chronic", self.tr("Chronic diseases")),
            ("deductible", self.tr("Deductible met")),
            ("cap_left", self.tr("Cap left this year")),
            ("account", self.tr("Personal account")),
            ("roster", self.tr("Roster as of")),
        ]

    def clear(self) -> None:
        self.name.setText(self.tr("Swipe, scan or type the card"))
        self.refusal.hide()
        self.stale.hide()
        for shown in self.fields.values():
            shown.setText("—")

    def show_not_found(self, typed: str) -> None:
        self.clear()
        self.refusal.setText(self.tr("No one on the roster matches “{0}”.").format(typed))
        self.refusal.show()

    def show_standing(self, standing: Standing, now: dt.datetime) -> None:
        s = standing
        self.name.setText(s.name)
        f = self.fields
        f["id_number"].setText(s.id_number if self.full_id else mask_id_number(s.id_number))
        scheme = self.tr("Employee") if s.employee_scheme else self.tr("Resident")
        f["scheme"].setText(f"{scheme} · {s.policy_title}")
        signed = "、".join(s.signed_facilities) if s.signed_facilities else self.tr("not signed")
        f["signed"].setText(
            signed if s.signed_here or not s.signed_facilities else self.tr("{0} (elsewhere)").format(signed)
        )
        f["family_doctor"].setText(_yes_no(s.family_doctor))
        f["poverty"].setText(_yes_no(s.poverty_registered))
        f["chronic"].setText("、".join(disease_text(d) for d in s.chronic_diseases) or self.tr("none"))
        f["deductible"].setText(self._deductible(s))
        f["cap_left"].setText(self.tr("no cap") if s.cap_left is None else self._of(s.cap_left, s.cap))
        f["account"].setText(format_amount(s.account_balance) if s.employee_scheme else "—")
        f["roster"].setText(self._age(s, now))
        self._show_refusal(s)
        self.stale.setVisible(s.roster_stale(now))
        self.stale.setText(
            self.tr("The roster is {0} days old: refresh it before settling if in doubt.").format(
                s.roster_age(now).days
            )
        )

    def _show_refusal(self, s: Standing) -> None:
        if not s.insured:
            self.refusal.setText(self.tr("Not insured this year: settle as self-pay."))
        elif s.reason is not None:
            detail = f"\n{s.refusal}" if s.refusal else ""
            self.refusal.setText(reason_text(s.reason) + detail)
        elif s.cap_left is not None and s.cap_left <= 0:
            self.refusal.setText(reason_text(Reason.CAP_REACHED))
        else:
            self.refusal.hide()
            return
        self.refusal.show()

    def _deductible(self, s: Standing) -> str:
        if s.deductible is None or s.deductible == 0:
            return self.tr("no deductible")
        return self._of(s.deductible_met, s.deductible)

    def _of(self, amount: Any, whole: Any) -> str:
        if whole is None:
            return format_amount(amount)
        return self.tr("{0} of {1}").format(format_amount(amount), format_amount(whole))

    def _age(self, s: Standing, now: dt.datetime) -> str:
        stamp = s.roster_updated_at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
        days = s.roster_age(now).days
        return stamp if days < 1 else self.tr("{0} ({1} days ago)").format(stamp, days)
