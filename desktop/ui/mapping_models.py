"""Thin Qt models for the catalogue mapping page: the clinic's items, and national lines to choose from.

Rows are ``desktop.catalogue_mapping``'s own records; the models only word them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor

from desktop.money import format_amount
from desktop.ui.rows_model import RowsModel

if TYPE_CHECKING:
    from desktop.catalogue_mapping import Candidate, Mapping

_WAITING = QColor("#b45309")
_REFUSED = QColor("#b91c1c")
STATES = {
    "unmapped": QT_TRANSLATE_NOOP("MappingModels", "Not mapped"),
    "proposed": QT_TRANSLATE_NOOP("MappingModels", "Proposed, to review"),
    "reviewed": QT_TRANSLATE_NOOP("MappingModels", "Reviewed"),
}


def state_text(state: str) -> str:
    return QCoreApplication.translate("MappingModels", str(STATES.get(state, state)))


class MappingsModel(RowsModel["Mapping"]):
    """Every item of the clinic's catalogue with its national code, unmapped ones first."""

    CODE, NAME, STATE, NATIONAL, NATIONAL_NAME, AGENCY = range(6)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = [
            (self.tr("Item"), lambda m: m.code, False),
            (self.tr("Name"), lambda m: m.name, False),
            (self.tr("Mapping"), lambda m: state_text(m.state), False),
            (self.tr("National code"), lambda m: m.national_code or "", False),
            (self.tr("National name"), lambda m: m.national_name, False),
            (self.tr("At the agency"), self._agency, False),
        ]

    def _agency(self, row: Mapping) -> str:
        if row.refused:
            return self.tr("Refused: {0}").format(row.refused)
        if row.state != "reviewed":
            return ""
        return self.tr("Uploaded for {0} facilities").format(row.uploaded) if row.uploaded else self.tr("Next sync")

    def _extra(self, row: Mapping, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.AGENCY:
            return row.refused or None
        if role != Qt.ItemDataRole.ForegroundRole:
            return None
        if row.refused and column == self.AGENCY:
            return _REFUSED
        return _WAITING if row.state != "reviewed" and column == self.STATE else None


class CandidatesModel(RowsModel["Candidate"]):
    """National catalogue lines offered for the chosen item, most alike first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = [
            (self.tr("National code"), lambda c: c.code, False),
            (self.tr("Name"), lambda c: c.name, False),
            (self.tr("Spec"), lambda c: c.spec, False),
            (self.tr("Class"), lambda c: c.item_class, False),
            (self.tr("Price"), lambda c: format_amount(c.price), True),
            (self.tr("Likeness"), lambda c: f"{c.likeness:.0%}", True),
        ]

    def _extra(self, row: Candidate, column: int, role: int) -> Any:  # noqa: ARG002
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QColor("#9ca3af")
        return None
