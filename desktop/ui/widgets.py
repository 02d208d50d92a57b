"""Small constructors: every widget a test or the style sheet looks for gets an object name."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QLabel, QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    widget.setObjectName(name)
    return widget


def label(name: str, text: str = "", *, wrap: bool = False) -> QLabel:
    made = named(QLabel(text), name)
    made.setWordWrap(wrap)
    return made


def qdate(day: dt.date | None) -> QDate:
    """``day`` as Qt's date; the machine's today when there is none."""
    return QDate.currentDate() if day is None else QDate(day.year, day.month, day.day)
