"""The 基金 page: where the centre's capitation fund stands this year, for its director.

The figures are the fund engine's (``desktop.fund``) from the store's month totals — a
dozen rows and the signings, never a walk over the year's visits — loaded off the GUI
thread; the early warnings, which do read the visits, follow in a second job. Printable
and exportable as the fund report (PDF, Excel workbook) with the chart and the warnings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize, Qt, QThreadPool, QTimer
from PySide6.QtGui import QImageWriter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid
from typing_extensions import override

from db.models import Staff
from db.session import Store
from desktop.fund.engine import months_elapsed
from desktop.fund.from_store import FundScope, NoFundError, NotRememberedError, fund_position
from desktop.fund.types import FundPosition
from desktop.money import format_amount
from desktop.policy.codec import InputError
from desktop.reports.document import Report
from desktop.reports.early_warning import NAMES, SCOPE_NAMES, Alert, Watch, warning_sections, watch
from desktop.reports.fund_report import build
from desktop.reports.heading import Heading
from desktop.settlement.service import CHINA
from desktop.ui.fund_chart import ChartText, FundChart
from desktop.ui.pdf_export import Column, ExportPanel, ExportTask, Progress, ReportSource, Table
from desktop.ui.rows_model import RowsModel
from desktop.ui.workers import run_in_background

CHART_PRINT_SIZE = QSize(1300, 620)  # the screen font at print size
CHART_PRINT_MM = 95.0
WARNINGS_AFTER_MS = 150


@dataclass(frozen=True, slots=True)
class FundView:
    """What the page shows: whose fund, where it stands, and how many months are behind us."""

    scope: FundScope
    position: FundPosition
    elapsed: int
    month: int  # the month the page calls "this month"


def load_view(store: Store, facility_id: str, year: int, today: dt.date, *, quick: bool = False) -> FundView:
    """The fund as of today (a past year: as of its end); off the GUI thread unless ``quick``
    (``NotRememberedError`` when the signings must be read first)."""
    as_of = today if year == today.year else dt.date(year, 12, 31)
    scope, position = fund_position(store, facility_id, year, as_of=as_of, quick=quick)
    month = today.month if year == today.year else 12
    return FundView(scope, position, months_elapsed(year, as_of), month)


class AlertModel(RowsModel[Alert]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = [
            (self.tr("Month"), lambda a: f"{a.month:%Y-%m}", False),
            (self.tr("Scope"), lambda a: SCOPE_NAMES[a.scope], False),
            (self.tr("Who"), lambda a: a.unit_name, False),
            (self.tr("Indicator"), lambda a: NAMES[a.indicator], False),
            (self.tr("What it says"), lambda a: a.text, False),
            (self.tr("Source"), lambda a: a.article, False),
        ]


class FundPage(QWidget):
    def __init__(
        self, store: Store, staff: Staff, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("fundPage")
        self._store = store
        self._facility_id = staff.facility_id
        self._staff_name = staff.name
        self._today = today or dt.datetime.now(CHINA).date()
        self.view: FundView | None = None
        self.shown = 0  # how many loads have been shown (a test or benchmark waits on it)
        self.watched: tuple[Watch, Watch] | None = None  # last month's and this month's
        self._loading = 0  # which load the page waits for: an older one's answer is dropped
        # The warnings read the visits: a pool of their own, one at a time, so that a slow one
        # never holds up the fund's figures, and one no longer wanted does not start.
        self._slow_pool = QThreadPool(self)
        self._slow_pool.setMaxThreadCount(1)

        self.year = QSpinBox(self)
        self.year.setRange(2000, self._today.year)
        self.year.setValue(self._today.year)
        self.policy = QLabel(self)
        self.policy.setWordWrap(True)
        self.figures = {key: QLabel(self) for key in ("budget", "spent", "projected", "band", "limit", "month")}
        for label in self.figures.values():
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart = FundChart(self._chart_text(), self)
        self.alerts = AlertModel(self)
        self.alert_table = self._alert_table()
        self.alert_status = QLabel(self)
        self.export = ExportPanel(
            self._prepare_report, self._suggest_name, self.tr("Export as PDF…"), self.tr("Print…"), self
        )
        self.workbook_button = QPushButton(self.tr("Export workbook…"), self)
        self.workbook_button.clicked.connect(self.export_workbook)
        self.export.layout().addWidget(self.workbook_button)  # type: ignore[union-attr]  # a QHBoxLayout
        self._lay_out()
        self.year.valueChanged.connect(self.reload)
        self.reload()

    # --- building ----------------------------------------------------------------------

    def _chart_text(self) -> ChartText:
        return ChartText(
            months=(
                self.tr("Jan"),
                self.tr("Feb"),
                self.tr("Mar"),
                self.tr("Apr"),
                self.tr("May"),
                self.tr("Jun"),
                self.tr("Jul"),
                self.tr("Aug"),
                self.tr("Sep"),
                self.tr("Oct"),
                self.tr("Nov"),
                self.tr("Dec"),
            ),
            budget=self.tr("Budget {amount}"),
            spent=self.tr("Spent"),
            projected=self.tr("Projected {amount}"),
            ceiling=self.tr("Monthly ceiling or advance"),
            paid=self.tr("Paid by the agency"),
            monthly=self.tr("Month by month"),
            empty=self.tr("Reading the fund…"),
        )

    def _alert_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.alerts)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        return table

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        caption = QLabel(self.tr("Year"), self)
        caption.setBuddy(self.year)
        top.addWidget(caption)
        top.addWidget(self.year)
        top.addWidget(self.policy, 1)
        grid = QGridLayout()
        captions = {
            "budget": self.tr("Budget for the year"),
            "spent": self.tr("Spent so far"),
            "projected": self.tr("Projected for the year"),
            "band": self.tr("Year-end band it is heading for"),
            "limit": self.tr("This month's ceiling or advance"),
            "month": self.tr("This month: spent and paid"),
        }
        for index, (key, text) in enumerate(captions.items()):
            row, column = divmod(index, 2)
            grid.addWidget(QLabel(text, self), row, 2 * column)
            grid.addWidget(self.figures[key], row, 2 * column + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        warnings = QGroupBox(self.tr("Early warnings (洪府办发〔2022〕93号 第四十一条)"), self)
        inner = QVBoxLayout(warnings)
        inner.addWidget(self.alert_status)
        inner.addWidget(self.alert_table)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.chart, 3)
        layout.addWidget(warnings, 1)
        layout.addWidget(self.export)

    # --- loading -----------------------------------------------------------------------

    def reload(self) -> None:
        """Read the fund again, then the warnings (off the GUI thread). With the signings read
        before and unchanged, the fund is the month totals and a little arithmetic: shown at
        once, in the same paint as the page; otherwise the signings are read on a worker."""
        self._loading += 1
        ticket = self._loading
        year = self.year.value()
        store, facility, today = self._store, self._facility_id, self._today
        try:
            view = load_view(store, facility, year, today, quick=True)
        except NotRememberedError:
            pass
        except Exception as exc:  # shown on the page, as a worker's failure would be
            self._failed(ticket, exc)
            return
        else:
            self._loaded(ticket, view)
            return
        run_in_background(
            lambda: load_view(store, facility, year, today),
            lambda view: self._loaded(ticket, view),
            lambda error: self._failed(ticket, error),
        )

    def _wanted(self, ticket: int) -> bool:
        """Whether an answer is still for this page: the newest load, the page not closed meanwhile."""
        return ticket == self._loading and isValid(self.alerts)

    def _loaded(self, ticket: int, view: object) -> None:
        if not self._wanted(ticket):
            return
        assert isinstance(view, FundView)
        self.view = view
        self._show(view)
        self.shown += 1
        self.alert_status.setText(self.tr("Checking the visits…"))
        store, heading = self._store, self._heading(view)
        this = dt.date(view.position.year, view.month, 1)
        last = this - dt.timedelta(days=1)

        def work() -> tuple[Watch, Watch] | None:
            if ticket != self._loading:
                return None  # another year was asked for, or the page was read again, meanwhile
            # The month just ended, and the one under way so far.
            return watch(store, heading, last.year, last.month), watch(store, heading, this.year, this.month)

        def start() -> None:
            if self._wanted(ticket):
                run_in_background(
                    work,
                    lambda found: self._watched(ticket, found),
                    lambda error: self._watch_failed(ticket, error),
                    self._slow_pool,
                )

        # After the figures are painted: the warnings' worker holds the interpreter while it
        # tallies a year of visits, and the page should not wait for its paint behind it.
        QTimer.singleShot(WARNINGS_AFTER_MS, start)

    def _failed(self, ticket: int, error: BaseException) -> None:
        if not self._wanted(ticket):
            return
        self.view = None
        self.chart.show_position(None, 0)
        if isinstance(error, NoFundError | InputError):
            self.policy.setText(self.tr("No capitation fund to show: {0}").format(error))
        else:
            self.policy.setText(self.tr("The fund could not be read: {0}").format(error))
        for label in self.figures.values():
            label.setText("—")

    def _watched(self, ticket: int, found: object) -> None:
        if found is None or not self._wanted(ticket):
            return
        assert isinstance(found, tuple)
        last, this = found
        assert isinstance(last, Watch)
        assert isinstance(this, Watch)
        self.watched = (last, this)
        self.alerts.set_rows([*this.warnings, *last.warnings])
        self.alert_status.setText(
            self.tr("{0}: {1} warnings (so far); {2}: {3} warnings").format(
                f"{this.month:%Y-%m}", len(this.warnings), f"{last.month:%Y-%m}", len(last.warnings)
            )
        )

    def _watch_failed(self, ticket: int, error: BaseException) -> None:
        if self._wanted(ticket):
            self.alert_status.setText(self.tr("The warnings could not be worked out: {0}").format(error))

    def _heading(self, view: FundView) -> Heading:
        now = dt.datetime.now(CHINA)
        scope = view.scope
        return Heading(
            scope.facility_id, scope.facility_name, scope.facility_code, scope.clinics, self._staff_name, now
        )

    # --- showing -----------------------------------------------------------------------

    def _show(self, view: FundView) -> None:
        position = view.position
        self.policy.setText(
            self.tr("{name} · {policy}: {persons} persons signed in {year}").format(
                name=view.scope.facility_name,
                policy=position.policy_version,
                persons=position.signed,
                year=position.year,
            )
        )
        projection = position.projection
        spent = projection.fund_paid if projection is not None else position.fund_paid
        self.figures["budget"].setText(format_amount(position.budget))
        self.figures["spent"].setText(self._share(spent, position))
        if projection is not None:
            self.figures["projected"].setText(self._share(projection.projected, position))
            self.figures["band"].setText(self._band(projection.band))
        else:
            self.figures["projected"].setText(self.tr("no month has ended yet"))
            self.figures["band"].setText("—")
        this = position.months[view.month - 1]
        if this.limit is not None:
            self.figures["limit"].setText(format_amount(this.limit))
        else:
            quarter = position.quarters[(view.month - 1) // 3] if position.quarters else None
            self.figures["limit"].setText(
                self.tr("quarterly advance {0}").format(format_amount(quarter.advance)) if quarter else "—"
            )
        paid = "—" if this.paid is None else format_amount(this.paid)
        self.figures["month"].setText(self.tr("spent {0}, paid {1}").format(format_amount(this.fund_paid), paid))
        self.chart.show_position(position, view.elapsed)

    def _share(self, amount: Decimal, position: FundPosition) -> str:
        if not position.budget:
            return format_amount(amount)
        share = (amount / position.budget * 100).quantize(Decimal("0.1"))
        return self.tr("{0} ({1}% of the budget)").format(format_amount(amount), share)

    def _band(self, band: str | None) -> str:
        names = {
            "below_80": self.tr("below 80%: paid what was spent"),
            "80_to_90": self.tr("80% to 90%: what was spent and half the unused budget"),
            "90_and_above": self.tr("90% and above: the budget, no more"),
            "80_to_100": self.tr("80% to 100%: the saving is the centre's reward"),
            "over_budget": self.tr("over the budget: the overspend is the centre's"),
        }
        return self.tr("no bands: the surplus rolls over") if band is None else names.get(band, band)

    # --- printing and exporting ----------------------------------------------------------

    def report(self) -> Report | None:
        """The fund report for this month with the warnings, as printed and exported."""
        if self.view is None:
            return None
        view = self.view
        report = build(self._heading(view), view.position, view.month)
        if self.watched is None:
            return report
        listed = tuple(
            replace(
                warning_sections(found)[0], key=f"warnings_{found.month:%Y_%m}", title=f"预警（{found.month:%Y-%m}）"
            )
            for found in self.watched
        )
        return replace(report, sections=(*report.sections, *listed))

    def _suggest_name(self) -> str:
        return f"fund-{self._facility_id}-{self.year.value()}.pdf"

    def _prepare_report(self) -> ReportSource:
        from desktop.ui.report_pdf import pages_of

        report = self.report()
        if report is None:
            raise RuntimeError(self.tr("The fund has not been read yet."))
        pages = pages_of(report)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        QImageWriter(buffer, QByteArray(b"PNG")).write(self.chart.image(CHART_PRINT_SIZE))  # as signature_pad does
        header = Column(self.tr("Budget used against the months"), 1.0, image=True)
        figure = Table("", (header,), [(bytes(data.data()),)], row_mm=CHART_PRINT_MM)
        with_chart = replace(pages, tables=(figure, *pages.tables))
        return lambda: with_chart

    def export_workbook(self) -> None:
        report = self.report()
        if report is None or self.export.is_busy():
            return
        suggested = f"fund-{self._facility_id}-{self.year.value()}.xlsx"
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save as workbook"), suggested, self.tr("Excel workbooks (*.xlsx)")
        )
        if not path:
            return
        target = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")
        self.write_workbook(report, target)

    def write_workbook(self, report: Report, target: Path) -> ExportTask:
        from desktop.reports.workbook import write_xlsx

        def work(_progress: Progress) -> tuple[str, int]:
            write_xlsx(report, target)
            return str(target), 1

        task = ExportTask(work, self)
        task.finished.connect(lambda _done: self.export.message.setText(self.tr("Written to {0}").format(target)))
        task.failed.connect(
            lambda problem: self.export.message.setText(self.tr("Could not write: {0}").format(problem))
        )
        task.start()
        return task

    @override
    def sizeHint(self) -> QSize:
        return QSize(1100, 760)
