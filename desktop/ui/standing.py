"""The card box's side of the identity check: what was typed becomes a read, the read a check.

Qt-free. The identity package decides who this is and every reason the fund would not
pay; this adapter only tells a typed ID number from a card number or a scanned
e-voucher, and gathers, in one read of the store, what the counter needs beside the
check: the engine's ``Patient`` and ``Facility`` for the live quote, and the full ID
number for the roles that may see it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.identity.evoucher import TOKEN_MIN, parse_evoucher
from desktop.identity.findings import FindingCode
from desktop.identity.reads import CardKind, CardRead
from desktop.identity.typed import id_number_read

if TYPE_CHECKING:
    from db.session import Store
    from desktop.identity.check import CheckedPerson, IdentityCheck
    from desktop.policy.types import Facility, Patient

# 15 to 18 characters of digits, the last perhaps an X: meant as an ID number, so a slip
# in it gets the ID number's own message rather than "not on the roster".
_ID_NUMBER_LIKE = re.compile(r"\d{14,17}[\dXx]")
# EAN-8, UPC-A, EAN-13, ITF-14: a drug box scanned into the card box by mistake.
_PRODUCT_BARCODE = re.compile(r"\d{8}|\d{12,14}")
# What only a scanned code carries: key=value pairs, JSON, a web address.
_SCANNED_MARKS = frozenset("={}&;:/?")
# Refusals the copay engine knows nothing of: a quote would still show the fund paying,
# so the visit cannot be settled on this read at all.
NOT_SETTLEABLE = frozenset(
    {
        FindingCode.NOT_ON_ROSTER,
        FindingCode.CARD_INVALID,
        FindingCode.CARD_HOLDER_MISMATCH,
        FindingCode.POLICY_NOT_IN_FORCE,
        FindingCode.NOT_INSURED,
        FindingCode.SIGNING_UNREADABLE,
    }
)


def card_read(typed: str, today: dt.date) -> CardRead:
    """What the card box holds as a read: an ID number, an e-voucher scan or a card number.

    Raises ``IdNumberError`` for an ID number that cannot be right and ``ReaderError``
    for a scan that is no e-voucher, each with the identity package's plain message.
    """
    text = unicodedata.normalize("NFKC", typed).strip()
    compact = "".join(text.split()).replace("-", "")
    if _ID_NUMBER_LIKE.fullmatch(compact):
        return id_number_read(text, today)
    if _PRODUCT_BARCODE.fullmatch(compact) or len(text) >= TOKEN_MIN or _SCANNED_MARKS & set(text):
        return CardRead(CardKind.EVOUCHER, parse_evoucher(text))
    return CardRead(CardKind.SOCIAL_SECURITY_CARD, text.upper())


@dataclass(frozen=True, slots=True)
class CounterPatient:
    """The check, and for someone on the roster what the live quote is made with."""

    check: IdentityCheck
    patient: Patient | None  # None when nobody on the roster matches the read
    facility: Facility  # ``in_city`` is the patient's: from their insured area (``desktop.area``)
    id_number: str  # in full only for a role that may see it; masked otherwise
    read: CardRead | None = None  # what was read, to check again after a filing is entered

    @property
    def filed_out_of_area(self) -> bool:
        return self.check.person is not None and self.check.person.area.filed

    @property
    def person(self) -> CheckedPerson | None:
        return self.check.person

    @property
    def settleable(self) -> bool:
        return self.patient is not None and not any(f.code in NOT_SETTLEABLE for f in self.check.refusals)


def check_at_counter(
    store: Store, read: CardRead, facility_id: str, now: dt.datetime, *, full_id: bool = False
) -> CounterPatient:
    """``desktop.identity.check`` at ``facility_id`` on the day ``now`` falls on in China."""
    from db.models import Facility as FacilityRow
    from db.models import Person
    from desktop.identity import check, patient_from_check
    from desktop.policy.parameters import Scheme
    from desktop.roster import facility_for_quote
    from desktop.settlement.service import CHINA

    day = now.astimezone(CHINA).date()
    with store.reading() as session:
        result = check(session, read, facility_id, day, now)
        person = result.person
        employee = person is not None and person.scheme is Scheme.EMPLOYEE
        in_city = person is None or person.area.in_area
        facility = facility_for_quote(session.get_one(FacilityRow, facility_id), employee, day, in_city=in_city)
        if person is None:
            return CounterPatient(result, None, facility, result.read_number_masked, read)
        shown = session.get_one(Person, person.person_id).id_number if full_id else person.id_number_masked
        return CounterPatient(result, patient_from_check(result), facility, shown, read)
