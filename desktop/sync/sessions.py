"""Calls that are not in the outbox: sign-in (9001/9002), queries, downloads, reconciliation.

Their msgids take the sequences kept for them (``SESSION_SEQUENCES``, apart from the
settlements' and the reversals'), numbered by a counter in the store that is taken in a
write transaction, so that two syncs, or two counters, never take the same one.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlalchemy import select

from db.audit import read_head
from db.models import Setting
from db.session import Store
from desktop.agency import Reply, Sender
from desktop.agency.messages import Message, SignIn, SignOut
from desktop.agency.msgid import SESSION_SEQUENCES, make_msgid
from desktop.agency.replies import read_sign_in

SEQUENCE_KEY = "sync.session_sequence"
BLOCK = 32  # msgids reserved per write; a sync uses a few dozen
AUDIT_HEAD_PREFIX = "audit-head "  # then SEQ:DIGEST, as the day close prints it


@dataclass(frozen=True, slots=True)
class Operator:
    """Who runs the sync: the envelope's operator for calls that are nobody's settlement."""

    username: str
    name: str


@dataclass(frozen=True, slots=True)
class Place:
    """A facility as the envelope names it."""

    fixmedins_code: str
    fixmedins_name: str
    admdvs: str


def reserve_msgids(store: Store, fixmedins_code: str, now: dt.datetime, count: int) -> list[str]:
    with store.writing() as session:
        counter = int(session.scalar(select(Setting.value).where(Setting.key == SEQUENCE_KEY)) or 0)
        session.merge(Setting(key=SEQUENCE_KEY, value=str(counter + count)))
    span = len(SESSION_SEQUENCES)
    return [make_msgid(fixmedins_code, now, SESSION_SEQUENCES.start + (counter + n) % span) for n in range(count)]


def _machine() -> tuple[str, str]:
    """This counter's address and MAC for 9001, as the agency logs where a session came from."""
    try:
        address = socket.gethostbyname(socket.gethostname())
        ipaddress.ip_address(address)
    except (OSError, ValueError):
        address = "127.0.0.1"
    node = uuid.getnode()
    mac = ":".join(f"{(node >> shift) & 0xFF:02X}" for shift in range(40, -8, -8))
    return address, mac


@dataclass
class Sessions:
    """One sign-in per facility while a sync runs; ``sign_no`` goes in every later envelope."""

    store: Store
    operator: Operator
    send: Callable[[Sender, Message, str, str], Reply]  # sender, message, msgid, insuplc_admdvs
    clock: Callable[[], dt.datetime]
    _sign_nos: dict[str, str] = field(default_factory=dict)
    _msgids: dict[str, list[str]] = field(default_factory=dict)

    def msgid(self, fixmedins_code: str) -> str:
        spare = self._msgids.setdefault(fixmedins_code, [])
        if not spare:
            spare.extend(reserve_msgids(self.store, fixmedins_code, self.clock(), BLOCK))
        return spare.pop(0)

    def sender(self, place: Place, sign_no: str = "") -> Sender:
        return Sender(
            fixmedins_code=place.fixmedins_code,
            fixmedins_name=place.fixmedins_name,
            mdtrtarea_admvs=place.admdvs,
            opter=self.operator.username,
            opter_name=self.operator.name,
            sign_no=sign_no,
        )

    def sign_no(self, place: Place) -> str:
        found = self._sign_nos.get(place.fixmedins_code)
        if found is None:
            address, mac = _machine()
            message = SignIn(opter_no=self.operator.username, ip=address, mac=mac)
            # The audit chain's head leaves the machine with every sync: 设备安全信息 of the sign-in.
            sender = replace(self.sender(place), dev_safe_info=self._audit_head())
            reply = self.send(sender, message, self.msgid(place.fixmedins_code), "")
            found = self._sign_nos[place.fixmedins_code] = read_sign_in(reply).sign_no
        return found

    def _audit_head(self) -> str:
        with self.store.reading() as session:
            return f"{AUDIT_HEAD_PREFIX}{read_head(session.connection()).text}"

    def forget(self, fixmedins_code: str) -> None:
        """The agency no longer knows this session: the next call signs in again."""
        self._sign_nos.pop(fixmedins_code, None)

    def call(self, place: Place, message: Message, insuplc_admdvs: str = "") -> Reply:
        """A signed-in call that is not in the outbox."""
        sender = self.sender(place, self.sign_no(place))
        return self.send(sender, message, self.msgid(place.fixmedins_code), insuplc_admdvs)

    def sign_out_all(self, places: dict[str, Place]) -> None:
        for code, sign_no in list(self._sign_nos.items()):
            place = places[code]
            message = SignOut(sign_no=sign_no, opter_no=self.operator.username)
            self.send(self.sender(place, sign_no), message, self.msgid(code), "")
            del self._sign_nos[code]
