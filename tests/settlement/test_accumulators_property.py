"""Any sequence of settlements and reversals leaves the year-to-date figures equal to those
recomputed from the visits, and equal to the sum of what the standing (unreversed)
settlements moved; the account balance likewise."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Accumulator, AuditEntry, Facility, Person, Reversal, Settlement
from db.session import Store, open_store
from desktop.money import from_fen, to_fen
from desktop.policy import default_book, quote
from desktop.policy.parameters import Scheme
from desktop.policy.types import Item, ItemClass, ItemKind, Liability, QuoteRequest, YearToDate
from desktop.policy.types import Visit as QuoteVisit
from desktop.roster import facility_for_quote, patient_on
from desktop.settlement import DraftItem, VisitDraft, reverse, settle
from tests.factories import COLD, NOW, STAFF_AT, TODAY, add_person, make_store

# Migrating a fresh file per example would dominate the run: examples copy one template.
_TEMPLATE = Path(tempfile.mkdtemp(prefix="clinic-template-"))
atexit.register(shutil.rmtree, _TEMPLATE, ignore_errors=True)
_store = make_store(_TEMPLATE)
add_person(_store, person_id=1, policy="nanchang-employee", balance_fen=30000)
add_person(_store, person_id=2, policy="shaoguan-resident", signed_at="T10")
_store.dispose()
OPENING_BALANCES = {1: Decimal("300.00"), 2: Decimal("0.00")}

CODES = ["X01", "X02", "X03", "E01", "F01", "Z01"]
visit = st.tuples(
    st.sampled_from([1, 2]),
    st.lists(st.tuples(st.sampled_from(CODES), st.integers(1, 40)), min_size=1, max_size=4),
)
Step = tuple[int, list[tuple[str, int]]] | int
step: st.SearchStrategy[Step] = st.one_of(visit, st.integers(0, 30))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_year_to_date_equals_what_standing_settlements_moved(steps: list[Step]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(_TEMPLATE / "clinic.sqlite3", Path(folder) / "clinic.sqlite3")
        store = open_store(Path(folder) / "clinic.sqlite3", migrate=False)
        settled: list[int] = []
        for argument in steps:
            if isinstance(argument, tuple):  # settle a visit; an integer picks one to reverse
                person, lines = argument
                facility = "T01" if person == 1 else "T10"
                items = tuple(DraftItem(code, Decimal(qty)) for code, qty in lines)
                draft = VisitDraft(facility, person, STAFF_AT[facility], TODAY, items, COLD)
                settled.append(settle(store, draft, NOW).settlement_id)
            elif settled:
                target = settled[argument % len(settled)]
                with store.reading() as session:
                    already = session.scalar(select(Reversal.id).where(Reversal.settlement_id == target))
                    whose = session.scalar(select(Settlement.person_id).where(Settlement.id == target))
                if already is None:  # reversed where it was settled
                    reverse(store, target, "测试冲正", STAFF_AT["T01" if whose == 1 else "T10"], NOW)
        _assert_figures_are_the_visits_recomputed(store)
        with store.reading() as session:
            standing = ~Settlement.reversal.has()
            for accumulator in session.scalars(select(Accumulator)):
                mine = (Settlement.person_id == accumulator.person_id, Settlement.year == accumulator.year, standing)
                sums = session.execute(
                    select(
                        func.coalesce(func.sum(Settlement.deductible_fen), 0),
                        func.coalesce(func.sum(Settlement.fund_toward_cap_fen), 0),
                    ).where(*mine)
                ).one()
                assert (accumulator.deductible_met_fen, accumulator.fund_paid_fen) == tuple(sums)
                assert accumulator.deductible_met_fen <= 60000  # 洪府办发〔2022〕93号 第十七条
            employee = session.get(Person, 1)
            spent = session.scalar(
                select(func.coalesce(func.sum(Settlement.account_fen), 0)).where(Settlement.person_id == 1, standing)
            )
            assert employee is not None
            assert employee.account_balance_fen == 30000 - (spent or 0)
            resident = session.get(Accumulator, (2, 2024))
            assert resident is None or resident.fund_paid_fen <= 30000  # 韶医保规〔2023〕2号 第八条（一）
        store.dispose()


Figures = dict[tuple[int, int], YearToDate]


def _requote(session: Session, settlement: Settlement, before: YearToDate, balance: Decimal) -> QuoteRequest:
    """The settled visit as it was quoted: its stored items, the figures and balance it found."""
    person = session.get(Person, settlement.person_id)
    facility = session.get(Facility, settlement.visit.facility_id)
    assert person is not None
    assert facility is not None
    visit = settlement.visit
    employee = default_book().version_for(person.policy, visit.visit_date).scheme is Scheme.EMPLOYEE
    patient = patient_on(session.connection(), person, visit.visit_date)
    return QuoteRequest(
        policy=person.policy,
        visit_date=visit.visit_date,
        patient=patient._replace(account_balance=balance),
        facility=facility_for_quote(facility, employee, visit.visit_date, in_city=True),
        visit=QuoteVisit(
            items=tuple(
                Item(ItemKind(i.kind), ItemClass(i.item_class), from_fen(i.amount_fen), i.code, i.name)
                for i in visit.items
            ),
            referral=visit.referral,
            emergency=visit.emergency,
            inpatient=visit.inpatient,
            liability=None if visit.liability is None else Liability(visit.liability),
            disease=visit.disease,
        ),
        year_to_date=before,
    )


def _less(figures: YearToDate, before: YearToDate, after: YearToDate) -> YearToDate:
    return YearToDate(
        figures.deductible_met - (after.deductible_met - before.deductible_met),
        figures.fund_paid - (after.fund_paid - before.fund_paid),
        figures.fund_paid_out_of_city - (after.fund_paid_out_of_city - before.fund_paid_out_of_city),
    )


def _assert_figures_are_the_visits_recomputed(store: Store) -> None:
    """Replay the audit log from nothing: each settled visit quoted again from its stored items
    with the figures replayed so far, each reversal taking back what the replay says its
    settlement moved. The store must agree with the replay at every step and at the end."""
    figures: Figures = {}
    balances = dict(OPENING_BALANCES)
    moves: dict[int, tuple[YearToDate, YearToDate, Decimal]] = {}
    with store.reading() as session:
        money = select(AuditEntry).where(AuditEntry.action.in_(("settle", "reverse"))).order_by(AuditEntry.id)
        trail = [(a.action, int(a.entity_id)) for a in session.scalars(money)]
        settlements = {s.id: s for s in session.scalars(select(Settlement))}
        assert sorted(sid for action, sid in trail if action == "settle") == sorted(settlements)
        for action, settlement_id in trail:
            settlement = settlements[settlement_id]
            person_id = settlement.person_id
            assert person_id is not None  # no self-pay visits here
            key = (person_id, settlement.year)
            if action == "settle":
                before = figures.get(key, YearToDate())
                asked = _requote(session, settlement, before, balances[person_id])
                result = quote(asked, default_book())
                assert (to_fen(result.fund), to_fen(result.account), to_fen(result.cash)) == (
                    settlement.fund_fen,
                    settlement.account_fen,
                    settlement.cash_fen,
                )
                figures[key] = result.year_to_date_after
                balances[person_id] -= result.account
                moves[settlement_id] = (before, result.year_to_date_after, result.account)
            else:
                assert action == "reverse"
                before, after, account = moves.pop(settlement_id)
                figures[key] = _less(figures[key], before, after)
                balances[person_id] += account
        stored = {
            (a.person_id, a.year): (a.deductible_met_fen, a.fund_paid_fen, a.fund_paid_out_of_city_fen)
            for a in session.scalars(select(Accumulator))
        }
        for person_id, balance in balances.items():
            person = session.get(Person, person_id)
            assert person is not None
            assert person.account_balance_fen == to_fen(balance)
    replayed = {
        key: (to_fen(f.deductible_met), to_fen(f.fund_paid), to_fen(f.fund_paid_out_of_city))
        for key, f in figures.items()
    }
    assert {key: value for key, value in stored.items() if any(value)} == {
        key: value for key, value in replayed.items() if any(value)
    }
