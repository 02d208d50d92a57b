"""Employee schemes have no signing; bad records, histories and requests are refused by field."""

from __future__ import annotations

import pytest

from desktop.policy import UnknownPolicyError
from desktop.signing import (
    ChangeRequest,
    Grounds,
    NoSigningRulesError,
    Role,
    SigningHistory,
    SigningInputError,
    SigningRecord,
    apply_decision,
    decide,
    missing_roles,
    signed_on,
)
from tests.signing.builders import TOWNSHIP, D, history, record, request


@pytest.mark.parametrize(
    ("policy", "article"), [("nanchang-employee", "第二十五条（四）"), ("nanchong-employee", "第二十五条")]
)
def test_employee_schemes_have_no_signing(policy: str, article: str) -> None:
    decision = decide(policy, history(), request("T01", D(2024, 3, 5), Grounds.FIRST_SIGNING))
    assert not decision.accepted
    assert decision.article == article
    assert "定点" in decision.reason
    assert signed_on(policy, history(record()), D(2024, 3, 5)) == frozenset()
    assert missing_roles(policy, history(), D(2024, 3, 5)) == ()


def test_unknown_policy() -> None:
    with pytest.raises(UnknownPolicyError):
        signed_on("atlantis-resident", history(), D(2024, 3, 5))


def test_a_resident_policy_without_signing_rules_says_which_file_to_add() -> None:
    from desktop.policy import load_book
    from desktop.signing import SigningRulebook

    with pytest.raises(NoSigningRulesError, match=r"resources/signing/nanchang-resident\.toml"):
        signed_on("nanchang-resident", history(), D(2024, 3, 5), rules=SigningRulebook([]), book=load_book())


def test_overlapping_records_of_one_role_are_refused() -> None:
    with pytest.raises(SigningInputError) as caught:
        history(record("T01", D(2023, 1, 1)), record("T02", D(2024, 1, 1)))
    assert caught.value.field == "records[1]"


def test_records_of_different_roles_may_overlap() -> None:
    h = history(record("T01", D(2023, 1, 1), role=Role.BASIC), record("V01", D(2023, 1, 1), role=Role.VILLAGE_STATION))
    assert len(h.records) == 2


def test_a_record_of_another_person_is_refused() -> None:
    other = SigningRecord(8, "T01", TOWNSHIP, Role.SINGLE, D(2023, 1, 1))
    with pytest.raises(SigningInputError) as caught:
        SigningHistory(7, (other,))
    assert caught.value.field == "records[0].person"


def test_a_record_ending_long_before_it_starts_is_refused() -> None:
    with pytest.raises(SigningInputError) as caught:
        record("T01", D(2023, 5, 1), D(2023, 4, 1))
    assert caught.value.field == "effective_until"


def test_a_confirmation_before_the_request_is_refused() -> None:
    with pytest.raises(SigningInputError) as caught:
        ChangeRequest("T01", TOWNSHIP, D(2024, 5, 2), Grounds.ADDRESS_CHANGE, confirmed_on=D(2024, 5, 1))
    assert caught.value.field == "request.confirmed_on"


def test_only_an_accepted_decision_is_applied() -> None:
    refused = decide("nanchang-resident", history(record()), request("T02", D(2024, 5, 2), Grounds.PERSONAL_WISH))
    with pytest.raises(SigningInputError):
        apply_decision(history(record()), refused)
