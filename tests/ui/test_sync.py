"""Sync in the window, against a real sandbox agency on loopback: the status bar, the sync page, retry, roles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import func, select

from db.models import OutboxEntry, Person, Setting, Settlement
from db.session import Store
from desktop.privacy import mask_name
from desktop.sandbox.from_store import roster_from_store
from desktop.sandbox.server import SandboxServer
from desktop.settlement import DiagnosisLine, DraftItem, VisitDraft, settle
from desktop.sync.cli import AGENCY_URL_KEY
from desktop.ui.main_window import CounterWindow
from desktop.ui.sync_models import DifferencesModel, SetAsideModel
from desktop.ui.sync_page import SyncPage
from desktop.ui.sync_setup import choose_target
from tests.sync.helpers import forget_diagnoses
from tests.ui.conftest import (
    NOW,
    TODAY,
    covered_resident,
    open_window,
    settle_by_keys,
    signed_in,
    target_for,
    wait_for_workers,
)

SYNC_TIMEOUT_MS = 90_000
Opener = Callable[..., CounterWindow]


def outbox_states(store: Store) -> dict[str, int]:
    with store.reading() as session:
        rows = session.execute(select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state))
        return {str(state): int(count) for state, count in rows}


def agency_msgids(server: SandboxServer) -> set[str]:
    booked = httpx.get(f"{server.url}/_admin/settlements").json()["settlements"]
    return {str(b["msgid"]) for b in booked}


def wait_for_a_run(qtbot: Any, window: CounterWindow) -> Any:
    """The next report the worker hands back, once the status bar and page have taken it."""
    assert window.sync_worker is not None
    with qtbot.waitSignal(window.sync_worker.reported, timeout=SYNC_TIMEOUT_MS) as run:
        pass
    wait_for_workers(qtbot)
    return run.args[0]


def go_to_sync_page(qtbot: Any, window: CounterWindow) -> SyncPage:
    page = window.sync_page
    assert page is not None
    # Ctrl+5 with the ledger and day close pages in; the tests leave those out.
    key = Qt.Key(Qt.Key.Key_1.value + window.tabs.indexOf(page))
    qtbot.keyClick(window.counter.card, key, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is page
    assert window.tabs.tabText(window.tabs.currentIndex()).startswith(window.tr("Sync"))
    wait_for_workers(qtbot)  # the page reads its lists on the pool
    return page


def a_waiting_person(store: Store, *, with_account: bool = False) -> tuple[int, str, str]:
    """(settlement, psn_no, name) of someone whose settlement the agency has not heard of yet."""
    query = (
        select(Settlement.id, Person.psn_no, Person.name)
        .join(Person, Person.id == Settlement.person_id)
        .where(Settlement.agency_setl_id.is_(None))
        .order_by(Settlement.id)
    )
    if with_account:
        query = query.where(Settlement.account_fen > 0)
    with store.reading() as session:
        found = session.execute(query).first()
    assert found is not None
    return int(found[0]), str(found[1]), str(found[2])


def test_the_status_bar_goes_online_and_the_waiting_count_falls(
    qtbot: Any, store: Store, agency: SandboxServer, syncing: Opener
) -> None:
    window = syncing(start=False)
    status = window.sync
    assert status.figures is not None
    waiting = status.figures.waiting
    assert waiting > 0  # the demo's visits have never been sent
    assert status.state.text() == status.tr("○ Offline")
    assert status.tr("never") in status.line.text()
    seen: list[int] = []

    def uploaded() -> bool:
        assert status.figures is not None
        seen.append(status.figures.waiting)
        return status.online and status.figures.waiting == 0 and not status.running

    window.start_sync(target_for(agency))
    qtbot.waitUntil(uploaded, timeout=SYNC_TIMEOUT_MS)
    wait_for_workers(qtbot)
    assert status.state.text() == status.tr("● Online")
    assert status.line.text().startswith(status.tr("Waiting: {0} · Set aside: {1} · Last success: {2}")[:4])
    assert "0" in status.line.text()
    assert status.tr("never") not in status.line.text()  # the relay's success, read back from the store
    assert seen[0] == waiting
    assert seen[-1] == 0
    assert outbox_states(store) == {"done": 4 * len(agency_msgids(agency))}
    with store.reading() as session:
        assert set(session.scalars(select(Settlement.msgid))) == agency_msgids(agency)
        assert session.scalar(select(Setting.value).where(Setting.key == "sync.last_success"))


def test_a_rejected_record_is_shown_with_its_error_and_sent_again_after_correction(
    qtbot: Any, store: Store, agency: SandboxServer, syncing: Opener
) -> None:
    settlement_id, psn_no, name = a_waiting_person(store)
    with store.reading() as session:
        person = session.scalar(select(Settlement.person_id).where(Settlement.id == settlement_id))
        theirs = set(session.scalars(select(Settlement.id).where(Settlement.person_id == person)))
    httpx.post(f"{agency.url}/_admin/config", json={"reject": [psn_no]}).raise_for_status()
    window = syncing()
    report = wait_for_a_run(qtbot, window)
    assert {s.settlement_id for s in report.set_aside} == theirs
    assert window.sync.line.text().startswith(window.sync.tr("Waiting: {0} · Set aside: {1} · Last success: {2}")[:4])

    page = go_to_sync_page(qtbot, window)
    model = page.set_aside
    assert model.rowCount() == len(theirs)
    assert {model.row_at(row).settlement_id for row in range(model.rowCount())} == theirs
    error = model.index(0, SetAsideModel.ERROR).data()
    assert "rejected by the agency" in error
    assert model.index(0, SetAsideModel.PATIENT).data() == mask_name(name) != name
    assert model.index(0, SetAsideModel.MESSAGE).data().startswith("2201")
    assert page.set_aside_title.text() == page.tr("Set aside by the agency: {0}").format(len(theirs))
    assert page.retry_button is not None
    assert page.retry_button.isVisible()
    with store.reading() as session:
        assert session.scalar(select(Settlement.status).where(Settlement.id == settlement_id)) == "rejected"

    # The person's registration is put right at the agency; the clerk sends the records again.
    httpx.post(f"{agency.url}/_admin/config", json={"reject": []}).raise_for_status()
    table = page.set_aside_table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(model.index(0, 0)).center())
    qtbot.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(page.selected()) == len(theirs)
    assert window.sync_worker is not None
    with qtbot.waitSignal(window.sync_worker.reported, timeout=SYNC_TIMEOUT_MS):
        qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
        assert page.message.text() == page.tr("{0} records will be sent again now.").format(len(theirs))
    wait_for_workers(qtbot)
    assert model.rowCount() == 0
    # The message about sending them again gives way to how they fared.
    accepted = page.tr("The {0} records sent again were accepted by the agency.").format(len(theirs))
    qtbot.waitUntil(lambda: page.message.text() == accepted, timeout=SYNC_TIMEOUT_MS)
    assert outbox_states(store) == {"done": 4 * len(agency_msgids(agency))}
    with store.reading() as session:
        assert session.scalar(select(Settlement.msgid).where(Settlement.id == settlement_id)) in agency_msgids(agency)
        assert session.scalar(select(Settlement.status).where(Settlement.id == settlement_id)) != "rejected"


def test_a_settlement_the_agency_split_otherwise_is_shown_beside_the_counters(
    qtbot: Any, store: Store, agency: SandboxServer, syncing: Opener
) -> None:
    settlement_id, psn_no, name = a_waiting_person(store, with_account=True)
    with store.reading() as session:
        local_account = session.scalar(select(Settlement.account_fen).where(Settlement.id == settlement_id))
    assert local_account is not None
    # The agency knows the account as spent (a payment at another clinic the counter never saw).
    (person,) = [p for p in roster_from_store(store, TODAY)["persons"] if p["psn_no"] == psn_no]
    httpx.post(f"{agency.url}/_admin/roster", json={"persons": [{**person, "balc": "0.00"}]}).raise_for_status()
    window = syncing()
    report = wait_for_a_run(qtbot, window)
    assert settlement_id in report.differences

    page = go_to_sync_page(qtbot, window)
    model = page.differences
    (row,) = [r for r in range(model.rowCount()) if model.row_at(r).settlement_id == settlement_id]
    cell = model.index
    assert cell(row, DifferencesModel.PATIENT).data() == mask_name(name)
    assert cell(row, DifferencesModel.ACCOUNT_LOCAL).data() == f"{local_account / 100:.2f}"
    assert cell(row, DifferencesModel.ACCOUNT_AGENCY).data() == "0.00"
    assert cell(row, DifferencesModel.ACCOUNT_AGENCY).data(Qt.ItemDataRole.FontRole).bold()
    assert cell(row, DifferencesModel.ACCOUNT_LOCAL).data(Qt.ItemDataRole.FontRole) is None
    assert page.summary.text().startswith(page.tr("Last sync at {0}: {1} messages sent, {2} records waiting.")[:9])
    owed = cell(row, DifferencesModel.OWED).data()
    assert owed == f"+{local_account / 100:.2f}"  # what the account did not pay, the patient still owes
    with store.reading() as session:
        assert session.scalar(select(Settlement.status).where(Settlement.id == settlement_id)) == "differs"


@pytest.mark.parametrize(("username", "may_retry"), [("doctor1", False), ("admin", True), ("clerk", True)])
def test_only_clerks_and_administrators_see_send_again(
    qtbot: Any, store: Store, username: str, may_retry: bool
) -> None:
    window = open_window(qtbot, store, username)
    page = go_to_sync_page(qtbot, window)
    buttons = [b for b in page.findChildren(QPushButton) if b.objectName() == "retryButton"]
    assert bool(buttons) is may_retry
    assert (page.retry_button is not None) is may_retry
    assert page.sync_button.isVisible()


def test_without_an_agency_address_the_status_bar_says_so(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    window.start_sync(choose_target(None))  # a store named with --db, and no address in it
    status = window.sync
    expected = status.tr("○ Offline: {0}").format(status.tr("no agency address configured"))
    qtbot.waitUntil(lambda: status.state.text() == expected, timeout=10_000)
    assert "--agency" in status.state.toolTip()
    page = go_to_sync_page(qtbot, window)
    assert page.summary.text() == page.tr("Not syncing: {0}").format(status.tr("no agency address configured"))
    window.stop_sync()


def test_without_a_usable_keyring_the_status_bar_says_so(
    qtbot: Any, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.writing() as session:
        session.merge(Setting(key=AGENCY_URL_KEY, value="http://127.0.0.1:9/"))
    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)  # what a machine without a keyring service gets
    window = open_window(qtbot, store)
    window.start_sync(choose_target(None))
    status = window.sync
    expected = status.tr("○ Offline: {0}").format(status.tr("no usable OS keyring for the agency secret"))
    qtbot.waitUntil(lambda: status.state.text() == expected, timeout=10_000)
    assert "keyring" in status.state.toolTip()
    window.stop_sync()


def test_an_agency_that_does_not_answer_is_offline_and_the_window_closes_promptly(
    qtbot: Any, store: Store, agency: SandboxServer
) -> None:
    url = agency.url
    agency.stop()  # nobody listens there any more
    window = open_window(qtbot, store)
    window.start_sync(target_for(agency))
    status = window.sync
    expected = status.tr("○ Offline: {0}").format(status.tr("the agency does not answer"))
    qtbot.waitUntil(lambda: status.state.text() == expected, timeout=SYNC_TIMEOUT_MS)
    assert url in status.state.toolTip()
    assert window.sync_worker is not None
    worker = window.sync_worker
    window.close()
    assert not worker.alive()


def settle_without_a_diagnosis(store: Store) -> int:
    """A settlement kept from before a diagnosis was required (an older counter, an import)."""
    draft = VisitDraft(
        facility_id="T01",
        person_id=covered_resident(store).id,
        staff_id=signed_in(store, "clerk").staff_id,
        visit_date=TODAY,
        items=(DraftItem("FA01"),),
        diagnoses=(DiagnosisLine("J06.900", "急性上呼吸道感染"),),
    )
    settled = settle(store, draft, NOW).settlement_id
    forget_diagnoses(store, settled)
    return settled


def test_a_settlement_is_sent_soon_after_it_is_made(
    qtbot: Any, store: Store, agency: SandboxServer, syncing: Opener
) -> None:
    window = syncing()
    wait_for_a_run(qtbot, window)  # the backlog
    assert window.sync_worker is not None
    with qtbot.waitSignal(window.sync_worker.reported, timeout=SYNC_TIMEOUT_MS):
        settlement_id = settle_by_keys(qtbot, window, store)  # the next cycle is 30 s away; this one comes sooner
    with store.reading() as session:
        assert session.scalar(select(Settlement.msgid).where(Settlement.id == settlement_id)) in agency_msgids(agency)
        assert session.scalar(select(Settlement.status).where(Settlement.id == settlement_id)) == "confirmed"


def test_a_visit_settled_without_a_diagnosis_is_set_aside_and_holds_back_nobody_else(
    qtbot: Any, store: Store, agency: SandboxServer, syncing: Opener
) -> None:
    """The national interface's 2203 needs a diagnosis. Nothing settles without one now, but
    counters before did."""
    window = syncing()
    wait_for_a_run(qtbot, window)
    assert window.sync_worker is not None
    without = settle_without_a_diagnosis(store)
    with qtbot.waitSignal(window.sync_worker.reported, timeout=SYNC_TIMEOUT_MS):
        with_one = settle_by_keys(qtbot, window, store)
    wait_for_workers(qtbot)
    page = go_to_sync_page(qtbot, window)
    (record,) = [page.set_aside.row_at(r) for r in range(page.set_aside.rowCount())]
    assert record.settlement_id == without
    assert record.infno == "2203"
    assert "no diagnosis" in record.error
    assert window.sync.online
    with store.reading() as session:
        assert session.scalar(select(Settlement.msgid).where(Settlement.id == with_one)) in agency_msgids(agency)


def test_closing_the_window_mid_upload_stops_the_relay_promptly_and_loses_nothing(
    qtbot: Any, store: Store, agency: SandboxServer, syncing: Opener
) -> None:
    import time

    from desktop.sync.lease import LEASE_KEY

    httpx.post(f"{agency.url}/_admin/config", json={"slow_ms": 50}).raise_for_status()  # a slow line
    window = syncing()
    assert window.sync_worker is not None
    worker = window.sync_worker
    qtbot.waitUntil(lambda: worker.busy and bool(agency_msgids(agency)), timeout=SYNC_TIMEOUT_MS)
    started = time.monotonic()
    window.close()
    took = time.monotonic() - started
    assert not worker.alive()
    assert took < 3.0  # the relay's stop cuts its wait short; at most the call in flight finishes
    states = outbox_states(store)
    assert states.get("pending", 0) > 0  # stopped part way through
    assert "set_aside" not in states
    with store.reading() as session:
        assert session.scalar(select(Setting.value).where(Setting.key == LEASE_KEY)) is None  # released
        sent = set(session.scalars(select(Settlement.msgid).where(Settlement.agency_setl_id.is_not(None))))
    assert sent <= agency_msgids(agency)  # every booking the counter holds, the agency holds
