"""Starting with nothing configured: the demo clinic is built off the GUI thread and the clerk is in."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

import desktop.demo
import desktop.ui.app as app_module
from desktop.ui.idle_lock import DEFAULT_MINUTES
from tests.ui.conftest import TODAY, wait_for_workers


def test_first_start_builds_the_demo_and_signs_in_the_clerk(
    qtbot: Any, qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "data" / "clinic-pos.sqlite3"
    monkeypatch.setattr(app_module, "default_database_path", lambda: target)
    small = functools.partial(desktop.demo.build_demo, today=TODAY, people=40, days=5)
    monkeypatch.setattr(desktop.demo, "build_demo", small)
    launcher = app_module.Launcher(qapp, None)
    launcher.start()
    assert launcher.progress is not None
    assert launcher.progress.isVisible()  # the GUI thread is free to show it while the demo is built
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=20_000)
    window = launcher.window
    assert window is not None
    qtbot.addWidget(window)
    assert not launcher.progress.isVisible()
    assert window.staff.username == "clerk"
    assert target.exists()
    assert not target.with_name(target.name + ".building").exists()
    wait_for_workers(qtbot)
    window.idle.pause()
    window.store.dispose()


def test_idle_minutes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINIC_POS_IDLE_MINUTES", "3")
    assert app_module.idle_minutes() == 3
    monkeypatch.setenv("CLINIC_POS_IDLE_MINUTES", "soon")
    assert app_module.idle_minutes() == DEFAULT_MINUTES
