"""Small constructors: every widget a test or the style sheet looks for gets an object name."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QLabel, QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    widget.setObjectName(name)
    return widget


def label(name: str, text: str = "", *, wrap: bool = False) -> QLabel:
    made = named(QLabel(text), name)
    made.setWordWrap(wrap)
    return made
