"""The counter under pytest-qt: a small demo clinic per test, and Qt warnings fail the test."""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from PySide6.QtCore import QLocale, QMessageLogContext, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import ColumnElement, select

from db.models import Person, Settlement, Signing
from db.session import Store, open_store
from desktop.auth import SignedIn, staff_by_username
from desktop.demo import FACILITIES, build_demo
from desktop.sandbox.from_store import roster_from_store
from desktop.sandbox.server import SandboxServer
from desktop.sync import FixedCredentials
from desktop.ui.app import Launcher
from desktop.ui.i18n import CHINESE, install_translation, remove_translation
from desktop.ui.main_window import CounterWindow
from desktop.ui.sync_setup import Target, Targets
from desktop.ui.sync_worker import THREAD_NAME as SYNC_THREAD
from desktop.ui.workers import busy

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing
TODAY = dt.date(2026, 11, 23)
# The offscreen platform's own limits (size hints, raising windows, keyboard grabs for
# popups): said of every window under test, no fault of the counter's.
HARMLESS = ("This plugin does not support",)


@pytest.fixture(autouse=True)
def qt_warnings_fail() -> Iterator[None]:
    caught: list[str] = []

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg) and not message.startswith(
            HARMLESS
        ):
            caught.append(f"{kind.name}: {message}")
        if previous is not None:
            previous(kind, context, message)

    previous = qInstallMessageHandler(handler)
    yield
    qInstallMessageHandler(previous)
    assert not caught, "Qt warned:\n" + "\n".join(caught)


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    """The Chinese interface, loaded by the application's own path (a file it forgets fails here)."""
    locale = QLocale()
    installed = install_translation(qapp, CHINESE)
    yield
    remove_translation(qapp, installed)
    QLocale.setDefault(locale)  # the next test in the language it started in


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    store = open_store(path)
    build_demo(store, today=TODAY, people=40, days=5)
    store.dispose()
    return path


