"""Reading a report's workbook back as its reader would: sections by title, rows, the totals line."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[Any]]
    totals: list[Any] | None

    def column(self, title: str) -> list[Any]:
        index = self.headers.index(title)
        return [row[index] for row in self.rows]

    def total(self, title: str) -> Any:
        assert self.totals is not None
        return self.totals[self.headers.index(title)]


def read_workbook(path: Path, titles: list[str]) -> tuple[dict[str, str], dict[str, Table]]:
    """The heading's labels and values, and each titled section's table."""
    book = load_workbook(path, read_only=True)
    try:
        sheet = book.active
        assert sheet is not None
        lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()  # read-only workbooks keep their file open until closed
    heading = {str(line[0]): str(line[1]) for line in lines[1:6]}
    tables: dict[str, Table] = {}
    for title in titles:
        start = next(n for n, line in enumerate(lines) if line[0] == title)
        headers = [str(v) for v in lines[start + 1] if v is not None]
        rows: list[list[Any]] = []
        totals = None
        for line in lines[start + 2 :]:
            if all(v is None for v in line):
                break
            cells = line[: len(headers)]
            if isinstance(cells[0], str) and cells[0].startswith("合计"):
                totals = cells
                break
            rows.append(cells)
        tables[title] = Table(headers, rows, totals)
    return heading, tables


def fen(value: Any) -> int:
    """A money cell read back (openpyxl gives a float or an int) as integer fen, exactly."""
    return int((Decimal(str(value)) * 100).to_integral_value())
