"""Paged tables for printing and PDF: the ledger for filing, the day close for the cashier.

A ``Report`` is plain data (translated text, PNG bytes), built on the GUI thread or the
worker; ``render`` paints it with ``QPainter`` on any paged device (``QPdfWriter`` or
``QPrinter``). Painting on those devices is allowed off the GUI thread, so the export
runs on the thread pool and reports its pages through signals; no widget is touched.

The type is set in points, never in the application font's screen pixels. A row is as tall
as its most wrapped cell needs (``Table.row_mm`` is the least it takes), and a table may
share the line among its columns by what they hold (``Table.fit``) rather than by the
widths it was given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLineF, QMarginsF, QObject, QRectF, Qt, QThreadPool, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget
from shiboken6 import Shiboken

from desktop.ui.workers import start_job

Cell = str | bytes | None  # text; a PNG image (a stored signature); nothing (left for a pen)
Progress = Callable[[int, int], None]

MARGIN_MM = 10.0
HEADING_MM = 16.0
FOOTER_MM = 7.0
HEADER_ROW_MM = 8.0
TITLE_MM = 8.0
CLOSING_LINE_MM = 6.0
CELL_PAD_X_MM = 0.8  # between a cell's rule and its text
CELL_PAD_Y_MM = 0.3
WRAP_ROOM_MM = 0.8  # above and below a wrapped cell's lines, shared
FIT_SLACK_MM = 0.5  # a line measured to fit a cell exactly may still wrap its last letter
BODY_POINTS = 8.0
HEADING_POINTS = 13.0
PDF_DPI = 300
# What a line is not broken inside: a run of Latin letters, digits and signs; any other
# character (Chinese) may end a line
_UNBROKEN = re.compile(r"[!-~\u00a0-\u024f]+|\S")


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    width: float  # relative to the other columns
    numeric: bool = False
    image: bool = False
    struck: bool = True  # False: stays plain on a struck row (the note saying why it was reversed)


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: Sequence[tuple[Cell, ...]]
    struck: frozenset[int] = frozenset()  # rows drawn struck through: reversed settlements
    row_mm: float = 7.0  # the least a row takes; one whose text wraps further grows to hold it
    fit: bool = False  # the columns share the line by what they hold; their widths are ignored


@dataclass(frozen=True, slots=True)
class Report:
    heading: str
    subheading: str
    tables: tuple[Table, ...]
    closing: tuple[str, ...]
    page_label: str  # "Page {page} of {pages}", already translated
    landscape: bool = True
    document_title: str = ""


@dataclass(frozen=True, slots=True)
class _Block:
    kind: str  # title, header, row, closing
    table: int = -1
    row: int = -1
    text: str = ""


@dataclass(frozen=True, slots=True)
class Sizes:
    """One table laid out on the page, in millimetres."""

    widths: tuple[float, ...]
    header_mm: float
    rows_mm: tuple[float, ...]


def given_sizes(table: Table, line_mm: float) -> Sizes:
    """The table as it was given: the columns by their widths, every row ``row_mm``."""
    whole = sum(column.width for column in table.columns)
    return Sizes(
        tuple(line_mm * column.width / whole for column in table.columns),
        HEADER_ROW_MM,
        (table.row_mm,) * len(table.rows),
    )


def share_line(natural: Sequence[float], least: Sequence[float], line: float) -> list[float]:
    """Column widths that fill ``line``: with room, each column its natural width and the
    spare in proportion; without, the columns narrower than a fair share keep their width
    and the wide ones wrap, sharing what is left in proportion, none below its least."""
    whole = sum(natural)
    if whole <= 0:
        return [line / len(natural)] * len(natural)
    if whole <= line:
        return [width * line / whole for width in natural]
    widths = list(natural)
    wide = set(range(len(natural)))
    left = line
    while wide:
        fair = left / len(wide)
        narrow = {index for index in wide if natural[index] <= fair}
        if not narrow:
            break
        wide -= narrow
        left -= sum(natural[index] for index in narrow)
    share = sum(natural[index] for index in wide)
    for index in wide:
        widths[index] = max(least[index], left * natural[index] / share)
    used = sum(widths)
    return widths if used <= line else [width * line / used for width in widths]


@dataclass(slots=True)
class _Pager:
    body_mm: float
    pages: list[list[_Block]] = field(default_factory=lambda: [[]])
    used: float = 0.0

    def fits(self, height: float) -> bool:
        return self.used + height <= self.body_mm or not self.pages[-1]

    def new_page(self) -> None:
        if self.pages[-1]:
            self.pages.append([])
            self.used = 0.0

    def place(self, block: _Block, height: float) -> None:
        if not self.fits(height):
            self.new_page()
        self.pages[-1].append(block)
        self.used += height


def paginate(report: Report, body_mm: float, sizes: Sequence[Sizes] | None = None) -> list[list[_Block]]:
    """Lay the report out on pages; a table that runs on repeats its headers on every page.

    ``sizes`` are the tables' measured heights; without them every row is its ``row_mm``.
    """
    pager = _Pager(body_mm)
    for index, table in enumerate(report.tables):
        size = sizes[index] if sizes is not None else given_sizes(table, 1.0)
        title_mm = TITLE_MM if table.title else 0.0
        first_mm = size.rows_mm[0] if size.rows_mm else 0.0
        if not pager.fits(title_mm + size.header_mm + first_mm):
            pager.new_page()  # a table's title, headers and first row stay together
        if table.title:
            pager.place(_Block("title", index, text=table.title), TITLE_MM)
        pager.place(_Block("header", index), size.header_mm)
        for row, row_mm in enumerate(size.rows_mm):
            if not pager.fits(row_mm):
                pager.new_page()
                pager.place(_Block("header", index), size.header_mm)
            pager.place(_Block("row", index, row), row_mm)
    if not pager.fits(CLOSING_LINE_MM * len(report.closing)):
        pager.new_page()  # the totals are read together
    for line in report.closing:
        pager.place(_Block("closing", text=line), CLOSING_LINE_MM)
    return pager.pages


def prepare(device: QPagedPaintDevice, report: Report) -> None:
    device.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    orientation = QPageLayout.Orientation.Landscape if report.landscape else QPageLayout.Orientation.Portrait
    device.setPageOrientation(orientation)
    device.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)


def render(device: QPagedPaintDevice, report: Report, progress: Progress | None = None) -> int:
    """Paint every page; returns the page count. The device's page setup is ``prepare``'s."""
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("the printer or PDF file could not be opened for writing")
    try:
        return _Painting(painter, device, report).run(progress)
    finally:
        painter.end()


def write_pdf(report: Report, path: Path, progress: Progress | None = None) -> int:
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setCreator("clinic-pos")
    writer.setTitle(report.document_title or report.subheading)
    prepare(writer, report)
    return render(writer, report, progress)


class _Painting:
    def __init__(self, painter: QPainter, device: QPagedPaintDevice, report: Report) -> None:
        self.painter = painter
        self.device = device
        self.report = report
        self.px = device.logicalDpiY() / 25.4  # device pixels per millimetre
        self.width = float(device.width())
        self.height = float(device.height())
        # The application's faces (Chinese first), in points: its size is pixels of a screen.
        self.body_font = QFont()
        self.body_font.setPointSizeF(BODY_POINTS)
        self.bold_font = QFont(self.body_font)
        self.bold_font.setBold(True)
        self.heading_font = QFont()
        self.heading_font.setPointSizeF(HEADING_POINTS)
        self.heading_font.setBold(True)
        self.body_metrics = QFontMetricsF(self.body_font, device)
        self.bold_metrics = QFontMetricsF(self.bold_font, device)
        self.sizes = [self._measure(table) for table in report.tables]

    # --- measuring, in millimetres ------------------------------------------------------

    def _natural(self, table: Table) -> tuple[list[float], list[float]]:
        """Each column's width on one line, and the least it can wrap to, both with padding."""
        body, bold = self.body_metrics, self.bold_metrics
        pad = 2 * CELL_PAD_X_MM + FIT_SLACK_MM
        natural: list[float] = []
        least: list[float] = []
        for number, column in enumerate(table.columns):
            texts = [cell for row in table.rows if isinstance(cell := row[number], str)]
            widest = max((body.horizontalAdvance(text) for text in texts), default=0.0)
            if column.numeric:  # a figure is never broken
                shortest = widest
            else:
                shortest = max(
                    (body.horizontalAdvance(p) for text in texts for p in _UNBROKEN.findall(text)), default=0.0
                )
            heading = max((bold.horizontalAdvance(p) for p in _UNBROKEN.findall(column.header)), default=0.0)
            natural.append(max(widest, bold.horizontalAdvance(column.header)) / self.px + pad)
            least.append(max(shortest, heading) / self.px + pad)
        return natural, least

    def _text_mm(self, metrics: QFontMetricsF, text: str, width_mm: float) -> float:
        """How tall ``text`` stands wrapped in a cell ``width_mm`` wide, with the cell's padding."""
        inner = max(width_mm - 2 * CELL_PAD_X_MM, 1.0) * self.px
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
        used = metrics.boundingRect(QRectF(0, 0, inner, 1e6), flags, text)
        return used.height() / self.px + 2 * CELL_PAD_Y_MM + WRAP_ROOM_MM

    def _measure(self, table: Table) -> Sizes:
        line_mm = self.width / self.px
        given = given_sizes(table, line_mm)
        widths = tuple(share_line(*self._natural(table), line_mm)) if table.fit else given.widths

        def tallest(cells: Sequence[Cell], metrics: QFontMetricsF, least: float) -> float:
            texts = [(cell, width) for cell, width in zip(cells, widths, strict=True) if isinstance(cell, str) and cell]
            return max([least, *(self._text_mm(metrics, text, width) for text, width in texts)])

        header = tallest([column.header for column in table.columns], self.bold_metrics, HEADER_ROW_MM)
        rows = tuple(tallest(row, self.body_metrics, table.row_mm) for row in table.rows)
        return Sizes(widths, header, rows)

    # --- painting -----------------------------------------------------------------------

    def run(self, progress: Progress | None) -> int:
        body_mm = self.height / self.px - HEADING_MM - FOOTER_MM
        pages = paginate(self.report, body_mm, self.sizes)
        for number, blocks in enumerate(pages, start=1):
            if number > 1:
                self.device.newPage()
            self._page(number, len(pages), blocks)
            if progress is not None:
                progress(number, len(pages))
        return len(pages)

    def _page(self, number: int, count: int, blocks: list[_Block]) -> None:
        painter = self.painter
        painter.setPen(QPen(QColor("black")))
        painter.setFont(self.heading_font)
        painter.drawText(QRectF(0, 0, self.width, 8 * self.px), Qt.AlignmentFlag.AlignCenter, self.report.heading)
        painter.setFont(self.body_font)
        painter.drawText(
            QRectF(0, 8 * self.px, self.width, 6 * self.px), Qt.AlignmentFlag.AlignCenter, self.report.subheading
        )
        label = self.report.page_label.format(page=number, pages=count)
        footer = QRectF(0, self.height - FOOTER_MM * self.px, self.width, FOOTER_MM * self.px)
        painter.drawText(footer, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, label)
        top = HEADING_MM * self.px
        for block in blocks:
            top += self._block(block, top)

    def _block(self, block: _Block, top: float) -> float:
        if block.kind == "title":
            self.painter.setFont(self.bold_font)
            rect = QRectF(0, top, self.width, TITLE_MM * self.px)
            self.painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, block.text)
            return TITLE_MM * self.px
        if block.kind == "closing":
            self.painter.setFont(self.bold_font)
            rect = QRectF(0, top, self.width, CLOSING_LINE_MM * self.px)
            self.painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, block.text)
            return CLOSING_LINE_MM * self.px
        table = self.report.tables[block.table]
        size = self.sizes[block.table]
        if block.kind == "header":
            self._row(table, size, tuple(c.header for c in table.columns), top, size.header_mm, header=True)
            return size.header_mm * self.px
        row_mm = size.rows_mm[block.row]
        self._row(table, size, table.rows[block.row], top, row_mm, struck=block.row in table.struck)
        return row_mm * self.px

    def _row(
        self,
        table: Table,
        size: Sizes,
        cells: tuple[Cell, ...],
        top: float,
        row_mm: float,
        *,
        header: bool = False,
        struck: bool = False,
    ) -> None:
        painter = self.painter
        painter.setFont(self.bold_font if header else self.body_font)
        painter.setPen(QPen(QColor("black"), 0.2 * self.px))
        if header:
            painter.fillRect(QRectF(0, top, self.width, row_mm * self.px), QColor("#e8e8e8"))
        left = 0.0
        pad_x, pad_y = CELL_PAD_X_MM * self.px, CELL_PAD_Y_MM * self.px
        for column, cell, width in zip(table.columns, cells, size.widths, strict=True):
            rect = QRectF(left, top, width * self.px, row_mm * self.px)
            painter.drawRect(rect)
            inner = rect.adjusted(pad_x, pad_y, -pad_x, -pad_y)
            if isinstance(cell, bytes):
                self._image(cell, inner)
            elif cell:
                self._text(cell, inner, column, header=header, struck=struck and column.struck)
            left += rect.width()

    def _text(self, text: str, rect: QRectF, column: Column, *, header: bool, struck: bool) -> None:
        painter = self.painter
        align = Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
        if header:
            align |= Qt.AlignmentFlag.AlignHCenter
        elif column.numeric:
            align |= Qt.AlignmentFlag.AlignRight
        else:
            align |= Qt.AlignmentFlag.AlignLeft
        painter.save()
        painter.setClipRect(rect)
        if struck:
            painter.setPen(QPen(QColor("#666666")))
        used = painter.drawText(rect, align, text)
        if struck:
            middle = used.center().y()
            painter.drawLine(QLineF(used.left(), middle, used.right(), middle))
        painter.restore()

    def _image(self, png: bytes, rect: QRectF) -> None:
        image = QImage.fromData(png)  # the type is sniffed: PySide6 6.12 refuses a format argument here
        if image.isNull():
            return
        size = image.size().toSizeF().scaled(rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRectF(0, 0, size.width(), size.height())
        target.moveCenter(rect.center())
        self.painter.drawImage(target, image)


# --- off the GUI thread ----------------------------------------------------------------


class ExportTask(QObject):
    """One export on the thread pool. Connect to its signals, then ``start()``.

    The task lives on the GUI thread and emits its signals there; the pool job never
    holds it (``desktop.ui.workers`` says why). A task whose view was closed mid-export
    is gone with it, and the export's end is then told to nobody.
    """

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[Progress], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work

    def start(self, pool: QThreadPool | None = None) -> None:
        start_job(self._work, self._finished, self._failed, self._progress, pool)

    def _progress(self, done: int, total: int) -> None:
        if Shiboken.isValid(self):
            self.progress.emit(done, total)

    def _finished(self, result: object) -> None:
        if Shiboken.isValid(self):
            self.finished.emit(result)

    def _failed(self, exc: BaseException) -> None:
        if Shiboken.isValid(self):
            self.failed.emit(str(exc) or type(exc).__name__)


# --- the buttons, progress bar and messages under a printable view ---------------------

ReportSource = Callable[[], Report]  # runs on the pool thread: may query the store, must not touch widgets


class ExportPanel(QWidget):
    """ "Export as PDF…" and "Print…" with a progress bar; the work runs on the thread pool.

    ``prepare_report`` is called on the GUI thread when a button is pressed; it reads what
    it needs from the widgets and returns the function that builds the report off-thread.
    """

    exported = Signal(str, int)  # path, pages
    busy_changed = Signal(bool)

    def __init__(
        self,
        prepare_report: Callable[[], ReportSource],
        suggest_name: Callable[[], str],
        export_label: str,
        print_label: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._prepare_report = prepare_report
        self._suggest_name = suggest_name
        self._task: ExportTask | None = None
        self._printer: QPrinter | None = None
        self.export_button = QPushButton(export_label, self)
        self.print_button = QPushButton(print_label, self)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.progress.setTextVisible(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.export_button.clicked.connect(self.export_pdf)
        self.print_button.clicked.connect(self.print_report)
        self._has_printer = bool(QPrinterInfo.availablePrinterNames())
        self.print_button.setEnabled(self._has_printer)
        if not self._has_printer:
            self.print_button.setToolTip(self.tr("No printer is set up on this computer; export a PDF instead."))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.export_button)
        layout.addWidget(self.print_button)

    def is_busy(self) -> bool:
        return self._task is not None

    def export_pdf(self) -> None:
        if self.is_busy():
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save as PDF"), self._suggest_name(), self.tr("PDF files (*.pdf)")
        )
        if not path:
            return
        target = Path(path if path.lower().endswith(".pdf") else path + ".pdf")
        source = self._prepare_report()

        def work(progress: Progress) -> tuple[str, int]:
            return str(target), write_pdf(source(), target, progress)

        self._start(work, self.tr("Writing {name}…").format(name=target.name))

    def print_report(self) -> None:
        if self.is_busy() or not self._has_printer:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._print_on(printer))
        QDialog.open(dialog)  # non-blocking; QPrintDialog.open only has the receiver-and-slot form

    def _print_on(self, printer: QPrinter) -> None:
        source = self._prepare_report()
        self._printer = printer  # kept until the job ends: the pool thread paints on it

        def work(progress: Progress) -> tuple[str, int]:
            report = source()
            prepare(printer, report)
            return printer.printerName(), render(printer, report, progress)

        self._start(work, self.tr("Sending to the printer…"))

    def _start(self, work: Callable[[Progress], tuple[str, int]], message: str) -> None:
        task = ExportTask(work, self)
        task.progress.connect(self._on_progress)
        task.finished.connect(self._on_finished)
        task.failed.connect(self._on_failed)
        self._task = task
        self.progress.setRange(0, 0)  # busy until the pages are counted
        self.progress.setVisible(True)
        self.export_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self._say(message)
        self.busy_changed.emit(True)
        task.start()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(self.tr("Page %v of %m"))

    def _on_finished(self, outcome: object) -> None:
        assert isinstance(outcome, tuple)
        where, pages = outcome
        self._done()
        self._say(self.tr("{pages} pages written to {where}").format(pages=pages, where=where))
        self.exported.emit(str(where), int(pages))

    def _on_failed(self, problem: str) -> None:
        self._done()
        self._say(self.tr("Could not write the pages: {problem}").format(problem=problem), error=True)

    def _done(self) -> None:
        self._task = None
        self._printer = None
        self.progress.setVisible(False)
        self.export_button.setEnabled(True)
        self.print_button.setEnabled(self._has_printer)
        self.busy_changed.emit(False)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setText(text)
