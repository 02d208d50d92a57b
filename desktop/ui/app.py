"""Starting the counter in two stages: the window at once, the clinic's records behind it.

The window is built from Qt-only modules and shown with the card box focused, so the
clerk can start typing; a worker meanwhile imports SQLAlchemy, opens the store, checks
its migrations and loads the catalogue (``desktop.ui.opening``). A card typed before
that is held and checked the moment the store is ready.

With no database named and none in the data folder yet, the demo clinic is built there
(behind a progress dialog) and the demo clerk is signed in, so a newcomer sees a working
counter at once. Otherwise whoever is at the counter signs in.

Sync starts once everything else is in (``CounterWindow.start_sync``): with the store's
own agency address when it has one, with the demo's own sandbox agency when nothing is
configured and the store is the demo clinic, and otherwise not, saying why.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QMargins, QObject, QSettings, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from desktop.ui.i18n import ORGANISATION, install_translation, prepare_system_locale
from desktop.ui.main_window import CARD_CHECK_MODULES, CounterWindow
from desktop.ui.style import counter_font, style_sheet
from desktop.ui.workers import run_in_background

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressDialog

    from db.session import Store
    from desktop.auth import SignedIn
    from desktop.ui.opening import Location, OpenedClinic, StoreCheckError
    from desktop.ui.sync_setup import Targets

DEMO_CLERK = "clerk"
DEFAULT_MINUTES = 10  # of no key or click before the counter locks
OPEN_AFTER_MS, POLL_MS = 300, 5


def idle_minutes() -> float:
    raw = os.environ.get("CLINIC_POS_IDLE_MINUTES") or QSettings(ORGANISATION, ORGANISATION).value("idle_minutes")
    try:
        minutes = float(str(raw)) if raw else DEFAULT_MINUTES
    except ValueError:
        return DEFAULT_MINUTES
    return minutes if minutes > 0 else DEFAULT_MINUTES


class Launcher(QObject):
    """Shows the window, then opens the records behind it and hands them in.

    ``sign_in_as`` signs that username in without a password: the demo clerk after the
    demo is built, or a benchmark's; ``main`` never passes one.
    """

    def __init__(self, app: QApplication, db: str | None, *, sign_in_as: str | None = None) -> None:
        super().__init__()
        self.app = app
        self.db = db
        self.sign_in_as = sign_in_as
        self.window: CounterWindow | None = None
        self.progress: QProgressDialog | None = None
        self.location: Location | None = None

    def start(self) -> CounterWindow:
        self.window = CounterWindow(idle_minutes=idle_minutes())
        # However the program ends (a closed window stops it too), the relay and the demo's
        # agency stop with it: the relay's thread would otherwise keep the process alive.
        self.app.aboutToQuit.connect(self.window.stop_sync)
        show_fitted(self.window)
        self.window.counter.focus_card()
        self._open_when_shown()
        return self.window

    def _open_when_shown(self, waited_ms: int = 0) -> None:
        # The worker's imports hold the GIL for much of a second: started at once, they
        # would slow the window's first paint. It starts once the window is active (its
        # card box taking keys), or after a short wait where no window manager activates it.
        assert self.window is not None
        if not self.window.isActiveWindow() and waited_ms < OPEN_AFTER_MS:
            QTimer.singleShot(POLL_MS, lambda: self._open_when_shown(waited_ms + POLL_MS))
            return
        self.window.finish_building()  # the rest of the counter, behind its first frame
        from desktop.ui.opening import locate

        run_in_background(lambda: locate(self.db), self._located, self._failed)

    def _located(self, location: Location) -> None:
        from desktop.ui.opening import open_clinic

        if location.build_demo and self._wants_encryption():
            location = replace(location, encrypt=True)
        self.location = location
        if location.build_demo:
            self._show_progress()
            self.sign_in_as = DEMO_CLERK
        sign_in_as = self.sign_in_as
        run_in_background(
            lambda: open_clinic(location, sign_in_as=sign_in_as, warm=CARD_CHECK_MODULES), self._opened, self._failed
        )

    def _wants_encryption(self) -> bool:
        """A new installation offers to encrypt its records, where this computer can keep the key."""
        from PySide6.QtWidgets import QMessageBox

        from desktop.ui.opening import encryption_on_offer

        if not encryption_on_offer():
            return False
        answer = QMessageBox.question(
            self.window,
            self.tr("Clinic counter"),
            self.tr(
                "Encrypt the clinic's records on this computer?\n\nWhoever copies an encrypted file sees no name, "
                "ID number or diagnosis in it. The key is kept in this computer's keyring; an administrator "
                "writes it down with `clinic-pos store-key show` to open a backup on another computer."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _show_progress(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QProgressDialog

        self.progress = QProgressDialog(self.tr("Setting up a demo clinic to try the counter…"), "", 0, 0, self.window)
        self.progress.setObjectName("demoProgress")
        self.progress.setWindowTitle(self.tr("Clinic counter"))
        self.progress.setCancelButton(None)  # no cancel: the demo is built in seconds
        self.progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.progress.setMinimumDuration(0)
        self.progress.show()

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()

    def _failed(self, error: BaseException) -> None:
        from PySide6.QtWidgets import QMessageBox

        self._close_progress()
        from desktop.machine import diagnose
        from desktop.policy.codec import InputError
        from desktop.ui.opening import StoreCheckError

        refused = diagnose(error, self.db)
        chinese = self.tr("Could not start: {0}") != "Could not start: {0}"
        said = refused.message(chinese) if refused is not None else None
        if isinstance(error, StoreCheckError):
            said = self._store_refused(error)
        elif said is None and isinstance(error, InputError):
            said = error.message
            if error.field == "db":
                said = self.tr("{0} is not the clinic's records; it was left as it is.").format(self.db)
                said += "\n\n" + self.tr("Details: {0}").format(error.message)
        QMessageBox.critical(
            self.window, self.tr("Clinic counter"), self.tr("Could not start: {0}").format(said or error)
        )
        self.app.exit(1)

    def _store_refused(self, error: StoreCheckError) -> str:
        """The start-up check's refusal in the clerk's language; the check's own words as the details."""
        where = str(error.path)
        if error.failed == "key":
            what = self.tr(
                "The clinic's records at {0} are encrypted, and this computer does not have their key."
            ).format(where)
            todo = self.tr("Give this computer the store's key (clinic-pos store-key set), then start again.")
        else:
            if error.failed == "audit":
                what = self.tr(
                    "The audit log of the clinic's records at {0} is broken: "
                    "a recorded row was changed, deleted or reordered."
                ).format(where)
            else:
                what = self.tr("The clinic's records at {0} are damaged.").format(where)
            if error.newest_backup is not None:
                todo = self.tr(
                    "Nothing was written to them. Copy the file aside for the auditor, then restore the newest "
                    "backup that checks out: clinic-pos restore --db {0} --from {1}"
                ).format(where, str(error.newest_backup))
            else:
                todo = self.tr(
                    "Nothing was written to them. Copy the file aside for the auditor; no backup was found "
                    "in {0}: ask the administrator."
                ).format(str(error.backups))
        return f"{what}\n\n{todo}\n\n" + self.tr("Details: {0}").format(error.problem)

    def _opened(self, opened: OpenedClinic) -> None:
        self._close_progress()
        assert self.window is not None
        staff = opened.staff or self._sign_in(opened.store)
        if staff is None:
            opened.store.dispose()
            self.app.exit(0)
            return
        self.window.attach(opened.store, staff, (opened.catalogue, opened.diagnoses))
        self.window.start_sync(self._sync_targets())

    def _sync_targets(self) -> Targets:
        from pathlib import Path

        from desktop.ui.sync_setup import choose_target

        assert self.location is not None
        # Only the data folder's own file may be the demo (see desktop.ui.sync_setup).
        return choose_target(Path(self.location.where) if self.db is None else None)

    def _sign_in(self, store: Store) -> SignedIn | None:
        from desktop.ui.sign_in import SignInDialog
        from desktop.ui.sync_setup import is_demo_clinic

        # The data folder's own demo, opened again: its logins are said on the dialog.
        dialog = SignInDialog(store, self.window, demo=self.db is None and is_demo_clinic(store))
        if dialog.exec() != SignInDialog.DialogCode.Accepted:
            return None
        return dialog.signed_in


def show_fitted(window: QWidget) -> None:
    """Maximised on the screen it opens on: a counter PC's screen may be 1024×768, and a
    fixed size there put the quote and the settle button off its edge. Where no window
    manager maximises (a bare X server), the window is given the screen's free area itself."""
    available = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    window.setGeometry(available)
    window.showMaximized()
    frame, inner = window.frameGeometry(), window.geometry()
    if not available.contains(frame):  # a frame drawn around it after all: the frame fits, not the inside
        window.setGeometry(
            available.marginsRemoved(
                QMargins(
                    inner.left() - frame.left(),
                    inner.top() - frame.top(),
                    frame.right() - inner.right(),
                    frame.bottom() - inner.bottom(),
                )
            )
        )


def make_application() -> QApplication:
    existing = QApplication.instance()
    if existing is None:
        prepare_system_locale()  # read by Qt once, as the application is made
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("clinic-pos")
    app.setOrganizationName(ORGANISATION)
    install_translation(app)
    app.setFont(counter_font())
    app.setStyleSheet(style_sheet())
    return app


def main(db: str | None = None) -> int:
    app = make_application()
    launcher = Launcher(app, db)
    app.setQuitOnLastWindowClosed(True)
    launcher.start()
    return app.exec()
