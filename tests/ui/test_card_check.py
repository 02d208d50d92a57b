"""The card box runs the identity check: refusals in red with their article, warnings in amber."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select, update

from db.models import Card, Person
from db.session import Store
from desktop.ui.main_window import CounterWindow
from tests.ui.conftest import NOW, covered_resident, signed_in, wait_for_workers
from tests.ui.conftest import open_window as open_counter


def employee(store: Store) -> Person:
    with store.reading() as session:
        person = session.scalars(
            select(Person)
            .where(Person.policy == "nanchang-employee", Person.insured.is_(True), Person.benefit_suspended.is_(False))
            .order_by(Person.id)
        ).first()
        assert person is not None
        return person


def change(store: Store, person_id: int, **values: Any) -> None:
    with store.writing() as session:
        session.execute(update(Person).where(Person.id == person_id).values(**values))


def card_in(qtbot: Any, window: CounterWindow, typed: str) -> None:
    qtbot.keyClicks(window.counter.card, typed)
    qtbot.keyClick(window.counter.card, Qt.Key.Key_Return)


def add_item(qtbot: Any, window: CounterWindow, typed: str) -> None:
    qtbot.keyClicks(window.counter.entry.item, typed)
    qtbot.keyClick(window.counter.entry.item, Qt.Key.Key_Return)


@pytest.fixture
def english() -> Iterator[None]:
    """The counter run in English (CLINIC_POS_LANG=en): no translation, an English locale."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


@pytest.mark.usefixtures("english")
def test_in_english_the_sex_and_the_refusals_are_english(qtbot: Any, store: Store) -> None:
    window = open_counter(qtbot, store)
    person = employee(store)
    change(store, person.id, benefit_suspended=True, roster_updated_at=NOW - dt.timedelta(days=10))
    card_in(qtbot, window, person.id_number)
    panel = window.counter.patient
    assert panel.fields["sex_age"].text().split(",")[0] in {"Male", "Female"}
    assert panel.refusal.text().startswith("Benefits are suspended: nothing is reimbursed for this visit.")
    assert "第二十五条（三）" in panel.refusal.text()  # the article, as the document numbers it
    assert panel.warnings.text().startswith("The local roster was last updated 10 days ago")
    assert not any("\u4e00" <= c <= "\u9fff" for c in panel.refusal.text().split("(see")[0])


def test_an_employee_shows_account_and_no_signing(qtbot: Any, store: Store) -> None:
    window = open_counter(qtbot, store)
    person = employee(store)
    card_in(qtbot, window, f"A{person.id:08d}")
    panel = window.counter.patient
    assert panel.name.text() == person.name
    assert panel.fields["scheme"].text().startswith(panel.tr("Employee"))
    assert panel.fields["signed"].text() == panel.tr("no signing for employees")
    assert panel.fields["account"].text() != "—"
    assert not panel.refusal.isVisible()


@pytest.mark.usefixtures("chinese")
def test_suspended_benefits_are_refused_in_red_with_the_article(qtbot: Any, store: Store) -> None:
    window = open_counter(qtbot, store)
    person = employee(store)
    change(store, person.id, benefit_suspended=True)
    card_in(qtbot, window, person.id_number)
    panel = window.counter.patient
    assert panel.refusal.isVisible()
    assert panel.refusal.objectName() == "refusal"  # red in the style sheet
    assert "医保待遇已暂停" in panel.refusal.text()
    assert "第二十五条（三）" in panel.refusal.text()  # 南昌 职工门诊统筹 the article behind it
    add_item(qtbot, window, "fa01")
    assert window.counter.quote.amounts["fund"].text() == "0.00"  # the quote agrees: the fund pays nothing
    assert window.counter.quote.amounts["total"].text() == "10.00"


@pytest.mark.usefixtures("chinese")
def test_a_lost_card_is_refused_and_cannot_be_settled(qtbot: Any, store: Store) -> None:
    window = open_counter(qtbot, store)
    person = covered_resident(store)
    with store.writing() as session:
        session.execute(update(Card).where(Card.person_id == person.id).values(valid=False))
    card_in(qtbot, window, f"A{person.id:08d}")
    assert "已挂失或作废" in window.counter.patient.refusal.text()
    add_item(qtbot, window, "fa01")
    # The engine knows nothing of cards: its quote would have the fund pay, so no settling.
    assert not window.counter.settle_button.isEnabled()


