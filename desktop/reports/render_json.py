"""A report as JSON: the same figures the workbook and the PDF hold, for a script or an auditor.

Money is text with two decimals (``"1234.50"``), counts are numbers, shares are text with
four decimals (``"0.3000"``), as in the fund contract.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from desktop.money import format_amount
from desktop.reports.document import Cell, Column, Kind, Report, Section


def value(cell: Cell, kind: Kind) -> Any:
    if isinstance(cell, Decimal):
        return format_amount(cell) if kind is Kind.MONEY else f"{cell:f}"
    return cell


def _row(columns: tuple[Column, ...], cells: tuple[Cell, ...]) -> dict[str, Any]:
    return {column.key: value(cell, column.kind) for column, cell in zip(columns, cells, strict=True)}


def _section(section: Section) -> dict[str, Any]:
    rows = [_row(section.columns, row) for row in section.rows]
    for number in section.struck:
        rows[number]["reversed"] = True
    return {
        "key": section.key,
        "title": section.title,
        "columns": [{"key": c.key, "title": c.title, "kind": c.kind.value} for c in section.columns],
        "rows": rows,
        "totals": None if section.totals is None else _row(section.columns, section.totals),
        **({"note": section.note} if section.note else {}),
    }


def report_json(report: Report) -> dict[str, Any]:
    return {
        "report": report.kind,
        "title": report.title,
        "facility": {"id": report.facility_id, "name": report.facility_name, "code": report.facility_code},
        "period": {
            "label": report.period_label,
            "from": report.first_day.isoformat(),
            "to": report.last_day.isoformat(),
        },
        "made_by": report.made_by,
        "made_at": report.made_at.isoformat(timespec="seconds"),
        "figures": {key: value(cell, Kind.MONEY) for key, cell in report.figures.items()},
        "sections": [_section(section) for section in report.sections],
        "notes": list(report.notes),
    }
