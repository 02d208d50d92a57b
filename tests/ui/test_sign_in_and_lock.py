"""Signing in through the dialog, and the idle lock back to it."""

from __future__ import annotations

from typing import Any

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from sqlalchemy import select

from db.models import Staff
from db.session import Store
from desktop.ui.app import Launcher
from desktop.ui.main_window import CounterWindow
from desktop.ui.sign_in import SignInDialog
from tests.ui.conftest import NOW, signed_in

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def fast_passwords(store: Store) -> None:
    with store.writing() as session:
        for staff in session.scalars(select(Staff)):
            staff.password_hash = FAST.hash(staff.username)


def test_sign_in_with_keys_only(qtbot: Any, store: Store) -> None:
    fast_passwords(store)
    dialog = SignInDialog(store)
    dialog.authenticator.hasher = FAST
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.username, "doctor1")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password, "doctor1")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == SignInDialog.DialogCode.Accepted
    assert dialog.signed_in is not None
    assert dialog.signed_in.role == "village_doctor"


def test_a_wrong_password_is_said_in_red_and_the_dialog_stays(qtbot: Any, store: Store) -> None:
    fast_passwords(store)
    dialog = SignInDialog(store)
    dialog.authenticator.hasher = FAST
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "clerk")
    qtbot.keyClicks(dialog.password, "nope")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert dialog.error.text() == dialog.tr("Wrong username or password.")
    assert dialog.password.text() == ""


def test_idle_lock_hides_the_counter_until_signed_in_again(qtbot: Any, store: Store) -> None:
    fast_passwords(store)
    window = CounterWindow(store, signed_in(store, "clerk"), clock=lambda: NOW, idle_minutes=0.002, extra_pages=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.locked_page, timeout=3000)
    dialog = window.sign_in
    dialog.authenticator.hasher = FAST
    assert dialog.username.text() == "clerk"
    # Escape, the counter's next-patient key, pressed by habit: the lock stays, the program stays.
    qtbot.keyClick(dialog.password, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert window.isVisible()
    assert window.stack.currentWidget() is window.locked_page
    qtbot.keyClicks(dialog.password, "clerk")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.tabs
    window.idle.pause()


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize(("db", "told"), [(None, True), ("clinic.sqlite3", False)])
def test_a_later_start_of_the_demo_says_its_logins(
    qtbot: Any, qapp: QApplication, store: Store, monkeypatch: pytest.MonkeyPatch, db: str | None, told: bool
) -> None:
    """The first start signs the demo clerk in by itself; the next ones ask, and say with what."""
    shown: list[str] = []

    def exec_(dialog: SignInDialog) -> int:
        note = dialog.findChild(QLabel, "lockNote")
        assert note is not None
        shown.append(note.text() if not note.isHidden() else "")
        return SignInDialog.DialogCode.Rejected

    monkeypatch.setattr(SignInDialog, "exec", exec_)
    launcher = Launcher(qapp, db)  # None: the data folder's own file, which may be the demo
    assert launcher._sign_in(store) is None
    if told:
        assert shown == [
            "演示诊所：密码与用户名相同——admin（管理员）、clerk（收费员）、doctor1（村医）、doctor2（村医）、doctor3（村医）"
        ]
    else:  # a store named on the command line is the clinic's own, whatever it holds
        assert shown == [""]
