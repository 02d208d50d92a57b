"""Each Qt model checked by Qt's own model tester, with real rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt

from db.session import Store
from desktop.ui.models import MatchesModel, SettlementsModel, VisitLinesModel
from desktop.ui.settlements import SettlementRow
from desktop.ui.visit import CatalogueEntry, Line, load_catalogue, search

ENTRY = CatalogueEntry("XA01", "阿莫西林胶囊", "amxljn", "drug", "A", "盒", Decimal("12.50"))


def test_matches_model(qtmodeltester: Any, store: Store) -> None:
    model = MatchesModel()
    model.set_entries(search(load_catalogue(store), "x"))
    assert model.rowCount() > 3
    qtmodeltester.check(model)


def test_visit_lines_model_refuses_a_bad_quantity(qtmodeltester: Any) -> None:
    model = VisitLinesModel()
    lines = [Line(ENTRY, Decimal(2), ENTRY.price)]
    model.set_lines(lines)
    edits: list[tuple[int, int, str]] = []
    model.on_edit(lambda row, column, text: edits.append((row, column, text)))
    qtmodeltester.check(model)
    assert model.index(0, VisitLinesModel.AMOUNT).data() == "25.00"
    assert not model.setData(model.index(0, VisitLinesModel.QUANTITY), "-1")
    assert model.last_error is not None
    assert model.last_error.field == "quantity"
    assert model.setData(model.index(0, VisitLinesModel.QUANTITY), "3")
    assert edits == [(0, VisitLinesModel.QUANTITY, "3")]
    assert not model.flags(model.index(0, VisitLinesModel.NAME)) & Qt.ItemFlag.ItemIsEditable


def test_settlements_model_marks_reversed_rows(qtmodeltester: Any) -> None:
    at = dt.datetime(2026, 11, 23, 2, 5, tzinfo=dt.UTC)
    rows = [
        SettlementRow(1, at, "田兰", "360121201205079462", Decimal("42.50"), Decimal("25.50"), Decimal(0),
                      Decimal("17.00"), "洪府厅发〔2019〕102号", False, ""),
        SettlementRow(2, at, "王伟", "360121196006150013", Decimal("10.00"), Decimal("6.00"), Decimal(0),
                      Decimal("4.00"), "洪府厅发〔2019〕102号", True, "wrong item"),
    ]  # fmt: skip
    model = SettlementsModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.index(0, SettlementsModel.TIME).data() == "10:05"
    assert model.index(0, SettlementsModel.ID_NUMBER).data() == "3601**********9462"
    assert model.index(1, SettlementsModel.STATE).data() == model.tr("Reversed")
    assert model.index(1, SettlementsModel.CASH).data(Qt.ItemDataRole.FontRole).strikeOut()
    assert "wrong item" in model.index(1, SettlementsModel.PATIENT).data(Qt.ItemDataRole.ToolTipRole)
