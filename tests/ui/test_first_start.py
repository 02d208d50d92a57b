"""Starting with nothing configured: the demo clinic is built off the GUI thread and the clerk is in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

import desktop.ui.app as app_module
from tests.ui.conftest import first_start, wait_for_workers


def test_first_start_builds_the_demo_and_signs_in_the_clerk(
    qtbot: Any, qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    launcher, window, target = first_start(qtbot, qapp, tmp_path, monkeypatch)
    assert window.isVisible()  # the window first, the records behind it
    qtbot.waitUntil(lambda: launcher.progress is not None and launcher.progress.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: window.store is not None, timeout=20_000)
    assert launcher.progress is not None
    assert not launcher.progress.isVisible()
    assert window.staff is not None
    assert window.staff.username == "clerk"
    assert target.exists()
    assert not target.with_name(target.name + ".building").exists()
    wait_for_workers(qtbot)
    window.idle.pause()
    window.stop_sync()  # the demo's agency (see test_demo_agency) is not this test's business
    window.store.dispose()  # type: ignore[union-attr]  # attached above


def test_idle_minutes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINIC_POS_IDLE_MINUTES", "3")
    assert app_module.idle_minutes() == 3
    monkeypatch.setenv("CLINIC_POS_IDLE_MINUTES", "soon")
    assert app_module.idle_minutes() == app_module.DEFAULT_MINUTES
