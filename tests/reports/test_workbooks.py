"""Every workbook made from a year of demo data reads back with openpyxl, and its totals equal
the settlements that make them, to the fen: the monthly report and the ledger of every month,
the fund position, the warnings, and a day close a month.

The year is the demo's, with what a year at the counter also brings: visits the agency
booked with its own split, records it set aside, and self-pay (自费) visits."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import String, func, text, update

from db.models import Settlement
from db.session import Store, open_store
from desktop.reports.cli import report_main
from desktop.settlement import DiagnosisLine, DraftItem
from desktop.settlement.self_pay import SelfPayDraft, settle_self_pay
from tests.reports.workbooks import Table, fen, read_workbook

MONTHS = range(1, 13)
# The official split (desktop.official), written out again: the agency's once it booked the visit.
OFFICIAL = "CASE WHEN s.agency_setl_id IS NOT NULL THEN coalesce(s.agency_{0}_fen, s.{0}_fen) ELSE s.{0}_fen END"
STANDING = (
    "NOT EXISTS (SELECT 1 FROM reversal r WHERE r.settlement_id = s.id)"
    " AND NOT (s.agency_setl_id IS NULL AND s.status = 'rejected')"  # what the agency set aside is counted apart
)
POOLED = "NOT s.self_pay"
IN_SCOPE = "v.facility_id IN ('T01', 'V01', 'V02', 'V03')"


@pytest.fixture(scope="module")
def year(demo_year: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's year with answers from the agency, records it set aside, and self-pay visits."""
    path = tmp_path_factory.mktemp("year") / "clinic.sqlite3"
    shutil.copy(demo_year, path)
    store = open_store(path)
    with store.writing() as session:
        session.execute(
            update(Settlement)
            .where(Settlement.id % 37 == 0, Settlement.fund_fen >= 100)
            .values(
                agency_setl_id="A" + func.cast(Settlement.id, String),
                agency_fund_fen=Settlement.fund_fen - 100,
                agency_account_fen=Settlement.account_fen,
                agency_cash_fen=Settlement.cash_fen + 100,
                status="differs",
            )
        )
        session.execute(update(Settlement).where(Settlement.id % 53 == 0).values(status="rejected"))
    for month in MONTHS:
        for facility, staff in (("T01", 2), ("V01", 3)):
            day = dt.date(2024, month, 15)
            items = (DraftItem("XA01", Decimal(1)), DraftItem("FA01"))
            draft = SelfPayDraft(
                facility, staff, day, items, (DiagnosisLine("J06.900", "急性上呼吸道感染"),), person_id=7
            )
            settle_self_pay(store, draft, dt.datetime.combine(day, dt.time(3), dt.UTC))
    store.dispose()
    return path


@pytest.fixture(scope="module")
def store(year: Path) -> Any:
    opened = open_store(year)
    yield opened
    opened.dispose()


def settled(store: Store, where: str, **params: Any) -> dict[str, int]:
    """The settlements' own sums, straight from the tables: what every report must add up to."""
    sql = (
        f"SELECT count(*), coalesce(sum(s.total_fen), 0), coalesce(sum({OFFICIAL.format('fund')}), 0), "
        f"coalesce(sum({OFFICIAL.format('account')}), 0), coalesce(sum({OFFICIAL.format('cash')}), 0) "
        f"FROM settlement s JOIN visit v ON v.id = s.visit_id WHERE {where}"
    )
    with store.reading() as session:
        row = session.execute(text(sql), params).one()
    return dict(zip(("count", "total", "fund", "account", "cash"), (int(x) for x in row), strict=True))


