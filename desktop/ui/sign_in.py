"""The sign-in dialog: username and password, Enter to sign in.

On the demo clinic it says the demo's logins: after the first start, which signs the
demo clerk in by itself, nobody would otherwise know them.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget
from typing_extensions import override

from db.session import Store
from desktop.auth import Authenticator, SignedIn, SignInError
from desktop.settlement.service import CHINA
from desktop.ui.widgets import label, named


class SignInDialog(QDialog):
    def __init__(
        self, store: Store, parent: QWidget | None = None, *, locked_by: SignedIn | None = None, demo: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("Sign in — Clinic counter"))
        self.authenticator = Authenticator(store)
        self.signed_in: SignedIn | None = None
        self.locking = locked_by is not None
        self.username = named(QLineEdit(), "username")
        self.password = named(QLineEdit(), "password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = label("signInError", wrap=True)
        self.error.hide()
        note = label("lockNote", wrap=True)
        if locked_by is not None:
            note.setText(self.tr("The counter is locked. Sign in again to carry on."))
            self.username.setText(locked_by.username)
        elif demo:
            note.setText(self._demo_logins())
        else:
            note.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Sign in"))
        ok.setObjectName("signInButton")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Quit"))
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Username"), self.username)
        form.addRow(self.tr("&Password"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(360)
        (self.password if locked_by is not None else self.username).setFocus()

    def _demo_logins(self) -> str:
        from desktop.demo import STAFF

        roles = {"clerk": self.tr("clerk"), "village_doctor": self.tr("village doctor"), "admin": self.tr("admin")}
        logins = [
            f"{username}（{roles.get(role, role)}）"
            for username, _, role, _, password, _ in STAFF
            if password == username
        ]
        return self.tr("Demo clinic: each password is the same as the username: {0}").format("、".join(logins))

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Escape is the counter's next-patient key, pressed by habit: on the lock screen it
        # must not quit the program. Quitting stays the Quit button's, deliberately.
        if self.locking and event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def try_sign_in(self) -> None:
        try:
            self.signed_in = self.authenticator.sign_in(
                self.username.text(), self.password.text(), dt.datetime.now(dt.UTC)
            )
        except SignInError as exc:
            self.password.clear()
            self.password.setFocus()
            self.error.setText(self._message(exc))
            self.error.show()
            return
        except Exception as exc:  # the store cannot record the attempt: locked, full, read-only
            from desktop.ui.settle_guard import machine_says

            said = machine_says(exc, self.authenticator.store)
            if said is None:
                raise
            self.error.setText(said)
            self.error.show()
            return
        self.accept()

    def _message(self, error: SignInError) -> str:
        if error.locked_until is not None:
            until = error.locked_until.astimezone(CHINA).strftime("%H:%M")
            return self.tr("Too many wrong passwords. Try again after {0}.").format(until)
        if error.message.startswith("Enter"):
            return self.tr("Enter your username.")
        return self.tr("Wrong username or password.")
