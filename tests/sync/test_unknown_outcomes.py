"""An unknown outcome is never a refusal: lost answers, repeats refused as duplicates, answers that
cannot be read, each against the sandbox switched to behave that way."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from db.models import OutboxEntry, Settlement
from db.session import Store
from desktop.sandbox.server import SandboxServer
from desktop.sync import Relay
from desktop.sync.client import is_repeat
from tests.sync.helpers import FIRST_DAY, Visits, agency_settlements, relay_for
from tests.sync.test_relay import _lose_2207, local_msgids, states


def configure(agency: SandboxServer, **values: object) -> None:
    httpx.post(f"{agency.url}/_admin/config", json=values).raise_for_status()


def test_a_lost_answer_then_a_refused_repeat_is_undone_by_2601_and_sent_again_under_a_new_msgid(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    (settled,) = visits.days(FIRST_DAY, 1, 1)
    _lose_2207(store, agency)  # booked at the agency; the answer never came
    with store.reading() as session:
        first = session.get(Settlement, settled)
        assert first is not None
        assert first.status == "unknown"  # neither booked nor refused, as far as the clinic knows
        old_msgid = first.msgid
    configure(agency, refuse_repeats=True)
    report = relay.run()
    assert report.complete, report.as_json()
    assert report.exit_status == 0
    assert report.set_aside == []
    booked = agency_settlements(agency)
    by_msgid = {b["msgid"]: b["status"] for b in booked}
    with store.reading() as session:
        settlement = session.get(Settlement, settled)
        assert settlement is not None
        assert settlement.status == "confirmed"
        row = session.scalars(select(OutboxEntry).where(OutboxEntry.infno == "2207")).one()
    assert by_msgid == {old_msgid: "reversed", settlement.msgid: "booked"}  # undone first, then booked once
    assert row.previous_msgids == old_msgid
    assert row.msgid == settlement.msgid != old_msgid
    assert report.resolved == [settlement.msgid]


def test_an_answer_that_says_success_but_cannot_be_read_is_never_a_rejection(
    store: Store, agency: SandboxServer, visits: Visits
) -> None:
    settled = visits.days(FIRST_DAY, 1, 6)
    configure(agency, garble_rate=1.0, refuse_repeats=True, seed=5)
    with relay_for(store, agency.url, give_up_after=3) as relay:
        report = relay.run()
    assert report.set_aside, "unreadable under six msgids in a row: left for staff, not refused"
    with store.reading() as session:
        assert "rejected" not in set(session.scalars(select(Settlement.status)))
    configure(agency, garble_rate=0.0)
    with store.reading() as session:
        aside = [r.id for r in session.scalars(select(OutboxEntry).where(OutboxEntry.state == "set_aside"))]
    from desktop.sync import outbox
    from tests.sync.test_relay import NOW

    outbox.retry(store, aside, staff_id=1, now=NOW)
    with relay_for(store, agency.url) as relay:
        again = relay.run()
    assert again.complete, again.as_json()
    standing = [b for b in agency_settlements(agency) if b["status"] == "booked"]
    assert len(standing) == len(settled)  # every visit booked exactly once; every other booking undone
    assert {b["msgid"] for b in standing} == local_msgids(store)


def test_a_garbled_answer_asked_again_is_read_from_the_agencys_books(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    settled = visits.days(FIRST_DAY, 1, 4)
    configure(agency, garble_rate=0.5, seed=2)
    report = relay.run()
    assert report.complete, report.as_json()
    assert len(agency_settlements(agency)) == len(settled)
    assert report.resolved == []  # the same msgid, asked again, was answered readably


def test_answers_in_another_spelling_read_the_same(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    settled = visits.days(FIRST_DAY, 2, 3)
    configure(agency, answer_style="compact")
    report = relay.run()
    assert report.complete, report.as_json()
    assert all(r.matches for r in report.reconciliations)
    with store.reading() as session:
        assert session.scalar(select(func.count()).where(Settlement.agency_setl_time.is_not(None))) == len(settled)
    assert states(store) == {"done": 4 * len(settled)}


def test_repeat_refusals_are_told_from_other_refusals() -> None:
    assert is_repeat("报文ID重复：H36012100101202611230900000001 已处理")
    assert is_repeat("Duplicate msgid")
    assert not is_repeat("psn_no 1 is not on the agency's roster")
    assert not is_repeat("mdtrt_id MD1 is already settled as setl_id ST1")


MODES = [
    {},
    {"refuse_repeats": True},
    {"answer_style": "compact"},
    {"garble_rate": 0.2},
    {"refuse_repeats": True, "garble_rate": 0.2, "answer_style": "compact"},
    {"slow_ms": 40},
    {"reconcile_by": "visit_date"},
]


@pytest.mark.parametrize("mode", MODES, ids=lambda m: ",".join(f"{k}={v}" for k, v in m.items()) or "standard")
def test_with_answers_lost_every_settlement_is_booked_once_whatever_the_agency_does(
    store: Store, agency: SandboxServer, visits: Visits, mode: dict[str, object]
) -> None:
    settled = visits.days(FIRST_DAY, 1, 5)
    configure(agency, drop_after_commit_rate=0.2, seed=4, **mode)
    with relay_for(store, agency.url, timeout=1.0) as relay:
        report = relay.run()
    assert report.set_aside == [], report.as_json()
    assert report.exit_status == 0, report.as_json()
    standing = [b for b in agency_settlements(agency) if b["status"] == "booked"]
    assert len(standing) == len(settled)
    assert {b["msgid"] for b in standing} == local_msgids(store)
    with store.reading() as session:
        assert set(session.scalars(select(Settlement.status))) <= {"confirmed", "differs"}
    by_visit_date = mode.get("reconcile_by") == "visit_date"
    assert all(r.matches != by_visit_date for r in report.reconciliations)
