"""Quote requests as the contract's JSON, with defaults a clerk would fill in, and a runner.

Requests are built as JSON objects (not dataclasses) so every test also exercises the codec.
"""

from __future__ import annotations

import copy
from typing import Any

from desktop.policy import PolicyBook
from desktop.quote_cli import quote_json

Json = dict[str, Any]

EMPLOYEE_POLICIES = ("nanchang-employee", "nanchong-employee")
RESIDENT_POLICIES = ("nanchang-resident", "shaoguan-resident", "hunan-resident")
ALL_POLICIES = RESIDENT_POLICIES + EMPLOYEE_POLICIES

# A day each policy is in force, and a facility each resident is signed with there.
VISIT_DAY = "2024-05-10"
SIGNED: dict[str, Json] = {
    "nanchang-resident": {"id": "T01", "kind": "township_health_center"},
    "shaoguan-resident": {"id": "T10", "kind": "township_health_center"},
    "hunan-resident": {"id": "V20", "kind": "village_clinic", "parent_id": "T20"},
    "nanchang-employee": {"id": "H11", "kind": "hospital", "level": 1},
    "nanchong-employee": {"id": "H11", "kind": "hospital", "level": 1},
}


def item(kind: str = "drug", cls: str = "A", amount: str = "10.00", *, name: str = "") -> Json:
    entry: Json = {"kind": kind, "class": cls, "amount": amount}
    if name:
        entry["name"] = name
        entry["code"] = name[:2]
    return entry


def request(
    policy: str = "nanchang-resident",
    *items: Json,
    visit_date: str = VISIT_DAY,
    patient: Json | None = None,
    facility: Json | None = None,
    visit: Json | None = None,
    ytd: Json | None = None,
    **top: Any,
) -> Json:
    """A covered visit at the patient's own facility, changed only where a test says so."""
    signed = SIGNED[policy]
    body: Json = {
        "policy": policy,
        "visit_date": visit_date,
        "patient": {"birth_date": "1970-01-01", "contracted_facilities": [signed["id"]], **(patient or {})},
        "facility": {**signed, **(facility or {})},
        "visit": {"items": list(items) or [item(amount="100.00")], **(visit or {})},
        **top,
    }
    if ytd is not None:
        body["year_to_date"] = ytd
    return copy.deepcopy(body)


def run(book: PolicyBook, body: Json) -> Json:
    return quote_json(body, book)


def money_of(result: Json) -> Json:
    """The result without the explanation and per-item lines: what order must not change."""
    return {k: v for k, v in result.items() if k not in ("explanation", "items")}


def expect(result: Json, **fields: Any) -> None:
    for key, value in fields.items():
        assert result[key] == value, f"{key}: expected {value!r}, got {result[key]!r}\n{result['explanation']}"
