"""A diagnosis on every settled visit: the last one offered, kept by Enter, replaced by typing, refused when missing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from db.models import AuditEntry, OutboxEntry, Settlement, Visit
from db.session import Store
from desktop.settlement import DiagnosisLine, SettledVisit
from desktop.settlement.self_pay import SelfPaidVisit
from desktop.ui import visit as visit_module
from desktop.ui.main_window import CounterWindow
from desktop.ui.visit_entry import VisitEntry
from tests.ui.conftest import (
    Keyboard,
    card_in,
    covered_newcomer,
    covered_resident,
    open_window,
    type_chinese,
    wait_for_workers,
)
from tests.ui.test_counter_flow import last_settled_diagnosis


@pytest.fixture
def held_look_ups(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The look-ups of a last diagnosis wait to answer until the test sets the event."""
    answer = threading.Event()
    real = visit_module.last_diagnosis

    def held(store: Store, person_id: int) -> DiagnosisLine | None:
        assert answer.wait(timeout=10), "the test never let the look-up answer"
        return real(store, person_id)

    monkeypatch.setattr(visit_module, "last_diagnosis", held)
    yield answer
    answer.set()  # none left waiting on the pool


def written(store: Store) -> tuple[int, ...]:
    """What a settlement writes, counted."""
    with store.reading() as session:
        return tuple(
            int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (Visit, Settlement, OutboxEntry, AuditEntry)
        )


def last_visit_diagnoses(store: Store) -> list[tuple[str, str]]:
    with store.reading() as session:
        visit = session.scalars(select(Visit).order_by(Visit.id.desc())).first()
        assert visit is not None
        return [(d.code, d.name) for d in visit.diagnoses]


def add_item(keys: Keyboard, typed: str) -> None:
    keys.type(typed)
    keys.press(Qt.Key.Key_Return)


def suggested(qtbot: Any, entry: VisitEntry, store: Store, person_id: int) -> str:
    """Waits for the patient's last diagnosis to show in the box, and returns it as shown."""
    code, name = last_settled_diagnosis(store, person_id)
    shown = f"{code} {name}"
    qtbot.waitUntil(lambda: entry.diagnosis.text() == shown, timeout=3000)
    return shown


def settled(window: CounterWindow) -> SettledVisit | SelfPaidVisit | None:
    """The counter's last settlement, read afresh (an assert on it earlier narrows nothing here)."""
    return window.counter.last


def refusal_text(window: CounterWindow) -> str:
    return window.counter.tr("Enter a diagnosis: an insurance settlement needs one")


