"""The sandbox agency: checks a request, answers a repeated msgid from memory, books the rest.

Order of checks: the body is JSON; every required envelope and input field is present
(the first missing one is named); the msgid is well formed and the facility's own; the
signature is good; a msgid already answered gets its stored answer and changes nothing;
the session (``sign_no``) is open; a record the operator told the sandbox to reject is
refused; then the transaction runs
in one database transaction together with storing its answer.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.agency.fields import CATALOGUE_INFNOS, field_tables, first_missing_field
from desktop.agency.msgid import CHINA, parse_msgid
from desktop.agency.signing import HmacSigner, SignatureError, verify_envelope
from desktop.agency.wire import ProtocolError, decode, encode
from desktop.policy import PolicyBook
from desktop.privacy import mask_id_number
from desktop.sandbox import settling, visits
from desktop.sandbox.calls import Call, Outcome, RefusedError
from desktop.sandbox.store import remember_reply, secret_of, stored_reply, transaction

log = logging.getLogger("clinic.sandbox")

Handler = Callable[[Call], Outcome]
HANDLERS: dict[str, Handler] = {
    "9001": visits.sign_in,
    "9002": visits.sign_out,
    "1101": visits.person_info,
    "2201": visits.register,
    "2203": visits.visit_info,
    "2204": visits.fee_details,
    "2206": settling.presettle,
    "2207": settling.settle,
    "2208": settling.cancel,
    "2601": settling.reverse,
    "3201": settling.reconcile,
    "5206": visits.accumulators,
    **dict.fromkeys(CATALOGUE_INFNOS, visits.catalogue),
    "1307": visits.diagnosis_catalogue,
}
# Answers that only read are not worth remembering; their msgid may be asked again.
_READ_ONLY = frozenset({"1101", "2206", "3201", "5206", *CATALOGUE_INFNOS})


@dataclass(frozen=True, slots=True)
class Answer:
    """The reply body, and whether the call changed the agency's books."""

    body: bytes
    committed: bool
    infcode: int


