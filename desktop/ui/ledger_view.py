"""The village clinic ledger (门诊台账) on screen: browse by day or month, filter, sign, print.

The table's columns are as wide as what they hold, the figures always whole; the diagnosis
takes whatever room is left. A column the clerk has dragged keeps the width they gave it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from db.models import Staff
from db.session import Store
from desktop.ledger import (
    LedgerError,
    LedgerQuery,
    LedgerRow,
    LedgerTotals,
    Period,
    clinic_names,
    ledger_rows,
    signatures,
    store_signature,
    totals,
    viewer_sees_full_id,
)
from desktop.money import format_amount
from desktop.settlement.service import CHINA
from desktop.staff import Permission, may
from desktop.ui.ledger_models import LedgerTableModel, StatusWords, ledger_status
from desktop.ui.month_edit import MonthEdit
from desktop.ui.pdf_export import Cell, Column, ExportPanel, Report, ReportSource, Table
from desktop.ui.signature_pad import SignatureDialog
from desktop.ui.widgets import qdate

FILTER_DELAY_MS = 250
FIGURE_ROOM_PX = 4  # beyond the delegate's own margins, so a figure never touches the grid
PRINT_ROW_MM = 11.0  # room for a signature, by pen or from the screen


@dataclass(frozen=True, slots=True)
class LedgerPrintText:
    """The printed register's words, translated on the GUI thread before the work leaves it."""

    heading: str
    subheading: str
    page_label: str
    columns: tuple[Column, ...]
    notes: StatusWords
    apart: str  # the closing line for self-pay visits and records set aside, where there are any
    closing: tuple[str, ...]


