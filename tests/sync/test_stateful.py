"""Settle, send, lose answers, retry, reverse and restart in any order, against an agency that
changes how it behaves between syncs (refusing repeated msgids, answering in other spellings,
answering unreadably): the agency never books a settlement twice, no settlement it booked is
ever marked refused, and once the line is good everything that stands is booked exactly once."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import shutil
import tempfile
from pathlib import Path
from typing import TypeVar

import httpx
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import select

from db.models import Accumulator, OutboxEntry, Person, Settlement
from db.session import open_store
from desktop.money import to_fen
from desktop.settlement import reverse
from desktop.sync import AgencyClient, FixedCredentials, outbox
from tests.sync.helpers import (
    FIRST_DAY,
    PEOPLE,
    SECRETS,
    Crash,
    CrashingRelay,
    Visits,
    agency_figures,
    agency_settlements,
    copy_store,
    relay_for,
    start_agency,
    template_store,
)
from tests.sync.test_relay import LoseSettlementAnswers

T = TypeVar("T")
NEVER_STALE = dt.timedelta(days=3650)  # the roster refresh only at the end: keeps each step short


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="sync-machine-"))
        self.path = self.folder / "clinic.sqlite3"
        self.store = copy_store(template_store(), self.path)
        self.agency = start_agency(self.folder / "agency.sqlite3", [self.store])
        self.visits = Visits(self.store, random.Random(0))
        self.settled: list[int] = []
        self.reversed: set[int] = set()
        self.day = FIRST_DAY

    def _configure(self, **values: object) -> None:
        httpx.post(f"{self.agency.url}/_admin/config", json=values).raise_for_status()

    @rule(
        person=st.integers(min_value=1, max_value=PEOPLE),
        facility=st.sampled_from(["T01", "V01", "V02"]),
        next_day=st.booleans(),
    )
    def settle(self, person: int, facility: str, next_day: bool) -> None:
        if next_day:
            self.day += dt.timedelta(days=1)
        found = self.visits.settle(self.day, person=person, facility=facility)
        if found is not None:
            self.settled.append(found)

    @rule(
        refuse=st.booleans(),
        style=st.sampled_from(["standard", "compact"]),
        garble=st.sampled_from([0.0, 0.0, 0.5]),
    )
    def behave_otherwise(self, refuse: bool, style: str, garble: float) -> None:
        """Another agency's habits from now on (until the next change)."""
        self._configure(refuse_repeats=refuse, answer_style=style, garble_rate=garble)

    @rule(fail=st.sampled_from([0.0, 0.3, 1.0]), drop=st.sampled_from([0.0, 0.3, 1.0]), seed=st.integers(0, 99))
    def send(self, fail: float, drop: float, seed: int) -> None:
        self._configure(fail_rate=fail, drop_after_commit_rate=drop, seed=seed)
        with relay_for(self.store, self.agency.url, timeout=1.0, give_up_after=4, roster_max_age=NEVER_STALE) as relay:
            relay.run()

    @rule()
    def lose_settlement_answers(self) -> None:
        self._configure(fail_rate=0.0, drop_after_commit_rate=0.0)
        relay = relay_for(self.store, self.agency.url, give_up_after=1, roster_max_age=NEVER_STALE)
        relay.client.close()
        relay.client = AgencyClient(
            self.agency.url, FixedCredentials(SECRETS), http=httpx.Client(transport=LoseSettlementAnswers())
        )
        with relay:
            relay.run()

    @rule(after=st.integers(min_value=1, max_value=12))
    def crash_mid_sync(self, after: int) -> None:
        """The process dies after ``after`` calls: the answers it held in memory are lost."""
        self._configure(fail_rate=0.0, drop_after_commit_rate=0.0)
        relay = CrashingRelay.made(self.store, self.agency.url, after)
        with relay, contextlib.suppress(Crash):
            relay.run()
        self.restart()

    @precondition(lambda self: len(self.reversed) < len(self.settled))
    @rule(data=st.data())
    def reverse_one(self, data: st.DataObject) -> None:
        standing = [s for s in self.settled if s not in self.reversed]
        chosen = data.draw(st.sampled_from(standing))
        reverse(self.store, chosen, "录入错误", staff_id=1, now=dt.datetime.now(dt.UTC))
        self.reversed.add(chosen)

    @rule()
    def restart(self) -> None:
        self.store.dispose()
        self.store = open_store(self.path)
        self.visits.store = self.store

    @invariant()
    def never_booked_twice(self) -> None:
        """One clinic visit stands booked at most once, whatever its registrations and msgids; what
        the agency booked under a msgid of ours is never marked refused here."""
        booked = agency_settlements(self.agency)
        standing = [(b["fixmedins_code"], b["chrg_bchno"]) for b in booked if b["status"] == "booked"]
        assert len(standing) == len(set(standing))
        with self.store.reading() as session:
            local = set(session.scalars(select(Settlement.msgid)))
            earlier = {m for row in session.scalars(select(OutboxEntry.previous_msgids)) for m in row.split()}
            status = dict(session.execute(select(Settlement.msgid, Settlement.status)).all())
        assert {b["msgid"] for b in booked} <= local | earlier
        assert all(status.get(b["msgid"]) != "rejected" for b in booked if b["status"] == "booked")

    def teardown(self) -> None:
        try:
            self._everything_stands_once_the_line_is_good()
        finally:
            self.agency.stop()
            self.store.dispose()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _everything_stands_once_the_line_is_good(self) -> None:
        self._configure(fail_rate=0.0, drop_after_commit_rate=0.0, garble_rate=0.0)
        with self.store.reading() as session:  # what was left for staff (unreadable three times) goes again
            aside = list(session.scalars(select(OutboxEntry.id).where(OutboxEntry.state == "set_aside")))
        outbox.retry(self.store, aside, staff_id=1, now=dt.datetime.now(dt.UTC))
        with relay_for(self.store, self.agency.url, roster_max_age=dt.timedelta(0)) as relay:
            report = relay.run()
        assert report.complete
        assert report.waiting == 0
        assert not report.set_aside
        at_agency = {b["msgid"]: b["status"] for b in agency_settlements(self.agency)}
        with self.store.reading() as session:
            for settlement in session.scalars(select(Settlement)):
                status = at_agency.get(settlement.msgid)
                earlier = session.scalars(
                    select(OutboxEntry.previous_msgids).where(OutboxEntry.settlement_id == settlement.id)
                ).all()
                for msgid in " ".join(earlier).split():  # each msgid given up was undone, or never booked
                    assert at_agency.get(msgid) in (None, "reversed")
                if settlement.status == "void":  # reversed before the agency knew, or undone by 2601
                    assert status in (None, "reversed")
                elif settlement.id in self.reversed:
                    assert status == "cancelled"
                else:
                    assert status == "booked"
            for person in session.scalars(select(Person)):
                local = session.get(Accumulator, (person.id, FIRST_DAY.year))
                theirs = agency_figures(self.agency, person.psn_no, FIRST_DAY.year)
                mine = (0, 0) if local is None else (local.deductible_met_fen, local.fund_paid_fen)
                assert mine == (to_fen(theirs["deductible_met"]), to_fen(theirs["fund_paid"]))


SyncMachine.TestCase.settings = settings(
    max_examples=8,
    stateful_step_count=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestSyncMachine = SyncMachine.TestCase
