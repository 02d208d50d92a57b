"""The counter's look: the application font, and the style sheet shipped in ``resources/style``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont

import resources

STYLE_SHEET = "counter.qss"
# The faces a Chinese clinic's PC has, first found wins: Windows, Linux, Linux, macOS.
FONT_FAMILIES = ("Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC", "sans-serif")
FONT_PIXELS = 15  # large, calm type for a clerk who reads it out all day


def style_sheet() -> str:
    # A plain path, not importlib.resources (~5 ms of start-up): the translations beside
    # it must be a folder on disk for QTranslator anyway.
    return (Path(resources.__file__).parent / "style" / STYLE_SHEET).read_text(encoding="utf-8")


def counter_font() -> QFont:
    """The application's font. Set once on the application rather than as a style-sheet
    rule for every widget, which cost ~10 ms of the window's start (benchmarks/startup.py)."""
    font = QFont()
    font.setFamilies(list(FONT_FAMILIES))
    font.setPixelSize(FONT_PIXELS)
    return font
