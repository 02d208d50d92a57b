"""The day close (日结): by scheme and by payer, reversals on the day they were made."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import Settlement
from db.session import Store
from desktop.day_close import Split, day_bounds, day_close
from desktop.ledger import LedgerError
from desktop.settlement import DiagnosisLine, DraftItem, VisitDraft, reverse, settle
from tests.factories import add_person, make_store

CST = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.date(2024, 5, 6)
TUESDAY = dt.date(2024, 5, 7)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), CST)


def settle_at(store: Store, person_id: int, when: dt.datetime, *, facility: str = "T01") -> int:
    draft = VisitDraft(
        facility,
        person_id,
        2 if facility == "V01" else 1,
        when.date(),
        (DraftItem("F01"), DraftItem("X01", Decimal(2)), DraftItem("X03")),
        (DiagnosisLine("J06.900", "急性上呼吸道感染"),),
    )
    return settle(store, draft, when).settlement_id


def split_of(store: Store, settlement_id: int) -> Split:
    with store.reading() as session:
        row = session.get(Settlement, settlement_id)
        assert row is not None
        return Split.of_fen(row.fund_fen, row.account_fen, row.cash_fen)


@pytest.fixture
def week(tmp_path: Path) -> tuple[Store, dict[str, int]]:
    """Monday: three settlements (one late at night). Tuesday: two more; one of Monday's and one
    of Tuesday's reversed on Tuesday; a village clinic's settlement that the centre's close leaves out."""
    store = make_store(tmp_path)
    add_person(store, person_id=1)
    add_person(store, person_id=2, policy="nanchang-employee", balance_fen=50_000)
    add_person(store, person_id=3)
    ids = {
        "mon_resident": settle_at(store, 1, at(MONDAY, 9)),
        "mon_employee": settle_at(store, 2, at(MONDAY, 10)),
        "mon_late": settle_at(store, 3, at(MONDAY, 23, 50)),  # 15:50 UTC: still Monday in Beijing
        "tue_resident": settle_at(store, 3, at(TUESDAY, 0, 10)),  # Monday 16:10 UTC: Tuesday in Beijing
        "tue_employee": settle_at(store, 2, at(TUESDAY, 11)),
        "tue_village": settle_at(store, 1, at(TUESDAY, 12), facility="V01"),
    }
    reverse(store, ids["mon_employee"], "收费项目录错", 3, at(TUESDAY, 9))
    reverse(store, ids["tue_resident"], "患者放弃", 1, at(TUESDAY, 14))
    return store, ids


def test_monday_counts_its_own_settlements_in_beijing_time(week: tuple[Store, dict[str, int]]) -> None:
    store, ids = week
    close = day_close(store, "T01", MONDAY)
    assert close.settled_count == 3
    assert close.reversals == ()
    expected = split_of(store, ids["mon_resident"]) + split_of(store, ids["mon_employee"])
    expected += split_of(store, ids["mon_late"])
    assert close.settled == expected == close.net
    assert close.facility_name == "青山镇卫生院"


def test_tuesday_lists_its_reversals_including_mondays_settlement(week: tuple[Store, dict[str, int]]) -> None:
    store, ids = week
    close = day_close(store, "T01", TUESDAY)
    assert close.settled_count == 2  # the village clinic's settlement is the clinic's own close
    first, second = close.reversals
    assert (first.settlement_id, first.reason, first.staff) == (ids["mon_employee"], "收费项目录错", "赵院长")
    assert first.settled_on == MONDAY
    assert first.earlier_day
    assert first.reversed_at == at(TUESDAY, 9)
    assert (second.settlement_id, second.reason, second.staff) == (ids["tue_resident"], "患者放弃", "王会计")
    assert not second.earlier_day
    assert first.patient == "测**"  # the close is a money report: names masked
    assert close.reversed_count == 2


def test_tuesday_net_figures_by_payer_to_the_fen(week: tuple[Store, dict[str, int]]) -> None:
    store, ids = week
    close = day_close(store, "T01", TUESDAY)
    settled = split_of(store, ids["tue_resident"]) + split_of(store, ids["tue_employee"])
    reversed_ = split_of(store, ids["mon_employee"]) + split_of(store, ids["tue_resident"])
    assert close.settled == settled
    assert close.reversed == reversed_
    assert (
        close.net == settled - reversed_ == split_of(store, ids["tue_employee"]) - split_of(store, ids["mon_employee"])
    )
    assert close.net.total == close.net.fund + close.net.account + close.net.cash
    for value in (close.net.fund, close.net.account, close.net.cash):
        assert isinstance(value, Decimal)
        assert value.as_tuple().exponent == -2
    assert split_of(store, ids["tue_employee"]).account > 0  # the employee paid from the account


def test_tuesday_by_scheme(week: tuple[Store, dict[str, int]]) -> None:
    store, ids = week
    close = day_close(store, "T01", TUESDAY)
    by_policy = {line.policy: line for line in close.schemes}
    assert set(by_policy) == {"nanchang-employee", "nanchang-resident"}
    employee = by_policy["nanchang-employee"]
    assert (employee.settled_count, employee.reversed_count) == (1, 1)
    assert employee.net == split_of(store, ids["tue_employee"]) - split_of(store, ids["mon_employee"])
    resident = by_policy["nanchang-resident"]
    assert (resident.settled_count, resident.reversed_count) == (1, 1)
    assert resident.net == Split()
    assert employee.policy_version == "洪府办发〔2022〕93号"
    assert "南昌" in employee.title
    assert sum((line.net for line in close.schemes), Split()) == close.net


def test_a_village_clinic_closes_its_own_day(week: tuple[Store, dict[str, int]]) -> None:
    store, ids = week
    close = day_close(store, "V01", TUESDAY)
    assert close.settled_count == 1
    assert close.settled == split_of(store, ids["tue_village"])


def test_a_quiet_day_is_all_zero(week: tuple[Store, dict[str, int]]) -> None:
    store, _ids = week
    close = day_close(store, "T01", dt.date(2024, 5, 1))
    assert (close.schemes, close.reversals, close.net) == ((), (), Split())
    assert close.net.total == Decimal("0.00")


def test_the_day_is_midnight_to_midnight_in_beijing() -> None:
    start, end = day_bounds(MONDAY)
    assert start.astimezone(dt.UTC) == dt.datetime(2024, 5, 5, 16, tzinfo=dt.UTC)
    assert end - start == dt.timedelta(days=1)


def test_settled_at_is_what_counts_not_the_visit_date(week: tuple[Store, dict[str, int]]) -> None:
    store, ids = week
    with store.reading() as session:
        settled_at = session.scalar(select(Settlement.settled_at).where(Settlement.id == ids["tue_resident"]))
    assert settled_at is not None
    assert settled_at.date() == MONDAY  # UTC
    assert ids["tue_resident"] in {line.settlement_id for line in day_close(store, "T01", TUESDAY).reversals}


def test_an_unknown_facility_is_named(week: tuple[Store, dict[str, int]]) -> None:
    store, _ids = week
    with pytest.raises(LedgerError, match="no facility 'X99'"):
        day_close(store, "X99", MONDAY)
