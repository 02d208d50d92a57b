"""One call to the agency over HTTP, and what its outcome tells the relay.

Every failure falls in one of four kinds, because each calls for something different:

* ``AgencyUnreachable``: nothing reached the agency (no route, refused, wrong address).
  Nothing was booked; try again later.
* ``OutcomeUnknown``: the message may have reached the agency and been booked, but no
  readable answer came (a timeout, a dropped connection, a gateway error). Never
  guessed: the same msgid is sent again (the agency answers a repeated msgid from its
  books and books nothing twice), or reversed with 2601.
* ``AgencyBusy``: the agency answered ``infcode`` -1 with a message that it is busy or
  timed out inside; nothing was booked and the same message will do later.
* ``AgencyRefusedError`` (from ``desktop.agency``): the agency looked at the record and
  said no. Sending it again changes nothing until someone corrects something.

A refusal of the msgid itself as a repeat (报文ID重复) is none of these refusals: the
agency has seen that msgid, and whether it booked it is exactly what the answer does not
say. It is ``RepeatedMsgid``, an ``OutcomeUnknown`` the relay settles with 2601.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from desktop.agency import AgencyRefusedError, Reply, Sender, Sm2Signer, decode, encode, parse_reply, prepare_request
from desktop.agency.messages import Message
from desktop.agency.wire import ProtocolError
from desktop.sync.credentials import Credentials
from desktop.sync.policies import PolicyUpdate, download_policies

# Words the national platform and provincial gateways put in a refusal that is only the
# system being busy; matched in err_msg, case-insensitive.
TRANSIENT_MARKERS = ("繁忙", "稍后重试", "稍后再试", "超时", "busy", "timed out", "try again later")
# The agency forgot the session (restarted, or signed it out): sign in again, once.
SESSION_MARKERS = ("sign_no", "签到")
# The agency refuses a msgid it has seen, instead of answering it from its books.
REPEAT_MARKERS = (
    "报文id重复",
    "报文编号重复",
    "msgid重复",
    "msgid 重复",
    "重复的报文",
    "duplicate msgid",
    "duplicate message",
)
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 20.0
# Connections kept open to the agency: the relay's workers share them, each settlement's
# messages on one at a time (see desktop.sync.relay).
CONNECTIONS = 10


class AgencyUnreachable(Exception):  # noqa: N818 — a state of the line, named as staff say it
    """Nothing reached the agency."""


class OutcomeUnknown(Exception):  # noqa: N818
    """The message may have been booked; no answer says whether."""


class AgencyBusy(Exception):  # noqa: N818
    """The agency answered that it is busy; nothing was booked."""


class RepeatedMsgid(OutcomeUnknown):
    """The agency refused the msgid as one it has seen (报文ID重复): whether it booked it is unknown."""


def is_repeat(err_msg: str) -> bool:
    lowered = err_msg.lower()
    return any(marker in lowered for marker in REPEAT_MARKERS)


def is_transient(err_msg: str) -> bool:
    lowered = err_msg.lower()
    return any(marker in lowered for marker in TRANSIENT_MARKERS)


def is_session_lost(err_msg: str) -> bool:
    return any(marker in err_msg for marker in SESSION_MARKERS)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def make_http(timeout: float = READ_TIMEOUT, connections: int = CONNECTIONS) -> httpx.Client:
    """A few keep-alive connections to the agency; the read timeout bounds a hung gateway."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.Client(timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout)), limits=limits)


class AgencyClient:
    """Signs, posts and reads one message; raises one of the kinds above when it cannot."""

    def __init__(
        self,
        url: str,
        credentials: Credentials,
        *,
        http: httpx.Client | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"agency address {url!r} must start with http:// or https://")
        self.url = url
        self._credentials = credentials
        self._http = http or make_http()  # the client's own from now on: ``close`` closes it
        self._clock = clock
        self._signers: dict[str, Sm2Signer] = {}

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> AgencyClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _signer(self, fixmedins_code: str) -> Sm2Signer:
        signer = self._signers.get(fixmedins_code)
        if signer is None:  # two threads may both load it: the same key, harmless
            signer = self._signers[fixmedins_code] = Sm2Signer(self._credentials.secret_for(fixmedins_code))
        return signer

    def envelope(self, sender: Sender, message: Message, msgid: str, insuplc_admdvs: str = "") -> dict[str, Any]:
        """The signed request; ``ProtocolError`` names a field the message lacks."""
        signer = self._signer(sender.fixmedins_code)
        return prepare_request(sender, message, msgid, signer, at=self._clock(), insuplc_admdvs=insuplc_admdvs)

    def send(self, sender: Sender, message: Message, msgid: str, insuplc_admdvs: str = "") -> Reply:
        return self.post(self.envelope(sender, message, msgid, insuplc_admdvs))

    def download_policies(self, folder: Path) -> PolicyUpdate:
        """The agency's published policy files (``desktop.sync.policies``); ``httpx.HTTPError`` if silent."""
        return download_policies(self._http, self.url, folder)

    def post(self, envelope: dict[str, Any]) -> Reply:
        body = encode(envelope)
        try:
            response = self._http.post(self.url, content=body, headers={"Content-Type": "application/json"})
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol) as exc:
            raise AgencyUnreachable(f"cannot reach the agency at {self.url}: {exc}") from None
        except httpx.TransportError as exc:  # read timeout, connection dropped mid-answer, …
            raise OutcomeUnknown(
                f"no answer to {envelope['infno']} {envelope['msgid']}: {type(exc).__name__}"
            ) from None
        if response.status_code >= 500:
            raise OutcomeUnknown(f"the agency's gateway answered HTTP {response.status_code}")
        if response.status_code != 200:
            raise AgencyUnreachable(f"HTTP {response.status_code} from {self.url}: is this the agency's address?")
        try:
            reply = parse_reply(decode(response.content))
        except ProtocolError as exc:
            raise OutcomeUnknown(f"the agency's answer could not be read: {exc}") from None
        if reply.ok:
            return reply
        if is_repeat(reply.err_msg):
            raise RepeatedMsgid(
                f"the agency refused {envelope['infno']} {envelope['msgid']} as a repeat: {reply.err_msg}"
            )
        if is_transient(reply.err_msg):
            raise AgencyBusy(reply.err_msg)
        raise AgencyRefusedError(reply.infcode, reply.err_msg)
