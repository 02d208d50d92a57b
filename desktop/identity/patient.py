"""The copay engine's view of a checked person, so a settlement can quote with what the check found."""

from __future__ import annotations

from desktop.identity.check import IdentityCheck
from desktop.policy.types import Category, Employment, Patient


class NotOnRosterError(LookupError):
    """There is no patient to quote for: the check found nobody on the roster."""


def patient_from_check(result: IdentityCheck) -> Patient:
    person = result.person
    if person is None:
        raise NotOnRosterError(f"{result.read_kind.value} {result.read_number_masked} is not on the roster")
    return Patient(
        birth_date=person.birth_date,
        category=Category(person.category),
        employment=Employment(person.employment),
        retired_on=person.retired_on,
        poverty_registered=person.poverty_registered,
        family_doctor=person.family_doctor,
        contracted_facilities=tuple(dict.fromkeys(s.facility_id for s in person.signed_facilities)),
        enrolled_on=person.enrolled_on,
        chronic_diseases=person.chronic_diseases,
        benefit_suspended=person.benefit_suspended,
        account_balance=person.account_balance,
    )
