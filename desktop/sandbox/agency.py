"""The sandbox agency: checks a request, answers a repeated msgid from memory, books the rest.

Order of checks: the body is JSON; every required envelope and input field is present
(the first missing one is named) and every field keeps to its type and length; the msgid
is well formed and the facility's own; the SM2 signature verifies under the facility's
registered public key; a msgid already answered gets its stored answer and changes
nothing (or, switched to, is refused as a duplicate: 报文ID重复); the session
(``sign_no``) is open; a record the operator told the sandbox to reject is refused; then
the transaction runs in one database transaction together with storing its answer.
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

from desktop.agency.field_types import first_badly_typed
from desktop.agency.fields import CATALOGUE_INFNOS, field_tables, first_missing_field
from desktop.agency.msgid import CHINA, parse_msgid
from desktop.agency.signing import KeyFormatError, SignatureError, Sm2Verifier, verify_envelope
from desktop.agency.wire import ProtocolError, decode, encode
from desktop.policy import PolicyBook
from desktop.privacy import mask_id_number
from desktop.sandbox import mapping, settling, visits
from desktop.sandbox.calls import Call, Outcome, RefusedError
from desktop.sandbox.misbehaviour import Misbehaviour
from desktop.sandbox.spelling import compact
from desktop.sandbox.store import public_key_of, remember_reply, stored_reply, transaction

log = logging.getLogger("clinic.sandbox")

Handler = Callable[[Call], Outcome]
HANDLERS: dict[str, Handler] = {
    "9001": visits.sign_in,
    "9002": visits.sign_out,
    "1101": visits.person_info,
    "2201": visits.register,
    "2202": visits.cancel_registration,
    "2203": visits.visit_info,
    "2204": visits.fee_details,
    "2205": visits.cancel_fees,
    "2206": settling.presettle,
    "2207": settling.settle,
    "2208": settling.cancel,
    "2601": settling.reverse,
    "3201": settling.reconcile,
    "3301": mapping.upload,
    "3302": mapping.withdraw,
    "5206": visits.accumulators,
    **dict.fromkeys(CATALOGUE_INFNOS, visits.catalogue),
    "1307": visits.diagnosis_catalogue,
}
# Answers that only read are not worth remembering; their msgid may be asked again.
_READ_ONLY = frozenset({"1101", "2206", "3201", "5206", *CATALOGUE_INFNOS})
REPEATED = "报文ID重复"
_SESSION = frozenset({"9001", "9002"})  # sign-in and out: a garbled one is only a session to open again
# What a garbled answer says where its settlement should be: infcode 0, nothing readable.
_GARBLED_OUTPUT = {"setlinfo": "系统内部错误，结算信息暂不可用", "data": "系统内部错误"}


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
        misbehaviour: Misbehaviour,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._connection = connection
        self._book = book
        self._misbehaviour = misbehaviour
        self._clock = clock
        self._lock = threading.Lock()
        self._serial = itertools.count(1)
        self._verifiers: dict[str, tuple[str, Sm2Verifier]] = {}  # code → (key, its verifier)

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
        rejected = self._misbehaviour.rejection(envelope["msgid"], envelope["input"])
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
        if self._misbehaviour.settings.refuse_repeats:
            self._log(envelope, -1, "repeated msgid: refused")
            return self._failure(received, f"{REPEATED}：{msgid} 已处理，请勿重复提交")
        self._log(envelope, 0, "repeated msgid: stored answer")
        reply: str = stored["reply"]
        return Answer(self._styled(reply.encode("utf-8")), committed=False, infcode=json.loads(reply)["infcode"])

    def _run(self, envelope: dict[str, Any], received: dt.datetime) -> Answer:
        """The transaction and its stored answer, in one database transaction."""
        msgid, infno, code = envelope["msgid"], envelope["infno"], envelope["fixmedins_code"]
        settings = self._misbehaviour.settings
        insuplc, mdtrtarea = (str(envelope.get("insuplc_admdvs") or ""), str(envelope.get("mdtrtarea_admvs") or ""))
        call = Call(
            self._connection,
            self._book,
            code,
            msgid,
            infno,
            envelope["input"],
            received,
            reconcile_by=settings.reconcile_by,
            insuplc_admdvs=insuplc,
            mdtrtarea_admvs=mdtrtarea,
        )
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
        committed = infno not in _READ_ONLY
        if committed and infno not in _SESSION and self._misbehaviour.garble():
            # Booked, and answered so that nobody can read what was booked.
            garbled = Outcome(_GARBLED_OUTPUT, outcome.warn_msg)
            return Answer(self._styled(self._reply(received, 0, "", garbled)), committed=True, infcode=0)
        return Answer(self._styled(reply), committed=committed, infcode=0)

    def _styled(self, reply: bytes) -> bytes:
        """The answer in the spelling the sandbox is switched to (the stored one is always standard)."""
        if self._misbehaviour.settings.answer_style != "compact":
            return reply
        return encode(compact(decode(reply)))

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
        badly_typed = first_badly_typed(envelope)
        if badly_typed is not None:
            raise RefusedError(str(badly_typed))
        code = str(envelope["fixmedins_code"])
        if parse_msgid(str(envelope["msgid"])).facility_code != code:
            raise RefusedError(f"msgid {envelope['msgid']} does not start with fixmedins_code {code}")
        try:
            verify_envelope(envelope, self._verifier(code))
        except SignatureError as exc:
            raise RefusedError(f"bad signature: {exc}") from None

    def _verifier(self, code: str) -> Sm2Verifier:
        key = public_key_of(self._connection, code)
        if key is None:
            raise RefusedError(f"facility {code} has registered no SM2 public key with the agency")
        known = self._verifiers.get(code)
        if known is None or known[0] != key:
            try:
                known = self._verifiers[code] = (key, Sm2Verifier(key))
            except KeyFormatError as exc:
                raise RefusedError(f"facility {code}'s registered key cannot be used: {exc}") from None
        return known[1]

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


def _stamp(moment: dt.datetime) -> str:
    """yyyyMMddHHmmssSSS, Beijing time."""
    local = moment.astimezone(CHINA)
    return f"{local:%Y%m%d%H%M%S}{local.microsecond // 1000:03d}"
