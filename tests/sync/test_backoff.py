"""Waits after failures: exponential, capped, jittered, never zero."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.sync.backoff import Backoff


def test_the_ceiling_doubles_until_the_cap() -> None:
    backoff = Backoff(base=1.0, factor=2.0, cap=30.0)
    assert [backoff.ceiling(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]
    assert backoff.ceiling(10_000) == 30  # no overflow far past the cap


@given(st.integers(min_value=1, max_value=200), st.integers(min_value=0, max_value=2**32))
def test_every_delay_is_between_half_the_ceiling_and_the_ceiling(failures: int, seed: int) -> None:
    backoff = Backoff(base=0.5, factor=2.0, cap=60.0)
    delay = backoff.delay(failures, random.Random(seed))
    assert backoff.ceiling(failures) / 2 <= delay <= backoff.ceiling(failures)


def test_jitter_spreads_clinics_that_fail_together() -> None:
    backoff = Backoff()
    delays = {round(backoff.delay(5, random.Random(seed)), 6) for seed in range(50)}
    assert len(delays) > 40


@pytest.mark.parametrize(("base", "factor", "cap"), [(0, 2, 10), (5, 2, 1), (1, 0.5, 10)])
def test_nonsense_settings_are_refused(base: float, factor: float, cap: float) -> None:
    with pytest.raises(ValueError, match="backoff"):
        Backoff(base, factor, cap)