class LedgerView(QWidget):
    def __init__(
        self, store: Store, staff: Staff, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._staff_id = staff.id
        self._facility_id = staff.facility_id
        self._full_id = viewer_sees_full_id(staff.role)
        self._files_ledger = may(staff.role, Permission.FILE_LEDGER)  # the copy for filing: full numbers
        self._names = clinic_names(store, staff.facility_id)
        self._rows: list[LedgerRow] = []
        self._signing: SignatureDialog | None = None
        self._natural: dict[int, int] = {}  # each column's width for what it has held
        self._dragged: dict[int, int] = {}  # the widths the clerk gave, by dragging a header's edge
        self._fitting = False
        start = qdate(today)

        self.mode = QComboBox(self)
        self.mode.addItem(self.tr("By day"), "day")
        self.mode.addItem(self.tr("By month"), "month")
        self.day_edit = QDateEdit(start, self)
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.month_edit = MonthEdit(start, self)  # its arrows step months, not years
        self.month_edit.setVisible(False)
        self.villages = QCheckBox(self.tr("Include village clinics"), self)
        self.villages.setVisible(len(self._names) > 1)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Filter: name, last digits of the ID number, or diagnosis"))
        self.filter.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)

        self.model = LedgerTableModel(self._names, self)
        self.table = self._make_table()

        self.totals_label = QLabel(self)
        self.totals_label.setWordWrap(True)  # the counts apart (self-pay, waiting, set aside) may add a line
        self.message = QLabel(self)
        self.sign_button = QPushButton(self.tr("Take signature…"), self)
        self.sign_button.setEnabled(False)
        self.export = ExportPanel(
            self._prepare_report,
            self._suggest_name,
            self.tr("Export month as PDF…"),
            self.tr("Print month…"),
            self,
        )

        self._lay_out()
        self._connect()
        self.reload()

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(40)  # sizing reads this many rows, not the whole month
        header.setStretchLastSection(False)  # the spare room goes to the diagnosis, not the status
        table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        table.setColumnHidden(1, not self.villages.isVisible())
        return table

    def _lay_out(self) -> None:
        picks = QHBoxLayout()
        for label, widget in (
            (self.tr("Show"), self.mode),
            (self.tr("Day"), self.day_edit),
            (self.tr("Month"), self.month_edit),
        ):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            picks.addWidget(caption)
            picks.addWidget(widget)
            if widget is self.month_edit:
                self._month_caption = caption
                caption.setVisible(False)
            if widget is self.day_edit:
                self._day_caption = caption
        picks.addWidget(self.villages)
        picks.addWidget(self.filter, 1)
        under = QHBoxLayout()
        under.addWidget(self.totals_label, 1)
        under.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.addLayout(picks)
        layout.addWidget(self.table, 1)
        layout.addLayout(under)
        layout.addWidget(self.message)
        layout.addWidget(self.export)

    def _connect(self) -> None:
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.day_edit.dateChanged.connect(self.reload)
        self.month_edit.dateChanged.connect(self.reload)
        self.villages.toggled.connect(self._villages_toggled)
        self.filter.textChanged.connect(self._filter_timer.start)
        self.filter.returnPressed.connect(self.reload)
        self._filter_timer.timeout.connect(self.reload)
        self.table.horizontalHeader().sectionResized.connect(self._section_resized)
        self.table.viewport().installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.doubleClicked.connect(self._double_clicked)
        self.sign_button.clicked.connect(self.take_signature)

    # --- what is shown ------------------------------------------------------------------

    def by_month(self) -> bool:
        return bool(self.mode.currentData() == "month")

    def period(self) -> Period:
        if self.by_month():
            month = self.month_edit.date()
            return Period.month(month.year(), month.month())
        day = self.day_edit.date()
        return Period.day(dt.date(day.year(), day.month(), day.day()))

    def export_month(self) -> Period:
        """The month printed: the month shown, or the month of the day shown."""
        day = (self.month_edit if self.by_month() else self.day_edit).date()
        return Period.month(day.year(), day.month())

    def query(self, period: Period | None = None, text: str | None = None) -> LedgerQuery:
        return LedgerQuery(
            facility_id=self._facility_id,
            period=period or self.period(),
            include_villages=self.villages.isChecked(),
            text=self.filter.text() if text is None else text,
            full_id=self._full_id,
        )

    def reload(self) -> None:
        self._filter_timer.stop()
        kept = self._current_row()
        self._rows = ledger_rows(self._store, self.query())
        self.model.set_rows(self._rows)
        self._fit_columns()
        self._show_totals(totals(self._rows))
        if kept is not None:
            self._select_settlement(kept.settlement_id)
        self._current_changed(self.table.currentIndex(), QModelIndex())

    def _show_totals(self, sums: LedgerTotals) -> None:
        text = self.tr(
            "{visits} visits ({reversed} reversed, not counted) · total {total} · fund pays {fund}"
            " · patient pays {patient} · signed {signed} of {visits}"
        ).format(
            visits=sums.visits,
            reversed=sums.reversed,
            total=format_amount(sums.total),
            fund=format_amount(sums.fund),
            patient=format_amount(sums.patient_share),
            signed=sums.signed,
        )
        if sums.self_pay or sums.set_aside or sums.waiting or sums.differs:
            text += self.tr(
                " · self-pay {self_pay} · waiting for the agency {waiting} · split otherwise by the agency {differs}"
                " · set aside by the agency {set_aside} (not counted)"
            ).format(self_pay=sums.self_pay, waiting=sums.waiting, differs=sums.differs, set_aside=sums.set_aside)
        self.totals_label.setText(text)

    def _mode_changed(self) -> None:
        month = self.by_month()
        if month:
            self.month_edit.setDate(self.day_edit.date())
        self.month_edit.setVisible(month)
        self._month_caption.setVisible(month)
        self.day_edit.setVisible(not month)
        self._day_caption.setVisible(not month)
        self.reload()

    def _villages_toggled(self, checked: bool) -> None:
        self.table.setColumnHidden(1, not checked)
        self.reload()

    # --- the columns' widths ------------------------------------------------------------

    def _fit_columns(self) -> None:
        """Widen each column to what it now holds (never narrow it: the table stays still as
        the clerk moves from day to day), every figure of the rows measured, then spread."""
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            wanted = header.sectionSizeHint(column)
            if not self._rows:
                pass
            elif column in LedgerTableModel.FIGURES:
                wanted = max(wanted, self._figure_width(column))
            else:  # the rows in sight and a few more (the header's resize precision)
                wanted = max(wanted, self.table.sizeHintForColumn(column))
            self._natural[column] = max(self._natural.get(column, 0), wanted)
        self._spread()

    def _figure_width(self, column: int) -> int:
        """Wide enough for the widest figure of all the rows, as the delegate lays it out."""
        table = self.table
        margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
        metrics: dict[str, QFontMetrics] = {}
        widest = 0
        for row in range(self.model.rowCount()):
            index = self.model.index(row, column)
            font = index.data(Qt.ItemDataRole.FontRole)
            font = font if isinstance(font, QFont) else table.font()
            fm = metrics.setdefault(font.key(), QFontMetrics(font))
            widest = max(widest, fm.horizontalAdvance(str(index.data())))
        return widest + margin + int(table.showGrid()) + FIGURE_ROOM_PX

    def _spread(self) -> None:
        """Every column at its width, the clerk's where they dragged one; the diagnosis also
        takes the room the others leave, so no gap and no status column stretched across it."""
        if not self._natural:
            return
        header = self.table.horizontalHeader()
        spare = LedgerTableModel.DIAGNOSIS
        self._fitting = True
        try:
            for column, width in self._natural.items():
                if column != spare or column in self._dragged:
                    header.resizeSection(column, self._dragged.get(column, width))
            if spare not in self._dragged:
                others = sum(
                    header.sectionSize(column)
                    for column in range(header.count())
                    if column != spare and not header.isSectionHidden(column)
                )
                header.resizeSection(spare, max(self._natural[spare], self.table.viewport().width() - others))
        finally:
            self._fitting = False

    def _section_resized(self, column: int, old: int, new: int) -> None:
        if self._fitting or old == 0 or new == 0:  # ours, or a column hidden or shown again
            return
        self._dragged[column] = new  # the clerk's: it stays

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self._spread()
        return super().eventFilter(watched, event)

    # --- signing ------------------------------------------------------------------------

    def _current_row(self) -> LedgerRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _select_settlement(self, settlement_id: int) -> None:
        for number, row in enumerate(self._rows):
            if row.settlement_id == settlement_id:
                self.table.selectRow(number)
                return

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        self.sign_button.setEnabled(row is not None and not row.signed and not row.reversed)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() == LedgerTableModel.SIGNATURE:
            self.take_signature()

    def take_signature(self) -> None:
        row = self._current_row()
        if row is None or row.signed or row.reversed or self._signing is not None:
            return
        dialog = SignatureDialog(row.patient_name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._keep_signature(row, dialog.png()))
        dialog.finished.connect(self._signing_closed)
        self._signing = dialog
        dialog.open()

    def signature_dialog(self) -> SignatureDialog | None:
        return self._signing

    def _signing_closed(self) -> None:
        self._signing = None

    def _keep_signature(self, row: LedgerRow, png: bytes) -> None:
        try:
            store_signature(self._store, row.visit_id, png, self._staff_id, dt.datetime.now(CHINA))
        except LedgerError as exc:
            self._say(self.tr("The signature was not kept: {problem}").format(problem=exc.message), error=True)
        except Exception as exc:
            from desktop.ui.settle_guard import machine_says

            said = machine_says(exc, self._store)
            if said is None:
                raise
            self._say(self.tr("The signature was not kept: {problem}").format(problem=said), error=True)
            return
        else:
            self._say(self.tr("Signature kept for {patient}.").format(patient=row.patient_name))
        self.reload()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setText(text)

    # --- printing -----------------------------------------------------------------------

    def _suggest_name(self) -> str:
        month = self.export_month().first
        return f"ledger-{self._facility_id}-{month:%Y-%m}.pdf"

    def _prepare_report(self) -> ReportSource:
        month = self.export_month()
        # The filing copy is the whole month, with the ID numbers the ledger must hold.
        query = replace(self.query(period=month, text=""), full_id=self._files_ledger)
        text = self._print_text(month, query.include_villages)
        store, names = self._store, dict(self._names)

        def build() -> Report:
            rows = ledger_rows(store, query)
            images = signatures(store, [row.visit_id for row in rows if row.signed])
            return ledger_report(text, rows, images, query.include_villages, names)

        return build

    def _print_text(self, month: Period, with_clinic: bool) -> LedgerPrintText:
        subheading = self.tr("Outpatient ledger (门诊台账), {month}").format(month=f"{month.first:%Y-%m}")
        if not self._files_ledger:
            subheading += self.tr(" — ID numbers masked: not the copy for filing")
        # widths in millimetres on the 277 mm of an A4 landscape line; the clinic's column
        # is paid for by the address and the diagnosis, which wrap onto a second line
        narrow = 8 if with_clinic else 0
        columns = [
            Column(self.tr("No."), 7, numeric=True),
            Column(self.tr("Date"), 19),
            Column(self.tr("Head of household"), 17),
            Column(self.tr("Patient"), 17),
            Column(self.tr("Address"), 36 - narrow),
            Column(self.tr("ID number"), 33),
            Column(self.tr("Preliminary diagnosis"), 28 - narrow),
            Column(self.tr("Total"), 15, numeric=True),
            Column(self.tr("Fund pays"), 15, numeric=True),
            Column(self.tr("Patient pays"), 15, numeric=True),
            Column(self.tr("Signature of patient or family"), 32, image=True),
            Column(self.tr("Phone"), 22),
            Column(self.tr("Note"), 18, struck=False),
        ]
        if with_clinic:
            columns.insert(2, Column(self.tr("Clinic"), 22))
        return LedgerPrintText(
            heading=self._names[self._facility_id],
            subheading=subheading,
            page_label=self.tr("Page {page} of {pages}"),
            columns=tuple(columns),
            notes=StatusWords.translated(),
            apart=self.tr(
                "Of the visits, self-pay: {self_pay}; set aside by the agency, waiting on it (not counted): {set_aside}"
            ),
            closing=(
                self.tr("Visits: {visits}; reversed (not counted): {reversed}"),
                self.tr(
                    "Total {total}; fund pays {fund}; patient pays {patient} (personal account {account}, cash {cash})"
                ),
                self.tr("Kept by (signature): ____________________    Checked by: ____________________"),
            ),
        )


