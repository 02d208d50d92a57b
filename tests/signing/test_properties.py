"""Properties over any sequence of requests, each applied when accepted (南昌 第八条–第九条, 韶关/湖南 第六条)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.policy.types import FacilityKind
from desktop.signing import (
    ChangeRequest,
    Grounds,
    Role,
    SigningHistory,
    apply_decision,
    decide,
    default_signing_rules,
    signed_on,
    signing_on,
)
from tests.signing.builders import PERSON, D

START = D(2023, 1, 1)
SPAN = 4 * 366
POLICIES = ["nanchang-resident", "shaoguan-resident", "hunan-resident"]
KINDS = {
    Role.SINGLE: [FacilityKind.TOWNSHIP_HEALTH_CENTER, FacilityKind.VILLAGE_CLINIC],
    Role.BASIC: [FacilityKind.TOWNSHIP_HEALTH_CENTER, FacilityKind.SCHOOL_CLINIC],
    Role.VILLAGE_STATION: [FacilityKind.VILLAGE_CLINIC],
}


@st.composite
def requests(draw: st.DrawFn, policy: str) -> list[ChangeRequest]:
    roles = sorted(default_signing_rules().rules_for(policy).roles.value)
    days = sorted(draw(st.lists(st.integers(0, SPAN), min_size=1, max_size=12)))
    found: list[ChangeRequest] = []
    for offset in days:
        role = draw(st.sampled_from(roles))
        day = START + dt.timedelta(days=offset)
        found.append(
            ChangeRequest(
                facility_id=f"{role.value[0].upper()}{draw(st.integers(1, 3))}",
                facility_kind=draw(st.sampled_from(KINDS[role])),
                requested_on=day,
                grounds=draw(st.sampled_from(list(Grounds))),
                role=role,
                facility_parent_id=draw(st.sampled_from([None, "T1"])),
                confirmed_on=draw(st.sampled_from([None, day, day + dt.timedelta(days=draw(st.integers(1, 40)))])),
                address_proof=draw(st.booleans()),
                contributions_paid_on=draw(st.sampled_from([None, day, D(day.year, 1, 1)])),
                relocation_filed_on=draw(st.sampled_from([day, day - dt.timedelta(days=400)])),
            )
        )
    return found


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[str, list[ChangeRequest]]:
    policy = draw(st.sampled_from(POLICIES))
    return policy, draw(requests(policy))


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_accepted_changes_never_overlap_nor_take_effect_before_asked(scenario: tuple[str, list[ChangeRequest]]) -> None:
    policy, asked = scenario
    rules = default_signing_rules().rules_for(policy)
    h = SigningHistory(PERSON)  # rebuilt (and re-checked for overlaps) after each accepted change
    for number, ask in enumerate(asked):
        decision = decide(policy, h, ask)
        if not decision.accepted:
            assert decision.reason
            assert decision.article.startswith("第")
            continue
        assert decision.takes_effect is not None
        assert decision.takes_effect >= ask.requested_on
        assert all(
            c.effective_until is not None and c.effective_until >= ask.requested_on - dt.timedelta(days=1)
            for c in decision.closes
            if not c.withdrawn
        )
        h = apply_decision(h, decision, record_id=number)
        # The change is what the engine sees from the day it takes effect.
        assert ask.facility_id in signed_on(policy, h, decision.takes_effect)
    for offset in range(0, SPAN + 400, 23):
        day = START + dt.timedelta(days=offset)
        in_force = signing_on(policy, h, day)
        assert set(in_force) <= set(rules.roles.value)
        for role, signed in in_force.items():
            assert signed.facility_kind in rules.roles.value[role]
            covering = [r for r in h.records if r.role is role and r.covers(day)]
            assert len(covering) <= 1
        assert len(signed_on(policy, h, day)) == len(in_force)  # never two facilities for one role


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(POLICIES), st.integers(0, SPAN), st.integers(0, 3 * 366))
def test_an_open_signing_is_in_force_every_day_after_it_starts(policy: str, start: int, later: int) -> None:
    from tests.signing.builders import history, record

    role = sorted(default_signing_rules().rules_for(policy).roles.value)[0]
    first = START + dt.timedelta(days=start)
    h = history(record("T1", first, role=role))
    assert signed_on(policy, h, first + dt.timedelta(days=later)) == {"T1"}
    assert signed_on(policy, h, first - dt.timedelta(days=1)) == frozenset()
