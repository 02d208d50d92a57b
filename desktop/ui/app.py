"""Starting the counter: language, style, the database, then sign-in or the demo clerk.

With no database named and none in the data folder yet, the demo clinic is built there
(off the GUI thread, behind a progress dialog) and the demo clerk is signed in, so a
newcomer sees a working counter at once.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from db.session import Store, default_database_path, open_store
from desktop.auth import SignedIn, staff_by_username
from desktop.ui.i18n import ORGANISATION, install_translation
from desktop.ui.idle_lock import DEFAULT_MINUTES
from desktop.ui.main_window import CounterWindow
from desktop.ui.sign_in import SignInDialog
from desktop.ui.style import style_sheet
from desktop.ui.workers import run_in_background

DEMO_CLERK = "clerk"


def idle_minutes() -> float:
    raw = os.environ.get("CLINIC_POS_IDLE_MINUTES") or QSettings(ORGANISATION, ORGANISATION).value("idle_minutes")
    try:
        minutes = float(str(raw)) if raw else DEFAULT_MINUTES
    except ValueError:
        return DEFAULT_MINUTES
    return minutes if minutes > 0 else DEFAULT_MINUTES


def build_demo_store(path: Path) -> Path:
    """Runs on a pool thread: the demo clinic in a new file (a year of visits takes seconds)."""
    from desktop.demo import build_demo

    partial = path.with_name(path.name + ".building")
    partial.unlink(missing_ok=True)
    store = open_store(partial)
    try:
        build_demo(store)
    finally:
        store.dispose()
    partial.replace(path)
    return path


class Launcher(QObject):
    """Holds the start-up state until the counter window is shown."""

    def __init__(self, app: QApplication, db: str | None) -> None:
        super().__init__()
        self.app = app
        self.db = db
        self.window: CounterWindow | None = None
        self.progress: QProgressDialog | None = None

    def start(self) -> None:
        path = default_database_path() if self.db is None else None
        if path is not None and not path.exists():
            self._build_demo(path)
            return
        self._open(self.db if self.db is not None else str(path), demo=False)

    def _build_demo(self, path: Path) -> None:
        self.progress = QProgressDialog(self.tr("Setting up a demo clinic to try the counter…"), "", 0, 0)
        self.progress.setObjectName("demoProgress")
        self.progress.setWindowTitle(self.tr("Clinic counter"))
        self.progress.setCancelButton(None)  # no cancel: the demo is built in seconds
        self.progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.progress.setMinimumDuration(0)
        self.progress.show()
        run_in_background(lambda: build_demo_store(path), self._demo_built, self._failed)

    def _demo_built(self, path: Path) -> None:
        if self.progress is not None:
            self.progress.close()
        self._open(str(path), demo=True)

    def _failed(self, error: BaseException) -> None:
        if self.progress is not None:
            self.progress.close()
        QMessageBox.critical(None, self.tr("Clinic counter"), self.tr("Could not start: {0}").format(error))
        self.app.exit(1)

    def _open(self, where: str, *, demo: bool) -> None:
        try:
            store = open_store(where)
        except Exception as exc:  # a bad path or URL: say so instead of a traceback
            self._failed(exc)
            return
        staff = staff_by_username(store, DEMO_CLERK) if demo else None
        if staff is None:
            staff = self._sign_in(store)
        if staff is None:
            self.app.exit(0)
            return
        self.show_counter(store, staff)

    def _sign_in(self, store: Store) -> SignedIn | None:
        dialog = SignInDialog(store)
        if dialog.exec() != SignInDialog.DialogCode.Accepted:
            return None
        return dialog.signed_in

    def show_counter(self, store: Store, staff: SignedIn) -> CounterWindow:
        self.window = CounterWindow(store, staff, idle_minutes=idle_minutes())
        self.window.resize(1280, 760)
        self.window.show()
        self.window.counter.focus_card()
        return self.window


def make_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("clinic-pos")
    app.setOrganizationName(ORGANISATION)
    install_translation(app)
    app.setStyleSheet(style_sheet())
    return app


def main(db: str | None = None) -> int:
    app = make_application()
    launcher = Launcher(app, db)
    app.setQuitOnLastWindowClosed(True)
    launcher.start()
    if launcher.window is None and launcher.progress is None:
        return 0
    return app.exec()
