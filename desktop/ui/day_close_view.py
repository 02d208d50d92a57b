"""The day close (日结) on screen: pick a day, read the totals, the cash the drawer should hold,
the reversals, the settle-ups done and owed and what the agency set aside; print.

The figures are the core's (``desktop.day_close``), computed once; the tables only show them.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.backup import Backup
from db.models import Staff
from db.session import Store
from desktop.day_close import DayClose, back_up_at_close, day_close
from desktop.money import format_amount
from desktop.policy import default_book
from desktop.ui.ledger_models import (
    DayCloseSetAsideModel,
    DrawerModel,
    PayerModel,
    ReversalModel,
    SchemeModel,
    SettleUpModel,
)
from desktop.ui.pdf_export import Cell, Column, ExportPanel, Report, ReportSource, Table
from desktop.ui.rows_model import RIGHT
from desktop.ui.widgets import qdate
from desktop.ui.workers import run_in_background

DayCloseModel = SchemeModel | PayerModel | ReversalModel | DrawerModel | SettleUpModel | DayCloseSetAsideModel


def _table_of(model: DayCloseModel, title: str) -> Table:
    """What the screen's model shows, as a printed table with the same headers and alignment."""
    count = model.columnCount()
    columns = tuple(
        Column(
            str(model.headerData(column, Qt.Orientation.Horizontal)),
            1.0,  # unused: the columns share the line by what they hold
            numeric=model.data(model.index(0, column), Qt.ItemDataRole.TextAlignmentRole) == RIGHT,
        )
        for column in range(count)
    )
    rows: list[tuple[Cell, ...]] = [
        tuple(str(model.data(model.index(row, column))) for column in range(count)) for row in range(model.rowCount())
    ]
    return Table(title, columns, rows, fit=True)  # the scheme's long title gets the room it needs


