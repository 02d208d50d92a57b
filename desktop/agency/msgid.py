"""``msgid``: facility code (12) + ``yyyyMMddHHmmss`` Beijing time (14) + sequence (4) = 30 characters.

The agency deduplicates on it and a reversal names it, so it is fixed and stored before
the first send and reused on every retry.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from desktop.agency.wire import ProtocolError

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
# Sequence blocks by what numbers the message, so that two kinds never share a msgid,
# whatever their clocks say: settlements four per visit from the visit's id, reversals one
# per settlement from its id, and the relay's own calls (sign-in, queries, reconciliation,
# 2601) from a counter kept in the store.
SETTLEMENT_SEQUENCES = range(0, 6000)
REVERSAL_SEQUENCES = range(6000, 8000)
SESSION_SEQUENCES = range(8000, 10_000)
FACILITY_CODE = re.compile(r"[0-9A-Za-z]{12}")
_MSGID = re.compile(r"(?P<code>[0-9A-Za-z]{12})(?P<time>\d{14})(?P<sequence>\d{4})")


@dataclass(frozen=True, slots=True)
class MsgId:
    facility_code: str
    sent_at: dt.datetime
    sequence: int

    def __str__(self) -> str:
        return f"{self.facility_code}{self.sent_at.astimezone(CHINA):%Y%m%d%H%M%S}{self.sequence:04d}"


def check_facility_code(code: str, field: str = "fixmedins_code") -> str:
    if FACILITY_CODE.fullmatch(code) is None:
        raise ProtocolError(field, f"{code!r} is not a 12-character facility code of letters and digits")
    return code


def make_msgid(facility_code: str, at: dt.datetime, sequence: int) -> str:
    """The msgid for one message; ``at`` must carry its time zone (it is written in Beijing time)."""
    check_facility_code(facility_code)
    if at.tzinfo is None:
        raise ProtocolError("msgid", "the send time needs a time zone")
    if not 0 <= sequence <= 9999:
        raise ProtocolError("msgid", f"sequence {sequence} is outside 0000–9999")
    return str(MsgId(facility_code, at, sequence))


def parse_msgid(text: str) -> MsgId:
    """Read a msgid back, refusing anything that is not exactly the interface's 30 characters."""
    found = _MSGID.fullmatch(text) if isinstance(text, str) else None
    if found is None:
        raise ProtocolError(
            "msgid", f"{text!r} is not 30 characters of facility code (12) + yyyyMMddHHmmss (14) + sequence (4)"
        )
    try:
        sent = dt.datetime.strptime(found["time"], "%Y%m%d%H%M%S").replace(tzinfo=CHINA)
    except ValueError:
        raise ProtocolError("msgid", f"{found['time']!r} in {text!r} is not a real time") from None
    return MsgId(found["code"], sent, int(found["sequence"]))
