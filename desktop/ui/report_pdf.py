"""A report (``desktop.reports``) drawn as PDF pages with Qt's printing, as the ledger is.

The report is plain data; this only lays its sections out as the paged tables of
``pdf_export`` (a table's headers repeat on every page it runs onto), with the totals
as its last line and the notes under it. ``clinic-pos report`` calls it with no window:
Qt then needs an application object, made here on the offscreen platform.
"""

from __future__ import annotations

import os
from pathlib import Path

from desktop.reports.document import Report, Section, cell_text
from desktop.ui import pdf_export
from desktop.ui.pdf_export import Cell, Column, Table

PAGE_LABEL = "第 {page} 页，共 {pages} 页"


def _table(section: Section) -> Table:
    columns = tuple(Column(c.title, 1.0, numeric=c.kind.numeric) for c in section.columns)
    rows: list[tuple[Cell, ...]] = [
        tuple(cell_text(value, column.kind) for value, column in zip(row, section.columns, strict=True))
        for row in section.rows
    ]
    if section.totals is not None:
        rows.append(
            tuple(cell_text(value, column.kind) for value, column in zip(section.totals, section.columns, strict=True))
        )
    return Table(section.title, columns, rows, struck=section.struck, fit=True)


def pages_of(report: Report) -> pdf_export.Report:
    """The report as ``pdf_export``'s paged tables."""
    sections = tuple(s for s in report.sections if s.rows)  # an empty one says so in its note
    closing = tuple(f"{s.title}：{s.note}" for s in report.sections if s.note)
    return pdf_export.Report(
        heading=f"{report.facility_name}{report.title}",
        subheading=report.heading_line,
        tables=tuple(_table(section) for section in sections),
        closing=(*closing, *report.notes),
        page_label=PAGE_LABEL,
        landscape=report.landscape,
        document_title=f"{report.facility_name}{report.title} {report.period_label}",
    )


def write_report_pdf(report: Report, path: Path) -> int:
    """Write the PDF; returns its page count. Works with or without a window open."""
    ensure_application()
    return pdf_export.write_pdf(pages_of(report), path)


def ensure_application() -> None:
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a command needs no screen to print
        QGuiApplication(["clinic-pos"])
