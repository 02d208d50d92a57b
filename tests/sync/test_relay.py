"""The relay against a real sandbox agency on loopback, with real SQLite stores."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from db.models import Accumulator, AuditEntry, OutboxEntry, Person, Reconciliation, Settlement
from db.session import Store
from desktop.agency.msgid import REVERSAL_SEQUENCES, SESSION_SEQUENCES, SETTLEMENT_SEQUENCES
from desktop.agency.signing import generate_private_key, public_key_pem
from desktop.money import to_fen
from desktop.sandbox.from_store import roster_from_store
from desktop.sandbox.server import SandboxServer
from desktop.settlement import reverse
from desktop.sync import outbox
from desktop.sync.lease import Lease, SyncBusyError
from desktop.sync.relay import Relay
from desktop.sync.sessions import reserve_msgids
from tests.sync.helpers import (
    FIRST_DAY,
    Crash,
    CrashingRelay,
    Visits,
    agency_figures,
    agency_settlements,
    copy_store,
    relay_for,
    start_agency,
)

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def states(store: Store) -> dict[str, int]:
    with store.reading() as session:
        rows = session.execute(select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state))
        return {str(state): int(count) for state, count in rows}


def local_msgids(store: Store) -> set[str]:
    with store.reading() as session:
        return set(session.scalars(select(Settlement.msgid)))


def assert_accumulators_agree(store: Store, agency: SandboxServer, year: int = FIRST_DAY.year) -> None:
    with store.reading() as session:
        for person in session.scalars(select(Person)):
            local = session.get(Accumulator, (person.id, year))
            theirs = agency_figures(agency, person.psn_no, year)
            mine = (0, 0) if local is None else (local.deductible_met_fen, local.fund_paid_fen)
            assert mine == (to_fen(theirs["deductible_met"]), to_fen(theirs["fund_paid"])), person.id


def test_a_sync_books_every_settlement_once_under_its_stored_msgid(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    settled = visits.days(FIRST_DAY, 2, 6)
    report = relay.run()
    assert report.complete
    assert report.online
    assert report.sent == {"2201": len(settled), "2203": len(settled), "2204": len(settled), "2207": len(settled)}
    booked = agency_settlements(agency)
    assert {b["msgid"] for b in booked} == local_msgids(store)  # the msgid written at settle time
    assert len(booked) == len(settled)
    assert states(store) == {"done": 4 * len(settled)}
    assert report.reconciliations
    assert all(r.matches for r in report.reconciliations)
    with store.reading() as session:
        assert set(session.scalars(select(Settlement.status))) == {"confirmed"}
        assert session.scalar(select(func.count()).select_from(Reconciliation)) == len(report.reconciliations)
    assert_accumulators_agree(store, agency)
    again = relay.run()
    assert again.complete
    assert again.sent == {}
    assert len(agency_settlements(agency)) == len(settled)


def test_replies_lost_after_commit_are_found_out_by_sending_the_same_msgid(
    store: Store, agency: SandboxServer, visits: Visits
) -> None:
    settled = visits.days(FIRST_DAY, 1, 8)
    httpx.post(f"{agency.url}/_admin/config", json={"drop_after_commit_rate": 0.5, "seed": 3})
    with relay_for(store, agency.url, timeout=1.0) as relay:
        report = relay.run()
    assert report.complete
    assert report.failed_calls > 0
    booked = agency_settlements(agency)
    assert len(booked) == len(settled)
    assert {b["msgid"] for b in booked} == local_msgids(store)
    with store.reading() as session:
        assert not session.scalar(select(func.count()).where(OutboxEntry.outcome_unknown.is_(True)))
        assert (session.scalar(select(func.max(OutboxEntry.attempts))) or 0) > 1


def test_a_rejected_record_is_set_aside_and_the_others_go_through(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    settled = visits.days(FIRST_DAY, 1, 10)
    with store.reading() as session:
        victim = session.get(Settlement, settled[3])
        assert victim is not None
        psn_no = session.get(Person, victim.person_id).psn_no  # type: ignore[union-attr]
        theirs = set(session.scalars(select(Settlement.id).where(Settlement.person_id == victim.person_id)))
    httpx.post(f"{agency.url}/_admin/config", json={"reject": [psn_no]})
    report = relay.run()
    assert report.ran_through
    assert not report.complete  # set aside, and three rows of it wait behind: exit status 5
    assert report.exit_status == 5
    assert {s.settlement_id for s in report.set_aside} == theirs
    assert all("reject" in s.error for s in report.set_aside)
    assert len(agency_settlements(agency)) == len(settled) - len(theirs)
    with store.reading() as session:
        shown = outbox.set_aside_records(session.connection())
        assert {r.settlement_id for r in shown} == theirs
        assert {str(s) for s in session.scalars(select(Settlement.status).where(Settlement.id.in_(theirs)))} == {
            "rejected"
        }
        blocked = session.scalar(
            select(func.count()).where(OutboxEntry.settlement_id.in_(theirs), OutboxEntry.state == "pending")
        )
        assert blocked == 3 * len(theirs)  # each set-aside 2201 holds back its own 2203, 2204 and 2207

    # Corrected at the agency, then retried by staff: it goes through, once.
    httpx.post(f"{agency.url}/_admin/config", json={"reject": []})
    assert outbox.retry(store, [r.entry_id for r in shown], staff_id=1, now=NOW) == len(theirs)
    second = relay.run()
    assert second.complete
    assert not second.set_aside
    assert len(agency_settlements(agency)) == len(settled)
    assert states(store) == {"done": 4 * len(settled)}


def test_a_reversal_after_booking_is_cancelled_with_2208(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    settled = visits.days(FIRST_DAY, 1, 4)
    assert relay.run().complete
    reverse(store, settled[0], "录入错误", staff_id=1, now=NOW)
    report = relay.run()
    assert report.sent == {"2208": 1}
    by_msgid = {b["msgid"]: b for b in agency_settlements(agency)}
    with store.reading() as session:
        msgid = session.get(Settlement, settled[0]).msgid  # type: ignore[union-attr]
    assert by_msgid[msgid]["status"] == "cancelled"
    assert report.reconciliations
    assert all(r.matches for r in report.reconciliations)
    assert_accumulators_agree(store, agency)


def test_a_reversal_before_anything_was_sent_goes_as_2601_and_the_rest_is_void(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    settled = visits.days(FIRST_DAY, 1, 3)
    reverse(store, settled[1], "病人未取药", staff_id=1, now=NOW)
    report = relay.run()
    assert report.voided == [settled[1]]
    assert len(agency_settlements(agency)) == len(settled) - 1
    with store.reading() as session:
        settlement = session.get(Settlement, settled[1])
        assert settlement is not None
        assert settlement.status == "void"
        query = select(OutboxEntry.infno, OutboxEntry.state).where(OutboxEntry.settlement_id == settled[1])
        rows = {row.infno: row.state for row in session.execute(query)}
    # The reversal's own row, under the msgid stored at reversal time, went as 2601: the
    # agency never saw the 2207, and now never will book it.
    assert rows == {"2201": "void", "2203": "void", "2204": "void", "2207": "void", "2601": "done"}
    assert report.reversed_by_2601 == [settlement.msgid]
    assert report.sent["2207"] == len(settled) - 1


class LoseSettlementAnswers(httpx.HTTPTransport):
    """The line drops after the agency booked a 2207: the request arrives, its answer never does."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if b'"infno":"2207"' in request.content:
            response.read()
            response.close()
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return response


