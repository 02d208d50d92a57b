"""The typed inputs and outputs of one copay quote (see shared/spec/quote-contract.md).

The records are named tuples: as immutable as frozen dataclasses, and built for a
fraction of their cost (a frozen dataclass sets each field through ``object.__setattr__``),
which matters when ``quote --batch`` builds several per line. Change one with
``_replace``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from desktop.money import ZERO


class Category(StrEnum):
    GENERAL = "general"
    UNIVERSITY_STUDENT = "university_student"
    NEWBORN = "newborn"


class Employment(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"


class FacilityKind(StrEnum):
    VILLAGE_CLINIC = "village_clinic"
    TOWNSHIP_HEALTH_CENTER = "township_health_center"
    COMMUNITY_HEALTH_CENTER = "community_health_center"
    SCHOOL_CLINIC = "school_clinic"
    COUNTY_TCM_HOSPITAL = "county_tcm_hospital"
    HOSPITAL = "hospital"
    PHARMACY = "pharmacy"


class Liability(StrEnum):
    WORK_INJURY = "work_injury"
    THIRD_PARTY = "third_party"
    PUBLIC_HEALTH = "public_health"


class ItemKind(StrEnum):
    DRUG = "drug"
    TCM_DRUG = "tcm_drug"
    EXAM = "exam"
    TREATMENT = "treatment"
    TCM_TREATMENT = "tcm_treatment"
    MATERIAL = "material"
    CONSULTATION_FEE = "consultation_fee"


class ItemClass(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class Reason(StrEnum):
    """Why the fund pays nothing, in the contract's order of precedence."""

    NOT_DESIGNATED = "not_designated"
    OTHER_LIABILITY = "other_liability"
    INPATIENT = "inpatient"
    BENEFIT_SUSPENDED = "benefit_suspended"
    CHRONIC_DISEASE_SCHEME = "chronic_disease_scheme"
    EXCLUDED_CATEGORY = "excluded_category"
    NOT_YET_COVERED = "not_yet_covered"
    NOT_CONTRACTED_FACILITY = "not_contracted_facility"
    OUT_OF_AREA_NOT_FILED = "out_of_area_not_filed"
    CAP_REACHED = "cap_reached"


class Patient(NamedTuple):
    birth_date: dt.date
    category: Category = Category.GENERAL
    employment: Employment = Employment.ACTIVE
    retired_on: dt.date | None = None
    poverty_registered: bool = False
    family_doctor: bool = False
    contracted_facilities: tuple[str, ...] = ()
    enrolled_on: dt.date | None = None
    chronic_diseases: tuple[str, ...] = ()
    benefit_suspended: bool = False
    account_balance: Decimal = ZERO


class Facility(NamedTuple):
    id: str
    kind: FacilityKind
    level: int = 1
    parent_id: str | None = None
    in_city: bool = True
    designated: bool = True


class Item(NamedTuple):
    kind: ItemKind
    item_class: ItemClass
    amount: Decimal
    code: str = ""
    name: str = ""


class Visit(NamedTuple):
    items: tuple[Item, ...] = ()
    referral: bool = False
    emergency: bool = False
    inpatient: bool = False
    liability: Liability | None = None
    disease: str | None = None
    filed_out_of_area: bool = False  # 异地安置 or 转诊备案 on file covering a facility outside the pooling city


class YearToDate(NamedTuple):
    deductible_met: Decimal = ZERO
    fund_paid: Decimal = ZERO
    fund_paid_out_of_city: Decimal = ZERO


class QuoteRequest(NamedTuple):
    policy: str
    visit_date: dt.date
    patient: Patient
    facility: Facility
    visit: Visit = Visit()
    year_to_date: YearToDate = YearToDate()
    pay_from_account: bool = True


class ItemShare(NamedTuple):
    """One item as priced: how much of it is within the policy's scope."""

    item: Item
    in_scope: Decimal
    out_of_scope: Decimal


class Quote(NamedTuple):
    policy: str
    policy_version: str
    covered: bool
    reason: Reason | None
    total: Decimal
    out_of_scope: Decimal
    in_scope: Decimal
    deductible_applied: Decimal
    rate: Decimal
    fund: Decimal
    account: Decimal
    cash: Decimal
    year_to_date_after: YearToDate
    explanation: tuple[str, ...]
    items: tuple[ItemShare, ...] = ()
