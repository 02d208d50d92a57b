"""The official figures of a settlement: one definition that every list and every total reads.

The counter settles with its own quote; the agency answers its 2207 with the split it
booked, which is the official one (it knows the patient's visits at other clinics). So a
settlement's figures are the agency's once it has booked the visit, the counter's until
then; the counter's are always kept beside them, and where the two differ the cash
difference is settled up with the patient (补收 / 退费, ``desktop.settle_up``).

Where a settlement stands with the agency (``Standing``):

- ``SELF_PAY``: a self-pay (自费) visit, never sent; the counter's figures are the only ones;
- ``BOOKED``: booked with the counter's split;
- ``DIFFERS``: booked with another split: the agency's is official;
- ``SET_ASIDE``: refused by the agency, waiting on staff and the agency: never shown as
  settled, and counted apart from the totals;
- ``WAITING``: anything else — not yet sent, sent with no answer, or any state the relay
  may add: the counter's figures stand meanwhile, marked as waiting on the agency.

A reversal is beside the standing, not one of them: a reversed settlement keeps its
standing (and its figures) for the list, and leaves the totals.

The SQL expressions here compute the same figures inside a query, so that a total over a
year of visits is one aggregate rather than a walk over rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, case, func, not_

from db.models import Settlement, SettleUp
from desktop.money import ZERO, from_fen

SELF_PAY_POLICY = "self-pay"  # the policy column of a self-pay settlement
SELF_PAY_TITLE = "自费就诊"  # its title where a policy document's title would be
SELF_PAY_STATUS = "local"  # its status: nothing to wait for from the agency
REJECTED = "rejected"


class Standing(StrEnum):
    SELF_PAY = "self_pay"
    WAITING = "waiting"
    SET_ASIDE = "set_aside"
    BOOKED = "booked"
    DIFFERS = "differs"


@dataclass(frozen=True, slots=True)
class Split:
    """Who paid: the pooling fund, the employee's personal account, and cash at the counter."""

    fund: Decimal = ZERO
    account: Decimal = ZERO
    cash: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.fund + self.account + self.cash

    def __add__(self, other: Split) -> Split:
        return Split(self.fund + other.fund, self.account + other.account, self.cash + other.cash)

    def __sub__(self, other: Split) -> Split:
        return Split(self.fund - other.fund, self.account - other.account, self.cash - other.cash)

    @classmethod
    def of_fen(cls, fund: int | None, account: int | None, cash: int | None) -> Split:
        return cls(from_fen(fund or 0), from_fen(account or 0), from_fen(cash or 0))


def standing_of(status: str, self_pay: bool, agency_setl_id: str | None, differs: bool) -> Standing:
    """Where a settlement stands, from its stored columns; ``differs``: the agency's split is not the counter's."""
    if self_pay:
        return Standing.SELF_PAY
    if agency_setl_id is not None:
        return Standing.DIFFERS if differs else Standing.BOOKED
    if status == REJECTED:
        return Standing.SET_ASIDE
    return Standing.WAITING


@dataclass(frozen=True, slots=True)
class Figures:
    """One settlement's money: the counter's split, the agency's once booked, and what was settled up."""

    counter: Split
    agency: Split | None
    standing: Standing
    settled_up: Decimal = ZERO  # cash taken in (+, 补收) or paid out (-, 退费) by a settle-up
    reversed: bool = False

    @property
    def official(self) -> Split:
        return self.counter if self.agency is None else self.agency

    @property
    def differs(self) -> bool:
        return self.agency is not None and self.agency != self.counter

    @property
    def counted(self) -> bool:
        """In the totals: everything but what the agency set aside (and, for the totals of what
        stands, what was reversed; the day close counts a reversal on its own day)."""
        return self.standing is not Standing.SET_ASIDE

    @property
    def waiting(self) -> bool:
        """Not booked by the agency yet (set aside included): its figures may still change."""
        return self.standing in (Standing.WAITING, Standing.SET_ASIDE)

    @property
    def cash_difference(self) -> Decimal:
        """What the agency's split leaves the patient owing (+) or owed (-) in cash."""
        return ZERO if self.agency is None else self.agency.cash - self.counter.cash

    @property
    def owed(self) -> Decimal:
        """The settle-up still to do: + to collect from the patient, - to give back; nothing once reversed."""
        return ZERO if self.reversed else self.cash_difference - self.settled_up

    @property
    def cash_taken(self) -> Decimal:
        """The cash this settlement has put in the drawer: the counter's, and any settle-up since."""
        return self.counter.cash + self.settled_up

    @property
    def reversal_cash_back(self) -> Decimal:
        """On reversal the patient gets back in cash what they paid in cash."""
        return self.cash_taken

    @property
    def reversal_account_back(self) -> Decimal:
        """On reversal the personal account gets back what was taken from it: the agency's figure once booked."""
        return self.official.account


# --- the same, inside a query ----------------------------------------------------------

BOOKED = Settlement.agency_setl_id.is_not(None)
SET_ASIDE = and_(Settlement.agency_setl_id.is_(None), Settlement.status == REJECTED, not_(Settlement.self_pay))
COUNTED = not_(SET_ASIDE)


def _official(counter: Any, agency: Any) -> Any:
    return case((BOOKED, func.coalesce(agency, counter)), else_=counter)


OFFICIAL_FUND = _official(Settlement.fund_fen, Settlement.agency_fund_fen)
OFFICIAL_ACCOUNT = _official(Settlement.account_fen, Settlement.agency_account_fen)
OFFICIAL_CASH = _official(Settlement.cash_fen, Settlement.agency_cash_fen)
# With an outer join of SettleUp on the settlement (one at most per settlement).
SETTLED_UP = func.coalesce(
    case((SettleUp.kind == "collect", SettleUp.amount_fen), (SettleUp.kind == "refund", -SettleUp.amount_fen)), 0
)
SETTLE_UP_JOIN = SettleUp.settlement_id == Settlement.id

# What ``figures`` reads, in this order: add these to a query that joins SettleUp with
# SETTLE_UP_JOIN (outer), then give ``figures`` the row's values from ``FIGURE_COLUMNS`` on.
FIGURE_COLUMNS: tuple[Any, ...] = (
    Settlement.fund_fen,
    Settlement.account_fen,
    Settlement.cash_fen,
    Settlement.agency_fund_fen,
    Settlement.agency_account_fen,
    Settlement.agency_cash_fen,
    Settlement.agency_setl_id,
    Settlement.status,
    Settlement.self_pay,
    SETTLED_UP,
)


def figures(values: Any, *, reversed_: bool = False) -> Figures:
    """A settlement's ``Figures`` from the values of ``FIGURE_COLUMNS``, in order."""
    fund, account, cash, agency_fund, agency_account, agency_cash, setl_id, status, self_pay, settled_up = values
    counter = Split.of_fen(fund, account, cash)
    booked = setl_id is not None and agency_cash is not None
    agency = Split.of_fen(agency_fund, agency_account, agency_cash) if booked else None
    differs = agency is not None and agency != counter
    standing = standing_of(status, bool(self_pay), setl_id if booked else None, differs)
    return Figures(counter, agency, standing, from_fen(settled_up or 0), reversed_)
