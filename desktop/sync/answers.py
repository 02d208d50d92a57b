"""What the relay keeps of the agency's answers to a settlement's messages.

The 2201 answer gives the visit its id at the agency. The 2207 answer is the official
split: stored beside the counter's own, never over it, and where the two differ the
settlement is marked ``differs`` and the difference audited, for staff to see and for
reconciliation to carry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, update

from db.models import Settlement
from desktop.agency import Reply
from desktop.agency.replies import read_cancellation, read_registration, read_settlement
from desktop.agency.wire import ProtocolError
from desktop.money import to_fen
from desktop.sync.outbox import audit, mark_done
from desktop.sync.visits import VisitFacts


@dataclass(frozen=True, slots=True)
class Split:
    """Fund, account and cash in fen."""

    fund: int
    account: int
    cash: int


@dataclass(frozen=True, slots=True)
class Answer:
    """What the clinic keeps of the agency's answer to one row; ``apply`` stores it."""

    entry_id: int
    infno: str
    settlement_id: int
    answer: dict[str, Any]
    mdtrt_id: str | None = None
    setl_id: str | None = None
    agency: Split | None = None
    local: Split | None = None
    setl_time: dt.datetime | None = None  # the agency's booking time: 3201 goes by it

    @property
    def differs(self) -> bool:
        return self.agency is not None and self.agency != self.local

    def apply(self, connection: Connection, now: dt.datetime) -> None:
        if not mark_done(connection, self.entry_id, now, self.answer):
            return  # another sync voided the row meanwhile (and undid it at the agency with 2601)
        if self.mdtrt_id is not None:
            connection.execute(
                update(Settlement).where(Settlement.id == self.settlement_id).values(agency_mdtrt_id=self.mdtrt_id)
            )
        if self.agency is not None:
            connection.execute(
                update(Settlement)
                .where(Settlement.id == self.settlement_id)
                .values(
                    agency_setl_id=self.setl_id,
                    agency_fund_fen=self.agency.fund,
                    agency_account_fen=self.agency.account,
                    agency_cash_fen=self.agency.cash,
                    agency_setl_time=self.setl_time,
                    status="differs" if self.differs else "confirmed",
                )
            )
            if self.differs:
                assert self.local is not None
                detail = {"local": asdict(self.local), "agency": asdict(self.agency), "setl_id": self.setl_id}
                audit(connection, now, None, "agency_split_differs", "settlement", self.settlement_id, detail)


def read_answer(entry_id: int, infno: str, msgid: str, facts: VisitFacts, reply: Reply) -> Answer:
    """The parts of ``reply`` the clinic keeps; ``ProtocolError`` if it contradicts the request."""
    if infno == "2201":
        registered = read_registration(reply)
        if registered.psn_no != facts.psn_no:
            raise ProtocolError("output.data.psn_no", "the agency registered another person")
        return Answer(entry_id, infno, facts.settlement_id, {"mdtrt_id": registered.mdtrt_id}, registered.mdtrt_id)
    if infno == "2207":
        info = read_settlement(reply)
        if info.medins_setl_id != msgid:
            raise ProtocolError("output.setlinfo.medins_setl_id", f"{info.medins_setl_id} does not echo {msgid}")
        if info.mdtrt_id != facts.agency_mdtrt_id or info.psn_no != facts.psn_no:
            raise ProtocolError("output.setlinfo", "the agency settled another visit or person than this one")
        if info.fund_pay_sumamt + info.acct_pay + info.psn_cash_pay != info.medfee_sumamt:
            raise ProtocolError("output.setlinfo", "fund, account and cash do not add up to medfee_sumamt")
        agency = Split(to_fen(info.fund_pay_sumamt), to_fen(info.acct_pay), to_fen(info.psn_cash_pay))
        answer = {
            "setl_id": info.setl_id,
            "medfee_sumamt": info.medfee_sumamt,
            "fund_pay_sumamt": info.fund_pay_sumamt,
            "acct_pay": info.acct_pay,
            "psn_cash_pay": info.psn_cash_pay,
            "balc": info.balc,
            "setl_time": None if info.setl_time is None else info.setl_time.isoformat(),
        }
        local = Split(to_fen(facts.fund), to_fen(facts.account), to_fen(facts.cash))
        return Answer(entry_id, infno, facts.settlement_id, answer, None, info.setl_id, agency, local, info.setl_time)
    if infno == "2208":
        cancelled = read_cancellation(reply)
        answer = {
            "setl_id": cancelled.setl_id,
            "balc": cancelled.balc,
            "setl_time": None if cancelled.setl_time is None else cancelled.setl_time.isoformat(),
        }
        return Answer(entry_id, infno, facts.settlement_id, answer)
    return Answer(entry_id, infno, facts.settlement_id, {"warn_msg": reply.warn_msg} if reply.warn_msg else {})
