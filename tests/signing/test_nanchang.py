"""Nanchang residents (洪府厅发〔2019〕102号): 第六条–第九条, 第十七条, 第三十一条."""

from __future__ import annotations

import pytest

from desktop.signing import (
    Decision,
    Grounds,
    Origin,
    Role,
    SigningHistory,
    SigningInputError,
    apply_decision,
    decide,
    signed_on,
    signing_on,
)
from tests.signing.builders import COMMUNITY, VILLAGE, D, history, record, request

POLICY = "nanchang-resident"
SIGNED = history(record("T01", D(2023, 1, 1), record_id=1))


def _accepted(h: SigningHistory, decision: Decision) -> SigningHistory:
    assert decision.accepted, decision.reason
    return apply_decision(h, decision, record_id=99)


# 第八条: one facility for the calendar year -----------------------------------------


def test_no_change_within_the_year_without_grounds() -> None:
    """第八条."""
    decision = decide(POLICY, SIGNED, request("T02", D(2024, 5, 10), Grounds.PERSONAL_WISH))
    assert not decision.accepted
    assert decision.article == "第八条"
    assert "同一自然年度内不得变更" in decision.reason
    assert "10月至12月" in decision.reason  # tells the patient when they may choose again
    assert decision.record is None
    assert decision.takes_effect is None


def test_first_signing_while_signed_is_a_change_and_refused() -> None:
    """第八条."""
    decision = decide(POLICY, SIGNED, request("T02", D(2024, 3, 1), Grounds.FIRST_SIGNING, paid_on=D(2024, 1, 2)))
    assert (decision.accepted, decision.article) == (False, "第八条")


# 第九条: October–December re-selection, from 1 January ------------------------------


def test_reselection_on_30_september_is_refused() -> None:
    """第八条、第九条."""
    decision = decide(POLICY, SIGNED, request("T02", D(2024, 9, 30), Grounds.ANNUAL_RESELECTION))
    assert not decision.accepted
    assert decision.article == "第八条、第九条"
    assert "10月至12月" in decision.reason


@pytest.mark.parametrize("day", [D(2024, 10, 1), D(2024, 11, 15), D(2024, 12, 31)])
def test_reselection_october_to_december_takes_effect_1_january(day: D) -> None:
    """第九条."""
    decision = decide(POLICY, SIGNED, request("T02", day, Grounds.ANNUAL_RESELECTION))
    assert decision.accepted
    assert decision.takes_effect == D(2025, 1, 1)
    assert decision.article == "第九条"
    assert decision.closes == (record("T01", D(2023, 1, 1), D(2024, 12, 31), record_id=1),)
    after = apply_decision(SIGNED, decision)
    assert signed_on(POLICY, after, D(2024, 12, 31)) == {"T01"}
    assert signed_on(POLICY, after, D(2025, 1, 1)) == {"T02"}


def test_reselecting_the_same_facility_is_not_needed() -> None:
    """第九条."""
    decision = decide(POLICY, SIGNED, request("T01", D(2024, 10, 8), Grounds.ANNUAL_RESELECTION))
    assert (decision.accepted, decision.article) == (False, "第九条")
    assert "视为继续选定原机构" in decision.reason


def test_a_second_reselection_in_the_window_replaces_the_pending_one() -> None:
    """第九条."""
    first = decide(POLICY, SIGNED, request("T02", D(2024, 10, 8), Grounds.ANNUAL_RESELECTION))
    h = apply_decision(SIGNED, first, record_id=2)
    again = decide(POLICY, h, request("T02", D(2024, 11, 2), Grounds.ANNUAL_RESELECTION))
    assert not again.accepted
    assert "2025年1月1日起生效，无需重复办理" in again.reason
    second = decide(POLICY, h, request("T03", D(2024, 11, 2), Grounds.ANNUAL_RESELECTION))
    assert second.accepted
    withdrawn = next(r for r in second.closes if r.record_id == 2)
    assert withdrawn.withdrawn  # never took effect, kept as history
    h = apply_decision(h, second, record_id=3)
    assert signed_on(POLICY, h, D(2024, 12, 31)) == {"T01"}
    assert signed_on(POLICY, h, D(2025, 1, 1)) == {"T03"}


def test_no_action_carries_the_signing_over() -> None:
    """第九条."""
    assert signed_on(POLICY, SIGNED, D(2026, 7, 1)) == {"T01"}


def test_a_year_end_record_carries_over_across_two_years() -> None:
    """第九条."""
    h = history(record("T01", D(2023, 1, 1), D(2023, 12, 31)))
    for day in (D(2023, 12, 31), D(2024, 1, 1), D(2025, 12, 31)):
        assert signed_on(POLICY, h, day) == {"T01"}
    assert signing_on(POLICY, h, D(2025, 6, 1))[Role.SINGLE].carried_over
    assert not signing_on(POLICY, h, D(2023, 6, 1))[Role.SINGLE].carried_over


