"""The fund's input from the store: the centre's and its villages' signings as recorded, and the
months' fund shares net of reversals, with the agency's split where it answered one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import update

from db.models import Facility, Settlement, Signing
from db.session import Store
from desktop.enrolment import change_signing
from desktop.fund.from_store import NoFundError, NotRememberedError, fund_position, fund_request, scope_of
from desktop.fund.types import EndKind, StartKind
from desktop.policy.types import FacilityKind
from desktop.settlement import DraftItem, VisitDraft, reverse, settle
from desktop.settlement.self_pay import SelfPayDraft, settle_self_pay
from desktop.signing import ChangeRequest, Grounds
from tests.factories import COLD, add_person, make_store

YEAR = 2024


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return make_store(tmp_path)


def sign(store: Store, person: int, facility: str, since: dt.date, until: dt.date | None = None, **kinds: str) -> None:
    with store.writing() as session:
        session.add(
            Signing(person_id=person, facility_id=facility, effective_from=since, effective_until=until, **kinds)
        )


def visit(store: Store, person: int, day: dt.date, facility: str = "T01") -> int:
    draft = VisitDraft(facility, person, 1 if facility == "T01" else 2, day, (DraftItem("X01", Decimal(2)),), COLD)
    return settle(store, draft, dt.datetime.combine(day, dt.time(2), dt.UTC)).settlement_id


def request(store: Store) -> tuple[str, dict[str, tuple[str, str | None, str, str | None]]]:
    with store.reading() as session:
        connection = session.connection()
        scope = scope_of(connection, "T01", YEAR)
        built = fund_request(connection, scope, YEAR)
    spans = {
        s.person: (
            s.first.isoformat(),
            None if s.last is None else s.last.isoformat(),
            s.start.value,
            None if s.end is None else s.end.value,
        )
        for s in built.signings
    }
    return scope.policy, spans


def test_the_centres_and_its_villages_signings_as_recorded(store: Store) -> None:
    add_person(store, person_id=1)  # signed with T01 from 1 January (the factory)
    add_person(store, person_id=2, signed_at=None)
    sign(store, 2, "V01", dt.date(2023, 3, 1), dt.date(2024, 5, 17), end_kind="reassigned")
    add_person(store, person_id=3, signed_at=None)
    sign(store, 3, "T01", dt.date(2024, 6, 1), start_kind="moved")
    add_person(store, person_id=4, signed_at=None)
    sign(store, 4, "V01", dt.date(2023, 1, 1), dt.date(2024, 3, 31))
    sign(store, 4, "T01", dt.date(2024, 4, 1))  # from the village to the centre: one person all year
    add_person(store, person_id=5, signed_at="T10")  # another centre's
    add_person(store, person_id=6, policy="shaoguan-resident")  # another scheme's
    add_person(store, person_id=7, signed_at=None)
    sign(store, 7, "T01", dt.date(2024, 8, 1), dt.date(2024, 7, 31))  # withdrawn before it began
    policy, spans = request(store)
    assert policy == "nanchang-resident"
    assert spans == {
        "1": ("2024-01-01", None, "continuing", None),
        # Reassigned on 18 May: the contract's "to" is the day of the change (第二十八条第三款).
        "2": ("2023-03-01", "2024-05-18", "continuing", EndKind.REASSIGNED),
        # In force from 1 June after a move confirmed in May: the change was in May (第八条（一）).
        "3": ("2024-05-31", None, "moved", None),
        "4": ("2023-01-01", None, "continuing", None),
    }


def test_a_signing_that_ended_with_the_year_runs_on_unless_the_person_signed_elsewhere(store: Store) -> None:
    add_person(store, person_id=1, signed_at=None)
    sign(store, 1, "T01", dt.date(2022, 1, 1), dt.date(2023, 12, 31))  # 南昌 第九条: 视为继续选定
    add_person(store, person_id=2, signed_at=None)
    sign(store, 2, "T01", dt.date(2022, 1, 1), dt.date(2023, 12, 31))
    sign(store, 2, "T10", dt.date(2024, 1, 1))
    _, spans = request(store)
    assert spans["1"] == ("2022-01-01", None, "continuing", None)
    assert spans["2"] == ("2022-01-01", "2023-12-31", "continuing", None)


def test_recorded_changes_carry_their_kinds(store: Store) -> None:
    add_person(store, person_id=1, signed_at=None)
    first = ChangeRequest("T01", FacilityKind.TOWNSHIP_HEALTH_CENTER, dt.date(2024, 3, 5), Grounds.FIRST_SIGNING,
                          contributions_paid_on=dt.date(2024, 1, 2))  # fmt: skip
    assert change_signing(store, 1, first, 1, dt.datetime(2024, 3, 5, 2, tzinfo=dt.UTC)).accepted
    add_person(store, person_id=2)
    moved = ChangeRequest(
        "T10",
        FacilityKind.TOWNSHIP_HEALTH_CENTER,
        dt.date(2024, 5, 20),
        Grounds.ADDRESS_CHANGE,
        confirmed_on=dt.date(2024, 5, 20),
        address_proof=True,
    )
    decision = change_signing(store, 2, moved, 1, dt.datetime(2024, 5, 20, 2, tzinfo=dt.UTC))
    assert decision.accepted, decision.reason
    _, spans = request(store)
    assert spans["1"] == ("2024-03-05", None, StartKind.FIRST.value, None)
    assert spans["2"] == ("2024-01-01", "2024-05-31", "continuing", EndKind.MOVED)
    with store.reading() as session:
        row = session.query(Signing).filter_by(person_id=2, facility_id="T10").one()
        assert (row.start_kind, row.effective_from) == ("moved", dt.date(2024, 6, 1))


def test_the_months_spending_is_net_of_reversals_with_the_agencys_split(store: Store) -> None:
    add_person(store, person_id=1)
    add_person(store, person_id=2, policy="shaoguan-resident")  # another scheme's fund
    kept = visit(store, 1, dt.date(2024, 1, 10))  # 25.00, 60% from the fund: 15.00
    visit(store, 1, dt.date(2024, 1, 11), facility="V01")  # the village clinic's: 15.00
    gone = visit(store, 1, dt.date(2024, 2, 3))
    visit(store, 2, dt.date(2024, 2, 4))
    reverse(store, gone, "录入错误", 1, dt.datetime(2024, 2, 5, 2, tzinfo=dt.UTC))
    with store.writing() as session:  # the agency booked the first one otherwise (sync's 2207 answer)
        session.execute(
            update(Settlement)
            .where(Settlement.id == kept)
            .values(agency_setl_id="S1", agency_fund_fen=1200, agency_account_fen=0, agency_cash_fen=1300)
        )
    self_pay = SelfPayDraft("T01", 1, dt.date(2024, 3, 2), (DraftItem("X01", Decimal(2)),), COLD, person_id=1)
    settle_self_pay(store, self_pay, dt.datetime(2024, 3, 2, 2, tzinfo=dt.UTC))  # 自费: the fund paid nothing
    _, position = fund_position(store, "T01", YEAR)
    assert [m.fund_paid for m in position.months[:3]] == [Decimal("27.00"), Decimal("0.00"), Decimal("0.00")]


def test_the_quick_read_remembers_only_the_signings(store: Store) -> None:
    """The fund page's read on the GUI thread: the signings as last read while they have not
    changed; the facilities and the months' spending as they are now."""
    add_person(store, person_id=1)
    with pytest.raises(NotRememberedError):
        fund_position(store, "T01", YEAR, quick=True)
    _, first = fund_position(store, "T01", YEAR)
    assert fund_position(store, "T01", YEAR, quick=True)[1] == first
    visit(store, 1, dt.date(2024, 1, 10))  # settled just before the page opens: shown
    _, paid = fund_position(store, "T01", YEAR, quick=True)
    assert paid.months[0].fund_paid == Decimal("15.00") != first.months[0].fund_paid
    with store.writing() as session:
        session.execute(update(Facility).where(Facility.id == "T01").values(name="青山中心卫生院"))
    assert fund_position(store, "T01", YEAR, quick=True)[0].facility_name == "青山中心卫生院"
    add_person(store, person_id=2)  # a new signing: read again (on a worker)
    with pytest.raises(NotRememberedError):
        fund_position(store, "T01", YEAR, quick=True)
    assert fund_position(store, "T01", YEAR)[1].signed == first.signed + 1
    fund_position(store, "T01", YEAR, quick=True)
    with store.writing() as session:  # a village clinic the centre now runs: its signings count
        session.add(
            Facility(
                id="V02", code="H36010100003", name="青山镇西村卫生室", kind="village_clinic", parent_id="T01",
                admdvs="360101",
            )
        )  # fmt: skip
    with pytest.raises(NotRememberedError):
        fund_position(store, "T01", YEAR, quick=True)
    assert fund_position(store, "T01", YEAR)[0].clinics == ("T01", "V01", "V02")


def test_a_facility_with_no_resident_signed(store: Store) -> None:
    with pytest.raises(NoFundError):
        fund_position(store, "T01", YEAR)
    with pytest.raises(NoFundError):
        fund_position(store, "X99", YEAR)
