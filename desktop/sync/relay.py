"""The relay: drains the outbox to the agency in order, and brings back what the agency knows.

One ``run`` is one full sync:

1. the reviewed catalogue mappings each facility's agency does not hold yet go up (3301;
   a changed one is withdrawn first, 3302), before any fee line names them;
2. settlements the clinic reversed before the agency booked them send their reversal as
   2601 naming the 2207's msgid: whether that 2207 was booked (its answer lost, or held
   by a sync that crashed) cannot be known here, and 2601 undoes it if so and bars it if
   not. What the agency holds of the visit is then cancelled: its fee details (2205) and
   its registration (2202). The settlement's other rows are void;
3. every pending row is sent (a settlement's 2201 → 2203 → 2204 → 2207, a reversal's
   2208), under the msgid stored with it before any send. Several settlements travel at
   once (``workers``, over a few keep-alive connections), each settlement's rows in
   order, one after the other. A row the agency refuses is set aside with its error and
   holds back only its own settlement's rows; a facility whose sign-in is refused holds
   back only its own rows;
4. the people whose settlements were booked, and then those whose standing was read
   longest ago, get their year-to-date figures and account balance from the agency
   (5206, 1101); every facility, insurance and clearing division with bookings since it
   was last reconciled is reconciled for the days the agency booked them (3201); the
   catalogue is downloaded once a day, and the policy files the agency publishes whenever
   they change.

An unknown outcome is never a refusal. A row sent without a readable answer (a timeout, a
lost connection, an answer that says success but cannot be read) is asked again under
the same msgid: an agency that answers a repeated msgid from its books settles it so.
Where that does not (the agency refuses the msgid as a repeat, 报文ID重复, or its answer
cannot be read twice), whatever the msgid may have booked is undone first (2601 for a
2207 or 2208, 2205 for fee details; registrations and visit details book nothing that
needs undoing), and only once that answer is in does the row go again under a new msgid.

Connectivity is found by trying. A failed call is retried after an exponential, capped,
jittered wait; after ``give_up_after`` failures in a row the run ends, offline, with
everything it learnt stored. What the agency answered is written in small batches: a
crash loses at most a batch of answers, and sending those msgids again gets the same
answers back from the agency, or their outcome is settled as above.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import random
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
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
from desktop.sync import mappings, outbox
from desktop.sync.answers import Answer, read_answer
from desktop.sync.backoff import Backoff
from desktop.sync.catalogue import download_catalogue
from desktop.sync.client import (
    AgencyBusy,
    AgencyClient,
    AgencyUnreachable,
    OutcomeUnknown,
    RepeatedMsgid,
    is_session_lost,
    utc_now,
)
from desktop.sync.diagnoses import download_diagnoses
from desktop.sync.lease import Lease
from desktop.sync.reconcile import periods_to_reconcile, reconcile
from desktop.sync.refresh import refresh_person
from desktop.sync.report import MappingSetAside, SetAside, SyncReport
from desktop.sync.sessions import Operator, Place, Sessions
from desktop.sync.visits import VisitFacts, cancel_fees, load_visits, message_for, reversal

log = logging.getLogger("clinic.sync")
T = TypeVar("T")

LAST_SUCCESS_KEY = "sync.last_success"
BATCH = 64  # answers written at a time
CHUNK = 2048  # outbox rows read at a time
WORKERS = 8  # settlements in flight at once
RETRYABLE = (AgencyUnreachable, OutcomeUnknown, AgencyBusy)
LEASE_RENEWAL = dt.timedelta(minutes=1)
# How an unknown outcome is settled: what undoes what the msgid may have booked.
UNDO = {"2207": "2601", "2208": "2601", "2204": "2205"}
# Rows sent only in step 2, for settlements reversed before the agency booked them.
STEP_TWO = frozenset({"2601", "2205", "2202"})
MAX_RESOLUTIONS = 6  # new msgids one row may take before staff look at it
TRIES_PER_RUN = 12  # sends of one row in one run (readable answers end it sooner)
UNREADABLE = "unreadable answer:"
SIGN_IN_TRIES = 4  # unreadable 9001 answers before the facility's rows wait for the next sync


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
        workers: int = WORKERS,
    ) -> None:
        if workers < 1:
            raise ValueError("the relay needs at least one worker")
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
        self.workers = workers
        self.sessions = Sessions(store, operator, self._post, clock)
        self.lease = Lease(store)
        self._leased_at = clock()
        self._lock = threading.RLock()  # the report, the answers and the store's writes, among workers
        self._flushing = threading.Lock()  # one batch of answers written at a time, in the order kept
        self._failures = 0
        self._gave_up: str | None = None
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
        when a facility's key cannot be had (nothing is sent unsigned)."""
        self._report = report = SyncReport(started_at=self.clock())
        self._failures = 0
        self._gave_up = None
        self._refused_sign_in = {}
        self._renew_lease(force=True)
        try:
            with ThreadPoolExecutor(self.workers, thread_name_prefix="relay") as pool:
                self._upload_mappings(pool)
                self._reverse_unbooked()
                booked = self._drain(pool)
                self._refresh(pool, booked)  # people at once too: two queries each, on a slow line
                self._refresh_stale(pool, set(booked))
            self._reconcile()
            self._download_catalogue()
            self._download_policies()
            self._sign_out()
            report.ran_through = True
            if not self._refused_sign_in:
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
            report.outcome_unknown = figures.get(outbox.UNKNOWN, 0)
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
            if self._gave_up is not None:
                raise GaveUp(self._gave_up)
            self._renew_lease()
            try:
                result = action()
            except RepeatedMsgid:
                self._answered()
                raise
            except RETRYABLE as exc:
                failures = self._failed(exc)
                if on_failure is not None:
                    on_failure(exc)
                log.info("agency call failed (%d in a row): %s", failures, exc)
                if self._gave_up is not None:
                    raise GaveUp(self._gave_up) from None
                self._flush()  # what is known is on disk before waiting
                self._pause(self.backoff.delay(failures, self.rng))
                continue
            except AgencyRefusedError:
                self._answered()
                raise
            self._answered()
            return result

    def _failed(self, exc: Exception) -> int:
        with self._lock:
            self._failures += 1
            self._report.failed_calls += 1
            self._report.online = not isinstance(exc, AgencyUnreachable)
            if self._failures >= self.give_up_after and self._gave_up is None:
                self._gave_up = str(exc)
            return self._failures

    def _answered(self) -> None:
        with self._lock:
            self._failures = 0
            self._report.online = True

    def _pause(self, seconds: float) -> None:
        """Wait out a backoff; closing the window, or another worker giving up, cuts it short."""
        deadline = self.clock() + dt.timedelta(seconds=seconds)
        while self._gave_up is None:
            left = (deadline - self.clock()).total_seconds()
            if left <= 0:
                return
            if self.stop.wait(min(left, 0.2)):
                raise Stopped

    def _renew_lease(self, *, force: bool = False) -> None:
        now = self.clock()
        if not force and now - self._leased_at < LEASE_RENEWAL:
            return
        with self._lock:
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
        a session the agency forgot is signed in again, once. ``SignInRefused`` when 9001 is.
        A call of the relay's own (no ``msgid`` given) refused as a repeat takes another msgid."""
        for again in (False, True):
            sign_no = self._sign_no(place)
            sender = self.sessions.sender(place, sign_no)
            chosen = msgid or self.sessions.msgid(place.fixmedins_code)
            try:
                return self._attempt(functools.partial(send, sender, chosen), on_failure)
            except RepeatedMsgid:
                if msgid is not None or again:
                    raise
            except AgencyRefusedError as exc:
                if again or not is_session_lost(exc.err_msg):
                    raise
                self.sessions.forget(place.fixmedins_code, sign_no)
        raise AssertionError("unreachable")

    def _sign_no(self, place: Place) -> str:
        refused = self._refused_sign_in.get(place.fixmedins_code)
        if refused is not None:
            raise SignInRefused(refused)
        for _ in range(SIGN_IN_TRIES):
            try:
                return self.sessions.sign_no(place)
            except AgencyRefusedError as exc:
                why = f"the agency refused {place.fixmedins_code}'s sign-in (9001): {mask_numbers_in(exc.err_msg)}"
                with self._lock:
                    if place.fixmedins_code not in self._refused_sign_in:
                        self._refused_sign_in[place.fixmedins_code] = why
                        self._report.notes.append(why)
                raise SignInRefused(why) from None
            except (ProtocolError, RepeatedMsgid) as exc:  # an answer that cannot be read: sign in anew
                self._pause(self.backoff.delay(self._failed(exc), self.rng))
        raise SignInRefused(f"{place.fixmedins_code}'s sign-in (9001) could not be read {SIGN_IN_TRIES} times")

    # --- step 1: the catalogue mapping ----------------------------------------------------

    def _upload_mappings(self, pool: ThreadPoolExecutor) -> None:
        with self.store.reading() as session:
            due = mappings.uploads_due(session.connection())
        self._all_done([pool.submit(self._upload_one, one) for one in due])

    def _upload_one(self, due: mappings.Due) -> None:
        if self.stop.is_set():
            raise Stopped
        try:
            if due.withdraw is not None:
                withdrawal = due.withdrawal()
                self._in_session(due.place, lambda s, m: self.client.send(s, withdrawal, m))
                with self._writing() as connection:
                    mappings.withdrawn(connection, due, self.clock())
            if due.national_code is None:
                return
            upload = due.upload(mappings.today_in_china(self.clock()))
            msgid = due.msgid
            for _ in range(2):
                if msgid is None:
                    msgid = self.sessions.msgid(due.place.fixmedins_code)
                    with self._writing() as connection:
                        mappings.start(connection, due, msgid, self.clock())
                try:
                    self._in_session(due.place, lambda s, m: self.client.send(s, upload, m), msgid)
                    break
                except RepeatedMsgid:
                    msgid = None  # a mapping may be uploaded again: another msgid
            else:
                return
        except SignInRefused:
            return
        except (AgencyRefusedError, ProtocolError) as exc:
            error = mask_numbers_in(exc.err_msg if isinstance(exc, AgencyRefusedError) else str(exc))
            with self._writing() as connection:
                mappings.refuse(connection, due, error)
            with self._lock:
                self._report.mappings_set_aside.append(MappingSetAside(due.code, due.facility_id, error))
            return
        with self._writing() as connection:
            mappings.finish(connection, due, self.clock())
        with self._lock:
            self._report.mappings_uploaded += 1

    # --- step 2: reversed before booked -------------------------------------------------

    def _reverse_unbooked(self) -> None:
        with self.store.reading() as session:
            found = outbox.reversed_unbooked(session.connection())
            facts = load_visits(session.connection(), [row.settlement_id for row in found])
        for item in found:
            visit = facts[item.settlement_id]
            if not self._undo_unbooked(item, visit):
                continue
            why = (
                "reversed at the counter before the agency booked it: its 2207 undone or barred by 2601, "
                "what the agency held of the visit cancelled (2205, 2202)"
            )
            self._flush()
            with self._writing() as connection:
                outbox.mark_void(connection, item.settlement_id, self.clock(), why)
            with self._lock:
                self._report.voided.append(item.settlement_id)

    def _undo_unbooked(self, item: outbox.Unbooked, visit: VisitFacts) -> bool:
        """2601 for the 2207, then 2205 and 2202 for what the agency holds; True when all answered."""
        first = item.reversal_entry
        if not item.done(first.infno):
            if first.infno == "2208":
                with self._writing() as connection:
                    outbox.send_as_2601(connection, first.id)
                    first = outbox.entry(connection, first.id)
            if first.infno != "2601":
                self._set_aside(first.id, visit, "the reversal was sent as 2208 before its 2207 was booked", False)
                return False
            if self._deliver(first, visit) is None:
                return False
            with self._lock:
                self._report.reversed_by_2601.append(visit.settlement_msgid)
        for infno, needed in (("2205", item.done("2204")), ("2202", item.done("2201"))):
            if not needed or item.done(infno):
                continue
            row = item.cancels.get(infno)
            if row is None:
                msgid = self.sessions.msgid(visit.fixmedins_code)
                with self._writing() as connection:
                    created = outbox.add_cancel(connection, visit.settlement_id, first.id, infno, msgid, self.clock())
                    row = outbox.entry(connection, created)
            if self._deliver(row, visit) is None:
                return False
            self._flush()  # 2202 may only follow a 2205 the agency has answered
        return True

    # --- step 3: the outbox in order ----------------------------------------------------

    def _drain(self, pool: ThreadPoolExecutor) -> dict[int, set[int]]:
        """Send what is pending, several settlements at once; the people booked or cancelled,
        with the years of their visits."""
        booked: dict[int, set[int]] = {}
        held: set[int] = set()  # settlements whose rows stopped this run: their later rows wait
        after = 0
        while True:
            self._flush()  # the next chunk reads what this one learnt
            with self.store.reading() as session:
                connection = session.connection()
                entries = outbox.next_entries(connection, after, CHUNK)
                facts = load_visits(connection, {e.settlement_id for e in entries})
            if not entries:
                return booked
            after = entries[-1].id
            chains: dict[int, list[outbox.Entry]] = {}
            for entry in entries:
                if entry.infno == "2207" and facts[entry.settlement_id].reversed:
                    held.add(entry.settlement_id)  # reversed before booking: step 2 settles it, never a 2207
                if entry.settlement_id not in held and entry.infno not in STEP_TWO:
                    chains.setdefault(entry.settlement_id, []).append(entry)
            for settlement_id in held & chains.keys():
                del chains[settlement_id]
            futures = [pool.submit(self._deliver_chain, chain, facts[sid]) for sid, chain in chains.items()]
            for settlement_id, result in zip(chains, self._all_done(futures), strict=True):
                if result is None:
                    held.add(settlement_id)
                elif result:
                    visit = facts[settlement_id]
                    booked.setdefault(visit.person_id, set()).add(visit.visit_date.year)

    def _deliver_chain(self, chain: list[outbox.Entry], visit: VisitFacts) -> bool | None:
        """One settlement's rows in order: None when one stopped (the rest wait), else whether
        the agency booked or cancelled money in it."""
        moved = False
        for entry in chain:
            answer = self._deliver(entry, visit)
            if answer is None:
                return None
            visit = visit.with_agency_ids(mdtrt_id=answer.mdtrt_id, setl_id=answer.setl_id)
            if entry.infno == "2207" and answer.answer.get("msgid"):
                visit = replace(visit, settlement_msgid=str(answer.answer["msgid"]))
            moved |= entry.infno in ("2207", "2208")
        return moved

    def _all_done(self, futures: Iterable[Future[T]]) -> list[T]:
        """Each future's result, in order; the first GaveUp or Stopped (or fault) once all are in."""
        results: list[T] = []
        first: BaseException | None = None
        for future in futures:
            try:
                results.append(future.result())
            except BaseException as exc:
                first = first or exc
        if first is not None:
            raise first
        return results

    def _deliver(self, entry: outbox.Entry, visit: VisitFacts) -> Answer | None:
        """Send one row until its outcome is known and keep the answer; None when the settlement's
        later rows must wait (set aside, sign-in refused, or tried enough for this run)."""
        try:
            message = message_for(entry.infno, visit)
        except ProtocolError as exc:
            self._set_aside(entry.id, visit, f"cannot build {entry.infno}: {_unsendable(exc)}", False)
            return None
        unreadable_before = entry.outcome_unknown and entry.last_error.startswith(UNREADABLE)
        if entry.resolve_msgid is not None:  # an undo left half-way by an earlier sync: finish it first
            resolved = self._resolve(entry, visit, entry.last_error or "an earlier sync left it unknown")
            if resolved is None:
                return None
            entry, visit, message = resolved
        for _ in range(TRIES_PER_RUN):
            reply = self._sent(entry, visit, message)
            if isinstance(reply, RepeatedMsgid):
                resolved = self._resolve(entry, visit, str(reply))
                if resolved is None:
                    return None
                entry, visit, message = resolved
                continue
            if reply is None:
                return None
            try:
                answer = read_answer(entry.id, entry.infno, entry.msgid, visit, reply)
            except ProtocolError as exc:
                why = f"{UNREADABLE} the agency answered {entry.infno} {entry.msgid} with infcode 0 but {exc}"
                with self._writing() as connection:
                    outbox.mark_sent(connection, entry.id, self.clock(), unknown=True, error=mask_numbers_in(why))
                if not unreadable_before:  # asked again under its msgid, the agency may answer readably
                    unreadable_before = True
                    continue
                resolved = self._resolve(entry, visit, why)
                if resolved is None:
                    return None
                entry, visit, message = resolved
                unreadable_before = False
                continue
            if entry.previous_msgids:
                answer = replace(answer, answer={**answer.answer, "msgid": entry.msgid})
            self._keep(answer)
            return answer
        return None  # the next sync goes on with it

    def _sent(self, entry: outbox.Entry, visit: VisitFacts, message: Message) -> Reply | RepeatedMsgid | None:
        """The agency's answer to the row; the repeat refusal to settle first; or None when the row stops
        here (set aside, or its facility's sign-in refused)."""
        try:
            return self._send_row(entry, visit, message)
        except SignInRefused:
            return None  # left pending: the facility's sign-in is what is wrong
        except RepeatedMsgid as exc:
            return exc
        except AgencyRefusedError as exc:
            self._set_aside(entry.id, visit, exc.err_msg, True)
        except ProtocolError as exc:  # the envelope breaks the interface's fields
            self._set_aside(entry.id, visit, f"cannot send {entry.infno}: {_unsendable(exc)}", False)
        return None

    def _send_row(self, entry: outbox.Entry, visit: VisitFacts, message: Message) -> Reply:
        """One outbox row under its stored msgid; failures counted on the row as they happen."""

        def failed(exc: Exception) -> None:
            unknown = True if isinstance(exc, OutcomeUnknown) else None
            with self._writing() as connection:
                outbox.mark_sent(connection, entry.id, self.clock(), unknown=unknown, error=str(exc))

        def send(session: Sender, chosen: str) -> Reply:
            # The envelope names the staff who settled (or, for a reversal's rows, who reversed).
            sender = visit.sender(session.sign_no, entry.infno)
            return self.client.send(sender, message, chosen, visit.insuplc_admdvs)

        return self._in_session(place_of(visit), send, entry.msgid, failed)

    def _resolve(
        self, entry: outbox.Entry, visit: VisitFacts, why: str
    ) -> tuple[outbox.Entry, VisitFacts, Message] | None:
        """Settle the row's unknown outcome: undo what its msgid may have booked, then give it a
        new msgid (stored before it goes). None when that cannot be done now."""
        why = mask_numbers_in(why)
        if entry.resolutions >= MAX_RESOLUTIONS:
            self._set_aside(
                entry.id,
                visit,
                f"{entry.infno} went under {entry.resolutions + 1} msgids and its outcome could not be read "
                f"({why}); whatever each booked was undone. Send it again once the agency is asked why",
                False,
            )
            return None
        place = place_of(visit)
        undo_infno = UNDO.get(entry.infno)
        if undo_infno is not None and not self._undo(entry, visit, place, undo_infno, why):
            return None
        new_msgid = self.sessions.msgid(place.fixmedins_code)
        with self._writing() as connection:
            outbox.finish_resolution(connection, entry, new_msgid, self.clock(), why)
            entry = outbox.entry(connection, entry.id)
        with self._lock:
            self._report.resolved.append(new_msgid)
        if entry.infno == "2207":
            visit = replace(visit, settlement_msgid=new_msgid)
        try:
            message = message_for(entry.infno, visit)
        except ProtocolError as exc:
            self._set_aside(entry.id, visit, f"cannot build {entry.infno}: {_unsendable(exc)}", False)
            return None
        return entry, visit, message

    def _undo(self, entry: outbox.Entry, visit: VisitFacts, place: Place, undo_infno: str, why: str) -> bool:
        """2601 (or 2205) for what ``entry``'s msgid may have booked; True once the agency answered."""
        undo = reversal(visit, entry.msgid, entry.infno) if undo_infno == "2601" else cancel_fees(visit)
        resolve_msgid = entry.resolve_msgid
        for _ in range(3):
            if resolve_msgid is None:
                resolve_msgid = self.sessions.msgid(place.fixmedins_code)
                with self._writing() as connection:
                    outbox.begin_resolution(connection, entry.id, resolve_msgid)
            try:
                self._in_session(place, lambda s, m: self.client.send(s, undo, m, visit.insuplc_admdvs), resolve_msgid)
            except RepeatedMsgid:
                resolve_msgid = None  # the undo itself was seen before; undoing twice is harmless
                continue
            except SignInRefused:
                return False
            except (AgencyRefusedError, ProtocolError) as exc:
                said = exc.err_msg if isinstance(exc, AgencyRefusedError) else str(exc)
                self._set_aside(
                    entry.id,
                    visit,
                    f"the outcome of {entry.infno} {entry.msgid} is unknown ({why}) and the agency refused "
                    f"its {undo_infno}: {said}",
                    False,
                )
                return False
            return True
        return False

    def _keep(self, answer: Answer) -> None:
        with self._lock:
            report = self._report
            report.sent[answer.infno] = report.sent.get(answer.infno, 0) + 1
            if answer.differs:
                report.differences.append(answer.settlement_id)
            self._answers.append(answer)
            full = len(self._answers) >= BATCH
        if full:
            self._flush()

    def _flush(self) -> None:
        """Write the answers kept so far; the other workers go on sending (and keeping) meanwhile.

        Under the relay's lock like every other write: on PostgreSQL a batch of answers and a
        worker's mark on another settlement, each moving the month's totals (db.month_totals),
        took their row locks in opposite orders and deadlocked."""
        with self._flushing:
            with self._lock:
                answers, self._answers = self._answers, []
            if not answers:
                return
            now = self.clock()
            with self._writing() as connection:
                for answer in answers:
                    answer.apply(connection, now)

    def _writing(self) -> _Writing:
        return _Writing(self)

    def _set_aside(self, entry_id: int, visit: VisitFacts, error: str, refused: bool) -> None:
        error = mask_numbers_in(error)  # the agency's words may name the person
        log.warning("outbox row %d (settlement %d) set aside: %s", entry_id, visit.settlement_id, error)
        self._flush()
        with self._writing() as connection:
            outbox.mark_set_aside(connection, entry_id, visit.settlement_id, self.clock(), error, refused=refused)
        with self._lock:
            self._report.set_aside.append(SetAside(entry_id, visit.settlement_id, error))

    # --- step 4: what the agency knows ---------------------------------------------------

    def _refresh(self, pool: ThreadPoolExecutor, people: dict[int, set[int]]) -> None:
        place = self._home_place()
        if place is not None:
            self._all_done([pool.submit(self._refresh_one, place, p, years) for p, years in people.items()])

    def _refresh_stale(self, pool: ThreadPoolExecutor, done: set[int]) -> None:
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
        chosen = [p for p in stale if p not in done][: self.stale_per_run]
        self._all_done([pool.submit(self._refresh_one, place, person_id, {year}) for person_id in chosen])

    def _refresh_one(self, place: Place, person_id: int, years: set[int]) -> None:
        try:
            refreshed = refresh_person(self.store, self._call, place, person_id, years, self.clock())
        except (AgencyRefusedError, ProtocolError, SignInRefused, RepeatedMsgid) as exc:
            with self._lock:
                self._report.notes.append(f"person {person_id}: the agency's figures could not be read: {exc}")
            return
        if refreshed is not None:
            with self._lock:
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
            except (AgencyRefusedError, ProtocolError, SignInRefused, RepeatedMsgid) as exc:
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
        except (AgencyRefusedError, RepeatedMsgid) as exc:
            self._report.notes.append(f"sign-out: {exc}")

    def _mark_success(self) -> None:
        with self.store.writing() as session:
            session.merge(Setting(key=LAST_SUCCESS_KEY, value=self.clock().isoformat()))


class _Writing:
    """A write transaction taken under the relay's lock: workers write one at a time."""

    def __init__(self, relay: Relay) -> None:
        self._relay = relay
        self._context = relay.store.write_connection()

    def __enter__(self) -> Connection:
        self._relay._lock.acquire()
        try:
            return self._context.__enter__()
        except BaseException:
            self._relay._lock.release()
            raise

    def __exit__(self, *exc: object) -> None:
        try:
            self._context.__exit__(*exc)  # type: ignore[arg-type]
        finally:
            self._relay._lock.release()


def _unsendable(exc: ProtocolError) -> str:
    """What a clerk can act on, for a record the interface cannot carry as it stands."""
    if exc.field == "input.diseinfo":
        return "the visit has no diagnosis, and the agency takes no visit without one (2203 diseinfo)"
    if exc.field.startswith("input.diseinfo") and "dise_dor" not in exc.field:
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
