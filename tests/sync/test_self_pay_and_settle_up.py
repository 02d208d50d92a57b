"""Against the sandbox agency: self-pay visits never travel; a differing split is settled up and balances the day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select

from db.models import CatalogueMapping, OutboxEntry, Person, Settlement, Staff
from db.session import Store
from desktop.agency.msgid import CHINA
from desktop.day_close import day_close
from desktop.ledger import LedgerQuery, Period, ledger_rows, totals
from desktop.official import Standing
from desktop.sandbox.from_store import roster_from_store
from desktop.sandbox.server import SandboxServer
from desktop.settle_up import settle_up
from desktop.settlement import DiagnosisLine, DraftItem, SettlementError, reverse
from desktop.settlement.self_pay import SelfPayDraft, WalkInDetails, settle_self_pay
from desktop.sync.relay import Relay
from tests.sync.helpers import FIRST_DAY, Visits, agency_settlements, relay_for

COLD = (DiagnosisLine("J06.900", "急性上呼吸道感染"),)
ITEMS = (DraftItem("FA01"), DraftItem("XA01", Decimal(2)))


def a_resident(store: Store) -> Person:
    with store.reading() as session:
        found = session.scalars(
            select(Person).where(
                Person.policy == "nanchang-resident", Person.benefit_suspended.is_(False), Person.insured.is_(True)
            )
        ).first()
    assert found is not None
    return found


def test_self_pay_visits_stay_at_the_clinic_and_the_books_still_balance(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    insured = visits.settle(FIRST_DAY, person=a_resident(store).id, facility="T01")
    assert insured is not None
    moment = dt.datetime.combine(FIRST_DAY, dt.time(11), CHINA)
    walk_in = settle_self_pay(
        store, SelfPayDraft("T01", 2, FIRST_DAY, ITEMS, COLD, walk_in=WalkInDetails("过路人")), moment
    )
    on_roster = settle_self_pay(
        store, SelfPayDraft("T01", 2, FIRST_DAY, ITEMS, COLD, person_id=a_resident(store).id), moment
    )
    report = relay.run()
    assert report.complete
    assert report.waiting == 0
    assert all(r.matches for r in report.reconciliations)  # the self-pay ones are not in the clinic's figures
    assert all(r.figures.not_booked == 0 for r in report.reconciliations)
    with store.reading() as session:
        booked = set(session.scalars(select(Settlement.msgid).where(Settlement.self_pay.is_(False))))
        assert {str(s["msgid"]) for s in agency_settlements(agency)} == booked
        for paid in (walk_in, on_roster):
            sent = session.scalar(select(func.count()).where(OutboxEntry.settlement_id == paid.settlement_id))
            assert sent == 0
            assert session.get_one(Settlement, paid.settlement_id).status == "local"
    rows = ledger_rows(store, LedgerQuery("T01", Period.day(FIRST_DAY)))
    standings = {row.settlement_id: row.standing for row in rows}
    assert standings[walk_in.settlement_id] is standings[on_roster.settlement_id] is Standing.SELF_PAY
    assert standings[insured] is not Standing.SELF_PAY
    assert totals(rows).self_pay == 2


def test_a_differing_split_is_settled_up_and_the_drawer_balances(
    store: Store, agency: SandboxServer, visits: Visits
) -> None:
    """The agency's roster no longer has the resident signed here: it pays nothing, the counter paid its share."""
    resident = a_resident(store)
    entry = next(p for p in roster_from_store(store, FIRST_DAY)["persons"] if p["psn_no"] == resident.psn_no)
    entry["patient"]["contracted_facilities"] = []
    agency.load_roster({"persons": [entry]})
    settled = visits.settle(FIRST_DAY, person=resident.id, facility="T01", items=[("XA01", 2), ("EA01", 1)])
    assert settled is not None
    synced_at = dt.datetime.combine(FIRST_DAY, dt.time(16), CHINA)  # the same afternoon
    with relay_for(store, agency.url, clock=lambda: synced_at) as relay:
        assert relay.run().differences == [settled]

    close = day_close(store, "T01", FIRST_DAY)
    (owed,) = close.owed
    assert owed.settlement_id == settled
    assert owed.owed > 0  # the fund paid nothing: the patient owes its share in cash
    assert close.drawer.expected < close.net.cash  # the drawer is short of the official cash until settled up

    with store.reading() as session:
        doctor = session.scalars(select(Staff.id).where(Staff.username == "doctor1")).one()  # of V01
    with pytest.raises(SettlementError) as refused:
        settle_up(store, settled, doctor, dt.datetime.combine(FIRST_DAY, dt.time(17), CHINA))
    assert refused.value.field == "facility"  # the cash is settled up where the patient paid it
    done = settle_up(store, settled, 2, dt.datetime.combine(FIRST_DAY, dt.time(17), CHINA))
    assert (done.kind, done.amount) == ("collect", owed.owed)
    close = day_close(store, "T01", FIRST_DAY)
    assert close.owed == ()
    assert close.drawer.expected == close.net.cash  # the day balances
    assert close.net.fund == 0


def test_a_reversed_self_pay_visit_with_an_unmapped_item_sends_nothing_and_sets_nothing_aside(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    """No 2202/2205 cancels it and no missing national code holds it: the agency never heard of it."""
    insured = visits.settle(FIRST_DAY, person=a_resident(store).id, facility="T01", items=[("FA01", 1)])
    assert insured is not None
    with store.writing() as session:
        session.execute(delete(CatalogueMapping).where(CatalogueMapping.code == "XA01"))
    moment = dt.datetime.combine(FIRST_DAY, dt.time(10), CHINA)
    paid = settle_self_pay(
        store, SelfPayDraft("T01", 2, FIRST_DAY, ITEMS, COLD, walk_in=WalkInDetails("过路人")), moment
    )
    reverse(store, paid.settlement_id, "录入错误", staff_id=2, now=moment + dt.timedelta(minutes=5))
    report = relay.run()
    assert (report.complete, report.waiting, report.exit_status) == (True, 0, 0)
    assert (report.set_aside, report.mappings_set_aside) == ([], [])
    with store.reading() as session:
        assert session.scalar(select(func.count()).where(OutboxEntry.settlement_id == paid.settlement_id)) == 0
        assert session.get_one(Settlement, paid.settlement_id).status == "local"
    sent = [row[0] for row in agency.connection.execute("SELECT infno FROM message")]
    assert sent.count("2207") == 1  # the insured visit's, and nothing of the self-pay one
    assert not set(sent) & {"2202", "2205", "2208", "2601"}
