"""The relay: drains the outbox to the agency in order, and brings back what the agency knows.

One ``run`` is one full sync:

1. settlements the clinic reversed before the agency booked them need nothing sent,
   except where a 2207 went out and its outcome is unknown: that one is undone by 2601;
2. every pending row is sent in id order (a settlement's 2201 → 2203 → 2204 → 2207,
   a reversal's 2208), under the msgid stored with it before any send. A row the agency
   refuses is set aside with its error and holds back only its own settlement's rows;
3. the people whose settlements were booked, and then those whose standing was read
   longest ago, get their year-to-date figures and account balance from the agency
   (5206, 1101); each facility, insurance and clearing division touched is reconciled
   for the period touched (3201); the catalogue is downloaded once a day, and the
   policy parameter files the agency publishes whenever they change.

Connectivity is found by trying. A failed call is retried after an exponential, capped,
jittered wait; after ``give_up_after`` failures in a row the run ends, offline, with
everything it learnt stored. What the agency answered is written in small batches: a
crash loses at most a batch of answers, and sending those msgids again gets the same
answers back from the agency, booking nothing twice.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx
from sqlalchemy import Connection, select, true

from db.models import Facility, Person, Setting
from db.session import Store
from desktop.agency import AgencyRefusedError, Reply, Sender
from desktop.agency.messages import Message
from desktop.agency.msgid import CHINA
from desktop.agency.wire import ProtocolError
from desktop.policy import default_book
from desktop.sync import outbox
from desktop.sync.answers import Booked, read_answer
from desktop.sync.backoff import Backoff
from desktop.sync.catalogue import download_catalogue
from desktop.sync.client import AgencyBusy, AgencyClient, AgencyUnreachable, OutcomeUnknown, is_session_lost, utc_now
from desktop.sync.lease import Lease
from desktop.sync.reconcile import Group, Reconciled, reconcile
from desktop.sync.refresh import refresh_person
from desktop.sync.report import SetAside, SyncReport
from desktop.sync.sessions import Operator, Place, Sessions
from desktop.sync.visits import VisitFacts, load_visits, message_for, reversal

log = logging.getLogger("clinic.sync")
T = TypeVar("T")

LAST_SUCCESS_KEY = "sync.last_success"
BATCH = 64  # rows read, and answers written, at a time
RETRYABLE = (AgencyUnreachable, OutcomeUnknown, AgencyBusy)


class GaveUp(Exception):  # noqa: N818 — the run ends here, offline; not a fault
    """The agency failed ``give_up_after`` times in a row."""


class Stopped(Exception):  # noqa: N818
    """Asked to stop (the window is closing)."""


@dataclass
class _Touched:
    """What this run booked, for the refresh and the reconciliation after the drain."""

    people: dict[int, set[int]] = field(default_factory=dict)  # person → years
    places: dict[int, Place] = field(default_factory=dict)  # person → where they were seen
    periods: dict[Group, tuple[dt.date, dt.date]] = field(default_factory=dict)

    def add(self, facts: VisitFacts) -> None:
        self.people.setdefault(facts.person_id, set()).add(facts.visit_date.year)
        self.places[facts.person_id] = place_of(facts)
        group = Group(facts.facility_id, facts.insutype, facts.insuplc_admdvs)
        begin, end = self.periods.get(group, (facts.visit_date, facts.visit_date))
        self.periods[group] = (min(begin, facts.visit_date), max(end, facts.visit_date))


def place_of(facts: VisitFacts) -> Place:
    return Place(facts.fixmedins_code, facts.fixmedins_name, facts.admdvs)


class Relay:
    def __init__(
        self,
        store: Store,
        client: AgencyClient,
        operator: Operator,
        *,
        backoff: Backoff | None = None,
        give_up_after: int = 8,
        clock: Callable[[], dt.datetime] = utc_now,
        rng: random.Random | None = None,
        stop: threading.Event | None = None,
        catalogue_every: dt.timedelta = dt.timedelta(days=1),
        roster_max_age: dt.timedelta = dt.timedelta(days=1),
        stale_per_run: int = 200,
        policy_dir: Path | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.backoff = backoff or Backoff()
        self.give_up_after = give_up_after
        self.clock = clock
        self.rng = rng or random.Random()  # noqa: S311 — jitter, not secrets
        self.stop = stop or threading.Event()
        self.catalogue_every = catalogue_every
        self.roster_max_age = roster_max_age
        self.stale_per_run = stale_per_run
        self.policy_dir = policy_dir
        self.sessions = Sessions(store, operator, self._post, clock)
        self.lease = Lease(store)
        self._failures = 0
        self._answers: list[Booked] = []
        self._report = SyncReport(started_at=clock())

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Relay:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- one run ------------------------------------------------------------------

    def run(self) -> SyncReport:
        """One full sync; ``SyncBusyError`` when another one holds the store, ``CredentialsError``
        when a facility's secret cannot be had (nothing is sent unsigned)."""
        self._report = report = SyncReport(started_at=self.clock())
        touched = _Touched()
        self.lease.take(self.clock())
        try:
            self._void_superseded()
            self._drain(touched)
            self._refresh(touched)
            self._refresh_stale(set(touched.people))
            self._reconcile(touched)
            self._download_catalogue()
            self._download_policies()
            self._sign_out()
            report.complete = True
            self._mark_success()
        except GaveUp as exc:
            report.online = False
            report.last_error = str(exc)
        except Stopped:
            report.last_error = "stopped"
        finally:
            self._flush()
            self.lease.release()
            with self.store.reading() as session:
                figures = outbox.counts(session.connection())
            report.waiting = figures.get(outbox.PENDING, 0)
            report.set_aside_total = figures.get(outbox.SET_ASIDE, 0)
            report.finished_at = self.clock()
        return report

    # --- calls with retries ---------------------------------------------------------

    def _post(self, sender: Sender, message: Message, msgid: str, insuplc_admdvs: str = "") -> Reply:
        return self._attempt(lambda: self.client.send(sender, message, msgid, insuplc_admdvs))

    def _attempt(self, action: Callable[[], T], on_failure: Callable[[Exception], None] | None = None) -> T:
        """``action`` until the agency answers; a refusal passes through, silence is waited out."""
        while True:
            if self.stop.is_set():
                raise Stopped
            try:
                result = action()
            except RETRYABLE as exc:
                self._failures += 1
                self._report.failed_calls += 1
                self._report.online = not isinstance(exc, AgencyUnreachable)
                if on_failure is not None:
                    on_failure(exc)
                log.info("agency call failed (%d in a row): %s", self._failures, exc)
                if self._failures >= self.give_up_after:
                    raise GaveUp(str(exc)) from None
                self._flush()  # what is known is on disk before waiting
                if self.stop.wait(self.backoff.delay(self._failures, self.rng)):
                    raise Stopped from None
                continue
            except AgencyRefusedError:
                self._failures = 0
                self._report.online = True
                raise
            self._failures = 0
            self._report.online = True
            return result

    def _call(self, place: Place, message: Message, insuplc_admdvs: str = "") -> Reply:
        """A signed-in call outside the outbox; a lost session is signed in again once."""
        try:
            return self.sessions.call(place, message, insuplc_admdvs)
        except AgencyRefusedError as exc:
            if not is_session_lost(exc.err_msg):
                raise
            self.sessions.forget(place.fixmedins_code)
            return self.sessions.call(place, message, insuplc_admdvs)

    # --- step 1: reversed before booked -------------------------------------------------

    def _void_superseded(self) -> None:
        with self.store.reading() as session:
            found = outbox.superseded(session.connection())
            facts = load_visits(session.connection(), [settlement for settlement, _, _ in found])
        for settlement_id, entry_id, may_be_booked in found:
            visit = facts[settlement_id]
            if may_be_booked:
                try:
                    self._call(place_of(visit), reversal(visit), visit.insuplc_admdvs)
                except AgencyRefusedError as exc:
                    self._set_aside(entry_id, visit, f"2601 reversal refused: {exc.err_msg}")
                    continue
                why = "reversed at the counter; the 2207 whose answer was lost is undone by 2601"
                self._report.reversed_by_2601.append(visit.settlement_msgid)
            else:
                why = "reversed at the counter before the agency booked it: nothing to send"
            with self.store.write_connection() as connection:
                outbox.mark_void(connection, settlement_id, self.clock(), why)
            self._report.voided.append(settlement_id)

    # --- step 2: the outbox in order ----------------------------------------------------

    def _drain(self, touched: _Touched) -> None:
        after = 0
        while True:
            self._flush()  # the next batch reads what this one learnt
            with self.store.reading() as session:
                connection = session.connection()
                entries = outbox.next_entries(connection, after, BATCH)
                facts = load_visits(connection, {e.settlement_id for e in entries})
            if not entries:
                return
            blocked: set[int] = set()
            for entry in entries:
                after = entry.id
                if entry.settlement_id in blocked:
                    continue
                if not self._deliver(entry, facts, touched):
                    blocked.add(entry.settlement_id)

    def _deliver(self, entry: outbox.Entry, facts: dict[int, VisitFacts], touched: _Touched) -> bool:
        """Send one row and keep its answer; False when it is set aside."""
        visit = facts[entry.settlement_id]
        try:
            message = message_for(entry.infno, visit)
        except ProtocolError as exc:
            self._set_aside(entry.id, visit, f"cannot build {entry.infno}: {exc}")
            return False

        def failed(exc: Exception) -> None:
            unknown = True if isinstance(exc, OutcomeUnknown) else None
            with self.store.write_connection() as connection:
                outbox.mark_sent(connection, entry.id, self.clock(), unknown=unknown, error=str(exc))

        place = place_of(visit)
        for _ in range(2):  # a second time only after signing in again
            sender = visit.sender(self.sessions.sign_no(place))
            try:
                send = functools.partial(self.client.send, sender, message, entry.msgid, visit.insuplc_admdvs)
                reply = self._attempt(send, failed)
                break
            except AgencyRefusedError as exc:
                if is_session_lost(exc.err_msg):
                    self.sessions.forget(place.fixmedins_code)
                    continue
                self._set_aside(entry.id, visit, exc.err_msg)
                return False
        else:
            self._set_aside(entry.id, visit, "the agency refused the session twice")
            return False
        try:
            booked = read_answer(entry.id, entry.infno, entry.msgid, visit, reply)
        except ProtocolError as exc:
            self._set_aside(entry.id, visit, f"the agency's answer to {entry.infno} cannot be used: {exc}")
            return False
        self._keep(booked)
        facts[entry.settlement_id] = visit.knowing(mdtrt_id=booked.mdtrt_id, setl_id=booked.setl_id)
        if entry.infno in ("2207", "2208"):
            touched.add(visit)
        return True

    def _keep(self, booked: Booked) -> None:
        report = self._report
        report.sent[booked.infno] = report.sent.get(booked.infno, 0) + 1
        if booked.differs:
            report.differences.append(booked.settlement_id)
        self._answers.append(booked)
        if len(self._answers) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self._answers:
            return
        now = self.clock()
        with self.store.write_connection() as connection:
            for booked in self._answers:
                booked.apply(connection, now)
        self._answers.clear()
        self.lease.take(now)  # a long drain keeps its lease

    def _set_aside(self, entry_id: int, visit: VisitFacts, error: str) -> None:
        log.warning("outbox row %d (settlement %d) set aside: %s", entry_id, visit.settlement_id, error)
        self._flush()
        with self.store.write_connection() as connection:
            outbox.mark_set_aside(connection, entry_id, visit.settlement_id, self.clock(), error)
        self._report.set_aside.append(SetAside(entry_id, visit.settlement_id, error))

    # --- step 3: what the agency knows ---------------------------------------------------

    def _refresh(self, touched: _Touched) -> None:
        self._flush()
        for person_id, years in touched.people.items():
            place = touched.places[person_id]
            try:
                refreshed = refresh_person(self.store, self._call, place, person_id, years, self.clock())
            except (AgencyRefusedError, ProtocolError) as exc:
                self._report.notes.append(f"person {person_id}: the agency's figures could not be read: {exc}")
                continue
            if refreshed is not None:
                self._report.refreshed_people += 1
                self._report.refreshed_changed += refreshed.changed

    def _refresh_stale(self, done: set[int]) -> None:
        """Roster changes: the people whose standing was read longest ago, a few hundred a run.

        Other clinics book the same patients; only the agency's figures count them all.
        """
        place = self._home_place()
        if place is None:
            return
        cutoff = self.clock() - self.roster_max_age
        with self.store.reading() as session:
            stale = (
                session.execute(
                    select(Person.id)
                    .where(Person.roster_updated_at <= cutoff, Person.id.not_in(done) if done else true())
                    .order_by(Person.roster_updated_at, Person.id)
                    .limit(self.stale_per_run)
                )
                .scalars()
                .all()
            )
        year = self.clock().astimezone(CHINA).year
        for person_id in stale:
            try:
                refreshed = refresh_person(self.store, self._call, place, person_id, {year}, self.clock())
            except (AgencyRefusedError, ProtocolError) as exc:
                self._report.notes.append(f"person {person_id}: the agency's figures could not be read: {exc}")
                continue
            if refreshed is not None:
                self._report.refreshed_people += 1
                self._report.refreshed_changed += refreshed.changed

    def _reconcile(self, touched: _Touched) -> None:
        def call(place: Place, message: Message) -> tuple[Reply, str]:
            msgid = self.sessions.msgid(place.fixmedins_code)
            sender = self.sessions.sender(place, self.sessions.sign_no(place))
            return self._post(sender, message, msgid), msgid

        for group, (begin, end) in sorted(touched.periods.items(), key=lambda item: repr(item[0])):
            try:
                result: Reconciled = reconcile(self.store, call, group, begin, end, self.clock())
            except (AgencyRefusedError, ProtocolError) as exc:
                self._report.notes.append(f"reconciliation of {group.facility_id} {group.insutype}: {exc}")
                continue
            self._report.reconciliations.append(result)

    def _download_catalogue(self) -> None:
        place = self._home_place()
        if place is None:
            return
        try:
            lines = download_catalogue(self.store, self._call, place, self.clock(), self.catalogue_every)
        except (AgencyRefusedError, ProtocolError) as exc:
            self._report.notes.append(f"catalogue download: {exc}")
            return
        self._report.catalogue_lines += lines

    def _download_policies(self) -> None:
        if self.policy_dir is None:
            return
        try:
            update = self.client.download_policies(self.policy_dir)
        except (httpx.HTTPError, ValueError) as exc:
            self._report.notes.append(f"policy files: {exc}")
            return
        self._report.policies_installed.extend(update.installed)
        self._report.notes.extend(f"policy file refused: {why}" for why in update.refused)
        if update.installed:
            default_book.cache_clear()  # the next settlement reads the new versions
            with self.store.write_connection() as connection:
                outbox.audit(connection, self.clock(), None, "policies_from_agency", "policy", 0, update.installed)

    def _home_place(self) -> Place | None:
        with self.store.reading() as session:
            connection = session.connection()
            return home_place(connection)

    def _sign_out(self) -> None:
        with self.store.reading() as session:
            places = {
                row.code: Place(row.code, row.name, row.admdvs)
                for row in session.execute(select(Facility.code, Facility.name, Facility.admdvs))
            }
        try:
            self.sessions.sign_out_all(places)
        except AgencyRefusedError as exc:
            self._report.notes.append(f"sign-out: {exc.err_msg}")

    def _mark_success(self) -> None:
        with self.store.writing() as session:
            session.merge(Setting(key=LAST_SUCCESS_KEY, value=self.clock().isoformat()))


def home_place(connection: Connection) -> Place | None:
    """This installation's own facility, which signs in for downloads."""
    home = connection.execute(select(Setting.value).where(Setting.key == "facility_id")).scalar()
    row = connection.execute(select(Facility.code, Facility.name, Facility.admdvs).where(Facility.id == home)).first()
    return None if row is None else Place(row.code, row.name, row.admdvs)
