"""The counter's style sheet, shipped in ``resources/style``."""

from __future__ import annotations

from importlib import resources

STYLE_SHEET = "counter.qss"


def style_sheet() -> str:
    return (resources.files("resources") / "style" / STYLE_SHEET).read_text(encoding="utf-8")
