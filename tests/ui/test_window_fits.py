"""The window fits the screen it opens on: every page, crowded, at 1024×768 and down to 1024×700."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget
from sqlalchemy import select, update

from db.models import Person
from db.session import Store
from desktop.ui.app import show_fitted
from desktop.ui.main_window import PAGES, CounterWindow
from tests.ui.conftest import NOW, Keyboard, card_in, open_window, settle_by_keys, wait_for_workers


def suspended_employee(store: Store) -> Person:
    """An employee with suspended benefits and a stale roster: a refusal and a warning, both wrapped."""
    with store.writing() as session:
        person = session.scalars(
            select(Person).where(Person.policy == "nanchang-employee", Person.insured.is_(True)).order_by(Person.id)
        ).first()
        assert person is not None
        session.execute(
            update(Person)
            .where(Person.id == person.id)
            .values(benefit_suspended=True, roster_updated_at=NOW - dt.timedelta(days=40))
        )
        return person


def scrolls(widget: QWidget) -> bool:
    """Inside a scroll area's viewport: it may run past the edge, the area scrolls to it."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(widget):
            return True
        parent = parent.parentWidget()
    return False


def off_the_window(window: CounterWindow) -> list[str]:
    """Every widget shown that does not lie wholly inside the window."""
    inside = window.rect()
    cut = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow() or scrolls(widget):
            continue
        where = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        if not inside.contains(where):
            cut.append(f"{type(widget).__name__}#{widget.objectName()} at {where.getRect()}")
    return cut


def crowded_counter(qtbot: Any, window: CounterWindow, store: Store) -> None:
    """A settlement's banner above, a refused patient with a warning, the matches and three items."""
    settle_by_keys(qtbot, window, store)
    keys = Keyboard(qtbot)
    window.counter.focus_card()
    card_in(qtbot, keys, suspended_employee(store).id_number)
    assert window.counter.patient.refusal.isVisible()
    assert window.counter.patient.warnings.isVisible()
    assert window.counter.banner.isVisible()
    keys.type("jxsh")
    keys.press(Qt.Key.Key_Return)
    for item in ("amx*2", "xcg", "fa01"):
        keys.type(item)
        keys.press(Qt.Key.Key_Return)
    keys.type("b")  # the matches list open under the boxes
    assert window.counter.entry.matches.isVisible()


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize("height", [768, 700])
def test_every_page_fits_1024_wide_with_nothing_needed_cut(qtbot: Any, store: Store, height: int) -> None:
    window = open_window(qtbot, store, "admin", extra_pages=True)  # every page, 基金 too
    qtbot.waitUntil(lambda: window.tabs.count() == PAGES, timeout=5000)
    crowded_counter(qtbot, window, store)
    window.resize(1024, height)
    QApplication.processEvents()
    assert (window.width(), window.height()) == (1024, height), "the window would not go that small"
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024
    assert hint.height() <= 700
    counter = window.counter
    for needed in (counter.settle_button, counter.quote.cash, counter.card, counter.entry.diagnosis):
        assert needed.isVisible()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        wait_for_workers(qtbot)
        QApplication.processEvents()
        assert off_the_window(window) == [], window.tabs.tabText(index)


def test_the_window_opens_on_the_screens_free_area(qtbot: Any, store: Store) -> None:
    window = CounterWindow(store, None, extra_pages=False)
    qtbot.addWidget(window)
    show_fitted(window)
    qtbot.waitExposed(window)
    screen = window.screen() or QGuiApplication.primaryScreen()
    qtbot.waitUntil(lambda: screen.availableGeometry().contains(window.frameGeometry()), timeout=2000)
    assert window.frameGeometry().size() == screen.availableGeometry().size()