class DayCloseView(QWidget):
    def __init__(
        self,
        store: Store,
        facility_id: str,
        staff: Staff,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._facility_id = facility_id
        self._staff_name = staff.name
        self.close_: DayClose | None = None
        self._book = default_book()

        self.day_edit = QDateEdit(qdate(today), self)
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.head_note = QLabel(self)  # the audit chain's head, to be written down off the machine
        self.head_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup_note = QLabel(self)
        self.backup_note.setWordWrap(True)
        self.schemes = SchemeModel(self)
        self.payers = PayerModel(self)
        self.drawer = DrawerModel(self)
        self.reversals = ReversalModel(self)
        self.settle_ups = SettleUpModel(self)
        self.set_aside = DayCloseSetAsideModel(self)
        self.scheme_table = self._table(self.schemes)
        self.payer_table = self._table(self.payers)
        self.drawer_table = self._table(self.drawer)
        self.reversal_table = self._table(self.reversals)
        self.settle_up_table = self._table(self.settle_ups)
        self.set_aside_table = self._table(self.set_aside)
        self.lists = QTabWidget(self)
        self.export = ExportPanel(
            self._prepare_report, self._suggest_name, self.tr("Export as PDF…"), self.tr("Print…"), self
        )
        self._lay_out()
        self.day_edit.dateChanged.connect(self.reload)
        self.export.exported.connect(self._back_up)
        self.reload()

    def _table(self, model: DayCloseModel) -> QTableView:
        table = QTableView(self)
        table.setModel(model)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return table

    def _fit_height(self, table: QTableView, rows: int) -> None:
        """Small tables show every row without a scroll bar."""
        shown = max(rows, 1)
        height = table.horizontalHeader().height() + shown * table.verticalHeader().defaultSectionSize()
        table.setFixedHeight(height + 2 * table.frameWidth() + 2)

    def _lay_out(self) -> None:
        pick = QHBoxLayout()
        caption = QLabel(self.tr("Day"), self)
        caption.setBuddy(self.day_edit)
        pick.addWidget(caption)
        pick.addWidget(self.day_edit)
        pick.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(pick)
        layout.addWidget(self._box(self.tr("By scheme"), self.scheme_table))
        money = QHBoxLayout()
        money.addWidget(self._box(self.tr("By payer"), self.payer_table), 3)
        money.addWidget(self._box(self.tr("Cash drawer"), self.drawer_table), 2)
        layout.addLayout(money)
        # The day's lists share the rest of the page, one at a time: each is printed in full.
        for table, title in (
            (self.reversal_table, self.tr("Reversals (冲正) made this day")),
            (self.settle_up_table, self.tr("Settle-ups (补收 / 退费)")),
            (self.set_aside_table, self.tr("Set aside by the agency (not counted)")),
        ):
            self.lists.addTab(table, title)
        layout.addWidget(self.lists, 1)
        layout.addWidget(self.head_note)
        layout.addWidget(self.export)
        layout.addWidget(self.backup_note)

    def _box(self, title: str, table: QTableView) -> QGroupBox:
        box = QGroupBox(title, self)
        inner = QVBoxLayout(box)
        inner.addWidget(table)
        return box

    def day(self) -> dt.date:
        picked = self.day_edit.date()
        return dt.date(picked.year(), picked.month(), picked.day())

    def reload(self) -> None:
        close = day_close(self._store, self._facility_id, self.day(), self._book)
        self.close_ = close
        self.schemes.set_rows(close.schemes)
        self.payers.show(close)
        self.drawer.show(close)
        self.reversals.set_rows(close.reversals)
        self.settle_ups.show(close)
        self.set_aside.set_rows(close.set_aside)
        self.lists.setTabText(0, self.tr("Reversals (冲正) made this day: {0}").format(len(close.reversals)))
        self.lists.setTabText(
            1, self.tr("Settle-ups: {0} done, {1} owed").format(len(close.settle_ups), len(close.owed))
        )
        self.lists.setTabText(2, self.tr("Set aside by the agency: {0}").format(len(close.set_aside)))
        self.summary.setText(" · ".join(self._summary(close)))
        self.head_note.setText(self.tr("Audit chain head: {head}").format(head=close.audit_head))
        self._fit_height(self.scheme_table, len(close.schemes))
        self._fit_height(self.payer_table, 4)
        self._fit_height(self.drawer_table, 5)

    def _summary(self, close: DayClose) -> tuple[str, str, str]:
        """The day in three lines: the totals, the drawer and settle-ups, where it stands with the agency."""
        totals = self.tr(
            "{facility}, {day}: {settled} settled, {reversed} reversed · net {net} "
            "(fund {fund}, personal account {account}, cash {cash})"
        ).format(
            facility=close.facility_name,
            day=close.day.isoformat(),
            settled=close.settled_count,
            reversed=close.reversed_count,
            net=format_amount(close.net.total),
            fund=format_amount(close.net.fund),
            account=format_amount(close.net.account),
            cash=format_amount(close.net.cash),
        )
        drawer = self.tr(
            "The drawer should hold {drawer}; settle-ups owed: collect {collect}, give back {give_back}"
        ).format(
            drawer=format_amount(close.drawer.expected),
            collect=format_amount(close.owed_to_collect),
            give_back=format_amount(close.owed_to_refund),
        )
        agency = self.tr(
            "Waiting for the agency {waiting}, split otherwise {differs}, set aside {set_aside}"
            " ({set_aside_total}, not counted)"
        ).format(
            waiting=close.waiting_count,
            differs=close.differs_count,
            set_aside=len(close.set_aside),
            set_aside_total=format_amount(close.set_aside_split.total),
        )
        return totals, drawer, agency

    # --- printing -----------------------------------------------------------------------

    def _back_up(self) -> None:
        """The close is printed: the store is backed up behind it, off the GUI thread."""
        run_in_background(lambda: back_up_at_close(self._store), self._backed_up, self._backup_failed)

    def _backed_up(self, made: Backup | None) -> None:
        if made is not None:
            self.backup_note.setText(self.tr("Backed up to {path}").format(path=made.path))

    def _backup_failed(self, error: BaseException) -> None:
        self.backup_note.setText(self.tr("The day close's backup failed: {error}").format(error=error))

    def _suggest_name(self) -> str:
        return f"day-close-{self._facility_id}-{self.day():%Y-%m-%d}.pdf"

    def _prepare_report(self) -> ReportSource:
        """The close is small and already on screen: the report is made from the models now."""
        if self.close_ is None:
            self.reload()
        assert self.close_ is not None
        close = self.close_
        report = Report(
            heading=close.facility_name,
            subheading=self.tr("Day close (日结), {day}").format(day=close.day.isoformat()),
            tables=(
                _table_of(self.schemes, self.tr("By scheme")),
                _table_of(self.payers, self.tr("By payer")),
                _table_of(self.drawer, self.tr("Cash drawer")),
                _table_of(self.reversals, self.tr("Reversals (冲正) made this day")),
                _table_of(self.settle_ups, self.tr("Settle-ups (补收 / 退费)")),
                _table_of(self.set_aside, self.tr("Set aside by the agency (not counted)")),
            ),
            closing=(
                *self._summary(close),
                self.tr("Closed by: {staff}    Checked by: ____________________").format(staff=self._staff_name),
                self.tr("Audit chain head (keep it off this computer, for clinic-pos audit verify --head):"),
                close.audit_head,  # on a line of its own: printed whole
            ),
            page_label=self.tr("Page {page} of {pages}"),
            landscape=False,
        )
        return lambda: report
