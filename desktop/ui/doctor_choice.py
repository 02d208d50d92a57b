"""The diagnosing doctor (接诊医生) named at the counter, beside the diagnosis.

The agency knows the doctor by the practitioner code (医保医师代码) in 2201's ``atddr_no``
and 2203's ``dise_dor_no``; a visit that names nobody is set aside at sync. The counter
lists the doctors who may diagnose here (``desktop.practitioners.doctors_for``), read off
the GUI thread once someone signs in, and preselects ``default_doctor``: whoever settles
if a doctor, else the clinic's only one. Where several doctors work and a clerk settles,
none is preselected and an insured visit waits for the clerk to choose (Alt+Y).

The code is shown in full: it is the bureau's public identifier of a practitioner, not
personal data, and it is what the clerk checks against the prescription.

No Qt enum is touched before the counter's second building step (``tests/ui/test_first_frame``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QWidget

if TYPE_CHECKING:
    from db.session import Store
    from desktop.practitioners import Doctor


@dataclass(frozen=True, slots=True)
class Doctors:
    """Who may diagnose at the counter's facility, and who is chosen when a visit starts."""

    listed: tuple[Doctor, ...]
    preselected: Doctor | None


def read_doctors(store: Store, facility_id: str, staff_id: int) -> Doctors:
    """Qt-free: run on a worker, its result handed to ``DoctorChoice.show_doctors``."""
    from desktop.practitioners import default_doctor, doctors_for

    with store.reading() as session:
        listed = tuple(doctors_for(session, facility_id))
        return Doctors(listed, default_doctor(session, facility_id, staff_id))


class DoctorChoice(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("doctorChoice")
        self.doctors = Doctors((), None)
        self.read = False  # until then nothing is said: the list is on its way
        # The longest entry (the no-doctor notice) must not widen the visit column.
        self.setMinimumContentsLength(14)

    def finish_building(self) -> None:
        """The second step: the size policy is one of Qt's enums."""
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

    def show_doctors(self, doctors: Doctors) -> None:
        self.doctors = doctors
        self.read = True
        self.clear()
        for doctor in doctors.listed:
            self.addItem(f"{doctor.name}（{doctor.code}）")
        if not doctors.listed:
            self.setPlaceholderText(
                self.tr("No practising doctor: an administrator must enter the practitioner code (医保医师代码)")
            )
        else:
            self.setPlaceholderText(self.tr("Choose the diagnosing doctor"))
        self.to_preselected()

    def to_preselected(self) -> None:
        """A new visit: back to the default doctor (a choice for the last patient is not for this one)."""
        chosen = self.doctors.preselected
        at = -1 if chosen is None else self.doctors.listed.index(chosen)
        self.setCurrentIndex(at)

    def chosen(self) -> int | None:
        """The chosen doctor's staff id; None when there is none to choose or none chosen yet."""
        at = self.currentIndex()
        return self.doctors.listed[at].staff_id if 0 <= at < len(self.doctors.listed) else None

    def awaits_choice(self) -> bool:
        """Doctors to choose from and none chosen: an insured visit would name nobody."""
        return bool(self.doctors.listed) and self.chosen() is None
