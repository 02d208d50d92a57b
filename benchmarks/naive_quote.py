"""A plain implementation of the quote contract (../shared/spec/quote-contract.md): the yardstick.

Dicts and the standard library's json, figures typed in from the policy files, no explanation.
JSON Lines in on standard input, one result line out per input line.

    .venv/bin/python benchmarks/naive_quote.py < visits.jsonl > quotes.jsonl
"""

import datetime as dt
import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

D = Decimal
ZERO = D("0.00")
CENT = D("0.01")
RESIDENT_KINDS = ("village_clinic", "township_health_center", "community_health_center")

POLICIES: dict[str, dict[str, Any]] = {
    "nanchang-resident": {
        "version": "洪府厅发〔2019〕102号", "from": "2020-01-01", "until": "9999-12-31", "employee": False,
        "rates": {k: D("0.60") for k in RESIDENT_KINDS}, "referral_rate": D("0.40"),
        "referral_kinds": ["county_tcm_hospital"], "referral_in_city_only": False, "emergency_rate": None,
        "poverty_rate": D("0.65"), "family_doctor_bonus": D("0.05"), "cap": None, "out_of_city_cap": None,
        "excluded": ["university_student"], "village_counts_as_parent": True,
        "referral_scope": (["tcm_drug"], ["tcm_treatment"]), "consultation_standard": {}, "newborn_months": None,
    },
    "shaoguan-resident": {
        "version": "韶医保规〔2023〕2号", "from": "2023-03-07", "until": "2028-03-06", "employee": False,
        "rates": {k: D("0.70") for k in (*RESIDENT_KINDS, "school_clinic")}, "referral_rate": D("0.70"),
        "referral_kinds": ["*"], "referral_in_city_only": True, "emergency_rate": D("0.70"),
        "poverty_rate": None, "family_doctor_bonus": None, "cap": D("300.00"), "out_of_city_cap": D("50.00"),
        "excluded": [], "village_counts_as_parent": False, "referral_scope": None, "newborn_months": 6,
        "consultation_standard": {"village_clinic": D("5.00"), "township_health_center": D("10.00"),
                                  "community_health_center": D("10.00")},
    },
    "hunan-resident": {
        "version": "湘人社发〔2017〕94号", "from": "2018-01-01", "until": "9999-12-31", "employee": False,
        "rates": {"village_clinic": D("0.70"), "township_health_center": D("0.60"),
                  "community_health_center": D("0.60")},
        "referral_rate": None, "referral_kinds": [], "referral_in_city_only": False, "emergency_rate": None,
        "poverty_rate": None, "family_doctor_bonus": None, "cap": None, "out_of_city_cap": None, "excluded": [],
        "village_counts_as_parent": False, "referral_scope": None, "consultation_standard": {},
        "newborn_months": None,
    },
    "nanchang-employee": {
        "version": "洪府办发〔2022〕93号", "from": "2023-01-01", "until": "9999-12-31", "employee": True,
        "retired_next_month": True, "consultation_outside_cap": True,
        "active": {"deductible": D("600.00"), "rates": {1: D("0.60"), 2: D("0.55"), 3: D("0.50")},
                   "pharmacy": D("0.60"), "cap": D("1800.00")},
        "retired": {"deductible": D("600.00"), "rates": {1: D("0.65"), 2: D("0.60"), 3: D("0.55")},
                    "pharmacy": D("0.65"), "cap": D("2000.00")},
    },
    "nanchong-employee": {
        "version": "南府办发〔2022〕33号", "from": "2023-01-01", "until": "2027-12-31", "employee": True,
        "retired_next_month": False, "consultation_outside_cap": False,
        "active": {"deductible": D("200.00"), "rates": {1: D("0.60"), 2: D("0.60"), 3: D("0.50")},
                   "pharmacy": D("0.50"), "cap": D("1000.00")},
        "retired": {"deductible": D("150.00"), "rates": {1: D("0.65"), 2: D("0.65"), 3: D("0.55")},
                    "pharmacy": D("0.55"), "cap": D("1200.00")},
    },
}  # fmt: skip


def money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def newborn_start(patient: dict[str, Any], months: int) -> dt.date:
    birth, enrolled = dt.date.fromisoformat(patient["birth_date"]), dt.date.fromisoformat(patient["enrolled_on"])
    index = birth.month - 1 + months
    year, month = birth.year + index // 12, index % 12 + 1
    last = (next_month(dt.date(year, month, 1)) - dt.timedelta(days=1)).day
    return birth if enrolled <= dt.date(year, month, min(birth.day, last)) else next_month(enrolled)