@pytest.fixture
def store(demo_file: Path, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "clinic.sqlite3"
    shutil.copy(demo_file, path)
    opened = open_store(path)
    yield opened
    opened.dispose()


def signed_in(store: Store, username: str) -> SignedIn:
    staff = staff_by_username(store, username)
    assert staff is not None
    return staff


def covered_resident(store: Store) -> Person:
    """Someone the township centre's pool pays for: a Nanchang resident signed there."""
    return _first_covered(store)


def covered_newcomer(store: Store) -> Person:
    """A covered resident who has never been settled for in this store: nothing to suggest."""
    return _first_covered(store, ~Person.id.in_(select(Settlement.person_id)))


def _first_covered(store: Store, *also: ColumnElement[bool]) -> Person:
    with store.reading() as session:
        person = session.scalars(
            select(Person)
            .join(Signing, Signing.person_id == Person.id)
            .where(
                Person.policy == "nanchang-resident",
                Person.insured.is_(True),
                Person.benefit_suspended.is_(False),
                Signing.facility_id == "T01",
                *also,
            )
            .order_by(Person.id)
        ).first()
        assert person is not None, "the demo has covered residents of the township centre"
        return person


def wait_for_workers(qtbot: Any) -> None:
    qtbot.waitUntil(lambda: not busy(), timeout=5000)


class Keyboard:
    """Types into whatever has the focus, as a clerk would, and counts the keys.

    Qt handles what each key started before the next arrives, as at a clerk's pace. In a
    burst of keys the diagnosis completer's list is shown and closed (Enter) before its
    window's events come; they come after, and take the focus back to the diagnosis box
    (xcb) or leave the counter window inactive, its shortcuts dead (offscreen).
    """

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.count = 0

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def receiver(self) -> QWidget:
        # An open popup (the completer's list) has the keyboard, as on a real one.
        return QApplication.activePopupWidget() or self.focused()

    def type(self, text: str) -> None:
        for char in text:
            self.qtbot.keyClick(self.receiver(), char)
            QApplication.processEvents()
        self.count += len(text)

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(self.receiver(), key, modifier)
        QApplication.processEvents()
        self.count += 1


def type_chinese(editor: QWidget, text: str) -> None:
    """Chinese arrives from the input method as a committed string, not as key presses."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(editor, event)


def type_diagnosis(qtbot: Any, window: CounterWindow, text: str) -> None:
    """Into the diagnosis box, where the card check leaves the keyboard, then Enter."""
    assert QApplication.focusWidget() is window.counter.entry.diagnosis
    keys = Keyboard(qtbot)
    keys.type(text)
    keys.press(Qt.Key.Key_Return)


def settle_by_keys(qtbot: Any, window: CounterWindow, store: Store) -> int:
    """Card, diagnosis, one item, F12: keys only; the new settlement's id."""
    qtbot.keyClicks(window.counter.card, covered_resident(store).id_number)
    qtbot.keyClick(window.counter.card, Qt.Key.Key_Return)
    type_diagnosis(qtbot, window, "J06")
    qtbot.keyClicks(window.counter.entry.item, "fa01")
    qtbot.keyClick(window.counter.entry.item, Qt.Key.Key_Return)
    qtbot.keyClick(window.counter.entry.item, Qt.Key.Key_F12)
    assert window.counter.last is not None
    return int(window.counter.last.settlement_id)


class FirstStart(NamedTuple):
    launcher: Launcher
    window: CounterWindow
    database: Path  # where the demo store is built


def first_start(qtbot: Any, qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FirstStart:
    """``clinic-pos`` with nothing configured: the default store (here under ``tmp_path``), a small demo."""
    import db.session
    import desktop.demo

    target = tmp_path / "data" / "clinic-pos.sqlite3"
    monkeypatch.setattr(db.session, "default_database_path", lambda: target)
    small = functools.partial(desktop.demo.build_demo, today=TODAY, people=40, days=5)
    monkeypatch.setattr(desktop.demo, "build_demo", small)
    # No question about encryption (tests/store/test_at_rest.py): a developer's keyring would ask it.
    monkeypatch.setattr("desktop.ui.opening.encryption_on_offer", lambda: False)
    launcher = Launcher(qapp, None)
    window = launcher.start()
    qtbot.addWidget(window)
    return FirstStart(launcher, window, target)


def card_in(qtbot: Any, keys: Keyboard, card: str) -> None:
    keys.type(card)
    keys.press(Qt.Key.Key_Return)


def open_window(
    qtbot: Any, store: Store, username: str = "clerk", tmp_path: Path | None = None, *, extra_pages: bool = False
) -> CounterWindow:
    window = CounterWindow(
        store, signed_in(store, username), clock=lambda: NOW, receipts=tmp_path, extra_pages=extra_pages
    )
    qtbot.addWidget(window)
    window.resize(1280, 760)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    qtbot.waitUntil(lambda: window.catalogue is not None, timeout=5000)
    wait_for_workers(qtbot)
    return window


# --- sync: a sandbox agency on loopback that knows the store's roster ---------------------

SECRETS = {code: f"ui-test-secret-{code}-0123456789" for _, code, *_ in FACILITIES}


@pytest.fixture
def agency(store: Store, tmp_path: Path) -> Iterator[SandboxServer]:
    server = SandboxServer(tmp_path / "agency.sqlite3")
    server.load_roster(roster_from_store(store, TODAY))
    server.load_secrets(SECRETS)
    server.start()
    yield server
    server.stop()


def target_for(server: SandboxServer) -> Targets:
    return lambda _store: Target(server.url, FixedCredentials(SECRETS))


@pytest.fixture
def syncing(qtbot: Any, store: Store, agency: SandboxServer) -> Iterator[Callable[..., CounterWindow]]:
    """Opens a window that syncs with ``agency``; its relay stops before the agency and the store go."""
    opened: list[CounterWindow] = []

    def open_syncing(username: str = "clerk", *, start: bool = True) -> CounterWindow:
        window = open_window(qtbot, store, username)
        if start:
            window.start_sync(target_for(agency))
        opened.append(window)
        return window

    yield open_syncing
    for window in opened:
        window.stop_sync()  # pytest-qt closed the windows already, which stopped their workers
    # The relays' threads end before the agency stops and the store is disposed under them.
    wait_for_sync_threads()


def wait_for_sync_threads(timeout_s: float = 30.0) -> None:
    """Every stopped worker's thread has ended (the window waits for it only briefly on closing)."""
    for thread in threading.enumerate():
        if thread.name == SYNC_THREAD:
            thread.join(timeout_s)
            assert not thread.is_alive(), "a sync thread did not end after its worker was stopped"


@pytest.fixture(autouse=True)
def no_sync_thread_outlives_its_test() -> Iterator[None]:
    """A test's sync thread must not run on into the next test, with its store and agency gone."""
    yield
    wait_for_sync_threads()
