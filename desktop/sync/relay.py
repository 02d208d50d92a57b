"""The relay: drains the outbox to the agency in order, and brings back what the agency knows.

One ``run`` is one full sync:

1. settlements the clinic reversed before the agency booked them send their reversal as
   2601 naming the 2207's msgid: whether that 2207 was booked (its answer lost, or held
   by a sync that crashed) cannot be known here, and 2601 undoes it if so and bars it if
   not. The settlement's other rows are then void;
2. every pending row is sent in id order (a settlement's 2201 → 2203 → 2204 → 2207,
   a reversal's 2208), under the msgid stored with it before any send. A row the agency
   refuses is set aside with its error and holds back only its own settlement's rows; a
   facility whose sign-in is refused holds back only its own rows;
3. the people whose settlements were booked, and then those whose standing was read
   longest ago, get their year-to-date figures and account balance from the agency
   (5206, 1101); every facility, insurance and clearing division with bookings since it
   was last reconciled is reconciled for their period (3201); the catalogue is
   downloaded once a day, and the policy files the agency publishes whenever they change.

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
from pathlib import Path
from typing import TypeVar

import httpx
from sqlalchemy import Connection, select

from db.models import Facility, Person, Setting
from db.session import Store
from desktop.agency import AgencyRefusedError, Reply, Sender
from desktop.agency.messages import Message
from desktop.agency.msgid import CHINA
from desktop.agency.wire import ProtocolError
from desktop.policy import default_book
from desktop.privacy import mask_numbers_in
from desktop.sync import outbox
from desktop.sync.answers import Answer, read_answer
from desktop.sync.backoff import Backoff
from desktop.sync.catalogue import download_catalogue
from desktop.sync.client import AgencyBusy, AgencyClient, AgencyUnreachable, OutcomeUnknown, is_session_lost, utc_now
from desktop.sync.diagnoses import download_diagnoses
from desktop.sync.lease import Lease
from desktop.sync.reconcile import periods_to_reconcile, reconcile
from desktop.sync.refresh import refresh_person
from desktop.sync.report import SetAside, SyncReport
from desktop.sync.sessions import Operator, Place, Sessions
from desktop.sync.visits import VisitFacts, load_visits, message_for, reversal

log = logging.getLogger("clinic.sync")
T = TypeVar("T")

LAST_SUCCESS_KEY = "sync.last_success"
BATCH = 64  # rows read, and answers written, at a time
RETRYABLE = (AgencyUnreachable, OutcomeUnknown, AgencyBusy)
LEASE_RENEWAL = dt.timedelta(minutes=1)


class GaveUp(Exception):  # noqa: N818 — the run ends here, offline; not a fault
    """The agency failed ``give_up_after`` times in a row."""


class Stopped(Exception):  # noqa: N818
    """Asked to stop (the window is closing)."""


class SignInRefused(Exception):  # noqa: N818
    """The agency refused a facility's 9001: its rows wait, the other facilities' go on."""


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
        self._leased_at = clock()
        self._failures = 0
        self._answers: list[Answer] = []
        self._refused_sign_in: dict[str, str] = {}  # facility code → the agency's words, this run
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
        self._failures = 0
        self._refused_sign_in = {}
        self._renew_lease(force=True)
        try:
            self._reverse_unbooked()
            booked = self._drain()
            self._refresh(booked)
            self._refresh_stale(set(booked))
            self._reconcile()
            self._download_catalogue()
            self._download_policies()
            self._sign_out()
            report.complete = not self._refused_sign_in
            if report.complete:
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
            self._renew_lease()
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

    def _renew_lease(self, *, force: bool = False) -> None:
        now = self.clock()
        if force or now - self._leased_at >= LEASE_RENEWAL:
            self.lease.take(now)
            self._leased_at = now

    def _call(self, place: Place, message: Message, insuplc_admdvs: str = "") -> Reply:
        """A signed-in call outside the outbox; a lost session is signed in again once."""
        return self._in_session(place, lambda sender, msgid: self.client.send(sender, message, msgid, insuplc_admdvs))

    def _in_session(
        self,
        place: Place,
        send: Callable[[Sender, str], Reply],
        msgid: str | None = None,
        on_failure: Callable[[Exception], None] | None = None,
    ) -> Reply:
        """``send(sender, msgid)`` in the facility's session, retried while the agency is silent;
        a session the agency forgot is signed in again, once. ``SignInRefused`` when 9001 is."""
        for again in (False, True):
            sender = self.sessions.sender(place, self._sign_no(place))
            chosen = msgid or self.sessions.msgid(place.fixmedins_code)
            try:
                return self._attempt(functools.partial(send, sender, chosen), on_failure)
            except AgencyRefusedError as exc:
                if again or not is_session_lost(exc.err_msg):
                    raise
                self.sessions.forget(place.fixmedins_code)
        raise AssertionError("unreachable")

    def _sign_no(self, place: Place) -> str:
        refused = self._refused_sign_in.get(place.fixmedins_code)
        if refused is not None:
            raise SignInRefused(refused)
        try:
            return self.sessions.sign_no(place)
        except AgencyRefusedError as exc:
            why = f"the agency refused {place.fixmedins_code}'s sign-in (9001): {mask_numbers_in(exc.err_msg)}"
            self._refused_sign_in[place.fixmedins_code] = why
            self._report.notes.append(why)
            raise SignInRefused(why) from None

    # --- step 1: reversed before booked -------------------------------------------------

    def _reverse_unbooked(self) -> None:
        with self.store.reading() as session:
            found = outbox.reversed_unbooked(session.connection())
            facts = load_visits(session.connection(), [row.settlement_id for row in found])
        for row in found:
            visit = facts[row.settlement_id]
            with self.store.write_connection() as connection:
                outbox.send_as_2601(connection, row.entry_id)  # stored as 2601 before the first send
            try:
                reply = self._send_row(row.entry_id, row.msgid, visit, reversal(visit))
            except SignInRefused:
                continue
            except AgencyRefusedError as exc:
                self._set_aside(row.entry_id, visit, f"2601 reversal refused: {exc.err_msg}")
                continue
            except ProtocolError as exc:
                self._set_aside(row.entry_id, visit, f"cannot send 2601: {_unsendable(exc)}")
                continue
            answer = {"warn_msg": reply.warn_msg} if reply.warn_msg else {}
            why = "reversed at the counter before the agency booked it: its 2207 undone or barred by 2601"
            with self.store.write_connection() as connection:
                if outbox.mark_done(connection, row.entry_id, self.clock(), answer):
                    outbox.mark_void(connection, row.settlement_id, self.clock(), why)
            self._report.reversed_by_2601.append(visit.settlement_msgid)
            self._report.voided.append(row.settlement_id)

    def _send_row(self, entry_id: int, msgid: str, visit: VisitFacts, message: Message) -> Reply:
        """One outbox row under its stored msgid; failures counted on the row as they happen."""

        def failed(exc: Exception) -> None:
            unknown = True if isinstance(exc, OutcomeUnknown) else None
            with self.store.write_connection() as connection:
                outbox.mark_sent(connection, entry_id, self.clock(), unknown=unknown, error=str(exc))

        def send(session: Sender, chosen: str) -> Reply:
            # The envelope names the staff who settled, in the sync's session.
            return self.client.send(visit.sender(session.sign_no), message, chosen, visit.insuplc_admdvs)

        return self._in_session(place_of(visit), send, msgid, failed)

    # --- step 2: the outbox in order ----------------------------------------------------

    def _drain(self) -> dict[int, set[int]]:
        """Send what is pending; the people booked or cancelled, with the years of their visits."""
        booked: dict[int, set[int]] = {}
        after = 0
        while True:
            self._flush()  # the next batch reads what this one learnt
            with self.store.reading() as session:
                connection = session.connection()
                entries = outbox.next_entries(connection, after, BATCH)
                facts = load_visits(connection, {e.settlement_id for e in entries})
            if not entries:
                return booked
            held: set[int] = set()
            for entry in entries:
                after = entry.id
                visit = facts[entry.settlement_id]
                if entry.settlement_id in held or entry.infno == "2601":  # 2601s go first, in step 1
                    continue
                if not self._deliver(entry, visit, facts):
                    held.add(entry.settlement_id)
                elif entry.infno in ("2207", "2208"):
                    booked.setdefault(visit.person_id, set()).add(visit.visit_date.year)

    def _deliver(self, entry: outbox.Entry, visit: VisitFacts, facts: dict[int, VisitFacts]) -> bool:
        """Send one row and keep its answer; False when the settlement's later rows must wait."""
        try:
            message = message_for(entry.infno, visit)
        except ProtocolError as exc:
            self._set_aside(entry.id, visit, f"cannot build {entry.infno}: {exc}")
            return False
        try:
            reply = self._send_row(entry.id, entry.msgid, visit, message)
        except SignInRefused:
            return False  # left pending: the facility's sign-in is what is wrong
        except AgencyRefusedError as exc:
            self._set_aside(entry.id, visit, exc.err_msg)
            return False
        except ProtocolError as exc:  # the envelope lacks a field the interface requires
            self._set_aside(entry.id, visit, f"cannot send {entry.infno}: {_unsendable(exc)}")
            return False
        try:
            answer = read_answer(entry.id, entry.infno, entry.msgid, visit, reply)
        except ProtocolError as exc:
            self._set_aside(entry.id, visit, f"the agency's answer to {entry.infno} cannot be used: {exc}")
            return False
        self._keep(answer)
        facts[entry.settlement_id] = visit.with_agency_ids(mdtrt_id=answer.mdtrt_id, setl_id=answer.setl_id)
        return True

    def _keep(self, answer: Answer) -> None:
        report = self._report
        report.sent[answer.infno] = report.sent.get(answer.infno, 0) + 1
        if answer.differs:
            report.differences.append(answer.settlement_id)
        self._answers.append(answer)
        if len(self._answers) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self._answers:
            return
        now = self.clock()
        with self.store.write_connection() as connection:
            for answer in self._answers:
                answer.apply(connection, now)
        self._answers.clear()

    def _set_aside(self, entry_id: int, visit: VisitFacts, error: str) -> None:
        error = mask_numbers_in(error)  # the agency's words may name the person
        log.warning("outbox row %d (settlement %d) set aside: %s", entry_id, visit.settlement_id, error)
        self._flush()
        with self.store.write_connection() as connection:
            outbox.mark_set_aside(connection, entry_id, visit.settlement_id, self.clock(), error)
        self._report.set_aside.append(SetAside(entry_id, visit.settlement_id, error))

    # --- step 3: what the agency knows ---------------------------------------------------

    def _refresh(self, people: dict[int, set[int]]) -> None:
        place = self._home_place()
        if place is not None:
            for person_id, years in people.items():
                self._refresh_one(place, person_id, years)

    def _refresh_stale(self, done: set[int]) -> None:
        """Roster changes: the people whose standing was read longest ago, a few hundred a run.

        Other clinics book the same patients; only the agency's figures count them all.
        People with something still waiting are left for later (their figures would be
        wrong without it), so they cannot take every place in the queue.
        """
        place = self._home_place()
        if place is None:
            return
        cutoff = self.clock() - self.roster_max_age
        with self.store.reading() as session:
            stale = session.scalars(
                select(Person.id)
                .where(Person.roster_updated_at <= cutoff, Person.id.not_in(outbox.people_waiting()))
                .order_by(Person.roster_updated_at, Person.id)
                .limit(self.stale_per_run + len(done))
            ).all()
        year = self.clock().astimezone(CHINA).year
        for person_id in [p for p in stale if p not in done][: self.stale_per_run]:
            self._refresh_one(place, person_id, {year})

    def _refresh_one(self, place: Place, person_id: int, years: set[int]) -> None:
        try:
            refreshed = refresh_person(self.store, self._call, place, person_id, years, self.clock())
        except (AgencyRefusedError, ProtocolError, SignInRefused) as exc:
            self._report.notes.append(f"person {person_id}: the agency's figures could not be read: {exc}")
            return
        if refreshed is not None:
            self._report.refreshed_people += 1
            self._report.refreshed_changed += refreshed.changed

    def _reconcile(self) -> None:
        def call(place: Place, message: Message) -> tuple[Reply, str]:
            msgid = self.sessions.msgid(place.fixmedins_code)
            return self._in_session(place, lambda s, m: self.client.send(s, message, m), msgid), msgid

        with self.store.reading() as session:
            periods = periods_to_reconcile(session.connection())
        for group, (begin, end) in periods:
            try:
                result = reconcile(self.store, call, group, begin, end, self.clock())
            except (AgencyRefusedError, ProtocolError, SignInRefused) as exc:
                self._report.notes.append(f"reconciliation of {group.facility_id} {group.insutype}: {exc}")
                continue
            self._report.reconciliations.append(result)

    def _download_catalogue(self) -> None:
        place = self._home_place()
        if place is None:
            return
        try:
            lines = download_catalogue(self.store, self._call, place, self.clock(), self.catalogue_every)
            lines += download_diagnoses(self.store, self._call, place, self.clock(), self.catalogue_every)
        except (AgencyRefusedError, ProtocolError, SignInRefused) as exc:
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
            return home_place(session.connection())

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


def _unsendable(exc: ProtocolError) -> str:
    """What a clerk can act on, for a record the interface cannot carry as it stands."""
    if exc.field == "input.diseinfo":
        return "the visit has no diagnosis, and the agency takes no visit without one (2203 diseinfo)"
    if exc.field.startswith("input.diseinfo"):
        return (
            "a diagnosis of the visit has no ICD-10 code or name, and the agency takes none without "
            f"(2203 {exc.field.removeprefix('input.')})"
        )
    return str(exc)


def home_place(connection: Connection) -> Place | None:
    """This installation's own facility, which signs in for downloads and queries."""
    home = connection.execute(select(Setting.value).where(Setting.key == "facility_id")).scalar()
    row = connection.execute(select(Facility.code, Facility.name, Facility.admdvs).where(Facility.id == home)).first()
    return None if row is None else Place(row.code, row.name, row.admdvs)
