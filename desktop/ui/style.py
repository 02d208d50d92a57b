"""The counter's style sheet, shipped in ``resources/style``."""

from __future__ import annotations

from pathlib import Path

import resources

STYLE_SHEET = "counter.qss"


def style_sheet() -> str:
    # A plain path, not importlib.resources (~5 ms of start-up): the translations beside
    # it must be a folder on disk for QTranslator anyway.
    return (Path(resources.__file__).parent / "style" / STYLE_SHEET).read_text(encoding="utf-8")
