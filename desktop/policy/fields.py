"""The quote contract's field names, shared by the careful reader and the quick one."""

from __future__ import annotations

TOP = frozenset({"policy", "visit_date", "patient", "facility", "visit", "year_to_date", "pay_from_account"})
PATIENT = frozenset(
    {
        "birth_date",
        "category",
        "employment",
        "retired_on",
        "poverty_registered",
        "family_doctor",
        "contracted_facilities",
        "enrolled_on",
        "chronic_diseases",
        "benefit_suspended",
        "account_balance",
    }
)
FACILITY = frozenset({"id", "kind", "level", "parent_id", "in_city", "designated"})
VISIT = frozenset({"referral", "emergency", "filed_out_of_area", "inpatient", "liability", "disease", "items"})
ITEM = frozenset({"code", "name", "kind", "class", "amount"})
YEAR_TO_DATE = frozenset({"deductible_met", "fund_paid", "fund_paid_out_of_city"})
