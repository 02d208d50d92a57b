"""The counter as a clerk works it: card, items, settle, print — keys only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from db.models import OutboxEntry, Reversal, Settlement, Visit, VisitItem
from db.session import Store
from desktop.privacy import mask_id_number
from tests.ui.conftest import Keyboard, card_in, covered_resident, open_window, wait_for_workers


def last_settled_diagnosis(store: Store, person_id: int) -> tuple[str, str]:
    """The first diagnosis of the person's newest visit whose settlement stands."""
    with store.reading() as session:
        visit = session.scalars(
            select(Visit)
            .join(Settlement, Settlement.visit_id == Visit.id)
            .outerjoin(Reversal, Reversal.settlement_id == Settlement.id)
            .where(Visit.person_id == person_id, Reversal.id.is_(None))
            .order_by(Visit.visit_date.desc(), Settlement.id.desc())
        ).first()
        assert visit is not None, "the demo's patient has been before"
        assert visit.diagnoses
        return visit.diagnoses[0].code, visit.diagnoses[0].name


def test_a_typical_visit_takes_under_15_keys_after_the_card(qtbot: Any, store: Store, tmp_path: Path) -> None:
    window = open_window(qtbot, store, tmp_path=tmp_path)
    person = covered_resident(store)
    keys = Keyboard(qtbot)
    assert keys.focused() is window.counter.card
    card_in(qtbot, keys, f"A{person.id:08d}")  # the demo's social security card number

    assert window.counter.patient.name.text() == person.name
    entry = window.counter.entry
    code, name = last_settled_diagnosis(store, person.id)
    # Read off the GUI thread, the last diagnosis shows in the box a moment after the card.
    qtbot.waitUntil(lambda: entry.diagnosis.text() == f"{code} {name}", timeout=3000)
    assert keys.focused() is entry.diagnosis
    assert entry.diagnosis.selectedText() == entry.diagnosis.text()  # typing would replace it
    assert entry.suggestion_hint.text()
    keys.count = 0
    keys.press(Qt.Key.Key_Return)  # the clerk keeps it
    assert keys.focused() is entry.item
    assert entry.suggestion_hint.text() == ""
    for typed in ("yb", "amx", "xcg"):  # 一般诊疗费 by pinyin, 阿莫西林 by pinyin, 血常规 by pinyin
        keys.type(typed)
        keys.press(Qt.Key.Key_Return)
    assert [line.entry.code for line in window.counter.visit.lines] == ["FA01", "XA01", "EA01"]  # type: ignore[union-attr]
    assert window.counter.quote.amounts["total"].text() == "42.50"
    keys.press(Qt.Key.Key_F12)

    assert keys.count < 15  # Enter for the diagnosis, three items with Enter each, F12: 13
    with store.reading() as session:
        settlement = session.scalars(select(Settlement).order_by(Settlement.id.desc())).first()
        assert settlement is not None
        assert settlement.person_id == person.id
        assert settlement.total_fen == 4250
        codes = session.scalars(select(VisitItem.code).where(VisitItem.visit_id == settlement.visit_id)).all()
        assert list(codes) == ["FA01", "XA01", "EA01"]
        assert [(d.code, d.name) for d in settlement.visit.diagnoses] == [(code, name)]
    assert window.counter.banner.isVisible()
    assert str(settlement.id) in window.counter.banner.text()
    assert keys.focused() is window.counter.card


def test_card_check_fills_the_patient_panel_with_a_masked_id(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    person = covered_resident(store)
    keys = Keyboard(qtbot)
    card_in(qtbot, keys, person.id_number)
    panel = window.counter.patient
    assert panel.name.text() == person.name
    assert panel.fields["id_number"].text() == mask_id_number(person.id_number)
    assert person.id_number not in panel.fields["id_number"].text()
    assert "幽兰镇卫生院" in panel.fields["signed"].text()
    assert not panel.refusal.isVisible()
    assert keys.focused() is window.counter.entry.diagnosis  # every settlement needs one


@pytest.mark.usefixtures("chinese")  # the identity package's Chinese words
def test_an_unknown_card_says_so_in_red_and_keeps_the_card_box(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    keys = Keyboard(qtbot)
    card_in(qtbot, keys, "A99999999")
    assert window.counter.patient.refusal.isVisible()
    assert "本地参保名册中查不到这个社保卡" in window.counter.patient.refusal.text()  # the identity package's words
    assert "9999" in window.counter.patient.name.text()  # the read, masked
    assert keys.focused() is window.counter.card
    assert not window.counter.entry.isEnabled()


def test_quantity_after_a_star_and_the_quote_follows(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    keys = Keyboard(qtbot)
    card_in(qtbot, keys, covered_resident(store).id_number)
    keys.press(Qt.Key.Key_Return)  # on from the diagnosis box to the items
    keys.type("XA01*3")
    keys.press(Qt.Key.Key_Return)
    assert window.counter.quote.amounts["total"].text() == "37.50"
    keys.type("blg")  # 板蓝根 by pinyin; Down picks the second match if there were more
    keys.press(Qt.Key.Key_Return)
    assert window.counter.quote.amounts["total"].text() == "55.50"
    assert window.counter.quote.explanation.text()


def test_diagnosis_by_code_is_stored_with_the_visit(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    keys = Keyboard(qtbot)
    card_in(qtbot, keys, covered_resident(store).id_number)
    keys.press(Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert keys.focused() is window.counter.entry.diagnosis
    keys.type("J06.900")
    keys.press(Qt.Key.Key_Return)
    assert keys.focused() is window.counter.entry.item
    keys.type("fa01")
    keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with store.reading() as session:
        visit = session.scalars(select(Visit).order_by(Visit.id.desc())).first()
        assert visit is not None
        assert [(d.code, d.name) for d in visit.diagnoses] == [("J06.900", "急性上呼吸道感染")]


def test_receipt_prints_to_pdf_without_a_printer(qtbot: Any, store: Store, tmp_path: Path) -> None:
    window = open_window(qtbot, store, tmp_path=tmp_path)
    person = covered_resident(store)
    keys = Keyboard(qtbot)
    card_in(qtbot, keys, person.id_number)
    keys.type("J06")
    keys.press(Qt.Key.Key_Return)
    keys.type("fa01")
    keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_F12)
    keys.press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    pdf = window.last_receipt_path
    assert pdf is not None
    assert Path(pdf).read_bytes().startswith(b"%PDF")
    from desktop.ui.receipt import receipt_html

    assert window.counter.last is not None
    text = receipt_html(store, window.counter.last.settlement_id)
    assert mask_id_number(person.id_number) in text
    assert person.id_number not in text
    assert "洪府厅发" in text  # the policy version
    assert "幽兰镇卫生院" in text
    assert "______" in text  # the signature line


def test_sync_status_shows_records_waiting_and_never(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    with store.reading() as session:
        pending = session.scalar(select(func.count()).where(OutboxEntry.state == "pending"))
    text = window.sync.line.text()
    assert str(pending) in text
    assert window.sync.tr("never") in text
    window.sync.set_online(True)
    assert window.sync.state.text() == window.sync.tr("● Online")
    with store.writing() as session:
        from db.models import Setting

        session.add(Setting(key="sync.last_success", value="2026-11-23T01:30:00+00:00"))
    window.sync.refresh()
    wait_for_workers(qtbot)
    assert "2026-11-23 09:30" in window.sync.line.text()
