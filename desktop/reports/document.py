"""A report as plain data: built once, then drawn as JSON, an Excel workbook, PDF or on screen.

Every report is headed with the facility, its agency code, the period and who made it
when; its sections are tables of typed cells (money as ``Decimal``, counts as ``int``,
shares as ``Decimal`` ratios) with their totals, worked out once by the builder. The
renderers only format: none of them adds anything up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from desktop.money import format_amount

Cell = str | int | Decimal | None
RATIO_PLACES = Decimal("0.0001")


class Kind(StrEnum):
    """What a column holds: decides its JSON text, its Excel number format and its alignment."""

    TEXT = "text"
    MONEY = "money"  # yuan, two decimals
    COUNT = "count"
    RATIO = "ratio"  # a share, 0.3000 for 30%

    @property
    def numeric(self) -> bool:
        return self is not Kind.TEXT


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the JSON name
    title: str  # the printed heading, in the agency's language
    kind: Kind = Kind.TEXT


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    totals: tuple[Cell, ...] | None = None  # a closing line; None where a sum means nothing
    struck: frozenset[int] = frozenset()  # rows that stand reversed (冲正): shown, not counted
    note: str = ""

    def __post_init__(self) -> None:
        width = len(self.columns)
        for number, row in enumerate((*self.rows, *([self.totals] if self.totals is not None else []))):
            if len(row) != width:
                raise ValueError(f"{self.key}: row {number} has {len(row)} cells for {width} columns")


@dataclass(frozen=True, slots=True)
class Report:
    kind: str  # monthly, ledger, day-close, fund, warnings
    title: str
    facility_id: str
    facility_name: str
    facility_code: str
    period_label: str
    first_day: dt.date
    last_day: dt.date
    made_by: str
    made_at: dt.datetime
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = ()
    figures: dict[str, Cell] = field(default_factory=dict)  # the report's headline figures, for JSON and screen
    landscape: bool = True

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    @property
    def heading_line(self) -> str:
        """The line under the title: which facility, which period, who made it when."""
        return (
            f"机构编号 {self.facility_id}　医保机构编码 {self.facility_code}　期间 {self.period_label}　"
            f"制表 {self.made_by} {self.made_at:%Y-%m-%d %H:%M}"
        )


def ratio(part: Decimal | int, whole: Decimal | int) -> Decimal:
    """``part ÷ whole`` to four places, half up; 0 when there is no whole."""
    if not whole:
        return Decimal("0.0000")
    return (Decimal(part) / Decimal(whole)).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def cell_text(value: Cell, kind: Kind) -> str:
    """How a cell reads in print and on screen (the workbook keeps numbers as numbers)."""
    if value is None:
        return ""
    if kind is Kind.MONEY and isinstance(value, Decimal):
        return format_amount(value)
    if kind is Kind.RATIO and isinstance(value, Decimal):
        return f"{value * 100:.2f}%"
    return str(value)
