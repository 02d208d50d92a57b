"""An identity check as JSON: ID number masked, money as "12.50" text, dates as ISO text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from desktop.identity.check import CheckedPerson, IdentityCheck
from desktop.money import format_amount


def check_json(result: IdentityCheck) -> dict[str, Any]:
    return {
        "facility": {"id": result.facility_id, "name": result.facility_name},
        "date": result.day.isoformat(),
        "read": {"kind": result.read_kind.value, "number": result.read_number_masked},
        "found": result.found,
        "refused": result.refused,
        "person": None if result.person is None else _person(result.person),
        "findings": [
            {"code": f.code.value, "severity": f.severity.value, "reason": f.reason, "article": f.article}
            for f in result.findings
        ],
    }


def _person(p: CheckedPerson) -> dict[str, Any]:
    # The birth date is left out: with the masked ID number it would give most of it back.
    return {
        "id": p.person_id,
        "psn_no": p.psn_no,
        "name": p.name,
        "id_number": p.id_number_masked,
        "gender": p.gender,
        "age": p.age,
        "insured": p.insured,
        "policy": p.policy,
        "policy_title": p.policy_title,
        "policy_version": p.policy_version,
        "scheme": p.scheme.value,
        "insutype": p.insutype,
        "insurance_division": p.insurance_division,
        "category": p.category,
        "employment": p.employment,
        "signed_here": p.signed_here,
        "signed_via_township": p.signed_via_township,
        "signed_facilities": [
            {"id": s.facility_id, "name": s.name, "role": s.role, "family_doctor": s.family_doctor}
            for s in p.signed_facilities
        ],
        "designated_here": p.designated_here,
        "family_doctor": p.family_doctor,
        "poverty_registered": p.poverty_registered,
        "chronic_diseases": list(p.chronic_diseases),
        "benefit_suspended": p.benefit_suspended,
        "area": _area(p),
        "year_to_date": {
            "year": p.year,
            "deductible_met": format_amount(p.year_to_date.deductible_met),
            "fund_paid": format_amount(p.year_to_date.fund_paid),
            "fund_paid_out_of_city": format_amount(p.year_to_date.fund_paid_out_of_city),
        },
        "deductible": _money(p.deductible),
        "cap": _money(p.cap),
        "cap_left": _money(p.cap_left),
        "account_balance": format_amount(p.account_balance),
        "roster_updated_at": p.roster_updated_at.isoformat(),
        "roster_age_days": p.roster_age_days,
        "roster_stale": p.roster_stale,
    }


def _area(p: CheckedPerson) -> dict[str, Any]:
    """The insured area against the clinic's, and the filing (异地备案) that covers this visit."""
    area, filing = p.area, p.area.filing
    return {
        "insured": area.insured_area,
        "care": area.care_area,
        "in_pooling_area": area.in_area if area.known else None,
        "filing_required": area.filing_required,
        "filing": None
        if filing is None
        else {
            "kind": filing.kind.value,
            "place_admdvs": filing.place_admdvs,
            "valid_from": filing.valid_from.isoformat(),
            "valid_until": None if filing.valid_until is None else filing.valid_until.isoformat(),
            "origin": filing.origin.value,
            "document_no": filing.document_no,
        },
    }


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format_amount(value)
