"""The patient panel: the identity check at a glance, refusals in red and warnings in amber.

Refusals and warnings are the identity package's own words, each with the policy
article behind it: the clerk reads them out to the patient as they are. The package
words them in Chinese and in English; the interface's language is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.money import format_amount
from desktop.ui.i18n import CHINA
from desktop.ui.widgets import label, named

if TYPE_CHECKING:
    from desktop.identity.check import CheckedPerson
    from desktop.identity.findings import Finding
    from desktop.settlement.self_pay import WalkInDetails
    from desktop.ui.standing import CounterPatient

DISEASES = {
    "hypertension": QT_TRANSLATE_NOOP("PatientPanel", "Hypertension"),
    "diabetes": QT_TRANSLATE_NOOP("PatientPanel", "Diabetes"),
}


# Keyed by the identity package's word for the sex (desktop.identity.check).
SEXES = {
    "男": QT_TRANSLATE_NOOP("PatientPanel", "Male"),
    "女": QT_TRANSLATE_NOOP("PatientPanel", "Female"),
    "未说明": QT_TRANSLATE_NOOP("PatientPanel", "Not stated"),
}


def sex_text(word: str) -> str:
    return QCoreApplication.translate("PatientPanel", str(SEXES[word])) if word in SEXES else word


def disease_text(disease: str) -> str:
    return QCoreApplication.translate("PatientPanel", str(DISEASES[disease])) if disease in DISEASES else disease


def _yes_no(flag: bool) -> str:
    return (
        QCoreApplication.translate("PatientPanel", "Yes") if flag else QCoreApplication.translate("PatientPanel", "No")
    )


class PatientPanel(QFrame):
    """Filled at once after the card check; cleared for the next patient."""

    # The clerk has a filing form (异地备案) for this out-of-area patient to enter.
    filing_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, full_id: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("patientPanel")
        self.full_id = full_id
        self.may_file = False
        self.name = label("patientName", wrap=True)
        self.refusal = label("refusal", wrap=True)
        # Every warning, not only a stale roster: the amber the style sheet gives this name.
        self.warnings = label("staleWarning", wrap=True)
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        for key, title in self._titles():
            value = label(f"patient_{key}", wrap=True)
            self.fields[key] = value
            form.addRow(title, value)
        self.file_button = named(QPushButton(self.tr("Enter out-of-area filing…")), "fileButton")
        self.file_button.clicked.connect(self.filing_requested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.refusal)
        layout.addWidget(self.warnings)
        layout.addLayout(form)
        layout.addWidget(self.file_button)
        layout.addStretch(1)
        self.clear()

    def _titles(self) -> list[tuple[str, str]]:
        return [
            ("id_number", self.tr("ID number")),
            ("sex_age", self.tr("Sex and age")),
            ("scheme", self.tr("Scheme")),
            ("area", self.tr("Insured area")),
            ("signed", self.tr("Signed with")),
            ("family_doctor", self.tr("Family doctor")),
            ("poverty", self.tr("Poverty registered")),
            ("chronic", self.tr("Chronic diseases")),
            ("deductible", self.tr("Deductible met")),
            ("cap_left", self.tr("Cap left this year")),
            ("account", self.tr("Personal account")),
            ("roster", self.tr("Roster as of")),
        ]

    # --- what the card box asks it to show ----------------------------------------

    def clear(self) -> None:
        self.name.setText(self.tr("Swipe, scan or type the card"))
        self.refusal.hide()
        self.warnings.hide()
        self.file_button.hide()
        for shown in self.fields.values():
            shown.setText("—")

    def show_waiting(self) -> None:
        """A card came in before the clinic's database is open: it is checked as soon as it is."""
        self.clear()
        self.name.setText(self.tr("Opening the clinic's records…"))
        self.warnings.setText(self.tr("The card will be checked as soon as the records are open."))
        self.warnings.show()

    def show_reading(self) -> None:
        """The chip of the card in the reader is being read."""
        self.clear()
        self.name.setText(self.tr("Reading the card…"))

    def show_problem(self, message: str) -> None:
        """What was typed or scanned cannot be a card: the reason, and nothing else."""
        self.clear()
        self.name.setText(self.tr("Check what was typed"))
        self.refusal.setText(message)
        self.refusal.show()

    def show_walk_in(self, walk_in: WalkInDetails) -> None:
        """Someone not on the roster, seen for self-pay: their name, and nothing the roster would say."""
        self.clear()
        self.name.setText(walk_in.name)
        self.warnings.setText(self.tr("Not on the roster: self-pay (自费), never sent to the agency."))
        self.warnings.show()
        if walk_in.id_number:
            from desktop.privacy import mask_id_number

            self.fields["id_number"].setText(mask_id_number(walk_in.id_number))
        self.fields["scheme"].setText(self.tr("Self-pay"))

    def show_check(self, checked: CounterPatient) -> None:
        self.clear()
        person = checked.person
        self._show_findings(checked)
        if person is None:
            self.name.setText(self.tr("Not on the roster: {0}").format(checked.id_number))
            return
        self.name.setText(person.name)
        f = self.fields
        f["sex_age"].setText(self.tr("{0}, age {1}").format(sex_text(person.gender), person.age))
        f["id_number"].setText(checked.id_number)
        f["scheme"].setText(self._scheme(person))
        f["area"].setText(self._area(person))
        away = not person.area.in_area
        self.file_button.setVisible(away)
        self.file_button.setEnabled(away and self.may_file)
        self.file_button.setToolTip("" if self.may_file else self.tr("Your role may not enter filings."))
        f["signed"].setText(self._signed(person))
        f["family_doctor"].setText(_yes_no(person.family_doctor))
        f["poverty"].setText(_yes_no(person.poverty_registered))
        f["chronic"].setText("、".join(disease_text(d) for d in person.chronic_diseases) or self.tr("none"))
        f["deductible"].setText(self._deductible(person))
        f["cap_left"].setText(self.tr("no cap") if person.cap_left is None else self._of(person.cap_left, person.cap))
        f["account"].setText(format_amount(person.account_balance) if self._employee(person) else "—")
        f["roster"].setText(self._roster_age(person))

    # --- pieces -------------------------------------------------------------------

    def _show_findings(self, checked: CounterPatient) -> None:
        version = checked.person.policy_version if checked.person else None
        for shown, found in ((self.refusal, checked.check.refusals), (self.warnings, checked.check.warnings)):
            shown.setText(self._findings_text(found, version))
            shown.setVisible(bool(found))

    def _findings_text(self, found: Sequence[Finding], version: str | None) -> str:
        lines = []
        chinese = QLocale().language() == QLocale.Language.Chinese
        for finding in found:
            reason = finding.said_in(chinese)
            if finding.article is None:
                lines.append(reason)
            else:
                lines.append(self.tr("{0} (see {1} {2})").format(reason, version or "", finding.article))
        return "\n".join(lines)

    @staticmethod
    def _employee(person: CheckedPerson) -> bool:
        return str(person.scheme) == "employee"

    def _scheme(self, person: CheckedPerson) -> str:
        scheme = self.tr("Employee") if self._employee(person) else self.tr("Resident")
        title = person.policy_title or self.tr("policy not in force")
        return f"{scheme} · {title}"

    def _area(self, person: CheckedPerson) -> str:
        """The insured area, whether it is this pooling area, and the filing that covers this clinic."""
        from desktop.area import FilingOrigin, describe, describe_in_english

        area = person.area
        if not area.known:
            return self.tr("{0} (cannot be told)").format(area.insured_area or "—")
        if area.in_area:
            return self.tr("{0} (this pooling area)").format(area.insured_area)
        if area.filing is None:
            return self.tr("{0} (elsewhere; no filing for here on record)").format(area.insured_area)
        by_agency = area.filing.origin is FilingOrigin.AGENCY
        source = self.tr("from the agency") if by_agency else self.tr("entered from the form")
        chinese = QLocale().language() == QLocale.Language.Chinese
        filing = describe(area.filing) if chinese else describe_in_english(area.filing)
        return self.tr("{0} (elsewhere); filed: {1}, {2}").format(area.insured_area, filing, source)

    def _signed(self, person: CheckedPerson) -> str:
        if person.signed_here is None:
            return self.tr("no signing for employees")
        if not person.signed_facilities:
            return self.tr("not signed")
        names = "、".join(s.name for s in person.signed_facilities)
        if person.signed_via_township:
            return self.tr("{0} (this clinic counts through it)").format(names)
        return names if person.signed_here else self.tr("{0} (elsewhere)").format(names)

    def _deductible(self, person: CheckedPerson) -> str:
        if person.deductible is None or person.deductible == 0:
            return self.tr("no deductible")
        return self._of(person.year_to_date.deductible_met, person.deductible)

    def _of(self, amount: Decimal, whole: Decimal | None) -> str:
        if whole is None:
            return format_amount(amount)
        return self.tr("{0} of {1}").format(format_amount(amount), format_amount(whole))

    def _roster_age(self, person: CheckedPerson) -> str:
        stamp = person.roster_updated_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
        days = person.roster_age_days
        return stamp if days < 1 else self.tr("{0} ({1} days ago)").format(stamp, days)
