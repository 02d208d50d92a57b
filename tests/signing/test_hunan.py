"""Hunan residents (湘人社发〔2017〕94号) 第六条: choose when paying, default to the registered residence, renew."""

from __future__ import annotations

from desktop.policy.types import FacilityKind
from desktop.signing import Grounds, Origin, Role, apply_decision, decide, signed_on, signing_on
from tests.signing.builders import VILLAGE, D, history, record, request

POLICY = "hunan-resident"
HOME = ("V20", VILLAGE)


def test_unsigned_by_choice_defaults_to_the_registered_residence() -> None:
    """第六条."""
    h = history(residence=HOME)
    assert signed_on(POLICY, h, D(2024, 5, 10)) == {"V20"}
    signed = signing_on(POLICY, h, D(2024, 5, 10))[Role.SINGLE]
    assert signed.origin is Origin.DEFAULTED
    assert signed.record is None


def test_a_residence_facility_that_cannot_be_designated_is_no_default() -> None:
    """第六条."""
    h = history(residence=("H01", FacilityKind.HOSPITAL))  # 不具备定点条件的除外
    assert signed_on(POLICY, h, D(2024, 5, 10)) == frozenset()


def test_no_residence_known_no_default() -> None:
    assert signed_on(POLICY, history(), D(2024, 5, 10)) == frozenset()


def test_a_choice_replaces_the_default() -> None:
    """第六条."""
    h = history(residence=HOME)
    ask = request("T20", D(2024, 3, 5), Grounds.FIRST_SIGNING, paid_on=D(2024, 3, 5))
    decision = decide(POLICY, h, ask)
    assert decision.accepted
    assert (decision.takes_effect, decision.article) == (D(2024, 3, 5), "第六条")
    h = apply_decision(h, decision, record_id=1)
    assert signed_on(POLICY, h, D(2024, 3, 4)) == {"V20"}
    assert signed_on(POLICY, h, D(2024, 3, 5)) == {"T20"}


def test_a_stored_default_also_yields_to_the_first_choice() -> None:
    """第六条."""
    h = history(record("V20", D(2023, 1, 1), kind=VILLAGE, origin=Origin.DEFAULTED, record_id=1))
    decision = decide(POLICY, h, request("T20", D(2024, 3, 5), Grounds.FIRST_SIGNING, paid_on=D(2024, 1, 5)))
    assert decision.accepted
    assert decision.closes == (
        record("V20", D(2023, 1, 1), D(2024, 3, 4), kind=VILLAGE, origin=Origin.DEFAULTED, record_id=1),
    )


def test_chosen_once_then_fixed_for_the_year() -> None:
    """第六条."""
    h = history(record("T20", D(2024, 3, 5)))
    decision = decide(POLICY, h, request("V20", D(2024, 6, 1), Grounds.PERSONAL_WISH, kind=VILLAGE))
    assert (decision.accepted, decision.article) == (False, "第六条")


def test_renews_automatically() -> None:
    """第六条."""
    h = history(record("T20", D(2022, 1, 1), D(2022, 12, 31)), residence=HOME)
    assert signed_on(POLICY, h, D(2024, 8, 1)) == {"T20"}  # the choice renews; the default does not return
    assert signing_on(POLICY, h, D(2024, 8, 1))[Role.SINGLE].carried_over


def test_reselection_is_made_when_paying() -> None:
    """第六条."""
    h = history(record("T20", D(2022, 1, 1)))
    unpaid = decide(POLICY, h, request("V20", D(2024, 10, 5), Grounds.ANNUAL_RESELECTION, kind=VILLAGE))
    assert (unpaid.accepted, unpaid.article) == (False, "第六条")
    assert "缴纳" in unpaid.reason
    last_year = request("V20", D(2024, 10, 5), Grounds.ANNUAL_RESELECTION, kind=VILLAGE, paid_on=D(2023, 10, 1))
    assert not decide(POLICY, h, last_year).accepted
    paid = request("V20", D(2024, 10, 5), Grounds.ANNUAL_RESELECTION, kind=VILLAGE, paid_on=D(2024, 10, 5))
    decision = decide(POLICY, h, paid)
    assert decision.accepted
    assert decision.takes_effect == D(2025, 1, 1)


def test_no_change_of_address_within_the_year() -> None:
    """第六条."""
    h = history(record("T20", D(2022, 1, 1)))
    ask = request("T21", D(2024, 6, 1), Grounds.ADDRESS_CHANGE, address_proof=True, confirmed_on=D(2024, 6, 1))
    decision = decide(POLICY, h, ask)
    assert (decision.accepted, decision.article) == (False, "第六条")
    assert "原则上一年一定" in decision.reason


def test_a_facility_no_longer_designated_is_replaced_at_once() -> None:
    """第八条."""
    h = history(record("T20", D(2022, 1, 1)))
    decision = decide(POLICY, h, request("T21", D(2024, 6, 12), Grounds.FACILITY_TERMINATED))
    assert decision.accepted
    assert (decision.takes_effect, decision.article) == (D(2024, 6, 12), "第八条")
