"""Out-of-area employees through the relay and a real sandbox agency: the same split on both sides,
and 2201/2207 carrying the insurance areas the visit was settled with.

The demo roster's Nanchong employees (insured in 511302) at the Nanchang County clinic (360121):
person 20 has 异地安置 to 南昌市 with the agency, person 26 转诊备案 to 南昌县, person 15 none.
"""

from __future__ import annotations

import json

from sqlalchemy import select, update

from db.audit_verify import verify
from db.models import AuditEntry, OutboxEntry, Person, Settlement
from db.session import Store
from desktop.identity.reads import CardKind, CardRead
from desktop.money import from_fen
from desktop.sandbox.from_store import roster_from_store
from desktop.sandbox.server import SandboxServer
from desktop.sync import AgencyClient, FixedCredentials, Operator
from desktop.sync.client import make_http
from desktop.sync.online import OnlineCheck
from desktop.sync.relay import Relay
from desktop.sync.sessions import Place
from tests.sync.helpers import FIRST_DAY, SECRETS, Visits, agency_settlements

FILED, REFERRED, UNFILED = 20, 26, 15
ITEMS = [("XB01", 10), ("FA01", 1)]  # 286.00 and a 10.00 consultation fee: past the 200-yuan deductible


def settled(store: Store, settlement_id: int) -> Settlement:
    with store.reading() as session:
        row = session.get(Settlement, settlement_id)
        assert row is not None
        session.expunge(row)
        return row


def test_filed_and_unfiled_visits_are_booked_with_the_counters_split(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    ids = {who: visits.settle(FIRST_DAY, person=who, facility="T01", items=ITEMS) for who in (FILED, REFERRED, UNFILED)}
    assert None not in ids.values()
    assert relay.run().complete
    booked = {b["msgid"]: b for b in agency_settlements(agency)}
    for who, settlement_id in ids.items():
        assert settlement_id is not None
        row = settled(store, settlement_id)
        assert row.status == "confirmed", (who, row.status)
        assert booked[row.msgid]["fund_pay_sumamt"] == from_fen(row.fund_fen)
        assert booked[row.msgid]["acct_pay"] == from_fen(row.account_fen)
        assert (row.insuplc_admdvs, row.mdtrtarea_admvs) == ("511302", "360121")
    unfiled = settled(store, ids[UNFILED] or 0)
    assert (unfiled.reason, unfiled.fund_fen) == ("out_of_area_not_filed", 0)
    for who in (FILED, REFERRED):
        row = settled(store, ids[who] or 0)
        assert (row.covered, row.area_filing_id is not None, row.fund_fen > 0) == (True, True, True)


def test_messages_carry_the_area_settled_with_even_after_the_person_moved(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    settlement_id = visits.settle(FIRST_DAY, person=FILED, facility="T01", items=ITEMS)
    assert settlement_id is not None
    with store.writing() as session:  # insured elsewhere since (a 1101 answer), before the sync
        session.execute(update(Person).where(Person.id == FILED).values(insuplc_admdvs="511321"))
    assert relay.run().complete
    assert settled(store, settlement_id).status == "confirmed"


def test_the_agency_refuses_a_registration_naming_another_insured_area(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    settlement_id = visits.settle(FIRST_DAY, person=FILED, facility="T01", items=ITEMS)
    with store.writing() as session:  # as if the counter had sent the clinic's own area
        session.execute(update(Settlement).where(Settlement.id == settlement_id).values(insuplc_admdvs="360121"))
    relay.run()
    with store.reading() as session:
        errors = session.scalars(
            select(OutboxEntry.last_error).where(
                OutboxEntry.settlement_id == settlement_id, OutboxEntry.infno == "2201"
            )
        ).all()
    assert any("insuplc_admdvs" in error for error in errors)


def test_1101_brings_the_insured_area_and_the_change_is_audited(store: Store, agency: SandboxServer) -> None:
    # The agency says person 2 (on the roster as insured in 360121) is now insured in Nanchong.
    with store.reading() as session:
        person = session.get(Person, 2)
        assert person is not None
        session.expunge(person)
    entry = next(p for p in roster_from_store(store, FIRST_DAY)["persons"] if p["psn_no"] == person.psn_no)
    agency.load_roster({"persons": [{**entry, "insuplc_admdvs": "511302"}]})
    client = AgencyClient(agency.url, FixedCredentials(SECRETS), http=make_http(1.0))
    check = OnlineCheck(
        store, client, Operator("clerk", "王丽华"), Place("H36012100101", "南昌县幽兰镇卫生院", "360121")
    )
    assert check.ask(CardRead(CardKind.ID_NUMBER, person.id_number, holder_id_number=person.id_number)) is not None
    client.close()
    with store.reading() as session:
        assert session.scalar(select(Person.insuplc_admdvs).where(Person.id == 2)) == "511302"
        details = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "standing_from_agency", AuditEntry.entity_id == "2")
        ).all()
    assert any(json.loads(d).get("insured_area_before") == "360121" for d in details)
    with store.reading() as session:  # the person's row, changed by 1101, was sealed again
        assert verify(session.connection()).ok
