"""A month field whose arrows step months.

A ``QDateEdit`` showing ``yyyy-MM`` steps the section the cursor is in, and the cursor
starts in the year: the clerk pressing the arrow for next month got next year. Here
every step (arrow buttons, Up and Down, the wheel) moves by months, across the turn of
a year; a year is typed, or twelve steps.
"""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QAbstractSpinBox, QDateEdit, QWidget
from typing_extensions import override


class MonthEdit(QDateEdit):
    def __init__(self, month: QDate, parent: QWidget | None = None) -> None:
        super().__init__(month, parent)
        self.setDisplayFormat("yyyy-MM")

    @override
    def stepBy(self, steps: int) -> None:
        self.setDate(self.date().addMonths(steps))

    @override
    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if self.date().addMonths(-1) >= self.minimumDate():
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        if self.date().addMonths(1) <= self.maximumDate():
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        return flags