@pytest.mark.usefixtures("chinese")
def test_a_stale_roster_is_a_warning_in_amber_and_the_visit_goes_on(qtbot: Any, store: Store) -> None:
    window = open_counter(qtbot, store)
    person = covered_resident(store)
    change(store, person.id, roster_updated_at=NOW - dt.timedelta(days=10))
    card_in(qtbot, window, person.id_number)
    panel = window.counter.patient
    assert not panel.refusal.isVisible()
    assert panel.warnings.isVisible()
    assert panel.warnings.objectName() == "staleWarning"  # amber in the style sheet
    assert "本地名册已有10天没有更新" in panel.warnings.text()
    assert "10" in panel.fields["roster"].text()
    add_item(qtbot, window, "fa01")
    assert window.counter.settle_button.isEnabled()


def test_a_mistyped_id_number_gets_the_identity_packages_message(qtbot: Any, store: Store) -> None:
    window = open_counter(qtbot, store)
    number = covered_resident(store).id_number
    slipped = number[:-1] + ("0" if number[-1] != "0" else "1")
    card_in(qtbot, window, slipped)
    assert window.counter.patient.refusal.text() == "the check digit does not match: probably a typing slip"
    assert QApplication.focusWidget() is window.counter.card
    assert not window.counter.entry.isEnabled()
    english = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    try:
        window.counter.card.clear()
        card_in(qtbot, window, number[:17])
        assert window.counter.patient.refusal.text() == "身份证号应为18位，输入的是17位"
    finally:
        QLocale.setDefault(english)


def test_a_card_typed_before_the_store_is_open_is_checked_once_it_is(qtbot: Any, store: Store) -> None:
    window = CounterWindow(clock=lambda: NOW, extra_pages=False)  # the first stage: no store yet
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.counter.card, timeout=3000)
    person = covered_resident(store)
    card_in(qtbot, window, person.id_number)
    assert window.counter.patient.name.text() == window.counter.patient.tr("Opening the clinic's records…")
    assert window.tabs.count() == 1  # the pages that read the store come with it
    window.attach(store, signed_in(store, "clerk"))
    qtbot.waitUntil(lambda: window.catalogue is not None, timeout=5000)
    wait_for_workers(qtbot)
    assert window.counter.patient.name.text() == person.name
    assert QApplication.focusWidget() is window.counter.entry.diagnosis
    assert window.tabs.count() == 3  # counter, today's settlements, sync


def no_visit(window: CounterWindow) -> bool:
    """Read afresh: an assert on the attribute would narrow its type for the rest of the test."""
    return window.counter.visit is None


def test_f3_reads_the_chip_off_the_gui_thread_and_checks_the_holder(qtbot: Any, store: Store) -> None:
    from desktop.identity import CardKind, CardRead, ReaderError, ReaderProblem
    from desktop.identity.simulated import SimulatedReader

    window = open_counter(qtbot, store)
    person = covered_resident(store)
    chip = CardRead(CardKind.SOCIAL_SECURITY_CARD, f"A{person.id:08d}", holder_id_number=person.id_number)
    no_card = ReaderError(ReaderProblem.NO_CARD, "读卡器中没有卡，请插卡", "there is no card in the reader")
    window.counter.chip_reader = SimulatedReader([no_card, chip])

    qtbot.keyClick(window.counter.card, Qt.Key.Key_F3)
    wait_for_workers(qtbot)
    refusal = window.counter.patient.refusal
    assert refusal.isVisible()
    assert refusal.text() == "there is no card in the reader"  # the English interface under test
    assert no_visit(window)

    qtbot.keyClick(window.counter.card, Qt.Key.Key_F3)
    wait_for_workers(qtbot)
    assert window.counter.patient.name.text() == person.name
    assert window.counter.visit is not None
    assert window.counter.card.text() == ""  # nothing typed: the chip said who it is
    assert QApplication.focusWidget() is window.counter.entry.diagnosis
