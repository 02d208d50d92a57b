"""Each Qt model checked by Qt's own model tester, with real rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt

from db.session import Store
from desktop.official import Figures, Split, Standing
from desktop.sync.outbox import Difference, SetAsideRecord
from desktop.ui.models import MatchesModel, SettlementsModel, VisitLinesModel
from desktop.ui.settlements import SettlementRow
from desktop.ui.sync_models import DifferencesModel, SetAsideModel
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
    model.set_line(0, Line(ENTRY, Decimal(3), ENTRY.price))  # as the entry hands the edited line back
    assert model.index(0, VisitLinesModel.AMOUNT).data() == "37.50"
    qtmodeltester.check(model)
    assert not model.flags(model.index(0, VisitLinesModel.NAME)) & Qt.ItemFlag.ItemIsEditable


def figures_of(fund: str, account: str, cash: str, standing: Standing = Standing.WAITING, **kwargs: Any) -> Figures:
    return Figures(Split(Decimal(fund), Decimal(account), Decimal(cash)), None, standing, **kwargs)


def test_settlements_model_marks_reversed_rows(qtmodeltester: Any) -> None:
    at = dt.datetime(2026, 11, 23, 2, 5, tzinfo=dt.UTC)
    version = "洪府厅发〔2019〕102号"
    rows = [
        SettlementRow(1, at, "田兰", "360121201205079462", Decimal("42.50"),
                      figures_of("25.50", "0", "17.00"), version),
        SettlementRow(2, at, "王伟", "360121196006150013", Decimal("10.00"),
                      figures_of("6.00", "0", "4.00", reversed=True), version, "wrong item"),
    ]  # fmt: skip
    model = SettlementsModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.index(0, SettlementsModel.TIME).data() == "10:05"
    assert model.index(0, SettlementsModel.ID_NUMBER).data() == "3601**********9462"
    assert model.index(1, SettlementsModel.NUMBER).data() == "2"
    assert model.index(1, SettlementsModel.STATE).data() == "Reversed: wrong item"  # the reason, not only a tooltip
    assert model.index(1, SettlementsModel.CASH).data(Qt.ItemDataRole.FontRole).strikeOut()
    assert "wrong item" in model.index(1, SettlementsModel.PATIENT).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, SettlementsModel.STATE).data() == "Waiting for the agency"  # never "settled" before it is


def test_settlements_model_shows_the_agencys_split_and_marks_the_difference(qtmodeltester: Any) -> None:
    at = dt.datetime(2026, 11, 23, 2, 5, tzinfo=dt.UTC)
    counter = Split(Decimal("20.00"), Decimal("5.00"), Decimal("5.00"))
    agency = Split(Decimal("20.00"), Decimal("0.00"), Decimal("10.00"))
    rows = [
        SettlementRow(3, at, "李春生", "360121196006150013", Decimal("30.00"),
                      Figures(counter, agency, Standing.DIFFERS), "洪府办发〔2022〕93号", agency_setl_id="S1"),
        SettlementRow(4, at, "李春生", "360121196006150013", Decimal("30.00"),
                      Figures(counter, agency, Standing.DIFFERS, settled_up=Decimal("5.00")), "洪府办发〔2022〕93号"),
        SettlementRow(5, at, "王伟", "", Decimal("8.00"), figures_of("0", "0", "8.00", Standing.SELF_PAY), "",
                      walk_in=True),
        SettlementRow(6, at, "王伟", "", Decimal("8.00"), figures_of("2", "0", "6.00", Standing.SET_ASIDE), ""),
    ]  # fmt: skip
    model = SettlementsModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.index(0, SettlementsModel.CASH).data() == "10.00"  # the agency's figure is the official one
    assert model.index(0, SettlementsModel.ACCOUNT).data() == "0.00"
    assert "5.00" in model.index(0, SettlementsModel.CASH).data(Qt.ItemDataRole.ToolTipRole)  # the counter's beside
    assert model.index(0, SettlementsModel.CASH).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(0, SettlementsModel.FUND).data(Qt.ItemDataRole.FontRole) is None  # the same on both
    assert model.index(0, SettlementsModel.SETTLE_UP).data() == "To collect 5.00"
    assert model.index(0, SettlementsModel.STATE).data() == "Settled by the agency at its own split"
    assert model.index(1, SettlementsModel.SETTLE_UP).data() == "Collected 5.00"
    assert model.index(2, SettlementsModel.STATE).data() == "Self-pay"
    assert model.index(2, SettlementsModel.ID_NUMBER).data() == ""
    assert model.index(3, SettlementsModel.STATE).data() == "Set aside by the agency: waiting"


def test_set_aside_model_masks_the_name_and_shows_the_agency_reason(qtmodeltester: Any) -> None:
    rows = [
        SetAsideRecord(7, "2201", "H360121001012026112310050001", 3, dt.date(2026, 11, 23), "欧阳娜娜",
                       "the person in this record is rejected by the agency (sandbox reject list)", 1),
        SetAsideRecord(12, "2203", "H360121001012026112310200001", 4, dt.date(2026, 11, 23), "王伟",
                       "cannot build 2203: input.diseinfo: is required by 2203 but empty", 2),
    ]  # fmt: skip
    model = SetAsideModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.index(0, SetAsideModel.PATIENT).data() == "欧***"
    assert model.index(0, SetAsideModel.MESSAGE).data() == "2201 Registration"
    assert model.index(1, SetAsideModel.MESSAGE).data() == "2203 Visit details"
    assert "diseinfo" in model.index(1, SetAsideModel.ERROR).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, SetAsideModel.ATTEMPTS).data() == "2"
    model.set_rows([])
    qtmodeltester.check(model)


def test_differences_model_puts_the_counters_split_beside_the_agencys(qtmodeltester: Any) -> None:
    rows = [Difference(9, dt.date(2026, 11, 20), "李春生", (0, 36300, 0), (17020, 19280, 0))]
    model = DifferencesModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    texts = [model.index(0, column).data() for column in range(model.columnCount())]
    assert texts == ["9", "2026-11-20", "李**", "0.00", "170.20", "363.00", "192.80", "0.00", "0.00", "0.00", ""]
    assert model.index(0, DifferencesModel.FUND_AGENCY).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(0, DifferencesModel.CASH_AGENCY).data(Qt.ItemDataRole.FontRole) is None  # the same on both
    assert model.headerData(DifferencesModel.FUND_AGENCY, Qt.Orientation.Horizontal) == "Fund (agency)"
    model.set_rows([Difference(10, dt.date(2026, 11, 21), "王伟", (1000, 500, 200), (1000, 0, 700))])
    assert model.index(0, DifferencesModel.OWED).data() == "+5.00"  # the account paid nothing: cash 5 more
    assert model.index(0, DifferencesModel.SETTLED_UP).data() == "Not yet"
    model.set_settled_up({10: 500})
    model.set_rows([Difference(10, dt.date(2026, 11, 21), "王伟", (1000, 500, 200), (1000, 0, 700))])
    assert model.index(0, DifferencesModel.SETTLED_UP).data() == "Collected 5.00"
    assert model.index(0, DifferencesModel.OWED).data(Qt.ItemDataRole.FontRole) is None  # settled: no longer bold
    model.set_rows([Difference(11, dt.date(2026, 11, 21), "王伟", (0, 0, 3630), (1702, 0, 1928))])
    assert model.index(0, DifferencesModel.OWED).data() == "-17.02"  # the fund paid after all: give it back
    qtmodeltester.check(model)