def test_a_first_visit_needs_a_diagnosis_typed_and_f12_without_one_is_refused(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    entry = window.counter.entry
    keys = Keyboard(qtbot)
    card_in(qtbot, keys, covered_newcomer(store).id_number)
    wait_for_workers(qtbot)  # the look-up for a last diagnosis has answered: there is none
    assert keys.focused() is entry.diagnosis
    assert entry.diagnosis.text() == ""
    assert entry.suggestion_hint.text() == ""
    keys.press(Qt.Key.Key_Return)  # on to the items with the box empty
    add_item(keys, "fa01")
    before = written(store)

    keys.press(Qt.Key.Key_F12)
    assert window.counter.banner.isVisible()
    assert window.counter.banner.text() == refusal_text(window)
    assert window.counter.banner.property("mood") == "refused"
    assert keys.focused() is entry.diagnosis
    assert window.counter.last is None
    assert written(store) == before  # nothing written

    keys.type("J06")
    keys.press(Qt.Key.Key_Return)
    assert not window.counter.banner.isVisible()  # the refusal goes with its cause
    assert keys.focused() is entry.item
    keys.press(Qt.Key.Key_F12)
    done = settled(window)
    assert done is not None
    assert last_visit_diagnoses(store) == [("J06.900", "急性上呼吸道感染")]
    assert window.counter.banner.property("mood") == ""
    assert str(done.settlement_id) in window.counter.banner.text()


def test_a_diagnosis_without_its_icd_code_is_refused_and_one_typed_with_it_settles(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    entry = window.counter.entry
    keys = Keyboard(qtbot)
    card_in(qtbot, keys, covered_newcomer(store).id_number)
    wait_for_workers(qtbot)
    # Free text that no catalogue holds: no ICD-10 code, which 2203 diag_code needs.
    type_chinese(entry.diagnosis, "头晕乏力待查")
    assert not entry.matches.isVisible()
    keys.press(Qt.Key.Key_Return)
    add_item(keys, "fa01")
    before = written(store)
    keys.press(Qt.Key.Key_F12)
    assert window.counter.last is None
    assert written(store) == before
    assert window.counter.banner.property("mood") == "refused"
    assert "ICD-10" in window.counter.banner.text()
    assert keys.focused() is entry.diagnosis

    # A diagnosis the clinic has not written before, typed with its code: taken as it is.
    entry.diagnosis.clear()
    keys.type("R51.x00 ")
    type_chinese(entry.diagnosis, "头痛")
    keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_F12)
    assert settled(window) is not None
    assert last_visit_diagnoses(store) == [("R51.x00", "头痛")]


def test_the_suggestion_is_replaced_by_typing(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    entry = window.counter.entry
    keys = Keyboard(qtbot)
    person = covered_resident(store)
    card_in(qtbot, keys, person.id_number)
    offered = suggested(qtbot, entry, store, person.id)
    other = next(d for d in entry.known_diagnoses if d.code and not offered.startswith(d.code))
    keys.type(other.code)  # over the selected suggestion
    assert entry.diagnosis.text() == other.code
    assert entry.suggestion_hint.text() == ""
    keys.press(Qt.Key.Key_Return)
    add_item(keys, "fa01")
    keys.press(Qt.Key.Key_F12)
    assert window.counter.last is not None
    assert last_visit_diagnoses(store) == [(other.code, other.name)]


def test_a_suggestion_that_comes_after_the_clerk_left_the_box_waits_to_be_asked_for(
    qtbot: Any, store: Store, held_look_ups: threading.Event
) -> None:
    window = open_window(qtbot, store)
    entry = window.counter.entry
    keys = Keyboard(qtbot)
    person = covered_resident(store)
    card_in(qtbot, keys, person.id_number)
    keys.press(Qt.Key.Key_Return)  # on to the items before the look-up has answered
    add_item(keys, "fa01")
    held_look_ups.set()
    wait_for_workers(qtbot)
    assert entry.suggested is not None
    assert entry.diagnosis.text() == ""  # not slipped in behind the clerk's back
    before = written(store)

    keys.press(Qt.Key.Key_F12)
    assert written(store) == before
    assert window.counter.banner.text() == refusal_text(window)
    assert keys.focused() is entry.diagnosis
    code, name = last_settled_diagnosis(store, person.id)
    assert entry.diagnosis.text() == f"{code} {name}"  # offered now, selected, for the clerk to keep
    assert entry.diagnosis.selectedText() == entry.diagnosis.text()
    keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_F12)
    assert window.counter.last is not None
    assert last_visit_diagnoses(store) == [(code, name)]


def test_one_patients_diagnosis_never_reaches_the_next_card(
    qtbot: Any, store: Store, held_look_ups: threading.Event
) -> None:
    window = open_window(qtbot, store)
    entry = window.counter.entry
    keys = Keyboard(qtbot)
    returning, newcomer = covered_resident(store), covered_newcomer(store)

    held_look_ups.set()
    card_in(qtbot, keys, returning.id_number)
    suggested(qtbot, entry, store, returning.id)
    keys.press(Qt.Key.Key_Escape)  # the next patient instead
    assert keys.focused() is window.counter.card
    assert entry.diagnosis.text() == ""
    card_in(qtbot, keys, newcomer.id_number)
    wait_for_workers(qtbot)
    assert entry.diagnosis.text() == ""

    # The returning patient's look-up still on its way when the next card is read: it
    # answers for a visit no longer at the counter, and is dropped.
    held_look_ups.clear()
    keys.press(Qt.Key.Key_Escape)
    card_in(qtbot, keys, returning.id_number)
    keys.press(Qt.Key.Key_Escape)
    card_in(qtbot, keys, newcomer.id_number)
    held_look_ups.set()
    wait_for_workers(qtbot)
    assert window.counter.visit is not None
    assert window.counter.visit.person_id == newcomer.id
    assert entry.diagnosis.text() == ""
    assert entry.suggested is None
    keys.press(Qt.Key.Key_Return)
    add_item(keys, "fa01")
    keys.press(Qt.Key.Key_F12)
    assert window.counter.last is None  # refused: the newcomer has no diagnosis yet


def test_the_suggestion_does_not_outlive_a_settlement(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    entry = window.counter.entry
    keys = Keyboard(qtbot)
    returning = covered_resident(store)
    card_in(qtbot, keys, returning.id_number)
    suggested(qtbot, entry, store, returning.id)
    keys.press(Qt.Key.Key_Return)
    add_item(keys, "fa01")
    keys.press(Qt.Key.Key_F12)
    assert window.counter.last is not None
    assert keys.focused() is window.counter.card
    card_in(qtbot, keys, covered_newcomer(store).id_number)
    wait_for_workers(qtbot)
    assert entry.diagnosis.text() == ""
    assert entry.suggestion_hint.text() == ""


def test_the_box_finds_by_initials_fragment_and_code_and_enter_takes_the_highlighted(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    entry = window.counter.entry
    keys = Keyboard(qtbot)
    card_in(qtbot, keys, covered_newcomer(store).id_number)
    wait_for_workers(qtbot)

    keys.type("jxsh")  # pinyin initials
    assert entry.matches.isVisible()
    assert entry.diagnosis_matches.entry(entry.matches.currentIndex().row()).code == "J06.900"
    keys.press(Qt.Key.Key_Return)
    assert keys.focused() is entry.item
    assert not entry.matches.isVisible()
    assert window.counter.visit is not None
    assert window.counter.visit.diagnosis == DiagnosisLine("J06.900", "急性上呼吸道感染")
    assert entry.diagnosis.text() == "J06.900 急性上呼吸道感染"

    entry.diagnosis.setFocus()
    entry.diagnosis.clear()
    type_chinese(entry.diagnosis, "感冒")  # a fragment of the name
    shown = [entry.diagnosis_matches.entry(row).code for row in range(entry.diagnosis_matches.rowCount())]
    assert shown[:2] == ["J00.x00", "J11.100"]
    keys.press(Qt.Key.Key_Down)  # the second: influenza
    keys.press(Qt.Key.Key_Return)
    assert window.counter.visit.diagnosis == DiagnosisLine("J11.100", "流行性感冒")

    entry.diagnosis.setFocus()
    entry.diagnosis.clear()
    keys.type("r51")  # the code, typed in lower case
    keys.press(Qt.Key.Key_Return)
    assert window.counter.visit.diagnosis == DiagnosisLine("R51.x00", "头痛")
    add_item(keys, "fa01")
    keys.press(Qt.Key.Key_F12)
    assert settled(window) is not None
    assert last_visit_diagnoses(store) == [("R51.x00", "头痛")]