def _lose_2207(store: Store, agency: SandboxServer) -> None:
    from desktop.sync import AgencyClient, FixedCredentials
    from tests.sync.helpers import SECRETS

    relay = relay_for(store, agency.url, give_up_after=1)
    relay.client.close()
    relay.client = AgencyClient(
        agency.url, FixedCredentials(SECRETS), http=httpx.Client(transport=LoseSettlementAnswers())
    )
    with relay:
        report = relay.run()
    assert not report.complete


def test_a_lost_settlement_answer_is_asked_again_under_the_same_msgid(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    settled = visits.days(FIRST_DAY, 1, 1)
    _lose_2207(store, agency)
    with store.reading() as session:
        row = session.scalars(select(OutboxEntry).where(OutboxEntry.infno == "2207")).one()
        assert row.outcome_unknown
        assert row.state == "pending"
    assert len(agency_settlements(agency)) == 1  # booked, though the clinic does not know it yet
    report = relay.run()
    assert report.sent == {"2207": 1}
    assert len(agency_settlements(agency)) == 1
    with store.reading() as session:
        settlement = session.get(Settlement, settled[0])
        assert settlement is not None
        assert settlement.status == "confirmed"
        assert settlement.agency_setl_id


def test_a_lost_settlement_answer_then_reversed_at_the_counter_is_undone_by_2601(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    settled = visits.days(FIRST_DAY, 1, 1)
    _lose_2207(store, agency)
    reverse(store, settled[0], "患者退费", staff_id=1, now=NOW)
    report = relay.run()
    assert report.reversed_by_2601
    assert report.voided == settled
    assert "2207" not in report.sent
    assert "2208" not in report.sent
    (booked,) = agency_settlements(agency)
    assert booked["status"] == "reversed"
    assert_accumulators_agree(store, agency)


def test_offline_a_run_ends_and_loses_nothing(tmp_path: Path, store: Store, visits: Visits) -> None:
    settled = visits.days(FIRST_DAY, 1, 3)
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens
    with relay_for(store, closed, give_up_after=3) as relay:
        report = relay.run()
    assert not report.complete
    assert not report.online
    assert report.waiting == 4 * len(settled)
    assert "cannot reach" in report.last_error
    assert states(store) == {"pending": 4 * len(settled)}
    agency = start_agency(tmp_path / "agency.sqlite3", [store])
    try:
        with relay_for(store, agency.url) as again:
            back = again.run()
        assert back.complete
        assert len(agency_settlements(agency)) == len(settled)
    finally:
        agency.stop()


def test_the_agency_split_is_recorded_beside_the_counters_when_they_differ(
    template: Path, tmp_path: Path, store: Store
) -> None:
    """An employee spends the deductible at one clinic; the other, offline, cannot know it."""
    other = copy_store(template, tmp_path / "other.sqlite3", facility="V01")
    with store.reading() as session:
        employee = session.scalars(
            select(Person.id)
            .where(Person.policy == "nanchang-employee", Person.account_balance_fen > 200_000)
            .where(Person.benefit_suspended.is_(False), Person.insured.is_(True))
        ).first()
    assert employee is not None
    bill = [("TA03", 3), ("CB01", 3), ("XA04", 5)]  # 135 + 120 + 108 = 363 yuan, all in scope
    here = Visits(store, random.Random(1)).settle(FIRST_DAY, person=employee, facility="T01", items=bill)
    there = Visits(other, random.Random(2)).settle(FIRST_DAY, person=employee, facility="V01", items=bill)
    assert here is not None
    assert there is not None
    agency = start_agency(tmp_path / "agency.sqlite3", [store, other])
    try:
        with relay_for(store, agency.url) as first, relay_for(other, agency.url) as second:
            assert first.run().complete
            report = second.run()
        assert report.complete
        assert report.differences == [there]
        with other.reading() as session:
            settlement = session.get(Settlement, there)
            assert settlement is not None
            assert settlement.status == "differs"
            assert settlement.fund_fen == 0  # the counter thought the deductible unmet
            assert settlement.agency_fund_fen is not None
            assert settlement.agency_fund_fen > 0
            assert settlement.agency_fund_fen + settlement.agency_account_fen + settlement.agency_cash_fen == (  # type: ignore[operator]
                settlement.total_fen
            )
            audited = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == str(there))).all()
            assert "agency_split_differs" in audited
            differences = outbox.differences(session.connection())
            assert [d.settlement_id for d in differences] == [there]
        assert all(r.matches for r in report.reconciliations)  # the official split was sent
        (carried,) = [r for r in report.reconciliations if r.group.facility_id == "V01"]
        assert carried.local_difference_fen == differences[0].fund_difference_fen
        assert_accumulators_agree(other, agency)  # refreshed from the agency: includes the other clinic
    finally:
        agency.stop()
        other.dispose()


