"""Hypothesis strategies for well-formed quote requests under every shipped policy."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from tests.policy.builders import ALL_POLICIES, SIGNED, Json

FACILITY_KINDS = [
    "village_clinic",
    "township_health_center",
    "community_health_center",
    "school_clinic",
    "county_tcm_hospital",
    "hospital",
    "pharmacy",
]
ITEM_KINDS = ["drug", "tcm_drug", "exam", "treatment", "tcm_treatment", "material", "consultation_fee"]


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


amounts = st.integers(0, 80_000).map(yuan)
small_amounts = st.integers(0, 3_000).map(yuan)
days_2024 = st.integers(0, 365).map(lambda n: (dt.date(2024, 1, 1) + dt.timedelta(days=n)).isoformat())


@st.composite
def items(draw: st.DrawFn) -> Json:
    return {
        "kind": draw(st.sampled_from(ITEM_KINDS)),
        "class": draw(st.sampled_from(["A", "A", "B", "C"])),
        "amount": draw(st.one_of(small_amounts, amounts)),
        "name": draw(st.sampled_from(["", "阿莫西林", "血常规"])),
    }


@st.composite
def visits(draw: st.DrawFn, *, dated_retirement: bool = True) -> Json:
    """Any well-formed visit, covered or not, under any shipped policy, in 2024."""
    policy = draw(st.sampled_from(ALL_POLICIES))
    facility_id = draw(st.sampled_from(["T01", "V01", "H01", "P01"]))
    return {
        "policy": policy,
        "visit_date": draw(days_2024),
        "patient": {
            "birth_date": draw(st.sampled_from(["1950-03-01", "1990-07-15", "2023-12-20"])),
            "category": draw(st.sampled_from(["general", "general", "university_student", "newborn"])),
            "employment": draw(st.sampled_from(["active", "retired"])),
            "retired_on": draw(st.one_of(st.none(), days_2024)) if dated_retirement else None,
            "poverty_registered": draw(st.booleans()),
            "family_doctor": draw(st.booleans()),
            "contracted_facilities": draw(st.lists(st.sampled_from(["T01", "V01", "H01"]), max_size=2)),
            "enrolled_on": draw(st.one_of(st.none(), days_2024)),
            "chronic_diseases": draw(st.lists(st.sampled_from(["hypertension", "diabetes"]), max_size=1)),
            "benefit_suspended": draw(st.just(False) | st.booleans()),
            "account_balance": draw(st.one_of(st.just("0.00"), amounts)),
        },
        "facility": {
            "id": facility_id,
            "kind": draw(st.sampled_from(FACILITY_KINDS)),
            "level": draw(st.integers(1, 3)),
            "parent_id": draw(st.sampled_from([None, "T01"])),
            "in_city": draw(st.booleans() | st.just(True)),
            "designated": draw(st.just(True) | st.booleans()),
        },
        "visit": {
            "referral": draw(st.booleans()),
            "emergency": draw(st.booleans()),
            "filed_out_of_area": draw(st.booleans()),
            "inpatient": draw(st.just(False) | st.booleans()),
            "liability": draw(st.sampled_from([None, None, None, "work_injury", "third_party", "public_health"])),
            "disease": draw(st.sampled_from([None, None, "hypertension"])),
            "items": draw(st.lists(items(), max_size=6)),
        },
        "year_to_date": {
            "deductible_met": draw(st.one_of(st.just("0.00"), amounts)),
            "fund_paid": draw(st.one_of(st.just("0.00"), amounts)),
            "fund_paid_out_of_city": draw(st.one_of(st.just("0.00"), small_amounts)),
        },
        "pay_from_account": draw(st.booleans() | st.just(True)),
    }


@st.composite
def covered_visits(draw: st.DrawFn) -> Json:
    """A visit each policy pays for, at its signed (or designated) facility, with the year so
    far anywhere from nothing to past every cap: where the deductible, the caps and their
    crossings are, which ``visits()`` reaches only by chance."""
    body = draw(visits(dated_retirement=False))
    policy = body["policy"]
    facility = {"level": 1, "parent_id": None, "in_city": True, "designated": True, **SIGNED[policy]}
    facility["in_city"] = draw(st.just(True) | st.booleans())  # out of the city: 韶关's 50-yuan sub-cap
    body["facility"] = facility
    body["patient"].update(
        category="general",
        contracted_facilities=[facility["id"], *([facility["parent_id"]] if facility["parent_id"] else [])],
        enrolled_on=None,
        chronic_diseases=[],
        benefit_suspended=False,
    )
    body["visit"].update(
        referral=False,
        emergency=not facility["in_city"],  # away from home only an emergency is paid (韶医保规〔2023〕2号 第六条)
        filed_out_of_area=True,  # and an employee only with a filing (洪府办发〔2022〕93号 第二十二条)
        inpatient=False,
        liability=None,
        disease=None,
        items=draw(st.lists(items(), min_size=1, max_size=6)),
    )
    fen = st.integers(0, 250_000)  # up to 2,500 yuan: past the largest cap (南昌职工 retired, 2,000)
    body["year_to_date"] = {
        "deductible_met": yuan(draw(st.integers(0, 100_000))),
        "fund_paid": yuan(draw(fen)),
        "fund_paid_out_of_city": yuan(draw(st.integers(0, 8_000))),
    }
    return body


def any_visits() -> st.SearchStrategy[Json]:
    """Half any well-formed visit, half one the policy pays for."""
    return st.one_of(visits(dated_retirement=False), covered_visits())