class Agency:
    def __init__(
        self,
        connection: sqlite3.Connection,
        book: PolicyBook,
        rejects: Callable[[str, Mapping[str, Any]], str | None],
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._connection = connection
        self._book = book
        self._rejects = rejects
        self._clock = clock
        self._lock = threading.Lock()
        self._serial = itertools.count(1)

    @property
    def lock(self) -> threading.Lock:
        """Held while a call runs: admin reads take it too, to see whole calls only."""
        return self._lock

    def answer(self, body: bytes) -> Answer:
        received = self._clock()
        try:
            envelope = decode(body)
        except ProtocolError as exc:
            return self._failure(received, str(exc))
        with self._lock:
            return self._answer(envelope, received)

    def _answer(self, envelope: dict[str, Any], received: dt.datetime) -> Answer:
        try:
            self._check(envelope)
        except (ProtocolError, RefusedError) as exc:
            message = exc.err_msg if isinstance(exc, RefusedError) else str(exc)
            self._log(envelope, -1, message)
            return self._failure(received, message)
        remembered = self._remembered(envelope, received)
        if remembered is not None:
            return remembered
        try:
            self._check_session(envelope)
        except RefusedError as exc:
            self._log(envelope, -1, exc.err_msg)
            return self._failure(received, exc.err_msg)
        rejected = self._rejects(envelope["msgid"], envelope["input"])
        if rejected is not None:
            self._log(envelope, -1, "rejected by the operator")
            return self._failure(received, rejected)
        return self._run(envelope, received)

    def _remembered(self, envelope: dict[str, Any], received: dt.datetime) -> Answer | None:
        """The stored answer to a msgid seen before, or None for a new msgid."""
        msgid = envelope["msgid"]
        stored = stored_reply(self._connection, msgid)
        if stored is None:
            return None
        if stored["infno"] != envelope["infno"]:
            return self._failure(received, f"msgid {msgid} was already used for a {stored['infno']}")
        self._log(envelope, 0, "repeated msgid: stored answer")
        reply: str = stored["reply"]
        return Answer(reply.encode("utf-8"), committed=False, infcode=json.loads(reply)["infcode"])

    def _run(self, envelope: dict[str, Any], received: dt.datetime) -> Answer:
        """The transaction and its stored answer, in one database transaction."""
        msgid, infno, code = envelope["msgid"], envelope["infno"], envelope["fixmedins_code"]
        areas = (str(envelope.get("insuplc_admdvs") or ""), str(envelope.get("mdtrtarea_admvs") or ""))
        call = Call(self._connection, self._book, code, msgid, infno, envelope["input"], received, *areas)
        try:
            with transaction(self._connection):
                outcome = HANDLERS[infno](call)
                if infno == "9001" and envelope.get("dev_safe_info"):
                    # The clinic's audit chain head, kept here off the clinic's machine.
                    self._connection.execute(
                        "INSERT INTO audit_head (code, msgid, received_at, head) VALUES (?, ?, ?, ?)",
                        (code, msgid, received.isoformat(), str(envelope["dev_safe_info"])[:2000]),
                    )
                reply = self._reply(received, 0, "", outcome)
                if infno not in _READ_ONLY:
                    remember_reply(self._connection, msgid, infno, code, received.isoformat(), reply.decode("utf-8"))
        except RefusedError as exc:
            self._log(envelope, -1, exc.err_msg)
            return self._failure(received, exc.err_msg)
        except Exception:
            # A fault in the sandbox itself: nothing was booked (the transaction rolled back).
            log.exception("infno=%s msgid=%s failed inside the agency", infno, msgid)
            return self._failure(received, "the agency failed to process this message; nothing was booked")
        self._log(envelope, 0, outcome.warn_msg)
        return Answer(reply, committed=infno not in _READ_ONLY, infcode=0)

    def _check(self, envelope: dict[str, Any]) -> None:
        if not isinstance(envelope.get("input"), dict):
            raise RefusedError("input is missing or not a JSON object")
        for name in ("infno", "msgid", "fixmedins_code"):
            if not isinstance(envelope.get(name), str):
                raise RefusedError(
                    f"{name} is required but missing" if name not in envelope else f"{name} must be text"
                )
        infno = envelope["infno"]
        if infno not in HANDLERS:
            raise RefusedError(f"infno {infno!r} is not a transaction the agency answers")
        missing = first_missing_field(envelope, field_tables())
        if missing is not None:
            raise RefusedError(f"{missing} is required but missing")
        code = str(envelope["fixmedins_code"])
        if parse_msgid(str(envelope["msgid"])).facility_code != code:
            raise RefusedError(f"msgid {envelope['msgid']} does not start with fixmedins_code {code}")
        secret = secret_of(self._connection, code)
        if secret is None:
            raise RefusedError(f"facility {code} has no signing secret with the agency")
        try:
            verify_envelope(envelope, HmacSigner(secret))
        except SignatureError as exc:
            raise RefusedError(f"bad signature: {exc}") from None

    def _check_session(self, envelope: dict[str, Any]) -> None:
        """After the msgid lookup: a repeated 9002 is answered from the books, not refused."""
        sign_no = envelope.get("sign_no")
        if sign_no and envelope["infno"] != "9001":
            visits.check_session(self._connection, str(envelope["fixmedins_code"]), str(sign_no))

    def _reply(self, received: dt.datetime, infcode: int, err_msg: str, outcome: Outcome) -> bytes:
        responded = self._clock()
        return encode(
            {
                "infcode": infcode,
                "inf_refmsgid": f"000000{received.astimezone(CHINA):%Y%m%d%H%M%S}{next(self._serial) % 10**10:010d}",
                "refmsg_time": _stamp(received),
                "respond_time": _stamp(responded),
                "err_msg": err_msg,
                "warn_msg": outcome.warn_msg,
                "output": dict(outcome.output),
            }
        )

    def _failure(self, received: dt.datetime, err_msg: str) -> Answer:
        return Answer(self._reply(received, -1, err_msg[:200], Outcome()), committed=False, infcode=-1)

    def _log(self, envelope: Mapping[str, Any], infcode: int, note: str) -> None:
        """One line per call, with no personal data: person numbers are masked."""
        person = _psn_no(envelope.get("input"))
        log.info(
            "infno=%s msgid=%s fixmedins=%s psn=%s infcode=%s %s",
            envelope.get("infno"),
            envelope.get("msgid"),
            envelope.get("fixmedins_code"),
            mask_id_number(person) if person else "-",
            infcode,
            note,
        )


def _psn_no(value: Any) -> str:
    if isinstance(value, Mapping):
        if isinstance(value.get("psn_no"), str):
            return str(value["psn_no"])
        return next((found for found in map(_psn_no, value.values()) if found), "")
    if isinstance(value, list):
        return next((found for found in map(_psn_no, value) if found), "")
    return ""


def person_numbers(value: Any) -> set[str]:
    """Every ``psn_no`` a message's input names (a rejection may name any of them)."""
    if isinstance(value, Mapping):
        found = {str(value["psn_no"])} if isinstance(value.get("psn_no"), str) else set()
        return found.union(*(person_numbers(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(person_numbers(v) for v in value))
    return set()


def _stamp(moment: dt.datetime) -> str:
    """yyyyMMddHHmmssSSS, Beijing time."""
    local = moment.astimezone(CHINA)
    return f"{local:%Y%m%d%H%M%S}{local.microsecond // 1000:03d}"