def test_a_record_ended_mid_year_does_not_carry_over() -> None:
    h = history(record("T01", D(2023, 1, 1), D(2023, 6, 30)))
    assert signed_on(POLICY, h, D(2023, 6, 30)) == {"T01"}
    assert signed_on(POLICY, h, D(2023, 7, 1)) == frozenset()


def test_carry_over_stops_where_the_next_signing_starts() -> None:
    """第九条."""
    h = history(record("T01", D(2023, 1, 1), D(2023, 12, 31)), record("T02", D(2024, 3, 1)))
    assert signed_on(POLICY, h, D(2024, 2, 29)) == {"T01"}
    assert signed_on(POLICY, h, D(2024, 3, 1)) == {"T02"}


# 第八条（一）: change of address, from the 1st of the next month --------------------


@pytest.mark.parametrize(
    ("requested", "confirmed", "starts"),
    [
        (D(2024, 5, 20), D(2024, 5, 20), D(2024, 6, 1)),
        (D(2024, 5, 31), D(2024, 5, 31), D(2024, 6, 1)),  # the last day of a month
        (D(2024, 5, 20), D(2024, 6, 3), D(2024, 7, 1)),  # timed by the confirmation, not the request
        (D(2024, 2, 29), D(2024, 2, 29), D(2024, 3, 1)),
        (D(2024, 12, 31), D(2024, 12, 31), D(2025, 1, 1)),
    ],
)
def test_address_change_takes_effect_the_1st_of_the_next_month(requested: D, confirmed: D, starts: D) -> None:
    """第八条."""
    ask = request("T02", requested, Grounds.ADDRESS_CHANGE, confirmed_on=confirmed, address_proof=True)
    decision = decide(POLICY, SIGNED, ask)
    assert decision.accepted
    assert (decision.takes_effect, decision.article) == (starts, "第八条（一）")
    h = _accepted(SIGNED, decision)
    assert signed_on(POLICY, h, confirmed) == {"T01"}
    assert signed_on(POLICY, h, starts) == {"T02"}


def test_address_change_needs_proof_of_the_new_address() -> None:
    """第八条."""
    ask = request("T02", D(2024, 5, 20), Grounds.ADDRESS_CHANGE, confirmed_on=D(2024, 5, 20))
    decision = decide(POLICY, SIGNED, ask)
    assert (decision.accepted, decision.article) == (False, "第八条（一）")
    assert "房产证或房屋租赁证明" in decision.reason


def test_address_change_waits_for_the_agency_to_confirm() -> None:
    """第八条."""
    decision = decide(POLICY, SIGNED, request("T02", D(2024, 5, 20), Grounds.ADDRESS_CHANGE, address_proof=True))
    assert (decision.accepted, decision.article) == (False, "第八条（一）")
    assert "尚未确定" in decision.reason


def test_address_change_in_december_overrides_a_pending_reselection() -> None:
    """第八条."""
    reselect = decide(POLICY, SIGNED, request("T02", D(2024, 10, 8), Grounds.ANNUAL_RESELECTION))
    h = apply_decision(SIGNED, reselect, record_id=2)
    move = request("T03", D(2024, 12, 10), Grounds.ADDRESS_CHANGE, confirmed_on=D(2024, 12, 12), address_proof=True)
    decision = decide(POLICY, h, move)
    assert decision.takes_effect == D(2025, 1, 1)
    h = apply_decision(h, decision, record_id=3)
    assert signed_on(POLICY, h, D(2025, 1, 1)) == {"T03"}


# 第八条（二）: suspended or terminated facility, reassigned at once -----------------


@pytest.mark.parametrize("grounds", [Grounds.FACILITY_SUSPENDED, Grounds.FACILITY_TERMINATED])
def test_suspended_facility_residents_are_reassigned_from_the_day_confirmed(grounds: Grounds) -> None:
    """第八条."""
    decision = decide(POLICY, SIGNED, request("T02", D(2024, 5, 14), grounds, confirmed_on=D(2024, 5, 15)))
    assert decision.accepted
    assert (decision.takes_effect, decision.article) == (D(2024, 5, 15), "第八条（二）")
    assert decision.record is not None
    assert decision.record.origin is Origin.REASSIGNED
    h = _accepted(SIGNED, decision)
    assert signed_on(POLICY, h, D(2024, 5, 14)) == {"T01"}
    assert signed_on(POLICY, h, D(2024, 5, 15)) == {"T02"}


