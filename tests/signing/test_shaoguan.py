"""Shaoguan residents (韶医保规〔2023〕2号) 第六条: a basic facility and an integrated village station."""

from __future__ import annotations

import pytest

from desktop.policy.types import FacilityKind
from desktop.signing import Grounds, Origin, Role, apply_decision, decide, missing_roles, signed_on, signing_on
from tests.signing.builders import SCHOOL, TOWNSHIP, VILLAGE, D, history, record, request

POLICY = "shaoguan-resident"
BOTH = history(
    record("T10", D(2023, 3, 7), role=Role.BASIC, record_id=1),
    record("V10", D(2023, 3, 7), kind=VILLAGE, role=Role.VILLAGE_STATION, record_id=2),
)


def test_signed_with_both_roles() -> None:
    """第六条."""
    assert signed_on(POLICY, BOTH, D(2024, 5, 10)) == {"T10", "V10"}
    assert set(signing_on(POLICY, BOTH, D(2024, 5, 10))) == {Role.BASIC, Role.VILLAGE_STATION}
    assert missing_roles(POLICY, BOTH, D(2024, 5, 10)) == ()


def test_a_missing_village_station_is_reported() -> None:
    """第六条."""
    h = history(record("T10", D(2023, 3, 7), role=Role.BASIC))
    assert missing_roles(POLICY, h, D(2024, 5, 10)) == (Role.VILLAGE_STATION,)
    assert missing_roles(POLICY, history(), D(2024, 5, 10)) == (Role.BASIC, Role.VILLAGE_STATION)


@pytest.mark.parametrize("kind", [TOWNSHIP, FacilityKind.COMMUNITY_HEALTH_CENTER, SCHOOL])
def test_basic_facility_kinds(kind: FacilityKind) -> None:
    """第六条."""
    ask = request("B01", D(2024, 3, 1), Grounds.FIRST_SIGNING, kind=kind, role=Role.BASIC, paid_on=D(2024, 1, 2))
    decision = decide(POLICY, history(), ask)
    assert decision.accepted
    assert decision.takes_effect == D(2024, 3, 1)


def test_a_village_station_cannot_be_the_basic_facility() -> None:
    """第六条."""
    ask = request("V10", D(2024, 3, 1), Grounds.FIRST_SIGNING, kind=VILLAGE, role=Role.BASIC, paid_on=D(2024, 1, 2))
    decision = decide(POLICY, history(), ask)
    assert (decision.accepted, decision.article) == (False, "第六条")
    assert "不能作为基层医疗机构" in decision.reason


def test_a_township_centre_cannot_be_the_village_station() -> None:
    """第六条."""
    ask = request("T10", D(2024, 3, 1), Grounds.FIRST_SIGNING, role=Role.VILLAGE_STATION, paid_on=D(2024, 1, 2))
    assert (decide(POLICY, history(), ask).accepted, decide(POLICY, history(), ask).article) == (False, "第六条")


def test_the_village_station_must_be_integrated() -> None:
    """第六条."""
    lone = request(
        "V11", D(2024, 3, 1), Grounds.FIRST_SIGNING, kind=VILLAGE, role=Role.VILLAGE_STATION, paid_on=D(2024, 1, 2)
    )
    decision = decide(POLICY, history(), lone)
    assert (decision.accepted, decision.article) == (False, "第六条")
    assert "一体化" in decision.reason
    integrated = request(
        "V11",
        D(2024, 3, 1),
        Grounds.FIRST_SIGNING,
        kind=VILLAGE,
        role=Role.VILLAGE_STATION,
        paid_on=D(2024, 1, 2),
        parent="T10",
    )
    assert decide(POLICY, history(), integrated).accepted


def test_fixed_for_a_year() -> None:
    """第六条."""
    ask = request("T11", D(2024, 5, 10), Grounds.PERSONAL_WISH, role=Role.BASIC)
    decision = decide(POLICY, BOTH, ask)
    assert (decision.accepted, decision.article) == (False, "第六条")
    assert "可申请下一年度重新选定" in decision.reason


def test_reselection_for_next_year_in_any_month() -> None:
    """第六条."""
    ask = request("T11", D(2024, 3, 15), Grounds.ANNUAL_RESELECTION, role=Role.BASIC)
    decision = decide(POLICY, BOTH, ask)
    assert decision.accepted
    assert decision.takes_effect == D(2025, 1, 1)


def test_a_move_changes_only_the_role_asked_from_the_day_processed() -> None:
    """第六条."""
    ask = request("V12", D(2024, 5, 31), Grounds.ADDRESS_CHANGE, kind=VILLAGE, role=Role.VILLAGE_STATION, parent="T10")
    decision = decide(POLICY, BOTH, ask)  # no proof is asked for by 第六条
    assert decision.accepted
    assert (decision.takes_effect, decision.article) == (D(2024, 5, 31), "第六条")
    assert [r.record_id for r in decision.closes] == [2]
    h = apply_decision(BOTH, decision, record_id=3)
    assert signed_on(POLICY, h, D(2024, 5, 30)) == {"T10", "V10"}
    assert signed_on(POLICY, h, D(2024, 5, 31)) == {"T10", "V12"}


def test_a_suspended_facility_is_replaced_by_the_residents_choice() -> None:
    """第六条."""
    ask = request("T11", D(2024, 5, 14), Grounds.FACILITY_SUSPENDED, role=Role.BASIC)
    decision = decide(POLICY, BOTH, ask)
    assert decision.accepted
    assert decision.takes_effect == D(2024, 5, 14)
    assert decision.record is not None
    assert decision.record.origin is Origin.CHOSEN


def test_both_roles_carry_over_into_later_years() -> None:
    """第六条."""
    assert signed_on(POLICY, BOTH, D(2027, 1, 1)) == {"T10", "V10"}
