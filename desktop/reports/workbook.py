"""A report as an Excel workbook (openpyxl): one sheet, headed as the agency's forms are.

Figures are numbers in the cells (money formatted to the fen, shares as percentages) so
the agency's clerk can add them again; the totals are the report's own, written as
values, never as formulas that a reader without a spreadsheet engine would see empty.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop.reports.document import Cell, Kind, Report, Section

FORMATS = {Kind.MONEY: "#,##0.00", Kind.COUNT: "0", Kind.RATIO: "0.00%", Kind.TEXT: "@"}
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOTALS_TOP = Border(top=Side(style="medium"))
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
STRUCK = Font(strike=True, color="666666")
TOTALS_LABEL = "合计"


def write_xlsx(report: Report, path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = report.kind
    width = max((len(section.columns) for section in report.sections), default=1)
    row = _heading(sheet, report, width)
    widths: dict[int, float] = {}
    for section in report.sections:
        row = _section(sheet, section, row + 1, widths)
    for note in report.notes:
        row += 1
        sheet.cell(row, 1, note)
    for column, chars in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(chars + 2, 8), 60)
    sheet.page_setup.orientation = "landscape" if report.landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_options.horizontalCentered = True
    book.properties.title = f"{report.facility_name} {report.title} {report.period_label}"
    book.properties.creator = report.made_by
    book.save(path)


def _heading(sheet: Worksheet, report: Report, width: int) -> int:
    sheet.cell(1, 1, f"{report.facility_name}{report.title}").font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    for offset, (label, value) in enumerate(
        (
            ("机构", f"{report.facility_name}（{report.facility_id}）"),
            ("医保机构编码", report.facility_code),
            ("期间", report.period_label),
            ("制表人", report.made_by),
            ("制表时间", f"{report.made_at:%Y-%m-%d %H:%M}"),
        ),
        start=2,
    ):
        sheet.cell(offset, 1, label).font = Font(bold=True)
        sheet.cell(offset, 2, value)
    return 7


def _section(sheet: Worksheet, section: Section, row: int, widths: dict[int, float]) -> int:
    sheet.cell(row, 1, section.title).font = Font(bold=True, size=12)
    row += 1
    for number, column in enumerate(section.columns, start=1):
        cell = sheet.cell(row, number, column.title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        _widen(widths, number, column.title)
    for index, values in enumerate(section.rows):
        row += 1
        _cells(sheet, section, row, values, widths, struck=index in section.struck)
    if section.totals is not None:
        row += 1
        totals = list(section.totals)
        if totals and totals[0] is None:
            totals[0] = TOTALS_LABEL
        _cells(sheet, section, row, tuple(totals), widths, bold=True)
    if section.note:
        row += 1
        sheet.cell(row, 1, section.note).font = Font(italic=True)
    return row + 1


def _cells(
    sheet: Worksheet,
    section: Section,
    row: int,
    values: tuple[Cell, ...],
    widths: dict[int, float],
    *,
    struck: bool = False,
    bold: bool = False,
) -> None:
    for number, (column, value) in enumerate(zip(section.columns, values, strict=True), start=1):
        cell = sheet.cell(row, number, value)
        if bold:  # a border on every cell costs openpyxl a style lookup each: the totals line has one
            cell.border = TOTALS_TOP
        if value is not None and not isinstance(value, str):
            cell.number_format = FORMATS[column.kind]
        if struck:
            cell.font = STRUCK
        elif bold:
            cell.font = Font(bold=True)
        _widen(widths, number, "" if value is None else str(value))


def _widen(widths: dict[int, float], column: int, text: str) -> None:
    # A Chinese character takes about two of Excel's character widths.
    chars = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    widths[column] = max(widths.get(column, 0), chars)
