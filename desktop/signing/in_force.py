"""Which facilities a resident is signed with on a given day: what the quote's
``contracted_facilities`` is filled with.

A signing with no end runs on from year to year; one that ends on 31 December with
nothing after it in its role carries over too where the policy renews automatically
(南昌 第九条, 湖南 第六条). Where a Hunan resident has chosen nothing, the designated
facility of the registered residence is the signing (湖南 第六条).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desktop.policy.parameters import PolicyBook, Scheme, default_book
from desktop.policy.types import FacilityKind
from desktop.signing.dates import is_year_end
from desktop.signing.rules import NoSigningRulesError, SigningRulebook, SigningRules, default_signing_rules
from desktop.signing.types import Origin, Role, SigningHistory, SigningRecord


@dataclass(frozen=True, slots=True)
class Signed:
    """One facility the resident is signed with on a day, and why."""

    facility_id: str
    facility_kind: FacilityKind
    role: Role
    origin: Origin
    family_doctor: bool
    carried_over: bool
    record: SigningRecord | None  # None for a default that was never stored


def rules_or_none(policy: str, rules: SigningRulebook | None, book: PolicyBook | None) -> SigningRules | None:
    """The policy's signing rules, or None for an employee scheme, which has no signing."""
    found = (rules or default_signing_rules()).get(policy)
    if found is not None:
        return found
    versions = (book or default_book()).versions(policy)
    if all(v.scheme is Scheme.EMPLOYEE for v in versions):
        return None
    raise NoSigningRulesError(policy, (rules or default_signing_rules()).policies)


def stored_on(rules: SigningRules, history: SigningHistory, role: Role, day: dt.date) -> Signed | None:
    """The stored signing of ``role`` in force on ``day``, carried over where the policy renews."""
    latest: SigningRecord | None = None
    for record in history.live(role):
        if record.effective_from > day:
            break
        latest = record
    if latest is None:
        return None
    if latest.covers(day):
        return _signed(latest, carried_over=False)
    assert latest.effective_until is not None
    if rules.renews_automatically.value and is_year_end(latest.effective_until):
        return _signed(latest, carried_over=True)
    return None


def _signed(record: SigningRecord, *, carried_over: bool) -> Signed:
    return Signed(
        facility_id=record.facility_id,
        facility_kind=record.facility_kind,
        role=record.role,
        origin=record.origin,
        family_doctor=record.family_doctor,
        carried_over=carried_over,
        record=record,
    )


def _default(rules: SigningRules, history: SigningHistory, role: Role) -> Signed | None:
    home = history.residence_facility
    if not rules.default_to_residence.value or home is None:
        return None
    # 不具备定点条件的除外: a residence facility of a kind one may not sign with is no default.
    if home.facility_kind not in rules.roles.value[role]:
        return None
    return Signed(home.facility_id, home.facility_kind, role, Origin.DEFAULTED, False, False, None)


def signing_on(
    policy: str,
    history: SigningHistory,
    day: dt.date,
    *,
    rules: SigningRulebook | None = None,
    book: PolicyBook | None = None,
) -> dict[Role, Signed]:
    """Each role's signing in force on ``day``; empty for employee schemes."""
    found = rules_or_none(policy, rules, book)
    if found is None:
        return {}
    result: dict[Role, Signed] = {}
    for role in found.roles.value:
        signed = stored_on(found, history, role, day) or _default(found, history, role)
        if signed is not None:
            result[role] = signed
    return result


def signed_on(
    policy: str,
    history: SigningHistory,
    day: dt.date,
    *,
    rules: SigningRulebook | None = None,
    book: PolicyBook | None = None,
) -> frozenset[str]:
    """The facility ids in force on ``day``: the quote's ``contracted_facilities``."""
    return frozenset(s.facility_id for s in signing_on(policy, history, day, rules=rules, book=book).values())


def missing_roles(
    policy: str,
    history: SigningHistory,
    day: dt.date,
    *,
    rules: SigningRulebook | None = None,
    book: PolicyBook | None = None,
) -> tuple[Role, ...]:
    """Roles the policy asks for that nothing fills on ``day`` (e.g. Shaoguan's village station)."""
    found = rules_or_none(policy, rules, book)
    if found is None:
        return ()
    signed = signing_on(policy, history, day, rules=rules, book=book)
    return tuple(role for role in Role if role in found.roles.value and role not in signed)