def test_reassignment_waits_for_the_agency_to_confirm() -> None:
    """第八条."""
    decision = decide(POLICY, SIGNED, request("T02", D(2024, 5, 14), Grounds.FACILITY_SUSPENDED))
    assert (decision.accepted, decision.article) == (False, "第八条（二）")
    assert "经办机构就近选定" in decision.reason


def test_reassignment_of_someone_not_signed_is_refused() -> None:
    """第八条."""
    ask = request("T02", D(2024, 5, 14), Grounds.FACILITY_SUSPENDED, confirmed_on=D(2024, 5, 14))
    decision = decide(POLICY, history(), ask)
    assert (decision.accepted, decision.article) == (False, "第八条（二）")
    assert "首次签约" in decision.reason


# 第六条: newborns and the newly insured sign after paying ------------------------------


def test_newborn_signs_after_paying() -> None:
    """第六条."""
    ask = request("T01", D(2024, 3, 5), Grounds.FIRST_SIGNING, paid_on=D(2024, 3, 1), kind=COMMUNITY)
    decision = decide(POLICY, history(), ask)
    assert decision.accepted
    assert (decision.takes_effect, decision.article) == (D(2024, 3, 5), "第六条第三款")
    assert decision.closes == ()
    assert signed_on(POLICY, _accepted(history(), decision), D(2024, 3, 5)) == {"T01"}


@pytest.mark.parametrize("paid", [None, D(2024, 3, 6)])
def test_no_signing_before_paying(paid: D | None) -> None:
    """第六条."""
    decision = decide(POLICY, history(), request("T01", D(2024, 3, 5), Grounds.FIRST_SIGNING, paid_on=paid))
    assert (decision.accepted, decision.article) == (False, "第六条第三款")
    assert "缴纳" in decision.reason


def test_a_wish_with_nothing_signed_is_a_first_signing() -> None:
    """第六条."""
    ask = request("T01", D(2024, 3, 5), Grounds.PERSONAL_WISH, paid_on=D(2024, 1, 5))
    assert decide(POLICY, history(), ask).takes_effect == D(2024, 3, 5)


def test_first_signing_after_an_earlier_signing_ended() -> None:
    h = history(record("T01", D(2022, 1, 1), D(2022, 8, 31)))  # left the scheme mid-year
    ask = request("T02", D(2024, 3, 5), Grounds.FIRST_SIGNING, paid_on=D(2024, 3, 1))
    assert decide(POLICY, h, ask).accepted


# 第十七条: only township and community centres are signed; village clinics are service points


def test_a_village_clinic_cannot_be_signed() -> None:
    """第十七条."""
    ask = request("V01", D(2024, 3, 5), Grounds.FIRST_SIGNING, paid_on=D(2024, 3, 1), kind=VILLAGE)
    decision = decide(POLICY, history(), ask)
    assert not decision.accepted
    assert "第十七条" in decision.article
    assert "乡镇卫生院、社区卫生服务中心" in decision.reason


def test_nanchang_has_no_basic_or_village_station_role() -> None:
    ask = request("T01", D(2024, 3, 5), Grounds.FIRST_SIGNING, paid_on=D(2024, 3, 1), role=Role.BASIC)
    with pytest.raises(SigningInputError) as caught:
        decide(POLICY, history(), ask)
    assert caught.value.field == "request.role"


# 第三十一条: relocated residents sign here; benefits from the year after filing -------


def test_relocated_resident_is_signed_from_the_next_year() -> None:
    """第三十一条."""
    ask = request("T01", D(2024, 4, 12), Grounds.RELOCATION, paid_on=D(2024, 1, 3), relocation_filed_on=D(2024, 4, 10))
    decision = decide(POLICY, history(), ask)
    assert decision.accepted
    assert decision.takes_effect == D(2025, 1, 1)
    assert "第三十一条" in decision.article
    h = _accepted(history(), decision)
    assert signed_on(POLICY, h, D(2024, 12, 31)) == frozenset()
    assert signed_on(POLICY, h, D(2025, 1, 1)) == {"T01"}


def test_relocation_filed_a_year_before_takes_effect_on_the_day() -> None:
    """第三十一条."""
    ask = request("T01", D(2024, 4, 12), Grounds.RELOCATION, paid_on=D(2024, 1, 3), relocation_filed_on=D(2023, 6, 1))
    assert decide(POLICY, history(), ask).takes_effect == D(2024, 4, 12)


def test_relocation_needs_its_filing_date() -> None:
    with pytest.raises(SigningInputError) as caught:
        decide(POLICY, history(), request("T01", D(2024, 4, 12), Grounds.RELOCATION, paid_on=D(2024, 1, 3)))
    assert caught.value.field == "request.relocation_filed_on"
