"""The sync page (同步): what the agency set aside and why, what it split otherwise, and "sync now".

A record the agency refused waits here with the agency's reason until someone corrects
what was wrong (the patient's registration at the agency, a catalogue code, …) and
sends it again; only clerks and administrators may, as with reversals, since correcting
a record goes through the township centre. The agency's split, where it differs from
the counter's, is the official one: both are shown so the clerk can explain it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.staff import Permission, may
from desktop.ui.i18n import CHINA
from desktop.ui.sync_models import DifferencesModel, SetAsideModel
from desktop.ui.widgets import label, named
from desktop.ui.workers import run_in_background

if TYPE_CHECKING:
    from db.session import Store
    from desktop.auth import SignedIn
    from desktop.sync import SyncReport
    from desktop.sync.outbox import Difference, SetAsideRecord


@dataclass(frozen=True, slots=True)
class SyncLists:
    set_aside: list[SetAsideRecord]
    differences: list[Difference]
    resent: dict[int, str]  # the state of each record the clerk sent again, by outbox row
    settled_up: dict[int, int]  # of the differences, the settle-ups done: settlement → cash in fen (+ collected)


def load_sync_lists(store: Store, resent: frozenset[int] = frozenset()) -> SyncLists:
    """Both lists, where the records sent again stand, and the settle-ups done, in one read (on the pool)."""
    from sqlalchemy import select

    from db.models import OutboxEntry, SettleUp
    from desktop.official import SETTLED_UP
    from desktop.sync import outbox

    with store.reading() as session:
        connection = session.connection()
        states = connection.execute(select(OutboxEntry.id, OutboxEntry.state).where(OutboxEntry.id.in_(resent)))
        resent_states: dict[int, str] = {row.id: row.state for row in states}
        differences = outbox.differences(connection)
        settled_up = {
            settlement_id: int(cash)
            for settlement_id, cash in connection.execute(
                select(SettleUp.settlement_id, SETTLED_UP).where(
                    SettleUp.settlement_id.in_([d.settlement_id for d in differences])
                )
            )
        }
        return SyncLists(outbox.set_aside_records(connection), differences, resent_states, settled_up)


def retry_records(store: Store, entry_ids: list[int], staff_id: int, now: dt.datetime) -> int:
    from desktop.sync import outbox

    return outbox.retry(store, entry_ids, staff_id, now)


def _table(name: str, model: SetAsideModel | DifferencesModel, *, multi: bool, stretch_last: bool) -> QTableView:
    table = named(QTableView(), name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection if multi else QAbstractItemView.SelectionMode.SingleSelection
    )
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(stretch_last)  # text stretches; figures stay by their titles
    table.verticalHeader().hide()
    return table


class SyncPage(QWidget):
    sync_requested = Signal()
    retried = Signal(int)  # how many records were queued again

    def __init__(
        self,
        store: Store,
        staff: SignedIn,
        clock: Callable[[], dt.datetime],
        parent: QWidget | None = None,
        *,
        print_settle_up: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.staff = staff
        self.clock = clock
        self.print_settle_up = print_settle_up
        self.may_retry = may(staff.role, Permission.REVERSE)  # the same people who correct settlements
        self.may_settle_up = may(staff.role, Permission.SETTLE_UP)
        self.settle_up_dialog: QWidget | None = None
        # Sent again and not yet answered: what the message under the list is about, until
        # a sync after the send says how they fared.
        self._resent: frozenset[int] = frozenset()
        self._reported_since_resend = False

        self.summary = label("syncSummary", self.tr("No sync has run since the counter opened."), wrap=True)
        self.sync_button = named(QPushButton(self.tr("Sync now (F5)")), "syncNowButton")
        self.sync_button.clicked.connect(self.sync_requested)
        self.set_aside = SetAsideModel(self)
        self.set_aside_table = _table("setAsideTable", self.set_aside, multi=True, stretch_last=True)
        self.set_aside_title = label("panelTitle", self.tr("Set aside by the agency"))
        self.set_aside_hint = label(
            "syncHint",
            self.tr(
                "The agency refused these records. Correct what its reason names, then send them again; "
                "the patient's other records are held back until then, nobody else's are."
            ),
            wrap=True,
        )
        self.message = label("syncMessage", wrap=True)
        self.retry_button: QPushButton | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        if self.may_retry:
            self.retry_button = named(QPushButton(self.tr("Send again (Ctrl+R)")), "retryButton")
            self.retry_button.clicked.connect(self.retry_selected)
            buttons.addWidget(self.retry_button)
        self.differences = DifferencesModel(self)
        self.differences_table = _table("differencesTable", self.differences, multi=False, stretch_last=False)
        self.differences_title = label("panelTitle", self.tr("Split differently by the agency"))
        self.differences_hint = label(
            "syncHint",
            self.tr(
                "The agency's split is the official one (it knows visits at other clinics). "
                "Where the patient paid too much or too little, settle the difference with them."
            ),
            wrap=True,
        )
        self.settle_up_button: QPushButton | None = None
        if self.may_settle_up:
            self.settle_up_button = named(QPushButton(self.tr("Settle up… (Ctrl+U)")), "syncSettleUpButton")
            self.settle_up_button.clicked.connect(self.settle_up_selected)
        self._build_keys()

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.sync_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.set_aside_title)
        layout.addWidget(self.set_aside_hint)
        layout.addWidget(self.set_aside_table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.differences_title)
        differences_top = QHBoxLayout()
        differences_top.addWidget(self.differences_hint, 1)
        if self.settle_up_button is not None:
            differences_top.addWidget(self.settle_up_button)
        layout.addLayout(differences_top)
        layout.addWidget(self.differences_table, 1)

    def _build_keys(self) -> None:
        keys: list[tuple[str, Callable[[], None]]] = [("F5", self.sync_requested.emit)]
        if self.may_retry:
            keys.append(("Ctrl+R", self.retry_selected))
        if self.may_settle_up:
            keys.append(("Ctrl+U", self.settle_up_selected))
        for sequence, slot in keys:
            action = QAction(self)
            action.setShortcut(QKeySequence(sequence))
            # Only while this page is shown: Ctrl+R reverses on the settlements page.
            action.triggered.connect(slot)
            self.addAction(action)

    # --- what is shown ------------------------------------------------------------

    def refresh(self) -> None:
        store, resent = self.store, self._resent
        run_in_background(lambda: load_sync_lists(store, resent), self._show, self._failed)

    def _show(self, lists: SyncLists) -> None:
        if self._resent and self._reported_since_resend:
            self._say_how_the_resent_fared(lists.resent)
        self.set_aside.set_rows(lists.set_aside)
        self.differences.set_settled_up(lists.settled_up)
        self.differences.set_rows(lists.differences)
        self.set_aside_title.setText(self.tr("Set aside by the agency: {0}").format(len(lists.set_aside)))
        self.differences_title.setText(self.tr("Split differently by the agency: {0}").format(len(lists.differences)))
        if lists.set_aside and not self.set_aside_table.selectionModel().hasSelection():
            self.set_aside_table.selectRow(0)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(self.tr("Could not read the sync records: {0}").format(error))

    def show_report(self, report: SyncReport) -> None:
        at = (report.finished_at or report.started_at).astimezone(CHINA).strftime("%H:%M:%S")
        sent = sum(report.sent.values())
        if report.complete:
            # What this run did; the lists below hold everything still to be dealt with.
            text = self.tr("Last sync at {0}: {1} messages sent, {2} records waiting.").format(at, sent, report.waiting)
        else:
            text = self.tr("Last sync at {0} stopped: the agency did not answer ({1} messages sent first).").format(
                at, sent
            )
        self.summary.setText(text)
        self.summary.setToolTip(report.last_error)
        self._reported_since_resend = True
        self.refresh()

    def show_unavailable(self, reason: str) -> None:
        self.summary.setText(self.tr("Not syncing: {0}").format(reason))

    # --- send again ---------------------------------------------------------------

    def _say_how_the_resent_fared(self, states: dict[int, str]) -> None:
        from desktop.sync.outbox import DONE, SET_ASIDE

        accepted = sum(1 for state in states.values() if state == DONE)
        refused = sum(1 for state in states.values() if state == SET_ASIDE)
        waiting = len(self._resent) - accepted - refused
        if waiting:  # the agency did not answer, or they wait behind the patient's earlier ones
            self.message.setText(self.tr("{0} records sent again are still waiting to go.").format(waiting))
            return
        self._resent = frozenset()
        if refused:
            self.message.setText(
                self.tr("{0} of the records sent again were refused again: see the agency's reason above.").format(
                    refused
                )
            )
        else:
            self.message.setText(self.tr("The {0} records sent again were accepted by the agency.").format(accepted))

    def selected(self) -> list[SetAsideRecord]:
        rows = sorted(index.row() for index in self.set_aside_table.selectionModel().selectedRows())
        return [self.set_aside.row_at(row) for row in rows]

    def retry_selected(self) -> None:
        if not self.may_retry:
            return
        chosen = self.selected()
        if not chosen:
            self.message.setText(self.tr("Choose the corrected records to send again."))
            return
        queued = retry_records(self.store, [r.entry_id for r in chosen], self.staff.staff_id, self.clock())
        self._resent = frozenset(r.entry_id for r in chosen)
        self._reported_since_resend = False
        self.message.setText(self.tr("{0} records will be sent again now.").format(queued))
        self.set_aside_table.clearSelection()
        self.refresh()
        self.retried.emit(queued)

    # --- settle up ----------------------------------------------------------------

    def settle_up_selected(self) -> None:
        """Settle up with the patient of the difference selected (补收 / 退费), whatever its day."""
        if not self.may_settle_up:
            return
        rows = self.differences_table.selectionModel().selectedRows()
        if not rows:
            self.message.setText(self.tr("Choose the settlement to settle up."))
            return
        from desktop.ui.settle_up_dialog import ask_settle_up
        from desktop.ui.settlements import settlement_row

        chosen = settlement_row(self.store, self.differences.row_at(rows[0].row()).settlement_id)
        if chosen is None:
            return
        self.settle_up_dialog = ask_settle_up(
            self,
            self.store,
            self.staff.staff_id,
            self.clock,
            chosen,
            self.print_settle_up,
            self.message.setText,
            self.refresh,
        )