def quote(req: dict[str, Any]) -> dict[str, Any]:  # noqa: PLR0912, PLR0915 — one plain function
    p = POLICIES[req["policy"]]
    emp, day = p["employee"], dt.date.fromisoformat(req["visit_date"])
    if not p["from"] <= req["visit_date"] <= p["until"]:
        raise ValueError("visit_date: policy not in force")
    pat, fac, vis, ytd = req["patient"], req["facility"], req.get("visit") or {}, req.get("year_to_date") or {}
    met, paid = D(ytd.get("deductible_met", "0.00")), D(ytd.get("fund_paid", "0.00"))
    paid_away = D(ytd.get("fund_paid_out_of_city", "0.00"))
    in_city, kind, signed = fac.get("in_city", True), fac["kind"], pat.get("contracted_facilities") or []
    contracted = fac["id"] in signed or (
        not emp and p["village_counts_as_parent"] and kind == "village_clinic" and fac.get("parent_id") in signed
    )
    route, deductible, cap, separate = None, ZERO, None, False
    if emp:
        standing = "retired" if pat.get("employment") == "retired" else "active"
        if standing == "retired" and pat.get("retired_on"):
            retired = dt.date.fromisoformat(pat["retired_on"])
            start = next_month(retired) if p["retired_next_month"] else retired.replace(day=1)
            standing = "retired" if day >= start else "active"
        b = p[standing]
        base = b["pharmacy"] if kind == "pharmacy" else b["rates"][fac.get("level", 1)]
        deductible, cap, separate = b["deductible"], b["cap"], p["consultation_outside_cap"]
    else:
        if contracted:
            route = "contracted"
        elif vis.get("referral") and p["referral_rate"] and ("*" in p["referral_kinds"] or kind in p["referral_kinds"]):
            route = "referral" if in_city or not p["referral_in_city_only"] else None
        if route is None and vis.get("emergency") and p["emergency_rate"] is not None:
            route = "emergency"
        base, cap = p["rates"].get(kind) if route == "contracted" else ZERO, p["cap"]
    reason = None
    if not fac.get("designated", True) or base is None:
        reason = "not_designated"
    elif vis.get("liability"):
        reason = "other_liability"
    elif vis.get("inpatient"):
        reason = "inpatient"
    elif pat.get("benefit_suspended"):
        reason = "benefit_suspended"
    elif vis.get("disease") and vis["disease"] in (pat.get("chronic_diseases") or []):
        reason = "chronic_disease_scheme"
    elif not emp and pat.get("category", "general") in p["excluded"]:
        reason = "excluded_category"
    elif (
        not emp
        and p["newborn_months"]
        and pat.get("category") == "newborn"
        and (not pat.get("enrolled_on") or day < newborn_start(pat, p["newborn_months"]))
    ):
        reason = "not_yet_covered"
    elif not emp and route is None:
        reason = "not_contracted_facility"
    elif emp and not in_city and not vis.get("filed_out_of_area"):
        reason = "out_of_area_not_filed"
    standard = None if emp else p["consultation_standard"].get(kind)
    scope = None if emp or not vis.get("referral") or contracted else p["referral_scope"]
    in_scope = out_scope = consult = ZERO
    for it in vis.get("items") or []:
        amount = share = D(it["amount"])
        if it["class"] == "C" or (
            scope and it["kind"] not in scope[0] and not (it["kind"] in scope[1] and it["class"] == "A")
        ):
            share = ZERO
        elif it["kind"] == "consultation_fee":
            if standard is not None:
                share = min(amount, standard)
                standard -= share
            consult += share
        in_scope, out_scope = in_scope + share, out_scope + amount - share
    total, rate, fund, applied, toward, cap_reached = in_scope + out_scope, ZERO, ZERO, ZERO, ZERO, False
    if reason is None:
        rate = {"referral": p.get("referral_rate"), "emergency": p.get("emergency_rate")}.get(route or "", base)
        if not emp and pat.get("poverty_registered") and p["poverty_rate"]:
            rate = max(rate, p["poverty_rate"])
        if route == "contracted" and pat.get("family_doctor") and p["family_doctor_bonus"]:
            rate = min(D("1.00"), rate + p["family_doctor_bonus"])
        left = max(ZERO, deductible - met)
        main_ded = min(left, in_scope - consult)
        applied = main_ded + min(left - main_ded, consult)
        outside = ZERO
        if separate:
            raw = (rate * (in_scope - consult - main_ded)).quantize(CENT, ROUND_HALF_UP)
            outside = (rate * (consult - (applied - main_ded))).quantize(CENT, ROUND_HALF_UP)
        else:
            raw = (rate * (in_scope - applied)).quantize(CENT, ROUND_HALF_UP)
        rooms = [max(ZERO, cap - paid)] if cap is not None else []
        if not in_city and not emp and p["out_of_city_cap"] is not None:
            rooms.append(max(ZERO, p["out_of_city_cap"] - paid_away))
        room = min(rooms) if rooms else None
        toward = raw if room is None else min(raw, room)
        fund = toward + outside
        cap_reached = room is not None and room == ZERO and fund == ZERO
    account = ZERO
    if emp and req.get("pay_from_account", True) and fac.get("designated", True) and not vis.get("liability"):
        account = max(ZERO, min(D(pat.get("account_balance", "0.00")), total - fund))
    return {
        "policy": req["policy"], "policy_version": p["version"], "covered": reason is None,
        "reason": "cap_reached" if cap_reached else reason, "total": money(total), "out_of_scope": money(out_scope),
        "in_scope": money(in_scope), "deductible_applied": money(applied), "rate": money(rate), "fund": money(fund),
        "account": money(account), "cash": money(total - fund - account),
        "year_to_date_after": {"deductible_met": money(met + applied), "fund_paid": money(paid + toward),
                               "fund_paid_out_of_city": money(paid_away + (ZERO if in_city else toward))},
    }  # fmt: skip


def main() -> None:
    out = sys.stdout
    for number, line in enumerate(sys.stdin, start=1):
        try:
            result = quote(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            result = {"error": str(exc), "field": "", "line": number}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
