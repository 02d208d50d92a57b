"""``month_total`` is kept by the database: every settlement, reversal and agency split moves it,
so it always equals the sum worked out again from the settlements that stand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select, update

from db import month_totals, signings_changed
from db.models import MonthTotal, Settlement
from db.session import Store
from desktop.settlement import DraftItem, VisitDraft, reverse, settle
from desktop.settlement.self_pay import SelfPayDraft, settle_self_pay
from tests.factories import COLD, add_person, make_store

Rows = list[tuple[str, dt.date, str, int, int, int, int, int]]


def rows(store: Store) -> Rows:
    with store.reading() as session:
        found = session.execute(select(MonthTotal).order_by(MonthTotal.facility_id, MonthTotal.month)).scalars()
        return [
            (r.facility_id, r.month, r.policy, r.visits, r.total_fen, r.fund_fen, r.account_fen, r.cash_fen)
            for r in found
        ]


def worked_out_again(store: Store) -> Rows:
    with store.writing() as session:
        month_totals.rebuild(session.connection())
    return rows(store)


def exercise(store: Store) -> None:
    """Settlements in two months and two clinics, a reversal before and after the agency's answer."""
    add_person(store, person_id=1)
    add_person(store, person_id=2, policy="nanchang-employee", balance_fen=5000)

    def at(day: dt.date, person: int = 1, facility: str = "T01") -> int:
        draft = VisitDraft(facility, person, 1 if facility == "T01" else 2, day, (DraftItem("E01", Decimal(1)),), COLD)
        return settle(store, draft, dt.datetime.combine(day, dt.time(2), dt.UTC)).settlement_id

    first = at(dt.date(2024, 4, 30))
    at(dt.date(2024, 4, 30), facility="V01")
    at(dt.date(2024, 5, 1), person=2)
    answered_then_reversed = at(dt.date(2024, 5, 2))
    reversed_then_answered = at(dt.date(2024, 5, 3))
    refused_then_booked = at(dt.date(2024, 6, 3))
    refused = at(dt.date(2024, 6, 4))
    draft = SelfPayDraft("T01", 1, dt.date(2024, 6, 5), (DraftItem("E01", Decimal(1)),), COLD, person_id=1)
    settle_self_pay(store, draft, dt.datetime(2024, 6, 5, 2, tzinfo=dt.UTC))  # 自费: never in the fund's months
    later = dt.datetime(2024, 5, 6, 2, tzinfo=dt.UTC)

    def answer(settlement: int, fund: int, cash: int) -> None:
        """The agency's 2207 answer as sync stores it: booked, with its own split."""
        with store.writing() as session:
            session.execute(
                update(Settlement)
                .where(Settlement.id == settlement)
                .values(
                    agency_setl_id=f"A{settlement}", agency_fund_fen=fund, agency_account_fen=0, agency_cash_fen=cash
                )
            )

    def status(settlement: int, value: str) -> None:
        with store.writing() as session:
            session.execute(update(Settlement).where(Settlement.id == settlement).values(status=value))

    answer(first, 1000, 1000)
    answer(answered_then_reversed, 1000, 1000)
    reverse(store, answered_then_reversed, "录入错误", 1, later)
    reverse(store, reversed_then_answered, "录入错误", 1, later)
    answer(reversed_then_answered, 0, 2000)
    for settlement in (refused_then_booked, refused):
        status(settlement, "rejected")  # set aside by the agency: out of the month
    status(refused_then_booked, "pending")  # sent again once corrected
    answer(refused_then_booked, 1200, 800)


def check_month_totals(store: Store) -> None:
    exercise(store)
    kept = rows(store)
    # A month whose settlements were all reversed keeps a row of zeros; worked out again it has none.
    assert [row for row in kept if any(row[3:])] == worked_out_again(store)
    april = [row for row in kept if row[1] == dt.date(2024, 4, 1)]
    # 20.00 each; the centre's was answered with the agency's split (10.00 from the fund).
    assert [(r[0], r[3], r[5]) for r in april] == [("T01", 1, 1000), ("V01", 1, 1200)]
    may = {row[2]: row for row in kept if row[1] == dt.date(2024, 5, 1)}
    assert may["nanchang-resident"][3] == 0  # both reversed: nothing stands
    assert may["nanchang-resident"][4:] == (0, 0, 0, 0)
    assert may["nanchang-employee"][3] == 1
    june = [row for row in kept if row[1] == dt.date(2024, 6, 1)]
    assert [(r[2], r[3], r[5]) for r in june] == [("nanchang-resident", 1, 1200)]  # the one set aside is out


def test_the_triggers_keep_month_total(tmp_path: Path) -> None:
    check_month_totals(make_store(tmp_path))


def test_the_triggers_are_there_at_head(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    with store.reading() as session:
        names = set(
            session.connection().exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars()
        )
    assert set(month_totals.TRIGGERS) <= names
    assert set(signings_changed.TRIGGERS) <= names  # the fund page's signings counter (db/signings_changed.py)