def month_where(month: int) -> tuple[str, dict[str, Any]]:
    first = dt.date(2024, month, 1)
    last = dt.date(2024 + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return f"{IN_SCOPE} AND v.visit_date BETWEEN :first AND :last", {"first": first, "last": last}


def make(kind: str, db: Path, period: str, out: Path, fmt: str = "xlsx", facility: str = "T01") -> Path:
    assert report_main(kind, str(db), facility, period, fmt, str(out), "admin") == 0
    return out


def column_sum(table: Table, title: str) -> int:
    return sum(fen(value) for value in table.column(title))


def test_the_monthly_workbooks_add_up_to_the_settlements(store: Store, year: Path, tmp_path: Path) -> None:
    titles = ["一、按险种", "二、按机构（含一体化村卫生室）", "三、按支付方"]
    for month in MONTHS:
        path = make("monthly", year, f"2024-{month:02d}", tmp_path / f"monthly-{month}.xlsx")
        heading, tables = read_workbook(path, titles)
        assert heading["医保机构编码"] == "H36012100101"
        assert heading["期间"] == f"2024年{month}月"
        assert heading["制表人"] == "赵建国"
        where, params = month_where(month)
        truth = settled(store, f"{where} AND {STANDING} AND {POOLED}", **params)
        for title in titles[:2]:
            table = tables[title]
            assert sum(table.column("人次")) == table.total("人次") == truth["count"]
            for column, key in (("医疗总费用", "total"), ("统筹基金支付", "fund"), ("个人账户支付", "account"),
                                ("个人现金支付", "cash")):  # fmt: skip
                assert column_sum(table, column) == fen(table.total(column)) == truth[key], (month, title, column)
        payers = tables["三、按支付方"]
        assert [fen(v) for v in payers.column("金额")] == [truth["fund"], truth["account"], truth["cash"]]
        assert fen(payers.total("金额")) == truth["total"]


def test_the_ledger_workbooks_add_up_to_the_settlements(store: Store, year: Path, tmp_path: Path) -> None:
    for month in MONTHS:
        path = make("ledger", year, f"2024-{month:02d}", tmp_path / f"ledger-{month}.xlsx")
        _heading, tables = read_workbook(path, ["门诊台账"])
        table = tables["门诊台账"]
        where, params = month_where(month)
        everything = settled(store, where, **params)
        standing = settled(store, f"{where} AND {STANDING}", **params)
        assert len(table.rows) == everything["count"]  # reversed visits stay in the register
        assert fen(table.total("门诊医药总费用")) == standing["total"]
        assert fen(table.total("门诊统筹应支付")) == standing["fund"]
        assert fen(table.total("患者应自付")) == standing["account"] + standing["cash"]


def test_the_fund_workbook_adds_up_to_the_residents_fund_shares(store: Store, year: Path, tmp_path: Path) -> None:
    path = make("fund", year, "2024-12", tmp_path / "fund.xlsx")
    _heading, tables = read_workbook(path, ["二、逐月额度与发生"])
    months = tables["二、逐月额度与发生"]
    assert len(months.rows) == 12
    resident = f"{IN_SCOPE} AND s.policy = 'nanchang-resident' AND {STANDING} AND {POOLED}"
    for month, spent in zip(MONTHS, months.column("实际发生"), strict=True):
        where, params = month_where(month)
        assert fen(spent) == settled(store, f"{where} AND {resident}", **params)["fund"], month
    assert fen(months.total("实际发生")) == settled(store, f"v.visit_date >= '2024-01-01' AND {resident}")["fund"]
    assert column_sum(months, "应拨付") == fen(months.total("应拨付"))
    assert all(fen(paid) <= fen(limit) for paid, limit in zip(months.column("应拨付"), months.column("月预结算额度"),
                                                                strict=True))  # fmt: skip


def test_the_day_close_workbooks_add_up_to_the_days_settlements(store: Store, year: Path, tmp_path: Path) -> None:
    for month in MONTHS:
        day = dt.date(2024, month, 15)
        path = make("day-close", year, day.isoformat(), tmp_path / f"close-{month}.xlsx")
        _heading, tables = read_workbook(path, ["一、按险种（官方结算数）", "二、按支付方", "三、钱箱"])
        start = dt.datetime.combine(day, dt.time(0), dt.timezone(dt.timedelta(hours=8)))
        window = {
            "start": start.astimezone(dt.UTC).replace(tzinfo=None),
            "end": (start + dt.timedelta(days=1)).astimezone(dt.UTC).replace(tzinfo=None),
        }
        of_the_day = "v.facility_id = 'T01' AND s.settled_at >= :start AND s.settled_at < :end"
        truth = settled(store, f"{of_the_day} AND NOT (s.agency_setl_id IS NULL AND s.status = 'rejected')", **window)
        schemes = tables["一、按险种（官方结算数）"]
        assert schemes.total("结算笔数") == truth["count"] == sum(schemes.column("结算笔数"))
        payers = tables["二、按支付方"]
        assert fen(payers.total("结算")) == truth["total"]
        assert [fen(v) for v in payers.column("结算")] == [truth["fund"], truth["account"], truth["cash"]]
        # The drawer holds the cash the counter took, set-aside records' too (no reversal or settle-up here).
        with store.reading() as session:
            taken = session.execute(
                text(
                    f"SELECT coalesce(sum(s.cash_fen), 0) FROM settlement s JOIN visit v ON v.id = s.visit_id"
                    f" WHERE {of_the_day}"
                ),
                window,
            ).scalar_one()
        assert fen(tables["三、钱箱"].total("金额")) == taken


def test_the_warnings_workbook_lists_what_the_json_says(year: Path, tmp_path: Path) -> None:
    path = make("warnings", year, "2024-12", tmp_path / "warnings.xlsx")
    _heading, tables = read_workbook(path, ["一、预警", "二、本月指标"])
    as_json = make("warnings", year, "2024-12", tmp_path / "warnings.json", fmt="json")
    found = json.loads(as_json.read_text(encoding="utf-8"))
    listed = found["sections"][0]["rows"]
    assert [row[0] for row in tables["一、预警"].rows] == [row["scope"] for row in listed]
    # The village doctor who gave 头孢克肟 at every visit since mid-November is flagged (WHO: at most 30%).
    assert any("刘德明" in row["unit"] and row["indicator"] == "抗菌药物使用率" for row in listed)
    assert found["figures"]["warnings"] == len(listed)