def test_one_sync_at_a_time(store: Store, agency: SandboxServer, relay: Relay) -> None:
    Lease(store).take(dt.datetime.now(dt.UTC))
    with pytest.raises(SyncBusyError, match="another sync"):
        relay.run()


def test_a_settlement_the_agency_paid_less_for_can_still_be_reversed_after_the_refresh(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    """The agency's roster no longer has the resident signed here: it pays nothing, the counter paid 60%."""
    with store.reading() as session:
        resident = session.scalars(
            select(Person).where(Person.policy == "nanchang-resident", Person.benefit_suspended.is_(False))
        ).first()
    assert resident is not None
    entry = next(p for p in roster_from_store(store, FIRST_DAY)["persons"] if p["psn_no"] == resident.psn_no)
    entry["patient"]["contracted_facilities"] = []
    agency.load_roster({"persons": [entry]})
    settled = visits.settle(FIRST_DAY, person=resident.id, facility="T01", items=[("XA01", 2), ("EA01", 1)])
    assert settled is not None
    report = relay.run()
    assert report.differences == [settled]
    with store.reading() as session:
        figures = session.get(Accumulator, (resident.id, FIRST_DAY.year))
        assert figures is not None
        assert figures.fund_paid_fen == 0  # the agency's figure: it paid nothing
    reverse(store, settled, "录入错误", staff_id=1, now=NOW)
    with store.reading() as session:
        after = session.get(Accumulator, (resident.id, FIRST_DAY.year))
        assert after is not None
        assert after.fund_paid_fen == 0  # never below nothing
    assert relay.run().sent == {"2208": 1}
    assert_accumulators_agree(store, agency)


def test_a_sync_that_died_holding_a_booked_answer_then_a_reversal_still_undoes_the_booking(
    store: Store, agency: SandboxServer, visits: Visits
) -> None:
    """The agency booked the 2207; the process died before writing the answer down; the clerk reversed."""
    settled, other = visits.days(FIRST_DAY, 1, 2)
    # 9001, then the first settlement's 2201, 2203, 2204, 2207; dead at the second's 2201.
    crashing = CrashingRelay.made(store, agency.url, calls=5)
    with crashing, contextlib.suppress(Crash):
        crashing.run()
    assert crashing.crashed
    (booked,) = agency_settlements(agency)
    assert booked["status"] == "booked"
    assert states(store) == {"pending": 8}  # nothing of it was written down, not even that it went out
    reverse(store, settled, "录入错误", staff_id=1, now=NOW)
    with relay_for(store, agency.url) as relay:
        report = relay.run()
    assert report.voided == [settled]
    by_status = {b["msgid"]: b["status"] for b in agency_settlements(agency)}
    with store.reading() as session:
        first, second = (session.get(Settlement, s).msgid for s in (settled, other))  # type: ignore[union-attr]
    assert by_status == {first: "reversed", second: "booked"}
    assert_accumulators_agree(store, agency)


def test_a_refused_sign_in_holds_back_only_that_facilitys_records(
    store: Store, agency: SandboxServer, visits: Visits
) -> None:
    at_home = [visits.settle(FIRST_DAY, facility="T01") for _ in range(4)]
    in_village = [visits.settle(FIRST_DAY, facility="V01") for _ in range(3)]
    agency.load_keys({"H36012100102": public_key_pem(generate_private_key())})  # V01's key no longer agrees
    with relay_for(store, agency.url) as relay:
        report = relay.run()
    assert not report.complete
    assert report.exit_status == 5  # the agency answered; V01's records wait behind its refused sign-in
    assert any("H36012100102" in note and "9001" in note for note in report.notes)
    booked = {b["fixmedins_code"] for b in agency_settlements(agency)}
    assert booked == {"H36012100101"}
    assert len(agency_settlements(agency)) == len([s for s in at_home if s])
    assert report.waiting == 4 * len([s for s in in_village if s])  # waiting, not set aside
    assert not report.set_aside


def test_relay_msgids_never_meet_a_settlements_even_when_its_clock_is_behind(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    """A counter waits for the write lock with the time it read before: its settlement can be
    stamped earlier than the relay's calls already sent."""
    relay.run()  # the relay signs in and numbers its calls from the counter in the store
    late = visits.settle(FIRST_DAY)
    assert late is not None
    with store.reading() as session:
        numbered = {int(m[-4:]) for m in session.scalars(select(OutboxEntry.msgid))}
    assert numbered <= set(SETTLEMENT_SEQUENCES) | set(REVERSAL_SEQUENCES)
    sessions = reserve_msgids(store, "H36012100101", dt.datetime.now(dt.UTC), 40)
    assert {int(m[-4:]) for m in sessions} <= set(SESSION_SEQUENCES)
    assert len(set(sessions)) == 40
    assert relay.run().complete
    assert len(agency_settlements(agency)) == 1


def test_a_run_that_stopped_before_reconciling_is_reconciled_by_the_next(
    store: Store, agency: SandboxServer, visits: Visits
) -> None:
    settled = visits.days(FIRST_DAY, 2, 3)
    with relay_for(store, agency.url) as relay:
        relay.catalogue_every = dt.timedelta(0)
        original = relay._reconcile
        relay._reconcile = lambda: None  # type: ignore[method-assign]  # the line drops just after the drain
        assert relay.run().sent["2207"] == len(settled)
        relay._reconcile = original  # type: ignore[method-assign]
        report = relay.run()
    assert report.sent == {}
    assert report.reconciliations
    assert all(r.matches for r in report.reconciliations)
    assert sum(r.figures.count for r in report.reconciliations) == len(settled)
    with relay_for(store, agency.url) as relay:
        assert relay.run().reconciliations == []  # nothing booked since


def test_a_relay_that_gave_up_once_starts_its_next_run_afresh(store: Store, visits: Visits, tmp_path: Path) -> None:
    visits.days(FIRST_DAY, 1, 2)
    with relay_for(store, "http://127.0.0.1:9", give_up_after=2) as relay:
        assert not relay.run().complete
        agency = start_agency(tmp_path / "agency.sqlite3", [store])
        try:
            relay.client.url = agency.url  # the line is back
            assert relay.run().complete
        finally:
            agency.stop()


def test_a_row_another_sync_voided_is_not_marked_done_over(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    (settled,) = visits.days(FIRST_DAY, 1, 1)
    with store.write_connection() as connection:
        outbox.mark_void(connection, settled, NOW, "voided by another sync")
        (entry,) = connection.execute(select(OutboxEntry.id).where(OutboxEntry.infno == "2201")).scalars()
        assert not outbox.mark_done(connection, entry, NOW, {"mdtrt_id": "X"})
    assert states(store) == {"void": 4}


def test_people_still_waiting_are_left_out_of_the_roster_refresh(
    store: Store, agency: SandboxServer, visits: Visits
) -> None:
    settled = visits.days(FIRST_DAY, 1, 6)
    with store.reading() as session:
        victim = session.get(Settlement, settled[0])
        assert victim is not None
        psn_no = session.get(Person, victim.person_id).psn_no  # type: ignore[union-attr]
    httpx.post(f"{agency.url}/_admin/config", json={"reject": [psn_no]})
    with relay_for(store, agency.url, roster_max_age=dt.timedelta(0)) as relay:
        report = relay.run()
    with store.reading() as session:
        people = session.scalar(select(func.count()).select_from(Person))
        stale = session.scalars(select(Person.id).where(Person.roster_updated_at < report.started_at)).all()
    assert stale == [victim.person_id]  # everyone else was refreshed; the person with a set-aside row was not
    assert report.refreshed_people == (people or 0) - 1


def test_a_visit_without_a_diagnosis_is_set_aside_saying_so_and_the_others_go_through(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    before = visits.settle(FIRST_DAY, facility="T01")
    undiagnosed = visits.settle(FIRST_DAY, facility="T01", diagnosed=False)
    after = visits.settle(FIRST_DAY, facility="T01")
    report = relay.run()
    assert report.ran_through
    assert report.exit_status == 5
    (aside,) = report.set_aside
    assert aside.settlement_id == undiagnosed
    assert "no diagnosis" in aside.error
    assert "2203" in aside.error
    with store.reading() as session:
        sent = {session.get(Settlement, s).msgid for s in (before, after)}  # type: ignore[union-attr]
    assert {b["msgid"] for b in agency_settlements(agency)} == sent
