"""A visit as entered at the counter, before it is settled."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from desktop.policy.codec import InputError
from desktop.policy.types import Liability


class SettlementError(InputError):
    """A visit that cannot be settled: what is wrong and which field; nothing was written."""


class UnconfirmedPriceError(SettlementError):
    """A price of 0, or far from the catalogue's, typed without saying it is meant: nothing was written.

    The window asks with the catalogue price beside the one typed; the command line takes
    ``--confirm-prices``. Either way the confirmation goes into the settlement's audit entry.
    """

    def __init__(self, line: int, code: str, price: Decimal, catalogue_price: Decimal) -> None:
        super().__init__(
            f"items.{line}.price",
            f"{price} for {code!r} is {'zero' if price == 0 else 'far from'} the catalogue's {catalogue_price}: "
            "confirm it is meant (--confirm-prices)",
        )
        self.line = line
        self.code = code
        self.price = price
        self.catalogue_price = catalogue_price


@dataclass(frozen=True, slots=True)
class DraftItem:
    """One catalogue line; the price defaults to the catalogue's.

    ``price_confirmed``: staff said a price of 0, or one far from the catalogue's, is meant.
    """

    code: str
    quantity: Decimal = Decimal(1)
    price: Decimal | None = None
    price_confirmed: bool = False


@dataclass(frozen=True, slots=True)
class DiagnosisLine:
    code: str
    name: str

    @property
    def coded(self) -> bool:
        """Whether the agency can take it: 2203 gives every diagnosis its ICD-10 code and its name."""
        return bool(self.code.strip() and self.name.strip())


@dataclass(frozen=True, slots=True)
class VisitDraft:
    facility_id: str
    person_id: int
    staff_id: int
    visit_date: dt.date
    items: tuple[DraftItem, ...]
    diagnoses: tuple[DiagnosisLine, ...] = ()
    referral: bool = False
    emergency: bool = False
    inpatient: bool = False
    liability: Liability | None = None
    disease: str | None = None
    pay_from_account: bool = True
    signature_png: bytes | None = field(default=None, repr=False)
    doctor_id: int | None = (
        None  # the diagnosing doctor; None: whoever settles if a doctor, else the facility's only one
    )
