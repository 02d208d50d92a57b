"""The online identity check (1101) against the sandbox: e-vouchers resolved, standing refreshed."""

from __future__ import annotations

import time
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select

from db.models import Person
from db.session import Store
from desktop.agency.messages import SignOut
from desktop.identity.reads import CardKind, CardRead
from desktop.sandbox.from_store import roster_from_store
from desktop.sandbox.server import SandboxServer
from desktop.sync import AgencyClient, FixedCredentials, Operator
from desktop.sync.client import make_http
from desktop.sync.online import AgencySilent, OnlineCheck
from desktop.sync.sessions import Place
from tests.sync.helpers import FIRST_DAY, SECRETS, Visits

TOKEN = "EcQr7Hq2LmN9xTpW4vZs8KdA3fJbY6u"
HOME = Place("H36012100101", "南昌县幽兰镇卫生院", "360121")


def _online(store: Store, url: str) -> OnlineCheck:
    client = AgencyClient(url, FixedCredentials(SECRETS), http=make_http(1.0))
    return OnlineCheck(store, client, Operator("clerk", "王丽华"), HOME)


def _employee(store: Store) -> Person:
    with store.reading() as session:
        found = session.scalars(
            select(Person).where(Person.policy == "nanchang-employee", Person.account_balance_fen > 50_000)
        ).first()
    assert found is not None
    return found


def test_an_evoucher_is_resolved_to_the_person_it_stands_for(store: Store, agency: SandboxServer) -> None:
    person = _employee(store)
    roster = roster_from_store(store, FIRST_DAY)
    entry = next(p for p in roster["persons"] if p["psn_no"] == person.psn_no)
    entry["cards"].append({"mdtrt_cert_type": "01", "mdtrt_cert_no": TOKEN})
    agency.load_roster({"persons": [entry]})
    check = _online(store, agency.url)
    read = CardRead(CardKind.EVOUCHER, TOKEN)
    answer = check.ask(read)
    check.client.close()
    assert answer is not None
    assert answer.psn_no == person.psn_no
    assert answer.on_roster
    resolved = answer.as_read(read)
    assert resolved.kind is CardKind.ID_NUMBER
    assert resolved.number == person.id_number


def test_the_answer_refreshes_standing_but_not_a_balance_with_unsent_spending(
    store: Store, agency: SandboxServer, visits: Visits
) -> None:
    person = _employee(store)
    roster = roster_from_store(store, FIRST_DAY)
    entry = next(p for p in roster["persons"] if p["psn_no"] == person.psn_no)
    agency.load_roster({"persons": [{**entry, "balc": "123.45"}]})  # the agency knows a newer balance
    check = _online(store, agency.url)
    answer = check.ask(CardRead(CardKind.ID_NUMBER, person.id_number, holder_id_number=person.id_number))
    assert answer is not None
    assert answer.balance == Decimal("123.45")
    with store.reading() as session:
        assert session.get(Person, person.id).account_balance_fen == 12345  # type: ignore[union-attr]
    spent = visits.settle(FIRST_DAY, person=person.id, facility="T01", items=[("XA01", 2)])
    assert spent is not None
    with store.reading() as session:
        after_visit = session.get(Person, person.id).account_balance_fen  # type: ignore[union-attr]
    assert after_visit < 12345
    check.ask(CardRead(CardKind.ID_NUMBER, person.id_number, holder_id_number=person.id_number))
    check.client.close()
    with store.reading() as session:
        assert session.get(Person, person.id).account_balance_fen == after_visit  # type: ignore[union-attr]


def test_an_unknown_credential_is_none_and_a_silent_agency_says_so(store: Store, agency: SandboxServer) -> None:
    check = _online(store, agency.url)
    assert check.ask(CardRead(CardKind.EVOUCHER, "NoSuchTokenAtTheAgency0001")) is None
    check.client.close()
    silent = _online(store, "http://127.0.0.1:9")
    with pytest.raises(AgencySilent, match="cannot reach"):
        silent.ask(CardRead(CardKind.EVOUCHER, TOKEN))
    silent.client.close()


def test_a_busy_agency_is_tried_once_and_the_clerk_goes_on_offline(store: Store, agency: SandboxServer) -> None:
    check = _online(store, agency.url)
    check.sessions.sign_no(HOME)  # signed in while the line was good
    httpx.post(f"{agency.url}/_admin/config", json={"timeout_rate": 1.0, "timeout_ms": 3000}).raise_for_status()
    started = time.monotonic()
    with pytest.raises(AgencySilent, match="ReadTimeout"):
        check.ask(CardRead(CardKind.EVOUCHER, TOKEN))
    assert time.monotonic() - started < 2.0  # one try of the one-second timeout; no retries
    check.client.close()


def test_a_session_the_agency_forgot_is_signed_in_again(store: Store, agency: SandboxServer) -> None:
    person = _employee(store)
    check = _online(store, agency.url)
    sign_no = check.sessions.sign_no(HOME)
    # The agency ends the session (a restart, a sign-out from elsewhere); the counter still holds it.
    signed_out = check.client.send(
        check.sessions.sender(HOME, sign_no),
        SignOut(sign_no=sign_no, opter_no="clerk"),
        check.sessions.msgid(HOME.fixmedins_code),
    )
    assert signed_out.ok
    answer = check.ask(CardRead(CardKind.ID_NUMBER, person.id_number, holder_id_number=person.id_number))
    check.client.close()
    assert answer is not None
    assert answer.psn_no == person.psn_no
    assert check.sessions.sign_no(HOME) != sign_no