def ledger_report(
    text: LedgerPrintText,
    rows: Sequence[LedgerRow],
    images: dict[int, bytes],
    with_clinic: bool,
    names: dict[str, str],
) -> Report:
    """The month's register as printable pages; plain data, safe to build off the GUI thread."""
    lines: list[tuple[Cell, ...]] = []
    for number, row in enumerate(rows, start=1):
        cells: list[Cell] = [
            str(number),
            row.visit_date.isoformat(),
            row.household_head,
            row.patient_name,
            row.address,
            row.id_number,
            row.diagnosis,
            format_amount(row.total),
            format_amount(row.fund),
            format_amount(row.patient_share),
            images.get(row.visit_id),
            row.phone,
            ledger_status(row, text.notes),
        ]
        if with_clinic:
            cells.insert(2, names.get(row.facility_id, row.facility_id))
        lines.append(tuple(cells))
    sums = totals(rows)
    closing = (
        text.closing[0].format(visits=sums.visits, reversed=sums.reversed),
        *(
            [text.apart.format(self_pay=sums.self_pay, set_aside=sums.set_aside)]
            if sums.self_pay or sums.set_aside
            else []
        ),
        text.closing[1].format(
            total=format_amount(sums.total),
            fund=format_amount(sums.fund),
            patient=format_amount(sums.patient_share),
            account=format_amount(sums.account),
            cash=format_amount(sums.cash),
        ),
        *text.closing[2:],
    )
    struck = frozenset(index for index, row in enumerate(rows) if row.reversed)
    table = Table("", text.columns, lines, struck, PRINT_ROW_MM)
    return Report(text.heading, text.subheading, (table,), closing, text.page_label, True, text.subheading)
