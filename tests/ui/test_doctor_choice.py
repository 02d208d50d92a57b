"""The counter names the diagnosing doctor: chosen by keyboard beside the diagnosis, kept on the visit."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from db.models import Settlement, Staff, Visit
from db.session import Store
from desktop.practitioners import set_code
from desktop.ui.main_window import CounterWindow
from tests.ui.conftest import NOW, Keyboard, covered_resident, open_window, type_diagnosis

SECOND_DOCTOR = "D360121000199"


def second_doctor_at_the_centre(store: Store) -> int:
    """The township centre gets a second doctor beside its director (admin): its staff id."""
    with store.writing() as session:
        staff = Staff(username="doctor9", name="孙志强", role="village_doctor", facility_id="T01", password_hash="x")
        session.add(staff)
        session.flush()
        staff_id = staff.id
    set_code(store, "doctor9", SECOND_DOCTOR, None, NOW)
    return staff_id


def card_and_diagnosis(qtbot: Any, window: CounterWindow, store: Store) -> Keyboard:
    keys = Keyboard(qtbot)
    window.counter.focus_card()
    keys.type(covered_resident(store).id_number)
    keys.press(Qt.Key.Key_Return)
    type_diagnosis(qtbot, window, "J06")  # Enter leaves the keyboard in the item box
    keys.type("fa01")
    keys.press(Qt.Key.Key_Return)
    return keys


def settled(store: Store) -> int:
    with store.reading() as session:
        return len(session.scalars(select(Settlement.id)).all())


def doctor_of(store: Store, settlement_id: int) -> int | None:
    with store.reading() as session:
        return session.scalar(
            select(Visit.doctor_id)
            .join(Settlement, Settlement.visit_id == Visit.id)
            .where(Settlement.id == settlement_id)
        )


@pytest.mark.usefixtures("chinese")
def test_a_clerk_at_a_centre_of_two_doctors_chooses_the_second_by_keyboard(qtbot: Any, store: Store) -> None:
    second = second_doctor_at_the_centre(store)
    window = open_window(qtbot, store, "clerk")
    choice = window.counter.entry.doctor
    assert [choice.itemText(i) for i in range(choice.count())] == [
        "赵建国（D360121000101）",
        f"孙志强（{SECOND_DOCTOR}）",
    ]
    keys = card_and_diagnosis(qtbot, window, store)
    before = settled(store)
    assert choice.chosen() is None  # two doctors, and the clerk is neither: nobody is guessed
    assert choice.placeholderText() == "请选择接诊医生"

    keys.press(Qt.Key.Key_F12)  # not settled: the visit would name no doctor
    assert settled(store) == before
    assert "接诊医生" in window.counter.banner.text()
    assert QApplication.focusWidget() is choice

    window.counter.entry.item.setFocus()
    keys.press(Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)  # 医生(&Y)
    assert QApplication.focusWidget() is choice
    keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_Down)
    assert choice.currentText() == f"孙志强（{SECOND_DOCTOR}）"
    assert not window.counter.banner.isVisible()  # the refusal is answered
    keys.press(Qt.Key.Key_F12)
    assert window.counter.last is not None
    assert doctor_of(store, window.counter.last.settlement_id) == second


def test_a_doctor_who_settles_is_preselected_and_named(qtbot: Any, store: Store) -> None:
    second_doctor_at_the_centre(store)
    window = open_window(qtbot, store, "admin")  # the centre's director, a doctor
    choice = window.counter.entry.doctor
    keys = card_and_diagnosis(qtbot, window, store)
    with store.reading() as session:
        admin = session.scalar(select(Staff.id).where(Staff.username == "admin"))
    assert choice.chosen() == admin == window.counter.staff.staff_id  # type: ignore[union-attr]
    assert choice.currentText() == "赵建国（D360121000101）"
    keys.press(Qt.Key.Key_F12)
    assert window.counter.last is not None
    assert doctor_of(store, window.counter.last.settlement_id) == admin


@pytest.mark.usefixtures("chinese")
def test_with_no_doctor_the_choice_says_so_and_the_visit_settles(qtbot: Any, store: Store) -> None:
    set_code(store, "admin", None, None, NOW)  # the centre's only doctor no longer diagnoses
    window = open_window(qtbot, store, "clerk")
    choice = window.counter.entry.doctor
    assert choice.count() == 0
    assert choice.placeholderText() == "无执业医师：请管理员录入医保医师代码"
    keys = card_and_diagnosis(qtbot, window, store)
    keys.press(Qt.Key.Key_F12)
    assert window.counter.last is not None  # as before the choice: set aside at sync, not refused here
    assert doctor_of(store, window.counter.last.settlement_id) is None
